// The sender against a real store (SQLite) and a fake mailer.
#include "mail/sender.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <deque>

#include "store/store_test_util.h"

namespace amiable::mail {
namespace {

class FakeMailer : public Mailer {
 public:
  SendResult Send(std::string_view from, std::string_view to, std::string_view msg) override {
    sent.push_back({std::string(from), std::string(to), std::string(msg)});
    if (replies.empty()) return {true, "", 250};
    SendResult r = replies.front();
    replies.pop_front();
    return r;
  }
  struct Sent {
    std::string from, to, message;
  };
  std::vector<Sent> sent;
  std::deque<SendResult> replies;
};

class SenderTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-mail-sender-test"));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"631", "Caf A", "metropole", "", false}));
    opt_.from = "Médiateur <mediateur@caf.example>";
    opt_.first_retry = std::chrono::seconds(60);
    opt_.max_attempts = 3;
  }
  std::string Queue() {
    Submission s;
    s.c.organisme = "631";
    s.c.received_on = *Date::Parse("2025-03-04");
    s.c.channel = "teleprocedure";
    s.event = {0, "", "public", "create", "Demande déposée en ligne"};
    OutboxMessage m;
    m.kind = "acknowledgement";
    m.recipient = "zoe@example.org";
    m.subject = "Demande {reference}";
    m.body = "Référence : {reference}";
    s.acknowledgement = m;
    auto r = store_->SubmitCase(Actor::System(), s);
    EXPECT_TRUE(r);
    return r ? *r : "";
  }
  FixedClock clock_{SystemClock().Now() + std::chrono::hours(1)};
  FakeMailer mailer_;
  SenderOptions opt_;
};

TEST_F(SenderTest, SendsDueRowsOnceUnderTheirMessageId) {
  const std::string ref = Queue();
  auto r = SendDue(*store_, mailer_, clock_, opt_);
  ASSERT_TRUE(r) << ToString(r.error());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].outcome, "sent");
  ASSERT_EQ(mailer_.sent.size(), 1u);
  EXPECT_EQ(mailer_.sent[0].from, "mediateur@caf.example");
  EXPECT_EQ(mailer_.sent[0].to, "zoe@example.org");
  EXPECT_NE(mailer_.sent[0].message.find("Message-ID: " + (*r)[0].message_id + "\r\n"),
            std::string::npos);
  EXPECT_NE(mailer_.sent[0].message.find("Subject: Demande " + ref), std::string::npos);
  auto rows = store_->OutboxMessages(0);
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[0].state, "sent");
  // Nothing left: a second pass sends nothing.
  auto again = SendDue(*store_, mailer_, clock_, opt_);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(mailer_.sent.size(), 1u);
}

TEST_F(SenderTest, RetriesWithBackoffThenGivesUp) {
  Queue();
  mailer_.replies = {{false, "Couldn't connect to server", 0},
                     {false, "421 4.3.0 try later", 421},
                     {false, "451 busy", 451}};
  auto r1 = SendDue(*store_, mailer_, clock_, opt_);
  ASSERT_TRUE(r1);
  ASSERT_EQ(r1->size(), 1u);
  EXPECT_EQ((*r1)[0].outcome, "retry");
  EXPECT_EQ((*r1)[0].next_attempt_at, IsoTimestamp(clock_.Now() + std::chrono::seconds(60)));
  auto rows = store_->OutboxMessages(0);
  EXPECT_EQ((*rows)[0].state, "queued");
  EXPECT_EQ((*rows)[0].attempts, 1);
  EXPECT_EQ((*rows)[0].last_error, "Couldn't connect to server");
  // Not due yet.
  ASSERT_TRUE(SendDue(*store_, mailer_, clock_, opt_)->empty());
  clock_.Advance(std::chrono::seconds(60));
  auto r2 = SendDue(*store_, mailer_, clock_, opt_);
  ASSERT_EQ(r2->size(), 1u);
  EXPECT_EQ((*r2)[0].outcome, "retry");
  EXPECT_EQ((*r2)[0].next_attempt_at, IsoTimestamp(clock_.Now() + std::chrono::seconds(120)));
  clock_.Advance(std::chrono::seconds(120));
  auto r3 = SendDue(*store_, mailer_, clock_, opt_);
  ASSERT_EQ(r3->size(), 1u);
  EXPECT_EQ((*r3)[0].outcome, "failed");  // third attempt of 3
  rows = store_->OutboxMessages(0);
  EXPECT_EQ((*rows)[0].state, "failed");
  EXPECT_EQ((*rows)[0].last_error, "451 busy");
  // The same Message-ID at every attempt.
  ASSERT_EQ(mailer_.sent.size(), 3u);
  const std::string id = "Message-ID: " + (*rows)[0].message_id + "\r\n";
  for (const auto& s : mailer_.sent) EXPECT_NE(s.message.find(id), std::string::npos);
}

