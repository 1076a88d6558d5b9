// The clock against the system's tz database (issue 11, item 7): summer-time
// transitions of Paris, each overseas zone, the years past the zone files.
#include <gtest/gtest.h>

#include "calendar/clock.h"

namespace amiable {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

Instant Utc(const char* iso_date, int h, int m = 0) {
  Date d = *Date::Parse(iso_date);
  return Instant(std::chrono::seconds(static_cast<long long>(d.days()) * 86400 + h * 3600 + m * 60));
}

TEST(ClockTzTest, ParisAtTheTransitionsOfSeveralYears) {
  // Last Sunday of March and of October at 01:00 UTC.
  struct Case {
    const char* spring;
    const char* autumn;
  };
  for (const Case& c : {Case{"2024-03-31", "2024-10-27"}, Case{"2025-03-30", "2025-10-26"},
                        Case{"2027-03-28", "2027-10-31"}, Case{"2037-03-29", "2037-10-25"}}) {
    SCOPED_TRACE(c.spring);
    EXPECT_EQ(UtcOffset(Zone::kMetropole, Utc(c.spring, 0, 59)), hours(1));
    EXPECT_EQ(UtcOffset(Zone::kMetropole, Utc(c.spring, 1)), hours(2));
    EXPECT_EQ(UtcOffset(Zone::kAlsaceMoselle, Utc(c.autumn, 0, 59)), hours(2));
    EXPECT_EQ(UtcOffset(Zone::kAlsaceMoselle, Utc(c.autumn, 1)), hours(1));
  }
}

TEST(ClockTzTest, LocalDateAroundMidnightOnTransitionDays) {
  // 22:30 UTC the Saturday before the spring change: 23:30 in Paris (winter).
  EXPECT_EQ(LocalDate(Utc("2026-03-28", 22, 30), Zone::kMetropole).ToString(), "2026-03-28");
  EXPECT_EQ(LocalDate(Utc("2026-03-28", 23, 30), Zone::kMetropole).ToString(), "2026-03-29");
  // The Saturday evening before the autumn change: 22:30 UTC is 00:30 (summer).
  EXPECT_EQ(LocalDate(Utc("2026-10-24", 21, 59), Zone::kMetropole).ToString(), "2026-10-24");
  EXPECT_EQ(LocalDate(Utc("2026-10-24", 22, 0), Zone::kMetropole).ToString(), "2026-10-25");
  // The Sunday evening after it: midnight is 23:00 UTC again.
  EXPECT_EQ(LocalDate(Utc("2026-10-25", 22, 59), Zone::kMetropole).ToString(), "2026-10-25");
  EXPECT_EQ(LocalDate(Utc("2026-10-25", 23, 0), Zone::kMetropole).ToString(), "2026-10-26");
}

TEST(ClockTzTest, EachOverseasZoneKeepsItsOffsetAllYear) {
  struct Case {
    Zone zone;
    int offset_hours;
  };
  for (const Case& c : {Case{Zone::kGuadeloupe, -4}, Case{Zone::kMartinique, -4},
                        Case{Zone::kGuyane, -3}, Case{Zone::kReunion, 4},
                        Case{Zone::kMayotte, 3}}) {
    SCOPED_TRACE(ZoneCode(c.zone));
    for (const char* day : {"2026-01-15", "2026-03-29", "2026-07-14", "2026-10-25", "2050-07-01"}) {
      EXPECT_EQ(UtcOffset(c.zone, Utc(day, 12)), hours(c.offset_hours)) << day;
    }
    // Local midnight of 1 January 2027 in that zone.
    const Instant midnight = Utc("2027-01-01", 0) - hours(c.offset_hours);
    EXPECT_EQ(LocalDate(midnight - minutes(1), c.zone).ToString(), "2026-12-31");
    EXPECT_EQ(LocalDate(midnight, c.zone).ToString(), "2027-01-01");
    EXPECT_EQ(NoonOf(*Date::Parse("2026-07-14"), c.zone), Utc("2026-07-14", 12) - hours(c.offset_hours));
  }
}

TEST(ClockTzTest, YearsPastTheZoneFilesKeepTheRule) {
  // The zone files list transitions to 2037; later years follow the rule.
  EXPECT_EQ(UtcOffset(Zone::kMetropole, Utc("2040-07-01", 12)), hours(2));
  EXPECT_EQ(UtcOffset(Zone::kMetropole, Utc("2040-12-01", 12)), hours(1));
  // 2040: last Sunday of March is the 25th, of October the 28th.
  EXPECT_EQ(UtcOffset(Zone::kMetropole, Utc("2040-03-25", 0, 59)), hours(1));
  EXPECT_EQ(UtcOffset(Zone::kMetropole, Utc("2040-03-25", 1)), hours(2));
  EXPECT_EQ(UtcOffset(Zone::kMetropole, Utc("2040-10-28", 0, 59)), hours(2));
  EXPECT_EQ(UtcOffset(Zone::kMetropole, Utc("2040-10-28", 1)), hours(1));
  // 2199, the end of the calendar: last Sunday of March is the 31st.
  EXPECT_EQ(UtcOffset(Zone::kMetropole, Utc("2199-03-31", 0, 59)), hours(1));
  EXPECT_EQ(UtcOffset(Zone::kMetropole, Utc("2199-03-31", 1)), hours(2));
  EXPECT_EQ(UtcOffset(Zone::kReunion, Utc("2199-07-01", 12)), hours(4));
}

TEST(ClockTzTest, NoonOnTransitionDays) {
  EXPECT_EQ(IsoTimestamp(NoonOf(*Date::Parse("2026-03-29"))), "2026-03-29T10:00:00Z");
  EXPECT_EQ(IsoTimestamp(NoonOf(*Date::Parse("2026-10-25"))), "2026-10-25T11:00:00Z");
}

}  // namespace
}  // namespace amiable
