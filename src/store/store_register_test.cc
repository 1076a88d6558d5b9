// The register of findings and recommendations (sql_register.cc, migration
// 20): the six seeded themes, items added, listed, updated, deleted, dated
// follow-ups setting the status, values refused with the field named, the
// funds of the actor in every read and write, the audit rows. Same suite on
// SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/audit_store.h"
#include "store/report_data.h"
#include "store/store_test_util.h"

namespace amiable {
namespace {

class StoreRegisterTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-store-register-test"));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"631", "Caf A", "metropole", "", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"974", "Caf B", "reunion", "", false}));
    rd_ = ReportDataOf(*store_);
    ASSERT_NE(rd_, nullptr);
  }
  static Actor Of(Role role, std::vector<std::string> funds, std::string name = "u") {
    Actor a;
    a.user = std::move(name);
    a.role = role;
    a.all_funds = funds.empty();
    a.organismes = std::move(funds);
    return a;
  }
  static Recommendation Item(std::string org, int year, std::string theme, std::string text) {
    Recommendation r;
    r.organisme = std::move(org);
    r.year = year;
    r.theme = std::move(theme);
    r.text = std::move(text);
    r.addressed_to = "Direction de la relation de service";
    return r;
  }
  std::vector<Recommendation> List(const Actor& a, RecommendationFilter f = {}) {
    auto l = rd_->Recommendations(a, f);
    EXPECT_TRUE(l) << (l ? "" : l.error().message);
    return l ? *l : std::vector<Recommendation>{};
  }
  static std::string Field(const Status& s) { return s ? "ok" : s.error().field; }
  template <class T>
  static std::string Field(const Result<T>& s) {
    return s ? "ok" : s.error().field;
  }
  ReportDataStore* rd_ = nullptr;
};

TEST_P(StoreRegisterTest, SixThemesAreSeededInTheReferenceOrder) {
  auto themes = rd_->RecommendationThemes();
  ASSERT_TRUE(themes);
  ASSERT_EQ(themes->size(), 6u);
  EXPECT_EQ((*themes)[0].code, "information");
  EXPECT_EQ((*themes)[0].label, "Clarté et accessibilité de l'information");
  EXPECT_EQ((*themes)[4].code, "delais");
  EXPECT_EQ((*themes)[5].label, "La médiation, outil d'amélioration continue");
  for (const auto& t : *themes) EXPECT_TRUE(t.active) << t.code;
}

TEST_P(StoreRegisterTest, ThemesAreWrittenByNationalAndAdministratorsOnly) {
  RecommendationTheme t{"numerique", "Accès aux services numériques", 7, true};
  auto med = rd_->UpsertRecommendationTheme(Of(Role::kMediator, {"631"}), t);
  ASSERT_FALSE(med);
  EXPECT_EQ(med.error().code, Error::Code::kForbidden);
  ASSERT_TRUE(rd_->UpsertRecommendationTheme(Of(Role::kNational, {}), t));
  t.label = "Services numériques";
  t.active = false;
  ASSERT_TRUE(rd_->UpsertRecommendationTheme(Actor::System(), t));  // replaces
  auto themes = rd_->RecommendationThemes();
  ASSERT_TRUE(themes);
  ASSERT_EQ(themes->size(), 7u);
  EXPECT_EQ(themes->back().label, "Services numériques");
  EXPECT_FALSE(themes->back().active);
  // An inactive theme takes no new item.
  auto add = rd_->AddRecommendation(Actor::System(), Item("631", 2024, "numerique", "x"));
  EXPECT_EQ(Field(add), "theme");
  EXPECT_EQ(Field(rd_->UpsertRecommendationTheme(Actor::System(), {"Bad Code", "x", 1, true})),
            "code");
  EXPECT_EQ(Field(rd_->UpsertRecommendationTheme(Actor::System(), {"ok", "  ", 1, true})),
            "label");
}

TEST_P(StoreRegisterTest, ItemsAreAddedInOrderListedAndFollowedUp) {
  const Actor med = Of(Role::kMediator, {"631"}, "claire");
  auto a = rd_->AddRecommendation(med, Item("631", 2024, "delais", "Réduire les **délais**."));
  ASSERT_TRUE(a) << a.error().message;
  Recommendation b = Item("631", 2024, "information", "Clarifier les courriers.");
  b.kind = "constat";
  auto bid = rd_->AddRecommendation(med, b);
  ASSERT_TRUE(bid);
  auto c = rd_->AddRecommendation(med, Item("631", 2025, "competences", "Former les agents."));
  ASSERT_TRUE(c);

  auto all = List(med);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, *a);
  EXPECT_EQ(all[0].position, 1);
  EXPECT_EQ(all[0].status, "proposee");
  EXPECT_EQ(all[0].kind, "preconisation");
  EXPECT_EQ(all[0].text, "Réduire les **délais**.");
  EXPECT_EQ(all[0].addressed_to, "Direction de la relation de service");
  EXPECT_EQ(all[0].created_by, "claire");
  EXPECT_EQ(all[1].id, *bid);
  EXPECT_EQ(all[1].position, 2);
  EXPECT_EQ(all[1].kind, "constat");
  EXPECT_EQ(all[2].position, 1);  // positions count within (fund, year)

  RecommendationFilter y2024;
  y2024.year_from = 2024;
  y2024.year_to = 2024;
  EXPECT_EQ(List(med, y2024).size(), 2u);
  RecommendationFilter theme;
  theme.theme = "competences";
  ASSERT_EQ(List(med, theme).size(), 1u);

  RecommendationFollowUp f;
  f.year = 2025;
  f.on = "12/03/2025";
  f.status = "mise_en_oeuvre";
  f.note = "Délai moyen ramené à 8 jours.";
  auto fid = rd_->AddRecommendationFollowUp(med, *a, f);
  ASSERT_TRUE(fid) << fid.error().message;
  RecommendationFollowUp g = f;
  g.year = 2024;
  g.on = "2024-12-15";
  g.status = "acceptee";
  g.note = "Acceptée par la direction.";
  ASSERT_TRUE(rd_->AddRecommendationFollowUp(med, *a, g));
  all = List(med, y2024);
  ASSERT_EQ(all[0].follow_ups.size(), 2u);
  EXPECT_EQ(all[0].follow_ups[0].year, 2024);  // by year reviewed, then date
  EXPECT_EQ(all[0].follow_ups[0].status, "acceptee");
  EXPECT_EQ(all[0].follow_ups[1].on, "2025-03-12");  // typed date stored ISO
  EXPECT_EQ(all[0].follow_ups[1].note, "Délai moyen ramené à 8 jours.");
  EXPECT_EQ(all[0].follow_ups[1].author, "claire");
  EXPECT_EQ(all[0].status, "acceptee");  // the last follow-up added sets it
  EXPECT_TRUE(all[1].follow_ups.empty());

  Recommendation upd = all[1];
  upd.text = "Clarifier les notifications d'indus.";
  upd.status = "abandonnee";
  upd.position = 0;
  upd.theme = "fiabilite";
  ASSERT_TRUE(rd_->UpdateRecommendation(med, upd));
  all = List(med, y2024);
  EXPECT_EQ(all[0].id, *bid);  // position 0 sorts first now
  EXPECT_EQ(all[0].text, "Clarifier les notifications d'indus.");
  EXPECT_EQ(all[0].status, "abandonnee");
  EXPECT_EQ(all[0].theme, "fiabilite");

  ASSERT_TRUE(rd_->DeleteRecommendation(med, *a));
  all = List(med, y2024);
  ASSERT_EQ(all.size(), 1u);
  auto again = rd_->DeleteRecommendation(med, *a);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Error::Code::kNotFound);

  // Every write is in the trail.
  AuditQuery q;
  q.limit = 100;
  auto rows = TrailOf(*store_)->ListAudit(Actor::System(), q, nullptr);
  ASSERT_TRUE(rows);
  int adds = 0, follow_ups = 0, updates = 0, deletes = 0;
  for (const AuditEntry& e : *rows) {
    adds += e.action == "report.register_add";
    follow_ups += e.action == "report.register_follow_up";
    updates += e.action == "report.register_update";
    deletes += e.action == "report.register_delete";
  }
  EXPECT_EQ(adds, 3);
  EXPECT_EQ(follow_ups, 2);
  EXPECT_EQ(updates, 1);
  EXPECT_EQ(deletes, 1);
}

TEST_P(StoreRegisterTest, BadValuesAreRefusedNamingTheFieldAndNothingIsWritten) {
  const Actor med = Of(Role::kMediator, {"631"});
  auto bad = [&](auto change) {
    Recommendation r = Item("631", 2024, "delais", "Texte");
    change(r);
    return Field(rd_->AddRecommendation(med, r));
  };
  EXPECT_EQ(bad([](auto& r) { r.kind = "avis"; }), "kind");
  EXPECT_EQ(bad([](auto& r) { r.status = "faite"; }), "status");
  EXPECT_EQ(bad([](auto& r) { r.text = " \n "; }), "text");
  EXPECT_EQ(bad([](auto& r) { r.text = std::string(20001, 'a'); }), "text");
  EXPECT_EQ(bad([](auto& r) { r.addressed_to = std::string(501, 'a'); }), "addressed_to");
  EXPECT_EQ(bad([](auto& r) { r.theme = "inconnu"; }), "theme");
  EXPECT_EQ(bad([](auto& r) { r.year = 1800; }), "year");
  EXPECT_EQ(bad([](auto& r) { r.position = -1; }), "position");
  EXPECT_TRUE(List(med).empty());
  auto e = rd_->AddRecommendation(med, Item("631", 2024, "delais", " "));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message, "Le texte de la recommandation est vide (champ « texte »).");

  auto id = rd_->AddRecommendation(med, Item("631", 2024, "delais", "Texte"));
  ASSERT_TRUE(id);
  RecommendationFollowUp f{0, 2025, "2025-02-30", "acceptee", "note", "", ""};
  EXPECT_EQ(Field(rd_->AddRecommendationFollowUp(med, *id, f)), "on");
  f.on = "2025-02-03";
  f.status = "finie";
  EXPECT_EQ(Field(rd_->AddRecommendationFollowUp(med, *id, f)), "status");
  f.status = "acceptee";
  f.year = 2023;
  EXPECT_EQ(Field(rd_->AddRecommendationFollowUp(med, *id, f)), "year");
  auto items = List(med);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_TRUE(items[0].follow_ups.empty());
  EXPECT_EQ(items[0].status, "proposee");  // no half-write
}

TEST_P(StoreRegisterTest, ReadsAndWritesKeepTheActorsFunds) {
  auto a631 = rd_->AddRecommendation(Actor::System(), Item("631", 2024, "delais", "A"));
  auto a974 = rd_->AddRecommendation(Actor::System(), Item("974", 2024, "delais", "B"));
  ASSERT_TRUE(a631 && a974);
  const Actor med631 = Of(Role::kMediator, {"631"});
  auto seen = List(med631);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].organisme, "631");
  RecommendationFilter other;
  other.organismes = {"974"};
  EXPECT_TRUE(List(med631, other).empty());  // asking for another fund gives nothing
  EXPECT_EQ(List(Of(Role::kNational, {"631"})).size(), 2u);  // national: every fund
  EXPECT_EQ(List(Of(Role::kAdministrator, {"631"})).size(), 2u);
  EXPECT_EQ(List(Of(Role::kStatisticsReader, {"974"})).size(), 1u);
  EXPECT_TRUE(List(Of(Role::kPartner, {"631"})).empty());

  // Writes: only the actor's funds, only writing roles.
  auto add = rd_->AddRecommendation(med631, Item("974", 2024, "delais", "C"));
  ASSERT_FALSE(add);
  EXPECT_EQ(add.error().code, Error::Code::kForbidden);
  Recommendation r = seen[0];
  r.id = *a974;
  auto upd = rd_->UpdateRecommendation(med631, r);
  ASSERT_FALSE(upd);
  EXPECT_EQ(upd.error().code, Error::Code::kNotFound);
  auto del = rd_->DeleteRecommendation(med631, *a974);
  ASSERT_FALSE(del);
  EXPECT_EQ(del.error().code, Error::Code::kNotFound);
  RecommendationFollowUp f{0, 2025, "2025-01-10", "acceptee", "", "", ""};
  EXPECT_FALSE(rd_->AddRecommendationFollowUp(med631, *a974, f));
  for (Role role : {Role::kNational, Role::kStatisticsReader, Role::kDpo, Role::kPartner}) {
    auto w = rd_->AddRecommendationFollowUp(Of(role, {"631"}), *a631, f);
    ASSERT_FALSE(w) << RoleCode(role);
    EXPECT_EQ(w.error().code, Error::Code::kForbidden) << RoleCode(role);
    auto n = rd_->AddRecommendation(Of(role, {}), Item("631", 2024, "delais", "D"));
    ASSERT_FALSE(n) << RoleCode(role);
    EXPECT_EQ(n.error().code, Error::Code::kForbidden) << RoleCode(role);
  }
  ASSERT_TRUE(rd_->AddRecommendationFollowUp(Of(Role::kManager, {"631"}), *a631, f));
  auto unknown = rd_->AddRecommendation(Actor::System(), Item("999", 2024, "delais", "E"));
  EXPECT_EQ(Field(unknown), "organisme");
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreRegisterTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable
