// The sign-in limits of web/session.h (ReserveSignIn and friends) over a
// real store, SQLite and PostgreSQL: a concurrent burst gets at most the
// limit checked; unknown names count per address; an account attacked from
// many addresses stays open to an address that never failed on it; the
// owner is told once per window.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/store_test_util.h"
#include "web/session.h"

namespace amiable::web {
namespace {

class SignInLimitsTest : public StoreEngineTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-sign-in-limits-test")); }
  bool Allowed(std::string_view name, std::string_view address, bool second_factor = false) {
    auto r = ReserveSignIn(*store_, limits_, name, address, second_factor, now_);
    EXPECT_TRUE(r) << r.error().message;
    return r && r->allowed;
  }
  void Fail(std::string_view name) {
    ASSERT_TRUE(RecordSignInFailure(*store_, limits_, name, now_, nullptr));
  }
  SignInLimits limits_;
  int64_t now_ = 1796181300;
};

TEST_P(SignInLimitsTest, ABurstGetsAtMostTheLimitChecked) {
  constexpr int kBurst = 40;
  std::atomic<int> allowed{0}, refused{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto s = Store::Open(url_);
      if (!s) {
        errors += kBurst / 8;
        return;
      }
      for (int i = 0; i < kBurst / 8; ++i) {
        auto r = ReserveSignIn(**s, limits_, "alice", "10.0.0.1", false, now_);
        if (!r) {
          ++errors;
        } else if (r->allowed) {
          ++allowed;
        } else {
          ++refused;
          EXPECT_GT(r->retry_after, 0);
          EXPECT_LE(r->retry_after, limits_.window_seconds);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(allowed.load(), limits_.per_account_address);
  EXPECT_EQ(refused.load(), kBurst - limits_.per_account_address);
}

TEST_P(SignInLimitsTest, UnknownNamesCountPerAddress) {
  int allowed = 0;
  for (int i = 0; i < 30; ++i) allowed += Allowed("nobody" + std::to_string(i), "10.0.0.2");
  EXPECT_EQ(allowed, limits_.per_address);
  EXPECT_TRUE(Allowed("nobody0", "10.0.0.3"));  // another address is not affected
}

TEST_P(SignInLimitsTest, ASuccessIsNoFailure) {
  for (int round = 0; round < 10; ++round) {
    auto r = ReserveSignIn(*store_, limits_, "bob", "10.0.0.4", false, now_);
    ASSERT_TRUE(r && r->allowed) << round;
    ASSERT_TRUE(RecordSignInSuccess(*store_, *r));
  }
}

TEST_P(SignInLimitsTest, AnAttackedAccountStaysOpenToItsOwner) {
  // 10 addresses fail once each on carol: the account is under attack.
  for (int i = 0; i < limits_.account_alert; ++i) {
    const std::string addr = "10.1.0." + std::to_string(i);
    ASSERT_TRUE(Allowed("carol", addr));
    Fail("carol");
  }
  EXPECT_FALSE(Allowed("carol", "10.1.0.1"));  // an address that failed: no more
  EXPECT_TRUE(Allowed("carol", "10.9.9.9"));   // the owner's address: checked
  // With a second factor the usual per-address limit applies.
  EXPECT_TRUE(Allowed("carol", "10.1.0.2", true));
  // Unlock clears everything.
  ASSERT_TRUE(store_->ClearAttemptsOfUser("carol"));
  EXPECT_TRUE(Allowed("carol", "10.1.0.1"));
}

TEST_P(SignInLimitsTest, TheOwnerIsToldOncePerWindow) {
  int told = 0;
  int64_t count = 0;
  for (int i = 0; i < 3 * limits_.account_alert; ++i) {
    auto t = RecordSignInFailure(*store_, limits_, "dave", now_, &count);
    ASSERT_TRUE(t);
    told += *t;
  }
  EXPECT_EQ(told, 1);
  EXPECT_EQ(count, 3 * limits_.account_alert);
  now_ += limits_.window_seconds + 1;  // the next window
  for (int i = 0; i < limits_.account_alert; ++i) {
    told += *RecordSignInFailure(*store_, limits_, "dave", now_, nullptr);
  }
  EXPECT_EQ(told, 2);
}

TEST_P(SignInLimitsTest, CodesAreLimitedPerAccountAndAddress) {
  int allowed = 0;
  for (int i = 0; i < 10; ++i) {
    auto r = ReserveCodeCheck(*store_, limits_, "erin", "10.0.0.5", now_);
    ASSERT_TRUE(r);
    allowed += r->allowed;
  }
  EXPECT_EQ(allowed, limits_.codes_per_account_address);
}

INSTANTIATE_TEST_SUITE_P(Engines, SignInLimitsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable::web
