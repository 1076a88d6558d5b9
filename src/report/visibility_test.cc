// The data-quality lists name only the cases the reader sees (issue 7): a
// mediator recused from a case never finds its reference there, a
// statistics reader finds none; the counts and the figures do not change.
// The report itself names no case (issue 10).
#include <gtest/gtest.h>

#include "report/report.h"
#include "report/writers.h"
#include "store/store_test_util.h"

namespace amiable::report {
namespace {

class ReportVisibilityTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-report-visibility-test"));
    ASSERT_TRUE(store_->UpsertOrganisme(sys_, {"631", "Caf 63", "metropole", "84", false}));
    for (auto [name, role] : {std::pair{"marie", Role::kMediator},
                              std::pair{"chef", Role::kManager},
                              std::pair{"stat", Role::kStatisticsReader}}) {
      User u;
      u.name = name;
      u.role = role;
      u.organismes = {"631"};
      ASSERT_TRUE(store_->CreateUser(u));
    }
    // Two closed admissible cases without taking-in-charge nor answer dates
    // (two blocking problems each); marie is recused from the first.
    for (const char* ref : {"631-2025-HIDE1", "631-2025-SEEN2"}) {
      Case c;
      c.reference = ref;
      c.organisme = "631";
      c.received_on = *Date::Parse(ref[12] == '1' ? "2025-02-03" : "2025-03-10");
      c.admissibility = "recevable";
      c.closed_on = *Date::Parse("2025-06-02");
      c.resolution = "confirmee";
      c.cause = "pas_erreur_caf";
      ASSERT_TRUE(store_->CreateCase(sys_, c, {}));
    }
    ASSERT_TRUE(store_->RecordRecusal(sys_, "631-2025-HIDE1", "marie", "lien d'intérêts"));
  }
  Actor A(const char* name) { return store_->GetUser(name)->ToActor(); }

  ConsistencyReport Checked(const Actor& reader) {
    auto q = CheckConsistency(*store_, {"631"}, 2025);
    EXPECT_TRUE(q);
    EXPECT_TRUE(KeepVisible(*store_, reader, &*q));
    return *q;
  }

  Result<ReportModel> Build(const Actor& reader) {
    FileReportStore files((dir_ / "report").string());
    ReportRequest r;
    r.organismes = {"631"};
    r.year = 2025;
    r.as_of = *Date::Parse("2026-01-31");
    r.generated_on = r.as_of;
    r.allow_incomplete = true;
    r.reader = reader;
    return BuildReport(*store_, files, files, r);
  }

  Actor sys_ = Actor::System();
};

bool Lists(const ConsistencyReport& q, const std::string& ref) {
  for (const DataProblem& p : q.problems) {
    if (p.reference == ref) return true;
  }
  return false;
}

TEST_F(ReportVisibilityTest, TheRecusedMediatorDoesNotFindTheCaseInTheList) {
  const ConsistencyReport q = Checked(A("marie"));
  EXPECT_FALSE(Lists(q, "631-2025-HIDE1"));
  EXPECT_TRUE(Lists(q, "631-2025-SEEN2"));
  EXPECT_EQ(q.Blocking(), 4) << "the counts keep the hidden case";
  EXPECT_EQ(q.hidden_blocking, 2);
  EXPECT_EQ(q.Hidden(), 2);
  ASSERT_EQ(q.CountsByCode().size(), 2u);
  EXPECT_EQ(q.CountsByCode()[0].code, "missing_take_charge_date");
  EXPECT_EQ(q.CountsByCode()[0].count, 2);
}

TEST_F(ReportVisibilityTest, TheManagerSeesEveryCaseOfHerFund) {
  const ConsistencyReport q = Checked(A("chef"));
  EXPECT_TRUE(Lists(q, "631-2025-HIDE1"));
  EXPECT_TRUE(Lists(q, "631-2025-SEEN2"));
  EXPECT_EQ(q.Hidden(), 0);
}

TEST_F(ReportVisibilityTest, AStatisticsReaderGetsCountsOnly) {
  const ConsistencyReport q = Checked(A("stat"));
  EXPECT_TRUE(q.problems.empty());
  EXPECT_EQ(q.Blocking(), 4);
  EXPECT_EQ(q.CountsByCode().size(), 2u);
}

// The report names no case at all (issue 10: the list of cases to fix is the
// data-quality page's), whoever reads it; an incomplete one counts the
// blocking problems by kind.
TEST_F(ReportVisibilityTest, TheReportFilesNameNoCase) {
  for (const char* reader : {"marie", "stat", "chef"}) {
    auto m = Build(A(reader));
    ASSERT_TRUE(m) << ToString(m.error());
    EXPECT_EQ(m->quality.Blocking(), 4) << reader;
    EXPECT_EQ(m->incomplete, true);
    for (ReportFormat f : {ReportFormat::kHtml, ReportFormat::kCsv}) {
      auto bytes = RenderReport(*m, f);
      ASSERT_TRUE(bytes);
      for (const char* ref : {"HIDE1", "SEEN2"}) {
        EXPECT_EQ(bytes->find(ref), std::string::npos) << reader << " " << ReportFormatCode(f);
      }
      EXPECT_EQ(bytes->find("03/02/2025"), std::string::npos) << "its reception date";
    }
    // Every cell of every table (the PDF and XLSX writers draw these).
    for (const Section& s : m->sections) {
      for (const Table& t : s.tables) {
        for (const auto& row : t.rows) {
          for (const Cell& c : row) {
            EXPECT_EQ(c.text.find("HIDE1"), std::string::npos) << t.id;
            EXPECT_EQ(c.text.find("SEEN2"), std::string::npos) << t.id;
          }
        }
      }
    }
    EXPECT_NE(RenderHtml(*m).find("Problèmes bloquants par type"), std::string::npos);
  }
}

TEST_F(ReportVisibilityTest, TheFiguresStillCountTheHiddenCase) {
  auto marie = Build(A("marie"));
  auto chef = Build(A("chef"));
  ASSERT_TRUE(marie && chef);
  EXPECT_EQ(RenderCsv(*marie).find("closed"), RenderCsv(*chef).find("closed"));
  // The CSV holds figures only: the same bytes for both readers.
  EXPECT_EQ(RenderCsv(*marie), RenderCsv(*chef));
}

}  // namespace
}  // namespace amiable::report
