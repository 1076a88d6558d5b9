// amiable_bench national --db URL --year Y [--as-of D] [--runs N]
//   Times the national report as PDF on an open store (issue 10: target
//   under 2 s on the national-size data set): GatherNational (one read of
//   every fund's cases for Y-1 and Y, every fund's figures, the register),
//   AssembleNationalReport, RenderPdf; their sum is total_ms (and its CPU
//   time total_cpu_ms). Prints one JSON object (docs/benchmarks.md).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "report/national.h"
#include "report/writers.h"
#include "store/store.h"

namespace amiable {
namespace {

using Steady = std::chrono::steady_clock;

double Ms(Steady::time_point a, Steady::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

double Cpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int Fail(const std::string& m) {
  std::fprintf(stderr, "amiable_bench national: %s\n", m.c_str());
  return 1;
}

}  // namespace

int RunNationalBench(const std::string& db, int year, const std::string& as_of_text, int runs) {
  if (db.empty() || year == 0) return Fail("needs --db and --year");
  Date as_of = Date::FromCivil(year + 1, 1, 31);
  if (!as_of_text.empty()) {
    auto d = Date::Parse(as_of_text);
    if (!d) return Fail("bad --as-of");
    as_of = *d;
  }
  auto store = Store::Open(db);
  if (!store) return Fail(store.error().message);
  const Actor reader = Actor::System("bench");
  // Warm-up, not counted.
  auto warm = report::BuildNationalReport(**store, year, as_of, as_of, reader);
  if (!warm) return Fail(warm.error().message);
  std::vector<double> gather, assemble, pdf, total, cpu;
  size_t bytes = 0, funds = 0;
  for (int r = 0; r < std::max(1, runs); ++r) {
    const double c0 = Cpu();
    const auto t0 = Steady::now();
    auto in = report::GatherNational(**store, year, as_of, as_of, reader);
    if (!in) return Fail(in.error().message);
    const auto t1 = Steady::now();
    const report::ReportModel m = report::AssembleNationalReport(*in);
    const auto t2 = Steady::now();
    auto out = report::RenderPdf(m);
    if (!out) return Fail(out.error().message);
    const auto t3 = Steady::now();
    cpu.push_back(Cpu() - c0);
    gather.push_back(Ms(t0, t1));
    assemble.push_back(Ms(t1, t2));
    pdf.push_back(Ms(t2, t3));
    total.push_back(Ms(t0, t3));
    bytes = out->size();
    funds = in->funds.size();
  }
  std::printf(
      "{\"engine\":\"%s\",\"year\":%d,\"funds\":%zu,\"pdf_bytes\":%zu,\"runs\":%d,"
      "\"gather_ms\":%.1f,\"assemble_ms\":%.1f,\"pdf_ms\":%.1f,\"total_ms\":{\"median\":%.1f,"
      "\"min\":%.1f,\"max\":%.1f},\"total_cpu_ms\":%.1f}\n",
      std::string((*store)->engine()).c_str(), year, funds, bytes, std::max(1, runs),
      Median(gather), Median(assemble), Median(pdf), Median(total),
      *std::min_element(total.begin(), total.end()), *std::max_element(total.begin(), total.end()),
      Median(cpu));
  return 0;
}

}  // namespace amiable
