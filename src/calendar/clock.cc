#include "calendar/clock.h"

#include <date/tz.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "core/messages.h"

namespace amiable {
namespace {

class System final : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

Date DateOfUtc(Instant t) {
  const long long s = t.time_since_epoch().count();
  long long days = s / 86400;
  if (s % 86400 < 0) --days;
  return Date::FromDays(static_cast<int>(days));
}

// The tz database name of each calendar zone (Alsace-Moselle keeps Paris time).
const char* TzName(Zone zone) {
  switch (zone) {
    case Zone::kGuadeloupe:
      return "America/Guadeloupe";
    case Zone::kMartinique:
      return "America/Martinique";
    case Zone::kGuyane:
      return "America/Cayenne";
    case Zone::kReunion:
      return "Indian/Reunion";
    case Zone::kMayotte:
      return "Indian/Mayotte";
    case Zone::kMetropole:
    case Zone::kAlsaceMoselle:
      break;
  }
  return "Europe/Paris";
}

constexpr std::array<Zone, 7> kAll = {Zone::kMetropole,  Zone::kAlsaceMoselle, Zone::kGuadeloupe,
                                      Zone::kMartinique, Zone::kGuyane,        Zone::kReunion,
                                      Zone::kMayotte};

// The zones, looked up once (date's own lookup is thread-safe; the pointers
// stay valid for the process). Without the tz database nothing can say what
// day it is in a fund: the process stops with the reason.
const date::time_zone* TimeZoneOf(Zone zone) {
  static const std::array<const date::time_zone*, kAll.size()> kZones = [] {
    std::array<const date::time_zone*, kAll.size()> z{};
    for (size_t i = 0; i < kAll.size(); ++i) {
      try {
        z[i] = date::locate_zone(TzName(kAll[i]));
      } catch (const std::exception&) {
        std::fprintf(stderr, "amiable: %s\n",
                     msg::Format("calendar.tzdata_missing", {TzName(kAll[i])}).c_str());
        std::abort();
      }
    }
    return z;
  }();
  for (size_t i = 0; i < kAll.size(); ++i) {
    if (kAll[i] == zone) return kZones[i];
  }
  return kZones[0];
}

// The system's zone files list transitions up to 2037 and leave later years
// to a rule (their POSIX footer), which date's reader does not apply. A later
// instant is moved back by whole years into a year of the same calendar (same
// weekday on 1 January, same leap-ness) at or before 2037: the rules of the
// zones ("last Sunday of March") give the same local dates there.
constexpr int kLastListedYear = 2037;

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

Instant IntoListedYears(Instant t) {
  const Date d = DateOfUtc(t);
  const int year = d.year();
  if (year <= kLastListedYear) return t;
  const Date jan1 = Date::FromCivil(year, 1, 1);
  for (int y = kLastListedYear; y > kLastListedYear - 40; --y) {
    const Date other = Date::FromCivil(y, 1, 1);
    if (IsLeap(y) == IsLeap(year) && other.iso_weekday() == jan1.iso_weekday()) {
      return t - std::chrono::seconds(static_cast<long long>(jan1 - other) * 86400);
    }
  }
  return t;  // unreachable: every 28 years repeat a calendar
}

}  // namespace

const Clock& SystemClock() {
  static const System kClock;
  return kClock;
}

std::chrono::seconds UtcOffset(Zone zone, Instant t) {
  const date::sys_info info = TimeZoneOf(zone)->get_info(IntoListedYears(t));
  return std::chrono::duration_cast<std::chrono::seconds>(info.offset);
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
  // Noon is never in a summer-time gap or overlap: the offset an instant
  // before it is the offset at it.
  Instant local_noon(std::chrono::seconds(static_cast<long long>(day.days()) * 86400 + 12 * 3600));
  const Instant guess = local_noon - UtcOffset(zone, local_noon);
  return local_noon - UtcOffset(zone, guess);
}

ShiftedClock::ShiftedClock(const Clock& base, Date day, Zone zone) : base_(base) {
  const Date now_day = LocalDate(base.Now(), zone);
  shift_ = std::chrono::seconds(static_cast<long long>(day - now_day) * 86400);
}

}  // namespace amiable
