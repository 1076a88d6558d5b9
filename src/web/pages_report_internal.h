// Shared by the annual report's page files (pages_report.cc,
// pages_report_texts.cc): the year and funds a report page is about. Internal.
#ifndef AMIABLE_WEB_PAGES_REPORT_INTERNAL_H_
#define AMIABLE_WEB_PAGES_REPORT_INTERNAL_H_

#include <optional>
#include <string>
#include <vector>

#include "report/report_store.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {

// The year and funds a page is about.
struct Selection {
  int year = 0;
  std::string organisme;                // the selector's value; "" = all my funds
  std::vector<std::string> organismes;  // for the report: empty = every fund
  std::vector<Organisme> visible;
  bool may_choose_all = false;
  std::string file_label;  // "631", "631+671", "toutes"
  std::string query;       // "annee=2025&organisme=631"
};

// Reads annee and organisme (query string or form). kInvalid for a bad year,
// kNotFound for a fund the user does not see (or that does not exist).
Result<Selection> Select(Env& env, const Signed& who, Store& store, const Fields& f);
// True when the selection names no fund at all (a user without funds).
bool Nothing(const Selection& s);
// The error page of a refused selection (400, 404, 500).
void SendSelectError(Env& env, httplib::Response& res, const Error& e, const Signed& who);
// The year and fund selectors (years, funds, year, organisme, query, scope...).
void FillSelectors(Env& env, const Selection& s, Data& d);

// The report's texts and aggregates in the database, written as the
// signed-in user (the store's rules: only the funds she may write);
// nullopt when the store has none (logged).
std::optional<report::DbReportStore> ReportData(const Signed& who, Store& store);

// GET and POST /rapport/textes (pages_report_texts.cc).
void RegisterReportTextsRoutes(httplib::Server& server, Env& env);

}  // namespace amiable::web::pages

#endif  // AMIABLE_WEB_PAGES_REPORT_INTERNAL_H_
