// The years side by side (report/years.h): every cell is the figure of
// figures.h for its year, checked against the JSON of domain.md §8 by the
// row's code; the report carries the table as an XLSX-only sheet, and the
// online-form focus has its inadmissibility reasons.
#include "report/years.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "report/assemble.h"
#include "report/report_test_fixture.h"
#include "report/writers.h"

namespace amiable::report {
namespace {

using fixture::Calendars;
using fixture::Fixture;

std::vector<YearFigures> FixtureYears() {
  const std::vector<Case> cases = Fixture();
  std::vector<YearFigures> out;
  for (int y : {2023, 2024, 2025}) {
    out.push_back(ComputeFigures(cases, Calendars(), {"631"}, y, Date::FromCivil(2026, 1, 15)));
  }
  return out;
}

// The JSON value at a dotted path ("delays.take_charge_working_days_avg").
const nlohmann::json* At(const nlohmann::json& j, const std::string& path) {
  const nlohmann::json* cur = &j;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? dot : dot - start);
    if (!cur->is_object() || !cur->contains(key)) return nullptr;
    cur = &(*cur)[key];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur;
}

TEST(YearsTable, EveryCellIsTheFigureOfItsYear) {
  const std::vector<YearFigures> years = FixtureYears();
  const Section s = YearsSection(years);
  EXPECT_EQ(s.id, "years");
  ASSERT_EQ(s.tables.size(), 1u);
  const Table& t = s.tables[0];
  EXPECT_EQ(t.header, (std::vector<std::string>{"Indicateur", "2023", "2024", "2025"}));
  ASSERT_EQ(t.rows.size(), YearsRows().size());
  int checked = 0;
  for (size_t c = 0; c < years.size(); ++c) {
    const nlohmann::json j = nlohmann::json::parse(FiguresToJson(years[c]));
    for (size_t r = 0; r < t.rows.size(); ++r) {
      const std::string& code = YearsRows()[r].code;
      const Cell& cell = t.rows[r][c + 1];
      EXPECT_EQ(t.rows[r][0].text, YearsRows()[r].label);
      const nlohmann::json* v = At(j, code);
      if (v == nullptr) {
        // Counts the JSON does not print (fraud cases) are still figures.
        EXPECT_EQ(code, "fraud_cases");
        EXPECT_EQ(cell.Value(), static_cast<double>(years[c].fraud_cases));
        continue;
      }
      if (v->is_null()) {
        EXPECT_FALSE(cell.HasValue()) << code << " " << years[c].year;
      } else if (cell.kind == ValueKind::kEuros) {
        EXPECT_EQ(cell.cents, v->get<int64_t>()) << code;
      } else {
        EXPECT_NEAR(cell.Value(), v->get<double>(), 1e-12) << code << " " << years[c].year;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(3 * (YearsRows().size() - 1)));
  // The worked example: 20 received in 2025, 9 of them inadmissible.
  EXPECT_EQ(t.rows[0][3].Display(), "20");
  EXPECT_EQ(t.rows[1][3].Display(), "9");
}

TEST(YearsTable, PointsAndWorkbook) {
  const std::vector<YearFigures> years = FixtureYears();
  const std::vector<DataPoint> points = YearsPoints(years);
  EXPECT_EQ(points.size(), YearsRows().size() * years.size());
  bool received = false;
  for (const DataPoint& p : points) {
    EXPECT_EQ(p.section, "years");
    if (p.code == "received" && p.year == 2025) {
      received = true;
      EXPECT_EQ(p.count, 20.0);
    }
    if (p.code == "inadmissible_rate" && p.year == 2025) {
      ASSERT_TRUE(p.share);
      EXPECT_DOUBLE_EQ(*p.share, 9.0 / 20.0);
    }
  }
  EXPECT_TRUE(received);
  const ReportModel m = YearsWorkbook(years, "Caf 631", {"631"}, Date::FromCivil(2026, 1, 15));
  EXPECT_TRUE(m.sections.empty());
  ASSERT_EQ(m.xlsx_sections.size(), 1u);
  EXPECT_EQ(m.title + " " + std::to_string(m.year), "Chiffres clés des années 2023 à 2025");
  auto xlsx = RenderXlsx(m);
  ASSERT_TRUE(xlsx) << xlsx.error().message;
  EXPECT_EQ(xlsx->substr(0, 2), "PK");
  // The PDF, HTML and CSV of a report never show the XLSX-only sections.
  EXPECT_EQ(RenderHtml(m).find("côte à côte"), std::string::npos);
}

TEST(YearsTable, NoYear) {
  const Section s = YearsSection({});
  EXPECT_EQ(s.tables[0].header, std::vector<std::string>{"Indicateur"});
  EXPECT_EQ(s.tables[0].rows.size(), YearsRows().size());
}

// The report: its sheet « Années » covers the years given, and the online
// form's focus has the reasons of its inadmissible requests.
TEST(YearsTable, InTheReport) {
  const std::vector<YearFigures> years = FixtureYears();
  ReportInputs in;
  in.funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "", false}};
  in.current = years[2];
  in.previous = years[1];
  for (const YearFigures& f : years) in.history.push_back({f.year, f.received, f.inadmissible, f.closed});
  in.years = years;
  in.generated_on = Date::FromCivil(2026, 1, 15);
  const ReportModel m = AssembleReport(in);
  ASSERT_EQ(m.xlsx_sections.size(), 1u);
  EXPECT_EQ(m.xlsx_sections[0].tables[0].header.size(), 4u);
  for (const Section& s : m.sections) EXPECT_NE(s.id, "years");

  const Section* tp = nullptr;
  const Section* req = nullptr;
  for (const Section& s : m.sections) {
    if (s.id == "teleprocedure") tp = &s;
    if (s.id == "requests") req = &s;
  }
  ASSERT_NE(tp, nullptr);
  const Table* reasons = nullptr;
  for (const Table& t : tp->tables) {
    if (t.id == "teleprocedure_inadmissibility_reason") reasons = &t;
  }
  ASSERT_NE(reasons, nullptr);
  const Breakdown& b = years[2].teleprocedure.by_inadmissibility_reason;
  ASSERT_EQ(reasons->rows.size(), b.counts.size() + 2);
  for (size_t i = 0; i < b.counts.size(); ++i) {
    EXPECT_EQ(reasons->rows[i][3].Value(), static_cast<double>(b.counts[i].second));
  }
  EXPECT_EQ(reasons->rows.back()[3].Value(), static_cast<double>(years[2].teleprocedure.inadmissible));
  bool pie = false;
  for (const Chart& c : tp->charts) {
    if (c.type == ChartType::kPie && c.title.find("téléprocédure") != std::string::npos) pie = true;
  }
  EXPECT_EQ(pie, b.Known() > 0);
  // Table ids stay unique in the report.
  std::set<std::string> ids;
  for (const Section& s : m.sections) {
    for (const Table& t : s.tables) EXPECT_TRUE(ids.insert(t.id).second) << t.id;
  }
  // The series has every year given, and its sentence says so.
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(req->tables[0].id, "history");
  EXPECT_EQ(req->tables[0].rows.size(), 3u);
  bool sentence = false;
  for (const Block& bl : req->blocks) {
    if (bl.kind == Block::Kind::kParagraph && bl.text.find("Sur les 3 années de 2023 à 2025") != std::string::npos) sentence = true;
  }
  EXPECT_TRUE(sentence);
}

}  // namespace
}  // namespace amiable::report
