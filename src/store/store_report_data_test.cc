// What the report stores beside the cases (migration 20, sql_report_data.cc):
// texts, aggregates with their source, the figures cache against
// DataVersion(), branding, context figures, deployment settings, and who may
// write them. Same suite on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <string>

#include "store/report_data.h"
#include "store/store_test_util.h"

namespace amiable {
namespace {

Actor MediatorOf(std::string code, std::string name = "marie") {
  Actor a;
  a.user = std::move(name);
  a.role = Role::kMediator;
  a.all_funds = false;
  a.organismes = {std::move(code)};
  return a;
}

Actor WithRole(Role r, bool all_funds, std::string name) {
  Actor a;
  a.user = std::move(name);
  a.role = r;
  a.all_funds = all_funds;
  if (!all_funds) a.organismes = {"631"};
  return a;
}

Error::Code CodeOf(const Status& s) { return s ? Error::Code::kInternal : s.error().code; }

const std::string kPng =
    std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\x01\xff\xfe IHDR", 9);
const std::string kJpeg = std::string("\xff\xd8\xff\xe0", 4) + std::string("\0JFIF\0\x80\x7f", 8);

class StoreReportDataTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-store-report-data-test"));
    for (const char* code : {"631", "671"}) {
      ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {code, "Caf", "metropole", "", false}));
    }
    data_ = ReportDataOf(*store_);
    ASSERT_NE(data_, nullptr);
  }
  ReportDataStore* data_ = nullptr;
  const Actor admin_ = Actor::System("cli:root");
};

TEST_P(StoreReportDataTest, TextsArePutReadListedAndDeletedByAnEmptyBody) {
  const Actor marie = MediatorOf("631");
  auto none = data_->GetReportText("631", 2025, "editorial");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  ASSERT_TRUE(data_->PutReportText(marie, {"631", 2025, "editorial", "Une année **apaisée**."}));
  ASSERT_TRUE(data_->PutReportText(marie, {"631", 2025, "plan", "Plan 2026"}));
  ASSERT_TRUE(data_->PutReportText(marie, {"631", 2024, "plan", "Plan 2025"}));
  ASSERT_TRUE(data_->PutReportText(marie, {"631", 2025, "editorial", "Une année calme."}));
  auto got = data_->GetReportText("631", 2025, "editorial");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->body, "Une année calme.");
  EXPECT_EQ((*got)->updated_by, "marie");
  EXPECT_FALSE((*got)->updated_at.empty());
  auto list = data_->ReportTexts("631", 2025);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].section, "editorial");
  EXPECT_EQ((*list)[1].section, "plan");
  EXPECT_EQ((*list)[1].body, "Plan 2026");

  ASSERT_TRUE(data_->PutReportText(marie, {"631", 2025, "editorial", ""}));
  got = data_->GetReportText("631", 2025, "editorial");
  ASSERT_TRUE(got);
  EXPECT_FALSE(*got);
  list = data_->ReportTexts("631", 2025);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 1u);
  auto other_year = data_->GetReportText("631", 2024, "plan");
  ASSERT_TRUE(other_year && *other_year);
  EXPECT_EQ((*other_year)->body, "Plan 2025");
}

TEST_P(StoreReportDataTest, AggregatesAreReplacedListedDeletedAndKeepTheirSource) {
  const Actor nat = WithRole(Role::kNational, true, "pole");
  ASSERT_TRUE(data_->PutAggregateRow(nat, {"national_pole", "all", 2025, "imported", "{\"a\":1}"}));
  ASSERT_TRUE(data_->PutAggregateRow(nat, {"national_pole", "all", 2025, "typed", "{\"a\":2}"}));
  ASSERT_TRUE(data_->PutAggregateRow(nat, {"all_funds", "all", 2025, "typed", "{\"b\":1}"}));
  ASSERT_TRUE(data_->PutAggregateRow(admin_, {"fund", "631", 2024, "imported", "{\"c\":1}"}));
  auto pole = data_->FindAggregateRow("national_pole", "all", 2025);
  ASSERT_TRUE(pole && *pole);
  EXPECT_EQ((*pole)->body, "{\"a\":2}") << "replaced";
  EXPECT_EQ((*pole)->source, "typed");
  EXPECT_EQ((*pole)->updated_by, "pole");
  auto y2025 = data_->AggregateRows(2025);
  ASSERT_TRUE(y2025);
  ASSERT_EQ(y2025->size(), 2u);
  EXPECT_EQ((*y2025)[0].scope, "all_funds");
  EXPECT_EQ((*y2025)[1].scope, "national_pole");
  auto all = data_->AggregateRows(0);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].year, 2024);
  EXPECT_EQ((*all)[0].fund_set, "631");
  EXPECT_EQ((*all)[0].source, "imported");

  ASSERT_TRUE(data_->DeleteAggregateRow(nat, "national_pole", "all", 2025));
  pole = data_->FindAggregateRow("national_pole", "all", 2025);
  ASSERT_TRUE(pole);
  EXPECT_FALSE(*pole);
  all = data_->AggregateRows(0);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
}

TEST_P(StoreReportDataTest, CacheHitsMissesAndIsInvalidatedByACaseWrite) {
  EXPECT_FALSE(data_->GetCachedFiguresJson("all_funds_current", "k"));
  auto v0 = data_->DataVersion();
  ASSERT_TRUE(v0);
  data_->PutCachedFiguresJson("all_funds_current", *v0, "{\"closed\":3}");
  auto hit = data_->GetCachedFiguresJson("all_funds_current", *v0);
  ASSERT_TRUE(hit);
  EXPECT_EQ(*hit, "{\"closed\":3}");
  EXPECT_FALSE(data_->GetCachedFiguresJson("all_funds_previous", *v0)) << "another slot";
  auto again = data_->DataVersion();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *v0) << "no write, same version";

  // A new case: a new version, the old entry is not what the new key finds.
  ASSERT_TRUE(store_->CreateCase(admin_, TestCase("631-2025-0001", "631", "2025-03-03"), {}));
  auto v1 = data_->DataVersion();
  ASSERT_TRUE(v1);
  EXPECT_NE(*v1, *v0);
  EXPECT_FALSE(data_->GetCachedFiguresJson("all_funds_current", *v1));
  data_->PutCachedFiguresJson("all_funds_current", *v1, "{\"closed\":4}");
  EXPECT_FALSE(data_->GetCachedFiguresJson("all_funds_current", *v0)) << "one key per slot";

  // An update of the case changes it too.
  auto c = store_->GetCase(admin_, "631-2025-0001");
  ASSERT_TRUE(c);
  c->channel = "courrier";
  ASSERT_TRUE(store_->UpdateCase(admin_, *c, {0, "", "m", "update", "canal"}));
  auto v2 = data_->DataVersion();
  ASSERT_TRUE(v2);
  EXPECT_NE(*v2, *v1);
  EXPECT_FALSE(data_->GetCachedFiguresJson("all_funds_current", *v2));
}

