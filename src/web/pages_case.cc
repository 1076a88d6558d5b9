// The case page (GET /dossiers/{ref}): its view builder and the handler
// that reads what it shows through the case service. The forms of the page
// post to the handlers of pages_case_forms.cc, which show a refused form
// again with SendCasePage.
#include <httplib.h>

#include <algorithm>

#include "core/admissibility.h"
#include "core/lifecycle.h"
#include "service/case_service.h"
#include "web/case_json.h"
#include "web/pages_letters.h"
#include "web/pages_internal.h"
#include "web/web_service.h"

namespace amiable::web::pages {

namespace {

// The values a form shows: the posted ones when it is shown again.
struct Values {
  const Fields* posted = nullptr;  // null: the case's own values
  bool Has() const { return posted != nullptr; }
  std::string One(const std::string& name) const { return Field(*posted, name); }
  std::vector<std::string> All(const std::string& name) const { return FieldAll(*posted, name); }
};

// The error of `field` for the form `form`, "" when none.
std::string ErrorOf(const CasePageInput& in, std::string_view form, std::string_view field) {
  if (!in.refused || in.refused->form != form || in.refused->field != field) return "";
  return in.refused->message;
}

bool Refused(const CasePageInput& in, std::string_view form) {
  return in.refused && in.refused->form == form;
}

// has_err / err / err_id on `d` (every key always set: mustache looks a
// missing key up in the enclosing data).
void SetError(Data& d, const std::string& message, const std::string& id) {
  d.set("has_err", !message.empty());
  d.set("err", message);
  d.set("err_id", id + "-err");
}

// The confirmation box of a published year, for the form `form`.
void SetConfirm(Data& d, const CasePageInput& in, std::string_view form, const std::string& id) {
  const bool ask = in.refused && in.refused->form == form && in.refused->confirm_published;
  d.set("ask_confirm", ask);
  d.set("confirm_id", id + "-confirm-published");
}

List Options(const Labels& l, const Nomenclature& n, const std::vector<std::string>& sel,
             bool empty_first) {
  return l.Options(n, sel, empty_first);
}

List Checkboxes(const Labels& l, const Nomenclature& n, const std::vector<std::string>& on,
                const std::string& field, const std::string& prefix = "") {
  List out;
  for (const NomenclatureEntry& e : n.entries) {
    Data o;
    o.set("code", std::string(e.code));
    o.set("label", l.Of(n, e.code));
    o.set("id", prefix + field + "-" + std::string(e.code));
    o.set("name", field);
    o.set("checked", std::find(on.begin(), on.end(), e.code) != on.end());
    out.push_back(o);
  }
  return out;
}

std::vector<std::string> OptList(const std::optional<std::string>& v) {
  return v ? std::vector<std::string>{*v} : std::vector<std::string>{};
}

std::string Joined(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const std::string& x : v) out += (out.empty() ? "" : sep) + x;
  return out;
}

std::string PersonRoleLabel(PersonRole r) {
  switch (r) {
    case PersonRole::kBeneficiary: return "Allocataire";
    case PersonRole::kEmitter: return "Émetteur";
    case PersonRole::kLandlord: return "Bailleur";
  }
  return "";
}

List RoleOptions(PersonRole selected) {
  List out;
  for (PersonRole r : {PersonRole::kBeneficiary, PersonRole::kEmitter, PersonRole::kLandlord}) {
    Data o;
    o.set("code", std::string(PersonRoleCode(r)));
    o.set("label", PersonRoleLabel(r));
    o.set("selected", r == selected);
    out.push_back(o);
  }
  return out;
}


std::string NameOf(const CasePageInput& in, const std::string& user) {
  auto it = in.user_names.find(user);
  return it == in.user_names.end() || it->second.empty() ? user : it->second;
}

const char* InterferenceLabel(std::string_view code) {
  if (code == "materielle") return "matérielle";
  if (code == "geographique") return "géographique";
  if (code == "temporelle") return "temporelle";
  return "";
}

// The qualification: one Data per field with its value or options and error.
Data Qualification(const CasePageInput& in, const Labels& l) {
  const Case& c = in.c;
  Values v;
  if (Refused(in, "edit")) v.posted = &in.refused->posted;
  Data q;
  struct CodeField {
    const char* name;
    const char* id;
    const Nomenclature& n;
    const std::optional<std::string>& value;
  };
  const CodeField codes[] = {
      {"channel", "f-channel", nomenclature::Channel(), c.channel},
      {"emitter", "f-emitter", nomenclature::Emitter(), c.emitter},
      {"prior_step", "f-prior", nomenclature::PriorStep(), c.prior_step},
      {"household", "f-household", nomenclature::Household(), c.household},
      {"activity", "f-activity", nomenclature::Activity(), c.activity},
  };
  for (const CodeField& f : codes) {
    Data fd;
    fd.set("options", Options(l, f.n, v.Has() ? std::vector<std::string>{v.One(f.name)}
                                                : OptList(f.value),
                              true));
    SetError(fd, ErrorOf(in, "edit", f.name), f.id);
    q.set(f.name, fd);
  }
  struct ListField {
    const char* name;
    const Nomenclature& n;
    const std::optional<std::vector<std::string>>& value;
  };
  const ListField lists[] = {{"motives", nomenclature::Motive(), c.motives},
                             {"benefits", nomenclature::Benefit(), c.benefits}};
  for (const ListField& f : lists) {
    Data fd;
    fd.set("checkboxes", Checkboxes(l, f.n, v.Has() ? v.All(f.name) : f.value.value_or(
                                                                         std::vector<std::string>{}),
                                    f.name));
    SetError(fd, ErrorOf(in, "edit", f.name), std::string("f-") + f.name);
    q.set(f.name, fd);
  }
  struct TextField {
    const char* name;
    const char* id;
    std::string value;
  };
  const TextField texts[] = {
      {"allocataire_number", "f-alloc", c.allocataire_number.value_or("")},
      {"prior_step_on", "f-prior-on", c.prior_step_on ? c.prior_step_on->ToString() : ""},
      {"quotient_familial", "f-qf",
       c.quotient_familial ? std::to_string(*c.quotient_familial) : std::string()},
      {"description", "f-description", c.description},
  };
  for (const TextField& f : texts) {
    Data fd;
    fd.set("value", v.Has() ? v.One(f.name) : f.value);
    SetError(fd, ErrorOf(in, "edit", f.name), f.id);
    q.set(f.name, fd);
  }
  {
    const std::string fraud = v.Has() ? v.One("fraud")
                              : c.fraud ? (*c.fraud ? "oui" : "non")
                                        : "";
    Data fd;
    fd.set("yes", fraud == "oui" || fraud == "true");
    fd.set("no", fraud == "non" || fraud == "false");
    fd.set("unknown", fraud.empty());
    SetError(fd, ErrorOf(in, "edit", "fraud"), "f-fraud");
    q.set("fraud", fd);
  }
  Data top;
  SetConfirm(top, in, "edit", "edit");
  q.set("confirm", top);
  q.set("open_error", Refused(in, "edit"));
  return q;
}

// The qualification as text (a locked case).
List QualificationFacts(const Case& c, const Labels& l) {
  List out;
  auto add = [&](const char* label, const std::string& value) {
    Data d;
    d.set("label", label);
    d.set("value", value.empty() ? std::string("Non renseigné") : value);
    out.push_back(d);
  };
  auto code = [&](const Nomenclature& n, const std::optional<std::string>& v) {
    return v ? l.Of(n, *v) : std::string();
  };
  auto codes = [&](const Nomenclature& n, const std::optional<std::vector<std::string>>& v) {
    std::vector<std::string> labels;
    for (const std::string& x : v.value_or(std::vector<std::string>{})) labels.push_back(l.Of(n, x));
    return Joined(labels);
  };
  add("Mode de saisine", code(nomenclature::Channel(), c.channel));
  add("Émetteur", code(nomenclature::Emitter(), c.emitter));
  add("Numéro d'allocataire", c.allocataire_number.value_or(""));
  add("Démarche préalable", code(nomenclature::PriorStep(), c.prior_step));
  add("Date de la démarche préalable", FrenchDate(c.prior_step_on));
  add("Catégorie de foyer", code(nomenclature::Household(), c.household));
  add("Activité", code(nomenclature::Activity(), c.activity));
  add("Quotient familial (euros)",
      c.quotient_familial ? std::to_string(*c.quotient_familial) : std::string());
  add("Motifs", codes(nomenclature::Motive(), c.motives));
  add("Prestations", codes(nomenclature::Benefit(), c.benefits));
  add("Modes de réponse", codes(nomenclature::ResponseMode(), c.response_modes));
  add("Dossier qualifié de fraude", c.fraud ? (*c.fraud ? "Oui" : "Non") : "");
  add("Description de la demande", c.description);
  return out;
}

// One action form (a lifecycle event) of the page.
Data ActionView(const CasePageInput& in, const Labels& l, std::string_view ev) {
  const Case& c = in.c;
  const std::string form = "event:" + std::string(ev);
  Values v;
  if (Refused(in, form)) v.posted = &in.refused->posted;
  Data a;
  a.set("event", std::string(ev));
  a.set("label", std::string(EventLabel(ev)));
  a.set("open", Refused(in, form));
  a.set("is_recuse", ev == "recuse");
  a.set("is_close", ev == "close");
  List params;
  if (ev != "recuse") {
    for (const ParamSpec& p : EventParams(ev)) {
      const std::string name(p.name);
      Data pd;
      pd.set("name", name);
      pd.set("label", std::string(p.label));
      pd.set("id", std::string(ev) + "-" + name);
      pd.set("required", p.required);
      pd.set("select", false);
      pd.set("is_list", false);
      pd.set("text", false);
      SetError(pd, ErrorOf(in, form, name), std::string(ev) + "-" + name);
      const Nomenclature* n = p.nomenclature.empty() ? nullptr : nomenclature::Find(p.nomenclature);
      if (p.kind == ParamSpec::Kind::kCode && n) {
        std::vector<std::string> sel;
        if (v.Has()) {
          sel.push_back(v.One(name));
        } else if (p.name == "resolution" && c.resolution) {
          sel.push_back(*c.resolution);
        } else if (p.name == "cause" && c.cause) {
          sel.push_back(*c.cause);
        }
        pd.set("select", true);
        pd.set("options", l.Options(*n, sel, !p.required));
      } else if (p.kind == ParamSpec::Kind::kCodeList && n) {
        pd.set("checkboxes", Checkboxes(l, *n, v.Has() ? v.All(name) : std::vector<std::string>{},
                                        name, std::string(ev) + "-"));
        pd.set("is_list", true);
        pd.set("id", std::string(ev) + "-" + name + "-legend");
        SetError(pd, ErrorOf(in, form, name), std::string(ev) + "-" + name);
      } else {
        pd.set("text", true);
        std::string value;
        if (v.Has()) {
          value = v.One(name);
        } else if (p.kind == ParamSpec::Kind::kUser && !p.required) {
          value = in.user;
        }
        pd.set("value", value);
      }
      params.push_back(pd);
    }
  }
  a.set("params", params);
  {
    Data date;
    date.set("value", v.Has() ? v.One("date") : in.today.ToString());
    SetError(date, ErrorOf(in, form, "date"), std::string(ev) + "-date");
    a.set("date", date);
  }
  SetConfirm(a, in, form, std::string(ev));
  a.set("has_unknown", false);
  if (ev == "close") {
    // The report fields still empty: confirmed one by one as « non renseigné ».
    List unknown;
    const std::vector<std::string> confirmed =
        v.Has() ? v.All("confirm_unknown") : std::vector<std::string>{};
    for (std::string_view f : service::EmptyFieldsForClosing(c)) {
      if (f == "response_modes" && c.state != CaseState::kAnswered) continue;
      Data u;
      u.set("field", std::string(f));
      u.set("label", ReportFieldLabel(f));
      u.set("id", "close-unknown-" + std::string(f));
      u.set("checked", std::find(confirmed.begin(), confirmed.end(), f) != confirmed.end());
      SetError(u, ErrorOf(in, form, f), "close-unknown-" + std::string(f));
      unknown.push_back(u);
    }
    a.set("has_unknown", !unknown.empty());
    a.set("unknown", unknown);
  }
  if (ev == "recuse") {
    // The receiving mediators: the case's fund first, then the region's.
    const std::string to = v.Has() ? v.One("to") : "";
    List same, region;
    for (const Receiver& r : in.receivers) {
      Data o;
      o.set("code", r.name);
      o.set("label", r.label);
      o.set("selected", r.name == to);
      (r.same_fund ? same : region).push_back(o);
    }
    a.set("same_fund", same);
    a.set("has_same_fund", !same.empty());
    a.set("region", region);
    a.set("has_region", !region.empty());
    a.set("has_receivers", !in.receivers.empty());
    Data err_to, err_reason, err_interet, err_interference, err_intensite;
    SetError(err_to, ErrorOf(in, form, "to"), "recuse-to");
    SetError(err_reason, ErrorOf(in, form, "reason"), "recuse-reason");
    SetError(err_interet, ErrorOf(in, form, "interet"), "recuse-interet");
    SetError(err_interference, ErrorOf(in, form, "interference"), "recuse-interference");
    SetError(err_intensite, ErrorOf(in, form, "intensite"), "recuse-intensite");
    a.set("e_to", err_to);
    a.set("e_reason", err_reason);
    a.set("e_interet", err_interet);
    a.set("e_interference", err_interference);
    a.set("e_intensite", err_intensite);
    // Pre-filled from the conflict check: the findings say the link (the
    // interest), a strong one makes the intensity strong.
    std::string interet, intensite;
    std::vector<std::string> interference;
    if (v.Has()) {
      interet = v.One("interet");
      intensite = v.One("intensite");
      interference = v.All("interference");
    } else if (in.conflict && !in.conflict->findings.empty()) {
      std::vector<std::string> texts;
      for (const ConflictFinding& f : in.conflict->findings) texts.push_back(f.explanation);
      interet = Joined(texts, " ; ");
      intensite = in.conflict->recusal_suggested ? "forte" : "moderee";
      interference = {"materielle"};
    }
    a.set("reason", v.Has() ? v.One("reason") : std::string());
    a.set("interet", interet);
    List kinds;
    for (const char* k : {"materielle", "geographique", "temporelle"}) {
      Data o;
      o.set("code", k);
      o.set("label", std::string(InterferenceLabel(k)));
      o.set("checked", std::find(interference.begin(), interference.end(), k) != interference.end());
      kinds.push_back(o);
    }
    a.set("interference", kinds);
    a.set("forte", intensite == "forte");
    a.set("moderee", intensite == "moderee");
  }
  return a;
}

}  // namespace

