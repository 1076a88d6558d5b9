// French public holidays by zone and working-day arithmetic (domain.md §4).
// Supported years: 1900-2199. Pure functions, thread-safe; per-zone tables are
// built once on first use.
#ifndef AMIABLE_CALENDAR_CALENDAR_H_
#define AMIABLE_CALENDAR_CALENDAR_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"

namespace amiable {

enum class Zone { kMetropole, kAlsaceMoselle, kGuadeloupe, kMartinique, kGuyane, kReunion, kMayotte };

// "metropole", "alsace_moselle", "guadeloupe", "martinique", "guyane", "reunion", "mayotte".
std::optional<Zone> ZoneFromCode(std::string_view code);
const char* ZoneCode(Zone z);

constexpr int kFirstCalendarYear = 1900;
constexpr int kLastCalendarYear = 2199;
constexpr int kTakeChargeTargetWorkingDays = 8;

struct Holiday {
  Date date;
  std::string name;  // French, e.g. "Lundi de Pâques"
};

// Easter Sunday of a Gregorian year (anonymous Gregorian computus).
Date EasterSunday(int year);

// The public holidays of a zone in a year, sorted by date. When
// `whit_monday_worked` the fund works on Whit Monday and it is left out.
// Requires kFirstCalendarYear <= year <= kLastCalendarYear.
std::vector<Holiday> Holidays(Zone zone, int year, bool whit_monday_worked = false);

// A fund's working calendar: its zone plus its Whit Monday setting.
struct WorkCalendar {
  Zone zone = Zone::kMetropole;
  bool whit_monday_worked = false;
};

bool IsHoliday(WorkCalendar cal, Date d);
// Monday to Friday and not a holiday of the calendar.
bool IsWorkingDay(WorkCalendar cal, Date d);

// The number of working days d with a < d <= b. Requires a <= b and both
// dates within the supported years (constant time after the first call).
int WorkingDays(WorkCalendar cal, Date a, Date b);

// The n-th working day after a (n >= 0; n == 0 gives a itself).
Date AddWorkingDays(WorkCalendar cal, Date a, int n);

// The take-in-charge deadline of a case received on `received`: the 8th
// working day after it.
inline Date TakeChargeDeadline(WorkCalendar cal, Date received) {
  return AddWorkingDays(cal, received, kTakeChargeTargetWorkingDays);
}

}  // namespace amiable

#endif  // AMIABLE_CALENDAR_CALENDAR_H_
