#include "report/report.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "calendar/calendar.h"
#include "figures/figures.h"
#include "report/assemble.h"
#include "report/texts.h"
#include "report/comparison.h"
#include "core/french_format.h"
#include "report/writers.h"
#include "figures/frozen.h"
#include "store/report_data.h"
#include "figures/years.h"
#include "store/store.h"

namespace amiable::report {

std::optional<ReportFormat> ReportFormatFromCode(std::string_view code) {
  for (ReportFormat f :
       {ReportFormat::kPdf, ReportFormat::kXlsx, ReportFormat::kCsv, ReportFormat::kHtml}) {
    if (code == ReportFormatCode(f)) return f;
  }
  return std::nullopt;
}

const char* ReportFormatCode(ReportFormat f) {
  switch (f) {
    case ReportFormat::kPdf:
      return "pdf";
    case ReportFormat::kXlsx:
      return "xlsx";
    case ReportFormat::kCsv:
      return "csv";
    case ReportFormat::kHtml:
      return "html";
  }
  return "";
}

const char* ReportContentType(ReportFormat f) {
  switch (f) {
    case ReportFormat::kPdf:
      return "application/pdf";
    case ReportFormat::kXlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case ReportFormat::kCsv:
      return "text/csv; charset=utf-8";
    case ReportFormat::kHtml:
      return "text/html; charset=utf-8";
  }
  return "application/octet-stream";
}

namespace {

// AMIABLE_REPORT_TIMING=1 prints the CPU time of each phase on stderr
// (docs/benchmarks.md).
class PhaseTimer {
 public:
  PhaseTimer() : on_(std::getenv("AMIABLE_REPORT_TIMING") != nullptr), last_(Now()) {}
  void Mark(const char* phase) {
    if (!on_) return;
    const double now = Now();
    std::fprintf(stderr, "report timing: %-28s %7.1f ms CPU\n", phase, now - last_);
    last_ = now;
  }

 private:
  static double Now() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
  }
  bool on_;
  double last_;
};

}  // namespace

Result<ReportModel> BuildReport(Store& store, ReportTextStore& texts, AggregateStore& aggregates,
                                const ReportRequest& request, ConsistencyReport* quality_out) {
  PhaseTimer timer;
  const int y = request.year;
  if (y < kFirstCalendarYear + 1 || y > kLastCalendarYear) {
    return Fail(Error::Invalid("year out of range: " + std::to_string(y), "year"));
  }
  auto orgs = store.ListOrganismes();
  if (!orgs) return Fail(orgs.error());
  std::map<std::string, WorkCalendar> calendars;
  std::map<std::string, Organisme> by_code;
  for (const Organisme& o : *orgs) {
    WorkCalendar cal;
    if (auto z = ZoneFromCode(o.zone)) cal.zone = *z;
    cal.whit_monday_worked = o.whit_monday_worked;
    calendars[o.code] = cal;
    by_code[o.code] = o;
  }
  std::vector<std::string> selected = request.organismes;
  std::sort(selected.begin(), selected.end());
  selected.erase(std::unique(selected.begin(), selected.end()), selected.end());
  for (const std::string& code : selected) {
    if (!by_code.count(code)) return Fail(Error::NotFound("organisme inconnu : " + code));
  }
  const bool all_funds = selected.empty() || selected.size() == by_code.size();
  std::vector<Organisme> funds;
  if (selected.empty()) {
    for (const auto& [code, o] : by_code) funds.push_back(o);
  } else {
    for (const std::string& code : selected) funds.push_back(by_code[code]);
  }
  std::vector<std::string> codes;
  for (const Organisme& o : funds) codes.push_back(o.code);

  // The series covers every year from the first with a case of these funds
  // (figures/years.h) to Y, and at least Y - 1 and Y.
  auto case_years = YearsWithCases(store, selected);
  if (!case_years) return Fail(case_years.error());
  int first_year = y - 1;
  if (!case_years->empty()) first_year = std::min(first_year, case_years->front());
  first_year = std::max(kFirstCalendarYear, first_year);
  // One pass over the cases of Y - 1 and Y (the two years every section
  // compares, and the consistency check of Y); the earlier years of the
  // series are computed one by one from the store.
  std::vector<Case> cases;
  auto st = store.ForEachCaseInPeriod(selected, Date::FromCivil(std::max(first_year, y - 1), 1, 1),
                                      Date::FromCivil(y, 12, 31),
                                      [&](Case& c) { cases.push_back(std::move(c)); });
  if (!st) return Fail(st.error());
  timer.Mark("read the funds' cases");

  ConsistencyReport quality = CheckCases(cases, y);
  if (request.reader) {
    if (auto s = KeepVisible(store, *request.reader, &quality); !s) return Fail(s.error());
  }
  if (quality_out != nullptr) *quality_out = quality;
  const bool acceptable = quality.Acceptable(request.strict);
  if (!acceptable && !request.allow_incomplete) {
    return Fail(Error::Conflict(
        "rapport refusé : " + std::to_string(quality.Blocking()) + " problème(s) bloquant(s)" +
        (request.strict ? " et " + std::to_string(quality.Warnings()) + " avertissement(s)" : "") +
        " dans les données de " + std::to_string(y) +
        " (voir la liste ; --allow-incomplete pour "
        "produire quand même)"));
  }

  ReportInputs in;
  in.funds = funds;
  in.all_funds = all_funds;
  in.quality = std::move(quality);
  in.incomplete = !acceptable;
  in.trend = request.trend;
  in.generated_on = request.generated_on;
  // Years frozen before a purge are served frozen (figures/frozen.h).
  const auto figures_of = [&](std::span<const Case> from, const std::vector<std::string>& funds_of,
                              int year) -> Result<YearFigures> {
    auto frozen = FrozenRowsOf(store, year);
    if (!frozen) return Fail(frozen.error());
    return FiguresWithFrozen(from, calendars, *frozen, funds_of, year, request.as_of);
  };
  for (int yy = first_year; yy <= y; ++yy) {
    auto fy = yy >= y - 1 ? figures_of(cases, codes, yy)
                          : ComputeFigures(store, codes, yy, request.as_of);
    if (!fy) return Fail(fy.error());
    YearFigures f = std::move(*fy);
    if (yy == y) in.current = f;
    if (yy == y - 1) in.previous = f;
    if (in.history.empty() && yy < y - 1 && f.received == 0 && f.closed == 0) continue;
    in.history.push_back({yy, f.received, f.inadmissible, f.closed});
    in.years.push_back(std::move(f));
  }
  if (y - 1 < first_year) {
    auto prev = figures_of({}, codes, y - 1);
    if (!prev) return Fail(prev.error());
    in.previous = std::move(*prev);
  }
  timer.Mark("check and compute");

  // The météo's columns and the context figures (report/comparison.h).
  {
    comparison_internal::ComparisonRequest cr;
    cr.year = y;
    cr.codes = codes;
    for (const auto& [code, o] : by_code) cr.all_codes.push_back(code);
    cr.all_funds = all_funds;
    cr.data_token = request.data_token;
    if (auto s = comparison_internal::GatherComparison(store, aggregates, cr, figures_of, &in);
        !s) {
      return Fail(s.error());
    }
    if (auto s = comparison_internal::GatherContext(store, FundSetKey(request.organismes), y, &in);
        !s) {
      return Fail(s.error());
    }
    timer.Mark("comparison and context");
  }

  // The mediator's texts for this set of funds and year.
  const std::string key = FundSetKey(request.organismes);
  auto mediator_texts = ReadMediatorTexts(texts, key, y);
  if (!mediator_texts) return Fail(mediator_texts.error());
  in.texts = std::move(*mediator_texts);
  // The register of findings and recommendations of the funds covered.
  auto reg = LoadRegister(store, request.reader.value_or(Actor::System()), selected, y);
  if (!reg) return Fail(reg.error());
  in.register_items = std::move(*reg);
  ReportModel model = AssembleReport(in);
  // The fund's logo and colour (a report of one fund; a store without the
  // role, e.g. a test fake, has none).
  if (funds.size() == 1) {
    if (ReportDataStore* rd = ReportDataOf(store)) {
      auto b = rd->GetBranding(funds[0].code);
      if (!b) return Fail(b.error());
      if (*b) {
        model.logo = std::move((*b)->logo);
        model.logo_type = std::move((*b)->logo_type);
        model.colour = std::move((*b)->colour);
      }
    }
  }
  timer.Mark("texts and assembly");
  return model;
}

Result<std::string> RenderReport(const ReportModel& model, ReportFormat format) {
  PhaseTimer timer;
  struct Done {
    PhaseTimer& t;
    ~Done() { t.Mark("render"); }
  } done{timer};
  switch (format) {
    case ReportFormat::kPdf:
      return RenderPdf(model);
    case ReportFormat::kXlsx:
      return RenderXlsx(model);
    case ReportFormat::kCsv:
      return RenderCsv(model);
    case ReportFormat::kHtml:
      return RenderHtml(model);
  }
  return Fail(Error::Invalid("unknown format"));
}

Status WriteReport(const ReportModel& model, ReportFormat format, const std::string& path) {
  auto bytes = RenderReport(model, format);
  if (!bytes) return Fail(bytes.error());
  namespace fs = std::filesystem;
  const fs::path p(path);
  const fs::path tmp = p.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Fail(Error::Invalid("cannot write " + path, "output"));
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    if (!out) return Fail(Error::Internal("cannot write " + tmp.string()));
  }
  std::error_code ec;
  // 0600: a report lists references and names funds' figures; only the
  // service's account reads it.
  fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, ec);
  fs::rename(tmp, p, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Fail(Error::Internal("cannot write " + path));
  }
  return {};
}

}  // namespace amiable::report
