// Migration 5: history with changed fields, people's function, removals,
// recusals with their assessment and lifting, per-case access grants,
// visibility for each role, published years, the reception-period filter.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/store_test_util.h"

namespace amiable {
namespace {

class StoreAccessTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-store-access-test"));
    ASSERT_TRUE(store_->UpsertOrganisme(sys_, {"631", "Caf 63", "metropole", "ARA", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(sys_, {"671", "Caf 67", "alsace_moselle", "GES", false}));
    for (auto [name, role, fund] :
         {std::tuple{"m631", Role::kMediator, "631"}, std::tuple{"n631", Role::kMediator, "631"},
          std::tuple{"chef", Role::kManager, "631"}, std::tuple{"m671", Role::kMediator, "671"},
          std::tuple{"stats", Role::kStatisticsReader, "631"}}) {
      User u;
      u.name = name;
      u.role = role;
      u.organismes = {fund};
      ASSERT_TRUE(store_->CreateUser(u));
    }
  }
  Actor A(const char* name) {
    auto u = store_->GetUser(name);
    EXPECT_TRUE(u);
    return u->ToActor();
  }
  std::vector<std::string> Listed(const Actor& a, CaseFilter f = {}) {
    std::vector<std::string> out;
    int64_t total = -1;
    auto l = store_->ListCases(a, f, &total);
    EXPECT_TRUE(l) << ToString(l.error());
    if (!l) return out;
    for (const Case& c : *l) out.push_back(c.reference);
    EXPECT_EQ(total, static_cast<int64_t>(out.size()));
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::string> Found(const Actor& a, const char* text) {
    std::vector<std::string> out;
    auto l = store_->SearchCases(a, text, 10, nullptr);
    EXPECT_TRUE(l) << ToString(l.error());
    if (!l) return out;
    for (const Case& c : *l) out.push_back(c.reference);
    std::sort(out.begin(), out.end());
    return out;
  }
  int Streamed(const Actor& a) {
    int n = 0;
    EXPECT_TRUE(store_->ForEachCase(a, {}, std::nullopt, [&](const Case&) { ++n; }));
    return n;
  }
  const Actor sys_ = Actor::System();
};

using V = std::vector<std::string>;

TEST_P(StoreAccessTest, HistoryKeepsChangedFieldsAndPublishedYear) {
  ASSERT_TRUE(store_->CreateCase(sys_, TestCase("631-H", "631", "2025-03-03"), {}));
  auto c = store_->GetCase(sys_, "631-H");
  ASSERT_TRUE(c);
  c->channel = "courriel";
  CaseEvent ev{0, "", "m631", "update", "Canal"};
  ev.changes = {{"channel", "", "courriel"}, {"description", "« avant »\n", "après \"x\""}};
  ev.published_year = 2025;
  ASSERT_TRUE(store_->UpdateCase(sys_, *c, ev));
  CaseEvent people{0, "", "", "people", "Personne modifiée"};
  people.changes = {{"people.emitter.function", "", "assistante sociale"}};
  ASSERT_TRUE(store_->AppendEvent(A("m631"), "631-H", people));
  EXPECT_EQ(store_->AppendEvent(A("m671"), "631-H", people).error().code, Error::Code::kNotFound);

  auto h = store_->History(sys_, "631-H");
  ASSERT_TRUE(h) << ToString(h.error());
  ASSERT_EQ(h->size(), 3u);
  EXPECT_TRUE((*h)[0].changes.empty());
  EXPECT_EQ((*h)[0].published_year, 0);
  EXPECT_EQ((*h)[1].changes, ev.changes);
  EXPECT_EQ((*h)[1].published_year, 2025);
  EXPECT_EQ((*h)[2].kind, "people");
  EXPECT_EQ((*h)[2].actor, "m631");
  EXPECT_EQ((*h)[2].changes, people.changes);
}

TEST_P(StoreAccessTest, NotesPeopleDocumentsAreEditedAndRemoved) {
  ASSERT_TRUE(store_->CreateCase(sys_, TestCase("631-D", "631", "2025-03-03"), {}));
  ASSERT_TRUE(store_->CreateCase(sys_, TestCase("631-E", "631", "2025-03-03"), {}));
  const Actor m = A("m631");
  Person p;
  p.role = PersonRole::kEmitter;
  p.name = "Claire Volcan";
  p.organisation = "CCAS";
  p.function = "assistante sociale";
  auto pid = store_->SavePerson(m, "631-D", p);
  ASSERT_TRUE(pid) << ToString(pid.error());
  EXPECT_GT(*pid, 0);
  auto other = store_->SavePerson(m, "631-E", p);
  ASSERT_TRUE(other);
  EXPECT_NE(*other, *pid);
  p.id = *pid;
  p.function = "conseillère ESF";
  auto same = store_->SavePerson(m, "631-D", p);
  ASSERT_TRUE(same) << ToString(same.error());
  EXPECT_EQ(*same, *pid);
  p.id = *other;  // a person of another case
  EXPECT_EQ(store_->SavePerson(m, "631-D", p).error().code, Error::Code::kNotFound);
  auto people = store_->People(m, "631-D");
  ASSERT_TRUE(people);
  ASSERT_EQ(people->size(), 1u);
  EXPECT_EQ((*people)[0].function, "conseillère ESF");
  EXPECT_EQ((*people)[0].role, PersonRole::kEmitter);
  EXPECT_EQ(Found(m, "Volcan"), (V{"631-D", "631-E"}));

  auto nid = store_->AddNote(m, "631-D", {0, "m631", "", "Appel à la CRA"});
  ASSERT_TRUE(nid) << ToString(nid.error());
  EXPECT_EQ(Found(m, "CRA"), V{"631-D"});
  ASSERT_TRUE(
      store_->AddDocument(m, "631-D", {0, "a.pdf", "application/pdf", 3, "k1", "h", "m631", ""}));
  const int64_t did = (*store_->Documents(m, "631-D"))[0].id;

  EXPECT_EQ(store_->RemoveNote(m, "631-E", *nid).error().code, Error::Code::kNotFound);
  EXPECT_EQ(store_->RemovePerson(m, "631-D", *other).error().code, Error::Code::kNotFound);
  EXPECT_EQ(store_->RemoveDocument(m, "631-E", did).error().code, Error::Code::kNotFound);
  EXPECT_EQ(store_->RemoveNote(A("m671"), "631-D", *nid).error().code, Error::Code::kNotFound);
  ASSERT_TRUE(store_->RemoveNote(m, "631-D", *nid));
  ASSERT_TRUE(store_->RemovePerson(m, "631-D", *pid));
  ASSERT_TRUE(store_->RemoveDocument(m, "631-D", did));
  EXPECT_EQ(store_->RemoveNote(m, "631-D", *nid).error().code, Error::Code::kNotFound);
  EXPECT_TRUE(store_->Notes(m, "631-D")->empty());
  EXPECT_TRUE(store_->People(m, "631-D")->empty());
  EXPECT_TRUE(store_->Documents(m, "631-D")->empty());
  // The search index follows the removals.
  EXPECT_TRUE(Found(m, "CRA").empty());
  EXPECT_EQ(Found(m, "Volcan"), V{"631-E"});
}

TEST_P(StoreAccessTest, RecusalKeepsItsAssessmentAndCanBeLifted) {
  ASSERT_TRUE(store_->CreateCase(sys_, TestCase("631-R", "631", "2025-03-03"), {}));
  ASSERT_TRUE(store_->CreateCase(sys_, TestCase("631-S", "631", "2025-03-03"), {}));
  const Actor m = A("m631"), chef = A("chef");
  Recusal r;
  r.user = "m631";
  r.reason = "bailleur de l'allocataire";
  r.interest = "propriétaire du logement";
  r.interference = {"materielle", "geographique"};
  r.intensity = "forte";
  Recusal bad = r;
  bad.intensity = "enorme";
  EXPECT_EQ(store_->RecordRecusal(m, "631-R", bad).error().field, "intensity");
  bad = r;
  bad.interference = {"spatiale"};
  EXPECT_EQ(store_->RecordRecusal(m, "631-R", bad).error().field, "interference");
  ASSERT_TRUE(store_->RecordRecusal(m, "631-R", r));
  EXPECT_EQ(store_->GetCase(m, "631-R").error().code, Error::Code::kNotFound);
  EXPECT_EQ(Listed(m), V{"631-S"});
  EXPECT_EQ(Streamed(m), 1);
  // The manager still sees it, and the recusal with its assessment.
  auto rs = store_->Recusals(chef, "631-R");
  ASSERT_TRUE(rs) << ToString(rs.error());
  ASSERT_EQ(rs->size(), 1u);
  const Recusal got = (*rs)[0];
  EXPECT_GT(got.id, 0);
  EXPECT_EQ(got.user, "m631");
  EXPECT_EQ(got.by_user, "m631");
  EXPECT_EQ(got.interest, "propriétaire du logement");
  EXPECT_EQ(got.interference, (V{"materielle", "geographique"}));
  EXPECT_EQ(got.intensity, "forte");
  EXPECT_TRUE(got.lifted_at.empty());

  // Lifting: unknown id, id of another case, then lifted, then twice.
  EXPECT_EQ(store_->LiftRecusal(chef, "631-R", got.id + 100, "x").error().code,
            Error::Code::kNotFound);
  EXPECT_EQ(store_->LiftRecusal(chef, "631-S", got.id, "x").error().code, Error::Code::kNotFound);
  EXPECT_EQ(store_->LiftRecusal(m, "631-R", got.id, "x").error().code, Error::Code::kNotFound);
  ASSERT_TRUE(store_->LiftRecusal(chef, "631-R", got.id, "enregistré par erreur"));
  EXPECT_EQ(store_->LiftRecusal(chef, "631-R", got.id, "x").error().code, Error::Code::kConflict);
  EXPECT_TRUE(store_->GetCase(m, "631-R"));
  EXPECT_EQ(Listed(m), (V{"631-R", "631-S"}));
  rs = store_->Recusals(m, "631-R");
  ASSERT_TRUE(rs);
  ASSERT_EQ(rs->size(), 1u);  // kept, lifted
  EXPECT_FALSE((*rs)[0].lifted_at.empty());
  EXPECT_EQ((*rs)[0].lifted_by, "chef");
  EXPECT_EQ((*rs)[0].lift_reason, "enregistré par erreur");

  // Ordered by the hierarchy while updating the case, in one transaction.
  auto c = store_->GetCase(chef, "631-S");
  ASSERT_TRUE(c);
  c->assigned_to = "n631";
  Recusal ordered;
  ordered.user = "m631";
  ordered.reason = "ordonné";
  ASSERT_TRUE(store_->UpdateCaseRecusing(chef, *c, {0, "", "chef", "recuse", "Déport"}, ordered));
  EXPECT_FALSE(store_->GetCase(m, "631-S"));
  rs = store_->Recusals(chef, "631-S");
  ASSERT_TRUE(rs);
  EXPECT_EQ((*rs)[0].by_user, "chef");
}

TEST_P(StoreAccessTest, GrantedMediatorOfAnotherFundSeesThatCaseOnly) {
  Case g = TestCase("631-G", "631", "2025-03-03");
  g.description = "Loyer Tilleuls";
  ASSERT_TRUE(store_->CreateCase(sys_, g, {}));
  Case h = TestCase("631-X", "631", "2025-03-04");
  h.description = "Loyer Tilleuls aussi";
  ASSERT_TRUE(store_->CreateCase(sys_, h, {}));
  ASSERT_TRUE(store_->CreateCase(sys_, TestCase("671-O", "671", "2025-03-05"), {}));
  const Actor other = A("m671"), chef = A("chef");
  EXPECT_EQ(Listed(other), V{"671-O"});

  EXPECT_EQ(store_->GrantCaseAccess(chef, "631-G", "nobody", "x").error().field, "user");
  EXPECT_EQ(store_->GrantCaseAccess(other, "631-G", "m671", "x").error().code,
            Error::Code::kNotFound);
  ASSERT_TRUE(store_->GrantCaseAccess(chef, "631-G", "m671", "déport de m631"));
  ASSERT_TRUE(store_->GrantCaseAccess(chef, "631-G", "m671", "again"));  // idempotent
  auto users = store_->CaseAccessUsers(chef, "631-G");
  ASSERT_TRUE(users) << ToString(users.error());
  EXPECT_EQ(*users, V{"m671"});

  EXPECT_TRUE(store_->GetCase(other, "631-G"));
  EXPECT_EQ(store_->GetCase(other, "631-X").error().code, Error::Code::kNotFound);
  EXPECT_EQ(Listed(other), (V{"631-G", "671-O"}));
  CaseFilter own;
  own.organismes = {"671"};
  EXPECT_EQ(Listed(other, own), V{"671-O"});
  EXPECT_EQ(Found(other, "Tilleuls"), V{"631-G"});
  EXPECT_EQ(Streamed(other), 2);
  EXPECT_TRUE(store_->History(other, "631-G"));
  EXPECT_TRUE(store_->Documents(other, "631-G"));
  EXPECT_FALSE(store_->History(other, "631-X"));
  // She may write to it (its fund stays 631, which she does not see).
  auto c = store_->GetCase(other, "631-G");
  ASSERT_TRUE(c);
  c->channel = "courriel";
  ASSERT_TRUE(store_->UpdateCase(other, *c, {0, "", "m671", "update", "canal"}));
  ASSERT_TRUE(store_->AddNote(other, "631-G", {0, "m671", "", "reprise"}));

  ASSERT_TRUE(store_->RevokeCaseAccess(chef, "631-G", "m671"));
  EXPECT_EQ(store_->RevokeCaseAccess(chef, "631-G", "m671").error().code, Error::Code::kNotFound);
  EXPECT_EQ(store_->GetCase(other, "631-G").error().code, Error::Code::kNotFound);
  EXPECT_EQ(Listed(other), V{"671-O"});
  EXPECT_TRUE(Found(other, "Tilleuls").empty());
  EXPECT_TRUE(store_->CaseAccessUsers(chef, "631-G")->empty());
  // Granted again after a revocation.
  ASSERT_TRUE(store_->GrantCaseAccess(chef, "631-G", "m671", "de nouveau"));
  EXPECT_TRUE(store_->GetCase(other, "631-G"));
}

TEST_P(StoreAccessTest, StatisticsReaderFindsNoCase) {
  Case c = TestCase("631-Z", "631", "2025-03-03");
  c.description = "Tilleuls";
  ASSERT_TRUE(store_->CreateCase(sys_, c, {}));
  const Actor stats = A("stats");
  EXPECT_EQ(store_->GetCase(stats, "631-Z").error().code, Error::Code::kNotFound);
  EXPECT_EQ(store_->History(stats, "631-Z").error().code, Error::Code::kNotFound);
  EXPECT_EQ(store_->Documents(stats, "631-Z").error().code, Error::Code::kNotFound);
  EXPECT_TRUE(Listed(stats).empty());
  EXPECT_TRUE(Found(stats, "Tilleuls").empty());
  EXPECT_EQ(Streamed(stats), 0);
  std::vector<int64_t> ids = {store_->GetCase(sys_, "631-Z")->id};
  EXPECT_TRUE(store_->BeneficiaryNames(stats, ids)->empty());
  // A grant does not change that.
  ASSERT_TRUE(store_->GrantCaseAccess(sys_, "631-Z", "stats", "x"));
  EXPECT_FALSE(store_->GetCase(stats, "631-Z"));
  // The figures' scan (no actor) still counts it.
  int n = 0;
  std::vector<std::string> funds = {"631"};
  ASSERT_TRUE(store_->ForEachCaseInPeriod(funds, *Date::Parse("2025-01-01"),
                                          *Date::Parse("2025-12-31"), [&](Case&) { ++n; }));
  EXPECT_EQ(n, 1);
}

TEST_P(StoreAccessTest, PublishedYearsAndChangesAfterPublication) {
  const Actor chef = A("chef"), m = A("m631");
  EXPECT_TRUE(store_->PublishedYears("631")->empty());
  ASSERT_TRUE(store_->PublishYear(chef, "631", 2025));
  ASSERT_TRUE(store_->PublishYear(chef, "631", 2024));
  EXPECT_EQ(store_->PublishYear(chef, "631", 2025).error().code, Error::Code::kConflict);
  EXPECT_EQ(store_->PublishYear(chef, "671", 2025).error().field, "organisme");
  EXPECT_EQ(store_->PublishYear(sys_, "999", 2025).error().field, "organisme");
  EXPECT_EQ(*store_->PublishedYears("631"), (std::vector<int>{2024, 2025}));
  EXPECT_TRUE(store_->PublishedYears("671")->empty());

  ASSERT_TRUE(store_->CreateCase(sys_, TestCase("631-P1", "631", "2025-03-03"), {}));
  ASSERT_TRUE(store_->CreateCase(sys_, TestCase("631-P2", "631", "2025-04-03"), {}));
  ASSERT_TRUE(store_->CreateCase(sys_, TestCase("671-P3", "671", "2025-04-03"), {}));
  auto mark = [&](const char* ref, const char* at, int year) {
    CaseEvent e{0, at, "chef", "update", ref};
    e.published_year = year;
    e.changes = {{"resolution", "confirmee", "revisee"}};
    ASSERT_TRUE(store_->AppendEvent(sys_, ref, e));
  };
  mark("631-P1", "2026-02-01T10:00:00Z", 2025);
  mark("631-P2", "2026-02-02T10:00:00Z", 2025);
  mark("631-P1", "2026-02-03T10:00:00Z", 2024);
  mark("671-P3", "2026-02-04T10:00:00Z", 2025);
  auto changes = store_->ChangesAfterPublication(chef, "631", 2025);
  ASSERT_TRUE(changes) << ToString(changes.error());
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].reference, "631-P2");  // newest first
  EXPECT_EQ((*changes)[1].reference, "631-P1");
  EXPECT_EQ((*changes)[0].event.published_year, 2025);
  EXPECT_EQ((*changes)[0].event.changes.size(), 1u);
  // A recused mediator does not see that case's row; a stats reader none.
  ASSERT_TRUE(store_->RecordRecusal(chef, "631-P2", "m631", "lien"));
  changes = store_->ChangesAfterPublication(m, "631", 2025);
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].reference, "631-P1");
  EXPECT_TRUE(store_->ChangesAfterPublication(A("stats"), "631", 2025)->empty());
  EXPECT_TRUE(store_->ChangesAfterPublication(A("m671"), "631", 2025)->empty());
}

TEST_P(StoreAccessTest, ListFiltersByReceptionPeriod) {
  for (auto [ref, day] : {std::pair{"631-A", "2025-01-31"}, std::pair{"631-B", "2025-02-01"},
                          std::pair{"631-C", "2025-02-28"}, std::pair{"631-D", "2025-03-01"}}) {
    ASSERT_TRUE(store_->CreateCase(sys_, TestCase(ref, "631", day), {}));
  }
  CaseFilter f;
  f.received_from = Date::Parse("2025-02-01");
  f.received_to = Date::Parse("2025-02-28");
  EXPECT_EQ(Listed(A("m631"), f), (V{"631-B", "631-C"}));
  f.received_to.reset();
  EXPECT_EQ(Listed(A("m631"), f), (V{"631-B", "631-C", "631-D"}));
  f.received_from.reset();
  f.received_to = Date::Parse("2025-01-31");
  EXPECT_EQ(Listed(A("m631"), f), V{"631-A"});
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreAccessTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable
