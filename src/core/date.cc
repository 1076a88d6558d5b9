#include "core/date.h"

#include <cstdio>
#include <ctime>

#include "core/error.h"

namespace amiable {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
constexpr int DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

struct Civil {
  int y;
  unsigned m;
  unsigned d;
};

constexpr Civil CivilFromDays(int z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

}  // namespace

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

Date Date::FromCivil(int year, int month, int day) {
  return FromDays(DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
}

std::optional<Date> Date::Parse(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t n, int* out) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0;
  int m = 0;
  int d = 0;
  if (!digits(0, 4, &y) || !digits(5, 2, &m) || !digits(8, 2, &d)) return std::nullopt;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return FromCivil(y, m, d);
}

std::optional<Date> Date::ParseTyped(std::string_view s) {
  if (auto d = Parse(s)) return d;
  if (s.size() == 10 && s[2] == '/' && s[5] == '/') {
    std::string iso = std::string(s.substr(6, 4)) + "-" + std::string(s.substr(3, 2)) + "-" +
                      std::string(s.substr(0, 2));
    return Parse(iso);
  }
  return std::nullopt;
}


int Date::year() const { return CivilFromDays(days_).y; }
int Date::month() const { return static_cast<int>(CivilFromDays(days_).m); }
int Date::day() const { return static_cast<int>(CivilFromDays(days_).d); }

int Date::iso_weekday() const {
  // 1970-01-01 was a Thursday (4).
  int w = (days_ + 3) % 7;
  if (w < 0) w += 7;
  return w + 1;
}

std::string Date::ToString() const {
  const Civil c = CivilFromDays(days_);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.y, c.m, c.d);
  return buf;
}

std::string Date::ToFrench() const {
  const Civil c = CivilFromDays(days_);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", c.d, c.m, c.y);
  return buf;
}

std::string ToString(const Error& e) {
  std::string out;
  if (e.line > 0) out += "ligne " + std::to_string(e.line) + " : ";
  if (!e.field.empty()) out += e.field + " : ";
  out += e.message;
  return out;
}

}  // namespace amiable