TEST_P(StoreReportDataTest, BrandingSniffsPngAndJpegCapsTheSizeChecksTheColourKeepsTheBytes) {
  const Actor mediator = MediatorOf("631");
  EXPECT_EQ(CodeOf(data_->PutBranding(mediator, {"631", "", kPng, ""})), Error::Code::kForbidden)
      << "a mediator does not change the fund's image";
  Actor marie = MediatorOf("631");  // the fund's manager
  marie.role = Role::kManager;
  ASSERT_TRUE(data_->PutBranding(marie, {"631", "", kPng, "#1f5FA8"}));
  auto b = data_->GetBranding("631");
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->logo_type, "image/png");
  EXPECT_EQ((*b)->logo, kPng) << "bytes round-trip (NUL and high bytes)";
  EXPECT_EQ((*b)->colour, "#1f5FA8");
  EXPECT_EQ((*b)->updated_by, "marie");

  ASSERT_TRUE(data_->PutBranding(marie, {"631", "image/png", kJpeg, ""}));
  b = data_->GetBranding("631");
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->logo_type, "image/jpeg") << "sniffed, not what the caller said";
  EXPECT_EQ((*b)->logo, kJpeg);
  EXPECT_EQ((*b)->colour, "");

  std::string big = kPng;
  big.resize(kMaxLogoBytes + 1, 'x');
  std::string at_cap = kPng;
  at_cap.resize(kMaxLogoBytes, '\xff');
  ASSERT_TRUE(data_->PutBranding(marie, {"631", "", at_cap, ""}));
  b = data_->GetBranding("631");
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->logo, at_cap);

  auto refused = [&](const FundBranding& x) {
    Status s = data_->PutBranding(marie, x);
    EXPECT_FALSE(s);
    return s ? std::string("ok") : s.error().field;
  };
  EXPECT_EQ(refused({"631", "", big, ""}), "logo");
  EXPECT_EQ(refused({"631", "", "GIF89a......", ""}), "logo");
  EXPECT_EQ(refused({"631", "", "", "#12345G"}), "colour");
  EXPECT_EQ(refused({"631", "", "", "1F5FA8"}), "colour");
  EXPECT_EQ(refused({"631", "", "", "#1F5FA"}), "colour");
  b = data_->GetBranding("631");
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->logo, at_cap) << "a refused write changes nothing";

  EXPECT_EQ(CodeOf(data_->PutBranding(marie, {"671", "", kPng, ""})), Error::Code::kForbidden);
  EXPECT_FALSE(data_->PutBranding(admin_, {"999", "", kPng, ""})) << "unknown fund";
  auto none = data_->GetBranding("671");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(StoreReportDataTest, ContextFiguresKeepTheirNullsAndAreChecked) {
  const Actor marie = MediatorOf("631");
  ContextFigures c;
  c.fund_set = "631";
  c.year = 2025;
  c.beneficiaries = 133331;
  c.complaints = 27149;
  c.complaints_within_10_days_rate = 0.875;
  c.source = "Cnaf, données au 30 juin";
  ASSERT_TRUE(data_->PutContextFigures(marie, c));
  auto got = data_->GetContextFigures("631", 2025);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->beneficiaries, 133331);
  EXPECT_FALSE((*got)->national_beneficiaries);
  EXPECT_FALSE((*got)->all_funds_requests);
  EXPECT_EQ((*got)->complaints, 27149);
  ASSERT_TRUE((*got)->complaints_within_10_days_rate);
  EXPECT_DOUBLE_EQ(*(*got)->complaints_within_10_days_rate, 0.875);
  EXPECT_FALSE((*got)->complaints_mean_days);
  EXPECT_EQ((*got)->source, "Cnaf, données au 30 juin");
  EXPECT_EQ((*got)->updated_by, "marie");

  c.beneficiaries.reset();  // replaced whole: a value taken away is null again
  c.national_beneficiaries = 12945000;
  c.complaints_mean_days = 6.5;
  ASSERT_TRUE(data_->PutContextFigures(marie, c));
  got = data_->GetContextFigures("631", 2025);
  ASSERT_TRUE(got && *got);
  EXPECT_FALSE((*got)->beneficiaries);
  EXPECT_EQ((*got)->national_beneficiaries, 12945000);
  ASSERT_TRUE((*got)->complaints_mean_days);
  EXPECT_DOUBLE_EQ(*(*got)->complaints_mean_days, 6.5);

  ContextFigures bad = c;
  bad.complaints = -1;
  Status s = data_->PutContextFigures(marie, bad);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().field, "complaints");
  bad = c;
  bad.complaints_within_10_days_rate = 1.5;
  s = data_->PutContextFigures(marie, bad);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().field, "complaints_within_10_days_rate");
  bad = c;
  bad.fund_set = "671";
  EXPECT_EQ(CodeOf(data_->PutContextFigures(marie, bad)), Error::Code::kForbidden);
  auto none = data_->GetContextFigures("631", 2024);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(StoreReportDataTest, SettingsAreForAdministratorsOnly) {
  for (const Actor& a : {MediatorOf("631"), WithRole(Role::kManager, false, "chef"),
                         WithRole(Role::kNational, true, "pole"),
                         WithRole(Role::kAdministrator, false, "admin631")}) {
    EXPECT_EQ(CodeOf(data_->SetSetting(a, kSettingNational, "1")), Error::Code::kForbidden)
        << a.user;
  }
  auto none = data_->GetSetting(kSettingNational);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  ASSERT_TRUE(data_->SetSetting(admin_, kSettingNational, "1"));
  ASSERT_TRUE(data_->SetSetting(admin_, kSettingNationalPole, "671"));
  ASSERT_TRUE(data_->SetSetting(admin_, kSettingNationalPole, "631"));
  auto pole = data_->GetSetting(kSettingNationalPole);
  ASSERT_TRUE(pole && *pole);
  EXPECT_EQ(**pole, "631");
  ASSERT_TRUE(data_->SetSetting(admin_, kSettingNational, ""));
  none = data_->GetSetting(kSettingNational);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none) << "an empty value deletes";
}

TEST_P(StoreReportDataTest, AMediatorWritesOnlyHerFundsAndTheNationalRoleOnlyNationalFigures) {
  const Actor marie = MediatorOf("631");
  const Actor nat = WithRole(Role::kNational, true, "pole");
  const Actor reader = WithRole(Role::kStatisticsReader, false, "stat");
  EXPECT_EQ(CodeOf(data_->PutReportText(marie, {"671", 2025, "editorial", "x"})),
            Error::Code::kForbidden);
  EXPECT_EQ(CodeOf(data_->PutReportText(marie, {"631+671", 2025, "editorial", "x"})),
            Error::Code::kForbidden);
  EXPECT_EQ(CodeOf(data_->PutReportText(marie, {"all", 2025, "editorial", "x"})),
            Error::Code::kForbidden);
  EXPECT_EQ(CodeOf(data_->PutReportText(reader, {"631", 2025, "editorial", "x"})),
            Error::Code::kForbidden);
  EXPECT_EQ(CodeOf(data_->PutReportText(nat, {"631", 2025, "editorial", "x"})),
            Error::Code::kForbidden)
      << "the national role does not write a fund's texts";
  EXPECT_EQ(CodeOf(data_->PutAggregateRow(marie, {"national_pole", "all", 2025, "typed", "{}"})),
            Error::Code::kForbidden);
  EXPECT_EQ(CodeOf(data_->PutAggregateRow(marie, {"all_funds", "all", 2025, "typed", "{}"})),
            Error::Code::kForbidden);
  EXPECT_EQ(CodeOf(data_->PutAggregateRow(marie, {"fund", "671", 2025, "typed", "{}"})),
            Error::Code::kForbidden);
  ASSERT_TRUE(data_->PutAggregateRow(nat, {"all_funds", "all", 2025, "typed", "{}"}));
  EXPECT_EQ(CodeOf(data_->DeleteAggregateRow(marie, "all_funds", "all", 2025)),
            Error::Code::kForbidden);
  auto rows = data_->AggregateRows(0);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u) << "nothing written by the refused calls";
  EXPECT_EQ((*rows)[0].updated_by, "pole");
  auto texts = data_->ReportTexts("671", 2025);
  ASSERT_TRUE(texts);
  EXPECT_TRUE(texts->empty());

  // Her own fund and her own fund aggregate: allowed.
  ASSERT_TRUE(data_->PutReportText(marie, {"631", 2025, "editorial", "x"}));
  ASSERT_TRUE(data_->PutAggregateRow(marie, {"fund", "631", 2024, "typed", "{}"}));
  Actor both = MediatorOf("631");
  both.organismes.push_back("671");
  ASSERT_TRUE(data_->PutReportText(both, {"631+671", 2025, "editorial", "y"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreReportDataTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable
