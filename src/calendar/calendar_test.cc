#include "calendar/calendar.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace amiable {
namespace {

Date D(const char* iso) {
  auto d = Date::Parse(iso);
  EXPECT_TRUE(d) << iso;
  return d.value_or(Date());
}

std::vector<std::string> DateStrings(const std::vector<Holiday>& hs) {
  std::vector<std::string> out;
  for (const Holiday& h : hs) out.push_back(h.date.ToString());
  return out;
}

TEST(CalendarTest, ZoneCodesRoundTrip) {
  EXPECT_EQ(AllZones().size(), 7u);
  for (Zone z : AllZones()) {
    auto back = ZoneFromCode(ZoneCode(z));
    ASSERT_TRUE(back) << ZoneCode(z);
    EXPECT_EQ(*back, z);
  }
  EXPECT_EQ(ZoneFromCode("alsace_moselle"), Zone::kAlsaceMoselle);
  EXPECT_FALSE(ZoneFromCode(""));
  EXPECT_FALSE(ZoneFromCode("Metropole"));
  EXPECT_FALSE(ZoneFromCode("alsace-moselle"));
}

TEST(CalendarTest, EasterSundayOfKnownYears) {
  const std::pair<int, const char*> kCases[] = {
      {1900, "1900-04-15"}, {1913, "1913-03-23"}, {1943, "1943-04-25"}, {1954, "1954-04-18"},
      {1961, "1961-04-02"}, {1981, "1981-04-19"}, {2000, "2000-04-23"}, {2008, "2008-03-23"},
      {2011, "2011-04-24"}, {2019, "2019-04-21"}, {2024, "2024-03-31"}, {2025, "2025-04-20"},
      {2026, "2026-04-05"}, {2038, "2038-04-25"}, {2100, "2100-03-28"}, {2160, "2160-03-23"},
      {2199, "2199-04-14"},
  };
  for (const auto& [year, iso] : kCases) {
    EXPECT_EQ(EasterSunday(year).ToString(), iso) << year;
    EXPECT_EQ(EasterSunday(year).iso_weekday(), 7) << year;
  }
}

TEST(CalendarTest, EasterSundayStaysWithinItsBounds) {
  for (int y = kFirstCalendarYear; y <= kLastCalendarYear; ++y) {
    const Date e = EasterSunday(y);
    EXPECT_EQ(e.iso_weekday(), 7) << y;
    EXPECT_GE(e, Date::FromCivil(y, 3, 22)) << y;
    EXPECT_LE(e, Date::FromCivil(y, 4, 25)) << y;
  }
}

struct HolidayCase {
  Zone zone;
  int year;
  bool whit_monday_worked;
  std::vector<std::string> dates;
};

TEST(CalendarTest, HolidaysOfEachZone) {
  const std::vector<std::string> kMetropole2025 = {
      "2025-01-01", "2025-04-21", "2025-05-01", "2025-05-08", "2025-05-29", "2025-06-09",
      "2025-07-14", "2025-08-15", "2025-11-01", "2025-11-11", "2025-12-25"};
  auto plus = [&](std::vector<std::string> extra) {
    std::vector<std::string> all = kMetropole2025;
    all.insert(all.end(), extra.begin(), extra.end());
    std::sort(all.begin(), all.end());
    return all;
  };
  const std::vector<std::string> kWhitWorked2025 = {
      "2025-01-01", "2025-04-21", "2025-05-01", "2025-05-08", "2025-05-29",
      "2025-07-14", "2025-08-15", "2025-11-01", "2025-11-11", "2025-12-25"};
  const HolidayCase kCases[] = {
      {Zone::kMetropole, 2025, false, kMetropole2025},
      {Zone::kMetropole, 2025, true, kWhitWorked2025},
      {Zone::kAlsaceMoselle, 2025, false, plus({"2025-04-18", "2025-12-26"})},
      {Zone::kGuadeloupe, 2025, false, plus({"2025-04-18", "2025-05-27"})},
      {Zone::kMartinique, 2025, false, plus({"2025-04-18", "2025-05-22"})},
      {Zone::kGuyane, 2025, false, plus({"2025-06-10"})},
      {Zone::kReunion, 2025, false, plus({"2025-12-20"})},
      {Zone::kMayotte, 2025, false, plus({"2025-04-27"})},
      // 2008: Ascension on 1 May, one entry for the day.
      {Zone::kMetropole,
       2008,
       false,
       {"2008-01-01", "2008-03-24", "2008-05-01", "2008-05-08", "2008-05-12", "2008-07-14",
        "2008-08-15", "2008-11-01", "2008-11-11", "2008-12-25"}},
      // Overseas extra days start in 1983; Alsace-Moselle's apply to every year.
      {Zone::kGuadeloupe,
       1982,
       false,
       {"1982-01-01", "1982-04-12", "1982-05-01", "1982-05-08", "1982-05-20", "1982-05-31",
        "1982-07-14", "1982-08-15", "1982-11-01", "1982-11-11", "1982-12-25"}},
      {Zone::kGuadeloupe,
       1983,
       false,
       {"1983-01-01", "1983-04-01", "1983-04-04", "1983-05-01", "1983-05-08", "1983-05-12",
        "1983-05-23", "1983-05-27", "1983-07-14", "1983-08-15", "1983-11-01", "1983-11-11",
        "1983-12-25"}},
      {Zone::kAlsaceMoselle,
       1900,
       false,
       {"1900-01-01", "1900-04-13", "1900-04-16", "1900-05-01", "1900-05-08", "1900-05-24",
        "1900-06-04", "1900-07-14", "1900-08-15", "1900-11-01", "1900-11-11", "1900-12-25",
        "1900-12-26"}},
      {Zone::kMayotte,
       2199,
       false,
       {"2199-01-01", "2199-04-15", "2199-04-27", "2199-05-01", "2199-05-08", "2199-05-23",
        "2199-06-03", "2199-07-14", "2199-08-15", "2199-11-01", "2199-11-11", "2199-12-25"}},
  };
  for (const HolidayCase& c : kCases) {
    EXPECT_EQ(DateStrings(Holidays(c.zone, c.year, c.whit_monday_worked)), c.dates)
        << ZoneCode(c.zone) << " " << c.year << (c.whit_monday_worked ? " whit worked" : "");
  }
}

TEST(CalendarTest, HolidayNamesAreFrench) {
  const std::vector<std::pair<std::string, std::string>> kAlsace2025 = {
      {"2025-01-01", "Jour de l'an"},       {"2025-04-18", "Vendredi saint"},
      {"2025-04-21", "Lundi de Pâques"},    {"2025-05-01", "Fête du Travail"},
      {"2025-05-08", "Victoire 1945"},      {"2025-05-29", "Ascension"},
      {"2025-06-09", "Lundi de Pentecôte"}, {"2025-07-14", "Fête nationale"},
      {"2025-08-15", "Assomption"},         {"2025-11-01", "Toussaint"},
      {"2025-11-11", "Armistice 1918"},     {"2025-12-25", "Noël"},
      {"2025-12-26", "Saint-Étienne"},
  };
  std::vector<std::pair<std::string, std::string>> got;
  for (const Holiday& h : Holidays(Zone::kAlsaceMoselle, 2025)) {
    got.emplace_back(h.date.ToString(), h.name);
  }
  EXPECT_EQ(got, kAlsace2025);
  for (Zone z :
       {Zone::kGuadeloupe, Zone::kMartinique, Zone::kGuyane, Zone::kReunion, Zone::kMayotte}) {
    int abolition = 0;
    for (const Holiday& h : Holidays(z, 2025)) abolition += h.name == "Abolition de l'esclavage";
    EXPECT_EQ(abolition, 1) << ZoneCode(z);
  }
}

TEST(CalendarTest, HolidaysOnTheSameDayShareOneEntry) {
  struct Case {
    Zone zone;
    int year;
    bool whit_monday_worked;
    const char* date;
    const char* name;
  };
  const Case kCases[] = {
      {Zone::kMetropole, 2008, false, "2008-05-01", "Fête du Travail et Ascension"},
      {Zone::kMetropole, 1913, false, "1913-05-01", "Fête du Travail et Ascension"},
      // Easter on 30 March puts Ascension on 8 May.
      {Zone::kMetropole, 1997, false, "1997-05-08", "Victoire 1945 et Ascension"},
      // Easter 2019-04-21: Whit Monday on 10 June.
      {Zone::kGuyane, 2019, false, "2019-06-10", "Lundi de Pentecôte et Abolition de l'esclavage"},
      {Zone::kGuyane, 2019, true, "2019-06-10", "Abolition de l'esclavage"},
  };
  for (const Case& c : kCases) {
    bool found = false;
    for (const Holiday& h : Holidays(c.zone, c.year, c.whit_monday_worked)) {
      if (h.date.ToString() == c.date) {
        EXPECT_EQ(h.name, c.name) << c.date;
        found = true;
      }
    }
    EXPECT_TRUE(found) << c.date;
  }
}

TEST(CalendarTest, IsHolidayAgreesWithHolidaysEveryYear) {
  for (Zone z : AllZones()) {
    for (bool whit : {false, true}) {
      const WorkCalendar cal{z, whit};
      for (int y = kFirstCalendarYear; y <= kLastCalendarYear; ++y) {
        std::set<Date> dates;
        for (const Holiday& h : Holidays(z, y, whit)) {
          EXPECT_TRUE(dates.insert(h.date).second) << "duplicate " << h.date.ToString();
        }
        const Date first = Date::FromCivil(y, 1, 1);
        const Date last = Date::FromCivil(y, 12, 31);
        for (Date d = first; d <= last; ++d) {
          const bool holiday = dates.count(d) > 0;
          ASSERT_EQ(IsHoliday(cal, d), holiday) << ZoneCode(z) << " " << d.ToString();
          ASSERT_EQ(IsWorkingDay(cal, d), !holiday && !d.is_weekend())
              << ZoneCode(z) << " " << d.ToString();
        }
      }
    }
  }
}

struct SpanCase {
  Zone zone;
  const char* from;
  const char* to;
  int working_days;
};

TEST(CalendarTest, WorkingDaysExamples) {
  const SpanCase kCases[] = {
      {Zone::kMetropole, "2025-01-08", "2025-01-08", 0},      // same day
      {Zone::kMetropole, "2025-01-10", "2025-01-13", 1},      // Friday -> Monday
      {Zone::kMetropole, "2025-01-11", "2025-01-13", 1},      // Saturday -> Monday
      {Zone::kMetropole, "2025-01-12", "2025-01-13", 1},      // Sunday -> Monday
      {Zone::kMetropole, "2025-01-11", "2025-01-12", 0},      // Saturday -> Sunday
      {Zone::kMetropole, "2025-01-10", "2025-01-17", 5},      // one week
      {Zone::kMetropole, "2025-04-18", "2025-04-22", 1},      // Easter Monday
      {Zone::kAlsaceMoselle, "2025-04-17", "2025-04-22", 1},  // + Good Friday
      {Zone::kMetropole, "2025-04-17", "2025-04-22", 2},
      {Zone::kMetropole, "2024-12-31", "2025-12-31", 251},
      {Zone::kAlsaceMoselle, "2024-12-31", "2025-12-31", 249},
      {Zone::kMetropole, "2025-12-31", "2024-12-31", -251},  // b < a: negative
      {Zone::kMetropole, "1899-12-31", "1900-01-02", 1},     // first day of the tables
      {Zone::kMetropole, "2199-12-29", "2200-01-02", 3},     // past the last day
  };
  for (const SpanCase& c : kCases) {
    EXPECT_EQ(WorkingDays({c.zone, false}, D(c.from), D(c.to)), c.working_days)
        << ZoneCode(c.zone) << " " << c.from << " -> " << c.to;
  }
}

TEST(CalendarTest, TakeChargeDeadlineAcrossHolidays) {
  struct Case {
    WorkCalendar cal;
    const char* received;
    const char* deadline;
  };
  const Case kCases[] = {
      {{Zone::kMetropole, false}, "2025-01-06", "2025-01-16"},
      {{Zone::kMetropole, false}, "2025-01-04", "2025-01-15"},      // a Saturday
      {{Zone::kMetropole, false}, "2025-04-17", "2025-04-30"},      // Easter Monday
      {{Zone::kAlsaceMoselle, false}, "2025-04-17", "2025-05-02"},  // + Good Friday, 1 May
      {{Zone::kMetropole, false}, "2025-12-23", "2026-01-06"},      // Christmas, New Year
      {{Zone::kAlsaceMoselle, false}, "2025-12-23", "2026-01-07"},  // + Saint-Étienne
      {{Zone::kMetropole, false}, "2025-05-28", "2025-06-11"},      // Ascension, Whit Monday
      {{Zone::kMetropole, true}, "2025-05-28", "2025-06-10"},       // Whit Monday worked
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(TakeChargeDeadline(c.cal, D(c.received)).ToString(), c.deadline)
        << ZoneCode(c.cal.zone) << " " << c.received;
    EXPECT_EQ(WorkingDays(c.cal, D(c.received), D(c.deadline)), kTakeChargeTargetWorkingDays);
  }
}

TEST(CalendarTest, WhitMondayWorkedSetting) {
  const Date friday = D("2025-06-06");
  const Date whit_monday = D("2025-06-09");
  const WorkCalendar off{Zone::kMetropole, false};
  const WorkCalendar worked{Zone::kMetropole, true};
  EXPECT_TRUE(IsHoliday(off, whit_monday));
  EXPECT_FALSE(IsWorkingDay(off, whit_monday));
  EXPECT_FALSE(IsHoliday(worked, whit_monday));
  EXPECT_TRUE(IsWorkingDay(worked, whit_monday));
  EXPECT_EQ(WorkingDays(off, friday, whit_monday), 0);
  EXPECT_EQ(WorkingDays(worked, friday, whit_monday), 1);
  EXPECT_EQ(AddWorkingDays(off, friday, 1).ToString(), "2025-06-10");
  EXPECT_EQ(AddWorkingDays(worked, friday, 1).ToString(), "2025-06-09");
  EXPECT_EQ(Holidays(Zone::kMetropole, 2025, true).size() + 1,
            Holidays(Zone::kMetropole, 2025, false).size());
}

TEST(CalendarTest, AddWorkingDaysEdgeCases) {
  const WorkCalendar cal{Zone::kMetropole, false};
  EXPECT_EQ(AddWorkingDays(cal, D("2025-01-11"), 0).ToString(), "2025-01-11");  // itself
  EXPECT_EQ(AddWorkingDays(cal, D("2025-01-10"), 1).ToString(), "2025-01-13");
  EXPECT_EQ(AddWorkingDays(cal, D("2025-01-11"), 5).ToString(), "2025-01-17");  // not Saturday
  EXPECT_EQ(AddWorkingDays(cal, D("2025-01-13"), -1).ToString(), "2025-01-10");
  EXPECT_EQ(AddWorkingDays(cal, D("2025-01-13"), -5).ToString(), "2025-01-06");
  EXPECT_EQ(AddWorkingDays(cal, D("2025-01-02"), -1).ToString(), "2024-12-31");
  EXPECT_EQ(AddWorkingDays(cal, D("2025-04-22"), -1).ToString(), "2025-04-18");
}

// Naive counts as the reference, over the whole range and past its ends
// (where the tables do not apply).
TEST(CalendarTest, WorkingDaysMatchesNaiveCounting) {
  const Date lo = D("1890-06-01");
  const Date hi = D("2210-06-30");
  uint32_t seed = 12345;
  auto next = [&seed](int bound) {
    seed = seed * 1103515245u + 12345u;
    return static_cast<int>((seed >> 8) % static_cast<uint32_t>(bound));
  };
  for (Zone z : AllZones()) {
    for (bool whit : {false, true}) {
      const WorkCalendar cal{z, whit};
      // running[i]: working days in (lo, lo + i], counted one day at a time.
      std::vector<int> running(hi - lo + 1, 0);
      for (int i = 1; i < static_cast<int>(running.size()); ++i) {
        const Date d = lo + i;
        running[i] = running[i - 1] + (!d.is_weekend() && !IsHoliday(cal, d) ? 1 : 0);
      }
      const int anchor = D("1950-06-15") - lo;
      for (int i = 0; i < static_cast<int>(running.size()); ++i) {
        ASSERT_EQ(WorkingDays(cal, lo + anchor, lo + i), running[i] - running[anchor])
            << ZoneCode(z) << " " << (lo + i).ToString();
      }
      ASSERT_EQ(WorkingDays(cal, lo, hi), running.back());
      for (int i = 0; i < 300; ++i) {
        const Date a = lo + next(hi - lo);
        const int n = next(400) - 100;
        const Date b = AddWorkingDays(cal, a, n);
        if (n > 0) {
          ASSERT_TRUE(IsWorkingDay(cal, b)) << a.ToString() << " " << n;
          ASSERT_EQ(WorkingDays(cal, a, b), n) << a.ToString() << " " << n;
          ASSERT_EQ(WorkingDays(cal, a, b - 1), n - 1) << a.ToString() << " " << n;
        } else if (n < 0) {
          // The |n|-th working day before a: |n| working days in [b, a).
          ASSERT_TRUE(IsWorkingDay(cal, b)) << a.ToString() << " " << n;
          ASSERT_EQ(WorkingDays(cal, b - 1, a - 1), -n) << a.ToString() << " " << n;
          ASSERT_EQ(WorkingDays(cal, b, a - 1), -n - 1) << a.ToString() << " " << n;
        } else {
          ASSERT_EQ(b, a);
        }
        const Date c = lo + next(hi - lo);
        ASSERT_EQ(WorkingDays(cal, a, c), -WorkingDays(cal, c, a));
      }
    }
  }
}

TEST(CalendarTest, RangeBounds) {
  EXPECT_TRUE(InCalendarRange(D("1900-01-01")));
  EXPECT_TRUE(InCalendarRange(D("2199-12-31")));
  EXPECT_FALSE(InCalendarRange(D("1899-12-31")));
  EXPECT_FALSE(InCalendarRange(D("2200-01-01")));
  EXPECT_EQ(CalendarDays(D("2025-01-01"), D("2025-03-01")), 59);
  // The far past stays defined (rules applied proleptically), just slower.
  const WorkCalendar cal{Zone::kMetropole, false};
  EXPECT_EQ(WorkingDays(cal, D("1800-01-03"), D("1800-01-06")), 1);  // Friday -> Monday
  EXPECT_EQ(AddWorkingDays(cal, D("2199-12-30"), 3).ToString(), "2200-01-03");
}

TEST(CalendarTest, TablesBuildOnceUnderConcurrentFirstUse) {
  std::vector<std::thread> threads;
  std::vector<int> results(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([i, &results] {
      const WorkCalendar cal{Zone::kMayotte, i % 2 == 0};
      results[i] = WorkingDays(cal, D("2024-12-31"), D("2025-12-31"));
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(results[i], i % 2 == 0 ? 252 : 251) << i;
}

}  // namespace
}  // namespace amiable
