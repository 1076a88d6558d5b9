#include "core/french_format.h"

#include <cmath>
#include <cstdlib>

namespace amiable::fr {
namespace {

// Groups the decimal digits of `n` by three.
std::string GroupDigits(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  const size_t len = digits.size();
  for (size_t i = 0; i < len; ++i) {
    if (i > 0 && (len - i) % 3 == 0) out += kNarrowNbsp;
    out += digits[i];
  }
  return out;
}

constexpr std::string_view kMonths[] = {"janvier",   "février", "mars",     "avril",
                                        "mai",       "juin",    "juillet",  "août",
                                        "septembre", "octobre", "novembre", "décembre"};

std::string WithSign(int64_t scaled, int decimals) {
  return (scaled > 0 ? "+" : "") + FixedFromScaled(scaled, decimals);
}

}  // namespace

std::string FixedFromScaled(int64_t scaled, int decimals) {
  const bool negative = scaled < 0;
  const uint64_t abs =
      negative ? static_cast<uint64_t>(-(scaled + 1)) + 1 : static_cast<uint64_t>(scaled);
  uint64_t pow10 = 1;
  for (int i = 0; i < decimals; ++i) pow10 *= 10;
  std::string out = negative ? "-" : "";
  out += GroupDigits(abs / pow10);
  if (decimals > 0) {
    const std::string frac = std::to_string(abs % pow10);
    out += ',';
    out.append(static_cast<size_t>(decimals) - frac.size(), '0');
    out += frac;
  }
  return out;
}

int64_t RoundRatio(int64_t num, int64_t den, int scale) {
  __int128 n = num;
  __int128 d = den;
  for (int i = 0; i < scale; ++i) n *= 10;
  const bool negative = (n < 0) != (d < 0);
  if (n < 0) n = -n;
  if (d < 0) d = -d;
  __int128 q = n / d;
  if (2 * (n % d) >= d) ++q;
  return static_cast<int64_t>(negative ? -q : q);
}

int64_t RoundScaled(double v, int decimals) {
  double scaled = v * std::pow(10.0, decimals);
  // Nudge by a relative epsilon so that 0.1235 stored as 0.12349999... rounds up.
  scaled += (scaled >= 0 ? 1 : -1) * std::abs(scaled) * 1e-12;
  return static_cast<int64_t>(std::llround(scaled));
}

std::string Count(int64_t n) { return FixedFromScaled(n, 0); }

std::string Decimal(double v, int decimals) {
  return FixedFromScaled(RoundScaled(v, decimals), decimals);
}

std::string Percent(int64_t num, int64_t den, int decimals) {
  if (den == 0) return std::string(kNotAvailable);
  return FixedFromScaled(RoundRatio(num, den, decimals + 2), decimals) +
         std::string(kNarrowNbsp) + "%";
}

std::string PercentOfFraction(std::optional<double> fraction, int decimals) {
  if (!fraction || !std::isfinite(*fraction)) return std::string(kNotAvailable);
  return Decimal(*fraction * 100.0, decimals) + std::string(kNarrowNbsp) + "%";
}

std::string Change(std::optional<double> fraction) {
  if (!fraction || !std::isfinite(*fraction)) return std::string(kNotAvailable);
  return WithSign(RoundScaled(*fraction * 100.0, 1), 1) + std::string(kNarrowNbsp) + "%";
}

std::string PointChange(std::optional<double> delta) {
  if (!delta || !std::isfinite(*delta)) return std::string(kNotAvailable);
  return WithSign(RoundScaled(*delta * 100.0, 1), 1) + std::string(kNbsp) + "pts";
}

std::string Euros(int64_t cents) { return FixedFromScaled(cents, 2) + std::string(kNbsp) + "€"; }

std::string Days(std::optional<double> days) {
  if (!days || !std::isfinite(*days)) return std::string(kNotAvailable);
  return Decimal(*days, 2) + std::string(kNbsp) + "j";
}

std::string ShortDate(Date d) { return d.ToFrench(); }

std::string_view MonthName(int month) {
  if (month < 1 || month > 12) return "";
  return kMonths[month - 1];
}

std::string CapitalizedMonthName(int month) {
  std::string name(MonthName(month));
  if (!name.empty()) name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

std::string LongDate(Date d) {
  const std::string day = d.day() == 1 ? "1er" : std::to_string(d.day());
  return day + " " + std::string(MonthName(d.month())) + " " + std::to_string(d.year());
}

std::string Spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ') {
      const std::string_view rest = text.substr(i + 1);
      const bool before = rest.starts_with("»") || rest.starts_with(":") || rest.starts_with(";") ||
                          rest.starts_with("!") || rest.starts_with("?");
      const bool after = std::string_view(out).ends_with("«");
      if (before || after) {
        out += kNbsp;
        continue;
      }
    }
    out += c;
  }
  return out;
}

std::optional<int64_t> ParseEuros(std::string_view text) {
  std::string digits;
  int decimals = -1;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= '0' && c <= '9') {
      if (decimals >= 0) {
        if (++decimals > 2) return std::nullopt;
      }
      digits += static_cast<char>(c);
      if (digits.size() > 13) return std::nullopt;
    } else if (c == ',' || c == '.') {
      if (decimals >= 0) return std::nullopt;
      decimals = 0;
    } else if (c == ' ' || c == 0xc2 || c == 0xa0 || c == 0xe2 || c == 0x80 || c == 0xaf) {
      continue;  // spaces, no-break spaces (U+00A0, U+202F)
    } else if (c == 0x82 || c == 0xac) {
      continue;  // the euro sign's bytes
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty()) return std::nullopt;
  if (decimals < 0) decimals = 0;
  for (int i = decimals; i < 2; ++i) digits += '0';
  const int64_t cents = std::strtoll(digits.c_str(), nullptr, 10);
  if (cents <= 0) return std::nullopt;
  return cents;
}

}  // namespace amiable::fr
