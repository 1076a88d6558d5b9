// Internal requests (G@ci) and fund services (migration 11): stored by the
// imports and read back by the scans (exports, figures), written one by one
// by the service, listed per case and pending, found by the Message-ID of
// their outgoing message; the visible-case rule on each. Same suite on
// SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amiable {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

Actor MediatorOf(std::string fund, std::string name = "marie") {
  Actor a;
  a.user = std::move(name);
  a.role = Role::kMediator;
  a.all_funds = false;
  a.organismes = {std::move(fund)};
  return a;
}

class StoreInternalRequestsTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-store-internal-test"));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"631", "Caf A", "metropole", "", false}));
    ASSERT_TRUE(
        store_->UpsertOrganisme(Actor::System(), {"671", "Caf B", "alsace_moselle", "", false}));
  }

  // Three cases: one received and closed in 2025 with two requests, one
  // received in December 2024 and still open with a request sent in January
  // 2025, one with none.
  void ImportThree() {
    std::vector<Case> cases;
    Case a = TestCase("631-2025-0001", "631", "2025-02-03");
    a.taken_in_charge_on = D("2025-02-04");
    a.closed_on = D("2025-03-03");
    a.internal_requests = std::vector<InternalRequestDates>{{D("2025-02-10"), D("2025-02-12")},
                                                            {D("2025-02-05"), std::nullopt}};
    cases.push_back(a);
    Case b = TestCase("631-2024-0099", "631", "2024-12-20");
    b.internal_requests = std::vector<InternalRequestDates>{{D("2025-01-06"), D("2025-01-08")}};
    cases.push_back(b);
    cases.push_back(TestCase("671-2025-0001", "671", "2025-04-01"));
    auto r = store_->ImportCases(Actor::System(), cases);
    ASSERT_TRUE(r) << ToString(r.error());
  }

  std::map<std::string, Case> Period(int year, bool dates_only = false) {
    std::map<std::string, Case> out;
    auto fn = [&](Case& c) {
      EXPECT_FALSE(out.contains(c.reference)) << "visited twice: " << c.reference;
      out[c.reference] = c;
    };
    const Status s = dates_only
                         ? store_->ForEachCaseDatesInPeriod({}, Date::FromCivil(year, 1, 1),
                                                            Date::FromCivil(year, 12, 31), fn)
                         : store_->ForEachCaseInPeriod({}, Date::FromCivil(year, 1, 1),
                                                       Date::FromCivil(year, 12, 31), fn);
    EXPECT_TRUE(s) << ToString(s.error());
    return out;
  }

  // Queues a message for the case and records a request pointing at it.
  int64_t Ask(const Actor& actor, const std::string& reference, std::string* message_id) {
    OutboxMessage m;
    m.kind = "internal_request";
    m.recipient = "prestations@example.org";
    m.subject = "[{reference}] Demande interne : pièces";
    m.body = "Question";
    m.case_reference = reference;
    auto q = store_->QueueOutbox(actor, m);
    EXPECT_TRUE(q) << ToString(q.error());
    if (!q) return 0;
    if (message_id) *message_id = q->message_id;
    InternalRequest r;
    r.service_code = "prestations";
    r.service_label = "Service prestations";
    r.to_address = m.recipient;
    r.question = "Quelles pièces manquent ?";
    r.sent_on = D("2025-03-10");
    r.due_on = D("2025-03-17");
    r.outbox_id = q->id;
    auto id = store_->AddInternalRequest(actor, reference, r,
                                         {0, "", "", "internal_request", "Demande interne"});
    EXPECT_TRUE(id) << ToString(id.error());
    return id ? *id : 0;
  }
};

TEST_P(StoreInternalRequestsTest, ImportsKeepTheDatesAndTheExportReadsThemBackInOrder) {
  ASSERT_NO_FATAL_FAILURE(ImportThree());
  std::map<std::string, Case> all;
  ASSERT_TRUE(store_->ForEachCase(Actor::System(), {}, std::nullopt,
                                  [&](const Case& c) { all[c.reference] = c; }));
  ASSERT_EQ(all.size(), 3u);
  const auto& a = all["631-2025-0001"].internal_requests;
  ASSERT_TRUE(a.has_value());
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0], (InternalRequestDates{D("2025-02-10"), D("2025-02-12")}));  // file order
  EXPECT_EQ((*a)[1], (InternalRequestDates{D("2025-02-05"), std::nullopt}));
  EXPECT_FALSE(all["671-2025-0001"].internal_requests.has_value());  // none: absent
  // The case page's read leaves them out; an update keeps them.
  auto got = store_->GetCase(Actor::System(), "631-2025-0001");
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->internal_requests.has_value());
  got->channel = "courriel";
  ASSERT_TRUE(store_->UpdateCase(Actor::System(), *got, {0, "", "", "update", "canal"}));
  auto rows = store_->CaseInternalRequests(Actor::System(), "631-2025-0001");
  ASSERT_TRUE(rows) << ToString(rows.error());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].sent_on, D("2025-02-10"));
  EXPECT_EQ((*rows)[0].created_by, "import");
  EXPECT_FALSE((*rows)[0].due_on.has_value());
  EXPECT_FALSE((*rows)[1].answered_on.has_value());
}

TEST_P(StoreInternalRequestsTest, CreateCaseStoresThemToo) {
  Case c = TestCase("631-2025-0007", "631", "2025-05-05");
  c.internal_requests = std::vector<InternalRequestDates>{{D("2025-05-06"), std::nullopt}};
  ASSERT_TRUE(store_->CreateCase(Actor::System(), c, {0, "", "", "create", "créé"}));
  auto rows = store_->CaseInternalRequests(Actor::System(), "631-2025-0007");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].sent_on, D("2025-05-06"));
}

TEST_P(StoreInternalRequestsTest, ThePeriodScanAddsCasesWithARequestSentInThePeriod) {
  ASSERT_NO_FATAL_FAILURE(ImportThree());
  auto y2025 = Period(2025);
  // Received in 2024, open, asked in 2025: streamed for its request.
  ASSERT_TRUE(y2025.contains("631-2024-0099"));
  ASSERT_TRUE(y2025["631-2024-0099"].internal_requests.has_value());
  EXPECT_EQ(y2025["631-2024-0099"].internal_requests->size(), 1u);
  EXPECT_EQ(y2025.size(), 3u);
  EXPECT_EQ(y2025["631-2025-0001"].internal_requests->size(), 2u);
  // The dates-only scan (all-funds comparison) does not need them.
  auto dates = Period(2025, /*dates_only=*/true);
  EXPECT_FALSE(dates.contains("631-2024-0099"));
  EXPECT_FALSE(dates["631-2025-0001"].internal_requests.has_value());
  // 2024: the December case is received then, with its request.
  auto y2024 = Period(2024);
  ASSERT_EQ(y2024.size(), 1u);
  EXPECT_TRUE(y2024.begin()->second.internal_requests.has_value());
  EXPECT_TRUE(Period(2026).empty());
}

TEST_P(StoreInternalRequestsTest, FundServicesAreSavedReplacedAndListedByCode) {
  ASSERT_TRUE(store_->SaveFundService(
      Actor::System(), {"631", "prestations", "Service prestations", "p@example.org", true}));
  ASSERT_TRUE(store_->SaveFundService(
      Actor::System(), {"631", "controle", "Service contrôle", "c@example.org", true}));
  ASSERT_TRUE(store_->SaveFundService(
      Actor::System(), {"631", "controle", "Service du contrôle", "c2@example.org", false}));
  auto list = store_->FundServices("631");
  ASSERT_TRUE(list) << ToString(list.error());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].code, "controle");
  EXPECT_EQ((*list)[0].label, "Service du contrôle");
  EXPECT_EQ((*list)[0].address, "c2@example.org");
  EXPECT_FALSE((*list)[0].active);
  EXPECT_TRUE((*list)[1].active);
  EXPECT_TRUE(store_->FundServices("671")->empty());
  // A fund the actor does not see, or that does not exist.
  auto other =
      store_->SaveFundService(MediatorOf("671"), {"631", "x", "Service X", "x@example.org", true});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Error::Code::kInvalid);
  EXPECT_FALSE(
      store_->SaveFundService(Actor::System(), {"999", "x", "Service X", "x@example.org", true}));
}

