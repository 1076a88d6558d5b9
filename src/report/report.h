// The annual activity report (issue 4): gather the figures of a year from
// the store, check the data, assemble the report and write it as PDF, XLSX,
// CSV or HTML. The command line (`amiable report`) and the web workspace's
// download buttons both go through here.
//
// Contracts:
// - Errors are values: kInvalid (bad year, bad format), kNotFound (unknown
//   organisme, naming it), kConflict (the consistency check found blocking
//   problems and the request does not allow an incomplete report; the
//   problems are in *quality), store errors as they come, kInternal for a
//   rendering failure.
// - Rendering is deterministic for a given model (same bytes, except the
//   PDF/XLSX creation timestamps).
// - Not thread-safe per Store; the model and writers hold no global state.
#ifndef AMIABLE_REPORT_REPORT_H_
#define AMIABLE_REPORT_REPORT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "figures/trend.h"
#include "report/consistency.h"
#include "report/model.h"
#include "report/report_store.h"
#include "store/actor.h"

namespace amiable {
class Store;
}

namespace amiable::report {

enum class ReportFormat { kPdf, kXlsx, kCsv, kHtml };
// "pdf", "xlsx", "csv", "html".
std::optional<ReportFormat> ReportFormatFromCode(std::string_view code);
const char* ReportFormatCode(ReportFormat f);
const char* ReportContentType(ReportFormat f);  // MIME type for downloads

struct ReportRequest {
  std::vector<std::string> organismes;  // empty = every fund of the database
  int year = 0;
  // The caller's "today" (calendar/clock.h: TodayIn), never read here.
  Date as_of;         // day of computation (quarterly pending/missed)
  Date generated_on;  // shown on the cover
  bool allow_incomplete = false;      // produce despite blocking problems, and say so
  bool strict = false;                // warnings block too
  TrendSettings trend;
  // DbReportStore::DataToken() (the data version), or "": when set, the
  // all-funds comparison computed from the database is cached
  // (AggregateStore::*CachedFigures).
  std::string data_token;
  // Who reads the report. Set: *quality lists only the problems of cases
  // this actor may see (KeepVisible), the others are counted by kind; the
  // figures still count every case of the funds. Unset (the command line):
  // every problem is listed. The report itself never lists a case.
  std::optional<Actor> reader;
};

// Gathers the figures of request.year and year - 1 (and of every earlier
// year from the first with a case of the funds, for the series and the
// years side by side), the comparison figures (the database's other funds,
// or imported aggregates), the mediator's texts, runs the consistency check
// and assembles the report. `quality`, when given, receives the check's
// result even when the report is refused (filtered for request.reader).
// A report of one fund carries the fund's logo and colour
// (ReportDataStore::GetBranding, when the store has the role).
Result<ReportModel> BuildReport(Store& store, ReportTextStore& texts, AggregateStore& aggregates,
                                const ReportRequest& request, ConsistencyReport* quality = nullptr);

// The report as the bytes of a file of the format.
Result<std::string> RenderReport(const ReportModel& model, ReportFormat format);

// Renders and writes `path` (replaced atomically).
Status WriteReport(const ReportModel& model, ReportFormat format, const std::string& path);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_REPORT_H_
