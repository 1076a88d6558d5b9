// What the web workspace adds to the store (migration 2): submissions in one
// transaction with generated references and their acknowledgement, full-text
// search that never crosses funds, sessions, label overrides. Same suite on
// SQLite and PostgreSQL, as store_test.cc.
#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amiable {
namespace {

class StoreWebTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-store-web-test"));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"631", "Caf A", "metropole", "", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"672", "Caf B", "alsace_moselle", "", false}));
  }
  static Actor Of(std::string org) {
    Actor a;
    a.user = "m" + org;
    a.role = Role::kMediator;
    a.all_funds = false;
    a.organismes = {std::move(org)};
    return a;
  }

  Submission Sub(std::string org, std::string description, std::string name) {
    Submission s;
    s.c.organisme = std::move(org);
    s.c.received_on = *Date::Parse("2025-03-04");
    s.c.channel = "teleprocedure";
    s.c.allocataire_number = "1234567";
    s.c.description = std::move(description);
    s.event = {0, "", "public", "create", "Demande déposée en ligne"};
    Person p;
    p.name = std::move(name);
    p.email = "x@example.org";
    s.people.push_back(p);
    return s;
  }
};

TEST_P(StoreWebTest, SubmitGeneratesReferencesAndQueuesTheAcknowledgement) {
  Submission s = Sub("631", "Mon aide au logement n'est pas versée depuis mars.", "Zoé Lefèvre");
  DocumentMeta d;
  d.file_name = "avis.pdf";
  d.content_type = "application/pdf";
  d.size_bytes = 10;
  d.storage_key = "k1";
  d.sha256 = "00";
  d.uploaded_by = "public";
  s.documents.push_back(d);
  OutboxMessage ack;
  ack.kind = "acknowledgement";
  ack.recipient = "x@example.org";
  ack.subject = "Demande {reference}";
  ack.body = "Référence : {reference}";
  s.acknowledgement = ack;
  auto r1 = store_->SubmitCase(Of("631"), s);
  ASSERT_TRUE(r1) << ToString(r1.error());
  EXPECT_EQ(*r1, "631-2025-00001");
  s.documents[0].storage_key = "k2";
  auto r2 = store_->SubmitCase(Of("631"), s);
  ASSERT_TRUE(r2) << ToString(r2.error());
  EXPECT_EQ(*r2, "631-2025-00002");

  auto c = store_->GetCase(Of("631"), *r1);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->channel, "teleprocedure");
  EXPECT_EQ(c->state, CaseState::kReceived);
  auto docs = store_->Documents(Of("631"), *r1);
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].storage_key, "k1");
  auto people = store_->People(Of("631"), *r1);
  ASSERT_TRUE(people);
  ASSERT_EQ(people->size(), 1u);
  auto out = store_->PendingOutbox(10);
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].subject, "Demande 631-2025-00001");
  EXPECT_EQ((*out)[0].case_reference, "631-2025-00001");

  // A fund the actor cannot see: refused, nothing written.
  EXPECT_FALSE(store_->SubmitCase(Of("672"), Sub("631", "texte", "A")));
  // A duplicate storage key makes the whole submission fail: no case, no message.
  auto bad = store_->SubmitCase(Of("631"), s);
  EXPECT_FALSE(bad);
  auto out2 = store_->PendingOutbox(10);
  ASSERT_TRUE(out2);
  EXPECT_EQ(out2->size(), 2u);
  int64_t total = 0;
  CaseFilter f;
  ASSERT_TRUE(store_->ListCases(Actor::System(), f, &total));
  EXPECT_EQ(total, 2);
}

TEST_P(StoreWebTest, GeneratedReferencesSkipTakenOnes) {
  Case c;
  c.reference = "631-2025-00001";
  c.organisme = "631";
  c.received_on = *Date::Parse("2025-01-02");
  ASSERT_TRUE(store_->CreateCase(Actor::System(), c, {}));
  c.reference = "631-2025-00002";
  ASSERT_TRUE(store_->CreateCase(Actor::System(), c, {}));
  auto r = store_->SubmitCase(Of("631"), Sub("631", "texte de la demande", "A"));
  ASSERT_TRUE(r) << ToString(r.error());
  EXPECT_EQ(*r, "631-2025-00003");
}

