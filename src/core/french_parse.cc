#include "core/french_parse.h"

#include <charconv>
#include <cmath>
#include <string>

namespace amiable::fr {
namespace {

// `s` without its spaces (ASCII space and tab, U+00A0, U+202F), or nullopt
// when it holds another character than digits, ',' and '.'.
std::optional<std::string> Compact(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (s.substr(i, 2) == "\u00A0") {
      i += 2;
    } else if (s.substr(i, 3) == "\u202F") {
      i += 3;
    } else if ((c >= '0' && c <= '9') || c == ',' || c == '.') {
      out += static_cast<char>(c);
      ++i;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

std::optional<double> ParseDecimal(std::string_view s) {
  auto t = Compact(s);
  if (!t || t->empty()) return std::nullopt;
  size_t separators = 0;
  for (char& c : *t) {
    if (c == ',' || c == '.') {
      c = '.';
      ++separators;
    }
  }
  if (separators > 1 || *t == ".") return std::nullopt;
  double v = 0;
  const char* end = t->data() + t->size();
  const auto [p, ec] = std::from_chars(t->data(), end, v, std::chars_format::fixed);
  if (ec != std::errc() || p != end || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseCount(std::string_view s) {
  auto t = Compact(s);
  if (!t || t->empty()) return std::nullopt;
  int64_t v = 0;
  const char* end = t->data() + t->size();
  const auto [p, ec] = std::from_chars(t->data(), end, v);
  if (ec != std::errc() || p != end || v < 0) return std::nullopt;
  return v;
}

std::optional<double> ParsePercent(std::string_view s) {
  // Without its trailing sign (and the space before it, which Compact drops).
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.ends_with("%")) s.remove_suffix(1);
  auto v = ParseDecimal(s);
  if (!v || *v > 100.0) return std::nullopt;
  return *v / 100.0;
}

}  // namespace amiable::fr
