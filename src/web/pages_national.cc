// The national report in the workspace (issue 10, report/national.h):
//   GET /rapport/national?annee=Y                    the report embedded as HTML,
//       the national pole named, the download buttons
//   GET /rapport/national/telecharger?annee=Y&format=pdf|xlsx|csv|html
//
// For the national role and administrators (report::MayReadNationalReport,
// checked first by both handlers: 403 for the others). The report names no case and no person; the register is read
// with the signed-in user (the national role sees every fund's items).
#include <httplib.h>

#include <algorithm>

#include "calendar/calendar.h"
#include "core/french_format.h"
#include "report/national.h"
#include "report/report.h"
#include "report/writers.h"
#include "web/pages_internal.h"
#include "web/pages_national.h"

namespace amiable::web::pages {
namespace {

// ?annee= (default: last year); nullopt for a malformed or out-of-range year.
std::optional<int> YearOf(Env& env, const Fields& f) {
  const std::string y = Field(f, "annee");
  if (y.empty()) return env.ctx->Today().year() - 1;
  if (y.size() != 4 || !std::all_of(y.begin(), y.end(), ::isdigit)) return std::nullopt;
  const int year = std::stoi(y);
  if (year <= kFirstCalendarYear || year > kLastCalendarYear) return std::nullopt;
  return year;
}

Result<report::NationalInputs> Gather(Env& env, Signed& who, Store& store, int year) {
  const Date today = env.ctx->Today();
  return report::GatherNational(store, year, today, today, who.actor);
}

// The guard of both routes: signed in (Guarded), then the role.
bool Refused(Env& env, Signed& who, httplib::Response& res) {
  if (report::MayReadNationalReport(who.actor)) return false;
  SendErrorPage(env, res, 403, msg::Find("report.national_forbidden"), &who);
  return true;
}

void NationalPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  if (Refused(env, who, res)) return;
  const Fields f = FormFields(req);
  const auto year = YearOf(env, f);
  if (!year) return SendErrorPage(env, res, 400, msg::Find("report.year_invalid"), &who);
  auto in = Gather(env, who, store, *year);
  if (!in) {
    LogError("national report page: cannot gather the figures", in.error());
    return SendErrorPage(env, res, 500, msg::Find("report.build_failed"), &who);
  }
  if (!in->register_error.empty()) {
    LogError("national report page: cannot read the register",
             Error::Internal(in->register_detail));
  }
  const report::ReportModel model = report::AssembleNationalReport(*in);
  Data d;
  d.set("title", "Rapport national");
  d.set("year", std::to_string(*year));
  List years;
  const int this_year = env.ctx->Today().year();
  for (int y = this_year; y >= this_year - 6; --y) {
    Data yd;
    yd.set("year", std::to_string(y));
    yd.set("selected", y == *year);
    years.push_back(yd);
  }
  d.set("years", years);
  d.set("funds", fr::Count(static_cast<int64_t>(in->funds.size())));
  d.set("has_pole", in->pole.has_value());
  if (in->pole) d.set("pole", in->pole->fund.code + " — " + in->pole->fund.name);
  d.set("report_html", report::RenderHtmlFragment(model));
  d.set("report_css", true);
  if (env.ctx->audit) {
    env.ctx->audit->Record(who.actor, "report.national.view", std::to_string(*year));
  } else {
    store.Audit(who.actor, "report.national.view", std::to_string(*year));
  }
  SendPage(env, res, "rapport_national", d, &who);
}

void NationalDownload(Env& env, Signed& who, Store& store, const httplib::Request& req,
                      httplib::Response& res) {
  if (Refused(env, who, res)) return;
  const Fields f = FormFields(req);
  const auto year = YearOf(env, f);
  if (!year) return SendErrorPage(env, res, 400, msg::Find("report.year_invalid"), &who);
  const std::string code = Field(f, "format");
  const auto format = report::ReportFormatFromCode(code);
  if (!format) {
    return SendErrorPage(env, res, 400, msg::Find("report.national_format_unknown"), &who);
  }
  auto in = Gather(env, who, store, *year);
  if (!in) {
    LogError("national report download: cannot gather the figures", in.error());
    return SendErrorPage(env, res, 500, msg::Find("report.build_failed"), &who);
  }
  auto bytes = report::RenderReport(report::AssembleNationalReport(*in), *format);
  if (!bytes) {
    LogError("national report download: cannot render", bytes.error());
    return SendErrorPage(env, res, 500, msg::Find("report.render_failed"), &who);
  }
  store.Audit(who.actor, "report.national.download", std::to_string(*year) + "/" + code);
  res.set_header("Content-Disposition", "attachment; filename=\"rapport-national-" +
                                            std::to_string(*year) + "." + code + "\"");
  res.set_content(std::move(*bytes), report::ReportContentType(*format));
}

}  // namespace

void RegisterNationalRoutes(httplib::Server& server, Env& env) {
  server.Get("/rapport/national", Guarded(env, Need::kAny, NationalPage));
  server.Get("/rapport/national/telecharger", Guarded(env, Need::kAny, NationalDownload));
}

}  // namespace amiable::web::pages