TEST_P(StoreWebTest, SearchIsAccentInsensitiveAndStaysInTheActorsFunds) {
  auto a = store_->SubmitCase(Of("631"), Sub("631", "Révision de la prime d'activité refusée", "Zoé Lefèvre"));
  ASSERT_TRUE(a) << ToString(a.error());
  auto b = store_->SubmitCase(Of("672"), Sub("672", "Revision du RSA", "Jean Lefevre"));
  ASSERT_TRUE(b) << ToString(b.error());

  int64_t total = 0;
  auto r = store_->SearchCases(Of("631"), "revision", 10, &total);
  ASSERT_TRUE(r) << ToString(r.error());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].reference, *a);
  EXPECT_EQ(total, 1);
  // Names, with and without accents, as prefixes; the other fund's case never.
  r = store_->SearchCases(Of("631"), "LEFEV", 10, nullptr);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  r = store_->SearchCases(Actor::System(), "lefèvre", 10, &total);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 2u);
  // Reference and allocataire number.
  r = store_->SearchCases(Of("672"), *b, 10, nullptr);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  r = store_->SearchCases(Of("672"), *a, 10, nullptr);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
  // Notes are searched too; query syntax in the input is only text.
  ASSERT_TRUE(store_->AddNote(Of("631"), *a, {0, "m631", "", "Appel du bailleur Dupont"}));
  r = store_->SearchCases(Of("631"), "dupont", 10, nullptr);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 1u);
  for (const char* hostile : {"\"", "' OR 1=1 --", "a:* | b", "NEAR(", "*", ") (", "é'\"*:&!"}) {
    auto h = store_->SearchCases(Of("631"), hostile, 10, nullptr);
    EXPECT_TRUE(h) << hostile << ": " << ToString(h.error());
  }
  // Updating the description re-indexes it.
  auto c = store_->GetCase(Of("631"), *a);
  ASSERT_TRUE(c);
  c->description = "Allocation de soutien familial";
  ASSERT_TRUE(store_->UpdateCase(Of("631"), *c, {0, "", "m631", "update", ""}));
  r = store_->SearchCases(Of("631"), "soutien", 10, nullptr);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 1u);
  r = store_->SearchCases(Of("631"), "revision", 10, nullptr);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST_P(StoreWebTest, SessionsExpireAndCanBeDeleted) {
  ASSERT_TRUE(store_->CreateWebSession(
      {"h1", "alice", "csrf1", "2099-01-01T10:00:00Z", "2099-01-01T18:00:00Z"}));
  auto s = store_->GetWebSession("h1", "2099-01-01T12:00:00Z");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->user, "alice");
  EXPECT_EQ(s->csrf_token, "csrf1");
  EXPECT_FALSE(store_->GetWebSession("h1", "2099-01-01T18:00:01Z"));
  EXPECT_FALSE(store_->GetWebSession("nope", "2099-01-01T12:00:00Z"));
  ASSERT_TRUE(store_->DeleteWebSession("h1"));
  EXPECT_FALSE(store_->GetWebSession("h1", "2099-01-01T12:00:00Z"));
}

TEST_P(StoreWebTest, LabelOverridesAndUsers) {
  ASSERT_TRUE(store_->SetLabelOverride(Actor::System(), {"channel", "courriel", "Courriel (boîte dédiée)"}));
  auto l = store_->LabelOverrides();
  ASSERT_TRUE(l);
  ASSERT_EQ(l->size(), 1u);
  EXPECT_EQ((*l)[0].label, "Courriel (boîte dédiée)");
  ASSERT_TRUE(store_->SetLabelOverride(Actor::System(), {"channel", "courriel", ""}));
  l = store_->LabelOverrides();
  ASSERT_TRUE(l);
  EXPECT_TRUE(l->empty());
  User u;
  u.name = "bob";
  u.organismes = {"631"};
  ASSERT_TRUE(store_->CreateUser(u));
  u.name = "alice";
  ASSERT_TRUE(store_->CreateUser(u));
  auto users = store_->ListUsers();
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "alice");
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreWebTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable
