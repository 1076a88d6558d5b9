// Partner access on a real store (SQLite and PostgreSQL): a partner sees the
// cases it created and those granted to it, nothing else, until the case
// closes; it exchanges messages and files but changes nothing; the
// notifications carry no personal data.
#include "service/partner_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/messages.h"
#include "store/store_test_util.h"

namespace amiable::service {
namespace {

class PdfFiles final : public DocumentFiles {
 public:
  std::optional<std::string> Sniff(std::string_view b) const override {
    if (b.rfind("%PDF-", 0) == 0) return "application/pdf";
    return std::nullopt;
  }
  std::string Sha256Hex(std::string_view) const override { return std::string(64, 'b'); }
  Result<std::string> Save(std::string_view b) const override {
    std::string key = "p" + std::to_string(++n);
    files[key] = std::string(b);
    return key;
  }
  void Remove(std::string_view key) const override { files.erase(std::string(key)); }
  mutable std::map<std::string, std::string> files;
  mutable int n = 0;
};

std::string Key(const Status& s) { return s ? "" : s.error().message_id; }
template <class T>
std::string Key(const Result<T>& r) {
  return r ? "" : r.error().message_id;
}

class PartnerServiceTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql" && TestPgUrl().empty()) GTEST_SKIP() << "no PostgreSQL";
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-partner-test"));
    SetPartnerAccessEndsAtClose(true);
    const Actor sys = Actor::System();
    ASSERT_TRUE(store_->UpsertOrganisme(sys, {"631", "Caf du Puy-de-Dôme", "metropole", "84", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(sys, {"974", "Caf de La Réunion", "reunion", "04", false}));
    struct U {
      const char* name;
      Role role;
      const char* fund;
      const char* email;
    };
    for (const U& u : {U{"alice", Role::kMediator, "631", "alice@caf.example"},
                       U{"chef", Role::kManager, "631", ""},
                       U{"ddd", Role::kPartner, "631", "delegue@ddd.example"},
                       U{"ccas", Role::kPartner, "974", "ccas@ville.example"},
                       U{"dpo", Role::kDpo, "631", ""}}) {
      User x;
      x.name = u.name;
      x.role = u.role;
      x.organismes = {u.fund};
      x.email = u.email;
      ASSERT_TRUE(store_->CreateUser(x));
    }
  }
  void TearDown() override {
    SetPartnerAccessEndsAtClose(true);
    StoreEngineTest::TearDown();
  }
  Caller Who(const char* name) { return Caller::OfUser(*store_->GetUser(name)); }
  CaseService Cases() { return CaseService(*store_, clock_, &files_); }
  PartnerService Partners() {
    return PartnerService(*store_, clock_, &files_, "https://amiable.example.fr/");
  }
  std::string NewCase(const char* who, const char* fund = "631") {
    Registration r;
    r.c.organisme = fund;
    r.c.received_on = *Date::Parse("2026-03-02");
    r.c.description = "Mme Martin, allocataire 1234567, conteste un indu.";
    auto ref = Cases().Register(Who(who), r);
    EXPECT_TRUE(ref) << (ref ? "" : ToString(ref.error()));
    return ref.value_or("");
  }
  std::vector<std::string> Refs(const char* who) {
    int64_t total = 0;
    auto l = Cases().List(Who(who), {}, &total);
    std::vector<std::string> out;
    if (l) {
      for (const auto& c : *l) out.push_back(c.reference);
    }
    return out;
  }

  FixedClock clock_{NoonOf(*Date::Parse("2026-03-16"))};
  PdfFiles files_;
};

TEST_P(PartnerServiceTest, APartnerSeesTheCasesItCreatedAndThoseGrantedOnly) {
  const std::string mine = NewCase("ddd");
  const std::string other = NewCase("alice");
  const std::string granted = NewCase("alice");
  EXPECT_EQ(Refs("ddd"), std::vector<std::string>{mine});
  // Only for a fund it is attached to.
  Registration r;
  r.c.organisme = "974";
  EXPECT_EQ(Key(Cases().Register(Who("ddd"), r)), "case.organisme_unknown");
  // The mediator grants; a non-partner account cannot be granted this way.
  EXPECT_EQ(Key(Partners().Grant(Who("alice"), granted, "chef")), "partner.unknown");
  EXPECT_EQ(Key(Partners().Grant(Who("ddd"), granted, "ddd")), "partner.role");
  ASSERT_TRUE(Partners().Grant(Who("alice"), granted, "ddd"));
  auto refs = Refs("ddd");
  std::sort(refs.begin(), refs.end());
  std::vector<std::string> want{mine, granted};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(refs, want);
  EXPECT_EQ(Key(Cases().GetCase(Who("ddd"), other)), "case.not_found");
  EXPECT_EQ(Key(Partners().Exchange(Who("ddd"), other)), "case.not_found");
  EXPECT_EQ(Key(Partners().Post(Who("ddd"), other, "bonjour", {})), "case.not_found");
  EXPECT_TRUE(Refs("ccas").empty());
  EXPECT_EQ(*Partners().Partners(Who("alice"), granted), std::vector<std::string>{"ddd"});
  // Revoked: gone.
  ASSERT_TRUE(Partners().Revoke(Who("alice"), granted, "ddd"));
  EXPECT_EQ(Refs("ddd"), std::vector<std::string>{mine});
  // A dpo sees no case at all.
  EXPECT_EQ(Key(Cases().GetCase(Who("dpo"), mine)), "role.no_case_access");
}

TEST_P(PartnerServiceTest, APartnerChangesNothingButTheExchange) {
  const std::string ref = NewCase("ddd");
  EventCall take;
  take.request.event = "take_in_charge";
  EXPECT_EQ(Key(Cases().Apply(Who("ddd"), ref, take)), "partner.read_only");
  EXPECT_EQ(Key(Cases().AddNote(Who("ddd"), ref, "note")), "partner.read_only");
  EXPECT_EQ(Key(Cases().AddDocument(Who("ddd"), ref, "a.pdf", "%PDF-1.4")), "partner.read_only");
  ClassificationEdit e;
  e.fields.push_back({"description", "autre"});
  EXPECT_EQ(Key(Cases().Edit(Who("ddd"), ref, e)), "partner.read_only");
  // The mediator takes it in charge (the partner's case is of her fund).
  ASSERT_TRUE(Cases().Apply(Who("alice"), ref, take));
}

TEST_P(PartnerServiceTest, TheExchangeWithFilesAndNotificationsWithoutPersonalData) {
  const std::string ref = NewCase("ddd");
  EventCall take;
  take.request.event = "take_in_charge";
  ASSERT_TRUE(Cases().Apply(Who("alice"), ref, take));
  EXPECT_EQ(Key(Partners().Post(Who("ddd"), ref, "   ", {})), "partner.body_required");
  EXPECT_EQ(Key(Partners().Post(Who("ddd"), ref, "x", {{"a.html", "<html>"}})), "document.type");
  EXPECT_TRUE(files_.files.empty()) << "a refused post leaves no file";
  auto p1 = Partners().Post(Who("ddd"), ref, "Voici l'avis d'imposition de Mme Martin.",
                            {{"avis.pdf", "%PDF-1.4 avis"}});
  ASSERT_TRUE(p1) << ToString(p1.error());
  // The mediator writes a note (never shown) and answers in the exchange.
  ASSERT_TRUE(Cases().AddNote(Who("alice"), ref, "note interne"));
  ASSERT_TRUE(Cases().AddDocument(Who("alice"), ref, "interne.pdf", "%PDF-1.4 interne"));
  ASSERT_TRUE(Partners().Post(Who("alice"), ref, "Merci, bien reçu.", {}));
  auto ex = Partners().Exchange(Who("ddd"), ref);
  ASSERT_TRUE(ex);
  ASSERT_EQ(ex->size(), 2u);
  EXPECT_TRUE((*ex)[0].from_partner);
  EXPECT_EQ((*ex)[0].document_ids.size(), 1u);
  EXPECT_FALSE((*ex)[1].from_partner);
  EXPECT_EQ((*ex)[1].author, "alice");
  // The partner downloads the exchange's file, not the mediator's own.
  auto docs = store_->Documents(Actor::System(), ref);
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 2u);
  for (const auto& d : *docs) {
    const bool shared = d.file_name == "avis.pdf";
    EXPECT_EQ(static_cast<bool>(Cases().Document(Who("ddd"), ref, d.id)), shared) << d.file_name;
    EXPECT_TRUE(Cases().Document(Who("alice"), ref, d.id)) << d.file_name;
  }
  // One notification each way, a link and the reference only.
  auto out = store_->PendingOutbox(100);
  ASSERT_TRUE(out);
  std::map<std::string, OutboxMessage> by;
  for (const auto& m : *out) {
    if (m.kind == "partner_notification") by[m.recipient] = m;
  }
  ASSERT_EQ(by.size(), 2u);
  const auto& to_mediator = by["alice@caf.example"];
  const auto& to_partner = by["delegue@ddd.example"];
  EXPECT_NE(to_mediator.body.find("https://amiable.example.fr/dossiers/" + ref), std::string::npos);
  EXPECT_NE(to_partner.body.find("https://amiable.example.fr/partenaire/dossiers/" + ref),
            std::string::npos);
  for (const auto* m : {&to_mediator, &to_partner}) {
    for (const char* secret : {"Martin", "1234567", "avis", "Merci", "indu"}) {
      EXPECT_EQ(m->body.find(secret), std::string::npos) << secret;
      EXPECT_EQ(m->subject.find(secret), std::string::npos) << secret;
    }
  }
}

TEST_P(PartnerServiceTest, AccessEndsWhenTheCaseClosesUnlessTheSettingKeepsIt) {
  const std::string ref = NewCase("ddd");
  // Closing straight from received: an inadmissible request.
  auto c = store_->GetCase(Actor::System(), ref);
  ASSERT_TRUE(c);
  Case closed = *c;
  closed.state = CaseState::kClosed;
  CaseEvent ev;
  ev.kind = "close";
  ev.actor = "alice";
  ev.at = "2026-03-16T12:00:00Z";
  ASSERT_TRUE(store_->UpdateCase(Actor::System(), closed, ev));
  EXPECT_TRUE(Refs("ddd").empty());
  EXPECT_EQ(Key(Partners().Post(Who("ddd"), ref, "encore", {})), "case.not_found");
  SetPartnerAccessEndsAtClose(false);
  EXPECT_EQ(Refs("ddd"), std::vector<std::string>{ref});
}

TEST(PartnerNotification, ALinkAndTheReferenceOnly) {
  auto m = PartnerService::Notification("a@b.fr", "631-2026-0001", "https://x.fr", true);
  EXPECT_EQ(m.recipient, "a@b.fr");
  EXPECT_NE(m.body.find("https://x.fr/dossiers/631-2026-0001"), std::string::npos);
  m = PartnerService::Notification("a@b.fr", "631-2026-0001", "", false);
  EXPECT_NE(m.body.find(" /partenaire/dossiers/631-2026-0001"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, PartnerServiceTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace amiable::service
