// The mediators' workspace: dashboard of queues, case page and its forms,
// search, registering a request received by post/phone/front desk, figures
// of a year, administration. Every case access goes through the store as
// the signed-in user's Actor.
#include <httplib.h>

#include <algorithm>
#include <functional>

#include "core/admissibility.h"
#include "core/lifecycle.h"
#include "figures/figures.h"
#include "web/auth.h"
#include "web/case_json.h"
#include "web/conflict_check.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

using Handler = std::function<void(Env&, Signed&, Store&, const httplib::Request&,
                                   httplib::Response&)>;

enum class Need { kAny, kCases, kAdmin };

// Wraps a workspace route: store, session (else to the sign-in page), role,
// CSRF on every POST.
httplib::Server::Handler Page(Env& env, Need need, Handler h) {
  return [&env, need, h](const httplib::Request& req, httplib::Response& res) {
    auto lease = env.ctx->stores->Acquire();
    if (!lease) {
      return SendErrorPage(env, res, 503, "Service momentanément indisponible.", nullptr);
    }
    auto who = CurrentUser(env, **lease, req);
    if (!who) {
      if (req.method == "GET") return Redirect(res, "/connexion");
      return SendErrorPage(env, res, 403, "Votre session a expiré : reconnectez-vous.", nullptr);
    }
    if ((need == Need::kCases && who->user.role == Role::kStatisticsReader) ||
        (need == Need::kAdmin && who->user.role != Role::kAdministrator)) {
      return SendErrorPage(env, res, 403, "Votre rôle ne donne pas accès à cette page.", &*who);
    }
    if (req.method == "POST" && !CsrfOk(*who, FormFields(req))) {
      return SendErrorPage(env, res, 403,
                           "Jeton de sécurité absent ou invalide : rechargez la page et "
                           "recommencez.",
                           &*who);
    }
    h(env, *who, **lease, req, res);
  };
}

std::string CaseUrl(const std::string& ref) { return "/dossiers/" + ref; }

WorkCalendar FundCalendar(Store& store, std::string_view organisme) {
  auto o = store.GetOrganisme(organisme);
  return o ? CalendarOf(*o) : WorkCalendar{};
}

std::string PeopleNames(Store& store, const Actor& a, const std::string& ref) {
  auto people = store.People(a, ref);
  if (!people) return {};
  std::string out;
  for (const Person& p : *people) {
    if (p.role != PersonRole::kBeneficiary || p.name.empty()) continue;
    if (!out.empty()) out += ", ";
    out += p.name;
  }
  return out;
}

