// French public holidays by zone and working-day arithmetic (domain.md §4).
// Supported years: 1900-2199. Pure functions, thread-safe; per-zone tables are
// built once on first use (about 0.5 MB and a millisecond per calendar).
//
// Outside the supported years the same rules are applied proleptically, so
// every function stays defined, but WorkingDays / AddWorkingDays then take
// time proportional to the distance in years to the supported range. Callers
// that take dates from input should check InCalendarRange() and report a data
// error instead.
#ifndef AMIABLE_CALENDAR_CALENDAR_H_
#define AMIABLE_CALENDAR_CALENDAR_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"

namespace amiable {

enum class Zone {
  kMetropole,
  kAlsaceMoselle,
  kGuadeloupe,
  kMartinique,
  kGuyane,
  kReunion,
  kMayotte
};

// Every zone, in declaration order.
std::span<const Zone> AllZones();

// "metropole", "alsace_moselle", "guadeloupe", "martinique", "guyane", "reunion", "mayotte".
std::optional<Zone> ZoneFromCode(std::string_view code);
const char* ZoneCode(Zone z);

constexpr int kFirstCalendarYear = 1900;
constexpr int kLastCalendarYear = 2199;
constexpr int kTakeChargeTargetWorkingDays = 8;
// The first year the overseas zones have their extra days (Good Friday and
// the abolition of slavery).
constexpr int kFirstOverseasHolidayYear = 1983;

// Whether d lies in kFirstCalendarYear-01-01 .. kLastCalendarYear-12-31.
bool InCalendarRange(Date d);

struct Holiday {
  Date date;
  std::string name;  // French, e.g. "Lundi de Pâques"
};

// Easter Sunday of a Gregorian year (anonymous Gregorian computus).
Date EasterSunday(int year);

// The public holidays of a zone in a year, sorted by date, one entry per
// date: when two holidays fall on the same day (Ascension on 1 or 8 May, Whit
// Monday on an overseas abolition day) their names are joined with " et " in
// the order of domain.md §4 (common list first). When `whit_monday_worked`
// the fund works on Whit Monday and it is left out. Supported for
// kFirstCalendarYear <= year <= kLastCalendarYear (see the note above).
std::vector<Holiday> Holidays(Zone zone, int year, bool whit_monday_worked = false);

// A fund's working calendar: its zone plus its Whit Monday setting.
struct WorkCalendar {
  Zone zone = Zone::kMetropole;
  bool whit_monday_worked = false;
};

bool IsHoliday(WorkCalendar cal, Date d);
// Monday to Friday and not a holiday of the calendar.
bool IsWorkingDay(WorkCalendar cal, Date d);

// The number of working days d with a < d <= b; 0 when a == b. Constant time
// when both dates are in range (after the first call for `cal`).
// For b < a it returns -WorkingDays(cal, b, a) (a negative count): domain.md
// §4 calls that a data error, and callers must treat a negative result as one.
int WorkingDays(WorkCalendar cal, Date a, Date b);

// calendar_days(a, b) of domain.md §4: b - a in days (negative when b < a).
inline int CalendarDays(Date a, Date b) { return b - a; }

// The n-th working day after a: the working day d > a with
// WorkingDays(cal, a, d) == n. n == 0 gives a itself (working day or not).
// n < 0 gives the |n|-th working day before a. Logarithmic time in range.
Date AddWorkingDays(WorkCalendar cal, Date a, int n);

// The take-in-charge deadline of a case received on `received`: the 8th
// working day after it.
inline Date TakeChargeDeadline(WorkCalendar cal, Date received) {
  return AddWorkingDays(cal, received, kTakeChargeTargetWorkingDays);
}

}  // namespace amiable

#endif  // AMIABLE_CALENDAR_CALENDAR_H_
