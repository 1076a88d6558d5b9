// The per-fund figures cache (figures_cache.h, migration 23) on a real SQLite
// file and a real PostgreSQL: after random writes of every kind the figures
// read (cases created, updated, imported, financial lines, internal
// requests answered, a fund's calendar changed), the cached figures equal a
// full recomputation in every field, the funds not written are served from
// the cache and the written ones are recomputed.
#include "figures/figures_cache.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "core/nomenclature.h"
#include "figures/frozen.h"
#include "store/figures_cache_store.h"
#include "store/store_test_util.h"

namespace amiable {
namespace {

const std::vector<Organisme> kFunds = {
    {"101", "Caf A", "metropole", "", false},
    {"671", "Caf B", "alsace_moselle", "", true},
    {"974", "Caf C", "reunion", "", false},
};

class FiguresCacheTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-figures-cache"));
    for (const Organisme& o : kFunds) ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), o));
  }

  template <class T>
  T Pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng_)];
  }
  std::string Code(const Nomenclature& n) {
    return std::string(
        n.entries[std::uniform_int_distribution<size_t>(0, n.entries.size() - 1)(rng_)].code);
  }
  int Between(int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng_); }
  bool Coin(int percent = 50) { return Between(1, 100) <= percent; }

  // A case of `org` received in 2024-2025, with random dates, codes, lines
  // and internal requests (some fields unknown, some dates in error).
  Case RandomCase(const std::string& org) {
    namespace nom = nomenclature;
    Case c;
    c.reference = org + "-R" + std::to_string(++serial_);
    c.organisme = org;
    c.received_on = Date::FromCivil(2024, 1, 1) + Between(0, 700);
    c.admissibility = Pick<std::string>({"recevable", "recevable", "irrecevable", ""});
    if (c.admissibility == "irrecevable" && Coin(80)) c.inadmissibility_reason = Code(nom::InadmissibilityReason());
    if (Coin(85)) c.channel = Code(nom::Channel());
    if (Coin(70)) c.emitter = Code(nom::Emitter());
    if (Coin(60)) c.cause = Code(nom::Cause());
    if (Coin(60)) c.household = Code(nom::Household());
    if (Coin(75)) c.quotient_familial = Between(0, 2000);
    if (Coin(60)) c.motives = std::vector<std::string>{Code(nom::Motive()), Code(nom::Motive())};
    if (Coin(50)) c.benefits = std::vector<std::string>{Code(nom::Benefit())};
    if (Coin(50)) c.response_modes = std::vector<std::string>{Code(nom::ResponseMode())};
    if (Coin(70)) c.taken_in_charge_on = c.received_on + Between(-2, 20);
    if (Coin(60)) c.answered_on = c.received_on + Between(0, 90);
    if (Coin(65)) {
      c.closed_on = c.received_on + Between(0, 120);
      if (Coin(85)) c.resolution = Code(nom::Resolution());
      if (Coin(30)) c.fraud = Coin();
    }
    if (Coin(40)) {
      c.financial = std::vector<FinancialLine>{{Code(nom::FinancialKind()), Between(1, 500000)}};
    }
    if (Coin(30)) {
      InternalRequestDates r{c.received_on + Between(0, 30), std::nullopt};
      if (Coin(60)) r.answered_on = r.sent_on + Between(0, 25);
      c.internal_requests = std::vector<InternalRequestDates>{r};
    }
    c.state = InferState(c);
    return c;
  }

  // Checks the cached figures against a recomputation, returning the use.
  FiguresCacheUse Check(std::vector<std::string> orgs, int year, Date as_of) {
    FiguresCacheUse use;
    auto diff = VerifyFigures(*store_, orgs, year, as_of, &use);
    EXPECT_TRUE(diff) << (diff ? "" : ToString(diff.error()));
    if (diff) EXPECT_FALSE(*diff) << year << " " << as_of.ToString() << ": " << diff->value_or("");
    EXPECT_TRUE(use.cached);
    return use;
  }

  std::mt19937 rng_{20261202};
  int serial_ = 0;
};

TEST_P(FiguresCacheTest, EqualsARecomputationAfterRandomWrites) {
  std::vector<Case> batch;
  std::vector<std::string> refs;
  for (int i = 0; i < 150; ++i) {
    batch.push_back(RandomCase(kFunds[static_cast<size_t>(i % 3)].code));
    refs.push_back(batch.back().reference);
  }
  ASSERT_TRUE(store_->ImportCases(Actor::System(), batch));
  const std::vector<Date> days = {Date::FromCivil(2025, 3, 1), Date::FromCivil(2026, 1, 31)};

  for (int round = 0; round < 8; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    for (int year : {2024, 2025}) {
      for (Date as_of : days) {
        Check({}, year, as_of);
        for (const Organisme& o : kFunds) Check({o.code}, year, as_of);
        // Asked again: every fund from the cache.
        const FiguresCacheUse again = Check({}, year, as_of);
        EXPECT_EQ(again.misses, 0);
        EXPECT_EQ(again.hits, 3);
      }
    }
    // Random writes to one or two funds; the others must stay cached.
    std::set<std::string> written;
    const int kind = round % 4;
    for (int w = 0; w < 6; ++w) {
      const std::string ref = Pick(refs);
      auto c = store_->GetCase(Actor::System(), ref);
      ASSERT_TRUE(c) << ref;
      if (kind == 3 && w > 0) break;
      written.insert(c->organisme);
      if (kind == 0) {  // an update of dates and codes, lines rewritten
        Case fresh = RandomCase(c->organisme);
        fresh.id = c->id;
        fresh.reference = c->reference;
        fresh.version = c->version;
        fresh.internal_requests.reset();
        ASSERT_TRUE(store_->UpdateCase(Actor::System(), fresh, {0, "", "t", "update", "test"}));
      } else if (kind == 1) {  // new cases imported
        std::vector<Case> more = {RandomCase(c->organisme), RandomCase(c->organisme)};
        for (const Case& m : more) refs.push_back(m.reference);
        ASSERT_TRUE(store_->ImportCases(Actor::System(), more));
      } else if (kind == 2) {  // an internal request answered, or added
        auto reqs = store_->CaseInternalRequests(Actor::System(), ref);
        ASSERT_TRUE(reqs);
        bool answered = false;
        for (const InternalRequest& r : *reqs) {
          if (r.answered_on) continue;
          ASSERT_TRUE(store_->AnswerInternalRequest(Actor::System(), ref, r.id,
                                                    r.sent_on + Between(0, 10), "",
                                                    {0, "", "t", "internal_request", "réponse"}));
          answered = true;
          break;
        }
        if (!answered) {
          InternalRequest r;
          r.sent_on = c->received_on + Between(0, 20);
          ASSERT_TRUE(store_->AddInternalRequest(Actor::System(), ref, r,
                                                 {0, "", "t", "internal_request", "demande"}));
        }
      } else {  // the fund's calendar: Whit Monday worked or not
        Organisme o = *store_->GetOrganisme(c->organisme);
        o.whit_monday_worked = !o.whit_monday_worked;
        ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), o));
      }
    }
    const FiguresCacheUse after = Check({}, 2025, days[1]);
    EXPECT_EQ(after.misses, static_cast<int64_t>(written.size()));
    EXPECT_EQ(after.hits, 3 - static_cast<int64_t>(written.size()));
  }
}

TEST_P(FiguresCacheTest, ALongChangeLogIsCompactedAndStaysExact) {
  // More writes than the PostgreSQL change log keeps before compacting.
  std::vector<Case> batch;
  for (int i = 0; i < 4500; ++i) batch.push_back(RandomCase(i % 10 == 0 ? "974" : "101"));
  ASSERT_TRUE(store_->ImportCases(Actor::System(), batch));
  const Date as_of = Date::FromCivil(2026, 1, 31);
  auto v1 = FiguresCacheOf(*store_)->FundDataVersions();
  ASSERT_TRUE(v1);
  Check({}, 2025, as_of);
  EXPECT_EQ(Check({}, 2025, as_of).misses, 0);
  auto v2 = FiguresCacheOf(*store_)->FundDataVersions();
  ASSERT_TRUE(v2);
  // Compaction (PostgreSQL) moves the versions of the funds written: a miss
  // at most, never a stale hit. A new write is seen after it.
  ASSERT_TRUE(store_->ImportCases(Actor::System(), std::vector<Case>{RandomCase("974")}));
  const FiguresCacheUse after = Check({}, 2025, as_of);
  EXPECT_EQ(after.misses, 1);
  EXPECT_EQ(after.hits, 2);
  auto v3 = FiguresCacheOf(*store_)->FundDataVersions();
  ASSERT_TRUE(v3);
  EXPECT_NE(v3->at("974"), v2->at("974"));
  EXPECT_EQ(v3->at("101"), v2->at("101"));
}

TEST_P(FiguresCacheTest, ACorruptOrClearedCacheIsRecomputed) {
  std::vector<Case> batch;
  for (int i = 0; i < 30; ++i) batch.push_back(RandomCase(kFunds[static_cast<size_t>(i % 3)].code));
  ASSERT_TRUE(store_->ImportCases(Actor::System(), batch));
  const Date as_of = Date::FromCivil(2026, 1, 31);
  Check({}, 2025, as_of);
  FiguresCacheStore* cache = FiguresCacheOf(*store_);
  auto versions = cache->FundDataVersions();
  ASSERT_TRUE(versions);
  // A row that does not parse is a miss, then rewritten.
  std::vector<CachedFundFigures> bad = {{"101", 2025, as_of.ToString(), versions->at("101"), "{"}};
  cache->PutCachedFundFigures(bad);
  FiguresCacheUse use = Check({}, 2025, as_of);
  EXPECT_EQ(use.misses, 1);
  EXPECT_EQ(Check({}, 2025, as_of).misses, 0);
  ASSERT_TRUE(cache->ClearFiguresCache());
  EXPECT_EQ(Check({}, 2025, as_of).misses, 3);
}

INSTANTIATE_TEST_SUITE_P(Engines, FiguresCacheTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace amiable