TEST_F(SenderTest, APermanentReplyGivesUpAtOnce) {
  Queue();
  mailer_.replies = {{false, "550 5.1.1 <zoe@example.org>: unknown user", 550}};
  auto r = SendDue(*store_, mailer_, clock_, opt_);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].outcome, "failed");
  EXPECT_EQ(store_->OutboxMessages(0)->at(0).last_error,
            "550 5.1.1 <zoe@example.org>: unknown user");
}

// ---- Each fund through its own relay (store/mail_settings.h)

// Forwards to a mailer the test keeps (the factory's mailers are owned by
// FundMailers).
class Forward : public Mailer {
 public:
  explicit Forward(FakeMailer& to) : to_(to) {}
  SendResult Send(std::string_view from, std::string_view to, std::string_view msg) override {
    return to_.Send(from, to, msg);
  }

 private:
  FakeMailer& to_;
};

class FundSenderTest : public SenderTest {
 protected:
  void SetUp() override {
    SenderTest::SetUp();
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"974", "Caf B", "reunion", "", false}));
    ::setenv("AMIABLE_TEST_SMTP_631", "s3cret-631", 1);
    SmtpFundSettings s;
    s.organisme = "631";
    s.smtp_url = "smtp://smtp.caf-a.example:587";
    s.user = "relay631";
    s.password_env = "AMIABLE_TEST_SMTP_631";
    s.from = "Mediation Caf A <mediation@caf-a.example>";
    s.reply_to = "contact@caf-a.example";
    s.signature = "Le mediateur de la Caf A\n04 00 00 00 00";
    ASSERT_TRUE(store_->SaveSmtp(Actor::System(), s));
    settings_ = s;
  }
  void TearDown() override {
    ::unsetenv("AMIABLE_TEST_SMTP_631");
    SenderTest::TearDown();
  }
  void QueueFor(std::string organisme, std::string kind, std::string html = "") {
    OutboxMessage m;
    m.kind = std::move(kind);
    m.organisme = std::move(organisme);
    m.recipient = "zoe@example.org";
    m.subject = "Votre demande";
    m.body = "Bonjour,\nvoici la réponse.\n";
    m.body_html = std::move(html);
    m.in_reply_to = "<demande-1@example.org>";
    auto r = store_->QueueOutbox(Actor::System(), m);
    ASSERT_TRUE(r) << ToString(r.error());
  }
  MailerFactory Factory() {
    return [this](SmtpSettings s) -> std::unique_ptr<Mailer> {
      built_.push_back(s);
      return std::make_unique<Forward>(fund_mailer_);
    };
  }
  FakeMailer fund_mailer_;
  std::vector<SmtpSettings> built_;
  SmtpFundSettings settings_;
};

TEST_F(FundSenderTest, AFundWithARelaySendsThroughItWithItsFromReplyToAndSignature) {
  QueueFor("631", "reply");
  QueueFor("631", "reply", "<p>Bonjour,</p>");
  QueueFor("974", "reply");  // no settings: the server's relay
  FundMailers funds(*store_, Factory());
  auto r = SendDue(*store_, mailer_, clock_, opt_, &funds);
  ASSERT_TRUE(r) << ToString(r.error());
  ASSERT_EQ(r->size(), 3u);
  for (const SendOutcome& o : *r) EXPECT_EQ(o.outcome, "sent") << o.error;
  ASSERT_EQ(built_.size(), 1u);  // one mailer for the fund, kept
  EXPECT_EQ(built_[0].url, "smtp://smtp.caf-a.example:587");
  EXPECT_EQ(built_[0].user, "relay631");
  EXPECT_EQ(built_[0].password, "s3cret-631");  // read from the variable
  ASSERT_EQ(fund_mailer_.sent.size(), 2u);
  const auto& text = fund_mailer_.sent[0];
  EXPECT_EQ(text.from, "mediation@caf-a.example");
  EXPECT_NE(text.message.find("From: Mediation Caf A <mediation@caf-a.example>\r\n"),
            std::string::npos);
  EXPECT_NE(text.message.find("Reply-To: contact@caf-a.example\r\n"), std::string::npos);
  EXPECT_NE(text.message.find("In-Reply-To: <demande-1@example.org>\r\n"), std::string::npos);
  EXPECT_NE(text.message.find("r=C3=A9ponse.\r\n--=20\r\nLe mediateur de la Caf A\r\n04 00 00 00 00\r\n"),
            std::string::npos)
      << text.message;
  EXPECT_EQ(text.message.find("X-Loop"), std::string::npos);  // not automatic
  const auto& html = fund_mailer_.sent[1];
  EXPECT_NE(html.message.find("multipart/alternative"), std::string::npos);
  EXPECT_NE(html.message.find("Le mediateur de la Caf A<br>"), std::string::npos) << html.message;
  ASSERT_EQ(mailer_.sent.size(), 1u);
  EXPECT_EQ(mailer_.sent[0].from, "mediateur@caf.example");
  EXPECT_EQ(mailer_.sent[0].message.find("\r\nReply-To:"), std::string::npos);
  EXPECT_EQ(mailer_.sent[0].message.find("--=20\r\n"), std::string::npos);
}

TEST_F(FundSenderTest, AcknowledgementsAreMarkedAutomatic) {
  Queue();  // an acknowledgement of a case of 631
  FundMailers funds(*store_, Factory());
  auto r = SendDue(*store_, mailer_, clock_, opt_, &funds);
  ASSERT_TRUE(r);
  ASSERT_EQ(fund_mailer_.sent.size(), 1u);
  EXPECT_NE(fund_mailer_.sent[0].message.find("Auto-Submitted: auto-generated\r\nX-Loop: amiable\r\n"),
            std::string::npos);
}

TEST_F(FundSenderTest, AnUnreadablePasswordRetriesNeverFallsBackAndChangesAreSeen) {
  ::unsetenv("AMIABLE_TEST_SMTP_631");
  QueueFor("631", "reply");
  FundMailers funds(*store_, Factory());
  auto r = SendDue(*store_, mailer_, clock_, opt_, &funds);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].outcome, "retry");
  EXPECT_NE((*r)[0].error.find("AMIABLE_TEST_SMTP_631"), std::string::npos) << (*r)[0].error;
  EXPECT_TRUE(mailer_.sent.empty());  // not sent through the server's relay instead
  EXPECT_TRUE(built_.empty());
  // The administrator changes the settings: the next pass uses them.
  ::setenv("AMIABLE_TEST_SMTP_631", "autre", 1);
  settings_.from = "mediation2@caf-a.example";
  ASSERT_TRUE(store_->SaveSmtp(Actor::System(), settings_));
  clock_.Advance(std::chrono::seconds(60));
  auto r2 = SendDue(*store_, mailer_, clock_, opt_, &funds);
  ASSERT_TRUE(r2);
  ASSERT_EQ(r2->size(), 1u);
  EXPECT_EQ((*r2)[0].outcome, "sent");
  ASSERT_EQ(built_.size(), 1u);
  EXPECT_EQ(built_[0].password, "autre");
  ASSERT_EQ(fund_mailer_.sent.size(), 1u);
  EXPECT_EQ(fund_mailer_.sent[0].from, "mediation2@caf-a.example");
  settings_.from = "mediation3@caf-a.example";
  ASSERT_TRUE(store_->SaveSmtp(Actor::System(), settings_));
  QueueFor("631", "reply");
  ASSERT_TRUE(SendDue(*store_, mailer_, clock_, opt_, &funds));
  EXPECT_EQ(built_.size(), 2u);  // rebuilt after the change
  EXPECT_EQ(fund_mailer_.sent.back().from, "mediation3@caf-a.example");
}

TEST(RetryDelayTest, DoublesUpToTheCap) {
  SenderOptions o;
  o.first_retry = std::chrono::seconds(60);
  o.max_retry = std::chrono::seconds(300);
  EXPECT_EQ(RetryDelay(o, 1).count(), 60);
  EXPECT_EQ(RetryDelay(o, 2).count(), 120);
  EXPECT_EQ(RetryDelay(o, 3).count(), 240);
  EXPECT_EQ(RetryDelay(o, 4).count(), 300);
  EXPECT_EQ(RetryDelay(o, 40).count(), 300);
}

TEST(MailerTest, LoopbackUrls) {
  EXPECT_TRUE(IsLoopbackUrl("smtp://127.0.0.1:2525"));
  EXPECT_TRUE(IsLoopbackUrl("smtp://localhost"));
  EXPECT_TRUE(IsLoopbackUrl("smtp://[::1]:25"));
  EXPECT_FALSE(IsLoopbackUrl("smtp://smtp.caf.fr:587"));
  EXPECT_FALSE(IsLoopbackUrl("smtp://127.0.0.1.evil.fr:25"));
}

TEST(MailerTest, AServerThatDoesNotListenIsATransportError) {
  auto m = NewCurlMailer({"smtp://127.0.0.1:1", "", "", 5});
  SendResult r = m->Send("a@b.fr", "c@d.fr", "Subject: x\r\n\r\nx\r\n");
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.reply.empty());
  EXPECT_FALSE(r.permanent());
}

}  // namespace
}  // namespace amiable::mail
