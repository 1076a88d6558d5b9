// Retention and data-subject rights on a real store (SQLite and, with
// AMIABLE_TEST_PG_URL, PostgreSQL): anonymising keeps every figure, removes
// the personal data and the files; purge freezes the figures; export and
// rectification; public texts. Also the frozen figures' exactness.
#include "service/privacy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "figures/figures.h"
#include "figures/frozen.h"
#include "figures/years.h"
#include "store/store_test_util.h"

namespace amiable::service {
namespace {

class MemoryFiles final : public DocumentFiles {
 public:
  std::optional<std::string> Sniff(std::string_view) const override { return "application/pdf"; }
  std::string Sha256Hex(std::string_view) const override { return std::string(64, 'a'); }
  Result<std::string> Save(std::string_view b) const override {
    std::string key = "k" + std::to_string(files.size() + removed.size() + 1);
    files[key] = std::string(b);
    return key;
  }
  void Remove(std::string_view key) const override {
    files.erase(std::string(key));
    removed.push_back(std::string(key));
  }
  mutable std::map<std::string, std::string> files;
  mutable std::vector<std::string> removed;
};

Date D(const char* s) { return *Date::Parse(s); }

class PrivacyServiceTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql" && TestPgUrl().empty()) GTEST_SKIP() << "no PostgreSQL";
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-privacy-test"));
    const Actor sys = Actor::System();
    ASSERT_TRUE(store_->UpsertOrganisme(sys, {"631", "Caf du Puy-de-Dôme", "metropole", "84", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(sys, {"974", "Caf de La Réunion", "reunion", "04", false}));
    // Closed cases in 2021-2023, open ones, inadmissible ones, over two funds.
    std::vector<Case> cases;
    for (int i = 0; i < 24; ++i) {
      Case c = TestCase("631-X-" + std::to_string(100 + i), i % 3 == 0 ? "974" : "631",
                        "202" + std::to_string(1 + i % 3) + "-0" + std::to_string(1 + i % 9) + "-1" +
                            std::to_string(i % 10));
      c.channel = i % 2 ? "courriel" : "teleprocedure";
      c.emitter = "allocataire";
      c.allocataire_number = "77" + std::to_string(10000 + i);
      c.description = "Texte libre de Madame Secret" + std::to_string(i);
      c.motives = std::vector<std::string>{"absence_paiement"};
      c.benefits = std::vector<std::string>{"rsa"};
      c.quotient_familial = 300 + 40 * i;
      c.household = "isole";
      if (i % 5 == 4) {
        c.admissibility = "irrecevable";
        c.inadmissibility_reason = "absence_demarche_prealable";
      } else {
        c.taken_in_charge_on = c.received_on + (1 + i % 4);
        if (i % 6 != 5) {
          c.answered_on = c.received_on + (10 + i);
          c.closed_on = c.received_on + (12 + i);
          c.resolution = i % 2 ? "revisee" : "confirmee";
          c.cause = "pas_erreur_caf";
          c.financial = std::vector<FinancialLine>{{"rappel", 12345 + i}};
          c.internal_requests =
              std::vector<InternalRequestDates>{{c.received_on + 2, c.received_on + 5}};
        }
      }
      c.state = InferState(c);
      cases.push_back(c);
    }
    ASSERT_TRUE(store_->ImportCases(sys, cases));
    // Personal data on each case.
    for (const Case& c : cases) {
      Person p{0, PersonRole::kBeneficiary, "Nom Secret " + c.reference, "", "s@example.fr",
               "0600000000", "1 rue Secrète", ""};
      ASSERT_TRUE(store_->SavePerson(sys, c.reference, p));
      ASSERT_TRUE(store_->AddNote(sys, c.reference, {0, "med", "", "Note secrète"}));
      auto key = files_.Save("%PDF-secret");
      ASSERT_TRUE(store_->AddDocument(sys, c.reference,
                                      {0, "secret.pdf", "application/pdf", 11, *key, "x", "med",
                                       ""}));
      CaseEvent ev{0, "", "med", "update", "Motif secret"};
      ev.changes = {{"description", "Ancien secret", "Nouveau secret"}};
      ASSERT_TRUE(store_->AppendEvent(sys, c.reference, ev));
    }
  }

  // Every figure of every year, every fund set, as JSON.
  std::map<std::string, std::string> AllFigures() {
    std::map<std::string, std::string> out;
    for (int y = 2020; y <= 2025; ++y) {
      for (const std::vector<std::string>& s :
           {std::vector<std::string>{"631"}, std::vector<std::string>{"974"},
            std::vector<std::string>{}}) {
        auto f = ComputeFigures(*store_, s, y, D("2026-06-01"));
        EXPECT_TRUE(f) << ToString(f.error());
        out[std::to_string(y) + "/" + (s.empty() ? "*" : s[0])] = FiguresToJson(*f);
      }
    }
    return out;
  }

  PrivacyService Svc() { return PrivacyService(*store_, clock_, &files_); }

  FixedClock clock_{std::chrono::sys_days(std::chrono::year(2026) / 6 / 1)};
  MemoryFiles files_;
};

TEST_P(PrivacyServiceTest, AnonymiseKeepsEveryFigureAndRemovesThePersonalData) {
  const auto before = AllFigures();
  const Caller cli = Caller::Cli("test");
  AnonymiseRequest dry{"631", D("2023-01-01"), true};
  auto d = Svc().Anonymise(cli, dry);
  ASSERT_TRUE(d) << ToString(d.error());
  ASSERT_FALSE(d->cases.empty());
  EXPECT_EQ(files_.removed.size(), 0u);  // the dry run touches nothing
  auto people = store_->People(Actor::System(), d->cases[0].reference);
  ASSERT_TRUE(people);
  EXPECT_EQ(people->size(), 1u);

  auto r = Svc().Anonymise(cli, {"631", D("2023-01-01"), false});
  ASSERT_TRUE(r) << ToString(r.error());
  EXPECT_EQ(r->cases.size(), d->cases.size());
  EXPECT_EQ(r->files_deleted, static_cast<int64_t>(r->cases.size()));
  EXPECT_EQ(AllFigures(), before);
  for (const RetentionCase& rc : r->cases) {
    auto c = store_->GetCase(Actor::System(), rc.reference);
    ASSERT_TRUE(c);
    EXPECT_FALSE(c->allocataire_number);
    EXPECT_EQ(c->description, "");
    EXPECT_TRUE(store_->People(Actor::System(), rc.reference)->empty());
    EXPECT_TRUE(store_->Notes(Actor::System(), rc.reference)->empty());
    EXPECT_TRUE(store_->Documents(Actor::System(), rc.reference)->empty());
    for (const CaseEvent& e : *store_->History(Actor::System(), rc.reference)) {
      EXPECT_EQ(e.detail.find("secret"), std::string::npos) << e.detail;
      EXPECT_TRUE(e.changes.empty());
    }
    // The search no longer finds them by name.
    int64_t total = 0;
    auto found = store_->SearchCases(Actor::System(), "Secret", 100, &total);
    ASSERT_TRUE(found);
    for (const Case& f : *found) EXPECT_NE(f.reference, rc.reference);
  }
  auto pending = PrivacyOf(*store_)->PendingFileKeys(100);
  ASSERT_TRUE(pending);
  EXPECT_TRUE(pending->empty());
  // A second run finds nothing more.
  auto again = Svc().Anonymise(cli, {"631", D("2023-01-01"), false});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->cases.empty());
}

TEST_P(PrivacyServiceTest, RetentionSettingGivesTheCutOffAndRolesAreChecked) {
  const Caller cli = Caller::Cli("test");
  auto none = Svc().Anonymise(cli, {"974", std::nullopt, true});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message_id, "privacy.no_retention");
  ASSERT_TRUE(Svc().SetRetention(cli, "974", 4));
  auto y = PrivacyOf(*store_)->RetentionYears("974");
  ASSERT_TRUE(y);
  EXPECT_EQ(**y, 4);
  auto r = Svc().Anonymise(cli, {"974", std::nullopt, true});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->before, D("2022-06-01"));
  for (const RetentionCase& c : r->cases) {
    if (c.closed_on) EXPECT_LT(*c.closed_on, D("2022-06-01"));
  }
  User med;
  med.name = "med";
  med.role = Role::kMediator;
  med.organismes = {"631"};
  EXPECT_FALSE(Svc().SetRetention(Caller::OfUser(med), "631", 3));
  EXPECT_FALSE(Svc().Anonymise(Caller::OfUser(med), {"631", D("2023-01-01"), false}));
  EXPECT_FALSE(Svc().SetRetention(cli, "631", 0));
}

TEST_P(PrivacyServiceTest, PurgeFreezesTheFiguresThenDeletes) {
  const auto before = AllFigures();
  const Caller cli = Caller::Cli("test");
  ASSERT_TRUE(Svc().Anonymise(cli, {"631", D("2023-01-01"), false}));
  ASSERT_TRUE(Svc().Anonymise(cli, {"974", D("2022-06-01"), false}));
  auto anon = PrivacyOf(*store_)->AnonymisedCases("");
  ASSERT_TRUE(anon);
  ASSERT_FALSE(anon->empty());
  auto p = Svc().Purge(cli, "");
  ASSERT_TRUE(p) << ToString(p.error());
  EXPECT_EQ(p->cases, static_cast<int64_t>(anon->size()));
  EXPECT_FALSE(p->frozen.empty());
  for (const RetentionCase& c : *anon) {
    EXPECT_FALSE(store_->GetCase(Actor::System(), c.reference));
  }
  EXPECT_EQ(AllFigures(), before);
  // Frozen rows hold the §8 JSON as it was served.
  auto row = PrivacyOf(*store_)->FrozenFiguresOf(p->frozen[0].first, p->frozen[0].second);
  ASSERT_TRUE(row && *row);
  EXPECT_NE((*row)->figures_json.find("\"by_channel\""), std::string::npos);
  // The years side by side still list the frozen years (figures/years.h).
  auto frozen_years = PrivacyOf(*store_)->FrozenFundYears();
  ASSERT_TRUE(frozen_years);
  EXPECT_EQ(frozen_years->size(), p->frozen.size());
  auto years = YearsWithCases(*store_, {});
  ASSERT_TRUE(years);
  for (const auto& [fund, year] : p->frozen) {
    EXPECT_NE(std::find(years->begin(), years->end(), year), years->end()) << year;
    const std::vector<std::string> one = {fund};
    auto of_fund = YearsWithCases(*store_, one);
    ASSERT_TRUE(of_fund);
    EXPECT_NE(std::find(of_fund->begin(), of_fund->end(), year), of_fund->end()) << fund;
  }
  // A second purge has nothing to do and freezes nothing again.
  auto p2 = Svc().Purge(cli, "");
  ASSERT_TRUE(p2);
  EXPECT_EQ(p2->cases, 0);
  EXPECT_TRUE(p2->frozen.empty());
}

TEST_P(PrivacyServiceTest, ExportAndRectification) {
  const Caller cli = Caller::Cli("test");
  auto j = Svc().ExportJson(cli, "631", "7710001");
  ASSERT_TRUE(j) << ToString(j.error());
  EXPECT_NE(j->find("Nom Secret 631-X-101"), std::string::npos);
  EXPECT_NE(j->find("Note secrète"), std::string::npos);
  EXPECT_NE(j->find("secret.pdf"), std::string::npos);
  auto pdf = Svc().ExportPdf(cli, "631", "7710001");
  ASSERT_TRUE(pdf) << ToString(pdf.error());
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  auto missing = Svc().ExportJson(cli, "631", "0000000");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message_id, "privacy.subject_unknown");

  ASSERT_TRUE(Svc().Rectify(cli, "631-X-101", "beneficiary.name", "Nom Rectifié", "Erreur"));
  ASSERT_TRUE(Svc().Rectify(cli, "631-X-101", "allocataire_number", "7719999", "Mauvais numéro"));
  auto h = store_->History(Actor::System(), "631-X-101");
  ASSERT_TRUE(h);
  int rect = 0;
  for (const CaseEvent& e : *h) {
    if (e.kind != "rectification") continue;
    ++rect;
    ASSERT_EQ(e.changes.size(), 1u);
    EXPECT_NE(e.detail.find("motif"), std::string::npos);
  }
  EXPECT_EQ(rect, 2);
  EXPECT_EQ(store_->GetCase(Actor::System(), "631-X-101")->allocataire_number, "7719999");
  EXPECT_FALSE(Svc().Rectify(cli, "631-X-101", "resolution", "revisee", "x"));
  EXPECT_FALSE(Svc().Rectify(cli, "631-X-101", "beneficiary.name", "X", ""));
}

TEST_P(PrivacyServiceTest, PublicTextsDefaultAndPerFund) {
  const Caller cli = Caller::Cli("test");
  auto d = Svc().PublicTextOf("631", "accessibilite");
  ASSERT_TRUE(d);
  EXPECT_NE(d->find("RGAA"), std::string::npos);
  EXPECT_NE(d->find("Caf du Puy-de-Dôme"), std::string::npos);
  ASSERT_TRUE(Svc().SavePublicText(cli, "631", "accessibilite", "Texte propre"));
  EXPECT_EQ(*Svc().PublicTextOf("631", "accessibilite"), "Texte propre");
  EXPECT_NE(Svc().PublicTextOf("974", "accessibilite")->find("RGAA"), std::string::npos);
  ASSERT_TRUE(Svc().SavePublicText(cli, "631", "accessibilite", ""));
  EXPECT_NE(Svc().PublicTextOf("631", "accessibilite")->find("RGAA"), std::string::npos);
  EXPECT_FALSE(Svc().SavePublicText(cli, "631", "autre", "x"));
}

INSTANTIATE_TEST_SUITE_P(Engines, PrivacyServiceTest, ::testing::Values("sqlite", "postgresql"));

// The complete form round-trips, and merging funds gives the figures of the
// union to the last bit.
TEST(FrozenFiguresTest, RoundTripAndMergeAreExact) {
  std::vector<Case> cases;
  for (int i = 0; i < 300; ++i) {
    Case c;
    c.reference = "R" + std::to_string(i);
    c.organisme = i % 3 == 0 ? "631" : (i % 3 == 1 ? "671" : "974");
    c.received_on = Date::FromCivil(2025, 1 + i % 12, 1 + i % 27);
    c.admissibility = i % 7 == 0 ? "irrecevable" : "recevable";
    c.channel = i % 2 ? "courriel" : "teleprocedure";
    c.resolution = i % 3 ? "revisee" : "confirmee";
    if (i % 7) {
      c.taken_in_charge_on = c.received_on + (i % 13);
      c.answered_on = c.received_on + (3 + i % 31);
      if (i % 5) c.closed_on = c.received_on + (5 + i % 40);
    }
    c.internal_requests = std::vector<InternalRequestDates>{{c.received_on + 1, c.received_on + (2 + i % 9)}};
    c.financial = std::vector<FinancialLine>{{"rappel", 1000 + 7 * i}};
    cases.push_back(c);
  }
  std::map<std::string, WorkCalendar> cal{{"631", {Zone::kMetropole, false}},
                                          {"671", {Zone::kAlsaceMoselle, false}},
                                          {"974", {Zone::kReunion, false}}};
  const Date as_of = D("2026-01-15");
  for (int year : {2025, 2026}) {
    const YearFigures all = ComputeFigures(cases, cal, {}, year, as_of);
    std::vector<YearFigures> parts;
    for (const char* o : {"631", "671", "974"}) {
      YearFigures f = ComputeFigures(cases, cal, {o}, year, as_of);
      auto back = FrozenStateFromJson(FrozenStateToJson(f));
      ASSERT_TRUE(back);
      EXPECT_EQ(FiguresToJson(*back), FiguresToJson(f));
      parts.push_back(*back);
    }
    EXPECT_EQ(FiguresToJson(MergeFigures(parts, {"631", "671", "974"}, year, as_of)),
              FiguresToJson(all));
    // One fund frozen, the two others computed.
    std::vector<FrozenFiguresRow> frozen{{"671", year, "", FrozenStateToJson(parts[1]), ""}};
    std::vector<Case> without;
    for (const Case& c : cases) {
      if (c.organisme != "671") without.push_back(c);
    }
    auto mixed = FiguresWithFrozen(without, cal, frozen, {}, year, as_of);
    ASSERT_TRUE(mixed);
    EXPECT_EQ(FiguresToJson(*mixed), FiguresToJson(all));
  }
}

}  // namespace
}  // namespace amiable::service
