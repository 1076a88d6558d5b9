// The dashboard (/tableau: « Mes dossiers » and the work queues) and the
// list of every case with its filters and pages (/dossiers). Every case is
// read through the store as the signed-in user's Actor.
#include <httplib.h>

#include <algorithm>

#include "core/admissibility.h"
#include "core/french_format.h"
#include "service/fund_today.h"
#include "service/internal_requests.h"
#include "service/mail_intake.h"
#include "web/pages_internal.h"
#include "web/web_service.h"

namespace amiable::web::pages {
namespace {

Data QueueView(const char* key, const char* title, const char* hint, List rows, int64_t n,
               bool with_deadline) {
  Data q;
  q.set("key", key);
  q.set("title", title);
  q.set("hint", hint);
  q.set("count", std::to_string(n));
  q.set("empty", rows.empty());
  q.set("rows", rows);
  q.set("with_deadline", with_deadline);
  return q;
}

List Rows(const std::vector<Case>& cases, const RowContext& rc) {
  List rows;
  for (const Case& c : cases) rows.push_back(CaseRowView(c, rc));
  return rows;
}

// The received cases oldest first.
std::vector<const Case*> OldestFirst(const std::vector<Case>& cases) {
  std::vector<const Case*> out;
  for (const Case& c : cases) out.push_back(&c);
  std::stable_sort(out.begin(), out.end(),
                   [](const Case* a, const Case* b) { return a->received_on < b->received_on; });
  return out;
}

bool ToScreen(const AdmissibilitySuggestion& s) { return s.admissibility == "irrecevable"; }

// The received cases listed: the oldest kShownPerQueue of each queue.
std::vector<Case> ShownReceived(const std::vector<Case>& received) {
  std::vector<Case> out;
  size_t n_screen = 0, n_take = 0;
  for (const Case* c : OldestFirst(received)) {
    size_t& n = ToScreen(SuggestAdmissibility(*c)) ? n_screen : n_take;
    if (n++ < kShownPerQueue) out.push_back(*c);
  }
  return out;
}

}  // namespace

Data DashboardView(const DashboardInput& in, const RowContext& rc) {
  Data d;
  d.set("title", "Tableau de bord");
  d.set("today", rc.today.ToFrench());
  // Received cases: every one counts in its queue and in the late count;
  // only the oldest kShownPerQueue of each queue are listed.
  List screen, take;
  int64_t late = 0, n_screen = 0, n_take = 0;
  for (const Case* c : OldestFirst(in.received)) {
    if (IsLate(*c, rc.CalendarOf(c->organisme), rc.today)) ++late;
    const AdmissibilitySuggestion s = SuggestAdmissibility(*c);
    const bool to_screen = ToScreen(s);
    int64_t& n = to_screen ? n_screen : n_take;
    if (static_cast<size_t>(n++) >= kShownPerQueue) continue;
    Data row = CaseRowView(*c, rc);
    row.set("suggestion", s.explanation);
    (to_screen ? screen : take).push_back(std::move(row));
  }
  List queues;
  queues.push_back(QueueView("examiner", "À examiner (recevabilité douteuse)",
                             "Demandes reçues que la recevabilité suggérée donne hors médiation : "
                             "à déclarer irrecevables (avec orientation) ou à prendre en charge.",
                             screen, n_screen, true));
  queues.push_back(QueueView("prendre", "À prendre en charge",
                             "Demandes recevables à prendre en charge dans les 8 jours ouvrés "
                             "suivant leur réception.",
                             take, n_take, true));
  queues.push_back(QueueView("cours", "En cours", "Prises en charge et en instruction.",
                             Rows(in.in_progress.cases, rc), in.in_progress.total, false));
  queues.push_back(QueueView("attente", "En attente",
                             "En attente d'une commission ou d'une décision.",
                             Rows(in.on_hold.cases, rc), in.on_hold.total, false));
  queues.push_back(QueueView("repondu", "Répondues, à clôturer",
                             "Réponse envoyée : à clôturer avec la résolution et la cause.",
                             Rows(in.answered.cases, rc), in.answered.total, false));
  d.set("queues", queues);
  Data mine = QueueView("mes-dossiers", "Mes dossiers",
                        "Les dossiers dont vous êtes le médiateur, non clôturés.",
                        Rows(in.mine.cases, rc), in.mine.total, false);
  mine.set("more", in.mine.total > static_cast<int64_t>(in.mine.cases.size()));
  CaseListQuery by_me, late_only, closed;
  by_me.mediator = in.user;
  late_only.late = true;
  closed.state = CaseState::kClosed;
  mine.set("all_url", "/dossiers?" + CaseListQueryString(by_me, 1));
  d.set("mine", mine);
  Data handed = QueueView("confies", "Confiés par une autre Caf",
                          "Dossiers d'une autre Caf de la région qui vous ont été confiés après "
                          "le déport d'un médiateur : vous n'accédez qu'à ceux-là.",
                          Rows(in.handed, rc), static_cast<int64_t>(in.handed.size()), false);
  if (!in.handed.empty()) d.set("handed", handed);
  List failed;
  for (const OutboxMessage& m : in.failed_mail) {
    Data f;
    f.set("reference", m.case_reference);
    f.set("url", CaseUrl(m.case_reference) + "#correspondance");
    f.set("to", m.recipient);
    f.set("subject", m.subject);
    f.set("error", m.last_error);
    failed.push_back(f);
  }
  d.set("failed_mail", failed);
  d.set("has_failed_mail", !failed.empty());
  d.set("failed_mail_count", std::to_string(failed.size()));
  List pending;
  size_t pending_late = 0;
  for (const service::InternalRequestStatus& s : in.pending_requests) {
    const InternalRequest& r = s.request;
    Data p;
    p.set("reference", r.reference);
    p.set("url", CaseUrl(r.reference) + "#demandes-internes");
    p.set("service", r.service_label.empty() ? std::string("Service non précisé") : r.service_label);
    p.set("sent_on", fr::ShortDate(r.sent_on));
    p.set("due_on", fr::ShortDate(s.due_on));
    p.set("waiting", std::to_string(s.working_days) +
                         (s.working_days > 1 ? " jours ouvrés" : " jour ouvré"));
    p.set("late", s.late);
    if (s.late) ++pending_late;
    pending.push_back(p);
  }
  d.set("pending_requests", pending);
  d.set("has_pending_requests", !pending.empty());
  d.set("pending_requests_count", std::to_string(pending.size()));
  d.set("pending_requests_late", std::to_string(pending_late));
  d.set("late_count", std::to_string(late));
  d.set("has_late", late > 0);
  d.set("late_url", "/dossiers?" + CaseListQueryString(late_only, 1));
  d.set("closed_url", "/dossiers?" + CaseListQueryString(closed, 1));
  return d;
}

CaseListQuery ParseCaseListQuery(const Fields& f) {
  CaseListQuery q;
  q.state = StateFromCode(Field(f, "etat"));
  const std::string y = Field(f, "annee");
  if (y.size() == 4 && std::all_of(y.begin(), y.end(), ::isdigit)) {
    const int year = std::stoi(y);
    if (year > kFirstCalendarYear && year <= kLastCalendarYear) q.year = year;
  }
  const std::string m = Field(f, "mediateur");
  if (m.size() <= 100) q.mediator = m;
  q.late = Field(f, "retard") == "1";
  const std::string p = Field(f, "page");
  if (!p.empty() && p.size() <= 6 && std::all_of(p.begin(), p.end(), ::isdigit)) {
    q.page = std::max(1, std::stoi(p));
  }
  return q;
}

std::string CaseListQueryString(const CaseListQuery& q, int page) {
  std::string s;
  auto add = [&](const char* k, const std::string& v) {
    s += (s.empty() ? "" : "&") + std::string(k) + "=" + httplib::detail::encode_query_param(v);
  };
  if (q.state) add("etat", StateCode(*q.state));
  if (q.year) add("annee", std::to_string(*q.year));
  if (!q.mediator.empty()) add("mediateur", q.mediator);
  if (q.late) add("retard", "1");
  if (page > 1) add("page", std::to_string(page));
  return s;
}

Data CaseListView(const CaseListInput& in, const RowContext& rc) {
  const CaseListQuery& q = in.query;
  Data d;
  d.set("title", "Tous les dossiers");
  List states;
  {
    Data all;
    all.set("code", "");
    all.set("label", "Tous les états");
    all.set("selected", !q.state);
    states.push_back(all);
  }
  for (CaseState s : {CaseState::kReceived, CaseState::kInadmissible, CaseState::kTakenInCharge,
                      CaseState::kInProgress, CaseState::kOnHold, CaseState::kAnswered,
                      CaseState::kClosed}) {
    Data o;
    o.set("code", StateCode(s));
    o.set("label", StateLabel(s));
    o.set("selected", q.state == s);
    states.push_back(o);
  }
  d.set("states", states);
  List years;
  for (int y = in.last_year; y >= in.first_year; --y) {
    Data o;
    o.set("year", std::to_string(y));
    o.set("selected", q.year == y);
    years.push_back(o);
  }
  d.set("years", years);
  d.set("all_years", !q.year);
  List mediators;
  for (const auto& [name, display] : in.mediators) {
    Data o;
    o.set("name", name);
    o.set("label", display.empty() ? name : display);
    o.set("selected", q.mediator == name);
    mediators.push_back(o);
  }
  d.set("mediators", mediators);
  d.set("all_mediators", q.mediator.empty());
  d.set("late", q.late);
  List rows = Rows(in.cases, rc);
  d.set("empty", rows.empty());
  d.set("rows", rows);
  d.set("total", std::to_string(in.total));
  const int pages =
      std::max<int>(1, static_cast<int>((in.total + kListPageSize - 1) / kListPageSize));
  d.set("page", std::to_string(q.page));
  d.set("pages", std::to_string(pages));
  d.set("paged", pages > 1);
  d.set("has_prev", q.page > 1);
  d.set("has_next", q.page < pages);
  d.set("prev_url", "/dossiers?" + CaseListQueryString(q, q.page - 1));
  d.set("next_url", "/dossiers?" + CaseListQueryString(q, q.page + 1));
  return d;
}

namespace {

CaseFilter OpenFilter(Date today, CaseState state, int limit) {
  CaseFilter f;
  f.state = state;
  f.limit = limit;
  f.today = today;
  f.with_financial = false;
  return f;
}

// The cases of `states` (at most `limit` of each), and their total.
Result<Queue> ReadQueue(Store& store, const Actor& actor, Date today,
                        std::initializer_list<CaseState> states,
                        std::optional<std::string> assigned_to = std::nullopt) {
  Queue q;
  for (CaseState s : states) {
    CaseFilter f = OpenFilter(today, s, static_cast<int>(kShownPerQueue));
    f.assigned_to = assigned_to;
    int64_t t = 0;
    auto cases = store.ListCases(actor, f, &t);
    if (!cases) return Fail(cases.error());
    q.total += t;
    for (Case& c : *cases) q.cases.push_back(std::move(c));
  }
  return q;
}

void Dashboard(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  const Date today = env.ctx->TodayIn(service::ZoneOfActor(store, who.actor));
  DashboardInput in;
  in.user = who.user.name;
  auto received = store.ListCases(who.actor, OpenFilter(today, CaseState::kReceived, 0), nullptr);
  auto mine = ReadQueue(store, who.actor, today,
                        {CaseState::kTakenInCharge, CaseState::kInProgress, CaseState::kOnHold,
                         CaseState::kAnswered},
                        who.user.name);
  auto in_progress =
      ReadQueue(store, who.actor, today, {CaseState::kTakenInCharge, CaseState::kInProgress});
  auto on_hold = ReadQueue(store, who.actor, today, {CaseState::kOnHold});
  auto answered = ReadQueue(store, who.actor, today, {CaseState::kAnswered});
  if (!received || !mine || !in_progress || !on_hold || !answered) {
    return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  }
  in.received = std::move(*received);
  in.mine = std::move(*mine);
  in.in_progress = std::move(*in_progress);
  in.on_hold = std::move(*on_hold);
  in.answered = std::move(*answered);
  // A store without an outbox flags nothing.
  if (auto failed = store.FailedOutbox(who.actor, static_cast<int>(kShownPerQueue))) {
    in.failed_mail = std::move(*failed);
  }
  {
    WebService web(*env.ctx, store);
    service::InternalRequestService requests(store, web.clock());
    if (auto p = requests.Pending(service::Caller::OfUser(who.user),
                                  static_cast<int>(kShownPerQueue))) {
      in.pending_requests = std::move(*p);
    }
  }
  // Received mail: the messages that joined closed cases, the quarantine.
  std::vector<ReceivedMessageRow> flagged;
  size_t quarantined = 0;
  {
    WebService web(*env.ctx, store);
    service::MailIntake intake(store, web.clock(), ServerFiles());
    const service::Caller caller = service::Caller::OfUser(who.user);
    if (auto f = intake.Flagged(caller, static_cast<int>(kShownPerQueue))) flagged = std::move(*f);
    if (auto q = intake.Quarantine(caller, 0)) quarantined = q->size();
  }
  RowContext rc = LoadRowContext(store, today);
  // Names only of the rows shown (a backlog of received cases is not).
  std::vector<Case> shown;
  for (const Queue* q : {&in.mine, &in.in_progress, &in.on_hold, &in.answered}) {
    shown.insert(shown.end(), q->cases.begin(), q->cases.end());
  }
  const std::vector<Case> listed = ShownReceived(in.received);
  shown.insert(shown.end(), listed.begin(), listed.end());
  // A case the user's funds do not cover reached her list by an access
  // grant: a case handed by recusal.
  for (const Case& c : shown) {
    if (who.actor.CanSee(c.organisme)) continue;
    const bool seen = std::any_of(in.handed.begin(), in.handed.end(),
                                  [&](const Case& h) { return h.id == c.id; });
    if (!seen) in.handed.push_back(c);
  }
  LoadNames(store, who.actor, shown, rc);
  if (env.ctx->audit) {
    env.ctx->audit->Record(who.actor, "case.list", "/tableau");
  } else {
    store.Audit(who.actor, "case.list", "/tableau");
  }
  Data d = DashboardView(in, rc);
  DashboardMailView(flagged, quarantined, d);
  SetFlash(req, d);
  SendPage(env, res, "tableau", d, &who);
}

void CaseList(Env& env, Signed& who, Store& store, const httplib::Request& req,
              httplib::Response& res) {
  const Date today = env.ctx->TodayIn(service::ZoneOfActor(store, who.actor));
  CaseListInput in;
  in.query = ParseCaseListQuery(FormFields(req));
  const CaseListQuery& q = in.query;
  in.first_year = today.year() - 10;
  in.last_year = today.year();
  CaseFilter f;
  f.state = q.state;
  f.year = q.year;
  if (!q.mediator.empty()) f.assigned_to = q.mediator;
  f.today = today;
  f.with_financial = false;
  RowContext rc = LoadRowContext(store, today);
  if (q.late) {
    // Late is a received case past its deadline (the API's "overdue"):
    // read the received ones and keep those, with the rule of the rows.
    if (q.state && *q.state != CaseState::kReceived) {
      in.total = 0;
    } else {
      f.state = CaseState::kReceived;
      f.limit = 0;
      auto all = store.ListCases(who.actor, f, nullptr);
      if (!all) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
      std::vector<Case> late;
      for (Case& c : *all) {
        if (IsLate(c, rc.CalendarOf(c.organisme), today)) late.push_back(std::move(c));
      }
      in.total = static_cast<int64_t>(late.size());
      const size_t from = static_cast<size_t>(q.page - 1) * kListPageSize;
      for (size_t i = from; i < late.size() && i < from + kListPageSize; ++i) {
        in.cases.push_back(std::move(late[i]));
      }
    }
  } else {
    f.limit = kListPageSize;
    f.offset = (q.page - 1) * kListPageSize;
    auto cases = store.ListCases(who.actor, f, &in.total);
    if (!cases) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
    in.cases = std::move(*cases);
  }
  if (auto users = store.ListUsers()) {
    for (const User& u : *users) {
      if (u.role != Role::kMediator && u.role != Role::kManager) continue;
      bool shares = who.actor.all_funds || u.all_funds;
      for (const std::string& o : u.organismes) shares = shares || who.actor.CanSee(o);
      if (shares) in.mediators.emplace_back(u.name, u.display_name);
    }
  }
  LoadNames(store, who.actor, in.cases, rc);
  // A list of cases is a read of them: audited (filters only, no names).
  const std::string filter = "/dossiers?" + CaseListQueryString(q, q.page);
  if (env.ctx->audit) {
    env.ctx->audit->Record(who.actor, "case.list", filter);
  } else {
    store.Audit(who.actor, "case.list", filter);
  }
  Data d = CaseListView(in, rc);
  SendPage(env, res, "dossiers", d, &who);
}

}  // namespace

void RegisterDashboardRoutes(httplib::Server& server, Env& env) {
  server.Get("/tableau", Guarded(env, Need::kCases, Dashboard));
  server.Get("/dossiers", Guarded(env, Need::kCases, CaseList));
}

}  // namespace amiable::web::pages
