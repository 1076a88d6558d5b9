// The internal-request use cases over a real SQLite store: roles, locked
// cases, services of the fund, the one transaction (request, history,
// outbox), the due date and the delay, answers by mail (idempotent) and by
// hand, the dashboard list, the services of a fund.
#include "service/internal_requests.h"

#include <gtest/gtest.h>

#include "core/messages.h"
#include "service/case_service.h"
#include "store/store_test_util.h"

namespace amiable::service {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

template <typename T>
std::string Key(const Result<T>& r) {
  return r ? "ok" : std::string(msg::KeyOf(r.error()));
}
std::string Key(const Status& s) { return s ? "ok" : std::string(msg::KeyOf(s.error())); }

class InternalRequestServiceTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-internal-service-test", "t.db"));
    const Actor sys = Actor::System();
    ASSERT_TRUE(
        store_->UpsertOrganisme(sys, {"631", "Caf du Puy-de-Dôme", "metropole", "84", false}));
    ASSERT_TRUE(
        store_->UpsertOrganisme(sys, {"671", "Caf du Bas-Rhin", "alsace_moselle", "44", false}));
    struct U {
      const char* name;
      Role role;
      const char* fund;
    };
    for (const U& u : {U{"alice", Role::kMediator, "631"}, U{"dave", Role::kMediator, "671"},
                       U{"chef", Role::kManager, "631"}, U{"stat", Role::kStatisticsReader, "631"},
                       U{"admin", Role::kAdministrator, "631"}}) {
      User x;
      x.name = u.name;
      x.display_name = u.name;
      x.role = u.role;
      x.organismes = {u.fund};
      x.all_funds = u.role == Role::kAdministrator;
      ASSERT_TRUE(store_->CreateUser(x));
    }
    ASSERT_EQ(Key(Svc().SaveService(Who("chef"), {"631", "prestations", "Service prestations",
                                                  "prestations@example.org", true})),
              "ok");
    ASSERT_EQ(Key(Svc().SaveService(Caller::System("test"), {"631", "ancien", "Ancien service",
                                                             "ancien@example.org", false})),
              "ok");
    ref_ = NewCase();
  }

  Caller Who(const char* name) {
    auto u = store_->GetUser(name);
    EXPECT_TRUE(u) << name;
    return Caller::OfUser(*u);
  }
  InternalRequestService Svc() { return InternalRequestService(*store_, clock_); }
  CaseService Cases() { return CaseService(*store_, clock_); }

  std::string NewCase() {
    Registration r;
    r.c.organisme = "631";
    r.c.received_on = D("2026-03-02");
    r.c.channel = "courriel";
    auto ref = Cases().Register(Who("alice"), r);
    EXPECT_TRUE(ref) << ToString(ref.error());
    return ref.value_or("");
  }

  // Monday 16 March 2026, noon.
  FixedClock clock_{NoonOf(D("2026-03-16"))};
  std::string ref_;
};

TEST_F(InternalRequestServiceTest, AskWritesTheRequestItsHistoryAndItsMailTogether) {
  auto r = Svc().Ask(Who("alice"), ref_, "prestations",
                     "  Pouvez-vous confirmer la date de la dernière révision des droits ?\n"
                     "Merci.  ");
  ASSERT_TRUE(r) << ToString(r.error());
  EXPECT_GT(r->request.id, 0);
  EXPECT_EQ(r->request.sent_on, D("2026-03-16"));
  EXPECT_EQ(r->due_on, D("2026-03-23"));  // 5 working days
  EXPECT_EQ(r->working_days, 0);
  EXPECT_FALSE(r->late);
  EXPECT_EQ(r->request.question,
            "Pouvez-vous confirmer la date de la dernière révision des droits ?\nMerci.");

  auto outbox = store_->CaseOutbox(Actor::System(), ref_);
  ASSERT_TRUE(outbox);
  ASSERT_EQ(outbox->size(), 1u);
  const OutboxMessage& m = outbox->front();
  EXPECT_EQ(m.kind, "internal_request");
  EXPECT_EQ(m.recipient, "prestations@example.org");
  EXPECT_EQ(m.subject.rfind("[" + ref_ + "] Demande interne : Pouvez-vous confirmer", 0), 0u)
      << m.subject;
  EXPECT_NE(m.body.find(ref_), std::string::npos);
  EXPECT_NE(m.body.find("dernière révision"), std::string::npos);
  EXPECT_EQ(m.organisme, "631");
  ASSERT_TRUE(r->request.outbox_id.has_value());
  EXPECT_EQ(*r->request.outbox_id, m.id);

  auto found = store_->InternalRequestByOutboxMessageId(m.message_id);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->first, ref_);
  EXPECT_EQ((*found)->second, r->request.id);

  auto history = store_->History(Actor::System(), ref_);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->back().kind, "internal_request");
  EXPECT_EQ(history->back().actor, "alice");
  EXPECT_NE(history->back().detail.find("Service prestations"), std::string::npos);
}

TEST_F(InternalRequestServiceTest, AskRefusals) {
  EXPECT_EQ(Key(Svc().Ask(Who("alice"), ref_, "prestations", " \n ")),
            "internal_request.question_required");
  EXPECT_EQ(Key(Svc().Ask(Who("alice"), ref_, "prestations",
                          std::string(kMaxInternalQuestionBytes + 1, 'x'))),
            "internal_request.question_too_long");
  EXPECT_EQ(Key(Svc().Ask(Who("alice"), ref_, "inconnu", "Question ?")),
            "internal_request.service_unknown");
  EXPECT_EQ(Key(Svc().Ask(Who("alice"), ref_, "ancien", "Question ?")),  // inactive
            "internal_request.service_unknown");
  EXPECT_EQ(Key(Svc().Ask(Who("stat"), ref_, "prestations", "Question ?")), "role.no_case_access");
  EXPECT_EQ(Key(Svc().Ask(Who("admin"), ref_, "prestations", "Question ?")),
            "internal_request.role");
  EXPECT_EQ(Key(Svc().Ask(Who("dave"), ref_, "prestations", "Question ?")), "case.not_found");
  // Nothing was written by any of them.
  EXPECT_TRUE(store_->CaseOutbox(Actor::System(), ref_)->empty());
  EXPECT_TRUE(store_->CaseInternalRequests(Actor::System(), ref_)->empty());
  // A manager of the fund may ask; a closed case may not be asked about.
  EXPECT_EQ(Key(Svc().Ask(Who("chef"), ref_, "prestations", "Question ?")), "ok");
  EventCall c;
  c.request.event = "declare_inadmissible";
  c.request.params = {{"inadmissibility_reason", "envoi_pieces"},
                      {"orientation", "Service prestations"}};
  auto closed = Cases().Apply(Who("alice"), ref_, c);
  ASSERT_TRUE(closed) << ToString(closed.error());
  EXPECT_EQ(Key(Svc().Ask(Who("alice"), ref_, "prestations", "Question ?")), "case.locked");
}

TEST_F(InternalRequestServiceTest, AnswersByMailAreIdempotentAndByHandChecked) {
  auto r = Svc().Ask(Who("alice"), ref_, "prestations", "Question ?");
  ASSERT_TRUE(r);
  const int64_t id = r->request.id;
  EXPECT_EQ(Key(Svc().RecordAnswer(Who("alice"), ref_, id, D("2026-03-13"), "")),
            "internal_request.answer_before_sent");
  EXPECT_EQ(Key(Svc().RecordAnswer(Who("alice"), ref_, id, D("2026-03-17"), "")),
            "internal_request.answer_in_future");
  EXPECT_EQ(Key(Svc().RecordAnswer(Who("alice"), ref_, id + 100, D("2026-03-16"), "")),
            "internal_request.not_found");
  EXPECT_EQ(Key(Svc().RecordAnswer(Who("dave"), ref_, id, D("2026-03-16"), "")), "case.not_found");
  EXPECT_EQ(Key(Svc().RecordAnswer(Who("stat"), ref_, id, D("2026-03-16"), "")),
            "role.no_case_access");

  // The mail intake, as the system, twice with the same reply.
  const Caller intake = Caller::System("mail");
  auto a = Svc().RecordAnswer(intake, ref_, id, D("2026-03-16"), "<reply-1@example.org>");
  ASSERT_TRUE(a) << ToString(a.error());
  EXPECT_EQ(a->request.answered_on, D("2026-03-16"));
  auto again = Svc().RecordAnswer(intake, ref_, id, D("2026-03-16"), "<reply-1@example.org>");
  ASSERT_TRUE(again) << ToString(again.error());
  EXPECT_EQ(again->request.answer_message, "<reply-1@example.org>");
  auto history = store_->History(Actor::System(), ref_);
  EXPECT_EQ(std::count_if(history->begin(), history->end(),
                          [](const CaseEvent& e) { return e.kind == "internal_request_answer"; }),
            1);
  EXPECT_EQ(Key(Svc().RecordAnswer(intake, ref_, id, D("2026-03-16"), "<reply-2@example.org>")),
            "internal_request.already_answered");
  EXPECT_EQ(Key(Svc().RecordAnswer(Who("alice"), ref_, id, D("2026-03-16"), "")),
            "internal_request.already_answered");
}

TEST_F(InternalRequestServiceTest, DelaysLatenessAndTheDashboard) {
  // Asked on Monday 16 March, due Monday 23.
  auto a = Svc().Ask(Who("alice"), ref_, "prestations", "Première question ?");
  auto b = Svc().Ask(Who("alice"), ref_, "prestations", "Seconde question ?");
  ASSERT_TRUE(a && b);
  clock_.Set(NoonOf(D("2026-03-25")));  // Wednesday of the next week
  ASSERT_TRUE(Svc().RecordAnswer(Who("alice"), ref_, a->request.id, D("2026-03-20"), ""));
  auto list = Svc().List(Who("alice"), ref_);
  ASSERT_TRUE(list) << ToString(list.error());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].working_days, 4);  // Monday -> Friday
  EXPECT_FALSE((*list)[0].late);
  EXPECT_EQ((*list)[1].working_days, 7);  // still waiting: Monday -> next Wednesday
  EXPECT_TRUE((*list)[1].late);

  auto pending = Svc().Pending(Who("alice"));
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().request.id, b->request.id);
  EXPECT_EQ(pending->front().request.reference, ref_);
  EXPECT_TRUE(pending->front().late);
  EXPECT_TRUE(Svc().Pending(Who("dave"))->empty());
  EXPECT_EQ(Key(Svc().Pending(Who("stat"))), "role.no_case_access");
}

TEST_F(InternalRequestServiceTest, ImportedRequestsGetADueDate) {
  Case c = TestCase("631-2025-0042", "631", "2025-04-14");
  c.internal_requests = std::vector<InternalRequestDates>{{D("2025-04-18"), std::nullopt}};
  ASSERT_TRUE(store_->ImportCases(Actor::System(), std::vector<Case>{c}));
  auto list = Svc().List(Who("alice"), "631-2025-0042");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().due_on, D("2025-04-28"));  // Easter Monday 21 April off
  EXPECT_TRUE(list->front().late);
}

TEST_F(InternalRequestServiceTest, ServicesOfAFund) {
  EXPECT_EQ(Key(Svc().SaveService(Who("alice"), {"631", "x", "X", "x@example.org", true})),
            "fund_service.role");
  EXPECT_EQ(Key(Svc().SaveService(Who("chef"), {"671", "x", "X", "x@example.org", true})),
            "fund_service.role");
  EXPECT_EQ(
      Key(Svc().SaveService(Who("chef"), {"631", "Mauvais Code", "X", "x@example.org", true})),
      "fund_service.code");
  EXPECT_EQ(Key(Svc().SaveService(Who("chef"), {"631", "x", " ", "x@example.org", true})),
            "fund_service.label_required");
  EXPECT_EQ(Key(Svc().SaveService(Who("chef"), {"631", "x", "X", "pas une adresse", true})),
            "fund_service.address");
  EXPECT_EQ(Key(Svc().SaveService(Who("admin"), {"671", "controle", "Service contrôle",
                                                 "controle@example.org", true})),
            "ok");
  auto list = Svc().Services(Who("alice"), "631");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(Key(Svc().Services(Who("alice"), "671")), "store.organisme_unknown");
  EXPECT_EQ(Key(Svc().Services(Who("stat"), "631")), "role.no_case_access");
}

TEST(InternalRequestSubject, FirstWordsOfTheQuestion) {
  EXPECT_EQ(InternalRequestService::Subject("Quel est le montant ?"),
            "[{reference}] Demande interne : Quel est le montant ?");
  EXPECT_EQ(InternalRequestService::Subject("Première ligne\nseconde ligne"),
            "[{reference}] Demande interne : Première ligne");
  const std::string s = InternalRequestService::Subject(
      "Pouvez-vous nous indiquer les éléments retenus pour le calcul de l'indu notifié en "
      "février ?");
  EXPECT_EQ(s.rfind("[{reference}] Demande interne : Pouvez-vous nous indiquer", 0), 0u) << s;
  EXPECT_EQ(s.substr(s.size() - 3), "…");
  EXPECT_LT(s.size(), 110u);
}

}  // namespace
}  // namespace amiable::service
