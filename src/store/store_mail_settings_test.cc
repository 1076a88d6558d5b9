// The mail settings of a fund (migration 10): values checked, credentials
// as a path or a variable name only, the emitter guessed from a sender's
// address. Same suite on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amiable {
namespace {

class StoreMailSettingsTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-store-mail-settings-test"));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"631", "Caf A", "metropole", "", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"974", "Caf B", "reunion", "", false}));
  }
  static std::string Field(const Status& s) { return s ? "ok" : s.error().field; }
};

TEST_P(StoreMailSettingsTest, MailboxIsCheckedSavedReplacedAndListedWhenEnabled) {
  MailboxSettings m;
  m.organisme = "631";
  m.imap_url = "imaps://imap.caf.example:993";
  m.user = "mediation631";
  m.password_file = "/etc/amiable/imap-631.pass";
  m.archive = "Archive amiable";
  ASSERT_TRUE(store_->SaveMailbox(Actor::System("cli:root"), m));
  auto got = store_->Mailbox("631");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->imap_url, m.imap_url);
  EXPECT_EQ((*got)->user, "mediation631");
  EXPECT_EQ((*got)->password_file, m.password_file);
  EXPECT_EQ((*got)->password_env, "");
  EXPECT_EQ((*got)->inbox, "INBOX");
  EXPECT_EQ((*got)->archive, "Archive amiable");
  EXPECT_EQ((*got)->quarantine, "Quarantine");
  EXPECT_TRUE((*got)->enabled);
  auto none = store_->Mailbox("974");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);

  MailboxSettings b = m;
  b.organisme = "974";
  b.password_file.clear();
  b.password_env = "AMIABLE_IMAP_974";
  b.enabled = false;
  ASSERT_TRUE(store_->SaveMailbox(Actor::System(), b));
  auto list = store_->Mailboxes();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);  // 974 disabled
  EXPECT_EQ((*list)[0].organisme, "631");
  b.enabled = true;
  ASSERT_TRUE(store_->SaveMailbox(Actor::System(), b));  // replaces
  list = store_->Mailboxes();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].password_env, "AMIABLE_IMAP_974");

  auto bad = [&](auto change) {
    MailboxSettings x = m;
    change(x);
    Status s = store_->SaveMailbox(Actor::System(), x);
    EXPECT_FALSE(s);
    if (!s) {
      EXPECT_EQ(s.error().code, Error::Code::kInvalid);
    }
    return Field(s);
  };
  EXPECT_EQ(bad([](auto& x) { x.imap_url = "http://imap.caf.example"; }), "imap_url");
  EXPECT_EQ(bad([](auto& x) { x.imap_url = "imap://"; }), "imap_url");
  EXPECT_EQ(bad([](auto& x) { x.imap_url = "imap://u:secret@imap.caf.example"; }), "imap_url");
  EXPECT_EQ(bad([](auto& x) { x.imap_url = "imap://h:99x"; }), "imap_url");
  EXPECT_EQ(bad([](auto& x) { x.inbox = " "; }), "inbox");
  EXPECT_EQ(bad([](auto& x) { x.quarantine = "Q\r\nA1 LOGOUT"; }), "quarantine");
  EXPECT_EQ(bad([](auto& x) { x.archive = "INBOX"; }), "archive");
  EXPECT_EQ(bad([](auto& x) { x.password_env = "X"; }), "password_file");  // both
  EXPECT_EQ(bad([](auto& x) { x.password_file.clear(); }), "password_file");  // neither
  EXPECT_EQ(bad([](auto& x) { x.user.clear(); }), "user");  // a password without a user
  EXPECT_EQ(bad([](auto& x) {
              x.password_file.clear();
              x.password_env = "A B";
            }),
            "password_env");
  EXPECT_EQ(bad([](auto& x) { x.organisme = "999"; }), "organisme");
  // Plain IMAP on loopback, no user: fine.
  MailboxSettings local;
  local.organisme = "631";
  local.imap_url = "imap://127.0.0.1:1143";
  EXPECT_TRUE(store_->SaveMailbox(Actor::System(), local));
}

TEST_P(StoreMailSettingsTest, SmtpNeedsAFromAndValidAddresses) {
  SmtpFundSettings s;
  s.organisme = "631";
  s.smtp_url = "smtp://smtp.caf.example:587";
  s.user = "relay";
  s.password_env = "AMIABLE_SMTP_631";
  s.from = "Médiation Caf A <mediation@caf-a.example>";
  s.reply_to = "mediation@caf-a.example";
  s.signature = "Le médiateur\nCaf A";
  ASSERT_TRUE(store_->SaveSmtp(Actor::System(), s));
  auto got = store_->Smtp("631");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->from, s.from);
  EXPECT_EQ((*got)->reply_to, s.reply_to);
  EXPECT_EQ((*got)->signature, "Le médiateur\nCaf A");
  EXPECT_EQ((*got)->password_env, "AMIABLE_SMTP_631");
  auto none = store_->Smtp("974");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto bad = [&](auto change) {
    SmtpFundSettings x = s;
    change(x);
    return Field(store_->SaveSmtp(Actor::System(), x));
  };
  EXPECT_EQ(bad([](auto& x) { x.from.clear(); }), "from");
  EXPECT_EQ(bad([](auto& x) { x.from = "pas une adresse"; }), "from");
  EXPECT_EQ(bad([](auto& x) { x.from = "a@b.fr\r\nBcc: x@y.fr"; }), "from");
  EXPECT_EQ(bad([](auto& x) { x.reply_to = "x@"; }), "reply_to");
  EXPECT_EQ(bad([](auto& x) { x.smtp_url = "imap://h"; }), "smtp_url");
  EXPECT_EQ(bad([](auto& x) { x.signature = std::string(5000, 'x'); }), "signature");
  // Without authentication: no password either.
  SmtpFundSettings open = s;
  open.user.clear();
  open.password_env.clear();
  open.reply_to.clear();
  EXPECT_TRUE(store_->SaveSmtp(Actor::System(), open));
}

TEST_P(StoreMailSettingsTest, EmitterRulesGuessFromTheAddressOrTheLongestParentDomain) {
  const Actor admin = Actor::System("cli:root");
  auto dd = store_->AddEmitterRule(admin, {0, "631", "@DefenseurDesDroits.fr", "defenseur_droits"});
  ASSERT_TRUE(dd) << dd.error().message;
  ASSERT_TRUE(store_->AddEmitterRule(admin, {0, "631", "@social.defenseurdesdroits.fr", "tiers"}));
  ASSERT_TRUE(store_->AddEmitterRule(admin, {0, "631", "chef@defenseurdesdroits.fr", "allocataire"}));
  ASSERT_TRUE(store_->AddEmitterRule(admin, {0, "974", "@elus.fr", "institution"}));
  auto dup = store_->AddEmitterRule(admin, {0, "631", "@defenseurdesdroits.fr", "tiers"});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Error::Code::kConflict);
  auto unknown = store_->AddEmitterRule(admin, {0, "631", "@x.fr", "martien"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "emitter");
  EXPECT_EQ(store_->AddEmitterRule(admin, {0, "631", "defenseurdesdroits.fr", "tiers"}).error().field,
            "match");
  EXPECT_EQ(store_->AddEmitterRule(admin, {0, "631", "@fr", "tiers"}).error().field, "match");

  auto rules = store_->EmitterRules("631");
  ASSERT_TRUE(rules);
  ASSERT_EQ(rules->size(), 3u);
  EXPECT_EQ((*rules)[0].match, "@defenseurdesdroits.fr");  // lowercase, by match

  auto guess = [&](std::string_view org, std::string_view address) {
    auto g = store_->GuessEmitter(org, address);
    EXPECT_TRUE(g);
    return g && *g ? **g : std::string("-");
  };
  EXPECT_EQ(guess("631", "x@defenseurdesdroits.fr"), "defenseur_droits");
  EXPECT_EQ(guess("631", "Délégué <X@A.DefenseurDesDroits.fr>"), "defenseur_droits");
  EXPECT_EQ(guess("631", "y@social.defenseurdesdroits.fr"), "tiers");  // the longest domain
  EXPECT_EQ(guess("631", "y@b.social.defenseurdesdroits.fr"), "tiers");
  EXPECT_EQ(guess("631", "chef@defenseurdesdroits.fr"), "allocataire");  // the address first
  EXPECT_EQ(guess("631", "x@notdefenseurdesdroits.fr"), "-");
  EXPECT_EQ(guess("631", "x@elus.fr"), "-");  // another fund's rule
  EXPECT_EQ(guess("974", "x@elus.fr"), "institution");
  EXPECT_EQ(guess("631", "sans-arobase"), "-");

  ASSERT_TRUE(store_->RemoveEmitterRule(admin, *dd));
  EXPECT_EQ(guess("631", "x@defenseurdesdroits.fr"), "-");
  auto again = store_->RemoveEmitterRule(admin, *dd);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Error::Code::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreMailSettingsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable
