// Tests of the annual report: French formats, consistency check, aggregate
// files, CSV shape, and smoke tests of the PDF, XLSX and HTML writers on the
// worked example (tests/fixtures/examples/cases-small.jsonl).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "calendar/calendar.h"
#include "figures/figures.h"
#include "intake/interchange.h"
#include "report/aggregate.h"
#include "report/assemble.h"
#include "report/charts.h"
#include "report/consistency.h"
#include "report/report_test_util.h"
#include "report/report_test_fixture.h"
#include "report/writers.h"

namespace amiable::report {
namespace {

const std::string kNnbsp = "\u202F";


Case Closed(std::string ref, Date received) { return ClosedCase(std::move(ref), received); }

bool Has(const ConsistencyReport& r, const std::string& ref, const std::string& code) {
  for (const DataProblem& p : r.problems) {
    if (p.reference == ref && p.code == code) return true;
  }
  return false;
}

TEST(Consistency, CleanCasesHaveNoProblem) {
  std::vector<Case> cases = {Closed("631-2025-0001", Date::FromCivil(2025, 3, 3))};
  const ConsistencyReport r = CheckCases(cases, 2025);
  EXPECT_EQ(r.cases_checked, 1);
  EXPECT_TRUE(r.problems.empty());
  EXPECT_TRUE(r.Acceptable(/*strict=*/true));
}

TEST(Consistency, BlockingProblemsNameTheCase) {
  Case no_dates = Closed("631-2025-0002", Date::FromCivil(2025, 3, 3));
  no_dates.taken_in_charge_on.reset();
  no_dates.answered_on.reset();
  Case disorder = Closed("631-2025-0003", Date::FromCivil(2025, 4, 1));
  disorder.answered_on = Date::FromCivil(2025, 3, 20);  // before reception
  Case no_resolution = Closed("631-2025-0004", Date::FromCivil(2025, 5, 5));
  no_resolution.resolution.reset();
  Case unscreened = Closed("631-2025-0005", Date::FromCivil(2025, 6, 2));
  unscreened.admissibility = "";
  std::vector<Case> cases = {no_dates, disorder, no_resolution, unscreened};
  const ConsistencyReport r = CheckCases(cases, 2025);
  EXPECT_TRUE(Has(r, "631-2025-0002", "missing_take_charge_date"));
  EXPECT_TRUE(Has(r, "631-2025-0002", "missing_answer_date"));
  EXPECT_TRUE(Has(r, "631-2025-0003", "dates_out_of_order"));
  EXPECT_TRUE(Has(r, "631-2025-0004", "missing_resolution"));
  EXPECT_TRUE(Has(r, "631-2025-0005", "missing_admissibility"));
  EXPECT_EQ(r.Blocking(), 4);
  EXPECT_EQ(r.Warnings(), 1);  // the missing resolution
  EXPECT_FALSE(r.Acceptable(false));
  for (const DataProblem& p : r.problems) {
    if (p.code == "dates_out_of_order") {
      EXPECT_NE(p.message.find("20/03/2025"), std::string::npos) << p.message;
    }
  }
}

TEST(Consistency, MissingClassificationIsAWarning) {
  Case no_cause = Closed("631-2025-0006", Date::FromCivil(2025, 3, 3));
  no_cause.cause.reset();
  Case inadmissible;
  inadmissible.reference = "631-2025-0007";
  inadmissible.organisme = "631";
  inadmissible.received_on = Date::FromCivil(2025, 7, 1);
  inadmissible.admissibility = "irrecevable";
  inadmissible.closed_on = Date::FromCivil(2025, 7, 1);
  inadmissible.answered_on = Date::FromCivil(2025, 7, 1);
  std::vector<Case> cases = {no_cause, inadmissible};
  const ConsistencyReport r = CheckCases(cases, 2025);
  EXPECT_EQ(r.Blocking(), 0);
  EXPECT_EQ(r.Warnings(), 2);
  EXPECT_TRUE(r.Acceptable(false));
  EXPECT_FALSE(r.Acceptable(true));
}

TEST(Consistency, OtherYearsAndOpenCasesAreIgnored) {
  Case old = Closed("631-2023-0001", Date::FromCivil(2023, 3, 3));
  old.answered_on.reset();
  Case open;
  open.reference = "631-2025-0008";
  open.organisme = "631";
  open.received_on = Date::FromCivil(2025, 12, 30);
  open.admissibility = "recevable";
  std::vector<Case> cases = {old, open};
  const ConsistencyReport r = CheckCases(cases, 2025);
  EXPECT_EQ(r.cases_checked, 1);
  EXPECT_TRUE(r.problems.empty());
}

using fixture::Calendars;
using fixture::Fixture;

ReportModel FixtureModel(bool incomplete = false) {
  const std::vector<Case> cases = Fixture();
  ReportInputs in;
  in.funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "", false}};
  const Date as_of = Date::FromCivil(2026, 1, 15);
  in.current = ComputeFigures(cases, Calendars(), {"631"}, 2025, as_of);
  in.previous = ComputeFigures(cases, Calendars(), {"631"}, 2024, as_of);
  in.history = {{2024, in.previous.received, in.previous.inadmissible, in.previous.closed},
                {2025, in.current.received, in.current.inadmissible, in.current.closed}};
  ComparisonSource all;
  all.label = "Ensemble des Caf";
  all.current = ComparisonYear{ComputeFigures(cases, Calendars(), {}, 2025, as_of), "test", {}};
  in.all_funds_comparison = all;
  in.quality = CheckCases(cases, 2025);
  in.incomplete = incomplete;
  in.generated_on = as_of;
  in.texts.editorial =
      "Premier paragraphe\nsur deux lignes.\n\n- point **un**\n- point deux\n\n> La médiatrice";
  in.texts.highlights = {{"Communication", "mars", "Article dans la lettre"}};
  return AssembleReport(in);
}

TEST(Report, FixtureFiguresInTheModel) {
  const ReportModel m = FixtureModel();
  EXPECT_EQ(m.year, 2025);
  EXPECT_EQ(m.fund_label, "Caf du Puy-de-Dôme (631)");
  // The CSV points equal the figures (worked example: 20 received, 9 inadmissible, 10 closed).
  std::map<std::string, double> got;
  for (const DataPoint& p : m.data) {
    if (p.year == 2025 && p.count) got[p.section + "/" + p.code] = *p.count;
  }
  EXPECT_EQ(got["requests/received"], 20);
  EXPECT_EQ(got["requests/inadmissible"], 9);
  EXPECT_EQ(got["requests/closed"], 10);
  EXPECT_EQ(got["channel/teleprocedure"], 5);
  EXPECT_EQ(got["financial/rappel.amount_euros"], 13539.53);
  // Every several-valued breakdown says its shares exceed 100 %.
  for (const Section& s : m.sections) {
    if (s.id == "motive" || s.id == "benefit" || s.id == "response_mode") {
      ASSERT_FALSE(s.tables.empty());
      EXPECT_NE(s.tables[0].note.find("dépasse 100"), std::string::npos) << s.id;
    }
  }
}

TEST(Report, LightMarkup) {
  const std::vector<Block> b = ParseLightMarkup("# Titre\nUn\ndeux\n\n- a\n- b\n  suite\n> Signé");
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].kind, Block::Kind::kSubheading);
  EXPECT_EQ(b[0].text, "Titre");
  EXPECT_EQ(b[1].text, "Un deux");
  EXPECT_EQ(b[2].kind, Block::Kind::kBullets);
  ASSERT_EQ(b[2].items.size(), 2u);
  EXPECT_EQ(b[2].items[1], "b suite");
  EXPECT_EQ(b[3].kind, Block::Kind::kSignature);
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : s) {
    if (c == '"') quoted = !quoted;
    if (c == sep && !quoted) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

TEST(Report, CsvShape) {
  const std::string csv = RenderCsv(FixtureModel());
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  std::istringstream in(csv.substr(3));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "section;code;label;year;count;share\r");
  int rows = 0;
  bool saw_share = false;
  while (std::getline(in, line)) {
    ASSERT_FALSE(line.empty());
    ASSERT_EQ(line.back(), '\r');
    line.pop_back();
    const auto f = Split(line, ';');
    ASSERT_EQ(f.size(), 6u) << line;
    EXPECT_TRUE(f[3] == "2024" || f[3] == "2025") << line;
    EXPECT_EQ(f[4].find('.'), std::string::npos) << "decimal comma expected: " << line;
    EXPECT_EQ(f[5].find('.'), std::string::npos) << line;
    if (f[0] == "channel" && f[1] == "teleprocedure" && f[3] == "2025") {
      EXPECT_EQ(f[4], "5");
      EXPECT_EQ(f[5], "0,5");
      saw_share = true;
    }
    ++rows;
  }
  EXPECT_GT(rows, 100);
  EXPECT_TRUE(saw_share);
}

