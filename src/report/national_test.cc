// The national report (report/national.h): the pole left out of all funds,
// every fund's figures and the nation's equal to ComputeFigures of the same
// funds (the figures of `amiable stats`), quantiles, and the model's
// sections (the register empty, unreadable, or gathered by theme).
#include <gtest/gtest.h>

#include <algorithm>

#include "figures/figures.h"
#include "intake/synthetic.h"
#include "report/national.h"
#include "report/writers.h"
#include "store/store_test_util.h"

namespace amiable::report {
namespace {

TEST(NationalQuantile, InterpolatesBetweenRanksLikeSpreadsheets) {
  const std::vector<double> v = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(Quantile(v, 0), 1);
  EXPECT_DOUBLE_EQ(Quantile(v, 1), 4);
  EXPECT_DOUBLE_EQ(Quantile(v, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(Quantile(v, 0.25), 1.75);  // PERCENTILE.INC({1,2,3,4}; 0,25)
  EXPECT_DOUBLE_EQ(Quantile({7}, 0.9), 7);
  const Spread s = SpreadOf("x", ValueKind::kDays, {5, 1, 4, 2, 3});
  EXPECT_EQ(s.funds, 5);
  EXPECT_DOUBLE_EQ(*s.min, 1);
  EXPECT_DOUBLE_EQ(*s.max, 5);
  EXPECT_DOUBLE_EQ(*s.median, 3);
  ASSERT_EQ(s.deciles.size(), 9u);
  EXPECT_DOUBLE_EQ(*s.d1, 1.4);
  EXPECT_DOUBLE_EQ(*s.d9, 4.6);
  const Spread none = SpreadOf("x", ValueKind::kDays, {});
  EXPECT_EQ(none.funds, 0);
  EXPECT_FALSE(none.median);
  EXPECT_TRUE(none.deciles.empty());
}

TEST(NationalYearly, AddsTheFourQuarters) {
  YearFigures f;
  f.quarterly_take_charge[0].met = 3;
  f.quarterly_take_charge[0].missed = 1;
  f.quarterly_take_charge[2].met = 5;
  f.quarterly_take_charge[3].missed = 2;
  f.quarterly_take_charge[3].pending = 9;  // left out
  const CountRatio r = YearlyTakeCharge(f);
  EXPECT_EQ(r.num, 8);
  EXPECT_EQ(r.den, 11);
}

class NationalTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-national-test"));
    std::vector<Case> cases;
    for (const SyntheticFund& f : FrenchFunds(5, 3)) {
      ASSERT_TRUE(store_->UpsertOrganisme(sys_, f.organisme));
      codes_.push_back(f.organisme.code);
      SyntheticSpec spec;
      spec.seed = 7;
      spec.organisme = f.organisme.code;
      spec.from = Date::FromCivil(2024, 1, 1);
      spec.until = Date::FromCivil(2025, 12, 31);
      spec.cases_per_year = static_cast<int>(80 * f.weight);
      ASSERT_TRUE(GenerateCases(spec, &cases));
    }
    std::sort(codes_.begin(), codes_.end());
    ASSERT_TRUE(store_->ImportCases(sys_, cases));
    for (auto [name, fund] : {std::pair{"m1", codes_[0]}, std::pair{"m2", codes_[0]},
                              std::pair{"m3", codes_[1]}}) {
      User u;
      u.name = name;
      u.role = Role::kMediator;
      u.organismes = {fund};
      ASSERT_TRUE(store_->CreateUser(u));
    }
  }
  Result<NationalInputs> Gather() { return GatherNational(*store_, 2025, as_of_, as_of_, sys_); }

  Actor sys_ = Actor::System();
  Date as_of_ = Date::FromCivil(2026, 1, 31);
  std::vector<std::string> codes_;
};

TEST_F(NationalTest, WithoutAPoleEveryFundIsInAllFunds) {
  auto all = AllFundsExceptNationalPole(*store_);
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, codes_);
  auto in = Gather();
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_FALSE(in->pole);
  EXPECT_EQ(in->funds.size(), codes_.size());
  auto direct = ComputeFigures(*store_, {}, 2025, as_of_);
  ASSERT_TRUE(direct);
  EXPECT_EQ(FiguresToJson(in->all_funds), FiguresToJson(*direct));
}

TEST_F(NationalTest, ThePoleIsApartAndEveryFigureIsThatOfStats) {
  ReportDataStore* data = ReportDataOf(*store_);
  ASSERT_NE(data, nullptr);
  const std::string pole = codes_[2];
  ASSERT_TRUE(data->SetSetting(sys_, kSettingNationalPole, pole));
  auto pole_code = NationalPole(*store_);
  ASSERT_TRUE(pole_code);
  EXPECT_EQ(**pole_code, pole);
  auto all = AllFundsExceptNationalPole(*store_);
  ASSERT_TRUE(all);
  std::vector<std::string> expected = codes_;
  expected.erase(std::find(expected.begin(), expected.end(), pole));
  EXPECT_EQ(*all, expected);

  auto in = Gather();
  ASSERT_TRUE(in) << in.error().message;
  ASSERT_TRUE(in->pole);
  EXPECT_EQ(in->pole->fund.code, pole);
  ASSERT_EQ(in->funds.size(), expected.size());
  for (const FundYear& f : in->funds) {
    EXPECT_NE(f.fund.code, pole);
    auto one = ComputeFigures(*store_, {f.fund.code}, 2025, as_of_);
    ASSERT_TRUE(one);
    EXPECT_EQ(FiguresToJson(f.current), FiguresToJson(*one)) << f.fund.code;
    auto prev = ComputeFigures(*store_, {f.fund.code}, 2024, as_of_);
    ASSERT_TRUE(prev);
    EXPECT_EQ(FiguresToJson(f.previous), FiguresToJson(*prev)) << f.fund.code;
  }
  auto nation = ComputeFigures(*store_, expected, 2025, as_of_);
  ASSERT_TRUE(nation);
  EXPECT_EQ(FiguresToJson(in->all_funds), FiguresToJson(*nation));
  auto nation_prev = ComputeFigures(*store_, expected, 2024, as_of_);
  ASSERT_TRUE(nation_prev);
  EXPECT_EQ(FiguresToJson(in->all_funds_previous), FiguresToJson(*nation_prev));
  EXPECT_EQ(in->funds[0].mediators, 2);
  EXPECT_EQ(in->mediators, 3);
}

const Section* Find(const ReportModel& m, std::string_view id) {
  for (const Section& s : m.sections) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::string AllText(const Section& s) {
  std::string out;
  for (const Block& b : s.blocks) out += b.text + "\n";
  for (const Table& t : s.tables) {
    out += t.caption + "\n";
    for (const auto& row : t.rows) {
      for (const Cell& c : row) out += c.Display() + "|";
      out += "\n";
    }
  }
  return out;
}

TEST_F(NationalTest, TheModelHasEverySectionAndRendersInEveryFormat) {
  ASSERT_TRUE(ReportDataOf(*store_)->SetSetting(sys_, kSettingNationalPole, codes_[2]));
  auto in = Gather();
  ASSERT_TRUE(in);
  // Whatever the register says now, the assembly of both cases is tested.
  in->register_error.clear();
  in->recommendations.clear();
  const ReportModel m = AssembleNationalReport(*in);
  for (const char* id :
       {"network", "key_figures", "regions", "funds", "spread", "recommendations", "method"}) {
    EXPECT_NE(Find(m, id), nullptr) << id;
  }
  const Section* funds = Find(m, "funds");
  ASSERT_NE(funds, nullptr);
  ASSERT_GE(funds->tables.size(), 2u);
  EXPECT_EQ(funds->tables[0].DataRows(), in->funds.size()) << "one row per fund, pole apart";
  EXPECT_EQ(funds->tables[1].header.size(), 7u) << "fund, T1-T4, year, target";
  const std::string rec = AllText(*Find(m, "recommendations"));
  EXPECT_NE(rec.find("Aucune préconisation enregistrée"), std::string::npos) << rec;
  const Section* spread = Find(m, "spread");
  ASSERT_NE(spread, nullptr);
  ASSERT_FALSE(spread->charts.empty());
  EXPECT_EQ(spread->charts[0].type, ChartType::kBox);

  auto pdf = RenderPdf(m);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  auto xlsx = RenderXlsx(m);
  ASSERT_TRUE(xlsx) << xlsx.error().message;
  const std::string html = RenderHtml(m);
  EXPECT_NE(html.find("Rapport national"), std::string::npos);
  const std::string csv = RenderCsv(m);
  EXPECT_NE(csv.find("key_figures;all.received;"), std::string::npos);
}

TEST_F(NationalTest, RecommendationsAreGatheredByThemeAndAnUnreadableRegisterSaysSo) {
  auto in = Gather();
  ASSERT_TRUE(in);
  in->register_error.clear();
  in->themes = {{"acces", "Accès aux droits", 2, true}, {"delais", "Délais", 1, true}};
  Recommendation a;
  a.organisme = codes_[0];
  a.year = 2025;
  a.theme = "acces";
  a.text = "Simplifier le formulaire";
  a.addressed_to = "Cnaf";
  Recommendation b = a;
  b.organisme = codes_[1];
  b.theme = "delais";
  b.text = "Répondre sous 30 jours";
  b.status = "acceptee";
  in->recommendations = {a, b};
  ReportModel m = AssembleNationalReport(*in);
  const Section* s = Find(m, "recommendations");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->tables.size(), 2u);
  EXPECT_EQ(s->tables[0].caption, "Délais") << "themes in their order";
  EXPECT_EQ(s->tables[1].caption, "Accès aux droits");
  EXPECT_EQ(s->tables[0].rows[0][4].text, "Acceptée");
  EXPECT_EQ(s->tables[1].rows[0][2].text, "Simplifier le formulaire");

  in->register_error = "Le registre des préconisations n'a pas pu être lu.";
  m = AssembleNationalReport(*in);
  s = Find(m, "recommendations");
  ASSERT_NE(s, nullptr);
  ASSERT_FALSE(s->blocks.empty());
  EXPECT_EQ(s->blocks[0].kind, Block::Kind::kWarning);
  EXPECT_TRUE(s->tables.empty());
}

TEST(NationalAccess, OnlyTheNationalRoleAndAdministratorsReadIt) {
  for (Role r : kAllRoles) {
    Actor a;
    a.role = r;
    EXPECT_EQ(MayReadNationalReport(a), r == Role::kNational || r == Role::kAdministrator)
        << RoleCode(r);
  }
}

}  // namespace
}  // namespace amiable::report