std::string ReportFieldLabel(std::string_view f) {
  if (f == "channel") return "Mode de saisine";
  if (f == "emitter") return "Émetteur";
  if (f == "prior_step") return "Démarche préalable";
  if (f == "motives") return "Motifs";
  if (f == "benefits") return "Prestations";
  if (f == "household") return "Catégorie de foyer";
  if (f == "activity") return "Activité";
  if (f == "quotient_familial") return "Quotient familial";
  if (f == "response_modes") return "Modes de réponse";
  if (f == "fraud") return "Dossier qualifié de fraude";
  return std::string(f);
}

Data CasePageView(const CasePageInput& in, const Labels& l) {
  const Case* c = &in.c;
  const std::string& ref = c->reference;
  const Date today = in.today;
  Data d;
  d.set("title", "Dossier " + ref);
  d.set("reference", ref);
  d.set("url", CaseUrl(ref));
  d.set("state", StateLabel(c->state));
  d.set("state_code", StateCode(c->state));
  d.set("version", std::to_string(c->version));
  d.set("locked", in.locked);
  d.set("editable", !in.locked);
  d.set("organisme", in.organisme_label.empty() ? c->organisme : in.organisme_label);
  const auto age = AgeInWorkingDays(*c, in.calendar, today);
  // A string is a true section in mustache, even empty: set only when shown.
  if (age) d.set("age", std::to_string(*age) + " j. ouvré(s)");
  d.set("received_on", c->received_on.ToFrench());
  d.set("received_iso", c->received_on.ToString());
  d.set("taken_in_charge_on", FrenchDate(c->taken_in_charge_on));
  d.set("answered_on", FrenchDate(c->answered_on));
  d.set("closed_on", FrenchDate(c->closed_on));
  d.set("assigned_to", in.assigned_to_name.empty() ? "—" : in.assigned_to_name);
  d.set("admissibility", c->admissibility.empty()
                             ? "Non encore décidée"
                             : l.Of(nomenclature::Admissibility(), c->admissibility));
  if (c->inadmissibility_reason) {
    d.set("inadmissibility_reason",
          l.Of(nomenclature::InadmissibilityReason(), *c->inadmissibility_reason));
  }
  if (c->orientation) d.set("orientation", *c->orientation);
  if (c->resolution) d.set("resolution", l.Of(nomenclature::Resolution(), *c->resolution));
  if (c->cause) d.set("cause", l.Of(nomenclature::Cause(), *c->cause));
  if (auto dl = ComputeDeadline(*c, in.calendar, today)) {
    d.set("deadline", dl->take_charge_by.ToFrench());
    d.set("deadline_status", dl->status == "overdue"   ? "en retard"
                             : dl->status == "pending" ? "dans le délai"
                             : dl->status == "met"     ? "respecté"
                             : dl->status == "missed"  ? "dépassé"
                                                       : "sans objet");
    d.set("overdue", dl->status == "overdue");
    if (dl->working_days_left && dl->status == "pending") {
      d.set("days_left", std::to_string(*dl->working_days_left));
    }
  }
  if (c->state == CaseState::kReceived) {
    const AdmissibilitySuggestion s = SuggestAdmissibility(*c);
    Data sg;
    sg.set("admissible", s.admissibility == "recevable");
    sg.set("label", l.Of(nomenclature::Admissibility(), s.admissibility));
    if (s.reason) sg.set("reason", l.Of(nomenclature::InadmissibilityReason(), *s.reason));
    sg.set("explanation", s.explanation);
    List notes;
    for (const std::string& n : s.notes) notes.push_back(Data(n));
    sg.set("notes", notes);
    sg.set("has_notes", !s.notes.empty());
    d.set("suggestion", sg);
  }

  // Conflict of interest: the signed-in user's declared links compared with
  // the case (moderate findings are a warning; a strong one also refuses
  // take_in_charge: the service says so).
  if (in.conflict && !in.conflict->findings.empty()) {
    Data cf;
    cf.set("summary", in.conflict->summary);
    cf.set("strong", in.conflict->recusal_suggested);
    List items;
    for (const ConflictFinding& f : in.conflict->findings) items.push_back(Data(f.explanation));
    cf.set("findings", items);
    d.set("conflict", cf);
  }

  // Actions allowed now, each a form; reopening and recusal only for those
  // the service would let do them.
  const std::vector<std::string_view> allowed =
      in.allowed_events.empty() ? AllowedEvents(*c) : in.allowed_events;
  List actions;
  for (std::string_view ev : allowed) {
    if (ev == "reopen" && !in.may_reopen) continue;
    if (ev == "recuse" && !in.may_recuse) continue;
    actions.push_back(ActionView(in, l, ev));
  }
  d.set("has_actions", !actions.empty());
  d.set("actions", actions);

  // Qualification: a form, or the facts of a locked case.
  d.set("q", Qualification(in, l));
  d.set("facts", QualificationFacts(*c, l));

  // Financial lines.
  List fin;
  if (c->financial) {
    int index = 0;
    for (const FinancialLine& f : *c->financial) {
      const std::string form = "finances-remove:" + std::to_string(index);
      Data fd;
      fd.set("kind", l.Of(nomenclature::FinancialKind(), f.kind));
      fd.set("amount", Euros(f.amount_cents));
      fd.set("index", std::to_string(index));
      fd.set("open", Refused(in, form));
      SetConfirm(fd, in, form, "fin-remove-" + std::to_string(index));
      SetError(fd, Refused(in, form) ? in.refused->message : "",
               "fin-remove-" + std::to_string(index));
      fin.push_back(fd);
      ++index;
    }
  }
  d.set("financial", fin);
  d.set("has_financial", !fin.empty());
  {
    Values v;
    if (Refused(in, "finances")) v.posted = &in.refused->posted;
    Data fa;
    fa.set("kinds", l.Options(nomenclature::FinancialKind(),
                              v.Has() ? std::vector<std::string>{v.One("kind")}
                                      : std::vector<std::string>{},
                              false));
    fa.set("amount", v.Has() ? v.One("amount") : std::string());
    Data ek, ea;
    SetError(ek, ErrorOf(in, "finances", "kind"), "fin-kind");
    SetError(ea, ErrorOf(in, "finances", "amount_cents") + ErrorOf(in, "finances", "amount"),
             "fin-amount");
    fa.set("e_kind", ek);
    fa.set("e_amount", ea);
    SetConfirm(fa, in, "finances", "fin-add");
    d.set("fin_add", fa);
  }

  // People: each editable and removable, and a form to add one.
  auto person_form = [&](const Person& p, const std::string& prefix, const std::string& form) {
    Values v;
    if (Refused(in, form)) v.posted = &in.refused->posted;
    Data pf;
    pf.set("prefix", prefix);
    pf.set("id", std::to_string(p.id));
    PersonRole role = p.role;
    if (v.Has()) {
      const std::string code = v.One("role");
      for (PersonRole r : {PersonRole::kBeneficiary, PersonRole::kEmitter, PersonRole::kLandlord}) {
        if (code == PersonRoleCode(r)) role = r;
      }
    }
    pf.set("roles", RoleOptions(role));
    const std::pair<const char*, const std::string*> fields[] = {
        {"name", &p.name},   {"function", &p.function}, {"organisation", &p.organisation},
        {"email", &p.email}, {"phone", &p.phone},       {"address", &p.address}};
    for (const auto& [name, value] : fields) {
      Data fd;
      fd.set("value", v.Has() ? v.One(name) : *value);
      fd.set("id", prefix + "-" + name);
      SetError(fd, ErrorOf(in, form, name), prefix + "-" + name);
      pf.set(name, fd);
    }
    Data er;
    SetError(er, ErrorOf(in, form, "role"), prefix + "-role");
    pf.set("e_role", er);
    pf.set("open", Refused(in, form));
    return pf;
  };
  List people;
  for (const Person& p : in.people) {
    Data pd;
    pd.set("role", PersonRoleLabel(p.role));
    pd.set("name", p.name);
    if (!p.function.empty()) pd.set("function", p.function);
    if (!p.organisation.empty()) pd.set("organisation", p.organisation);
    pd.set("email", p.email);
    pd.set("phone", p.phone);
    pd.set("address", p.address);
    pd.set("id", std::to_string(p.id));
    pd.set("form", person_form(p, "p" + std::to_string(p.id), "person:" + std::to_string(p.id)));
    const std::string rm = "person-remove:" + std::to_string(p.id);
    pd.set("remove_open", Refused(in, rm));
    Data er;
    SetError(er, Refused(in, rm) ? in.refused->message : "", "p" + std::to_string(p.id) + "-remove");
    pd.set("e_remove", er);
    people.push_back(pd);
  }
  d.set("people", people);
  d.set("has_people", !people.empty());
  {
    Person blank;
    blank.role = PersonRole::kEmitter;
    d.set("new_person", person_form(blank, "pnew", "person:0"));
  }

  // Recusals (déports): who, when, why, the "3 i"; lifted ones marked.
  List recusals;
  for (const Recusal& r : in.recusals) {
    Data rd;
    rd.set("id", std::to_string(r.id));
    rd.set("user", NameOf(in, r.user));
    rd.set("by", NameOf(in, r.by_user));
    rd.set("by_other", r.by_user != r.user && !r.by_user.empty());
    rd.set("at", DateTimeFr(r.at, in.calendar.zone));
    rd.set("reason", r.reason);
    if (!r.interest.empty()) rd.set("interet", r.interest);
    std::vector<std::string> kinds;
    for (const std::string& k : r.interference) kinds.push_back(InterferenceLabel(k));
    if (!kinds.empty()) rd.set("interference", Joined(kinds));
    if (r.intensity == "forte") rd.set("intensite", "forte");
    if (r.intensity == "moderee") rd.set("intensite", "modérée");
    const bool lifted = !r.lifted_at.empty();
    rd.set("lifted", lifted);
    rd.set("lifted_at", DateTimeFr(r.lifted_at, in.calendar.zone));
    rd.set("lifted_by", NameOf(in, r.lifted_by));
    rd.set("lift_reason", r.lift_reason);
    rd.set("may_lift", in.may_lift && !lifted);
    const std::string form = "lift:" + std::to_string(r.id);
    rd.set("open", Refused(in, form));
    rd.set("lift_value", Refused(in, form) ? Field(in.refused->posted, "reason") : "");
    Data er;
    SetError(er, Refused(in, form) ? in.refused->message : "", "lift-" + std::to_string(r.id));
    rd.set("e_lift", er);
    recusals.push_back(rd);
  }
  d.set("recusals", recusals);
  d.set("has_recusals", !recusals.empty());

  // Notes, documents, history.
  List notes;
  for (const Note& n : in.notes) {
    Data nd;
    nd.set("author", NameOf(in, n.author));
    nd.set("at", n.created_at.substr(0, 10));
    nd.set("text", n.text);
    notes.push_back(nd);
  }
  d.set("notes", notes);
  {
    Data ne;
    SetError(ne, Refused(in, "note") ? in.refused->message : "", "note-text");
    ne.set("value", Refused(in, "note") ? Field(in.refused->posted, "text") : "");
    d.set("note_form", ne);
    Data de;
    SetError(de, Refused(in, "document") ? in.refused->message : "", "doc-file");
    d.set("doc_form", de);
  }
  List docs;
  for (const DocumentMeta& m : in.documents) {
    Data dd;
    dd.set("name", m.file_name);
    dd.set("url", CaseUrl(ref) + "/documents/" + std::to_string(m.id));
    dd.set("type", m.content_type);
    dd.set("size", std::to_string((m.size_bytes + 1023) / 1024) + " Ko");
    dd.set("by", NameOf(in, m.uploaded_by));
    docs.push_back(dd);
  }
  d.set("documents", docs);
  d.set("has_documents", !docs.empty());
  List history;
  for (auto it = in.history.rbegin(); it != in.history.rend(); ++it) {
    Data hd;
    hd.set("at", DateTimeFr(it->at, in.calendar.zone));
    hd.set("actor", it->actor);
    hd.set("kind", std::string(EventLabel(it->kind)));
    hd.set("detail", it->detail);
    history.push_back(hd);
  }
  d.set("history", history);

  // Correspondence: the messages received and sent, with their state.
  const List mail = CorrespondenceRows(in);
  d.set("mail", mail);
  d.set("has_mail", !mail.empty());
  InternalRequestsView(in, d);
  return d;
}

void SendCasePage(Env& env, Signed& who, Store& store, const std::string& ref,
                  httplib::Response& res, int status, const CaseFormRefusal* refused,
                  const httplib::Request* flash_from) {
  WebService svc(*env.ctx, store);
  const service::Caller caller = service::Caller::OfUser(who.user);
  auto details = svc->Get(caller, ref);
  if (!details) {
    if (details.error().code == Error::Code::kNotFound) {
      return SendErrorPage(env, res, 404, msg::Find("case.not_found"), &who);
    }
    if (details.error().code == Error::Code::kForbidden) {
      return SendErrorPage(env, res, 403, ErrorText(details.error()), &who);
    }
    LogError("case page", details.error());
    return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  }
  // Reads are audited in batches (web/routes.h AuditLog): a commit per view
  // would serialize every page view behind the database's single writer.
  if (env.ctx->audit) {
    env.ctx->audit->Record(who.actor, "case.view", ref);
  } else {
    store.Audit(who.actor, "case.view", ref);
  }
  service::CaseDetails& cd = *details;
  CasePageInput in;
  in.today = cd.today;
  in.user = who.user.name;
  in.calendar = CalendarOf(cd.fund);
  in.organisme_label = cd.fund.code.empty() ? cd.c.organisme : cd.fund.code + " — " + cd.fund.name;
  in.people = cd.people;  // copies: the conflict check below reads cd
  in.notes = std::move(cd.notes);
  in.documents = std::move(cd.documents);
  in.history = std::move(cd.history);
  in.recusals = cd.recusals;
  in.thread = std::move(cd.thread);
  in.allowed_events = cd.allowed_events;
  in.locked = cd.locked;
  std::map<std::string, std::string> fund_names;
  auto orgs = store.ListOrganismes();
  if (orgs) {
    for (const Organisme& o : *orgs) fund_names[o.code] = o.code + " — " + o.name;
  }
  auto users = store.ListUsers();
  if (users) {
    for (const User& u : *users) in.user_names[u.name] = u.display_name;
  }
  if (!cd.c.assigned_to.empty()) in.assigned_to_name = NameOf(in, cd.c.assigned_to);
  // What the page offers; the service checks again on every post.
  const bool hierarchy = caller.IsHierarchyOf(cd.c.organisme);
  in.may_lift = hierarchy;
  in.may_reopen = hierarchy || cd.c.assigned_to == who.user.name;
  in.may_recuse = hierarchy || cd.c.assigned_to.empty() || cd.c.assigned_to == who.user.name;
  const bool may_take = std::find(in.allowed_events.begin(), in.allowed_events.end(),
                                  "take_in_charge") != in.allowed_events.end();
  if (may_take || cd.c.assigned_to == who.user.name) {
    if (auto a = svc->Assess(caller, cd, "")) in.conflict = std::move(*a);
  }
  if (in.may_recuse && std::find(in.allowed_events.begin(), in.allowed_events.end(), "recuse") !=
                           in.allowed_events.end()) {
    if (users && orgs) {
      for (const User& u : svc->ReceivingMediators(caller, cd, *users, *orgs)) {
        Receiver r;
        r.name = u.name;
        r.same_fund = u.ToActor().CanSee(cd.c.organisme);
        std::string fund;
        for (const std::string& o : u.organismes) {
          auto it = fund_names.find(o);
          fund += (fund.empty() ? "" : ", ") + (it == fund_names.end() ? o : it->second);
        }
        if (u.all_funds) fund = "toutes les Caf";
        r.label = (u.display_name.empty() ? u.name : u.display_name) + " — " + fund;
        in.receivers.push_back(std::move(r));
      }
    }
  }
  in.refused = refused;
  LoadInternalRequests(env, store, caller, ref, cd.c.organisme, in);
  in.c = std::move(cd.c);
  Data d = CasePageView(in, Labels(store));
  AddPartnerSection(env, store, caller, ref, d);
  {
    service::LettersService letters(store, svc.clock());
    auto produced = letters.CaseLetters(caller, ref);
    AddCaseLettersSection(in.c, produced ? *produced : std::vector<LetterRecord>{}, in.user_names,
                          d);
  }
  if (flash_from) SetFlash(*flash_from, d);
  if (refused && !refused->message.empty()) d.set("flash_error", refused->message);
  SendPage(env, res, "dossier", d, &who, status);
}

namespace {

void CasePage(Env& env, Signed& who, Store& store, const httplib::Request& req,
              httplib::Response& res) {
  SendCasePage(env, who, store, req.matches[1], res, 200, nullptr, &req);
}

}  // namespace

void RegisterCaseRoutes(httplib::Server& server, Env& env) {
  server.Get(kCaseRoute, Guarded(env, Need::kCases, CasePage));
  RegisterCaseFormRoutes(server, env);
  RegisterInternalRequestFormRoutes(server, env);
}

}  // namespace amiable::web::pages
