// The case page (GET /dossiers/{ref}): its view builder and the handler
// that reads what it shows. The forms of the page post to the handlers of
// pages_case_forms.cc, which answer with SendCasePage on a refusal.
#include <httplib.h>

#include <algorithm>

#include "core/admissibility.h"
#include "core/lifecycle.h"
#include "web/case_json.h"
#include "web/conflict_check.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

Data FieldOptions(const Labels& l, const Nomenclature& n, const std::optional<std::string>& v) {
  Data d;
  d.set("options", l.Options(n, v ? std::vector<std::string>{*v} : std::vector<std::string>{},
                             true));
  return d;
}

List Checkboxes(const Labels& l, const Nomenclature& n,
                const std::optional<std::vector<std::string>>& v, const std::string& field) {
  List out;
  for (const NomenclatureEntry& e : n.entries) {
    Data o;
    o.set("code", std::string(e.code));
    o.set("label", l.Of(n, e.code));
    o.set("id", field + "-" + std::string(e.code));
    o.set("name", field);
    bool on = false;
    if (v) {
      for (const std::string& s : *v) on = on || s == e.code;
    }
    o.set("checked", on);
    out.push_back(o);
  }
  return out;
}

}  // namespace

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
  d.set("organisme", in.organisme_label.empty() ? c->organisme : in.organisme_label);
  const auto age = AgeInWorkingDays(*c, in.calendar, today);
  d.set("age", age ? std::to_string(*age) + " j. ouvré(s)" : std::string());
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
  // the case while they may take it in charge or have it (moderate findings
  // are a warning; a strong one also refuses take_in_charge).
  const std::vector<std::string_view> allowed = AllowedEvents(*c);
  if (in.conflict && !in.conflict->findings.empty()) {
    Data cf;
    cf.set("summary", in.conflict->summary);
    cf.set("strong", in.conflict->recusal_suggested);
    List items;
    for (const ConflictFinding& f : in.conflict->findings) items.push_back(Data(f.explanation));
    cf.set("findings", items);
    d.set("conflict", cf);
  }

  // Actions allowed now, each a form.
  List actions;
  for (std::string_view ev : allowed) {
    Data a;
    a.set("event", std::string(ev));
    a.set("label", std::string(EventLabel(ev)));
    List params;
    for (const ParamSpec& p : EventParams(ev)) {
      Data pd;
      pd.set("name", std::string(p.name));
      pd.set("label", std::string(p.label));
      pd.set("id", std::string(ev) + "-" + std::string(p.name));
      pd.set("required", p.required);
      const Nomenclature* n = p.nomenclature.empty() ? nullptr : nomenclature::Find(p.nomenclature);
      if (p.kind == ParamSpec::Kind::kCode && n) {
        std::vector<std::string> sel;
        if (p.name == "resolution" && c->resolution) sel.push_back(*c->resolution);
        if (p.name == "cause" && c->cause) sel.push_back(*c->cause);
        pd.set("select", true);
        pd.set("options", l.Options(*n, sel, !p.required));
      } else if (p.kind == ParamSpec::Kind::kCodeList && n) {
        pd.set("checkboxes", Checkboxes(l, *n, std::nullopt, std::string(p.name)));
        pd.set("is_list", true);
        pd.set("id", std::string(ev) + "-" + std::string(p.name) + "-legend");
      } else {
        pd.set("text", true);
        if (p.kind == ParamSpec::Kind::kUser && !p.required) pd.set("value", in.user);
      }
      params.push_back(pd);
    }
    a.set("params", params);
    a.set("today", today.ToString());
    actions.push_back(a);
  }
  d.set("actions", actions);
  d.set("has_actions", !actions.empty());

  // Classification.
  d.set("channel", FieldOptions(l, nomenclature::Channel(), c->channel));
  d.set("emitter", FieldOptions(l, nomenclature::Emitter(), c->emitter));
  d.set("prior_step", FieldOptions(l, nomenclature::PriorStep(), c->prior_step));
  d.set("household", FieldOptions(l, nomenclature::Household(), c->household));
  d.set("activity", FieldOptions(l, nomenclature::Activity(), c->activity));
  d.set("motives", Checkboxes(l, nomenclature::Motive(), c->motives, "motives"));
  d.set("benefits", Checkboxes(l, nomenclature::Benefit(), c->benefits, "benefits"));
  d.set("allocataire_number", c->allocataire_number.value_or(""));
  d.set("prior_step_on", c->prior_step_on ? c->prior_step_on->ToString() : "");
  d.set("quotient_familial",
        c->quotient_familial ? std::to_string(*c->quotient_familial) : std::string());
  d.set("fraud_yes", c->fraud && *c->fraud);
  d.set("fraud_no", c->fraud && !*c->fraud);
  d.set("fraud_unknown", !c->fraud);
  d.set("description", c->description);

  // Financial lines.
  List fin;
  int index = 0;
  if (c->financial) {
    for (const FinancialLine& f : *c->financial) {
      Data fd;
      fd.set("kind", l.Of(nomenclature::FinancialKind(), f.kind));
      fd.set("amount", Euros(f.amount_cents));
      fd.set("index", std::to_string(index++));
      fin.push_back(fd);
    }
  }
  d.set("financial", fin);
  d.set("has_financial", !fin.empty());
  d.set("financial_kinds", l.Options(nomenclature::FinancialKind(), {}, false));

  // People, notes, documents, history.
  List people;
  {
    for (const Person& p : in.people) {
      Data pd;
      pd.set("role", p.role == PersonRole::kBeneficiary ? "Allocataire"
                     : p.role == PersonRole::kEmitter   ? "Émetteur"
                                                        : "Bailleur");
      pd.set("name", p.name);
      if (!p.organisation.empty()) pd.set("organisation", p.organisation);
      pd.set("email", p.email);
      pd.set("phone", p.phone);
      people.push_back(pd);
    }
  }
  d.set("people", people);
  List notes;
  {
    for (const Note& n : in.notes) {
      Data nd;
      nd.set("author", n.author);
      nd.set("at", n.created_at.substr(0, 10));
      nd.set("text", n.text);
      notes.push_back(nd);
    }
  }
  d.set("notes", notes);
  List docs;
  {
    for (const DocumentMeta& m : in.documents) {
      Data dd;
      dd.set("name", m.file_name);
      dd.set("url", CaseUrl(ref) + "/documents/" + std::to_string(m.id));
      dd.set("type", m.content_type);
      dd.set("size", std::to_string((m.size_bytes + 1023) / 1024) + " Ko");
      dd.set("by", m.uploaded_by);
      docs.push_back(dd);
    }
  }
  d.set("documents", docs);
  List history;
  {
    for (auto it = in.history.rbegin(); it != in.history.rend(); ++it) {
      Data hd;
      hd.set("at", it->at.size() >= 16 ? it->at.substr(8, 2) + "/" + it->at.substr(5, 2) + "/" +
                                             it->at.substr(0, 4) + " " + it->at.substr(11, 5)
                                       : it->at);
      hd.set("actor", it->actor);
      hd.set("kind", std::string(EventLabel(it->kind)));
      hd.set("detail", it->detail);
      history.push_back(hd);
    }
  }
  d.set("history", history);
  return d;
}


void SendCasePage(Env& env, Signed& who, Store& store, const std::string& ref,
                  httplib::Response& res, int status, const std::string& error,
                  const httplib::Request* flash_from) {
  auto c = store.GetCase(who.actor, ref);
  if (!c) {
    if (c.error().code == Error::Code::kNotFound) {
      return SendErrorPage(env, res, 404, msg::Find("case.not_found"), &who);
    }
    return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  }
  // Reads are audited in batches (web/routes.h AuditLog): a commit per view
  // would serialize every page view behind the database's single writer.
  if (env.ctx->audit) {
    env.ctx->audit->Record(who.actor, "case.view", ref);
  } else {
    store.Audit(who.actor, "case.view", ref);
  }
  CasePageInput in;
  in.today = env.ctx->Today();
  in.user = who.user.name;
  if (auto o = store.GetOrganisme(c->organisme)) {
    in.calendar = CalendarOf(*o);
    in.organisme_label = o->code + " — " + o->name;
  }
  if (!c->assigned_to.empty()) {
    auto u = store.GetUser(c->assigned_to);
    in.assigned_to_name = u && !u->display_name.empty() ? u->display_name : c->assigned_to;
  }
  if (auto ps = store.People(who.actor, ref)) in.people = std::move(*ps);
  if (auto ns = store.Notes(who.actor, ref)) in.notes = std::move(*ns);
  if (auto ds = store.Documents(who.actor, ref)) in.documents = std::move(*ds);
  if (auto hs = store.History(who.actor, ref)) in.history = std::move(*hs);
  // Conflict of interest: the signed-in user's declared links compared with
  // the case while they may take it in charge or have it (moderate findings
  // are a warning; a strong one also refuses take_in_charge).
  const std::vector<std::string_view> allowed = AllowedEvents(*c);
  const bool may_take =
      std::find(allowed.begin(), allowed.end(), "take_in_charge") != allowed.end();
  if (may_take || c->assigned_to == who.user.name) {
    if (auto a = AssessMediator(store, who.actor, *c, who.user.name, in.today)) {
      in.conflict = std::move(*a);
    }
  }
  in.c = std::move(*c);
  Data d = CasePageView(in, Labels(store));
  if (flash_from) SetFlash(*flash_from, d);
  if (!error.empty()) d.set("flash_error", error);
  SendPage(env, res, "dossier", d, &who, status);
}

namespace {

void CasePage(Env& env, Signed& who, Store& store, const httplib::Request& req,
              httplib::Response& res) {
  SendCasePage(env, who, store, req.matches[1], res, 200, "", &req);
}

}  // namespace

void RegisterCaseRoutes(httplib::Server& server, Env& env) {
  server.Get(kCaseRoute, Guarded(env, Need::kCases, CasePage));
  RegisterCaseFormRoutes(server, env);
}

}  // namespace amiable::web::pages
