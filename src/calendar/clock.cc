#include "calendar/clock.h"

#include <cstdio>

namespace amiable {
namespace {

class System final : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

// 01:00 UTC on the last Sunday of `month` of `year`.
Instant LastSundayOneUtc(int year, int month) {
  Date d = Date::FromCivil(year, month, DaysInMonth(year, month));
  while (d.iso_weekday() != 7) d = d - 1;
  return Instant(std::chrono::seconds(static_cast<long long>(d.days()) * 86400 + 3600));
}

Date DateOfUtc(Instant t) {
  const long long s = t.time_since_epoch().count();
  long long days = s / 86400;
  if (s % 86400 < 0) --days;
  return Date::FromDays(static_cast<int>(days));
}

}  // namespace

const Clock& SystemClock() {
  static const System kClock;
  return kClock;
}

std::chrono::seconds UtcOffset(Zone zone, Instant t) {
  using std::chrono::hours;
  switch (zone) {
    case Zone::kGuadeloupe:
    case Zone::kMartinique:
      return hours(-4);
    case Zone::kGuyane:
      return hours(-3);
    case Zone::kReunion:
      return hours(4);
    case Zone::kMayotte:
      return hours(3);
    case Zone::kMetropole:
    case Zone::kAlsaceMoselle:
      break;
  }
  const int year = DateOfUtc(t).year();
  const bool summer = t >= LastSundayOneUtc(year, 3) && t < LastSundayOneUtc(year, 10);
  return hours(summer ? 2 : 1);
}

Date LocalDate(Instant t, Zone zone) { return DateOfUtc(t + UtcOffset(zone, t)); }

std::string IsoTimestamp(Instant t) {
  const long long s = t.time_since_epoch().count();
  const Date d = DateOfUtc(t);
  long long in_day = s - static_cast<long long>(d.days()) * 86400;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lldZ", d.ToString().c_str(), in_day / 3600,
                in_day / 60 % 60, in_day % 60);
  return buf;
}

Instant NoonOf(Date day, Zone zone) {
  Instant local_noon(std::chrono::seconds(static_cast<long long>(day.days()) * 86400 + 12 * 3600));
  return local_noon - UtcOffset(zone, local_noon);
}

ShiftedClock::ShiftedClock(const Clock& base, Date day, Zone zone) : base_(base) {
  const Date now_day = LocalDate(base.Now(), zone);
  shift_ = std::chrono::seconds(static_cast<long long>(day - now_day) * 86400);
}

}  // namespace amiable
