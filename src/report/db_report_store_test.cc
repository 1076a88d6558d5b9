// DbReportStore over the database (both engines): texts, aggregates with
// their source, the figures cache keyed by the data version (the report
// fills it and a case write makes it miss), the store's authorization, and
// the one-time import of a legacy report directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "report/aggregate.h"
#include "report/report.h"
#include "report/report_store.h"
#include "store/report_data.h"
#include "store/store_test_util.h"

namespace amiable::report {
namespace {
namespace fs = std::filesystem;

Actor MediatorOf631() {
  Actor a;
  a.user = "marie";
  a.role = Role::kMediator;
  a.all_funds = false;
  a.organismes = {"631"};
  return a;
}

// Figures told apart by `received` (the closed cases stay 0: their breakdowns
// would have to add up).
Aggregate Figures(AggregateScope scope, int year, std::vector<std::string> orgs, int64_t received) {
  Aggregate a;
  a.scope = scope;
  a.figures.year = year;
  a.figures.organismes = std::move(orgs);
  a.figures.received = received;
  a.figures.monthly_received[2] = received;
  a.figures.delays.take_charge_working_days_avg = 3.25;
  a.exported_on = "2026-01-31";
  return a;
}

class DbReportStoreTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-db-report-store-test"));
    for (const char* code : {"631", "671"}) {
      ASSERT_TRUE(store_->UpsertOrganisme(sys_, {code, "Caf", "metropole", "84", false}));
    }
    data_ = ReportDataOf(*store_);
    ASSERT_NE(data_, nullptr);
    files_ = fs::temp_directory_path() /
             ("amiable-db-report-files-" + std::to_string(::getpid()) + "-" + GetParam());
    fs::remove_all(files_);
    fs::remove_all(files_.string() + ".imported");
    fs::remove_all(files_.string() + ".imported.2");
  }
  void TearDown() override {
    fs::remove_all(files_);
    fs::remove_all(files_.string() + ".imported");
    fs::remove_all(files_.string() + ".imported.2");
    StoreEngineTest::TearDown();
  }
  void AddClosedCase(const std::string& ref, const std::string& org) {
    Case c = TestCase(ref, org, "2025-03-03");
    c.taken_in_charge_on = *Date::Parse("2025-03-05");
    c.answered_on = *Date::Parse("2025-03-20");
    c.closed_on = *Date::Parse("2025-03-21");
    c.resolution = "confirmee";
    c.cause = "pas_erreur_caf";
    ASSERT_TRUE(store_->CreateCase(sys_, c, {}));
  }

  Actor sys_ = Actor::System("cli:root");
  ReportDataStore* data_ = nullptr;
  fs::path files_;
};

TEST_P(DbReportStoreTest, TextsArePutReadAndRemovedByABlankText) {
  DbReportStore db(*data_, MediatorOf631());
  auto none = db.GetText("631", 2025, TextSection::kEditorial);
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, "");
  ASSERT_TRUE(db.PutText("631", 2025, TextSection::kEditorial, "Une année **apaisée**."));
  const std::string hl = HighlightsToJson(std::vector<Highlight>{{"Communication", "mars", "x"}});
  ASSERT_TRUE(db.PutText("631", 2025, TextSection::kHighlights, hl));
  EXPECT_EQ(*db.GetText("631", 2025, TextSection::kEditorial), "Une année **apaisée**.");
  EXPECT_EQ(*db.GetText("631", 2025, TextSection::kHighlights), hl);
  auto row = data_->GetReportText("631", 2025, "editorial");
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->updated_by, "marie") << "written as the actor";

  ASSERT_TRUE(db.PutText("631", 2025, TextSection::kEditorial, " \n\t"));
  EXPECT_EQ(*db.GetText("631", 2025, TextSection::kEditorial), "");
  row = data_->GetReportText("631", 2025, "editorial");
  ASSERT_TRUE(row);
  EXPECT_FALSE(*row) << "a blank text removes the row";

  auto bad_hl = db.PutText("631", 2025, TextSection::kHighlights, "[1]");
  ASSERT_FALSE(bad_hl);
  EXPECT_EQ(bad_hl.error().code, Error::Code::kInvalid);
  EXPECT_EQ(*db.GetText("631", 2025, TextSection::kHighlights), hl) << "unchanged";
  EXPECT_EQ(db.PutText("63/1", 2025, TextSection::kPlan, "x").error().code, Error::Code::kInvalid);
  EXPECT_EQ(db.PutText("631", 1800, TextSection::kPlan, "x").error().code, Error::Code::kInvalid);
  auto other = db.PutText("671", 2025, TextSection::kPlan, "x");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Error::Code::kForbidden);
}

TEST_P(DbReportStoreTest, AggregatesRoundTripWithTheirSourceAndAreListedAndDeleted) {
  DbReportStore db(*data_, sys_);
  Aggregate pole = Figures(AggregateScope::kNationalPole, 2025, {}, 189);
  pole.source = "typed";
  ASSERT_TRUE(db.PutAggregate(pole));
  ASSERT_TRUE(db.PutAggregate(Figures(AggregateScope::kFund, 2024, {"671", "631"}, 120)));
  auto got = db.FindAggregate(AggregateScope::kNationalPole, 2025, {});
  ASSERT_TRUE(got) << ToString(got.error());
  ASSERT_TRUE(*got);
  EXPECT_EQ((*got)->source, "typed");
  EXPECT_EQ((*got)->figures.received, 189);
  EXPECT_EQ((*got)->figures.year, 2025);
  ASSERT_TRUE((*got)->figures.delays.take_charge_working_days_avg);
  EXPECT_DOUBLE_EQ(*(*got)->figures.delays.take_charge_working_days_avg, 3.25);
  EXPECT_EQ((*got)->exported_on, "2026-01-31");
  auto row = data_->FindAggregateRow("national_pole", "all", 2025);
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->source, "typed");
  auto parsed = AggregateFromJson((*row)->body);
  ASSERT_TRUE(parsed) << "the body is the aggregate file's JSON";
  EXPECT_EQ(parsed->figures.received, 189);

  auto fund = db.FindAggregate(AggregateScope::kFund, 2024, {"631", "671"});
  ASSERT_TRUE(fund && *fund) << "funds in any order";
  EXPECT_EQ((*fund)->source, "imported");
  EXPECT_EQ((*fund)->figures.received, 120);
  auto missing = db.FindAggregate(AggregateScope::kFund, 2024, {"631"});
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);

  auto all = db.ListAggregates(0);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].figures.year, 2024);
  EXPECT_EQ((*all)[1].scope, AggregateScope::kNationalPole);
  ASSERT_TRUE(db.DeleteAggregate(AggregateScope::kNationalPole, 2025));
  got = db.FindAggregate(AggregateScope::kNationalPole, 2025, {});
  ASSERT_TRUE(got);
  EXPECT_FALSE(*got);

  Aggregate odd = pole;
  odd.source = "computed";
  EXPECT_EQ(db.PutAggregate(odd).error().code, Error::Code::kInvalid) << "never stored";
  DbReportStore marie(*data_, MediatorOf631());
  EXPECT_EQ(marie.PutAggregate(pole).error().code, Error::Code::kForbidden);
  Actor nat;
  nat.user = "pole";
  nat.role = Role::kNational;
  DbReportStore national(*data_, nat);
  ASSERT_TRUE(national.PutAggregate(pole));
  ASSERT_TRUE(national.PutAggregate(Figures(AggregateScope::kAllFunds, 2025, {}, 24579)));
}

TEST_P(DbReportStoreTest, TheReportFillsTheCacheUnderTheDataVersionAndACaseWriteMissesIt) {
  AddClosedCase("631-2025-0001", "631");
  AddClosedCase("671-2025-0001", "671");
  // A national deployment: the all-funds column is computed from the cases.
  ASSERT_TRUE(data_->SetSetting(sys_, kSettingNational, "1"));
  DbReportStore db(*data_, sys_);
  const std::string token = db.DataToken();
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(db.DataToken(), token);
  ReportRequest r;
  r.organismes = {"631"};
  r.year = 2025;
  r.as_of = *Date::Parse("2026-01-31");
  r.generated_on = r.as_of;
  r.allow_incomplete = true;
  r.data_token = token;
  auto model = BuildReport(*store_, db, db, r);
  ASSERT_TRUE(model) << ToString(model.error());
  const std::string key = token + "|2025|631|671";  // the year and the funds computed
  auto cached = db.GetCachedFigures("all_funds_current", key);
  ASSERT_TRUE(cached) << "the all-funds comparison is cached in the database";
  EXPECT_EQ(cached->closed, 2);
  EXPECT_TRUE(db.GetCachedFigures("all_funds_previous", key));

  // A cached value is what the next report uses.
  YearFigures planted = *cached;
  planted.delays.answer_calendar_days_avg = 77.5;
  db.PutCachedFigures("all_funds_current", key, planted);
  auto read = db.GetCachedFigures("all_funds_current", key);
  ASSERT_TRUE(read);
  ASSERT_TRUE(read->delays.answer_calendar_days_avg);
  EXPECT_DOUBLE_EQ(*read->delays.answer_calendar_days_avg, 77.5);

  AddClosedCase("671-2025-0002", "671");
  const std::string after = db.DataToken();
  EXPECT_NE(after, token);
  EXPECT_FALSE(db.GetCachedFigures("all_funds_current", after + "|2025|631|671"));
  r.data_token = after;
  ASSERT_TRUE(BuildReport(*store_, db, db, r));
  cached = db.GetCachedFigures("all_funds_current", after + "|2025|631|671");
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->closed, 3) << "recomputed after the write";
  EXPECT_FALSE(db.GetCachedFigures("all_funds_current", key)) << "the old entry is gone";
}

void WriteFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

TEST_P(DbReportStoreTest, LegacyFilesAreImportedOnceThenTheDirectoryIsRenamed) {
  {
    FileReportStore legacy(files_.string());
    ASSERT_TRUE(legacy.PutText("631", 2025, TextSection::kEditorial, "Éditorial d'avant"));
    ASSERT_TRUE(legacy.PutText("631+671", 2024, TextSection::kPlan, "Plan commun"));
    ASSERT_TRUE(legacy.PutAggregate(Figures(AggregateScope::kNationalPole, 2025, {}, 189)));
    ASSERT_TRUE(legacy.PutAggregate(Figures(AggregateScope::kFund, 2024, {"631"}, 70)));
    legacy.PutCachedFigures("all_funds_current", "old-token",
                            Figures(AggregateScope::kFund, 2025, {}, 5).figures);
  }
  DbReportStore db(*data_, sys_);
  // The database already has the 2025 editorial of 631 (written since): kept.
  ASSERT_TRUE(db.PutText("631", 2025, TextSection::kEditorial, "Éditorial récent"));

  auto r = ImportReportFiles(*store_, sys_, files_.string() + "/");
  ASSERT_TRUE(r) << ToString(r.error());
  EXPECT_TRUE(r->found);
  EXPECT_EQ(r->texts, 1);
  EXPECT_EQ(r->aggregates, 2);
  EXPECT_EQ(r->kept, 1);
  EXPECT_EQ(r->renamed_to, files_.string() + ".imported");
  EXPECT_FALSE(fs::exists(files_));
  EXPECT_TRUE(fs::exists(files_.string() + ".imported/texts/631/2025/editorial.txt"))
      << "the files are left, set aside";

  EXPECT_EQ(*db.GetText("631", 2025, TextSection::kEditorial), "Éditorial récent");
  EXPECT_EQ(*db.GetText("631+671", 2024, TextSection::kPlan), "Plan commun");
  auto pole = db.FindAggregate(AggregateScope::kNationalPole, 2025, {});
  ASSERT_TRUE(pole && *pole);
  EXPECT_EQ((*pole)->figures.received, 189);
  EXPECT_EQ((*pole)->source, "imported");
  auto fund = db.FindAggregate(AggregateScope::kFund, 2024, {"631"});
  ASSERT_TRUE(fund && *fund);
  EXPECT_EQ((*fund)->figures.received, 70);
  EXPECT_FALSE(data_->GetCachedFiguresJson("all_funds_current", "old-token")) << "cache not moved";

  // Run again: no directory, nothing done.
  auto again = ImportReportFiles(*store_, sys_, files_.string());
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->found);

  // The same files put back (a restored copy): nothing changes, set aside again.
  fs::rename(files_.string() + ".imported", files_);
  ASSERT_TRUE(db.PutText("631+671", 2024, TextSection::kPlan, "Plan revu"));
  auto third = ImportReportFiles(*store_, sys_, files_.string());
  ASSERT_TRUE(third);
  EXPECT_EQ(third->texts, 0);
  EXPECT_EQ(third->aggregates, 0);
  EXPECT_EQ(third->kept, 4);
  EXPECT_EQ(*db.GetText("631+671", 2024, TextSection::kPlan), "Plan revu");
  EXPECT_EQ(third->renamed_to, files_.string() + ".imported");
}

TEST_P(DbReportStoreTest, AnUnreadableLegacyFileImportsNothingAndNamesTheFile) {
  WriteFile(files_ / "texts" / "631" / "2025" / "findings.txt", "Constats");
  WriteFile(files_ / "aggregates" / "all_funds-2025.json", "{\"format\": \"autre\"}");
  auto r = ImportReportFiles(*store_, sys_, files_.string());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Error::Code::kInvalid);
  EXPECT_NE(r.error().message.find("all_funds-2025.json"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("rien n'a été importé"), std::string::npos);
  DbReportStore db(*data_, sys_);
  EXPECT_EQ(*db.GetText("631", 2025, TextSection::kFindings), "") << "all or nothing";
  EXPECT_TRUE(fs::exists(files_)) << "left in place to be fixed";

  // Highlights that do not parse are refused the same way.
  fs::remove(files_ / "aggregates" / "all_funds-2025.json");
  WriteFile(files_ / "texts" / "631" / "2025" / "highlights.txt", "pas du JSON");
  r = ImportReportFiles(*store_, sys_, files_.string());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("highlights.txt"), std::string::npos);
  fs::remove(files_ / "texts" / "631" / "2025" / "highlights.txt");
  r = ImportReportFiles(*store_, sys_, files_.string());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->texts, 1);
  EXPECT_EQ(*db.GetText("631", 2025, TextSection::kFindings), "Constats");
}

INSTANTIATE_TEST_SUITE_P(Engines, DbReportStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable::report
