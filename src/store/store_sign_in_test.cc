// The sign-in guard of migration 14 (store/sign_in_guard.h): counters that
// are atomic under concurrent writers, fixed windows, once-per-window
// notification, unlock; session idle time; TOTP steps and recovery codes.
// Same suite on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "store/store_test_util.h"

namespace amiable {
namespace {

class StoreSignInTest : public StoreEngineTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-store-sign-in-test")); }
};

constexpr const char* kT0 = "2026-12-02T03:00:00Z";
constexpr const char* kT1 = "2026-12-02T03:05:00Z";
constexpr const char* kEnd0 = "2026-12-02T03:15:00Z";
constexpr const char* kT2 = "2026-12-02T03:20:00Z";
constexpr const char* kEnd2 = "2026-12-02T03:35:00Z";

TEST_P(StoreSignInTest, CountsInFixedWindowsAndRestarts) {
  auto a = store_->CountAttempt("u|alice|10.0.0.1", "Alice", kT0, kEnd0);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->count, 1);
  EXPECT_EQ(a->window_end, kEnd0);
  auto b = store_->CountAttempt("u|alice|10.0.0.1", "alice", kT1, "2026-12-02T03:20:00Z");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->count, 2);
  EXPECT_EQ(b->window_end, kEnd0);  // the window does not slide
  auto peek = store_->PeekAttempts("u|alice|10.0.0.1", kT1);
  ASSERT_TRUE(peek);
  EXPECT_EQ(peek->count, 2);
  auto c = store_->CountAttempt("u|alice|10.0.0.1", "alice", kT2, kEnd2);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->count, 1);  // a new window
  EXPECT_EQ(c->window_end, kEnd2);
  ASSERT_TRUE(store_->ReleaseAttempt("u|alice|10.0.0.1"));
  ASSERT_TRUE(store_->ReleaseAttempt("u|alice|10.0.0.1"));  // never below 0
  EXPECT_EQ(store_->PeekAttempts("u|alice|10.0.0.1", kT2)->count, 0);
  EXPECT_EQ(store_->PeekAttempts("nothing", kT2)->count, 0);
}

TEST_P(StoreSignInTest, NotifiesOncePerWindowAndUnlockClearsTheAccount) {
  ASSERT_TRUE(store_->CountAttempt("n|alice", "alice", kT0, kEnd0));
  EXPECT_TRUE(*store_->MarkNotified("n|alice"));
  EXPECT_FALSE(*store_->MarkNotified("n|alice"));
  ASSERT_TRUE(store_->CountAttempt("n|alice", "alice", kT2, kEnd2));  // new window
  EXPECT_TRUE(*store_->MarkNotified("n|alice"));
  ASSERT_TRUE(store_->CountAttempt("u|alice|10.0.0.1", "alice", kT2, kEnd2));
  ASSERT_TRUE(store_->CountAttempt("u|bob|10.0.0.1", "bob", kT2, kEnd2));
  ASSERT_TRUE(store_->CountAttempt("a|10.0.0.1", "", kT2, kEnd2));
  auto n = store_->ClearAttemptsOfUser("ALICE");
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(store_->PeekAttempts("u|bob|10.0.0.1", kT2)->count, 1);
  EXPECT_EQ(store_->PeekAttempts("a|10.0.0.1", kT2)->count, 1);
  ASSERT_TRUE(store_->PruneAttempts("2026-12-02T04:00:00Z"));
  EXPECT_EQ(store_->PeekAttempts("u|bob|10.0.0.1", kT2)->count, 0);
}

// The property the sign-in relies on: N concurrent writers (each with its
// own connection) see N distinct counts 1..N.
TEST_P(StoreSignInTest, ConcurrentCountsAreDistinct) {
  constexpr int kThreads = 8, kEach = 5;
  std::mutex mu;
  std::vector<int64_t> seen;
  std::vector<std::thread> threads;
  std::vector<std::string> errors;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto s = Store::Open(url_);
      if (!s) {
        std::lock_guard<std::mutex> l(mu);
        errors.push_back(s.error().message);
        return;
      }
      for (int i = 0; i < kEach; ++i) {
        auto c = (*s)->CountAttempt("a|127.0.0.9", "", kT0, kEnd0);
        std::lock_guard<std::mutex> l(mu);
        if (c) {
          seen.push_back(c->count);
        } else {
          errors.push_back(c.error().message);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(errors.empty()) << errors.front();
  std::sort(seen.begin(), seen.end());
  ASSERT_EQ(seen.size(), size_t{kThreads * kEach});
  for (int i = 0; i < kThreads * kEach; ++i) EXPECT_EQ(seen[i], i + 1);
}

TEST_P(StoreSignInTest, SessionsEndWhenIdleAndAreTouchedAtMostOnceAMinute) {
  ASSERT_TRUE(store_->CreateWebSession({"h1", "alice", "csrf", kT0, "2099-01-01T00:00:00Z"}));
  auto s = store_->TouchWebSession("h1", kT1, "2026-12-02T02:35:00Z", "2026-12-02T03:04:00Z");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_TRUE(s->alive);
  EXPECT_FALSE(s->needs_second_factor);
  ASSERT_TRUE(store_->SetSessionNeedsSecondFactor("h1", true));
  // Seen at 03:05: alive at 03:30 with a 30-minute idle time...
  s = store_->TouchWebSession("h1", "2026-12-02T03:30:00Z", "2026-12-02T03:00:00Z",
                              "2026-12-02T03:29:00Z");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->alive);
  EXPECT_TRUE(s->needs_second_factor);
  // ...and gone after 31 idle minutes (last seen 03:30).
  s = store_->TouchWebSession("h1", "2026-12-02T04:01:00Z", "2026-12-02T03:31:00Z",
                              "2026-12-02T04:00:00Z");
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->alive);
  EXPECT_FALSE(store_->GetWebSession("h1", kT0));
  EXPECT_FALSE(store_->TouchWebSession("nope", kT0, kT0, kT0)->alive);
}

TEST_P(StoreSignInTest, SecondFactorStepsAreNeverReusedAndRecoveryCodesOnce) {
  EXPECT_FALSE(store_->GetSecondFactor("alice")->has_value());
  ASSERT_TRUE(store_->SavePendingSecondFactor("alice", "JBSWY3DPEHPK3PXP", kT0));
  ASSERT_TRUE(store_->SavePendingSecondFactor("alice", "KRSXG5CTMVRXEZLU", kT0));  // replaced
  auto f = store_->GetSecondFactor("Alice");
  ASSERT_TRUE(f && f->has_value());
  EXPECT_EQ((*f)->secret_base32, "KRSXG5CTMVRXEZLU");
  EXPECT_FALSE((*f)->confirmed);
  EXPECT_FALSE(*store_->UseTotpStep("alice", 100));  // not confirmed yet
  ASSERT_TRUE(store_->ConfirmSecondFactor("alice", 100, {"h-a", "h-b"}, kT0));
  EXPECT_FALSE(store_->SavePendingSecondFactor("alice", "X", kT0));  // confirmed: kept
  EXPECT_FALSE(*store_->UseTotpStep("alice", 100));  // the enrolment's step
  EXPECT_TRUE(*store_->UseTotpStep("alice", 101));
  EXPECT_FALSE(*store_->UseTotpStep("alice", 101));  // replay
  EXPECT_FALSE(*store_->UseTotpStep("alice", 99));
  EXPECT_EQ(*store_->RecoveryCodesLeft("alice"), 2);
  EXPECT_TRUE(*store_->UseRecoveryCode("alice", "h-a", kT1));
  EXPECT_FALSE(*store_->UseRecoveryCode("alice", "h-a", kT1));
  EXPECT_FALSE(*store_->UseRecoveryCode("bob", "h-b", kT1));
  EXPECT_EQ(*store_->RecoveryCodesLeft("alice"), 1);
  ASSERT_TRUE(store_->DeleteSecondFactor("alice"));
  EXPECT_FALSE(store_->GetSecondFactor("alice")->has_value());
  EXPECT_EQ(*store_->RecoveryCodesLeft("alice"), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreSignInTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable
