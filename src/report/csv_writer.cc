// CSV: one figure per line, long format, for spreadsheets set to French:
//   section;code;label;year;count;share
// UTF-8 with a byte-order mark (so that Excel reads the accents), `;` as
// separator, CRLF line ends, decimal comma, no thousands separator. `count`
// is a count, except where the label says otherwise (days for delays, euros
// for amounts); `share` is a fraction (0,357 for 35,7 %) whose denominator
// the label names, empty when the figure is not a share or its denominator is
// empty. Fields holding `;`, `"` or a line break are quoted.
// RenderProblemsCsv: the data-quality page's list of cases to fix, in the
// same dialect (not part of the report).
#include <cmath>
#include <cstdio>

#include "report/writers.h"

namespace amiable::report {
namespace {

std::string Quote(const std::string& s) {
  if (s.find_first_of(";\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Up to 6 decimals, trailing zeros dropped, decimal comma: 0.35714285 -> "0,357143".
std::string Number(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "";
  char buf[64];
  if (*v == std::floor(*v) && std::abs(*v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", *v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.6f", *v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  for (char& c : s) {
    if (c == '.') c = ',';
  }
  return s;
}

}  // namespace

std::string RenderCsv(const ReportModel& model) {
  std::string out = "\xEF\xBB\xBF";
  out += "section;code;label;year;count;share\r\n";
  for (const DataPoint& p : model.data) {
    out += Quote(p.section);
    out += ';';
    out += Quote(p.code);
    out += ';';
    out += Quote(p.label);
    out += ';';
    out += std::to_string(p.year);
    out += ';';
    out += Number(p.count);
    out += ';';
    out += Number(p.share);
    out += "\r\n";
  }
  return out;
}

std::string RenderProblemsCsv(const ConsistencyReport& q) {
  std::string out = "\xEF\xBB\xBF";
  out += "reference;caf;gravite;code;probleme\r\n";
  for (const bool blocking : {true, false}) {
    for (const DataProblem& p : q.problems) {
      if ((p.severity == DataProblem::Severity::kBlocking) != blocking) continue;
      out += Quote(p.reference);
      out += ';';
      out += Quote(p.organisme);
      out += ';';
      out += blocking ? "bloquant" : "avertissement";
      out += ';';
      out += Quote(p.code);
      out += ';';
      out += Quote(p.message);
      out += "\r\n";
    }
  }
  return out;
}

}  // namespace amiable::report
