#include "calendar/calendar.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>

namespace amiable {
namespace {

constexpr std::array<Zone, 7> kZones = {Zone::kMetropole,  Zone::kAlsaceMoselle, Zone::kGuadeloupe,
                                        Zone::kMartinique, Zone::kGuyane,        Zone::kReunion,
                                        Zone::kMayotte};

// At most 11 common days, 2 extra days per zone.
constexpr int kMaxHolidaysPerYear = 16;

struct RawHoliday {
  Date date;
  const char* name;
};

// The holidays of a year in the order of domain.md §4 (common list, then the
// zone's extra days); not sorted, and two entries may share a date.
int RawHolidays(Zone zone, int year, bool whit_monday_worked,
                std::array<RawHoliday, kMaxHolidaysPerYear>& out) {
  int n = 0;
  auto add = [&](Date d, const char* name) { out[n++] = {d, name}; };
  auto fixed = [&](int month, int day, const char* name) {
    add(Date::FromCivil(year, month, day), name);
  };
  const Date easter = EasterSunday(year);
  fixed(1, 1, "Jour de l'an");
  add(easter + 1, "Lundi de Pâques");
  fixed(5, 1, "Fête du Travail");
  fixed(5, 8, "Victoire 1945");
  add(easter + 39, "Ascension");
  if (!whit_monday_worked) add(easter + 50, "Lundi de Pentecôte");
  fixed(7, 14, "Fête nationale");
  fixed(8, 15, "Assomption");
  fixed(11, 1, "Toussaint");
  fixed(11, 11, "Armistice 1918");
  fixed(12, 25, "Noël");

  constexpr const char* kAbolition = "Abolition de l'esclavage";
  const bool overseas = year >= kFirstOverseasHolidayYear;
  switch (zone) {
    case Zone::kMetropole:
      break;
    case Zone::kAlsaceMoselle:
      add(easter - 2, "Vendredi saint");
      fixed(12, 26, "Saint-Étienne");
      break;
    case Zone::kGuadeloupe:
      if (overseas) {
        add(easter - 2, "Vendredi saint");
        fixed(5, 27, kAbolition);
      }
      break;
    case Zone::kMartinique:
      if (overseas) {
        add(easter - 2, "Vendredi saint");
        fixed(5, 22, kAbolition);
      }
      break;
    case Zone::kGuyane:
      if (overseas) fixed(6, 10, kAbolition);
      break;
    case Zone::kReunion:
      if (overseas) fixed(12, 20, kAbolition);
      break;
    case Zone::kMayotte:
      if (overseas) fixed(4, 27, kAbolition);
      break;
  }
  return n;
}

// The distinct holiday dates of a year, sorted; returns their number.
int HolidayDates(Zone zone, int year, bool whit_monday_worked,
                 std::array<Date, kMaxHolidaysPerYear>& out) {
  std::array<RawHoliday, kMaxHolidaysPerYear> raw;
  const int n = RawHolidays(zone, year, whit_monday_worked, raw);
  for (int i = 0; i < n; ++i) out[i] = raw[i].date;
  std::sort(out.begin(), out.begin() + n);
  return static_cast<int>(std::unique(out.begin(), out.begin() + n) - out.begin());
}

bool IsHolidaySlow(WorkCalendar cal, Date d) {
  std::array<Date, kMaxHolidaysPerYear> dates;
  const int n = HolidayDates(cal.zone, d.year(), cal.whit_monday_worked, dates);
  return std::binary_search(dates.begin(), dates.begin() + n, d);
}

// Monday-to-Friday days among all days < the day with index `days` (days
// since 1970-01-01), up to a constant: only differences are meaningful.
int64_t WeekdaysBefore(int64_t days) {
  // Shift so that index 0 is a Monday (1970-01-01 was a Thursday).
  const int64_t k = days + 3;
  int64_t q = k / 7;
  int64_t r = k % 7;
  if (r < 0) {
    r += 7;
    --q;
  }
  return q * 5 + std::min<int64_t>(r, 5);
}

// Working days d with a < d <= b, for a <= b, without the tables: weekdays
// minus the holidays that fall on weekdays, one year at a time.
int64_t WorkingDaysSlow(WorkCalendar cal, Date a, Date b) {
  if (a == b) return 0;
  int64_t count = WeekdaysBefore(int64_t{b.days()} + 1) - WeekdaysBefore(int64_t{a.days()} + 1);
  const int last_year = b.year();
  for (int year = (a + 1).year(); year <= last_year; ++year) {
    std::array<Date, kMaxHolidaysPerYear> dates;
    const int n = HolidayDates(cal.zone, year, cal.whit_monday_worked, dates);
    for (int i = 0; i < n; ++i) {
      if (dates[i] > a && dates[i] <= b && !dates[i].is_weekend()) --count;
    }
  }
  return count;
}

// Per-calendar tables over kFirstCalendarYear-01-01 .. kLastCalendarYear-12-31.
// Index i stands for the day base + i; index 0 (the day before the range) is a
// sentinel so that cumulative[i] - cumulative[i - 1] is defined for every day.
struct Table {
  Date base;                        // the day before the first supported day
  std::vector<int32_t> cumulative;  // working days d with base < d <= base + i
  std::vector<bool> holiday;        // base + i is a holiday
  int size() const { return static_cast<int>(cumulative.size()); }
};

void BuildTable(WorkCalendar cal, Table& t) {
  const Date first = Date::FromCivil(kFirstCalendarYear, 1, 1);
  const Date last = Date::FromCivil(kLastCalendarYear, 12, 31);
  t.base = first - 1;
  const int n = last - t.base + 1;
  t.holiday.assign(n, false);
  for (int year = kFirstCalendarYear; year <= kLastCalendarYear; ++year) {
    std::array<Date, kMaxHolidaysPerYear> dates;
    const int count = HolidayDates(cal.zone, year, cal.whit_monday_worked, dates);
    for (int i = 0; i < count; ++i) t.holiday[dates[i] - t.base] = true;
  }
  t.cumulative.assign(n, 0);
  int weekday = first.iso_weekday();
  for (int i = 1; i < n; ++i) {
    const bool working = weekday <= 5 && !t.holiday[i];
    t.cumulative[i] = t.cumulative[i - 1] + (working ? 1 : 0);
    weekday = weekday == 7 ? 1 : weekday + 1;
  }
}

const Table& TableFor(WorkCalendar cal) {
  constexpr int kCount = static_cast<int>(kZones.size()) * 2;
  static std::array<std::once_flag, kCount> once;
  static std::array<Table, kCount> tables;
  const int i = static_cast<int>(cal.zone) * 2 + (cal.whit_monday_worked ? 1 : 0);
  std::call_once(once[i], [&] { BuildTable(cal, tables[i]); });
  return tables[i];
}

// Working days d with t.base < d <= x, negative for x < t.base. Any two
// values subtract to WorkingDays.
int64_t Cumulative(WorkCalendar cal, const Table& t, Date x) {
  const int i = x - t.base;
  if (i >= 0 && i < t.size()) return t.cumulative[i];
  if (i < 0) return -WorkingDaysSlow(cal, x, t.base);
  const Date last = t.base + (t.size() - 1);
  return t.cumulative.back() + WorkingDaysSlow(cal, last, x);
}

}  // namespace

std::span<const Zone> AllZones() { return kZones; }

const char* ZoneCode(Zone z) {
  switch (z) {
    case Zone::kMetropole:
      return "metropole";
    case Zone::kAlsaceMoselle:
      return "alsace_moselle";
    case Zone::kGuadeloupe:
      return "guadeloupe";
    case Zone::kMartinique:
      return "martinique";
    case Zone::kGuyane:
      return "guyane";
    case Zone::kReunion:
      return "reunion";
    case Zone::kMayotte:
      return "mayotte";
  }
  return "metropole";
}

std::optional<Zone> ZoneFromCode(std::string_view code) {
  for (Zone z : kZones) {
    if (code == ZoneCode(z)) return z;
  }
  return std::nullopt;
}

bool InCalendarRange(Date d) {
  static const Date first = Date::FromCivil(kFirstCalendarYear, 1, 1);
  static const Date last = Date::FromCivil(kLastCalendarYear, 12, 31);
  return d >= first && d <= last;
}

Date EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return Date::FromCivil(year, month, day);
}

std::vector<Holiday> Holidays(Zone zone, int year, bool whit_monday_worked) {
  std::array<RawHoliday, kMaxHolidaysPerYear> raw;
  const int n = RawHolidays(zone, year, whit_monday_worked, raw);
  std::stable_sort(raw.begin(), raw.begin() + n,
                   [](const RawHoliday& x, const RawHoliday& y) { return x.date < y.date; });
  std::vector<Holiday> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    if (!out.empty() && out.back().date == raw[i].date) {
      out.back().name += " et ";
      out.back().name += raw[i].name;
    } else {
      out.push_back({raw[i].date, raw[i].name});
    }
  }
  return out;
}

bool IsHoliday(WorkCalendar cal, Date d) {
  const Table& t = TableFor(cal);
  const int i = d - t.base;
  if (i > 0 && i < t.size()) return t.holiday[i];
  return IsHolidaySlow(cal, d);
}

bool IsWorkingDay(WorkCalendar cal, Date d) {
  const Table& t = TableFor(cal);
  const int i = d - t.base;
  if (i > 0 && i < t.size()) return t.cumulative[i] != t.cumulative[i - 1];
  return !d.is_weekend() && !IsHolidaySlow(cal, d);
}

int WorkingDays(WorkCalendar cal, Date a, Date b) {
  const Table& t = TableFor(cal);
  const int ia = a - t.base;
  const int ib = b - t.base;
  if (ia >= 0 && ib >= 0 && ia < t.size() && ib < t.size()) {
    return t.cumulative[ib] - t.cumulative[ia];
  }
  return static_cast<int>(Cumulative(cal, t, b) - Cumulative(cal, t, a));
}

Date AddWorkingDays(WorkCalendar cal, Date a, int n) {
  if (n == 0) return a;
  // Jump whole weeks: k weeks hold at most 5k working days, so a jump never
  // overshoots; holidays leave a small remainder, walked day by day.
  auto jump = [](int64_t remaining) {
    constexpr int64_t kMaxWeeks = int64_t{1} << 20;
    return static_cast<int>(std::min(remaining / 5, kMaxWeeks) * 7);
  };
  Date cur = a;
  if (n > 0) {
    int64_t remaining = n;
    while (remaining >= 5) {
      const Date next = cur + jump(remaining);
      remaining -= WorkingDays(cal, cur, next);
      cur = next;
    }
    if (remaining == 0) {
      // WorkingDays(a, cur) == n; the answer is the last working day <= cur.
      while (!IsWorkingDay(cal, cur)) cur = cur - 1;
    }
    while (remaining > 0) {
      cur = cur + 1;
      if (IsWorkingDay(cal, cur)) --remaining;
    }
    return cur;
  }
  // Mirror image: count working days d with cur <= d < a.
  int64_t remaining = -int64_t{n};
  while (remaining >= 5) {
    const Date next = cur - jump(remaining);
    remaining -= WorkingDays(cal, next - 1, cur - 1);
    cur = next;
  }
  if (remaining == 0) {
    while (!IsWorkingDay(cal, cur)) cur = cur + 1;
  }
  while (remaining > 0) {
    cur = cur - 1;
    if (IsWorkingDay(cal, cur)) --remaining;
  }
  return cur;
}

}  // namespace amiable
