// /chiffres/annees, built from plain data and rendered with the real
// template: one column per year, each cell the figure of its year as the
// model table shows it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "report/years.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

std::string RenderYears(Data& d) {
  std::ifstream in(std::string(AMIABLE_SOURCE_DIR) + "/web/templates/chiffres_annees.mustache");
  std::ostringstream ss;
  ss << in.rdbuf();
  return kainjow::mustache::mustache(ss.str()).render(d);
}

YearFigures Year(int y, int64_t received, int64_t inadmissible) {
  YearFigures f;
  f.year = y;
  f.received = received;
  f.inadmissible = inadmissible;
  f.inadmissible_rate = static_cast<double>(inadmissible) / static_cast<double>(received);
  f.financial[0] = {"rappel", 3, 12812006};
  return f;
}

TEST(YearsPage, OneColumnPerYear) {
  YearsInput in;
  in.funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "", false},
              {"671", "Caf du Bas-Rhin", "alsace_moselle", "", false}};
  in.wanted = "631";
  in.years = {Year(2019, 120, 30), Year(2020, 272, 97), Year(2025, 1234, 0)};
  Data d = YearsView(in);
  const std::string html = RenderYears(d);
  EXPECT_NE(html.find("<th scope=\"col\" class=\"num\">2019</th>"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"col\" class=\"num\">2025</th>"), std::string::npos);
  EXPECT_NE(html.find("data-figure=\"received\""), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\" data-year=\"2020\">272</td>"), std::string::npos);
  EXPECT_NE(html.find("1\u202f234"), std::string::npos) << "French thousands";
  EXPECT_NE(html.find("35,7\u202f%"), std::string::npos) << "97 / 272";
  EXPECT_NE(html.find("128\u202f120,06\u00a0€"), std::string::npos);
  EXPECT_NE(html.find("Délais (dossiers clos)"), std::string::npos) << "group heading";
  EXPECT_NE(html.find("href=\"/chiffres/annees/telecharger?organisme=631\""), std::string::npos);
  EXPECT_NE(html.find("<option value=\"631\" selected>"), std::string::npos);
  size_t rows = 0;
  for (size_t p = html.find("data-figure="); p != std::string::npos;
       p = html.find("data-figure=", p + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, report::YearsRows().size());
}

TEST(YearsPage, NoCaseAndNoFund) {
  YearsInput none;
  none.funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "", false}};
  Data d = YearsView(none);
  std::string html = RenderYears(d);
  EXPECT_NE(html.find("aucune année à afficher"), std::string::npos);
  EXPECT_EQ(html.find("<table"), std::string::npos);
  YearsInput nofund;
  nofund.no_fund = true;
  Data d2 = YearsView(nofund);
  html = RenderYears(d2);
  EXPECT_NE(html.find("Aucun organisme accessible."), std::string::npos);
}

}  // namespace
}  // namespace amiable::web::pages