std::string Excerpt(const std::string& text, size_t max = 90) {
  if (text.size() <= max) return text;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

// One row of a case list.
// `names` (from Store::BeneficiaryNames) saves a query per row in lists.
Data CaseRow(Store& store, const Signed& who, const Case& c, Date today, bool deadline,
             const std::unordered_map<int64_t, std::string>* names = nullptr) {
  Data d;
  d.set("reference", c.reference);
  d.set("url", CaseUrl(c.reference));
  d.set("received_on", c.received_on.ToFrench());
  d.set("state", StateLabel(c.state));
  d.set("organisme", c.organisme);
  d.set("allocataire_number", c.allocataire_number.value_or("—"));
  if (names) {
    auto it = names->find(c.id);
    d.set("names", it == names->end() ? std::string() : it->second);
  } else {
    d.set("names", PeopleNames(store, who.actor, c.reference));
  }
  d.set("excerpt", Excerpt(c.description));
  d.set("assigned_to", c.assigned_to);
  if (deadline) {
    if (auto dl = ComputeDeadline(c, FundCalendar(store, c.organisme), today)) {
      d.set("deadline", dl->take_charge_by.ToFrench());
      const int left = dl->working_days_left.value_or(0);
      d.set("overdue", dl->status == "overdue");
      d.set("days_left", dl->status == "overdue"
                             ? "en retard de " + std::to_string(-left) + " j. ouvré(s)"
                             : std::to_string(left) + " j. ouvré(s)");
    }
  }
  return d;
}

// ---- Dashboard ----

void Dashboard(Env& env, Signed& who, Store& store, const httplib::Request&,
               httplib::Response& res) {
  const Date today = env.ctx->Today();
  Data d;
  d.set("title", "Tableau de bord");
  // Received cases: split by the admissibility suggestion.
  CaseFilter f;
  f.state = CaseState::kReceived;
  f.limit = 0;
  f.today = today;
  f.with_financial = false;
  int64_t total = 0;
  auto received = store.ListCases(who.actor, f, &total);
  if (!received) return SendErrorPage(env, res, 500, "Lecture impossible.", &who);
  std::sort(received->begin(), received->end(),
            [](const Case& a, const Case& b) { return a.received_on < b.received_on; });
  // Every received case counts in its queue and in the overdue count; only
  // the oldest kShownPerQueue of each queue are listed (a backlog of
  // thousands must not make the page slow).
  constexpr size_t kShownPerQueue = 50;
  List screen, take;
  int64_t overdue = 0, n_screen = 0, n_take = 0;
  std::map<std::string, WorkCalendar> calendars;  // per request: settings may change
  auto calendar_of = [&](const std::string& code) {
    auto it = calendars.find(code);
    if (it == calendars.end()) it = calendars.emplace(code, FundCalendar(store, code)).first;
    return it->second;
  };
  struct Shown {
    const Case* c;
    AdmissibilitySuggestion s;
  };
  std::vector<Shown> shown;
  std::vector<int64_t> ids;
  for (const Case& c : *received) {
    if (auto dl = ComputeDeadline(c, calendar_of(c.organisme), today);
        dl && dl->status == "overdue") {
      ++overdue;
    }
    AdmissibilitySuggestion s = SuggestAdmissibility(c);
    const bool to_screen = s.admissibility == "irrecevable";
    int64_t& n = to_screen ? n_screen : n_take;
    if (static_cast<size_t>(n++) >= kShownPerQueue) continue;
    ids.push_back(c.id);
    shown.push_back({&c, std::move(s)});
  }
  auto names = store.BeneficiaryNames(who.actor, ids);
  const std::unordered_map<int64_t, std::string> no_names;
  for (const Shown& x : shown) {
    Data row = CaseRow(store, who, *x.c, today, true, names ? &*names : &no_names);
    row.set("suggestion", x.s.explanation);
    (x.s.admissibility == "irrecevable" ? screen : take).push_back(std::move(row));
  }
  auto queue = [&](const char* key, const char* title, const char* hint, List rows, int64_t n) {
    Data q;
    q.set("key", key);
    q.set("title", title);
    q.set("hint", hint);
    q.set("count", std::to_string(n));
    q.set("rows", rows);
    q.set("empty", rows.empty());
    return q;
  };
  List queues;
  Data qs = queue("examiner", "À examiner (recevabilité douteuse)",
                  "Demandes reçues que la recevabilité suggérée donne hors médiation : à "
                  "déclarer irrecevables (avec orientation) ou à prendre en charge.",
                  screen, n_screen);
  qs.set("deadline", true);
  queues.push_back(qs);
  Data qt = queue("prendre", "À prendre en charge",
                  "Demandes recevables à prendre en charge dans les 8 jours ouvrés suivant "
                  "leur réception.",
                  take, n_take);
  qt.set("deadline", true);
  queues.push_back(qt);
  auto list_states = [&](std::initializer_list<CaseState> states, const char* key,
                         const char* title, const char* hint) {
    List rows;
    int64_t n = 0;
    for (CaseState s : states) {
      CaseFilter g;
      g.state = s;
      g.limit = 50;
      g.today = today;
      g.with_financial = false;
      int64_t t = 0;
      auto cases = store.ListCases(who.actor, g, &t);
      if (!cases) continue;
      n += t;
      std::vector<int64_t> ids;
      for (const Case& c : *cases) ids.push_back(c.id);
      auto names = store.BeneficiaryNames(who.actor, ids);
      const std::unordered_map<int64_t, std::string> no_names;
      for (const Case& c : *cases) {
        rows.push_back(CaseRow(store, who, c, today, false, names ? &*names : &no_names));
      }
    }
    queues.push_back(queue(key, title, hint, rows, n));
  };
  list_states({CaseState::kTakenInCharge, CaseState::kInProgress}, "cours", "En cours",
              "Prises en charge et en instruction.");
  list_states({CaseState::kOnHold}, "attente", "En attente",
              "En attente d'une commission ou d'une décision.");
  list_states({CaseState::kAnswered}, "repondu", "Répondues, à clôturer",
              "Réponse envoyée : à clôturer avec la résolution et la cause.");
  d.set("queues", queues);
  d.set("overdue", std::to_string(overdue));
  d.set("has_overdue", overdue > 0);
  d.set("today", today.ToFrench());
  SendPage(env, res, "tableau", d, &who);
}

// ---- Search ----

void Search(Env& env, Signed& who, Store& store, const httplib::Request& req,
            httplib::Response& res) {
  const std::string q = req.get_param_value("q");
  Data d;
  d.set("title", "Recherche");
  d.set("q", q);
  if (!q.empty()) {
    int64_t total = 0;
    auto found = store.SearchCases(who.actor, q.substr(0, 200), 50, &total);
    if (!found) return SendErrorPage(env, res, 500, "La recherche a échoué.", &who);
    List rows;
    for (const Case& c : *found) rows.push_back(CaseRow(store, who, c, env.ctx->Today(), false));
    d.set("rows", rows);
    d.set("searched", true);
    d.set("count", std::to_string(total));
    d.set("none", found->empty());
  }
  // htmx asks for the results only.
  if (req.get_header_value("HX-Request") == "true") {
    return SendFragment(env, res, "recherche_resultats", d);
  }
  d.set("results_html", RenderTemplate(env, "recherche_resultats", d));
  SendPage(env, res, "recherche", d, &who);
}

// ---- Case page ----

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

void CasePage(Env& env, Signed& who, Store& store, const httplib::Request& req,
              httplib::Response& res) {
  const std::string ref = req.matches[1];
  auto c = store.GetCase(who.actor, ref);
  if (!c) {
    if (c.error().code == Error::Code::kNotFound) {
      return SendErrorPage(env, res, 404, "Ce dossier n'existe pas ou ne vous est pas accessible.",
                           &who);
    }
    return SendErrorPage(env, res, 500, "Lecture impossible.", &who);
  }
  // Reads are audited in batches (web/routes.h AuditLog): a commit per view
  // would serialize every page view behind the database's single writer.
  if (env.ctx->audit) {
    env.ctx->audit->Record(who.actor, "case.view", ref);
  } else {
    store.Audit(who.actor, "case.view", ref);
  }
  const Date today = env.ctx->Today();
  Labels l(store);
  Data d;
  d.set("title", "Dossier " + ref);
  d.set("reference", ref);
  d.set("url", CaseUrl(ref));
  d.set("state", StateLabel(c->state));
  d.set("state_code", StateCode(c->state));
  d.set("version", std::to_string(c->version));
  d.set("organisme", c->organisme);
  d.set("received_on", c->received_on.ToFrench());
  d.set("received_iso", c->received_on.ToString());
  d.set("taken_in_charge_on", FrenchDate(c->taken_in_charge_on));
  d.set("answered_on", FrenchDate(c->answered_on));
  d.set("closed_on", FrenchDate(c->closed_on));
  d.set("assigned_to", c->assigned_to.empty() ? "—" : c->assigned_to);
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
  if (auto dl = ComputeDeadline(*c, FundCalendar(store, c->organisme), today)) {
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
  const bool may_take =
      std::find(allowed.begin(), allowed.end(), "take_in_charge") != allowed.end();
  if (may_take || c->assigned_to == who.user.name) {
    if (auto a = AssessMediator(store, who.actor, *c, who.user.name, today);
        a && !a->findings.empty()) {
      Data cf;
      cf.set("summary", a->summary);
      cf.set("strong", a->recusal_suggested);
      List items;
      for (const ConflictFinding& f : a->findings) items.push_back(Data(f.explanation));
      cf.set("findings", items);
      d.set("conflict", cf);
    }
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
        if (p.kind == ParamSpec::Kind::kUser && !p.required) pd.set("value", who.user.name);
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
  if (auto ps = store.People(who.actor, ref)) {
    for (const Person& p : *ps) {
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
  if (auto ns = store.Notes(who.actor, ref)) {
    for (const Note& n : *ns) {
      Data nd;
      nd.set("author", n.author);
      nd.set("at", n.created_at.substr(0, 10));
      nd.set("text", n.text);
      notes.push_back(nd);
    }
  }
  d.set("notes", notes);
  List docs;
  if (auto ds = store.Documents(who.actor, ref)) {
    for (const DocumentMeta& m : *ds) {
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
  if (auto hs = store.History(who.actor, ref)) {
    for (auto it = hs->rbegin(); it != hs->rend(); ++it) {
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
  if (req.has_param("erreur")) d.set("flash_error", req.get_param_value("erreur"));
  if (req.has_param("ok")) d.set("flash_ok", req.get_param_value("ok"));
  SendPage(env, res, "dossier", d, &who);
}

// After a POST on a case: back to its page with a message (PRG).
void BackToCase(httplib::Response& res, const std::string& ref, bool ok, const std::string& msg) {
  Redirect(res, CaseUrl(ref) + (ok ? "?ok=" : "?erreur=") + httplib::detail::encode_query_param(msg));
}

std::string FrenchError(const Error& e) {
  switch (e.code) {
    case Error::Code::kConflict:
      return "Action refusée : " + e.message;
    case Error::Code::kInvalid:
      return "Valeur refusée" + (e.field.empty() ? std::string() : " (" + e.field + ")") + " : " +
             e.message;
    case Error::Code::kNotFound:
      return "Dossier introuvable.";
    default:
      return "L'opération a échoué.";
  }
}

// The case a form posted to, when the actor may see it and the form was
// made from its current version; otherwise answers (404, or back to the case
// with a message) and returns nullopt.
std::optional<Case> CaseForPost(Env& env, Signed& who, Store& store, const std::string& ref,
                                const Fields& f, httplib::Response& res) {
  auto c = store.GetCase(who.actor, ref);
  if (!c) {
    SendErrorPage(env, res, 404, "Ce dossier n'existe pas ou ne vous est pas accessible.", &who);
    return std::nullopt;
  }
  if (Field(f, "version") != std::to_string(c->version)) {
    BackToCase(res, ref, false, "Le dossier a été modifié entre-temps : vérifiez-le et recommencez.");
    return std::nullopt;
  }
  return std::move(*c);
}

void CaseEventPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  auto c = CaseForPost(env, who, store, ref, f, res);
  if (!c) return;
  EventRequest r;
  r.event = Field(f, "event");
  r.actor = who.user.name;
  if (const std::string date = Field(f, "date"); !date.empty()) {
    r.date = Date::Parse(date);
    if (!r.date) return BackToCase(res, ref, false, "Date invalide.");
  }
  for (const ParamSpec& p : EventParams(r.event)) {
    std::string v;
    if (p.kind == ParamSpec::Kind::kCodeList) {
      for (const std::string& x : FieldAll(f, std::string(p.name))) v += (v.empty() ? "" : ",") + x;
    } else {
      v = Field(f, std::string(p.name));
    }
    if (!v.empty()) r.params[std::string(p.name)] = v;
  }
  if (auto s = CheckConflicts(store, who.actor, *c, r, env.ctx->Today()); !s) {
    return BackToCase(res, ref, false, FrenchError(s.error()));
  }
  Case updated = *c;
  auto ev = ApplyEvent(updated, r, env.ctx->Today(), NowTimestamp());
  if (!ev) return BackToCase(res, ref, false, FrenchError(ev.error()));
  if (auto s = SaveEvent(store, who.actor, *c, updated, r, *ev); !s) {
    return BackToCase(res, ref, false, FrenchError(s.error()));
  }
  // A mediator who recused no longer sees the case.
  if (r.event == "recuse" && !store.GetCase(who.actor, ref)) return Redirect(res, "/tableau");
  BackToCase(res, ref, true, std::string(EventLabel(r.event)) + " : fait.");
}

std::optional<std::string> OptField(const Fields& f, const std::string& name) {
  std::string v = Field(f, name);
  if (v.empty()) return std::nullopt;
  return v;
}

void CaseEditPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  auto c = CaseForPost(env, who, store, ref, f, res);
  if (!c) return;
  Case u = *c;
  auto code = [&](const char* name, const Nomenclature& n,
                  std::optional<std::string>& into) -> bool {
    auto v = OptField(f, name);
    if (v && !n.Contains(*v)) return false;
    into = v;
    return true;
  };
  auto codes = [&](const char* name, const Nomenclature& n,
                   std::optional<std::vector<std::string>>& into) -> bool {
    std::vector<std::string> v = FieldAll(f, name);
    for (const std::string& x : v) {
      if (!n.Contains(x)) return false;
    }
    if (v.empty()) {
      into.reset();
    } else {
      into = v;
    }
    return true;
  };
  if (!code("channel", nomenclature::Channel(), u.channel) ||
      !code("emitter", nomenclature::Emitter(), u.emitter) ||
      !code("prior_step", nomenclature::PriorStep(), u.prior_step) ||
      !code("household", nomenclature::Household(), u.household) ||
      !code("activity", nomenclature::Activity(), u.activity) ||
      !codes("motives", nomenclature::Motive(), u.motives) ||
      !codes("benefits", nomenclature::Benefit(), u.benefits)) {
    return BackToCase(res, ref, false, "Valeur inconnue dans une liste.");
  }
  if (auto n = OptField(f, "allocataire_number")) {
    if (n->size() != 7 || !std::all_of(n->begin(), n->end(), ::isdigit)) {
      return BackToCase(res, ref, false, "Le numéro d'allocataire compte 7 chiffres.");
    }
    u.allocataire_number = n;
  } else {
    u.allocataire_number.reset();
  }
  if (auto p = OptField(f, "prior_step_on")) {
    u.prior_step_on = Date::Parse(*p);
    if (!u.prior_step_on) return BackToCase(res, ref, false, "Date de démarche préalable invalide.");
  } else {
    u.prior_step_on.reset();
  }
  if (auto q = OptField(f, "quotient_familial")) {
    if (q->size() > 7 || !std::all_of(q->begin(), q->end(), ::isdigit)) {
      return BackToCase(res, ref, false, "Le quotient familial est un nombre entier d'euros.");
    }
    u.quotient_familial = std::stoll(*q);
  } else {
    u.quotient_familial.reset();
  }
  const std::string fraud = Field(f, "fraud");
  if (fraud == "oui") {
    u.fraud = true;
  } else if (fraud == "non") {
    u.fraud = false;
  } else {
    u.fraud.reset();
  }
  std::string description = Field(f, "description");
  description.erase(std::remove(description.begin(), description.end(), '\r'), description.end());
  if (description.size() > kMaxDescriptionBytes) {
    return BackToCase(res, ref, false, "Description trop longue.");
  }
  u.description = description;
  CaseEvent ev{0, NowTimestamp(), who.user.name, "update", "Qualification modifiée"};
  if (auto s = store.UpdateCase(who.actor, u, ev); !s) {
    return BackToCase(res, ref, false, FrenchError(s.error()));
  }
  BackToCase(res, ref, true, "Qualification enregistrée.");
}

void CaseNotePost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  const std::string ref = req.matches[1];
  std::string text = Field(FormFields(req), "text");
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  if (text.empty() || text.size() > 20000) {
    return BackToCase(res, ref, false, "La note est vide ou trop longue.");
  }
  if (auto s = store.AddNote(who.actor, ref, {0, who.user.name, NowTimestamp(), text}); !s) {
    if (s.error().code == Error::Code::kNotFound) {
      return SendErrorPage(env, res, 404, "Ce dossier n'existe pas ou ne vous est pas accessible.", &who);
    }
    return BackToCase(res, ref, false, FrenchError(s.error()));
  }
  BackToCase(res, ref, true, "Note ajoutée.");
}

void CaseFinancialPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                       httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  auto c = CaseForPost(env, who, store, ref, f, res);
  if (!c) return;
  Case u = *c;
  if (!u.financial) u.financial.emplace();
  std::string detail;
  if (const std::string remove = Field(f, "remove"); !remove.empty()) {
    size_t i = static_cast<size_t>(std::atoi(remove.c_str()));
    if (i >= u.financial->size()) return BackToCase(res, ref, false, "Ligne introuvable.");
    u.financial->erase(u.financial->begin() + static_cast<long>(i));
    detail = "Ligne financière supprimée";
  } else {
    const std::string kind = Field(f, "kind");
    if (!nomenclature::FinancialKind().Contains(kind)) {
      return BackToCase(res, ref, false, "Choisissez le type de la ligne financière.");
    }
    auto cents = ParseEuros(Field(f, "amount"));
    if (!cents) {
      return BackToCase(res, ref, false,
                        "Montant invalide : un nombre positif d'euros, par exemple 1 234,56.");
    }
    u.financial->push_back({kind, *cents});
    detail = "Ligne financière ajoutée : " + std::string(nomenclature::FinancialKind().Label(kind)) +
             " " + Euros(*cents);
  }
  if (auto s = store.UpdateCase(who.actor, u, {0, NowTimestamp(), who.user.name, "update", detail});
      !s) {
    return BackToCase(res, ref, false, FrenchError(s.error()));
  }
  BackToCase(res, ref, true, detail + ".");
}

// Stores an uploaded file and its row; "" on success, else a French message.
std::string SaveUpload(Env& env, const Signed& who, Store& store, const std::string& ref,
                       const httplib::MultipartFormData& file) {
  if (file.content.size() > 10u << 20) return "Le fichier dépasse 10 Mo.";
  auto type = SniffContentType(file.content);
  if (!type) return "Le fichier n'est ni un PDF, ni une image JPEG ou PNG.";
  auto key = env.documents.Save(file.content);
  if (!key) {
    LogError("upload: cannot store", key.error());
    return "Le fichier n'a pas pu être enregistré.";
  }
  DocumentMeta m;
  m.file_name = SafeFileName(file.filename);
  m.content_type = *type;
  m.size_bytes = static_cast<int64_t>(file.content.size());
  m.storage_key = *key;
  m.sha256 = Sha256Hex(file.content);
  m.uploaded_by = who.user.name;
  if (auto s = store.AddDocument(who.actor, ref, m); !s) {
    env.documents.Remove(*key);
    return FrenchError(s.error());
  }
  return {};
}

void CaseDocumentPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                      httplib::Response& res) {
  const std::string ref = req.matches[1];
  if (!store.GetCase(who.actor, ref)) {
    return SendErrorPage(env, res, 404, "Ce dossier n'existe pas ou ne vous est pas accessible.", &who);
  }
  auto it = req.files.find("file");
  if (it == req.files.end() || it->second.filename.empty() || it->second.content.empty()) {
    return BackToCase(res, ref, false, "Choisissez un fichier.");
  }
  const std::string err = SaveUpload(env, who, store, ref, it->second);
  if (!err.empty()) return BackToCase(res, ref, false, err);
  BackToCase(res, ref, true, "Document ajouté.");
}

void CaseDocumentGet(Env& env, Signed& who, Store& store, const httplib::Request& req,
                     httplib::Response& res) {
  const std::string ref = req.matches[1];
  const int64_t id = std::atoll(std::string(req.matches[2]).c_str());
  auto docs = store.Documents(who.actor, ref);  // authorizes: another fund's case is not found
  if (!docs) return SendErrorPage(env, res, 404, "Document introuvable.", &who);
  for (const DocumentMeta& m : *docs) {
    if (m.id != id) continue;
    auto bytes = env.documents.Read(m.storage_key);
    if (!bytes) return SendErrorPage(env, res, 404, "Document introuvable.", &who);
    store.Audit(who.actor, "document.download", ref + "/" + std::to_string(id));
    res.set_header("Content-Disposition",
                   "attachment; filename=\"document." + std::string(ExtensionOf(m.content_type)) +
                       "\"; filename*=UTF-8''" + httplib::detail::encode_query_param(m.file_name));
    res.set_header("Content-Security-Policy", "default-src 'none'; sandbox");
    res.set_content(std::move(*bytes), m.content_type);
    return;
  }
  SendErrorPage(env, res, 404, "Document introuvable.", &who);
}

// ---- Registering a request received by post, phone, front desk ----

void RegisterForm(Env& env, Signed& who, Store& store, const httplib::Request&,
                  httplib::Response& res, const std::string& error, const Fields* f) {
  Labels l(store);
  Data d;
  d.set("title", "Enregistrer une demande");
  List channels;
  for (const char* code : {"courrier", "telephone", "accueil", "courriel", "interne"}) {
    Data o;
    o.set("code", code);
    o.set("label", l.Of(nomenclature::Channel(), code));
    o.set("selected", f && Field(*f, "channel") == code);
    channels.push_back(o);
  }
  d.set("channels", channels);
  d.set("emitters", l.Options(nomenclature::Emitter(),
                              f ? std::vector<std::string>{Field(*f, "emitter")}
                                : std::vector<std::string>{},
                              true));
  List funds;
  if (auto orgs = store.ListOrganismes()) {
    for (const Organisme& o : *orgs) {
      if (!who.actor.CanSee(o.code)) continue;
      Data od;
      od.set("code", o.code);
      od.set("label", o.code + " — " + o.name);
      od.set("selected", f && Field(*f, "organisme") == o.code);
      funds.push_back(od);
    }
  }
  d.set("funds", funds);
  d.set("today", env.ctx->Today().ToString());
  if (f) {
    Data v;
    for (const char* k : {"received_on", "allocataire_number", "name", "description"}) {
      v.set(k, Field(*f, k));
    }
    d.set("v", v);
  }
  if (!error.empty()) d.set("error", error);
  SendPage(env, res, "enregistrer", d, &who, error.empty() ? 200 : 400);
}

void RegisterPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  const Fields f = FormFields(req);
  auto again = [&](const std::string& e) { RegisterForm(env, who, store, req, res, e, &f); };
  Submission sub;
  Case& c = sub.c;
  c.organisme = Field(f, "organisme");
  if (!who.actor.CanSee(c.organisme)) return again("Choisissez l'organisme.");
  const std::string channel = Field(f, "channel");
  if (!nomenclature::Channel().Contains(channel) || channel == "teleprocedure") {
    return again("Choisissez le mode de saisine.");
  }
  c.channel = channel;
  auto received = Date::Parse(Field(f, "received_on"));
  if (!received || *received > env.ctx->Today()) {
    return again("La date de réception est invalide ou dans le futur.");
  }
  c.received_on = *received;
  if (auto e = OptField(f, "emitter")) {
    if (!nomenclature::Emitter().Contains(*e)) return again("Émetteur inconnu.");
    c.emitter = e;
  }
  if (auto n = OptField(f, "allocataire_number")) {
    if (n->size() != 7 || !std::all_of(n->begin(), n->end(), ::isdigit)) {
      return again("Le numéro d'allocataire compte 7 chiffres.");
    }
    c.allocataire_number = n;
  }
  c.description = Field(f, "description");
  c.description.erase(std::remove(c.description.begin(), c.description.end(), '\r'),
                      c.description.end());
  if (c.description.empty() || c.description.size() > kMaxDescriptionBytes) {
    return again("Résumez la demande (obligatoire).");
  }
  c.state = CaseState::kReceived;
  if (const std::string name = Field(f, "name"); !name.empty()) {
    Person p;
    p.name = name.substr(0, 200);
    sub.people.push_back(p);
  }
  sub.event = {0, NowTimestamp(), who.user.name, "create",
               "Demande enregistrée par " + who.user.name + " (" +
                   std::string(nomenclature::Channel().Label(channel)) + ")"};
  std::string saved_key;
  auto it = req.files.find("scan");
  if (it != req.files.end() && !it->second.filename.empty() && !it->second.content.empty()) {
    const auto& file = it->second;
    if (file.content.size() > 10u << 20) return again("Le fichier dépasse 10 Mo.");
    auto type = SniffContentType(file.content);
    if (!type) return again("Le scan n'est ni un PDF, ni une image JPEG ou PNG.");
    auto key = env.documents.Save(file.content);
    if (!key) return again("Le scan n'a pas pu être enregistré.");
    saved_key = *key;
    DocumentMeta m;
    m.file_name = SafeFileName(file.filename);
    m.content_type = *type;
    m.size_bytes = static_cast<int64_t>(file.content.size());
    m.storage_key = *key;
    m.sha256 = Sha256Hex(file.content);
    m.uploaded_by = who.user.name;
    sub.documents.push_back(m);
  }
  auto ref = store.SubmitCase(who.actor, sub);
  if (!ref) {
    if (!saved_key.empty()) env.documents.Remove(saved_key);
    return again(FrenchError(ref.error()));
  }
  BackToCase(res, *ref, true, "Demande enregistrée sous la référence " + *ref + ".");
}

// ---- Figures ----

void FiguresPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res) {
  const Date today = env.ctx->Today();
  int year = today.year();
  if (req.has_param("annee")) {
    const std::string y = req.get_param_value("annee");
    if (y.size() == 4 && std::all_of(y.begin(), y.end(), ::isdigit)) year = std::stoi(y);
  }
  auto orgs = store.ListOrganismes();
  if (!orgs) return SendErrorPage(env, res, 500, "Lecture impossible.", &who);
  std::vector<std::string> visible;
  for (const Organisme& o : *orgs) {
    if (who.actor.CanSee(o.code)) visible.push_back(o.code);
  }
  const std::string wanted = req.get_param_value("organisme");
  std::vector<std::string> selected;
  if (!wanted.empty()) {
    if (std::find(visible.begin(), visible.end(), wanted) == visible.end()) {
      return SendErrorPage(env, res, 404, "Organisme inconnu.", &who);
    }
    selected = {wanted};
  } else {
    selected = visible;
  }
  Labels l(store);
  Data d;
  d.set("title", "Chiffres de l'année");
  List years;
  for (int y = today.year(); y >= today.year() - 5; --y) {
    Data yd;
    yd.set("year", std::to_string(y));
    yd.set("selected", y == year);
    years.push_back(yd);
  }
  d.set("years", years);
  List funds;
  for (const Organisme& o : *orgs) {
    if (!who.actor.CanSee(o.code)) continue;
    Data od;
    od.set("code", o.code);
    od.set("label", o.code + " — " + o.name);
    od.set("selected", o.code == wanted);
    funds.push_back(od);
  }
  d.set("funds", funds);
  d.set("all_selected", wanted.empty());
  d.set("year", std::to_string(year));
  if (selected.empty()) {
    d.set("nothing", true);
    return SendPage(env, res, "chiffres", d, &who);
  }
  auto fig = ComputeFigures(store, selected, year, today);
  if (!fig) {
    return SendErrorPage(env, res, 400, "Chiffres impossibles pour cette année.", &who);
  }
  const YearFigures& y = *fig;
  auto n = [](int64_t v) { return std::to_string(v); };
  d.set("received", n(y.received));
  d.set("inadmissible", n(y.inadmissible));
  d.set("inadmissible_rate", Percent(y.inadmissible_rate));
  d.set("closed", n(y.closed));
  auto days = [](std::optional<double> v, const char* unit) {
    if (!v) return std::string("—");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", *v);
    std::string s = buf;
    std::replace(s.begin(), s.end(), '.', ',');
    return s + " " + unit;
  };
  d.set("take_charge_avg", days(y.delays.take_charge_working_days_avg, "jours ouvrés"));
  d.set("answer_avg", days(y.delays.answer_calendar_days_avg, "jours"));
  d.set("answer_working_avg", days(y.delays.answer_working_days_avg, "jours ouvrés"));
  d.set("within_target", Percent(y.delays.take_charge_within_target_rate));
  d.set("fraud_rate", Percent(y.fraud_rate));
  d.set("revision_rate", Percent(y.revision_rate));
  List months;
  static const char* kMonths[] = {"janv.", "févr.", "mars", "avr.", "mai", "juin",
                                  "juil.", "août", "sept.", "oct.", "nov.", "déc."};
  for (int m = 0; m < 12; ++m) {
    Data md;
    md.set("month", kMonths[m]);
    md.set("count", n(y.monthly_received[static_cast<size_t>(m)]));
    months.push_back(md);
  }
  d.set("months", months);
  List quarters;
  for (const QuarterFigures& q : y.quarterly_take_charge) {
    Data qd;
    qd.set("quarter", "T" + std::to_string(q.quarter));
    qd.set("met", n(q.met));
    qd.set("missed", n(q.missed));
    qd.set("pending", n(q.pending));
    qd.set("rate", Percent(q.rate));
    quarters.push_back(qd);
  }
  d.set("quarters", quarters);
  List fin;
  for (const FinancialFigures& f : y.financial) {
    Data fd;
    fd.set("kind", l.Of(nomenclature::FinancialKind(), f.kind));
    fd.set("count", n(f.count));
    fd.set("amount", Euros(f.amount_cents));
    fin.push_back(fd);
  }
  d.set("financial", fin);
  static const std::pair<const char*, const char*> kTitles[] = {
      {"inadmissibility_reason", "Motifs d'irrecevabilité (demandes irrecevables)"},
      {"channel", "Mode de saisine"},
      {"emitter", "Émetteur"},
      {"prior_step", "Démarche préalable"},
      {"motive", "Motifs (plusieurs par dossier)"},
      {"benefit", "Prestations (plusieurs par dossier)"},
      {"cause", "Cause (côté Caf)"},
      {"resolution", "Résolution"},
      {"household", "Catégorie de foyer"},
      {"activity", "Activité"},
      {"qf_bracket", "Quotient familial"},
      {"response_mode", "Mode de réponse (plusieurs par dossier)"},
  };
  List breakdowns;
  for (const auto& [name, title] : kTitles) {
    const Breakdown* b = y.FindBreakdown(name);
    const Nomenclature* nom = nomenclature::Find(name);
    if (!b || !nom) continue;
    Data bd;
    bd.set("title", title);
    bd.set("id", std::string("t-") + name);
    bd.set("known", n(b->Known()));
    List rows;
    for (const auto& [code, count] : b->counts) {
      Data r;
      r.set("label", l.Of(*nom, code));
      r.set("count", n(count));
      r.set("share", Percent(b->Share(code)));
      rows.push_back(r);
    }
    bd.set("rows", rows);
    bd.set("unknown", n(b->unknown));
    breakdowns.push_back(bd);
  }
  d.set("breakdowns", breakdowns);
  Data tp;
  tp.set("received", n(y.teleprocedure.received));
  tp.set("inadmissible_rate", Percent(y.teleprocedure.inadmissible_rate));
  tp.set("closed", n(y.teleprocedure.closed));
  tp.set("share_of_closed", Percent(y.teleprocedure.share_of_closed));
  tp.set("revision_rate", Percent(y.teleprocedure.revision_rate));
  d.set("tp", tp);
  d.set("shown", true);
  SendPage(env, res, "chiffres", d, &who);
}

// ---- Administration ----

void AdminPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  Labels l(store);
  Data d;
  d.set("title", "Administration");
  List users;
  if (auto us = store.ListUsers()) {
    const std::string now = IsoUtcFromNow(0);
    for (const User& u : *us) {
      Data ud;
      ud.set("name", u.name);
      ud.set("display_name", u.display_name);
      ud.set("role", RoleCode(u.role));
      std::string funds;
      for (const std::string& o : u.organismes) funds += (funds.empty() ? "" : ", ") + o;
      ud.set("funds", u.all_funds ? "tous" : funds);
      ud.set("state", u.disabled ? "désactivé" : IsLocked(u, now) ? "verrouillé" : "actif");
      users.push_back(ud);
    }
  }
  d.set("users", users);
  List funds;
  if (auto os = store.ListOrganismes()) {
    for (const Organisme& o : *os) {
      Data od;
      od.set("code", o.code);
      od.set("name", o.name);
      od.set("zone", l.Of(nomenclature::Zone(), o.zone));
      od.set("whit", o.whit_monday_worked ? "travaillé" : "férié");
      funds.push_back(od);
    }
  }
  d.set("funds", funds);
  d.set("zones", l.Options(nomenclature::Zone(), {"metropole"}, false));
  List noms;
  for (const Nomenclature* n : nomenclature::All()) {
    Data nd;
    nd.set("name", std::string(n->name));
    List entries;
    for (const NomenclatureEntry& e : n->entries) {
      Data ed;
      ed.set("code", std::string(e.code));
      ed.set("label", l.Of(*n, e.code));
      ed.set("default", std::string(e.label));
      ed.set("id", "lbl-" + std::string(n->name) + "-" + std::string(e.code));
      entries.push_back(ed);
    }
    nd.set("entries", entries);
    noms.push_back(nd);
  }
  d.set("nomenclatures", noms);
  if (req.has_param("erreur")) d.set("flash_error", req.get_param_value("erreur"));
  if (req.has_param("ok")) d.set("flash_ok", req.get_param_value("ok"));
  SendPage(env, res, "administration", d, &who);
}

void BackToAdmin(httplib::Response& res, bool ok, const std::string& msg) {
  Redirect(res, std::string("/administration") + (ok ? "?ok=" : "?erreur=") +
                    httplib::detail::encode_query_param(msg));
}

void AdminUserPost(Env&, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  const Fields f = FormFields(req);
  User u;
  u.name = Field(f, "name");
  u.display_name = Field(f, "display_name");
  if (u.name.empty() || u.name.size() > 100 ||
      u.name.find_first_of(" \t\r\n/\\,;:\"'<>") != std::string::npos) {
    return BackToAdmin(res, false, "Identifiant invalide (sans espace ni ponctuation spéciale).");
  }
  auto role = RoleFromCode(Field(f, "role"));
  if (!role) return BackToAdmin(res, false, "Rôle inconnu.");
  u.role = *role;
  const std::string funds = Field(f, "organismes");
  if (funds == "*") {
    u.all_funds = true;
  } else {
    std::string cur;
    for (char ch : funds + ",") {
      if (ch == ',' || ch == ' ') {
        if (!cur.empty()) {
          if (!store.GetOrganisme(cur)) return BackToAdmin(res, false, "Organisme inconnu : " + cur);
          u.organismes.push_back(cur);
        }
        cur.clear();
      } else {
        cur += ch;
      }
    }
    if (u.organismes.empty()) return BackToAdmin(res, false, "Indiquez au moins un organisme.");
  }
  auto hash = HashPassword(Field(f, "password"));
  if (!hash) {
    return BackToAdmin(res, false, "Mot de passe refusé : " + std::to_string(kMinPasswordLength) +
                                       " caractères au moins.");
  }
  u.password_hash = *hash;
  if (auto id = store.CreateUser(u); !id) {
    return BackToAdmin(res, false, id.error().code == Error::Code::kConflict
                                       ? "Ce compte existe déjà."
                                       : "Création impossible.");
  }
  store.Audit(who.actor, "user.create", u.name);
  BackToAdmin(res, true, "Compte " + u.name + " créé.");
}

void AdminFundPost(Env&, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  const Fields f = FormFields(req);
  Organisme o;
  o.code = Field(f, "code");
  o.name = Field(f, "name");
  o.zone = Field(f, "zone");
  o.region = Field(f, "region");
  o.whit_monday_worked = Field(f, "whit_monday_worked") == "oui";
  if (o.code.size() != 3 || !std::all_of(o.code.begin(), o.code.end(), ::isdigit)) {
    return BackToAdmin(res, false, "Le code d'un organisme compte 3 chiffres.");
  }
  if (o.name.empty() || o.name.size() > 200) return BackToAdmin(res, false, "Indiquez le nom.");
  if (auto s = store.UpsertOrganisme(who.actor, o); !s) {
    return BackToAdmin(res, false, "Zone inconnue.");
  }
  BackToAdmin(res, true, "Organisme " + o.code + " enregistré.");
}

void AdminLabelsPost(Env&, Signed& who, Store& store, const httplib::Request& req,
                     httplib::Response& res) {
  const Fields f = FormFields(req);
  const Nomenclature* n = nomenclature::Find(Field(f, "nomenclature"));
  if (!n) return BackToAdmin(res, false, "Nomenclature inconnue.");
  int changed = 0;
  for (const NomenclatureEntry& e : n->entries) {
    const std::string key = "label_" + std::string(e.code);
    if (f.find(key) == f.end()) continue;
    std::string label = Field(f, key);
    if (label.size() > 200) return BackToAdmin(res, false, "Libellé trop long.");
    if (label == e.label) label.clear();  // back to the default
    if (auto s = store.SetLabelOverride(who.actor, {std::string(n->name), std::string(e.code), label});
        !s) {
      return BackToAdmin(res, false, "Enregistrement impossible.");
    }
    ++changed;
  }
  BackToAdmin(res, true, "Libellés de « " + std::string(n->name) + " » enregistrés.");
}

}  // namespace

