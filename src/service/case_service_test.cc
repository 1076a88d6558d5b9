// The rules of the case service, one table row each, on a real SQLite store:
// who may do what (issue 7, the table), locking, published years, recusal
// within the fund and the region, the history's changed fields.
#include "service/case_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "core/messages.h"
#include "store/store_test_util.h"

namespace amiable::service {
namespace {

class CaseServiceTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-service-test", "t.db"));
    const Actor sys = Actor::System();
    // 631 and 031 share region 84 (Auvergne-Rhône-Alpes); 671 is in 44.
    ASSERT_TRUE(store_->UpsertOrganisme(sys, {"631", "Caf du Puy-de-Dôme", "metropole", "84", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(sys, {"031", "Caf de l'Allier", "metropole", "84", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(sys, {"671", "Caf du Bas-Rhin", "alsace_moselle", "44", false}));
    struct U {
      const char* name;
      Role role;
      const char* fund;
      bool disabled;
    };
    for (const U& u : {U{"alice", Role::kMediator, "631", false}, U{"bob", Role::kMediator, "631", false},
                       U{"carol", Role::kMediator, "031", false}, U{"dave", Role::kMediator, "671", false},
                       U{"chef", Role::kManager, "631", false}, U{"stat", Role::kStatisticsReader, "631", false},
                       U{"gone", Role::kMediator, "631", true}}) {
      User x;
      x.name = u.name;
      x.display_name = u.name;
      x.role = u.role;
      x.organismes = {u.fund};
      x.disabled = u.disabled;
      ASSERT_TRUE(store_->CreateUser(x));
    }
    User admin;
    admin.name = "admin";
    admin.role = Role::kAdministrator;
    admin.all_funds = true;
    ASSERT_TRUE(store_->CreateUser(admin));
  }

  Caller Who(const char* name) {
    auto u = store_->GetUser(name);
    EXPECT_TRUE(u) << name;
    return Caller::OfUser(*u);
  }
  CaseService Svc() { return CaseService(*store_, clock_); }

  // A case of 631 received on 2026-03-02, in state received.
  std::string NewCase(const char* who = "alice", const char* fund = "631") {
    Registration r;
    r.c.organisme = fund;
    r.c.received_on = *Date::Parse("2026-03-02");
    r.c.channel = "courriel";
    r.people.push_back({0, PersonRole::kLandlord, "SCI Les Tilleuls", "", "", "", "", ""});
    auto ref = Svc().Register(Who(who), r);
    EXPECT_TRUE(ref) << ToString(ref.error());
    return ref.value_or("");
  }
  Result<EventOutcome> Event(const char* who, const std::string& ref, const char* event,
                             std::map<std::string, std::string> params = {},
                             std::vector<std::string> confirm_unknown = {},
                             bool confirm_published = false) {
    EventCall c;
    c.request.event = event;
    c.request.params = std::move(params);
    c.confirm_unknown = std::move(confirm_unknown);
    c.guard.confirm_published = confirm_published;
    return Svc().Apply(Who(who), ref, c);
  }
  // Takes in charge by alice, investigates, answers, closes.
  void CloseCase(const std::string& ref) {
    ASSERT_TRUE(Event("alice", ref, "take_in_charge"));
    ASSERT_TRUE(Event("alice", ref, "answer", {{"response_modes", "courriel"}}));
    auto r = Event("alice", ref, "close", {{"resolution", "revisee"}, {"cause", "erreur_liquidation"}},
                   {"emitter", "prior_step", "motives", "benefits", "household", "activity",
                    "quotient_familial", "fraud"});
    ASSERT_TRUE(r) << ToString(r.error());
  }

  FixedClock clock_{NoonOf(*Date::Parse("2026-03-16"))};
};

std::string Key(const Status& s) { return s ? "ok" : s.error().message_id; }
template <typename T>
std::string Key(const Result<T>& r) {
  return r ? "ok" : r.error().message_id;
}

TEST_F(CaseServiceTest, GetFillsTheOutboxOfTheCase) {
  Registration r;
  r.c.organisme = "631";
  r.c.received_on = *Date::Parse("2026-03-02");
  r.c.channel = "teleprocedure";
  OutboxMessage ack;
  ack.kind = "acknowledgement";
  ack.recipient = "jeanne@example.org";
  ack.subject = "Votre demande {reference}";
  ack.body = "Référence : {reference}";
  r.acknowledgement = ack;
  auto ref = Svc().Register(Who("alice"), r);
  ASSERT_TRUE(ref) << ToString(ref.error());
  auto d = Svc().Get(Who("alice"), *ref);
  ASSERT_TRUE(d) << ToString(d.error());
  ASSERT_EQ(d->outbox.size(), 1u);
  EXPECT_EQ(d->outbox[0].subject, "Votre demande " + *ref);
  EXPECT_EQ(d->outbox[0].recipient, "jeanne@example.org");
  EXPECT_EQ(d->outbox[0].state, "queued");
  // A case without a message: an empty outbox.
  auto other = Svc().Get(Who("alice"), NewCase());
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->outbox.empty());
}

TEST_F(CaseServiceTest, StatisticsReaderSeesNoCase) {
  const std::string ref = NewCase();
  EXPECT_EQ(Key(Svc().GetCase(Who("stat"), ref)), "role.no_case_access");
  EXPECT_EQ(Key(Svc().List(Who("stat"), {}, nullptr)), "role.no_case_access");
  Registration r;
  r.c.organisme = "631";
  EXPECT_EQ(Key(Svc().Register(Who("stat"), r)), "role.no_case_access");
  EXPECT_EQ(Key(Svc().AddNote(Who("stat"), ref, "x")), "role.no_case_access");
}

TEST_F(CaseServiceTest, AnotherFundsCaseDoesNotExist) {
  const std::string ref = NewCase();
  EXPECT_EQ(Key(Svc().GetCase(Who("carol"), ref)), "case.not_found");
  EXPECT_EQ(Key(Event("carol", ref, "take_in_charge")), "case.not_found");
  EXPECT_EQ(Key(Svc().AddNote(Who("dave"), ref, "x")), "case.not_found");
  EXPECT_EQ(Key(Svc().GetCase(Who("bob"), ref)), "ok");  // colleagues share the fund's cases
}

TEST_F(CaseServiceTest, TheUserNamedMustBeAnActiveMediatorOfTheFund) {
  const std::string ref = NewCase();
  struct Row {
    const char* assigned_to;
    const char* key;
  };
  for (const Row& row : {Row{"nobody", "user.unknown"}, Row{"stat", "user.not_mediator"},
                         Row{"gone", "user.disabled"}, Row{"dave", "user.wrong_fund"},
                         Row{"carol", "user.wrong_fund"}, Row{"bob", "ok"}}) {
    auto r = Event("alice", ref, "take_in_charge", {{"assigned_to", row.assigned_to}});
    EXPECT_EQ(Key(r), row.key) << row.assigned_to;
    if (r) EXPECT_EQ(r->c.assigned_to, "bob");
  }
}

TEST_F(CaseServiceTest, RecusalWithinTheFundAndTheRegion) {
  const std::string ref = NewCase();
  ASSERT_TRUE(Event("alice", ref, "take_in_charge"));
  const std::map<std::string, std::string> why = {{"reason", "bailleur du requérant"},
                                                  {"interet", "propriétaire du logement"},
                                                  {"interference", "materielle,geographique"},
                                                  {"intensite", "forte"}};
  auto to = [&](const char* who) {
    auto p = why;
    p["to"] = who;
    return p;
  };
  // Only the mediator concerned records her recusal.
  EXPECT_EQ(Key(Event("bob", ref, "recuse", to("carol"))), "recuse.own_only");
  // The receiving mediator: the same fund or a fund of the same region.
  EXPECT_EQ(Key(Event("alice", ref, "recuse", to("dave"))), "recuse.target_not_eligible");
  EXPECT_EQ(Key(Event("alice", ref, "recuse", to("stat"))), "user.not_mediator");
  auto bad = why;
  bad["to"] = "carol";
  bad["intensite"] = "enorme";
  EXPECT_EQ(Key(Event("alice", ref, "recuse", bad)), "recuse.intensity_unknown");
  auto candidates = Svc().ReceivingMediators(Who("alice"), ref);
  ASSERT_TRUE(candidates);
  std::vector<std::string> names;
  for (const User& u : *candidates) names.push_back(u.name);
  EXPECT_EQ(names, (std::vector<std::string>{"bob", "carol"}));  // own fund first

  auto done = Event("alice", ref, "recuse", to("carol"));
  ASSERT_TRUE(done) << ToString(done.error());
  EXPECT_FALSE(done->still_visible);
  EXPECT_EQ(Key(Svc().GetCase(Who("alice"), ref)), "case.not_found");
  // The receiver of another fund of the region sees that case alone.
  auto handed = Svc().GetCase(Who("carol"), ref);
  ASSERT_TRUE(handed) << ToString(handed.error());
  EXPECT_EQ(handed->assigned_to, "carol");
  EXPECT_EQ(handed->organisme, "631");  // still counted for its own fund
  auto recusals = store_->Recusals(Actor::System(), ref);
  ASSERT_TRUE(recusals);
  ASSERT_EQ(recusals->size(), 1u);
  EXPECT_EQ((*recusals)[0].intensity, "forte");
  EXPECT_EQ((*recusals)[0].interference, (std::vector<std::string>{"materielle", "geographique"}));
  EXPECT_EQ(Key(Event("carol", ref, "take_in_charge", {{"assigned_to", "alice"}})),
            "recuse.already_recused");

  // Lifting is for the hierarchy; the recused mediator sees the case again.
  const int64_t id = (*recusals)[0].id;
  EXPECT_EQ(Key(Svc().LiftRecusal(Who("carol"), ref, id, "erreur")), "role.manager_required");
  EXPECT_EQ(Key(Svc().LiftRecusal(Who("chef"), ref, id, " ")), "recuse.lift_reason_required");
  EXPECT_EQ(Key(Svc().LiftRecusal(Who("chef"), ref, id, "déport enregistré par erreur")), "ok");
  EXPECT_EQ(Key(Svc().LiftRecusal(Who("chef"), ref, id, "encore")), "recuse.already_lifted");
  EXPECT_EQ(Key(Svc().GetCase(Who("alice"), ref)), "ok");
}

TEST_F(CaseServiceTest, AManagerOrdersARecusal) {
  const std::string ref = NewCase();
  ASSERT_TRUE(Event("alice", ref, "take_in_charge"));
  auto r = Event("chef", ref, "recuse", {{"to", "bob"}, {"reason", "lien familial"}});
  ASSERT_TRUE(r) << ToString(r.error());
  EXPECT_TRUE(r->still_visible);  // the manager still sees it
  EXPECT_EQ(Key(Svc().GetCase(Who("alice"), ref)), "case.not_found");
  EXPECT_EQ(Key(Event("bob", ref, "take_in_charge", {{"assigned_to", "alice"}})),
            "recuse.already_recused");
}

TEST_F(CaseServiceTest, AClosedCaseIsReadOnlyUntilReopened) {
  const std::string ref = NewCase();
  CloseCase(ref);
  ClassificationEdit e;
  e.fields = {{"household", "isole"}};
  EXPECT_EQ(Key(Svc().Edit(Who("alice"), ref, e)), "case.locked");
  EXPECT_EQ(Key(Svc().AddFinancialLine(Who("alice"), ref, {"rappel", 1000}, {})), "case.locked");
  EXPECT_EQ(Key(Svc().SavePerson(Who("alice"), ref, {0, PersonRole::kBeneficiary, "Jeanne", "", "", "", "", ""})),
            "case.locked");
  EXPECT_EQ(Key(Svc().AddNote(Who("alice"), ref, "appel de la requérante")), "ok");
  EXPECT_EQ(Key(Event("bob", ref, "reopen", {{"reason", "pièce nouvelle"}})), "reopen.not_assigned");
  EXPECT_EQ(Key(Event("alice", ref, "reopen", {})), "event.param_required");
  EXPECT_EQ(Key(Event("alice", ref, "reopen", {{"reason", "pièce nouvelle"}})), "ok");
  EXPECT_EQ(Key(Svc().Edit(Who("alice"), ref, e)), "ok");
  // The command line passes the role rules (not the lock).
  ASSERT_TRUE(Event("alice", ref, "answer", {{"response_modes", "courrier"}}));
  ASSERT_TRUE(Event("alice", ref, "close", {{"resolution", "revisee"}, {"cause", "erreur_liquidation"}},
                    {"emitter", "prior_step", "motives", "benefits", "activity",
                     "quotient_familial", "fraud"}));
  EXPECT_EQ(Key(Svc().Apply(Caller::Cli("root"), ref, [] {
              EventCall c;
              c.request.event = "reopen";
              c.request.params = {{"reason", "reprise"}};
              return c;
            }())),
            "ok");
}

TEST_F(CaseServiceTest, ClosingNamesTheFirstEmptyReportField) {
  const std::string ref = NewCase();
  ASSERT_TRUE(Event("alice", ref, "take_in_charge"));
  ASSERT_TRUE(Event("alice", ref, "answer", {{"response_modes", "courriel"}}));
  auto r = Event("alice", ref, "close", {{"resolution", "revisee"}, {"cause", "erreur_liquidation"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Error::Code::kConflict);
  EXPECT_EQ(r.error().message_id, "close.unknown_fields");
  EXPECT_EQ(r.error().field, "emitter");  // channel is filled
}

TEST_F(CaseServiceTest, APublishedYearNeedsConfirmation) {
  const std::string ref = NewCase();
  EXPECT_EQ(Key(Svc().PublishYear(Who("alice"), "631", 2026)), "role.manager_required");
  EXPECT_EQ(Key(Svc().PublishYear(Who("chef"), "631", 2026)), "ok");
  EXPECT_EQ(Key(Svc().PublishYear(Who("chef"), "631", 2026)), "publish.already");
  ClassificationEdit e;
  e.fields = {{"household", "isole"}};
  auto r = Svc().Edit(Who("alice"), ref, e);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "confirm_published");
  // The description is no figure: no confirmation needed.
  ClassificationEdit d;
  d.fields = {{"description", "Texte de la demande"}};
  EXPECT_EQ(Key(Svc().Edit(Who("alice"), ref, d)), "ok");
  e.guard.confirm_published = true;
  EXPECT_EQ(Key(Svc().Edit(Who("alice"), ref, e)), "ok");
  auto changes = store_->ChangesAfterPublication(Actor::System(), "631", 2026);
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].reference, ref);
}

TEST_F(CaseServiceTest, HistoryListsTheChangedFields) {
  const std::string ref = NewCase();
  ClassificationEdit e;
  e.fields = {{"household", "isole"}, {"motives", "absence_paiement"}, {"channel", "courriel"}};
  ASSERT_TRUE(Svc().Edit(Who("alice"), ref, e));
  auto h = store_->History(Actor::System(), ref);
  ASSERT_TRUE(h);
  const CaseEvent& last = h->back();
  EXPECT_EQ(last.kind, "update");
  EXPECT_EQ(last.actor, "alice");
  EXPECT_EQ(last.changes, (std::vector<FieldChange>{{"motives", "", "absence_paiement"},
                                                    {"household", "", "isole"}}));
  ClassificationEdit bad;
  bad.fields = {{"household", "chateau"}};
  auto r = Svc().Edit(Who("alice"), ref, bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message_id, "case.unknown_code");
  EXPECT_EQ(r.error().field, "household");
  bad.fields = {{"closed_on", "2026-03-10"}};
  EXPECT_EQ(Key(Svc().Edit(Who("alice"), ref, bad)), "case.field_readonly");
}

TEST_F(CaseServiceTest, NotesPeopleAndFinancialLines) {
  const std::string ref = NewCase();
  EXPECT_EQ(Key(Svc().AddNote(Who("alice"), ref, "  ")), "note.empty");
  ASSERT_TRUE(Svc().AddNote(Who("alice"), ref, "Appel de la requérante"));
  auto notes = store_->Notes(Actor::System(), ref);
  ASSERT_TRUE(notes);
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_EQ(Key(Svc().RemoveNote(Who("bob"), ref, (*notes)[0].id)), "note.not_author");
  EXPECT_EQ(Key(Svc().RemoveNote(Who("chef"), ref, (*notes)[0].id)), "ok");

  Person emitter{0, PersonRole::kEmitter, "Mme Durand", "CCAS de Clermont", "durand@ccas", "", "", "assistante sociale"};
  EXPECT_EQ(Key(Svc().SavePerson(Who("alice"), ref, emitter)), "person.email");
  emitter.email = "durand@ccas.example.fr";
  ASSERT_EQ(Key(Svc().SavePerson(Who("alice"), ref, emitter)), "ok");
  auto people = store_->People(Actor::System(), ref);
  ASSERT_TRUE(people);
  auto it = std::find_if(people->begin(), people->end(),
                         [](const Person& p) { return p.role == PersonRole::kEmitter; });
  ASSERT_NE(it, people->end());
  EXPECT_EQ(it->function, "assistante sociale");

  EXPECT_EQ(Key(Svc().AddFinancialLine(Who("alice"), ref, {"cadeau", 10}, {})), "financial.kind_required");
  EXPECT_EQ(Key(Svc().AddFinancialLine(Who("alice"), ref, {"rappel", 0}, {})), "financial.amount");
  auto c = Svc().AddFinancialLine(Who("alice"), ref, {"rappel", 12345}, {});
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->financial);
  EXPECT_EQ(c->financial->size(), 1u);
  WriteGuard stale;
  stale.version = c->version - 1;
  EXPECT_EQ(Key(Svc().RemoveFinancialLine(Who("alice"), ref, 0, stale)), "case.stale_version");
  EXPECT_EQ(Key(Svc().RemoveFinancialLine(Who("alice"), ref, 5, {})), "financial.not_found");
  EXPECT_EQ(Key(Svc().RemoveFinancialLine(Who("alice"), ref, 0, {})), "ok");
}

TEST_F(CaseServiceTest, InterestLinksAreTheirOwnersOrTheHierarchys) {
  DeclaredInterest d;
  d.user = "bob";
  d.link.subject = InterestLink::Subject::kOrganisation;
  d.link.value = "SCI Les Tilleuls";
  d.link.relation = "associé de la SCI";
  EXPECT_EQ(Key(Svc().DeclareInterest(Who("alice"), d)), "interest.not_yours");
  EXPECT_EQ(Key(Svc().DeclareInterest(Who("dave"), d)), "interest.not_yours");
  auto id = Svc().DeclareInterest(Who("bob"), d);
  ASSERT_TRUE(id);
  EXPECT_EQ(Key(Svc().DeclareInterest(Who("chef"), d)), "ok");
  // bob declared the landlord of the case: he may not be put in charge.
  const std::string ref = NewCase();
  auto r = Event("alice", ref, "take_in_charge", {{"assigned_to", "bob"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message_id, "conflict.strong");
  EXPECT_EQ(Key(Svc().RemoveInterest(Who("alice"), "bob", *id)), "interest.not_yours");
  EXPECT_EQ(Key(Svc().RemoveInterest(Who("bob"), "bob", *id)), "ok");
}

TEST_F(CaseServiceTest, TodayIsTheFundsLocalDate) {
  // 23:30 UTC on 31 March: already 1 April in Paris.
  clock_.Set(NoonOf(*Date::Parse("2026-03-31")) + std::chrono::hours(13) + std::chrono::minutes(30));
  EXPECT_EQ(Svc().TodayFor("631").ToString(), "2026-04-01");
  EXPECT_EQ(Caller::Cli("root").name(), "cli:root");
  EXPECT_TRUE(Caller::Cli("").IsHierarchyOf("631"));
}

}  // namespace
}  // namespace amiable::service
