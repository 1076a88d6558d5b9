// The annual report in the workspace (issue 4):
//   GET  /rapport?annee=&organisme=            the report of a year embedded as
//        HTML, its consistency problems, the download buttons
//   GET  /rapport/telecharger?annee=&organisme=&format=pdf|xlsx|csv[&incomplet=oui]
//   GET  /rapport/styles.css[?couleur=#RRGGBB]  the embedded report's stylesheet
//   GET  /rapport/textes, POST /rapport/textes the sections the mediator writes
//        (pages_report_texts.cc)
//   POST /rapport/publier                      marks the year of a fund published
//   GET  /qualite?annee=&organisme=            the cases to fix before the report,
//        and the changes made after publication
//   GET  /qualite/telecharger?annee=&organisme= the list of cases to fix as CSV
//        (report::RenderProblemsCsv); the report itself never lists a case
//
// Authorization: the figures count every case of whole funds (the period
// scans take no actor), so the funds are chosen here, among those the
// signed-in user sees: another fund is "not found"; "every fund" only for
// all-funds users. Every list that names a case (the problems of the
// consistency check on /rapport, /qualite and in the annex of the PDF, XLSX
// and CSV files, the changes after publication) is read through the store
// with the signed-in user (report::KeepVisible, ChangesAfterPublication):
// a mediator recused from a case never finds it there, a statistics reader
// finds no case and gets the counts per kind of problem instead. The texts
// need a case role and live in the database (report::DbReportStore as the
// signed-in user: the store refuses a fund she may not write); publishing,
// the hierarchy of the fund (the service's rule).
#include <httplib.h>

#include <algorithm>
#include <functional>
#include <optional>

#include "calendar/calendar.h"
#include "core/french_format.h"
#include "report/report.h"
#include "report/writers.h"
#include "store/report_data.h"
#include "web/pages_internal.h"
#include "web/pages_report_internal.h"
#include "web/web_service.h"

namespace amiable::web::pages {
namespace {

std::string Encode(const std::string& s) { return httplib::detail::encode_query_param(s); }

}  // namespace


// Reads annee and organisme (query string or form). kInvalid for a bad year,
// kNotFound for a fund the user does not see (or that does not exist).
Result<Selection> Select(Env& env, const Signed& who, Store& store, const Fields& f) {
  Selection s;
  const Date today = env.ctx->Today();
  s.year = today.year() - 1;  // an annual report is about a finished year
  const std::string y = Field(f, "annee");
  if (!y.empty()) {
    if (y.size() != 4 || !std::all_of(y.begin(), y.end(), ::isdigit)) {
      return Fail(msg::Invalid("report.year_invalid", "annee"));
    }
    s.year = std::stoi(y);
    if (s.year <= kFirstCalendarYear || s.year > kLastCalendarYear) {
      return Fail(msg::Invalid("report.year_invalid", "annee"));
    }
  }
  auto orgs = store.ListOrganismes();
  if (!orgs) return Fail(orgs.error());
  for (const Organisme& o : *orgs) {
    if (who.actor.CanSee(o.code)) s.visible.push_back(o);
  }
  s.may_choose_all = who.actor.all_funds || s.visible.size() > 1;
  s.organisme = Field(f, "organisme");
  if (!s.organisme.empty()) {
    auto it = std::find_if(s.visible.begin(), s.visible.end(),
                           [&](const Organisme& o) { return o.code == s.organisme; });
    if (it == s.visible.end()) {
      return Fail(msg::NotFound("report.organisme_unknown"));
    }
    s.organismes = {s.organisme};
    s.file_label = s.organisme;
  } else if (!s.may_choose_all) {
    if (!s.visible.empty()) {
      s.organisme = s.visible[0].code;
      s.organismes = {s.organisme};
      s.file_label = s.organisme;
    }
  } else if (who.actor.all_funds) {
    s.file_label = "toutes";  // organismes empty: every fund of the database
  } else {
    for (const Organisme& o : s.visible) s.organismes.push_back(o.code);
    s.file_label = report::FundSetKey(s.organismes);
  }
  s.query = "annee=" + std::to_string(s.year) + "&organisme=" + Encode(s.organisme);
  return s;
}

// True when the selection names no fund at all (a user without funds).
bool Nothing(const Selection& s) { return s.visible.empty(); }

void SendSelectError(Env& env, httplib::Response& res, const Error& e, const Signed& who) {
  switch (e.code) {
    case Error::Code::kInvalid:
      return SendErrorPage(env, res, 400, ErrorText(e), &who);
    case Error::Code::kNotFound:
      return SendErrorPage(env, res, 404, ErrorText(e), &who);
    default:
      LogError("report page", e);
      return SendErrorPage(env, res, 500, msg::Find("report.read_failed"), &who);
  }
}

// The year and fund selectors.
void FillSelectors(Env& env, const Selection& s, Data& d) {
  const int this_year = env.ctx->Today().year();
  List years;
  bool listed = false;
  for (int y = this_year; y >= this_year - 6; --y) {
    Data yd;
    yd.set("year", std::to_string(y));
    yd.set("selected", y == s.year);
    listed = listed || y == s.year;
    years.push_back(yd);
  }
  if (!listed) {
    Data yd;
    yd.set("year", std::to_string(s.year));
    yd.set("selected", true);
    years.push_back(yd);
  }
  d.set("years", years);
  d.set("funds", FundOptions(s.visible, s.organisme));
  d.set("may_choose_all", s.may_choose_all);
  d.set("all_selected", s.organisme.empty());
  d.set("year", std::to_string(s.year));
  d.set("organisme", s.organisme);
  d.set("query", s.query);
  std::string scope;
  if (!s.organisme.empty()) {
    for (const Organisme& o : s.visible) {
      if (o.code == s.organisme) scope = o.code + " — " + o.name;
    }
  } else {
    scope = "tous mes organismes";
  }
  d.set("scope", scope);
  d.set("nothing", Nothing(s));
}

std::optional<report::DbReportStore> ReportData(const Signed& who, Store& store) {
  ReportDataStore* data = ReportDataOf(store);
  if (data == nullptr) {
    LogError("report pages", msg::Make(Error::Code::kInternal, "report.store_unavailable"));
    return std::nullopt;
  }
  return std::optional<report::DbReportStore>(std::in_place, *data, who.actor);
}

namespace {

report::ReportRequest RequestOf(Env& env, const Signed& who, const Selection& s,
                                bool allow_incomplete, report::DbReportStore& data) {
  report::ReportRequest r;
  r.reader = who.actor;  // the lists name only the cases the user sees
  r.organismes = s.organismes;
  r.year = s.year;
  r.as_of = env.ctx->Today();
  r.generated_on = env.ctx->Today();
  r.allow_incomplete = allow_incomplete;
  r.data_token = data.DataToken();
  return r;
}

// The counts per kind of problem (a figure: no case named), and what the
// lists leave out.
void FillProblemKinds(const report::ConsistencyReport& q, Data& d) {
  List kinds;
  for (const report::ProblemCount& c : q.CountsByCode()) {
    Data k;
    k.set("label", report::ProblemLabel(c.code));
    k.set("blocking", c.severity == report::DataProblem::Severity::kBlocking);
    k.set("count", fr::Count(c.count));
    kinds.push_back(k);
  }
  d.set("kinds", kinds);
  d.set("has_kinds", !q.CountsByCode().empty());
  d.set("hidden", q.Hidden() > 0);
  d.set("hidden_count", fr::Count(q.Hidden()));
  d.set("hidden_blocking_count", fr::Count(q.hidden_blocking));
  d.set("has_hidden_blocking", q.hidden_blocking > 0);
  d.set("listed", !q.problems.empty());
}

// The published years of the selected funds: single fund -> published or
// not and whether the user may publish it; several -> which are published.
void FillPublished(Env& env, const Signed& who, Store& store, const Selection& s, Data& d) {
  std::vector<std::string> codes = s.organismes;
  if (codes.empty()) {
    for (const Organisme& o : s.visible) codes.push_back(o.code);
  }
  std::string published;
  bool any = false;
  for (const std::string& code : codes) {
    auto years = store.PublishedYears(code);
    if (!years) {
      LogError("report page: cannot read the published years", years.error());
      continue;
    }
    if (std::find(years->begin(), years->end(), s.year) != years->end()) {
      published += (published.empty() ? "" : ", ") + code;
      any = true;
    }
  }
  d.set("published", any);
  d.set("published_funds", published);
  const bool one_fund = !s.organisme.empty();
  d.set("one_fund", one_fund);
  const service::Caller caller = service::Caller::OfUser(who.user);
  d.set("can_publish", one_fund && !any && caller.IsHierarchyOf(s.organisme) &&
                           !SeesNoCases(who.user.role));
  d.set("may_publish_some", !one_fund && (who.user.role == Role::kManager ||
                                          who.user.role == Role::kAdministrator));
  (void)env;
}

Data ProblemRow(const report::DataProblem& p, bool links) {
  Data r;
  r.set("reference", p.reference);
  if (links) r.set("url", "/dossiers/" + p.reference);
  r.set("organisme", p.organisme);
  r.set("message", p.message);
  r.set("blocking", p.severity == report::DataProblem::Severity::kBlocking);
  return r;
}

void RecordRead(Env& env, Signed& who, Store& store, const char* action, const std::string& obj) {
  if (env.ctx->audit) {
    env.ctx->audit->Record(who.actor, action, obj);
  } else {
    store.Audit(who.actor, action, obj);
  }
}

// ---- /rapport ----

// `fields` chooses the year and fund; `error`, when not empty, is shown
// (a refused POST) with `status`.
void RenderReportPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                      httplib::Response& res, const Fields& fields, const std::string& error,
                      int status) {
  auto sel = Select(env, who, store, fields);
  if (!sel) return SendSelectError(env, res, sel.error(), who);
  Data d;
  d.set("title", "Rapport annuel d'activité");
  FillSelectors(env, *sel, d);
  const bool can_cases = !SeesNoCases(who.user.role);
  d.set("can_edit", can_cases);
  d.set("can_brand", !sel->organisme.empty() && (who.user.role == Role::kManager ||
                                                  who.user.role == Role::kAdministrator));
  if (error.empty()) {
    SetFlash(req, d);
  } else {
    d.set("flash_error", error);
  }
  if (Nothing(*sel)) return SendPage(env, res, "rapport", d, &who, status);

  auto files = ReportData(who, store);
  if (!files) return SendErrorPage(env, res, 500, msg::Find("report.build_failed"), &who);
  report::ConsistencyReport quality;
  auto model =
      report::BuildReport(store, *files, *files, RequestOf(env, who, *sel, true, *files), &quality);
  if (!model) {
    if (model.error().code == Error::Code::kNotFound) {
      return SendErrorPage(env, res, 404, msg::Find("report.organisme_unknown"), &who);
    }
    LogError("report page: cannot build the report", model.error());
    return SendErrorPage(env, res, 500, msg::Find("report.build_failed"), &who);
  }
  FillPublished(env, who, store, *sel, d);
  RecordRead(env, who, store, "report.view",
             std::to_string(sel->year) + "/" + report::FundSetKey(sel->organismes));
  List blocking;
  for (const report::DataProblem& p : quality.problems) {
    if (p.severity == report::DataProblem::Severity::kBlocking) {
      blocking.push_back(ProblemRow(p, can_cases));
    }
  }
  d.set("incomplete", quality.Blocking() > 0);
  d.set("blocking", blocking);
  d.set("has_blocking_rows", !blocking.empty());
  FillProblemKinds(quality, d);
  d.set("blocking_count", std::to_string(quality.Blocking()));
  d.set("warnings_count", std::to_string(quality.Warnings()));
  d.set("has_warnings", quality.Warnings() > 0);
  // The fund's logo from its route, its colour through the stylesheet (the
  // page's CSP allows neither data: images nor inline styles).
  d.set("report_html",
        report::RenderHtmlFragment(
            *model, model->logo.empty() ? "" : "/marque/logo?organisme=" + Encode(sel->organisme)));
  d.set("report_css", true);
  if (!model->colour.empty()) d.set("report_css_query", "?couleur=" + Encode(model->colour));
  SendPage(env, res, "rapport", d, &who, status);
}

void ReportPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                httplib::Response& res) {
  RenderReportPage(env, who, store, req, res, FormFields(req), "", 200);
}

// ---- POST /rapport/publier ----

void PublishPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res) {
  const Fields f = FormFields(req);
  auto sel = Select(env, who, store, f);
  if (!sel) return SendSelectError(env, res, sel.error(), who);
  auto refuse = [&](const std::string& text, int status) {
    RenderReportPage(env, who, store, req, res, f, text, status);
  };
  if (sel->organisme.empty()) return refuse(msg::Find("publish.fund_required"), 400);
  if (Field(f, "confirmer") != "oui") return refuse(msg::Find("publish.confirm_required"), 400);
  WebService svc(*env.ctx, store);
  if (auto s = svc->PublishYear(service::Caller::OfUser(who.user), sel->organisme, sel->year);
      !s) {
    if (s.error().message_id == "publish.already") {
      return refuse(msg::Find("publish.already_marked"), 409);
    }
    if (s.error().code == Error::Code::kInternal) LogError("publish year", s.error());
    return refuse(ErrorText(s.error()), ErrorStatus(s.error()));
  }
  store.Audit(who.actor, "report.publish", std::to_string(sel->year) + "/" + sel->organisme);
  Redirect(res, WithFlash("/rapport?" + sel->query, true, "publish.marked"));
}

// ---- /rapport/telecharger ----

void ReportDownload(Env& env, Signed& who, Store& store, const httplib::Request& req,
                    httplib::Response& res) {
  const Fields f = FormFields(req);
  auto sel = Select(env, who, store, f);
  if (!sel) return SendSelectError(env, res, sel.error(), who);
  if (Nothing(*sel)) return SendErrorPage(env, res, 404, msg::Find("report.no_fund"), &who);
  const std::string code = Field(f, "format");
  auto format = report::ReportFormatFromCode(code);
  if (!format || *format == report::ReportFormat::kHtml) {
    return SendErrorPage(env, res, 400, msg::Find("report.format_unknown"), &who);
  }
  const bool allow_incomplete = Field(f, "incomplet") == "oui";
  auto files = ReportData(who, store);
  if (!files) return SendErrorPage(env, res, 500, msg::Find("report.build_failed"), &who);
  report::ConsistencyReport quality;
  auto model = report::BuildReport(store, *files, *files,
                                   RequestOf(env, who, *sel, allow_incomplete, *files), &quality);
  if (!model) {
    if (model.error().code == Error::Code::kConflict) {
      return SendErrorPage(env, res, 409,
                           msg::Format("report.refused_blocking",
                                       {std::to_string(sel->year), fr::Count(quality.Blocking())}),
                           &who);
    }
    if (model.error().code == Error::Code::kNotFound) {
      return SendErrorPage(env, res, 404, msg::Find("report.organisme_unknown"), &who);
    }
    LogError("report download: cannot build the report", model.error());
    return SendErrorPage(env, res, 500, msg::Find("report.build_failed"), &who);
  }
  auto bytes = report::RenderReport(*model, *format);
  if (!bytes) {
    LogError("report download: cannot render the report", bytes.error());
    return SendErrorPage(env, res, 500, msg::Find("report.render_failed"), &who);
  }
  store.Audit(who.actor, "report.download",
              std::to_string(sel->year) + "/" + report::FundSetKey(sel->organismes) + "/" + code);
  std::string name = "rapport-annuel-" + std::to_string(sel->year) + "-" + sel->file_label;
  std::replace(name.begin(), name.end(), '+', '-');
  res.set_header("Content-Disposition", "attachment; filename=\"" + name + "." + code + "\"");
  res.set_content(std::move(*bytes), report::ReportContentType(*format));
}

// ---- /rapport/styles.css ----

// The report's own styles, and what undoes the workspace's styles of the
// same elements inside it.
constexpr const char* kEmbedded = R"css(
.amiable-report{background:#fff;border:1px solid #c9ced6;border-radius:6px;margin:1.5rem 0}
.amiable-report .note{border-left:0;padding-left:0;white-space:normal}
.amiable-report table{margin-bottom:.25rem}
)css";

// ?couleur=#RRGGBB: with the fund's colour (report::BrandStyles; anything
// else is ignored), so that the embedded report has it without inline style.
void ReportStyles(Env&, const httplib::Request& req, httplib::Response& res) {
  std::string css(report::HtmlReportStyles());
  css += kEmbedded;
  if (req.has_param("couleur")) css += report::BrandStyles(req.get_param_value("couleur"));
  res.set_header("Cache-Control", "public, max-age=3600");
  res.set_content(std::move(css), "text/css; charset=utf-8");
}

// ---- /qualite ----

// The French name of a field of a history row's changes.
std::string ChangeFieldLabel(std::string_view field) {
  static const std::pair<std::string_view, std::string_view> kLabels[] = {
      {"reference", "Référence"},
      {"organisme", "Organisme"},
      {"received_on", "Date de réception"},
      {"channel", "Mode de saisine"},
      {"emitter", "Émetteur"},
      {"allocataire_number", "Numéro allocataire"},
      {"prior_step", "Démarche préalable"},
      {"prior_step_on", "Date de la démarche préalable"},
      {"admissibility", "Recevabilité"},
      {"inadmissibility_reason", "Motif d'irrecevabilité"},
      {"taken_in_charge_on", "Date de prise en charge"},
      {"answered_on", "Date de réponse"},
      {"closed_on", "Date de clôture"},
      {"motives", "Motifs"},
      {"benefits", "Prestations"},
      {"cause", "Cause (côté Caf)"},
      {"household", "Catégorie de foyer"},
      {"activity", "Activité"},
      {"quotient_familial", "Quotient familial"},
      {"response_modes", "Modes de réponse"},
      {"resolution", "Résolution"},
      {"fraud", "Fraude"},
      {"financial", "Lignes financières"},
      {"state", "État"},
      {"orientation", "Orientation"},
      {"description", "Description"},
      {"assigned_to", "Médiateur en charge"},
  };
  for (const auto& [f, l] : kLabels) {
    if (f == field) return std::string(l);
  }
  return std::string(field);
}

// A value of a history row's changes as a person reads it: dates
// "26/11/2026", codes by their labels, "oui"/"non", amounts in euros.
std::string ChangeValue(const Labels& l, std::string_view field, const std::string& v) {
  if (v.empty() || v == "(aucun)") return "—";
  if (field.ends_with("_on")) {
    if (auto d = Date::Parse(v)) return fr::ShortDate(*d);
    return v;
  }
  if (field == "state") {
    if (auto st = StateFromCode(v)) return StateLabel(*st);
    return v;
  }
  if (field == "fraud") return v == "true" ? "oui" : v == "false" ? "non" : v;
  std::string_view nom_name = field;
  if (field == "motives") nom_name = "motive";
  if (field == "benefits") nom_name = "benefit";
  if (field == "response_modes") nom_name = "response_mode";
  if (field == "financial") {
    std::string out;
    size_t start = 0;
    while (start <= v.size()) {
      size_t end = v.find(',', start);
      if (end == std::string::npos) end = v.size();
      const std::string item = v.substr(start, end - start);
      const size_t colon = item.find(':');
      if (!item.empty()) {
        out += out.empty() ? "" : " ; ";
        if (colon == std::string::npos) {
          out += item;
        } else {
          out += l.Of(nomenclature::FinancialKind(), item.substr(0, colon)) + " " +
                 Euros(std::atoll(item.c_str() + colon + 1));
        }
      }
      start = end + 1;
    }
    return out.empty() ? "—" : out;
  }
  if (const Nomenclature* n = nomenclature::Find(nom_name)) {
    std::string out;
    size_t start = 0;
    while (start <= v.size()) {
      size_t end = v.find(',', start);
      if (end == std::string::npos) end = v.size();
      if (end > start) out += (out.empty() ? "" : ", ") + l.Of(*n, v.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }
  return v;
}

// "Modifié après publication": the history rows, of the cases the user
// sees, that changed a published year of the selected funds.
void FillChangesAfterPublication(const Signed& who, Store& store, const Selection& s, Data& d) {
  const Labels labels(store);
  std::vector<std::string> codes = s.organismes;
  if (codes.empty()) {
    for (const Organisme& o : s.visible) codes.push_back(o.code);
  }
  List rows;
  bool any_published = false;
  for (const std::string& code : codes) {
    auto years = store.PublishedYears(code);
    if (!years || std::find(years->begin(), years->end(), s.year) == years->end()) continue;
    any_published = true;
    auto changes = store.ChangesAfterPublication(who.actor, code, s.year);
    if (!changes) {
      LogError("quality page: cannot read the changes after publication", changes.error());
      continue;
    }
    for (const PostPublicationChange& c : *changes) {
      Data r;
      r.set("reference", c.reference);
      r.set("url", "/dossiers/" + c.reference);
      r.set("organisme", code);
      std::string when = c.event.at;
      if (auto day = Date::Parse(c.event.at.substr(0, 10))) when = fr::ShortDate(*day);
      r.set("date", when);
      r.set("actor", c.event.actor);
      List fields;
      for (const FieldChange& fc : c.event.changes) {
        Data fd;
        fd.set("field", ChangeFieldLabel(fc.field));
        fd.set("old", ChangeValue(labels, fc.field, fc.old_value));
        fd.set("new", ChangeValue(labels, fc.field, fc.new_value));
        fields.push_back(fd);
      }
      r.set("fields", fields);
      r.set("detail", c.event.detail);
      r.set("has_fields", !c.event.changes.empty());
      rows.push_back(r);
    }
  }
  d.set("after_publication", rows);
  d.set("has_after_publication", !rows.empty());
  d.set("year_published", any_published);
}

// The consistency check of the selection, its lists kept to the cases the
// user sees (the page and its export).
Result<report::ConsistencyReport> VisibleProblems(Store& store, const Signed& who,
                                                  const Selection& sel) {
  auto q = report::CheckConsistency(store, sel.organismes, sel.year);
  if (!q) return q;
  if (auto s = report::KeepVisible(store, who.actor, &*q); !s) return Fail(s.error());
  return q;
}

void QualityPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res) {
  auto sel = Select(env, who, store, FormFields(req));
  if (!sel) return SendSelectError(env, res, sel.error(), who);
  Data d;
  d.set("title", "Qualité des données");
  FillSelectors(env, *sel, d);
  if (Nothing(*sel)) return SendPage(env, res, "qualite", d, &who);
  auto q = VisibleProblems(store, who, *sel);
  if (!q) {
    LogError("quality page: cannot check the cases", q.error());
    return SendErrorPage(env, res, 500, msg::Find("report.read_failed"), &who);
  }
  const bool statistics = SeesNoCases(who.user.role);
  d.set("statistics", statistics);
  RecordRead(env, who, store, "report.quality",
             std::to_string(sel->year) + "/" + report::FundSetKey(sel->organismes));
  List blocking, warnings;
  for (const report::DataProblem& p : q->problems) {
    (p.severity == report::DataProblem::Severity::kBlocking ? blocking : warnings)
        .push_back(ProblemRow(p, true));
  }
  d.set("checked", std::to_string(q->cases_checked));
  d.set("blocking", blocking);
  d.set("warnings", warnings);
  d.set("blocking_count", std::to_string(q->Blocking()));
  d.set("warnings_count", std::to_string(q->Warnings()));
  d.set("has_blocking", !blocking.empty());
  d.set("has_warnings", !warnings.empty());
  d.set("clean", q->Blocking() == 0 && q->Warnings() == 0);
  FillProblemKinds(*q, d);
  FillPublished(env, who, store, *sel, d);
  if (!statistics) FillChangesAfterPublication(who, store, *sel, d);
  d.set("shown", true);
  SendPage(env, res, "qualite", d, &who);
}

// ---- /qualite/telecharger ----

// The list of the page, as CSV: the same check, the same visibility.
void QualityDownload(Env& env, Signed& who, Store& store, const httplib::Request& req,
                     httplib::Response& res) {
  auto sel = Select(env, who, store, FormFields(req));
  if (!sel) return SendSelectError(env, res, sel.error(), who);
  if (Nothing(*sel)) return SendErrorPage(env, res, 404, msg::Find("report.no_fund"), &who);
  auto q = VisibleProblems(store, who, *sel);
  if (!q) {
    LogError("quality export: cannot check the cases", q.error());
    return SendErrorPage(env, res, 500, msg::Find("report.read_failed"), &who);
  }
  RecordRead(env, who, store, "report.quality_export",
             std::to_string(sel->year) + "/" + report::FundSetKey(sel->organismes));
  std::string name = "dossiers-a-corriger-" + std::to_string(sel->year) + "-" +
                     (sel->file_label.empty() ? "toutes" : sel->file_label);
  std::replace(name.begin(), name.end(), '+', '-');
  res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
  res.set_content(report::RenderProblemsCsv(*q), "text/csv; charset=utf-8");
}

}  // namespace

void RegisterReportRoutes(httplib::Server& server, Env& env) {
  server.Get("/rapport", Guarded(env, Need::kAny, ReportPage));
  server.Get("/rapport/telecharger", Guarded(env, Need::kAny, ReportDownload));
  server.Get("/rapport/styles.css", [&env](const httplib::Request& q, httplib::Response& r) {
    ReportStyles(env, q, r);
  });
  RegisterReportTextsRoutes(server, env);  // /rapport/textes (pages_report_texts.cc)
  server.Post("/rapport/publier", Guarded(env, Need::kCases, PublishPost));
  // Statistics readers too: the counts per kind of problem, no case named.
  server.Get("/qualite", Guarded(env, Need::kAny, QualityPage));
  server.Get("/qualite/telecharger", Guarded(env, Need::kAny, QualityDownload));
}

}  // namespace amiable::web::pages
