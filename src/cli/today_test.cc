// "Today" of the commands and of the server comes from a Clock (tests set a
// FixedClock): in the zone of the fund concerned, metropole when none.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "calendar/clock.h"
#include "cli/commands.h"
#include "store/store.h"
#include "web/routes.h"

namespace amiable {
namespace {

// 2026-12-01 22:30 UTC: 23:30 in Paris (still the 1st), 02:30 on the 2nd in
// La Réunion (UTC+4), 18:30 on the 1st in Guadeloupe (UTC-4).
Instant LateEvening() {
  return Instant(std::chrono::sys_days(std::chrono::year{2026} / 12 / 1)) + std::chrono::hours(22) +
         std::chrono::minutes(30);
}

class TodayForFundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("amiable-today-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    auto s = Store::Open("sqlite:" + (dir_ / "test.db").string());
    ASSERT_TRUE(s) << ToString(s.error());
    store_ = std::move(*s);
    const Actor system = Actor::System();
    ASSERT_TRUE(store_->UpsertOrganisme(system, {"631", "Caf du Puy-de-Dôme", "metropole", "84"}));
    ASSERT_TRUE(store_->UpsertOrganisme(system, {"671", "Caf du Bas-Rhin", "alsace_moselle", "44"}));
    ASSERT_TRUE(store_->UpsertOrganisme(system, {"974", "Caf de La Réunion", "reunion", "04"}));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(TodayForFundsTest, InTheZoneOfTheFundsConcerned) {
  const FixedClock clock(LateEvening());
  const Date first = Date::FromCivil(2026, 12, 1);
  const Date second = Date::FromCivil(2026, 12, 2);
  EXPECT_EQ(cli::TodayForFunds(clock, store_.get(), {"974"}), second);
  EXPECT_EQ(cli::TodayForFunds(clock, store_.get(), {"631"}), first);
  EXPECT_EQ(cli::TodayForFunds(clock, store_.get(), {"631", "671"}), first);
  // Every fund, funds of different zones, an unknown fund, no store: metropole.
  EXPECT_EQ(cli::TodayForFunds(clock, store_.get(), {}), first);
  EXPECT_EQ(cli::TodayForFunds(clock, store_.get(), {"631", "974"}), first);
  EXPECT_EQ(cli::TodayForFunds(clock, store_.get(), {"999"}), first);
  EXPECT_EQ(cli::TodayForFunds(clock, nullptr, {"974"}), first);
}

TEST(ServerContext, TodayComesFromTheClock) {
  FixedClock clock(LateEvening());
  web::Context ctx;
  ctx.clock = &clock;
  EXPECT_EQ(ctx.Now(), LateEvening());
  EXPECT_EQ(ctx.Today(), Date::FromCivil(2026, 12, 1));
  EXPECT_EQ(ctx.TodayIn(Zone::kReunion), Date::FromCivil(2026, 12, 2));
  EXPECT_EQ(ctx.TodayIn(Zone::kGuadeloupe), Date::FromCivil(2026, 12, 1));
  clock.Advance(std::chrono::hours(2));  // 00:30 in Paris
  EXPECT_EQ(ctx.Today(), Date::FromCivil(2026, 12, 2));
}

// `serve --today`: the clock shifted to that day, time of day kept.
TEST(ServerContext, ServeTodayIsAShiftedClock) {
  const FixedClock base(LateEvening());
  const ShiftedClock shifted(base, Date::FromCivil(2025, 3, 3), Zone::kMetropole);
  web::Context ctx;
  ctx.clock = &shifted;
  EXPECT_EQ(ctx.Today(), Date::FromCivil(2025, 3, 3));
}

}  // namespace
}  // namespace amiable
