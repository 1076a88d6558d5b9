// A report a mediator publishes as is (issue 10): no internal data-quality
// material in any format — no case reference, no warning counts, no
// "Qualité des données" annex — unless it is produced incomplete, when the
// cover says so and an annex gives the blocking problems per kind (still no
// case named). The list of cases to fix is the data-quality page's export.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "report/assemble.h"
#include "report/consistency.h"
#include "report/report_test_util.h"
#include "report/writers.h"

namespace amiable::report {
namespace {

// Three clean cases, one with a blocking problem (no answer date), one with
// a warning (no resolution).
std::vector<Case> Cases(bool blocking) {
  std::vector<Case> cs = {ClosedCase("631-2025-CLEAN1", Date::FromCivil(2025, 2, 3)),
                          ClosedCase("631-2025-CLEAN2", Date::FromCivil(2025, 3, 3)),
                          ClosedCase("631-2025-CLEAN3", Date::FromCivil(2025, 4, 1))};
  Case warn = ClosedCase("631-2025-WARN01", Date::FromCivil(2025, 5, 5));
  warn.resolution.reset();
  cs.push_back(warn);
  if (blocking) {
    Case bad = ClosedCase("631-2025-BLOCK1", Date::FromCivil(2025, 6, 2));
    bad.answered_on.reset();
    cs.push_back(bad);
  }
  return cs;
}

ReportModel Model(bool blocking) {
  const std::vector<Case> cases = Cases(blocking);
  const std::map<std::string, WorkCalendar> cal = {{"631", {Zone::kMetropole, false}}};
  const Date as_of = Date::FromCivil(2026, 1, 15);
  ReportInputs in;
  in.funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "", false}};
  in.current = ComputeFigures(cases, cal, {"631"}, 2025, as_of);
  in.previous = ComputeFigures(cases, cal, {"631"}, 2024, as_of);
  in.quality = CheckCases(cases, 2025);
  in.incomplete = !in.quality.Acceptable(false);
  in.generated_on = as_of;
  return AssembleReport(in);
}

std::string Everything(const ReportModel& m) {
  std::string all = RenderHtml(m) + RenderCsv(m);
  for (const Section& s : m.sections) {
    all += s.title + "\n";
    for (const Block& b : s.blocks) {
      all += b.text + "\n";
      for (const std::string& i : b.items) all += i + "\n";
    }
    for (const Table& t : s.tables) {
      all += t.caption + "\n";
      for (const auto& row : t.rows) {
        for (const Cell& c : row) all += c.Display() + "\n";
      }
    }
  }
  return all;
}

TEST(Publishable, ACompleteReportHasNoDataQualityMaterial) {
  const ReportModel m = Model(/*blocking=*/false);
  ASSERT_EQ(m.quality.Warnings(), 1) << "the check ran and found the warning";
  EXPECT_FALSE(m.incomplete);
  for (const Section& s : m.sections) EXPECT_NE(s.id, "quality") << s.title;
  const std::string all = Everything(m);
  for (const char* banned : {"WARN01", "CLEAN1", "Qualité des données", "Dossiers à corriger",
                             "avertissement", "Contrôle de cohérence", "Problèmes par type"}) {
    EXPECT_EQ(all.find(banned), std::string::npos) << banned;
  }
  // The method annex stays.
  bool method = false;
  for (const Section& s : m.sections) method = method || s.id == "method";
  EXPECT_TRUE(method);
}

TEST(Publishable, AnIncompleteReportSaysSoButNamesNoCase) {
  const ReportModel m = Model(/*blocking=*/true);
  ASSERT_TRUE(m.incomplete);
  const Section* quality = nullptr;
  for (const Section& s : m.sections) {
    if (s.id == "quality") quality = &s;
  }
  ASSERT_NE(quality, nullptr);
  EXPECT_EQ(quality->title, "Données incomplètes");
  ASSERT_EQ(quality->tables.size(), 1u);
  const Table& kinds = quality->tables[0];
  ASSERT_EQ(kinds.rows.size(), 1u) << "the blocking kind only, not the warning";
  EXPECT_EQ(kinds.rows[0][1].Display(), "1");
  const std::string all = Everything(m);
  for (const char* banned : {"BLOCK1", "WARN01", "Dossiers à corriger", "avertissement"}) {
    EXPECT_EQ(all.find(banned), std::string::npos) << banned;
  }
  EXPECT_NE(RenderHtml(m).find("Rapport produit avec des données incomplètes"), std::string::npos);
  auto pdf = RenderPdf(m);
  ASSERT_TRUE(pdf);
  auto xlsx = RenderXlsx(m);
  ASSERT_TRUE(xlsx);
}

TEST(Publishable, TheListOfCasesToFixIsTheQualityPagesExport) {
  const ConsistencyReport q = CheckCases(Cases(/*blocking=*/true), 2025);
  const std::string csv = RenderProblemsCsv(q);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBFreference;caf;gravite;code;probleme\r\n", 0), 0u);
  const size_t block = csv.find("631-2025-BLOCK1;631;bloquant;missing_answer_date;");
  const size_t warn = csv.find("631-2025-WARN01;631;avertissement;missing_resolution;");
  ASSERT_NE(block, std::string::npos) << csv;
  ASSERT_NE(warn, std::string::npos) << csv;
  EXPECT_LT(block, warn) << "blocking problems first";
  EXPECT_EQ(csv.find("CLEAN"), std::string::npos);
}

}  // namespace
}  // namespace amiable::report