void RegisterWorkspaceRoutes(httplib::Server& server, Env& env) {
  server.Get("/tableau", Page(env, Need::kCases, Dashboard));
  server.Get("/recherche", Page(env, Need::kCases, Search));
  const std::string ref = R"(/dossiers/([0-9]{3}-[0-9A-Za-z_-]{1,40}))";
  server.Get(ref, Page(env, Need::kCases, CasePage));
  server.Post(ref + "/evenement", Page(env, Need::kCases, CaseEventPost));
  server.Post(ref + "/modifier", Page(env, Need::kCases, CaseEditPost));
  server.Post(ref + "/notes", Page(env, Need::kCases, CaseNotePost));
  server.Post(ref + "/finances", Page(env, Need::kCases, CaseFinancialPost));
  server.Post(ref + "/documents", Page(env, Need::kCases, CaseDocumentPost));
  server.Get(ref + R"(/documents/([0-9]{1,18}))", Page(env, Need::kCases, CaseDocumentGet));
  server.Get("/enregistrer", Page(env, Need::kCases,
                                  [](Env& e, Signed& w, Store& s, const httplib::Request& q,
                                     httplib::Response& r) { RegisterForm(e, w, s, q, r, "", nullptr); }));
  server.Post("/enregistrer", Page(env, Need::kCases, RegisterPost));
  server.Get("/chiffres", Page(env, Need::kAny, FiguresPage));
  server.Get("/administration", Page(env, Need::kAdmin, AdminPage));
  server.Post("/administration/utilisateurs", Page(env, Need::kAdmin, AdminUserPost));
  server.Post("/administration/organismes", Page(env, Need::kAdmin, AdminFundPost));
  server.Post("/administration/libelles", Page(env, Need::kAdmin, AdminLabelsPost));
}

}  // namespace amiable::web::pages
