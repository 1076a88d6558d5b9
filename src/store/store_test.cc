// The same suite runs against SQLite (a real file) and PostgreSQL (the
// throwaway server scripts/test starts; its URL is in AMIABLE_TEST_PG_URL).
#include "store/store.h"

#include "store/migrations.h"
#include "store/store_test_util.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace amiable {
namespace {

class StoreTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-store-test", "sub/test.db"));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"631", "Caf du Puy-de-Dôme", "metropole", "ARA", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"671", "Caf du Bas-Rhin", "alsace_moselle", "GES", false}));
  }
};

TEST_P(StoreTest, MigratesOnceAndReopens) {
  EXPECT_EQ(store_->schema_version(), store::Migrations().back().version);
  EXPECT_EQ(store_->engine(), GetParam());
  auto again = Store::Open(url_);
  ASSERT_TRUE(again) << ToString(again.error());
  EXPECT_EQ((*again)->schema_version(), store::Migrations().back().version);
  auto orgs = (*again)->ListOrganismes();
  ASSERT_TRUE(orgs);
  ASSERT_EQ(orgs->size(), 2u);
  EXPECT_EQ((*orgs)[0].name, "Caf du Puy-de-Dôme");
  EXPECT_EQ((*orgs)[1].zone, "alsace_moselle");
}

TEST_P(StoreTest, RefusesUnknownZone) {
  auto s = store_->UpsertOrganisme(Actor::System(), {"999", "X", "mars", "", false});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().field, "zone");
}

TEST_P(StoreTest, CaseRoundTripsEveryField) {
  Case c = TestCase("631-2025-0001", "631", "2025-01-06");
  c.channel = "courriel";
  c.emitter = "allocataire";
  c.allocataire_number = "1234567";
  c.prior_step = "reclamation";
  c.prior_step_on = Date::Parse("2024-12-10");
  c.taken_in_charge_on = Date::Parse("2025-01-07");
  c.answered_on = Date::Parse("2025-01-20");
  c.closed_on = Date::Parse("2025-01-21");
  c.motives = std::vector<std::string>{"absence_paiement", "incomprehension_decision"};
  c.benefits = std::vector<std::string>{};
  c.cause = "pas_erreur_caf";
  c.household = "isole";
  c.activity = "chomeur";
  c.quotient_familial = 420;
  c.response_modes = std::vector<std::string>{"courriel"};
  c.resolution = "revisee";
  c.fraud = false;
  c.financial = std::vector<FinancialLine>{{"rappel", 123456}, {"indu_remis", 1}};
  c.state = CaseState::kClosed;
  c.description = "Texte libre — accentué";
  ASSERT_TRUE(store_->CreateCase(Actor::System(), c, {0, "", "test", "create", "Création"}));

  auto got = store_->GetCase(Actor::System(), "631-2025-0001");
  ASSERT_TRUE(got) << ToString(got.error());
  EXPECT_EQ(got->received_on, c.received_on);
  EXPECT_EQ(got->channel, c.channel);
  EXPECT_EQ(got->prior_step_on, c.prior_step_on);
  EXPECT_EQ(got->closed_on, c.closed_on);
  EXPECT_EQ(got->motives, c.motives);
  ASSERT_TRUE(got->benefits.has_value());  // empty list stays a list
  EXPECT_TRUE(got->benefits->empty());
  EXPECT_FALSE(got->inadmissibility_reason.has_value());
  EXPECT_EQ(got->quotient_familial, 420);
  EXPECT_EQ(got->fraud, false);
  ASSERT_TRUE(got->financial);
  ASSERT_EQ(got->financial->size(), 2u);
  EXPECT_EQ((*got->financial)[0].amount_cents, 123456);
  EXPECT_EQ((*got->financial)[1].kind, "indu_remis");
  EXPECT_EQ(got->state, CaseState::kClosed);
  EXPECT_EQ(got->description, "Texte libre — accentué");
  EXPECT_EQ(got->version, 1);

  auto hist = store_->History(Actor::System(), "631-2025-0001");
  ASSERT_TRUE(hist);
  ASSERT_EQ(hist->size(), 1u);
  EXPECT_EQ((*hist)[0].kind, "create");
}

