// The account lifecycle in the store (store/account_admin.h, migration 19):
// tokens listed and revoked (refused at once), disable ending sessions and
// refusing tokens, passwords ending the other sessions, emails, last
// sign-ins. Same suite on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amiable {
namespace {

class AccountAdminTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-account-admin-test"));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"631", "Caf A", "metropole", "", false}));
    for (const char* name : {"alice", "bob"}) {
      User u;
      u.name = name;
      u.display_name = name;
      u.password_hash = "old-hash";
      u.role = Role::kMediator;
      u.organismes = {"631"};
      ASSERT_TRUE(store_->CreateUser(u));
    }
  }
  void Session(const std::string& id, const std::string& user) {
    WebSession w{id, user, "csrf", "2026-01-01T10:00:00Z", "2999-01-01T00:00:00Z"};
    ASSERT_TRUE(store_->CreateWebSession(w));
  }
  bool HasSession(const std::string& id) {
    return bool(store_->GetWebSession(id, "2026-06-01T00:00:00Z"));
  }
};

TEST_P(AccountAdminTest, TokensAreListedWithoutSecretAndARevokedOneIsRefusedAtOnce) {
  ASSERT_TRUE(store_->CreateApiToken("alice", "h1", "script"));
  ASSERT_TRUE(store_->CreateApiToken("bob", "h2", ""));
  auto all = store_->ListApiTokens("");
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].user, "alice");
  EXPECT_EQ((*all)[0].label, "script");
  EXPECT_FALSE((*all)[0].created_at.empty());
  EXPECT_TRUE((*all)[0].last_used_at.empty());
  EXPECT_TRUE((*all)[0].revoked_at.empty());
  auto bobs = store_->ListApiTokens("bob");
  ASSERT_TRUE(bobs);
  ASSERT_EQ(bobs->size(), 1u);
  const int64_t id = (*all)[0].id;

  ASSERT_TRUE(store_->UserForTokenHash("h1"));
  auto used = store_->GetApiToken(id);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->last_used_at.size(), 20u) << used->last_used_at;  // to the minute

  ASSERT_TRUE(store_->RevokeApiToken(Actor::System("cli:root"), id));
  auto refused = store_->UserForTokenHash("h1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Error::Code::kUnauthorized);
  EXPECT_TRUE(store_->UserForTokenHash("h2"));  // the other stays
  auto revoked = store_->GetApiToken(id);
  ASSERT_TRUE(revoked);
  EXPECT_FALSE(revoked->revoked_at.empty());
  auto again = store_->RevokeApiToken(Actor::System(), id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Error::Code::kConflict);
  auto unknown = store_->RevokeApiToken(Actor::System(), id + 100);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Error::Code::kNotFound);
  EXPECT_EQ(unknown.error().message_id, "store.token_unknown");
}

TEST_P(AccountAdminTest, DisablingEndsTheSessionsAndRefusesTheTokensEnablingRestoresTokens) {
  ASSERT_TRUE(store_->CreateApiToken("alice", "ha", ""));
  ASSERT_NO_FATAL_FAILURE(Session("s1", "alice"));
  ASSERT_NO_FATAL_FAILURE(Session("s2", "bob"));
  ASSERT_TRUE(HasSession("s1"));
  ASSERT_TRUE(store_->SetUserDisabled(Actor::System(), "alice", true));
  EXPECT_FALSE(HasSession("s1"));
  EXPECT_TRUE(HasSession("s2"));
  EXPECT_FALSE(store_->UserForTokenHash("ha"));
  EXPECT_TRUE(store_->GetUser("alice")->disabled);
  ASSERT_TRUE(store_->SetUserDisabled(Actor::System(), "alice", false));
  EXPECT_FALSE(store_->GetUser("alice")->disabled);
  EXPECT_TRUE(store_->UserForTokenHash("ha"));
  EXPECT_FALSE(HasSession("s1"));  // ended for good
  auto unknown = store_->SetUserDisabled(Actor::System(), "nobody", true);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Error::Code::kNotFound);
}

TEST_P(AccountAdminTest, ASessionOfADisabledAccountIsRefusedEvenIfLeftInPlace) {
  ASSERT_NO_FATAL_FAILURE(Session("s1", "alice"));
  User u = *store_->GetUser("alice");
  u.disabled = true;
  ASSERT_TRUE(store_->UpdateUser(u));  // the old path: the session row stays
  EXPECT_FALSE(HasSession("s1"));
}

TEST_P(AccountAdminTest, ANewPasswordEndsTheOtherSessionsAndClearsTheFailures) {
  User u = *store_->GetUser("alice");
  u.failed_attempts = 4;
  u.locked_until = "2999-01-01T00:00:00Z";
  ASSERT_TRUE(store_->UpdateUser(u));
  ASSERT_NO_FATAL_FAILURE(Session("s1", "alice"));
  ASSERT_NO_FATAL_FAILURE(Session("s2", "alice"));
  ASSERT_NO_FATAL_FAILURE(Session("s3", "bob"));
  ASSERT_TRUE(store_->SetUserPassword(Actor::System(), "alice", "new-hash", "s2"));
  auto after = store_->GetUser("alice");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->password_hash, "new-hash");
  EXPECT_EQ(after->failed_attempts, 0);
  EXPECT_EQ(after->locked_until, "");
  EXPECT_FALSE(HasSession("s1"));
  EXPECT_TRUE(HasSession("s2"));
  EXPECT_TRUE(HasSession("s3"));
  ASSERT_TRUE(store_->SetUserPassword(Actor::System(), "alice", "newer", ""));
  EXPECT_FALSE(HasSession("s2"));
}

TEST_P(AccountAdminTest, EmailAndLastSignIn) {
  ASSERT_TRUE(store_->SetUserEmail(Actor::System(), "bob", "bob@caf.fr"));
  EXPECT_EQ(store_->GetUser("bob")->email, "bob@caf.fr");
  auto none = store_->LastSignIns();
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  ASSERT_NO_FATAL_FAILURE(Session("s1", "bob"));
  auto last = store_->LastSignIns();
  ASSERT_TRUE(last);
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ(last->at("bob"), "2026-01-01T10:00:00Z");
}

INSTANTIATE_TEST_SUITE_P(Engines, AccountAdminTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable
