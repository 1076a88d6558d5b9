// The figure internal_requests (domain.md §5, §8): over the requests sent in
// Y on cases of the funds, whatever the cases' dates; answered up to the day
// of computation; the mean working days in each case's fund's zone. In
// memory, then through the store on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "figures/figures.h"
#include "figures/trend.h"
#include "store/store_test_util.h"

namespace amiable {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

std::map<std::string, WorkCalendar> Calendars() {
  return {{"631", WorkCalendar{Zone::kMetropole, false}},
          {"671", WorkCalendar{Zone::kAlsaceMoselle, false}}};
}

// A case of `org` received on `received` with `requests`.
Case WithRequests(std::string ref, std::string org, const char* received,
                  std::vector<InternalRequestDates> requests) {
  Case c = TestCase(std::move(ref), std::move(org), received);
  c.internal_requests = std::move(requests);
  return c;
}

std::vector<Case> Cases() {
  return {
      // Received in 2024, open: its request of 2025 counts in 2025. Friday
      // 3 January -> Wednesday 8 January: 3 working days. The one of 2024
      // counts in 2024 only.
      WithRequests("631-2024-0001", "631", "2024-12-20",
                   {{D("2024-12-31"), D("2025-01-02")}, {D("2025-01-03"), D("2025-01-08")}}),
      // Friday 18 April 2025 -> Tuesday 22 (Easter Monday between): 1.
      // Unanswered; answered after the day of computation.
      WithRequests("631-2025-0001", "631", "2025-04-14",
                   {{D("2025-04-18"), D("2025-04-22")},
                    {D("2025-06-02"), std::nullopt},
                    {D("2025-12-30"), D("2026-01-20")}}),
      // Alsace-Moselle: Thursday 17 April -> Tuesday 22, Good Friday and
      // Easter Monday off: 1 (it would be 2 in metropole).
      WithRequests("671-2025-0001", "671", "2025-04-01", {{D("2025-04-17"), D("2025-04-22")}}),
      TestCase("671-2025-0002", "671", "2025-05-05"),
  };
}

TEST(InternalRequestFiguresTest, CountsRequestsSentInTheYearInEachFundsZone) {
  const std::vector<Case> cases = Cases();
  const YearFigures all = ComputeFigures(cases, Calendars(), {}, 2025, D("2026-01-15"));
  EXPECT_EQ(all.internal_requests.sent, 5);
  EXPECT_EQ(all.internal_requests.answered, 3);
  ASSERT_TRUE(all.internal_requests.answer_working_days_avg.has_value());
  EXPECT_DOUBLE_EQ(*all.internal_requests.answer_working_days_avg, 5.0 / 3.0);

  const YearFigures one = ComputeFigures(cases, Calendars(), {"631"}, 2025, D("2026-01-15"));
  EXPECT_EQ(one.internal_requests.sent, 4);
  EXPECT_EQ(one.internal_requests.answered, 2);
  EXPECT_DOUBLE_EQ(*one.internal_requests.answer_working_days_avg, 2.0);

  // Later, the late answer counts (30 December -> 20 January 2026: 14
  // working days, 1 January off).
  const YearFigures later = ComputeFigures(cases, Calendars(), {"631"}, 2025, D("2026-02-01"));
  EXPECT_EQ(later.internal_requests.answered, 3);
  EXPECT_DOUBLE_EQ(*later.internal_requests.answer_working_days_avg, (3.0 + 1.0 + 14.0) / 3.0);

  const YearFigures y2024 = ComputeFigures(cases, Calendars(), {}, 2024, D("2026-01-15"));
  EXPECT_EQ(y2024.internal_requests.sent, 1);
  EXPECT_EQ(y2024.internal_requests.answered, 1);
  EXPECT_DOUBLE_EQ(*y2024.internal_requests.answer_working_days_avg, 1.0);  // 1 Jan off

  const YearFigures none = ComputeFigures(cases, Calendars(), {"671"}, 2024, D("2026-01-15"));
  EXPECT_EQ(none.internal_requests.sent, 0);
  EXPECT_FALSE(none.internal_requests.answer_working_days_avg.has_value());
}

TEST(InternalRequestFiguresTest, JsonKeyAndTrend) {
  const std::vector<Case> cases = Cases();
  const YearFigures cur = ComputeFigures(cases, Calendars(), {}, 2025, D("2026-01-15"));
  const YearFigures prev = ComputeFigures(cases, Calendars(), {}, 2024, D("2026-01-15"));
  const auto j = nlohmann::ordered_json::parse(FiguresToJson(cur));
  ASSERT_TRUE(j.contains("internal_requests"));
  EXPECT_EQ(j["internal_requests"]["sent"], 5);
  EXPECT_EQ(j["internal_requests"]["answered"], 3);
  EXPECT_NEAR(j["internal_requests"]["answer_working_days_avg"].get<double>(), 5.0 / 3.0, 1e-12);
  EXPECT_EQ(std::prev(j.end()).key(), "internal_requests");  // last, as in domain.md §8
  const auto empty =
      nlohmann::json::parse(FiguresToJson(ComputeFigures({}, Calendars(), {}, 2024, prev.as_of)));
  EXPECT_TRUE(empty["internal_requests"]["answer_working_days_avg"].is_null());

  const YearFigures p = ComputeFigures(cases, Calendars(), {}, 2024, D("2026-01-15"));
  const YearComparison cmp = CompareYears(cur, p);
  const ComparedFigure* sent = cmp.Find("internal_requests.sent");
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(sent->current, 5.0);
  EXPECT_EQ(sent->previous, 1.0);
  EXPECT_EQ(sent->trend, Trend::kUp);
  const ComparedFigure* avg = cmp.Find("internal_requests.answer_working_days_avg");
  ASSERT_NE(avg, nullptr);
  EXPECT_EQ(avg->kind, FigureKind::kAverage);
  EXPECT_EQ(avg->trend, Trend::kUp);
  ASSERT_NE(cmp.Find("internal_requests.answered"), nullptr);
}

class InternalRequestFiguresStoreTest : public StoreEngineTest {};

TEST_P(InternalRequestFiguresStoreTest, TheStoreGathersEveryCaseWithARequestOfTheYear) {
  ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-figures-internal-test"));
  ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"631", "Caf A", "metropole", "", false}));
  ASSERT_TRUE(
      store_->UpsertOrganisme(Actor::System(), {"671", "Caf B", "alsace_moselle", "", false}));
  ASSERT_TRUE(store_->ImportCases(Actor::System(), Cases()));
  auto all = ComputeFigures(*store_, {}, 2025, D("2026-01-15"));
  ASSERT_TRUE(all) << ToString(all.error());
  EXPECT_EQ(all->internal_requests.sent, 5);
  EXPECT_EQ(all->internal_requests.answered, 3);
  EXPECT_DOUBLE_EQ(*all->internal_requests.answer_working_days_avg, 5.0 / 3.0);
  // The case received in 2024 is not counted as received in 2025.
  EXPECT_EQ(all->received, 3);
  auto one = ComputeFigures(*store_, {"631"}, 2025, D("2026-01-15"));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->internal_requests.sent, 4);
  auto y2024 = ComputeFigures(*store_, {}, 2024, D("2026-01-15"));
  ASSERT_TRUE(y2024);
  EXPECT_EQ(y2024->internal_requests.sent, 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, InternalRequestFiguresStoreTest,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable
