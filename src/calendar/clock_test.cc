#include "calendar/clock.h"

#include <gtest/gtest.h>

namespace amiable {
namespace {

Instant At(const char* iso_date, int h, int m = 0) {
  Date d = *Date::Parse(iso_date);
  return Instant(std::chrono::seconds(static_cast<long long>(d.days()) * 86400 + h * 3600 + m * 60));
}

TEST(ClockTest, MetropoleFollowsEuSummerTime) {
  // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
  EXPECT_EQ(UtcOffset(Zone::kMetropole, At("2026-03-29", 0, 59)), std::chrono::hours(1));
  EXPECT_EQ(UtcOffset(Zone::kMetropole, At("2026-03-29", 1)), std::chrono::hours(2));
  EXPECT_EQ(UtcOffset(Zone::kAlsaceMoselle, At("2026-10-25", 0, 59)), std::chrono::hours(2));
  EXPECT_EQ(UtcOffset(Zone::kMetropole, At("2026-10-25", 1)), std::chrono::hours(1));
}

TEST(ClockTest, TodayDependsOnTheZone) {
  // 22:30 UTC on 1 December: already 2 December in Paris, Réunion and
  // Mayotte, still 1 December in the Antilles and Guyane.
  FixedClock clock(At("2026-12-01", 22, 30));
  EXPECT_EQ(TodayIn(clock, Zone::kMetropole).ToString(), "2026-12-01");
  clock.Set(At("2026-12-01", 23, 30));
  EXPECT_EQ(TodayIn(clock, Zone::kMetropole).ToString(), "2026-12-02");
  EXPECT_EQ(TodayIn(clock, Zone::kReunion).ToString(), "2026-12-02");
  EXPECT_EQ(TodayIn(clock, Zone::kMayotte).ToString(), "2026-12-02");
  EXPECT_EQ(TodayIn(clock, Zone::kGuadeloupe).ToString(), "2026-12-01");
  EXPECT_EQ(TodayIn(clock, Zone::kGuyane).ToString(), "2026-12-01");
  clock.Set(At("2026-12-02", 3, 30));
  EXPECT_EQ(TodayIn(clock, Zone::kMartinique).ToString(), "2026-12-01");
  EXPECT_EQ(TodayIn(clock, Zone::kGuyane).ToString(), "2026-12-02");
}

TEST(ClockTest, TimestampAndNoon) {
  EXPECT_EQ(IsoTimestamp(At("2026-12-01", 21, 22) + std::chrono::seconds(12)),
            "2026-12-01T21:22:12Z");
  EXPECT_EQ(IsoTimestamp(NoonOf(*Date::Parse("2026-07-14"))), "2026-07-14T10:00:00Z");
  EXPECT_EQ(IsoTimestamp(NoonOf(*Date::Parse("2026-07-14"), Zone::kReunion)),
            "2026-07-14T08:00:00Z");
}

TEST(ClockTest, ShiftedClockKeepsTheTimeOfDay) {
  FixedClock base(At("2026-12-01", 9, 15));
  ShiftedClock shifted(base, *Date::Parse("2025-03-10"), Zone::kMetropole);
  EXPECT_EQ(TodayIn(shifted, Zone::kMetropole).ToString(), "2025-03-10");
  EXPECT_EQ(IsoTimestamp(shifted.Now()), "2025-03-10T09:15:00Z");
  base.Advance(std::chrono::hours(24));
  EXPECT_EQ(TodayIn(shifted, Zone::kMetropole).ToString(), "2025-03-11");
}

}  // namespace
}  // namespace amiable
