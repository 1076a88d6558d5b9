// AccountsService: who may do what to which account (the administrator of
// the funds, the account's owner for her password and tokens, the command
// line for all), on a real SQLite store with test password functions.
#include "service/accounts_service.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amiable::service {
namespace {

// "h:" + password; a new password needs 4 characters.
Passwords TestPasswords() {
  return {[](std::string_view p, std::string_view) -> Result<std::string> {
            if (p.size() < 4) return Fail(Error{Error::Code::kInvalid, "short", "password", 0, {}});
            return "h:" + std::string(p);
          },
          [](std::string_view hash, std::string_view p) { return hash == "h:" + std::string(p); }};
}

class AccountsServiceTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-accounts-service-test"));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"631", "Caf A", "metropole", "", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"672", "Caf B", "metropole", "", false}));
    Add("root", Role::kAdministrator, {}, true);
    Add("admin631", Role::kAdministrator, {"631"});
    Add("med631", Role::kMediator, {"631"});
    Add("med672", Role::kMediator, {"672"});
    Add("both", Role::kManager, {"631", "672"});
    Add("sso", Role::kMediator, {"631"}, false, "sub-1");
  }
  void Add(std::string name, Role role, std::vector<std::string> funds, bool all = false,
           std::string sub = "") {
    User u;
    u.name = name;
    u.display_name = name;
    u.role = role;
    u.organismes = std::move(funds);
    u.all_funds = all;
    u.password_hash = "h:secret";
    u.sso_subject = std::move(sub);
    ASSERT_TRUE(store_->CreateUser(u));
  }
  Caller As(const std::string& name) { return Caller::OfUser(*store_->GetUser(name)); }
  std::vector<std::string> Listed(const Caller& c) {
    std::vector<std::string> out;
    auto l = accounts().ListAccounts(c);
    EXPECT_TRUE(l) << (l ? "" : l.error().message);
    if (l) {
      for (const AccountView& a : *l) {
        EXPECT_TRUE(a.user.password_hash.empty());
        out.push_back(a.user.name);
      }
    }
    return out;
  }
  AccountsService accounts() { return AccountsService(*store_, TestPasswords()); }
};

TEST_F(AccountsServiceTest, AnAdministratorSeesTheAccountsOfItsFundsOnly) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Listed(Caller::Cli("root")),
            (V{"admin631", "both", "med631", "med672", "root", "sso"}));
  EXPECT_EQ(Listed(As("root")), (V{"admin631", "both", "med631", "med672", "root", "sso"}));
  EXPECT_EQ(Listed(As("admin631")), (V{"admin631", "med631", "sso"}));
  auto med = accounts().ListAccounts(As("med631"));
  ASSERT_FALSE(med);
  EXPECT_EQ(med.error().code, Error::Code::kForbidden);
  // Out of its funds: as unknown as a name that does not exist.
  auto other = accounts().Disable(As("admin631"), "med672");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Error::Code::kNotFound);
  EXPECT_EQ(other.error().message_id, "store.user_unknown");
  EXPECT_FALSE(accounts().SetPassword(As("admin631"), "both", "nouveau"));
  EXPECT_FALSE(store_->GetUser("med672")->disabled);
}

TEST_F(AccountsServiceTest, DisableEnableAndNeverOneself) {
  ASSERT_TRUE(accounts().Disable(As("admin631"), "med631"));
  EXPECT_TRUE(store_->GetUser("med631")->disabled);
  ASSERT_TRUE(accounts().Enable(As("admin631"), "med631"));
  EXPECT_FALSE(store_->GetUser("med631")->disabled);
  auto self = accounts().Disable(As("admin631"), "admin631");
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().message_id, "accounts.disable_self");
  EXPECT_FALSE(accounts().Disable(As("med631"), "med672"));
  EXPECT_TRUE(accounts().Disable(Caller::Cli("root"), "root"));  // the CLI is nobody's account
}

TEST_F(AccountsServiceTest, PasswordsByTheAdministratorAndByTheOwner) {
  ASSERT_TRUE(accounts().SetPassword(As("admin631"), "med631", "nouveau"));
  EXPECT_EQ(store_->GetUser("med631")->password_hash, "h:nouveau");
  auto weak = accounts().SetPassword(As("admin631"), "med631", "x");
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().field, "password");
  auto sso = accounts().SetPassword(Caller::Cli("root"), "sso", "nouveau");
  ASSERT_FALSE(sso);
  EXPECT_EQ(sso.error().message_id, "accounts.sso_password");
  // The owner: the current password first.
  auto wrong = accounts().ChangeOwnPassword(As("med672"), "pas-le-bon", "encore", "");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message_id, "accounts.current_password");
  EXPECT_EQ(wrong.error().field, "current_password");
  ASSERT_TRUE(accounts().ChangeOwnPassword(As("med672"), "secret", "encore", ""));
  EXPECT_EQ(store_->GetUser("med672")->password_hash, "h:encore");
  EXPECT_FALSE(accounts().ChangeOwnPassword(As("sso"), "secret", "encore", ""));
  // A mediator sets nobody's password.
  auto med = accounts().SetPassword(As("med631"), "med631", "encore");
  ASSERT_FALSE(med);
  EXPECT_EQ(med.error().code, Error::Code::kForbidden);
}

TEST_F(AccountsServiceTest, EmailsAreChecked) {
  ASSERT_TRUE(accounts().SetEmail(As("admin631"), "med631", "med@caf631.fr"));
  EXPECT_EQ(store_->GetUser("med631")->email, "med@caf631.fr");
  for (const char* bad : {"med", "@caf.fr", "a@b", "a b@caf.fr", "a@@caf.fr", "<a@caf.fr>"}) {
    auto s = accounts().SetEmail(As("admin631"), "med631", bad);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().message_id, "accounts.email_invalid") << bad;
    EXPECT_EQ(s.error().field, "email");
  }
  EXPECT_TRUE(accounts().SetEmail(As("admin631"), "med631", ""));  // cleared
}

TEST_F(AccountsServiceTest, TokensOwnOrAdministered) {
  ASSERT_TRUE(store_->CreateApiToken("med631", "t1", "a"));
  ASSERT_TRUE(store_->CreateApiToken("med672", "t2", "b"));
  auto all = accounts().ListTokens(Caller::Cli("root"), "");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  const int64_t t1 = (*all)[0].id, t2 = (*all)[1].id;
  auto mine = accounts().ListTokens(As("med631"), "");
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].id, t1);
  EXPECT_FALSE(accounts().ListTokens(As("med631"), "med672"));
  auto admins = accounts().ListTokens(As("admin631"), "");
  ASSERT_TRUE(admins);
  ASSERT_EQ(admins->size(), 1u);
  EXPECT_EQ((*admins)[0].user, "med631");
  // Another's token: as unknown as a missing one.
  auto other = accounts().RevokeToken(As("med631"), t2);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().message_id, "store.token_unknown");
  EXPECT_FALSE(accounts().RevokeToken(As("admin631"), t2));
  EXPECT_TRUE(store_->UserForTokenHash("t2"));
  ASSERT_TRUE(accounts().RevokeToken(As("med631"), t1));  // her own
  EXPECT_FALSE(store_->UserForTokenHash("t1"));
  ASSERT_TRUE(accounts().RevokeToken(Caller::Cli("root"), t2));
  EXPECT_FALSE(store_->UserForTokenHash("t2"));
}

}  // namespace
}  // namespace amiable::service
