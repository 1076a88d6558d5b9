// The mail settings of a fund through the service: administrators of the
// fund and the command line only.
#include "service/mail_settings_service.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amiable::service {
namespace {

class MailSettingsServiceTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-mail-settings-service-test"));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"631", "Caf A", "metropole", "", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"974", "Caf B", "reunion", "", false}));
  }
  static Caller As(Role r, std::vector<std::string> funds = {}) {
    User u;
    u.name = "u";
    u.role = r;
    u.all_funds = funds.empty();
    u.organismes = std::move(funds);
    return Caller::OfUser(u);
  }
  static MailboxSettings Box(std::string org) {
    MailboxSettings m;
    m.organisme = std::move(org);
    m.imap_url = "imaps://imap.example.fr:993";
    m.user = "u";
    m.password_env = "AMIABLE_IMAP_PASSWORD";
    return m;
  }
};

TEST_F(MailSettingsServiceTest, OnlyAnAdministratorOfTheFundOrTheCommandLine) {
  for (Role r : {Role::kMediator, Role::kManager, Role::kStatisticsReader}) {
    auto s = SaveMailbox(*store_, As(r), Box("631"));
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, Error::Code::kForbidden);
    EXPECT_EQ(s.error().message_id, "mail_settings.forbidden");
    EXPECT_FALSE(GetMailSettings(*store_, As(r), "631"));
    EXPECT_FALSE(AddEmitterRule(*store_, As(r), {0, "631", "@a.fr", "tiers"}));
  }
  const Caller admin974 = As(Role::kAdministrator, {"974"});
  EXPECT_FALSE(SaveMailbox(*store_, admin974, Box("631")));
  EXPECT_TRUE(SaveMailbox(*store_, admin974, Box("974")));
  EXPECT_TRUE(SaveMailbox(*store_, Caller::Cli("root"), Box("631")));
  auto got = GetMailSettings(*store_, As(Role::kAdministrator), "631");
  ASSERT_TRUE(got);
  ASSERT_TRUE(got->mailbox);
  EXPECT_EQ(got->mailbox->password_env, "AMIABLE_IMAP_PASSWORD");
  EXPECT_FALSE(got->smtp);
  auto unknown = GetMailSettings(*store_, Caller::Cli("root"), "999");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Error::Code::kNotFound);
}

TEST_F(MailSettingsServiceTest, ARuleIsRemovedOnlyFromItsOwnFund) {
  const Caller cli = Caller::Cli("root");
  auto id = AddEmitterRule(*store_, cli, {0, "974", "@a.fr", "tiers"});
  ASSERT_TRUE(id);
  auto wrong = RemoveEmitterRule(*store_, As(Role::kAdministrator, {"631"}), "631", *id);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Error::Code::kNotFound);
  EXPECT_TRUE(RemoveEmitterRule(*store_, cli, "974", *id));
  EXPECT_TRUE(store_->EmitterRules("974")->empty());
}

}  // namespace
}  // namespace amiable::service
