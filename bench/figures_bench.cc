// amiable_bench: in-process timings that exclude process start-up, for
// scripts/bench (see docs/benchmarks.md).
//
//   amiable_bench figures --db URL --year Y [--organisme C]... [--as-of D] [--runs N]
//     Times ComputeFigures(Store&, ...) on an open store (total_ms, and its
//     CPU time total_cpu_ms), then separately its two halves: gathering the
//     cases into a vector (gather_ms: Store::ListOrganismes +
//     Store::ForEachCaseInPeriod) and computing (compute_ms: ComputeFigures
//     over a span), and the store's read alone with the cases dropped
//     (stream_ms). Issue 11 (figures cache, figures/figures_cache.h): total_ms
//     is the cached path; recompute_ms the full recomputation of every run
//     (the path before the cache, measured in the same run); after_write_ms
//     the cached path right after a write to one fund (its calendar row
//     rewritten unchanged: its version moves, it alone is recomputed);
//     cold_ms after the cache is emptied. The cached figures are checked
//     equal to the recomputation first (exit 1 otherwise).
//   amiable_bench generate [--funds F] [--years Y] [--cases-per-year N] [--runs N]
//     Times the synthetic generator (intake/synthetic.h) alone.
//   amiable_bench national --db URL --year Y [--as-of D] [--runs N]
//     Times the national report as PDF (issue 10, target under 2 s):
//     GatherNational (one read of every fund's cases for Y-1 and Y, every
//     fund's figures, the register), AssembleNationalReport, RenderPdf;
//     their sum is total_ms, its CPU time total_cpu_ms.
//
// Prints one JSON object per command on stdout: milliseconds as median, min
// and max over the runs, plus the number of cases. Exit code 1 on error.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "calendar/calendar.h"
#include "figures/figures.h"
#include "figures/figures_cache.h"
#include "store/figures_cache_store.h"
#include "intake/synthetic.h"
#include "report/national.h"
#include "report/writers.h"
#include "store/store.h"

namespace amiable {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// CPU time of this process (all threads) in milliseconds: what the work
// costs here when other processes compete for the cores. Excludes the
// PostgreSQL server's own time.
double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Stats {
  double median = 0, min = 0, max = 0;
};

Stats Summarize(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.min = v.front();
  s.max = v.back();
  const size_t n = v.size();
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return s;
}

std::string Json(const char* name, const Stats& s) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "\"%s\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f}", name,
                s.median, s.min, s.max);
  return buf;
}

int Die(const std::string& message) {
  std::fprintf(stderr, "amiable_bench: %s\n", message.c_str());
  return 1;
}

struct Args {
  std::string command;
  std::string db;
  int year = 0;
  std::vector<std::string> organismes;
  std::string as_of;
  int runs = 7;
  int funds = 100;
  int years = 10;
  int cases_per_year = 400;
};

bool ParseArgs(int argc, char** argv, Args* a) {
  if (argc < 2) return false;
  a->command = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string k = argv[i];
    if (i + 1 >= argc) return false;
    const std::string v = argv[++i];
    if (k == "--db") {
      a->db = v;
    } else if (k == "--year") {
      a->year = std::atoi(v.c_str());
    } else if (k == "--organisme") {
      a->organismes.push_back(v);
    } else if (k == "--as-of") {
      a->as_of = v;
    } else if (k == "--runs") {
      a->runs = std::max(1, std::atoi(v.c_str()));
    } else if (k == "--funds") {
      a->funds = std::atoi(v.c_str());
    } else if (k == "--years") {
      a->years = std::atoi(v.c_str());
    } else if (k == "--cases-per-year") {
      a->cases_per_year = std::atoi(v.c_str());
    } else {
      return false;
    }
  }
  return true;
}

int RunFigures(const Args& a) {
  if (a.db.empty() || a.year == 0) return Die("figures needs --db and --year");
  Date as_of = Date::FromCivil(a.year + 1, 1, 31);
  if (!a.as_of.empty()) {
    const auto d = Date::Parse(a.as_of);
    if (!d) return Die("bad --as-of");
    as_of = *d;
  }
  const Clock::time_point t_open = Clock::now();
  auto store = Store::Open(a.db);
  if (!store) return Die(ToString(store.error()));
  const double open_ms = Ms(t_open, Clock::now());
  Store& s = **store;

  // Warm-up (first-use calendar tables, database caches), not counted.
  auto warm = ComputeFigures(s, a.organismes, a.year, as_of);
  if (!warm) return Die(ToString(warm.error()));
  // The cache against a full recomputation (issue 11).
  if (auto diff = VerifyFigures(s, a.organismes, a.year, as_of); !diff || *diff) {
    return Die(!diff ? ToString(diff.error()) : "cached figures differ: " + **diff);
  }
  std::vector<double> recompute, after_write, cold;
  FiguresCacheStore* cache = FiguresCacheOf(s);
  auto all_funds = s.ListOrganismes();
  if (!all_funds || all_funds->empty()) return Die("no fund");
  const Organisme written =
      a.organismes.empty() ? all_funds->front() : *s.GetOrganisme(a.organismes.front());
  for (int r = 0; r < a.runs; ++r) {
    Clock::time_point t0 = Clock::now();
    auto full = RecomputeFigures(s, a.organismes, a.year, as_of);
    if (!full) return Die(ToString(full.error()));
    recompute.push_back(Ms(t0, Clock::now()));
    if (cache == nullptr) continue;
    if (auto w = s.UpsertOrganisme(Actor::System(), written); !w) return Die(ToString(w.error()));
    t0 = Clock::now();
    auto after = ComputeFigures(s, a.organismes, a.year, as_of);
    if (!after) return Die(ToString(after.error()));
    after_write.push_back(Ms(t0, Clock::now()));
    if (auto c = cache->ClearFiguresCache(); !c) return Die(ToString(c.error()));
    t0 = Clock::now();
    auto again = ComputeFigures(s, a.organismes, a.year, as_of);
    if (!again) return Die(ToString(again.error()));
    cold.push_back(Ms(t0, Clock::now()));
  }

  std::vector<double> total, total_cpu, gather, compute, stream;
  size_t cases_read = 0;
  for (int r = 0; r < a.runs; ++r) {
    const double c0 = CpuMs();
    const Clock::time_point t0 = Clock::now();
    auto f = ComputeFigures(s, a.organismes, a.year, as_of);
    const Clock::time_point t1 = Clock::now();
    total_cpu.push_back(CpuMs() - c0);
    if (!f) return Die(ToString(f.error()));
    total.push_back(Ms(t0, t1));

    // The same work in its two halves, to see where the time goes.
    const Clock::time_point g0 = Clock::now();
    auto funds = s.ListOrganismes();
    if (!funds) return Die(ToString(funds.error()));
    std::map<std::string, WorkCalendar> calendars;
    for (const Organisme& o : *funds) {
      calendars.emplace(o.code, WorkCalendar{ZoneFromCode(o.zone).value_or(Zone::kMetropole),
                                             o.whit_monday_worked});
    }
    std::vector<Case> cases;
    const Status st = s.ForEachCaseInPeriod(a.organismes, Date::FromCivil(a.year, 1, 1),
                                            Date::FromCivil(a.year, 12, 31),
                                            [&cases](Case& c) { cases.push_back(std::move(c)); });
    if (!st) return Die(ToString(st.error()));
    const Clock::time_point g1 = Clock::now();
    const YearFigures y = ComputeFigures(cases, calendars, a.organismes, a.year, as_of);
    const Clock::time_point g2 = Clock::now();
    gather.push_back(Ms(g0, g1));

    // The store's read alone: the cases are streamed and dropped.
    size_t streamed = 0;
    const Clock::time_point s0 = Clock::now();
    const Status st2 = s.ForEachCaseInPeriod(a.organismes, Date::FromCivil(a.year, 1, 1),
                                             Date::FromCivil(a.year, 12, 31),
                                             [&streamed](const Case&) { ++streamed; });
    if (!st2) return Die(ToString(st2.error()));
    stream.push_back(Ms(s0, Clock::now()));
    compute.push_back(Ms(g1, g2));
    cases_read = cases.size();
    if (y.received != f->received) return Die("inconsistent figures between runs");
  }
  std::printf(
      "{\"engine\":\"%s\",\"year\":%d,\"organismes\":%zu,\"cases_read\":%zu,"
      "\"received\":%lld,\"closed\":%lld,\"runs\":%d,\"open_ms\":%.2f,%s,%s,%s,%s,%s,%s,%s,%s}\n",
      std::string(s.engine()).c_str(), a.year, a.organismes.size(), cases_read,
      static_cast<long long>(warm->received), static_cast<long long>(warm->closed), a.runs, open_ms,
      Json("total_ms", Summarize(total)).c_str(),
      Json("total_cpu_ms", Summarize(total_cpu)).c_str(),
      Json("gather_ms", Summarize(gather)).c_str(), Json("compute_ms", Summarize(compute)).c_str(),
      Json("stream_ms", Summarize(stream)).c_str(), Json("recompute_ms", Summarize(recompute)).c_str(),
      Json("after_write_ms", Summarize(after_write)).c_str(), Json("cold_ms", Summarize(cold)).c_str());
  return 0;
}

int RunGenerate(const Args& a) {
  const std::vector<SyntheticFund> funds = FrenchFunds(a.funds, 1);
  std::vector<double> times, cpu;
  size_t n = 0;
  std::vector<Case> cases;
  for (int r = 0; r < a.runs; ++r) {
    n = 0;
    const double c0 = CpuMs();
    const Clock::time_point t0 = Clock::now();
    for (const SyntheticFund& f : funds) {
      SyntheticSpec spec;
      spec.seed = 1;
      spec.organisme = f.organisme.code;
      spec.calendar = {ZoneFromCode(f.organisme.zone).value_or(Zone::kMetropole), false};
      spec.until = Date::FromCivil(2025, 12, 31);
      spec.from = Date::FromCivil(2025 - a.years + 1, 1, 1);
      spec.cases_per_year = static_cast<int>(a.cases_per_year * f.weight + 0.5);
      cases.clear();
      if (auto s = GenerateCases(spec, &cases); !s) return Die(ToString(s.error()));
      n += cases.size();
    }
    times.push_back(Ms(t0, Clock::now()));
    cpu.push_back(CpuMs() - c0);
  }
  std::printf("{\"cases\":%zu,\"runs\":%d,%s,%s}\n", n, a.runs,
              Json("total_ms", Summarize(times)).c_str(), Json("cpu_ms", Summarize(cpu)).c_str());
  return 0;
}


int RunNational(const Args& a) {
  if (a.db.empty() || a.year == 0) return Die("national needs --db and --year");
  Date as_of = Date::FromCivil(a.year + 1, 1, 31);
  if (!a.as_of.empty()) {
    const auto d = Date::Parse(a.as_of);
    if (!d) return Die("bad --as-of");
    as_of = *d;
  }
  auto store = Store::Open(a.db);
  if (!store) return Die(ToString(store.error()));
  Store& s = **store;
  const Actor reader = Actor::System("bench");
  // Warm-up, not counted.
  auto warm = report::BuildNationalReport(s, a.year, as_of, as_of, reader);
  if (!warm) return Die(ToString(warm.error()));
  std::vector<double> gather, assemble, pdf, total, cpu;
  size_t bytes = 0, funds = 0;
  for (int r = 0; r < a.runs; ++r) {
    const double c0 = CpuMs();
    const Clock::time_point t0 = Clock::now();
    auto in = report::GatherNational(s, a.year, as_of, as_of, reader);
    if (!in) return Die(ToString(in.error()));
    const Clock::time_point t1 = Clock::now();
    const report::ReportModel m = report::AssembleNationalReport(*in);
    const Clock::time_point t2 = Clock::now();
    auto out = report::RenderPdf(m);
    if (!out) return Die(ToString(out.error()));
    const Clock::time_point t3 = Clock::now();
    cpu.push_back(CpuMs() - c0);
    gather.push_back(Ms(t0, t1));
    assemble.push_back(Ms(t1, t2));
    pdf.push_back(Ms(t2, t3));
    total.push_back(Ms(t0, t3));
    bytes = out->size();
    funds = in->funds.size();
  }
  std::printf("{\"engine\":\"%s\",\"year\":%d,\"funds\":%zu,\"pdf_bytes\":%zu,\"runs\":%d,%s,%s,%s,%s,%s}\n",
              std::string(s.engine()).c_str(), a.year, funds, bytes, a.runs,
              Json("gather_ms", Summarize(gather)).c_str(),
              Json("assemble_ms", Summarize(assemble)).c_str(),
              Json("pdf_ms", Summarize(pdf)).c_str(), Json("total_ms", Summarize(total)).c_str(),
              Json("total_cpu_ms", Summarize(cpu)).c_str());
  return 0;
}

}  // namespace
}  // namespace amiable

int main(int argc, char** argv) {
  amiable::Args a;
  if (!amiable::ParseArgs(argc, argv, &a)) {
    std::fprintf(stderr,
                 "usage: amiable_bench figures --db URL --year Y [--organisme C]... [--as-of D] "
                 "[--runs N]\n"
                 "       amiable_bench generate [--funds F] [--years Y] [--cases-per-year N] "
                 "[--runs N]\n"
                 "       amiable_bench national --db URL --year Y [--as-of D] [--runs N]\n");
    return 2;
  }
  if (a.command == "figures") return amiable::RunFigures(a);
  if (a.command == "generate") return amiable::RunGenerate(a);
  if (a.command == "national") return amiable::RunNational(a);
  return amiable::Die("unknown command " + a.command);
}
