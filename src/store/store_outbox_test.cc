// Sending the outbox (migration 6): a Message-ID fixed when queued, claims
// with a lease that two senders never share, sent and failed with backoff.
// Same suite on SQLite and PostgreSQL, as store_test.cc.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "store/store_test_util.h"

namespace amiable {
namespace {

class StoreOutboxTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-store-outbox-test"));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"631", "Caf A", "metropole", "", false}));
  }
  std::string Queue(std::string email) {
    Submission s;
    s.c.organisme = "631";
    s.c.received_on = *Date::Parse("2025-03-04");
    s.c.channel = "teleprocedure";
    s.c.description = "Mon aide n'est pas versée.";
    s.event = {0, "", "public", "create", "Demande déposée en ligne"};
    OutboxMessage m;
    m.kind = "acknowledgement";
    m.recipient = std::move(email);
    m.subject = "Demande {reference}";
    m.body = "Référence : {reference}";
    s.acknowledgement = m;
    auto r = store_->SubmitCase(Actor::System(), s);
    EXPECT_TRUE(r) << (r ? "" : ToString(r.error()));
    return r ? *r : "";
  }
  static constexpr const char* kT0 = "2025-03-04T10:00:00Z";
  static constexpr const char* kT1 = "2025-03-04T10:05:00Z";
  static constexpr const char* kT2 = "2025-03-04T11:00:00Z";
};

TEST_P(StoreOutboxTest, QueuedRowsCarryAStableMessageIdAndAreClaimedOnce) {
  // The row is queued with the store's clock ("now"), due at once: claims use
  // a time far ahead so that they see it.
  const std::string ref = Queue("a@example.org");
  Queue("b@example.org");
  auto all = store_->OutboxMessages(0);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  const OutboxMessage m = (*all)[0];
  EXPECT_EQ(m.state, "queued");
  EXPECT_EQ(m.attempts, 0);
  EXPECT_EQ(m.subject, "Demande " + ref);
  EXPECT_TRUE(m.message_id.starts_with("<outbox-" + std::to_string(m.id) + ".")) << m.message_id;
  EXPECT_TRUE(m.message_id.ends_with(">"));
  EXPECT_NE(m.message_id, (*all)[1].message_id);

  const std::string now = "2100-01-01T00:00:00Z", lease = "2100-01-01T00:05:00Z";
  auto c1 = store_->ClaimOutbox(now, lease, 1);
  ASSERT_TRUE(c1) << ToString(c1.error());
  ASSERT_EQ(c1->size(), 1u);
  EXPECT_EQ((*c1)[0].id, m.id);
  EXPECT_EQ((*c1)[0].attempts, 1);
  EXPECT_EQ((*c1)[0].message_id, m.message_id);
  // Leased: another claim gets only the other row, then nothing.
  auto c2 = store_->ClaimOutbox(now, lease, 10);
  ASSERT_TRUE(c2);
  ASSERT_EQ(c2->size(), 1u);
  EXPECT_NE((*c2)[0].id, m.id);
  auto c3 = store_->ClaimOutbox(now, lease, 10);
  ASSERT_TRUE(c3);
  EXPECT_TRUE(c3->empty());
  // A sender that died: its lease ends, the row is claimed again, same ID.
  auto c4 = store_->ClaimOutbox("2100-01-01T00:06:00Z", "2100-01-01T00:11:00Z", 10);
  ASSERT_TRUE(c4);
  ASSERT_EQ(c4->size(), 2u);
  EXPECT_EQ((*c4)[0].attempts, 2);
  EXPECT_EQ((*c4)[0].message_id, m.message_id);

  ASSERT_TRUE(store_->MarkOutboxSent(m.id, "2100-01-01T00:06:01Z"));
  auto after = store_->OutboxMessages(0);
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)[0].state, "sent");
  EXPECT_EQ((*after)[0].sent_at, "2100-01-01T00:06:01Z");
  auto pending = store_->PendingOutbox(10);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  // A sent row is never claimed again, even after its lease.
  auto c5 = store_->ClaimOutbox("2100-01-02T00:00:00Z", "2100-01-02T00:05:00Z", 10);
  ASSERT_TRUE(c5);
  ASSERT_EQ(c5->size(), 1u);
  EXPECT_NE((*c5)[0].id, m.id);
  EXPECT_FALSE(store_->MarkOutboxSent(999999, now));
}

TEST_P(StoreOutboxTest, FailuresWaitForTheirNextAttemptThenGiveUp) {
  Queue("a@example.org");
  const std::string now = "2100-01-01T00:00:00Z";
  auto c = store_->ClaimOutbox(now, "2100-01-01T00:05:00Z", 10);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->size(), 1u);
  const int64_t id = (*c)[0].id;
  ASSERT_TRUE(store_->MarkOutboxFailed(id, "connection refused", "2100-01-01T01:00:00Z", false));
  auto rows = store_->OutboxMessages(0);
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[0].state, "queued");
  EXPECT_EQ((*rows)[0].last_error, "connection refused");
  EXPECT_EQ((*rows)[0].next_attempt_at, "2100-01-01T01:00:00Z");
  // Not due before its next attempt (the lease is free).
  auto early = store_->ClaimOutbox("2100-01-01T00:30:00Z", "2100-01-01T00:35:00Z", 10);
  ASSERT_TRUE(early);
  EXPECT_TRUE(early->empty());
  auto due = store_->ClaimOutbox("2100-01-01T01:00:00Z", "2100-01-01T01:05:00Z", 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].attempts, 2);
  ASSERT_TRUE(store_->MarkOutboxFailed(id, "550 5.1.1 no such user", "", true));
  rows = store_->OutboxMessages(0);
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[0].state, "failed");
  EXPECT_EQ((*rows)[0].last_error, "550 5.1.1 no such user");
  auto none = store_->ClaimOutbox("2200-01-01T00:00:00Z", "2200-01-01T00:05:00Z", 10);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(StoreOutboxTest, ACaseShowsItsRowsAndTheFailedOnesOnlyToWhoSeesIt) {
  ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"632", "Caf B", "metropole", "", false}));
  const std::string a = Queue("a@example.org");
  const std::string b = Queue("b@example.org");
  auto rows = store_->CaseOutbox(Actor::System(), a);
  ASSERT_TRUE(rows) << ToString(rows.error());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].case_reference, a);
  EXPECT_EQ((*rows)[0].recipient, "a@example.org");
  EXPECT_EQ((*rows)[0].subject, "Demande " + a);
  EXPECT_EQ((*rows)[0].state, "queued");
  EXPECT_FALSE((*rows)[0].message_id.empty());
  auto none = store_->FailedOutbox(Actor::System(), 0);
  ASSERT_TRUE(none) << ToString(none.error());
  EXPECT_TRUE(none->empty());

  auto c = store_->ClaimOutbox("2100-01-01T00:00:00Z", "2100-01-01T00:05:00Z", 1);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->size(), 1u);
  ASSERT_EQ((*c)[0].case_reference, a);
  ASSERT_TRUE(store_->MarkOutboxFailed((*c)[0].id, "550 5.1.1 no such user", "", true));
  rows = store_->CaseOutbox(Actor::System(), a);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].state, "failed");
  EXPECT_EQ((*rows)[0].attempts, 1);
  EXPECT_EQ((*rows)[0].last_error, "550 5.1.1 no such user");
  auto failed = store_->FailedOutbox(Actor::System(), 0);
  ASSERT_TRUE(failed);
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].case_reference, a);
  EXPECT_EQ((*failed)[0].last_error, "550 5.1.1 no such user");

  // A mediator of fund 632 sees neither the rows of 631's cases nor their failures.
  Actor other;
  other.user = "autre";
  other.role = Role::kMediator;
  other.all_funds = false;
  other.organismes = {"632"};
  auto hidden = store_->CaseOutbox(other, a);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, Error::Code::kNotFound);
  auto hidden_failed = store_->FailedOutbox(other, 0);
  ASSERT_TRUE(hidden_failed) << ToString(hidden_failed.error());
  EXPECT_TRUE(hidden_failed->empty());
  Actor mine = other;
  mine.organismes = {"631"};
  auto seen = store_->FailedOutbox(mine, 0);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->size(), 1u);
  auto b_rows = store_->CaseOutbox(mine, b);
  ASSERT_TRUE(b_rows);
  ASSERT_EQ(b_rows->size(), 1u);
  EXPECT_EQ((*b_rows)[0].state, "queued");
}

TEST_P(StoreOutboxTest, ConcurrentSendersNeverClaimTheSameRow) {
  for (int i = 0; i < 20; ++i) Queue("p" + std::to_string(i) + "@example.org");
  std::vector<std::vector<int64_t>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto s = Store::Open(url_);
      ASSERT_TRUE(s);
      for (int k = 0; k < 10; ++k) {
        auto c = (*s)->ClaimOutbox("2100-01-01T00:00:00Z", "2100-01-01T00:05:00Z", 2);
        if (!c) continue;  // SQLite busy: tried again
        for (const OutboxMessage& m : *c) got[t].push_back(m.id);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<int64_t> ids;
  size_t n = 0;
  for (const auto& g : got) {
    n += g.size();
    ids.insert(g.begin(), g.end());
  }
  EXPECT_EQ(n, ids.size());  // no row twice
  EXPECT_EQ(ids.size(), 20u);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreOutboxTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable
