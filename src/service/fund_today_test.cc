// "Today" of a user's funds (issue 11, item 7): the dashboard, the case list
// and the API's lists date their deadlines in the zone of the funds seen.
#include "service/fund_today.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/store.h"

namespace amiable::service {
namespace {

// 2026-12-01 22:30 UTC: 23:30 in Paris, 02:30 on the 2nd in La Réunion and
// 01:30 on the 2nd in Mayotte, 18:30 on the 1st in Martinique.
Instant LateEvening() {
  return Instant(std::chrono::sys_days(std::chrono::year{2026} / 12 / 1)) + std::chrono::hours(22) +
         std::chrono::minutes(30);
}

class FundTodayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("amiable-fund-today-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = Store::Open("sqlite:" + (dir_ / "test.db").string());
    ASSERT_TRUE(s) << ToString(s.error());
    store_ = std::move(*s);
  }
  void Add(const char* code, const char* zone) {
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {code, std::string("Caf ") + code, zone, ""}));
  }
  static Actor Of(std::vector<std::string> funds) {
    Actor a;
    a.user = "m";
    a.role = Role::kMediator;
    a.all_funds = false;
    a.organismes = std::move(funds);
    return a;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(FundTodayTest, TheZoneOfTheUsersFunds) {
  Add("974", "reunion");
  Add("976", "mayotte");
  Add("972", "martinique");
  Add("631", "metropole");
  const FixedClock clock(LateEvening());
  EXPECT_EQ(ZoneOfActor(*store_, Of({"974"})), Zone::kReunion);
  EXPECT_EQ(TodayForActor(clock, *store_, Of({"974"})).ToString(), "2026-12-02");
  EXPECT_EQ(TodayForActor(clock, *store_, Of({"976"})).ToString(), "2026-12-02");
  EXPECT_EQ(TodayForActor(clock, *store_, Of({"972"})).ToString(), "2026-12-01");
  // Funds of two zones, or every fund of a mixed database: Paris.
  EXPECT_EQ(ZoneOfActor(*store_, Of({"974", "976"})), Zone::kMetropole);
  EXPECT_EQ(ZoneOfActor(*store_, Actor::System()), Zone::kMetropole);
  EXPECT_EQ(TodayForActor(clock, *store_, Actor::System()).ToString(), "2026-12-01");
}

TEST_F(FundTodayTest, AnAdministratorOfAOneFundDatabaseHasItsDate) {
  Add("974", "reunion");
  const FixedClock clock(LateEvening());
  EXPECT_EQ(ZoneOfActor(*store_, Actor::System()), Zone::kReunion);
  EXPECT_EQ(TodayForActor(clock, *store_, Actor::System()).ToString(), "2026-12-02");
}

}  // namespace
}  // namespace amiable::service