TEST(Report, AggregateRoundTripWithoutPersonalData) {
  const std::vector<Case> cases = Fixture();
  Aggregate a;
  a.scope = AggregateScope::kNationalPole;
  a.figures = ComputeFigures(cases, Calendars(), {"631"}, 2025, Date::FromCivil(2026, 1, 15));
  a.exported_on = "2026-01-31";
  const std::string json = AggregateToJson(a);
  for (const Case& c : cases) {
    EXPECT_EQ(json.find(c.reference), std::string::npos) << c.reference;
    if (c.allocataire_number) {
      EXPECT_EQ(json.find(*c.allocataire_number), std::string::npos);
    }
  }
  auto back = AggregateFromJson(json);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->scope, AggregateScope::kNationalPole);
  EXPECT_EQ(back->exported_on, "2026-01-31");
  EXPECT_EQ(FiguresToJson(back->figures), FiguresToJson(a.figures));
  EXPECT_EQ(AggregateToJson(*back), json);
}

TEST(Report, AggregateRejectsBadFiles) {
  EXPECT_FALSE(AggregateFromJson("not json").has_value());
  EXPECT_FALSE(AggregateFromJson(R"({"format":"other","version":1})").has_value());
  EXPECT_FALSE(
      AggregateFromJson(
          R"({"format":"amiable-aggregate","version":1,"scope":"fund","names":[],"figures":{"year":2025}})")
          .has_value());
  auto neg = AggregateFromJson(
      R"({"format":"amiable-aggregate","version":1,"scope":"fund","figures":{"year":2025,"received":-1}})");
  ASSERT_FALSE(neg.has_value());
  EXPECT_NE(neg.error().message.find("received"), std::string::npos);
}

TEST(Report, WritersProduceTheirFormats) {
  const ReportModel m = FixtureModel(/*incomplete=*/true);
  auto pdf = RenderPdf(m);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  auto xlsx = RenderXlsx(m);
  ASSERT_TRUE(xlsx.has_value()) << xlsx.error().message;
  EXPECT_EQ(xlsx->substr(0, 2), "PK");
  const std::string html = RenderHtml(m);
  EXPECT_NE(html.find("<html lang=\"fr\">"), std::string::npos);
  EXPECT_NE(html.find("role=\"img\""), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"col\">"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">"), std::string::npos);
  EXPECT_NE(html.find("<caption>"), std::string::npos);
  EXPECT_NE(html.find("données incomplètes"), std::string::npos);
  EXPECT_NE(html.find("<strong>un</strong>"), std::string::npos);
}

// The workspace embeds the fragment under a CSP without inline styles: same
// content, no document, no <style>, no style attribute.
TEST(Report, HtmlFragmentForTheWorkspace) {
  const ReportModel m = FixtureModel(/*incomplete=*/true);
  const std::string html = RenderHtml(m);
  const std::string frag = RenderHtmlFragment(m);
  EXPECT_EQ(frag.rfind("<article class=\"amiable-report\">", 0), 0u);
  EXPECT_EQ(frag.find("<style"), std::string::npos);
  EXPECT_EQ(frag.find("style=\""), std::string::npos);
  EXPECT_EQ(frag.find("<main"), std::string::npos);
  EXPECT_EQ(frag.find("<html"), std::string::npos);
  const std::string body = frag.substr(frag.find('\n') + 1, frag.rfind("</article>") - frag.find('\n') - 1);
  EXPECT_NE(html.find(body), std::string::npos) << "the same content as the standalone page";
  EXPECT_NE(html.find(std::string(HtmlReportStyles())), std::string::npos);
  EXPECT_NE(HtmlReportStyles().find(".amiable-report"), std::string::npos);
}

TEST(Report, ChartsCarryTheirFigures) {
  const ReportModel m = FixtureModel();
  for (const Section& s : m.sections) {
    if (s.id != "channel") continue;
    ASSERT_FALSE(s.charts.empty());
    const Chart& c = s.charts[0];
    EXPECT_NE(c.alt.find("Téléprocédure : 5 (50,0" + kNnbsp + "%)"), std::string::npos) << c.alt;
    const ChartScene scene = LayoutChart(s, c, 480);
    bool labelled = false;
    for (const Primitive& p : scene.items) {
      if (p.kind == Primitive::Kind::kText && p.text == "50,0" + kNnbsp + "%") labelled = true;
    }
    EXPECT_TRUE(labelled);
    const std::string svg = SceneToSvg(scene, "c1", c.title, c.alt);
    EXPECT_NE(svg.find("<desc id=\"c1-d\">"), std::string::npos);
  }
}

}  // namespace
}  // namespace amiable::report
