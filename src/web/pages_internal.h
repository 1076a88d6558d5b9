// Shared by the page route files (pages*.cc). Internal.
//
// Every page route is wrapped by Guarded() (one guard: session, role, CSRF);
// handlers read what they need, call the view builder of their page (pure:
// plain data in, the template's data out; unit-tested without HTTP) and send
// the page. Flash messages travel as catalogue keys (core/messages.h) in
// ?ok= / ?erreur=; a key the catalogue does not know shows nothing.
#ifndef AMIABLE_WEB_PAGES_INTERNAL_H_
#define AMIABLE_WEB_PAGES_INTERNAL_H_

#include <kainjow/mustache.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "calendar/calendar.h"
#include "core/conflict.h"
#include "core/messages.h"
#include "core/nomenclature.h"
#include "figures/figures.h"
#include "service/accounts_service.h"
#include "service/thread.h"
#include "service/internal_requests.h"
#include "store/store.h"
#include "web/routes.h"
#include "web/session.h"
#include "web/upload.h"
#include "web/upload_form.h"

namespace amiable::web::pages {

using Data = kainjow::mustache::data;
using List = kainjow::mustache::list;

struct Env {
  Context* ctx = nullptr;
  std::string web_root;
  DocumentFolder documents{"var/documents"};
  std::string public_organisme;  // "" = the only fund
  FormTokens form_tokens;
  SignInLimits sign_in_limits;
  std::unique_ptr<RateLimiter> form_limiter;
  std::string sso_name;  // the OpenID Connect provider's name; "" = no SSO
};

// A signed-in page request.
struct Signed {
  User user;
  Actor actor;
  WebSession session;
  bool needs_second_factor = false;  // sent to /compte/second-facteur until enrolled
};

// Form fields of a urlencoded or multipart body (multipart plain fields
// arrive in req.files with an empty file name), and of the query string.
using Fields = std::multimap<std::string, std::string>;
Fields FormFields(const httplib::Request& req);
// The fields of a POST body alone (urlencoded or multipart plain fields),
// never the query string: where the CSRF token is read from.
Fields BodyFields(const httplib::Request& req);
std::string Field(const Fields& f, const std::string& name);
std::vector<std::string> FieldAll(const Fields& f, const std::string& name);

// Renders web/templates/<name>.mustache into the layout and sets the
// response (200 unless `status`). `data` gets title, user, csrf, nav flags.
void SendPage(Env& env, httplib::Response& res, std::string_view name, Data& data,
              const Signed* who, int status = 200);
std::string RenderTemplate(Env& env, std::string_view name, Data& data);
// Renders a template alone (htmx partial updates).
void SendFragment(Env& env, httplib::Response& res, std::string_view name, Data& data);
void Redirect(httplib::Response& res, const std::string& to);
// The options of a fund selector: {code, label "631 — Caf du …", selected}.
List FundOptions(std::span<const Organisme> funds, std::string_view selected);
// An error page in the layout.
void SendErrorPage(Env& env, httplib::Response& res, int status, std::string_view message,
                   const Signed* who);

// The session of the request, or nullopt (not signed in, expired, disabled).
std::optional<Signed> CurrentUser(Env& env, Store& store, const httplib::Request& req);
// True when the csrf field of `body` (BodyFields) matches the session's token.
bool CsrfOk(const Signed& who, const Fields& body);

// ---- Sign-in (pages_signin.cc) ----

// The sign-in page, with `error` (may be empty) and the SSO button when
// OpenID Connect is configured.
void SignInForm(Env& env, const httplib::Request& req, httplib::Response& res,
                const std::string& error, const std::string& name, int status);
// The OpenID Connect routes (pages_oidc.cc): GET /connexion/oidc and
// GET /connexion/oidc/retour; nothing when AMIABLE_OIDC_ISSUER is unset.
void RegisterOidcRoutes(httplib::Server& server, Env& env);

// ---- Partner access (pages_partner.cc) ----

// The partner pages (/partenaire...) and the mediator's partner forms.
void RegisterPartnerRoutes(httplib::Server& server, Env& env);
// The case page's « Partenaires » section (partners_section in `d`): the
// partners of the case, the grant form, the exchange and its post form.
// Sets nothing when the caller may not see them.
void AddPartnerSection(Env& env, Store& store, const service::Caller& caller,
                       const std::string& ref, Data& d);

// ---- The guard of every page route ----

// What a page needs of the signed-in user: any role, a case role (not a
// statistics reader), the administrator role.
enum class Need { kAny, kCases, kAdmin };

using Handler = std::function<void(Env&, Signed&, Store&, const httplib::Request&,
                                   httplib::Response&)>;

// The guard's decision, pure (unit-tested): kPass, or why the request stops.
enum class Verdict { kPass, kSignIn, kSessionExpired, kRole, kCsrf };
Verdict Judge(const Signed* who, Need need, bool is_post, const Fields& body);

// Wraps a page route: a store lease (503 without one), the session (a GET
// without one goes to /connexion, a POST gets 403), the role `need` (403),
// the CSRF token of the POST body on every POST (403); then calls `h`.
// (The type is httplib::Server::Handler, spelled out: httplib.h is not
// included here.)
using Route = std::function<void(const httplib::Request&, httplib::Response&)>;
Route Guarded(Env& env, Need need, Handler h);

// ---- Routes that accept files (pages_upload.cc) ----

// A signed-in POST whose body was streamed (web/upload_form.h): its plain
// fields and its files, already in the document folder.
using UploadHandler = std::function<void(Env&, Signed&, Store&, const httplib::Request&,
                                         httplib::Response&, StreamedForm&)>;
// Registers POST `pattern` with Guarded's checks, the body streamed: the
// session and the role before anything is read (refused: the body is read
// and dropped), files written only when the csrf field, which the forms
// put first, matches; then the CSRF check of Guarded on the fields; a body
// cut or with fields over their cap is refused (400, 413).
void PostUpload(httplib::Server& server, const std::string& pattern, Env& env, Need need,
                const StreamLimits& limits, UploadHandler h);
// The plain fields of a streamed form and the query string (FormFields's
// counterpart).
Fields StreamedFields(const httplib::Request& req, const StreamedForm& form);

// ---- Refused forms ----

// Sets "err" (each field's message, by field), "errors" (the summary: field,
// message) and "has_errors" from `errors`, items with .field and .message.
template <class Errors>
void SetFieldErrors(Data& d, const Errors& errors) {
  Data err;
  List summary;
  for (const auto& e : errors) {
    err.set(e.field, e.message);
    Data s;
    s.set("field", e.field);
    s.set("message", e.message);
    summary.push_back(s);
  }
  d.set("err", err);
  d.set("errors", summary);
  d.set("has_errors", !summary.empty());
}

// ---- Flash messages, by catalogue key only ----

// Sets flash_ok / flash_error to the catalogue text of the keys; an unknown
// or empty key sets nothing (a URL never prints text of its own).
void SetFlash(std::string_view ok_key, std::string_view error_key, Data& d);
// The same from the request's ?ok= and ?erreur=.
void SetFlash(const httplib::Request& req, Data& d);
// `url` with ?ok=<key> (ok) or ?erreur=<key> appended ("&" when `url` has a
// query already). `key` must be a catalogue key without placeholders.
std::string WithFlash(const std::string& url, bool ok, std::string_view key);
// The key a redirect shows for `e`: its own key when its text needs no
// argument, else the generic key of its class (error.conflict...).
std::string_view FlashKey(const Error& e);
// What a page rendered in answer to a POST shows for `e`: the French text of
// its key (e.message for a keyed error), else the generic text of its class.
std::string ErrorText(const Error& e);
// The generic text of the class, and e.message as a detail when it is not
// keyed (until every refusal is keyed: the lead's service layer).
std::string ErrorTextWithDetail(const Error& e);
// HTTP status of a refusal rendered in answer to a POST.
int ErrorStatus(const Error& e);

// ---- French names ----

// "Médiateur", "Responsable", "Administrateur", "Lecteur de statistiques".
const char* RoleLabel(Role r);

// Labels with the store's overrides.
class Labels {
 public:
  Labels() = default;  // the defaults of core/nomenclature.h
  explicit Labels(Store& store);
  // "name.code" -> label (tests).
  explicit Labels(std::map<std::string, std::string> overrides)
      : overrides_(std::move(overrides)) {}
  std::string Of(const Nomenclature& n, std::string_view code) const;
  // Options of a <select>: {code, label, selected} (+ an empty first one).
  List Options(const Nomenclature& n, const std::vector<std::string>& selected,
               bool empty_first) const;

 private:
  std::map<std::string, std::string> overrides_;  // "name.code" -> label
};

// French formats: "26/11/2026", "128 120,06 €" (narrow no-break spaces).
std::string FrenchDate(const std::optional<Date>& d);
std::string Euros(int64_t cents);
std::string Percent(std::optional<double> rate);
// "1 234,56" / "1234.5" / "12" -> cents; nullopt when not a positive amount.
std::optional<int64_t> ParseEuros(std::string_view text);
std::string ClientAddress(const httplib::Request& req);

// ---- Case lists (dashboard, /dossiers, search) ----

// What a case row needs besides the case: plain data, filled by the caller
// from the store once per request.
struct RowContext {
  Date today;
  std::map<std::string, WorkCalendar> calendars;   // by fund; absent = metropole
  std::unordered_map<int64_t, std::string> names;  // beneficiaries by case id
  std::map<std::string, std::string> user_names;   // display names by user name
  std::map<std::string, std::string> fund_names;   // "631 — Caf du Puy-de-Dôme" by code

  WorkCalendar CalendarOf(const std::string& fund) const;
  std::string UserName(const std::string& user) const;  // "—" for ""
};
// Reads the calendars of every fund and the display names of every user.
RowContext LoadRowContext(Store& store, Date today);
// Adds the beneficiaries' names of `cases` (one query).
void LoadNames(Store& store, const Actor& actor, const std::vector<Case>& cases, RowContext& rc);

// One row: reference, url, received_on, state, state_code, organisme,
// fund (its code and name), allocataire_number, names, excerpt, assigned_to
// (display name), deadline_on,
// days_left, late (only a case not taken in charge past its deadline: the
// API's "overdue"), age (working days since reception, for a case in
// progress, else ""). Every key is set on every row (mustache looks a
// missing key up in the enclosing data).
Data CaseRowView(const Case& c, const RowContext& rc);
// Working days from reception to `today` for a case in progress (taken in
// charge, in progress, on hold, answered); nullopt otherwise.
std::optional<int> AgeInWorkingDays(const Case& c, WorkCalendar cal, Date today);
// The API's rule: not taken in charge and past the 8-working-day deadline.
bool IsLate(const Case& c, WorkCalendar cal, Date today);
std::string Excerpt(const std::string& text, size_t max = 90);
std::string CaseUrl(const std::string& ref);
// An ISO UTC timestamp ("2026-02-02T09:15:00Z") as the local time of `zone`
// ("02/02/2026 10:15"); text that is not one is shown as it is.
std::string DateTimeFr(const std::string& at, Zone zone = Zone::kMetropole);

// ---- View builders (pure: plain data in, the template's data out) ----

// /tableau. `received`: every received case; the other queues hold the
// cases shown (at most a page) and the total of their filter.
struct Queue {
  std::vector<Case> cases;
  int64_t total = 0;
};
struct DashboardInput {
  std::string user;              // the signed-in user's name (« Mes dossiers »)
  std::vector<Case> received;    // every case in state received
  Queue mine, in_progress, on_hold, answered;
  // The cases of another fund handed to the user by a recusal (a per-case
  // access grant): listed apart with their fund named.
  std::vector<Case> handed;
  // The messages given up (state failed) of the cases the user sees, newest
  // first: each flags its case (« Envoi en échec ») for another mode.
  std::vector<OutboxMessage> failed_mail;
  // The internal requests awaiting an answer on the cases the user sees,
  // oldest sent first (« Demandes internes en attente »).
  std::vector<service::InternalRequestStatus> pending_requests;
};
inline constexpr size_t kShownPerQueue = 50;
Data DashboardView(const DashboardInput& in, const RowContext& rc);

// /dossiers?etat=&annee=&mediateur=&retard=1&page=N. Unknown values are
// ignored (the filter is then off).
struct CaseListQuery {
  std::optional<CaseState> state;
  std::optional<int> year;
  std::string mediator;  // user name; "" = every mediator
  bool late = false;     // only the cases past their take-in-charge deadline
  int page = 1;          // 1-based
};
inline constexpr int kListPageSize = 50;
CaseListQuery ParseCaseListQuery(const Fields& query);
// "etat=closed&annee=2025&page=2"; the page is left out when 1.
std::string CaseListQueryString(const CaseListQuery& q, int page);
struct CaseListInput {
  CaseListQuery query;
  std::vector<Case> cases;  // the page
  int64_t total = 0;        // of the whole filter
  std::vector<std::pair<std::string, std::string>> mediators;  // name, display name
  int first_year = 0, last_year = 0;  // the year selector
};
Data CaseListView(const CaseListInput& in, const RowContext& rc);

// A form of the case page the service refused, shown again in place: the
// form (its key below), the French message tied to `field`, the values the
// user typed, and — when the change touches a published year — the
// confirmation box.
// Form keys: "edit" (qualification), "event:<name>", "finances" (add),
// "finances-remove:<index>", "person:<id>" (0 = a new one),
// "person-remove:<id>", "note", "document", "lift:<recusal id>".
struct CaseFormRefusal {
  std::string form;
  std::string field;
  std::string message;
  bool confirm_published = false;  // show « Je confirme cette modification… »
  Fields posted;
};

// A mediator who may receive a case by recusal.
struct Receiver {
  std::string name;
  std::string label;   // "Paul Martin — 632 Caf de l'Allier"
  bool same_fund = false;
};

// /dossiers/{ref}: what the case page shows, read by its handler from the
// service (CaseService::Get, Assess, ReceivingMediators).
struct CasePageInput {
  Case c;
  std::vector<Person> people;
  std::vector<Note> notes;
  std::vector<DocumentMeta> documents;
  std::vector<CaseEvent> history;
  std::vector<Recusal> recusals;
  std::vector<service::ThreadEntry> thread;      // the conversation, oldest first
  std::vector<std::string_view> allowed_events;  // empty: those of the state
  bool locked = false;                           // closed or inadmissible: read-only
  std::optional<ConflictAssessment> conflict;    // the signed-in user's, when relevant
  std::vector<Receiver> receivers;               // for the recusal form
  std::string user;                              // the signed-in user's name
  // What the page offers (the service decides; these only hide buttons).
  bool may_reopen = false;   // the assigned mediator or the hierarchy
  bool may_recuse = false;   // the mediator concerned or the hierarchy
  bool may_lift = false;     // the hierarchy of the fund
  std::string assigned_to_name;                 // display name of the mediator in charge
  std::map<std::string, std::string> user_names;  // display names (recusals)
  std::string organisme_label;                  // "631 — Caf du Puy-de-Dôme"
  WorkCalendar calendar;                        // of the case's fund
  Date today;
  const CaseFormRefusal* refused = nullptr;     // a form shown again
  // Internal requests (G@ci) of the case and the active services of its
  // fund for the form (pages_case_internal.cc).
  std::vector<service::InternalRequestStatus> internal_requests;
  std::vector<FundService> services;
};
Data CasePageView(const CasePageInput& in, const Labels& labels);
// Its « Correspondance »: one row per thread entry, oldest first
// (pages_case_thread.cc).
List CorrespondenceRows(const CasePageInput& in);
// The French label of a report field of the closing check ("Mode de saisine").
std::string ReportFieldLabel(std::string_view field);

// The case routes' pattern: /dossiers/{ref} (matches[1] is the reference).
inline constexpr const char* kCaseRoute = R"(/dossiers/([0-9]{3}-[0-9A-Za-z_-]{1,40}))";
// Renders the case page (404 when the actor does not see it) with `status`,
// `refused` as the form shown again when not null, and the flash of
// `flash_from`'s query when not null.
void SendCasePage(Env& env, Signed& who, Store& store, const std::string& ref,
                  httplib::Response& res, int status, const CaseFormRefusal* refused,
                  const httplib::Request* flash_from);
// The POST routes of the case page (pages_case_forms.cc).
void RegisterCaseFormRoutes(httplib::Server& server, Env& env);
// The section « Demandes internes » of the case page into `d`, and its POST
// routes /dossiers/{ref}/demandes-internes[/{id}/reponse] (pages_case_internal.cc).
void InternalRequestsView(const CasePageInput& in, Data& d);
void RegisterInternalRequestFormRoutes(httplib::Server& server, Env& env);
// The internal requests of the case page's section (and the services of
// its fund), read through the service; empty on error.
void LoadInternalRequests(Env& env, Store& store, const service::Caller& caller,
                          std::string_view reference, std::string_view organisme,
                          CasePageInput& in);

// ---- Received mail (pages_mail.cc) ----

// /courriel/quarantaine: the open quarantine entries of the funds the user
// sees, each with its actions; `refused_id` names the entry whose discard
// was refused (its message on the reason field, the text typed kept).
struct QuarantineInput {
  std::vector<ReceivedMessageRow> rows;
  std::map<std::string, std::string> fund_names;  // "631 — Caf du Puy-de-Dôme" by code
  int64_t refused_id = 0;
  std::string refused_message;
  std::string refused_reason;
};
Data QuarantineView(const QuarantineInput& in);
// The dashboard's « Messages reçus sur des dossiers clos » (flagged, with a
// « Vu » button each) and the quarantine's count and link, into `d`.
void DashboardMailView(const std::vector<ReceivedMessageRow>& flagged, size_t quarantined,
                       Data& d);
// The URL of the original message of a received row (.eml download).
std::string ReceivedEmlUrl(int64_t id);
// The download of a received row's raw message as message.eml (attachment,
// nosniff): 404 unless the row's fund is seen by `who` (store GetReceived).
void SendReceivedEml(Env& env, Signed& who, Store& store, int64_t id, httplib::Response& res);
// POST /enregistrer/courriel (multipart: organisme, eml): the file goes
// through MailIntake::TakeIn(organisme, bytes, "upload") for a fund the user
// sees, then to its case (new case, thread) or the quarantine with a flash;
// a refusal shows the registration form again, tied to r-eml / r-eml-org.
void EmlUploadPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res);
// The route's handler (PostUpload): the .eml streamed to disk (at most
// kMaxEmlBytes), read back, then as EmlUploadPost.
inline constexpr uint64_t kMaxEmlBytes = 25u << 20;
void EmlUploadStreamed(Env& env, Signed& who, Store& store, const httplib::Request& req,
                       httplib::Response& res, StreamedForm& form);
// /courriel/quarantaine and its POSTs, the .eml download, « Vu » of the
// dashboard, and POST /enregistrer/courriel (an .eml dropped on the
// registration page).
void RegisterMailRoutes(httplib::Server& server, Env& env);

// /recherche: `found` null before a search.
Data SearchView(const std::string& q, const std::vector<Case>* found, int64_t total,
                const RowContext& rc);

// /enregistrer: the funds the user sees, the posted fields when the form is
// shown again with `error` tied to the field `error_field` (the service's
// Error::field: "received_on", "people.emitter.email"...).
Data RegisterView(const std::vector<Organisme>& funds, const Labels& labels, Date today,
                  const Fields* posted, const std::string& error,
                  const std::string& error_field = "");
// Sends /enregistrer (the form shown again with `error` when given).
void SendRegisterForm(Env& env, Signed& who, Store& store, httplib::Response& res,
                      const Error* error, const Fields* f);

// /chiffres.
struct FiguresInput {
  int this_year = 0;
  int year = 0;
  std::string wanted;                  // the fund chosen; "" = all the user's
  std::vector<Organisme> funds;        // those the user sees
  const YearFigures* figures = nullptr;  // null: no fund to show
};
Data FiguresView(const FiguresInput& in, const Labels& labels);
// The funds of the figures pages (/chiffres, /chiffres/annees): those `who`
// sees, and those chosen by ?organisme= (`wanted`: one of them; "" = all of
// them). kNotFound (figures.organisme_unknown) when `wanted` is not one of
// them; store errors as they come.
struct FiguresFunds {
  std::vector<Organisme> visible;
  std::string wanted;
  std::vector<std::string> selected;
};
Result<FiguresFunds> FiguresFundsOf(Store& store, const Signed& who, std::string wanted);

// /chiffres/annees (pages_years.cc): the key figures of every year of the
// database for the funds chosen, one column per year (report/years.h).
struct YearsInput {
  std::string wanted;                 // the fund chosen; "" = all the user's
  std::vector<Organisme> funds;       // those the user sees
  std::vector<YearFigures> years;     // ascending; empty: no case
  bool no_fund = false;               // the user sees no fund
};
Data YearsView(const YearsInput& in);
void RegisterYearsRoutes(httplib::Server& server, Env& env);  // /chiffres/annees...

// The fund form as posted and why it was refused (its message and field),
// shown again with the error tied to its field.
struct FundForm {
  Organisme posted;
  std::string error;  // French
  std::string field;  // "code", "name", "zone", "region"; "" = the whole form
};
// /administration: accounts (French role names, state at `now`, an ISO UTC
// timestamp), funds (zone and region by their labels), nomenclatures (French
// titles, the labels of each code); the fund form (the region a <select> of
// the 18 INSEE regions), filled from `form` when given.
Data AdminView(const std::vector<User>& users, const std::vector<Organisme>& funds,
               const Labels& labels, const std::string& now, const FundForm* form = nullptr);
// The "Courrier électronique" section of /administration (pages_admin_mail.cc):
// the fund chosen, its mailbox, relay and emitter rules (no password, only
// where it is read from), filled from `form` (a refused post) when given.
struct MailForm {
  std::string which;  // "mailbox", "smtp", "emitter"
  MailboxSettings mailbox;
  SmtpFundSettings smtp;
  EmitterRule rule;
  std::string error;  // French
  std::string field;
};
Data AdminMailView(const std::vector<Organisme>& funds, std::string_view organisme,
                   const std::optional<MailboxSettings>& mailbox,
                   const std::optional<SmtpFundSettings>& smtp,
                   const std::vector<EmitterRule>& rules, const Labels& labels,
                   const MailForm* form = nullptr);
void RegisterAdminMailRoutes(httplib::Server& server, Env& env);
// ---- Accounts (pages_admin_accounts.cc; issue 9, part 4) ----
// The « Comptes » rows of /administration: name, display_name, role, funds,
// email, state, sign_in, sso, last_sign_in, can_disable (not `self`),
// can_enable.
List AccountRows(const std::vector<service::AccountView>& accounts,
                 const std::vector<Organisme>& funds, std::string_view self,
                 const std::string& now);
// The token rows: id, user, label, created, last_used, revoked, state.
List TokenRows(const std::vector<ApiTokenInfo>& tokens);
// Sets users, tokens, has_tokens of the administration page for `who`
// (the accounts it administers); false (logged) when they cannot be read.
bool SetAccountsSection(Store& store, Signed& who, const std::vector<Organisme>& funds, Data& d);
// /compte: name, display_name, role, email, sso, last_sign_in, tokens.
Data AccountPageView(const service::AccountView& me, const std::vector<ApiTokenInfo>& tokens);
void RegisterAccountRoutes(httplib::Server& server, Env& env);
// The French title of a nomenclature ("Mode de saisine"), its name when unknown.
std::string NomenclatureTitle(std::string_view name);

// ---- Sign-in (pages_signin.cc) ----

// Opens a browser session for `user`, who has been authenticated in full
// (password and second factor, or single sign-on): creates the session,
// sets its cookie, writes the audit row `audit_action` ("signin",
// "signin.sso"...) and redirects to the user's home page (/tableau, or
// /chiffres for roles that see no case). A local account (no sso_subject)
// of a role that must have a second factor (serve --require-second-factor:
// administrators and managers) and has none is sent to the enrolment page
// /compte/second-facteur instead. A disabled user is refused (the sign-in
// form with the one refusal message, 401). Errors of the store: 500 page.
void StartSession(Env& env, Store& store, const User& user, const httplib::Request& req,
                  httplib::Response& res, std::string_view audit_action = "signin");
// /connexion, /connexion/code, /deconnexion, /compte/second-facteur...
void RegisterSignInRoutes(httplib::Server& server, Env& env);

// Route registration, one per page file.
void RegisterPublicRoutes(httplib::Server& server, Env& env);     // /demande, /demande/recu
// /donnees-personnelles, /accessibilite, /administration/pages-publiques (pages_privacy.cc)
void RegisterPrivacyRoutes(httplib::Server& server, Env& env);
// The paragraphs of a public text ({heading} or {text} each; pages_privacy.cc).
List PublicTextBlocks(std::string_view text);
void RegisterDashboardRoutes(httplib::Server& server, Env& env);  // /tableau, /dossiers
void RegisterCaseRoutes(httplib::Server& server, Env& env);       // /dossiers/{ref}...
void RegisterSearchRoutes(httplib::Server& server, Env& env);     // /recherche
void RegisterRegisterRoutes(httplib::Server& server, Env& env);   // /enregistrer
void RegisterFiguresRoutes(httplib::Server& server, Env& env);    // /chiffres
void RegisterAdminRoutes(httplib::Server& server, Env& env);      // /administration...
// The annual report: /rapport, /rapport/telecharger, /rapport/textes, /qualite.
void RegisterReportRoutes(httplib::Server& server, Env& env);
// The fund's logo and colour for the report: /marque, /marque/logo (pages_branding.cc).
void RegisterBrandingRoutes(httplib::Server& server, Env& env);
// The météo's typed figures and the context figures: /rapport/meteo (pages_meteo.cc).
void RegisterMeteoRoutes(httplib::Server& server, Env& env);
// The user's own interest links: /liens-interets, /liens-interets/supprimer.
void RegisterInterestRoutes(httplib::Server& server, Env& env);

}  // namespace amiable::web::pages

#endif  // AMIABLE_WEB_PAGES_INTERNAL_H_
