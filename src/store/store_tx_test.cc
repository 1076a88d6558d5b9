// InTransaction is reentrant: nested writes run in the outermost
// transaction, and a failure at any level rolls all of it back.
#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amiable {
namespace {

class StoreTxTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-store-tx-test"));
    ASSERT_TRUE(
        store_->UpsertOrganisme(Actor::System(), {"631", "Caf 63", "metropole", "ARA", false}));
  }
  static Case MakeCase(std::string ref) {
    Case c;
    c.reference = std::move(ref);
    c.organisme = "631";
    c.received_on = *Date::Parse("2025-03-03");
    c.admissibility = "recevable";
    return c;
  }
};

TEST_P(StoreTxTest, NestedWritesCommitTogether) {
  const Actor sys = Actor::System();
  auto s = store_->InTransaction([&]() -> Status {
    if (auto id = store_->CreateCase(sys, MakeCase("631-T1"), {}); !id) return Fail(id.error());
    auto c = store_->GetCase(sys, "631-T1");
    if (!c) return Fail(c.error());
    c->channel = "courriel";
    if (auto st = store_->UpdateCase(sys, *c, {0, "", "m", "update", "canal"}); !st) return st;
    if (auto n = store_->AddNote(sys, "631-T1", {0, "m", "", "note"}); !n) return Fail(n.error());
    // A third level.
    return store_->InTransaction([&]() -> Status {
      auto n = store_->AddNote(sys, "631-T1", {0, "m", "", "deuxième"});
      if (!n) return Fail(n.error());
      return Status{};
    });
  });
  ASSERT_TRUE(s) << ToString(s.error());
  auto c = store_->GetCase(sys, "631-T1");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->channel, "courriel");
  EXPECT_EQ(c->version, 2);
  EXPECT_EQ(store_->Notes(sys, "631-T1")->size(), 2u);
  // A later transaction works normally.
  ASSERT_TRUE(store_->CreateCase(sys, MakeCase("631-T2"), {}));
}

TEST_P(StoreTxTest, InnerFailureRollsBackEverything) {
  const Actor sys = Actor::System();
  auto s = store_->InTransaction([&]() -> Status {
    if (auto id = store_->CreateCase(sys, MakeCase("631-T1"), {}); !id) return Fail(id.error());
    if (auto n = store_->AddNote(sys, "631-T1", {0, "m", "", "note"}); !n) return Fail(n.error());
    // The duplicate fails; the outer function ignores it and returns success.
    auto dup = store_->CreateCase(sys, MakeCase("631-T1"), {});
    EXPECT_FALSE(dup);
    return Status{};
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Error::Code::kConflict);
  EXPECT_EQ(store_->GetCase(sys, "631-T1").error().code, Error::Code::kNotFound);

  // An inner failure that the outer function returns: same.
  s = store_->InTransaction([&]() -> Status {
    if (auto id = store_->CreateCase(sys, MakeCase("631-T3"), {}); !id) return Fail(id.error());
    auto n = store_->AddNote(sys, "631-NONE", {0, "m", "", "x"});
    if (!n) return Fail(n.error());
    return Status{};
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Error::Code::kNotFound);
  EXPECT_FALSE(store_->GetCase(sys, "631-T3"));

  // The object is usable afterwards, and the next transaction commits.
  ASSERT_TRUE(store_->CreateCase(sys, MakeCase("631-T4"), {}));
  EXPECT_TRUE(store_->GetCase(sys, "631-T4"));
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreTxTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable
