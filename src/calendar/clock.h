// The one source of "now" (issue 7, item 6): an instant in UTC, and "today"
// derived from it in a fund's zone. Nothing else reads the wall clock; tests
// set a FixedClock, `serve --today` installs an override.
//
// Local time of the zones from the system's tz database (Debian's tzdata,
// read with date/tz.h built with USE_OS_TZDB; never setenv("TZ")):
//   metropole, alsace_moselle  Europe/Paris
//   guadeloupe, martinique     America/Guadeloupe, America/Martinique
//   guyane                     America/Cayenne
//   reunion                    Indian/Reunion
//   mayotte                    Indian/Mayotte
// Past the years the zone files list (2037), the rule of their last year
// goes on. Without the database the process stops with the reason.
//
// Thread safety: SystemClock() and a FixedClock may be read from any thread;
// FixedClock::Set is atomic.
#ifndef AMIABLE_CALENDAR_CLOCK_H_
#define AMIABLE_CALENDAR_CLOCK_H_

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "calendar/calendar.h"
#include "core/date.h"

namespace amiable {

using Instant = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

// The machine's clock.
const Clock& SystemClock();

// A clock that says what it is told (tests, `serve --today`).
class FixedClock : public Clock {
 public:
  explicit FixedClock(Instant t) : t_(t.time_since_epoch().count()) {}
  Instant Now() const override { return Instant(std::chrono::seconds(t_.load())); }
  void Set(Instant t) { t_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::seconds d) { t_.fetch_add(d.count()); }

 private:
  std::atomic<long long> t_;
};

// A clock whose date is `day` in `zone` at the time of day of `base` (the
// override of `serve --today`: time still passes, the day is chosen).
class ShiftedClock : public Clock {
 public:
  ShiftedClock(const Clock& base, Date day, Zone zone);
  Instant Now() const override { return base_.Now() + shift_; }

 private:
  const Clock& base_;
  std::chrono::seconds shift_;
};

// UTC offset of `zone` at instant `t`.
std::chrono::seconds UtcOffset(Zone zone, Instant t);
// The local date of instant `t` in `zone`.
Date LocalDate(Instant t, Zone zone);
// Today in `zone` by `clock`.
inline Date TodayIn(const Clock& clock, Zone zone) { return LocalDate(clock.Now(), zone); }
// "2026-12-01T21:22:12Z"
std::string IsoTimestamp(Instant t);
// The instant of 12:00 local time of `day` in `zone` (tests: "the clock says
// that day").
Instant NoonOf(Date day, Zone zone = Zone::kMetropole);

}  // namespace amiable

#endif  // AMIABLE_CALENDAR_CLOCK_H_