TEST_P(StoreTest, DuplicateReferenceAndUnknownFundAreRefused) {
  Case c = TestCase("631-2025-0002", "631", "2025-02-03");
  ASSERT_TRUE(store_->CreateCase(Actor::System(), c, {}));
  auto dup = store_->CreateCase(Actor::System(), c, {});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Error::Code::kConflict);
  EXPECT_EQ(dup.error().field, "reference");
  Case other = TestCase("999-2025-0001", "999", "2025-02-03");
  auto unknown = store_->CreateCase(Actor::System(), other, {});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "organisme");
}

TEST_P(StoreTest, ActorsSeeOnlyTheirFunds) {
  ASSERT_TRUE(store_->CreateCase(Actor::System(), TestCase("631-A", "631", "2025-03-03"), {}));
  ASSERT_TRUE(store_->CreateCase(Actor::System(), TestCase("671-A", "671", "2025-03-03"), {}));
  Actor a;
  a.user = "m631";
  a.role = Role::kMediator;
  a.all_funds = false;
  a.organismes = {"631"};
  EXPECT_TRUE(store_->GetCase(a, "631-A"));
  auto hidden = store_->GetCase(a, "671-A");
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, Error::Code::kNotFound);
  EXPECT_FALSE(store_->History(a, "671-A"));
  EXPECT_FALSE(store_->Notes(a, "671-A"));
  EXPECT_FALSE(store_->AddNote(a, "671-A", {0, "m631", "", "x"}));
  int64_t total = -1;
  CaseFilter f;
  auto list = store_->ListCases(a, f, &total);
  ASSERT_TRUE(list);
  EXPECT_EQ(total, 1);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].reference, "631-A");
  // Asking for another fund explicitly still finds nothing.
  f.organismes = {"671"};
  list = store_->ListCases(a, f, &total);
  ASSERT_TRUE(list);
  EXPECT_EQ(total, 0);
  int n = 0;
  ASSERT_TRUE(store_->ForEachCase(a, {}, std::nullopt, [&](const Case&) { ++n; }));
  EXPECT_EQ(n, 1);
  Case forged = TestCase("671-B", "671", "2025-03-04");
  EXPECT_FALSE(store_->CreateCase(a, forged, {}));
  Actor none = a;
  none.organismes.clear();
  list = store_->ListCases(none, CaseFilter{}, &total);
  ASSERT_TRUE(list);
  EXPECT_EQ(total, 0);
}

TEST_P(StoreTest, UpdateChecksVersionAndAppendsHistory) {
  ASSERT_TRUE(store_->CreateCase(Actor::System(), TestCase("631-U", "631", "2025-03-03"), {}));
  auto c = store_->GetCase(Actor::System(), "631-U");
  ASSERT_TRUE(c);
  c->channel = "courrier";
  c->financial = std::vector<FinancialLine>{{"rappel", 500}};
  ASSERT_TRUE(store_->UpdateCase(Actor::System(), *c, {0, "", "m", "update", "canal"}));
  auto stale = store_->UpdateCase(Actor::System(), *c, {0, "", "m", "update", "again"});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, Error::Code::kConflict);
  auto after = store_->GetCase(Actor::System(), "631-U");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->version, 2);
  EXPECT_EQ(after->channel, "courrier");
  ASSERT_TRUE(after->financial);
  EXPECT_EQ(after->financial->size(), 1u);
  auto hist = store_->History(Actor::System(), "631-U");
  ASSERT_TRUE(hist);
  EXPECT_EQ(hist->size(), 2u);
}

TEST_P(StoreTest, ImportIsAllOrNothing) {
  std::vector<Case> batch = {TestCase("631-I1", "631", "2025-01-02"),
                             TestCase("631-I2", "631", "2025-01-03")};
  batch[0].financial = std::vector<FinancialLine>{{"rappel", 100}};
  auto ok = store_->ImportCases(Actor::System(), batch);
  ASSERT_TRUE(ok) << ToString(ok.error());
  EXPECT_EQ(ok->cases, 2);
  EXPECT_EQ(ok->financial_lines, 1);
  std::vector<Case> bad = {TestCase("631-I3", "631", "2025-01-02"),
                           TestCase("631-I1", "631", "2025-01-03")};
  auto refused = store_->ImportCases(Actor::System(), bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Error::Code::kConflict);
  EXPECT_FALSE(store_->GetCase(Actor::System(), "631-I3"));
  std::vector<std::string> refs = {"631-I1", "631-I3", "631-I2"};
  auto existing = store_->ExistingReferences(refs);
  ASSERT_TRUE(existing);
  EXPECT_EQ(existing->size(), 2u);
}

TEST_P(StoreTest, PeriodScanTakesReceivedOrClosedInPeriod) {
  Case a = TestCase("631-P1", "631", "2024-12-20");
  a.closed_on = Date::Parse("2025-01-10");
  a.financial = std::vector<FinancialLine>{{"rappel", 700}, {"indu_annule", 300}};
  Case b = TestCase("631-P2", "631", "2025-05-05");
  Case c = TestCase("631-P3", "631", "2024-05-05");
  c.closed_on = Date::Parse("2024-06-01");
  Case d = TestCase("671-P4", "671", "2025-05-05");
  ASSERT_TRUE(store_->ImportCases(Actor::System(), std::vector<Case>{a, b, c, d}));
  std::vector<std::string> refs;
  int64_t cents = 0;
  std::vector<std::string> orgs = {"631"};
  ASSERT_TRUE(store_->ForEachCaseInPeriod(orgs, *Date::Parse("2025-01-01"),
                                          *Date::Parse("2025-12-31"), [&](const Case& x) {
                                            refs.push_back(x.reference);
                                            if (x.financial) {
                                              for (auto& l : *x.financial) cents += l.amount_cents;
                                            }
                                          }));
  std::sort(refs.begin(), refs.end());
  EXPECT_EQ(refs, (std::vector<std::string>{"631-P1", "631-P2"}));
  EXPECT_EQ(cents, 1000);
  int all = 0;
  ASSERT_TRUE(store_->ForEachCaseInPeriod({}, *Date::Parse("2025-01-01"),
                                          *Date::Parse("2025-12-31"),
                                          [&](const Case&) { ++all; }));
  EXPECT_EQ(all, 3);
}

TEST_P(StoreTest, ListFiltersByStateYearAndOverdue) {
  Case late = TestCase("631-L", "631", "2025-03-03");  // Monday; deadline 2025-03-13
  Case fresh = TestCase("631-F", "631", "2025-03-12");
  Case taken = TestCase("631-T", "631", "2025-03-03");
  taken.taken_in_charge_on = Date::Parse("2025-03-04");
  taken.state = CaseState::kInProgress;
  ASSERT_TRUE(store_->ImportCases(Actor::System(), std::vector<Case>{late, fresh, taken}));
  CaseFilter f;
  f.overdue_only = true;
  f.today = *Date::Parse("2025-03-14");
  int64_t total = 0;
  auto list = store_->ListCases(Actor::System(), f, &total);
  ASSERT_TRUE(list);
  ASSERT_EQ(total, 1);
  EXPECT_EQ((*list)[0].reference, "631-L");
  CaseFilter s;
  s.state = CaseState::kInProgress;
  list = store_->ListCases(Actor::System(), s, &total);
  ASSERT_TRUE(list);
  EXPECT_EQ(total, 1);
  CaseFilter y;
  y.year = 2024;
  list = store_->ListCases(Actor::System(), y, &total);
  ASSERT_TRUE(list);
  EXPECT_EQ(total, 0);
  CaseFilter page;
  page.limit = 2;
  page.offset = 2;
  list = store_->ListCases(Actor::System(), page, &total);
  ASSERT_TRUE(list);
  EXPECT_EQ(total, 3);
  EXPECT_EQ(list->size(), 1u);
}

TEST_P(StoreTest, DetailsNotesPeopleDocuments) {
  ASSERT_TRUE(store_->CreateCase(Actor::System(), TestCase("631-D", "631", "2025-03-03"), {}));
  ASSERT_TRUE(store_->AddNote(Actor::System(), "631-D", {0, "m", "", "Appel à la CRA"}));
  Person p;
  p.role = PersonRole::kLandlord;
  p.name = "SCI Les Volcans";
  ASSERT_TRUE(store_->SavePerson(Actor::System(), "631-D", p));
  ASSERT_TRUE(store_->AddDocument(Actor::System(), "631-D",
                                  {0, "scan.pdf", "application/pdf", 1234, "k1", "abc", "m", ""}));
  auto notes = store_->Notes(Actor::System(), "631-D");
  ASSERT_TRUE(notes);
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_EQ((*notes)[0].text, "Appel à la CRA");
  auto people = store_->People(Actor::System(), "631-D");
  ASSERT_TRUE(people);
  ASSERT_EQ(people->size(), 1u);
  EXPECT_EQ((*people)[0].role, PersonRole::kLandlord);
  auto docs = store_->Documents(Actor::System(), "631-D");
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].size_bytes, 1234);
  auto hist = store_->History(Actor::System(), "631-D");
  ASSERT_TRUE(hist);
  ASSERT_EQ(hist->size(), 3u);  // creation, note, document
  EXPECT_EQ((*hist)[0].kind, "create");
  EXPECT_EQ((*hist)[2].kind, "document");
}

TEST_P(StoreTest, UsersAndTokens) {
  User u;
  u.name = "mdupont";
  u.role = Role::kMediator;
  u.organismes = {"631"};
  u.password_hash = "$argon2id$...";
  ASSERT_TRUE(store_->CreateUser(u));
  EXPECT_FALSE(store_->CreateUser(u));
  ASSERT_TRUE(store_->CreateApiToken("mdupont", "hash1", "ci"));
  auto found = store_->UserForTokenHash("hash1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "mdupont");
  EXPECT_EQ(found->organismes, std::vector<std::string>{"631"});
  EXPECT_FALSE(found->ToActor().CanSee("671"));
  auto missing = store_->UserForTokenHash("nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Error::Code::kUnauthorized);
  found->disabled = true;
  ASSERT_TRUE(store_->UpdateUser(*found));
  EXPECT_FALSE(store_->UserForTokenHash("hash1"));
}

TEST_P(StoreTest, BackupMakesAConsistentCopy) {
  ASSERT_TRUE(store_->CreateCase(Actor::System(), TestCase("631-B", "631", "2025-03-03"), {}));
  if (GetParam() == "postgresql") {
    EXPECT_FALSE(store_->Backup("/tmp/x.db"));
    return;
  }
  const std::string copy = (dir_ / "copy.db").string();
  auto s = store_->Backup(copy);
  ASSERT_TRUE(s) << ToString(s.error());
  auto opened = Store::Open("sqlite:" + copy);
  ASSERT_TRUE(opened);
  EXPECT_TRUE((*opened)->GetCase(Actor::System(), "631-B"));
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable

namespace amiable {
namespace {

// Large imports index the search table in one statement instead of a
// trigger per row; the result must be the same, and later writes must still
// be indexed by the trigger.
TEST_P(StoreTest, LargeImportsAreSearchable) {
  std::vector<Case> batch;
  for (int i = 0; i < 1500; ++i) {
    Case c = TestCase("631-2025-B" + std::to_string(i), "631", "2025-02-03");
    c.allocataire_number = std::to_string(1000000 + i);
    batch.push_back(c);
  }
  ASSERT_TRUE(store_->ImportCases(Actor::System(), batch));
  auto found = store_->SearchCases(Actor::System(), "1001234", 10, nullptr);
  ASSERT_TRUE(found) << ToString(found.error());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].reference, "631-2025-B1234");
  Case later = TestCase("631-2025-LATER", "631", "2025-02-04");
  later.allocataire_number = "7654321";
  ASSERT_TRUE(store_->ImportCases(Actor::System(), std::vector<Case>{later}));
  found = store_->SearchCases(Actor::System(), "7654321", 10, nullptr);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->size(), 1u);
  // A second large import still works (the trigger was restored).
  for (Case& c : batch) c.reference += "-2";
  ASSERT_TRUE(store_->ImportCases(Actor::System(), batch));
  found = store_->SearchCases(Actor::System(), "7654321", 10, nullptr);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->size(), 1u);
}

}  // namespace
}  // namespace amiable

namespace amiable {
namespace {

// Conflicts of interest (migration 4): a mediator who recused from a case
// cannot reach it by any route; the hierarchy and the command line can.
TEST_P(StoreTest, RecusedMediatorNoLongerFindsTheCase) {
  for (const char* name : {"mdupont", "mmartin", "chef"}) {
    User u;
    u.name = name;
    u.role = std::string(name) == "chef" ? Role::kManager : Role::kMediator;
    u.organismes = {"631"};
    ASSERT_TRUE(store_->CreateUser(u));
  }
  Case c = TestCase("631-R", "631", "2025-03-03");
  c.description = "Loyer impayé chez Tilleuls";
  ASSERT_TRUE(store_->CreateCase(Actor::System(), c, {}));
  ASSERT_TRUE(store_->CreateCase(Actor::System(), TestCase("631-S", "631", "2025-03-04"), {}));
  ASSERT_TRUE(store_->SavePerson(Actor::System(), "631-R",
                                 {0, PersonRole::kBeneficiary, "Jean Tilleul", "", "", "", ""}));
  auto actor = [&](const char* name) {
    auto u = store_->GetUser(name);
    EXPECT_TRUE(u);
    return u->ToActor();
  };
  const Actor dupont = actor("mdupont"), martin = actor("mmartin"), chef = actor("chef");

  // The recusal is written with the case update, in one transaction.
  auto got = store_->GetCase(dupont, "631-R");
  ASSERT_TRUE(got) << ToString(got.error());
  got->assigned_to = "mmartin";
  ASSERT_TRUE(store_->UpdateCaseRecusing(dupont, *got, {0, "", "mdupont", "recuse", "Déport"},
                                         "mdupont", "bailleur de l'allocataire"));

  auto hidden = store_->GetCase(dupont, "631-R");
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, Error::Code::kNotFound);
  EXPECT_EQ(store_->History(dupont, "631-R").error().code, Error::Code::kNotFound);
  EXPECT_EQ(store_->People(dupont, "631-R").error().code, Error::Code::kNotFound);
  EXPECT_EQ(store_->Notes(dupont, "631-R").error().code, Error::Code::kNotFound);
  EXPECT_EQ(store_->Documents(dupont, "631-R").error().code, Error::Code::kNotFound);
  EXPECT_FALSE(store_->AddNote(dupont, "631-R", {0, "mdupont", "", "x"}));
  Case stale = *got;
  EXPECT_EQ(store_->UpdateCase(dupont, stale, {}).error().code, Error::Code::kNotFound);
  int64_t total = 0;
  auto listed = store_->ListCases(dupont, {}, &total);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].reference, "631-S");
  EXPECT_EQ(total, 1);
  auto found = store_->SearchCases(dupont, "Tilleul", 10, nullptr);
  ASSERT_TRUE(found) << ToString(found.error());
  EXPECT_TRUE(found->empty());
  int streamed = 0;
  ASSERT_TRUE(store_->ForEachCase(dupont, {}, std::nullopt, [&](const Case&) { ++streamed; }));
  EXPECT_EQ(streamed, 1);

  // The new mediator, the manager and the command line still see it.
  EXPECT_TRUE(store_->GetCase(martin, "631-R"));
  EXPECT_TRUE(store_->GetCase(chef, "631-R"));
  EXPECT_TRUE(store_->GetCase(Actor::System(), "631-R"));
  found = store_->SearchCases(chef, "Tilleul", 10, nullptr);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->size(), 1u);
  auto recusals = store_->Recusals(chef, "631-R");
  ASSERT_TRUE(recusals);
  ASSERT_EQ(recusals->size(), 1u);
  EXPECT_EQ((*recusals)[0].user, "mdupont");
  EXPECT_EQ((*recusals)[0].reason, "bailleur de l'allocataire");
  auto updated = store_->GetCase(chef, "631-R");
  EXPECT_EQ(updated->assigned_to, "mmartin");

  // The hierarchy may order a recusal on its own.
  ASSERT_TRUE(store_->RecordRecusal(chef, "631-S", "mmartin", "ordonné par la hiérarchie"));
  EXPECT_EQ(store_->GetCase(martin, "631-S").error().code, Error::Code::kNotFound);
  EXPECT_TRUE(store_->GetCase(dupont, "631-S"));
  EXPECT_EQ(store_->RecordRecusal(dupont, "631-R", "x", "y").error().code, Error::Code::kNotFound);
}

TEST_P(StoreTest, InterestLinks) {
  User u;
  u.name = "mdupont";
  u.role = Role::kMediator;
  u.organismes = {"631"};
  ASSERT_TRUE(store_->CreateUser(u));
  DeclaredInterest d;
  d.user = "mdupont";
  d.link.subject = InterestLink::Subject::kOrganisation;
  d.link.value = "SCI Les Tilleuls";
  d.link.relation = "associé";
  d.link.organisme = "631";
  d.started_on = Date::Parse("2020-01-01");
  auto id = store_->AddInterestLink(Actor::System(), d);
  ASSERT_TRUE(id) << ToString(id.error());
  d.link.subject = InterestLink::Subject::kAllocataireNumber;
  d.link.value = "1234567";
  d.link.organisme.clear();
  d.started_on.reset();
  d.link.ended_on = Date::Parse("2024-06-30");
  ASSERT_TRUE(store_->AddInterestLink(Actor::System(), d));
  d.user = "nobody";
  EXPECT_EQ(store_->AddInterestLink(Actor::System(), d).error().field, "user");
  d.user = "mdupont";
  d.link.value = "  ";
  EXPECT_EQ(store_->AddInterestLink(Actor::System(), d).error().field, "value");

  auto links = store_->InterestLinks("mdupont");
  ASSERT_TRUE(links) << ToString(links.error());
  ASSERT_EQ(links->size(), 2u);
  EXPECT_EQ((*links)[0].id, *id);
  EXPECT_EQ((*links)[0].link.subject, InterestLink::Subject::kOrganisation);
  EXPECT_EQ((*links)[0].link.value, "SCI Les Tilleuls");
  EXPECT_EQ((*links)[0].link.relation, "associé");
  EXPECT_EQ((*links)[0].link.organisme, "631");
  EXPECT_EQ((*links)[0].started_on, Date::Parse("2020-01-01"));
  EXPECT_FALSE((*links)[0].link.ended_on);
  EXPECT_FALSE((*links)[0].declared_at.empty());
  EXPECT_EQ((*links)[1].link.subject, InterestLink::Subject::kAllocataireNumber);
  EXPECT_EQ((*links)[1].link.ended_on, Date::Parse("2024-06-30"));
  EXPECT_FALSE((*links)[1].started_on);

  ASSERT_TRUE(store_->RemoveInterestLink(Actor::System(), *id));
  EXPECT_EQ(store_->RemoveInterestLink(Actor::System(), *id).error().code, Error::Code::kNotFound);
  links = store_->InterestLinks("mdupont");
  ASSERT_TRUE(links);
  EXPECT_EQ(links->size(), 1u);
  EXPECT_TRUE(store_->InterestLinks("nobody")->empty());
}

}  // namespace
}  // namespace amiable

namespace amiable {
namespace {

TEST_P(StoreTest, DatesOnlyScanKeepsTheDatesAndLeavesTheRest) {
  Case a = TestCase("631-DT1", "631", "2024-12-20");
  a.taken_in_charge_on = Date::Parse("2024-12-23");
  a.answered_on = Date::Parse("2025-01-06");
  a.closed_on = Date::Parse("2025-01-10");
  a.channel = "courriel";
  a.motives = std::vector<std::string>{"absence_paiement"};
  a.financial = std::vector<FinancialLine>{{"rappel", 700}};
  a.state = CaseState::kClosed;
  Case b = TestCase("671-DT2", "671", "2025-05-05");
  b.admissibility = "irrecevable";
  b.inadmissibility_reason = "hors_champ";
  b.state = CaseState::kInadmissible;
  ASSERT_TRUE(store_->ImportCases(Actor::System(), std::vector<Case>{a, b}));
  std::vector<Case> full, dates;
  const Date from = *Date::Parse("2025-01-01"), to = *Date::Parse("2025-12-31");
  ASSERT_TRUE(store_->ForEachCaseInPeriod({}, from, to, [&](Case& c) { full.push_back(c); }));
  ASSERT_TRUE(store_->ForEachCaseDatesInPeriod({}, from, to, [&](Case& c) { dates.push_back(c); }));
  ASSERT_EQ(full.size(), 2u);
  ASSERT_EQ(dates.size(), 2u);
  auto by_ref = [](std::vector<Case>& v) {
    std::sort(v.begin(), v.end(), [](const Case& x, const Case& y) { return x.reference < y.reference; });
  };
  by_ref(full);
  by_ref(dates);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(dates[i].organisme, full[i].organisme);
    EXPECT_EQ(dates[i].received_on, full[i].received_on);
    EXPECT_EQ(dates[i].admissibility, full[i].admissibility);
    EXPECT_EQ(dates[i].inadmissibility_reason, full[i].inadmissibility_reason);
    EXPECT_EQ(dates[i].taken_in_charge_on, full[i].taken_in_charge_on);
    EXPECT_EQ(dates[i].answered_on, full[i].answered_on);
    EXPECT_EQ(dates[i].closed_on, full[i].closed_on);
    EXPECT_EQ(dates[i].state, full[i].state);
    EXPECT_FALSE(dates[i].channel);
    EXPECT_FALSE(dates[i].motives);
    EXPECT_FALSE(dates[i].financial);
  }
  ASSERT_TRUE(full[0].financial);
  EXPECT_EQ(full[0].financial->size(), 1u);
}

}  // namespace
}  // namespace amiable

namespace amiable {
namespace {

TEST_P(StoreTest, BeneficiaryNamesOfSeveralCasesInOneQuery) {
  auto a = store_->CreateCase(Actor::System(), TestCase("631-N1", "631", "2025-03-03"), {});
  auto b = store_->CreateCase(Actor::System(), TestCase("671-N2", "671", "2025-03-03"), {});
  ASSERT_TRUE(a && b);
  Person p;
  p.name = "Élodie Martin";
  ASSERT_TRUE(store_->SavePerson(Actor::System(), "631-N1", p));
  p.name = "Paul Martin";
  ASSERT_TRUE(store_->SavePerson(Actor::System(), "631-N1", p));
  p.name = "Jean Dupont";
  ASSERT_TRUE(store_->SavePerson(Actor::System(), "671-N2", p));
  p.role = PersonRole::kLandlord;
  p.name = "SCI Les Volcans";
  ASSERT_TRUE(store_->SavePerson(Actor::System(), "631-N1", p));
  std::vector<int64_t> ids = {*a, *b};
  auto all = store_->BeneficiaryNames(Actor::System(), ids);
  ASSERT_TRUE(all) << ToString(all.error());
  EXPECT_EQ((*all)[*a], "Élodie Martin, Paul Martin");
  EXPECT_EQ((*all)[*b], "Jean Dupont");
  Actor m;
  m.user = "m631";
  m.role = Role::kMediator;
  m.all_funds = false;
  m.organismes = {"631"};
  auto mine = store_->BeneficiaryNames(m, ids);
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->count(*b), 0u);
}

}  // namespace
}  // namespace amiable
