// The sender against a real store (SQLite) and a fake mailer.
#include "mail/sender.h"

#include <gtest/gtest.h>

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