TEST_P(StoreInternalRequestsTest, AskAnswerPendingAndTheReplyLookup) {
  ASSERT_NO_FATAL_FAILURE(ImportThree());
  const Actor marie = MediatorOf("631");
  std::string message_id;
  const int64_t id = Ask(marie, "631-2025-0001", &message_id);
  ASSERT_GT(id, 0);
  auto rows = store_->CaseInternalRequests(marie, "631-2025-0001");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  const InternalRequest& r = rows->back();
  EXPECT_EQ(r.id, id);
  EXPECT_EQ(r.reference, "631-2025-0001");
  EXPECT_EQ(r.organisme, "631");
  EXPECT_EQ(r.service_label, "Service prestations");
  EXPECT_EQ(r.due_on, D("2025-03-17"));
  EXPECT_EQ(r.created_by, "marie");
  ASSERT_TRUE(r.outbox_id.has_value());
  // The history has the row.
  auto history = store_->History(marie, "631-2025-0001");
  ASSERT_TRUE(history);
  EXPECT_EQ(history->back().kind, "internal_request");

  // The reply's In-Reply-To finds the request.
  auto found = store_->InternalRequestByOutboxMessageId(message_id);
  ASSERT_TRUE(found) << ToString(found.error());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->first, "631-2025-0001");
  EXPECT_EQ((*found)->second, id);
  EXPECT_FALSE(store_->InternalRequestByOutboxMessageId("<nobody@example.org>")->has_value());
  EXPECT_FALSE(store_->InternalRequestByOutboxMessageId("")->has_value());

  // Pending: the unanswered of the visible cases, oldest sent first.
  auto pending = store_->PendingInternalRequests(marie, 0);
  ASSERT_TRUE(pending) << ToString(pending.error());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].sent_on, D("2025-02-05"));
  EXPECT_EQ((*pending)[1].id, id);
  EXPECT_TRUE(store_->PendingInternalRequests(MediatorOf("671", "paul"), 0)->empty());
  EXPECT_EQ(store_->PendingInternalRequests(Actor::System(), 1)->size(), 1u);

  // Answer: only a request of that case.
  auto wrong = store_->AnswerInternalRequest(marie, "631-2024-0099", id, D("2025-03-12"), "",
                                             {0, "", "", "", "Réponse"});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Error::Code::kNotFound);
  EXPECT_EQ(wrong.error().message_id, "internal_request.not_found");
  ASSERT_TRUE(store_->AnswerInternalRequest(marie, "631-2025-0001", id, D("2025-03-12"),
                                            "<answer@example.org>", {0, "", "", "", "Réponse"}));
  rows = store_->CaseInternalRequests(marie, "631-2025-0001");
  EXPECT_EQ(rows->back().answered_on, D("2025-03-12"));
  EXPECT_EQ(rows->back().answer_message, "<answer@example.org>");
  EXPECT_EQ(store_->PendingInternalRequests(marie, 0)->size(), 1u);
  EXPECT_EQ(store_->History(marie, "631-2025-0001")->back().kind, "internal_request_answer");
}

TEST_P(StoreInternalRequestsTest, OtherFundsCasesAreNotFound) {
  ASSERT_NO_FATAL_FAILURE(ImportThree());
  const Actor paul = MediatorOf("671", "paul");
  auto list = store_->CaseInternalRequests(paul, "631-2025-0001");
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().code, Error::Code::kNotFound);
  InternalRequest r;
  r.sent_on = D("2025-03-10");
  auto add = store_->AddInternalRequest(paul, "631-2025-0001", r, {0, "", "", "", "x"});
  ASSERT_FALSE(add);
  EXPECT_EQ(add.error().code, Error::Code::kNotFound);
  EXPECT_EQ(store_->CaseInternalRequests(Actor::System(), "631-2025-0001")->size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreInternalRequestsTest,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable
