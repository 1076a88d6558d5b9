// The view of /import (pages_import.cc), without HTTP.
#include "web/pages_import.h"

#include <gtest/gtest.h>

namespace amiable::web::pages {
namespace {

TEST(ImportViewTest, ProblemsAreListedAndCapped) {
  ImportPageInput in;
  in.funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "84"}};
  in.organisme = "631";
  for (int i = 0; i < 250; ++i) {
    Error e = Error::Invalid("date illisible « x »", "Date");
    e.line = i + 2;
    in.problems.push_back(e);
  }
  Data d = ImportView(in);
  EXPECT_TRUE(d.get("has_problems")->is_true());
  const auto& shown = d.get("problems")->list_value();
  ASSERT_EQ(shown.size(), kShownImportProblems);
  EXPECT_EQ(shown[0].get("text")->string_value(), "ligne 2 : Date : date illisible « x »");
  EXPECT_EQ(d.get("more_problems")->string_value(), "… et 50 autres problèmes");
  EXPECT_EQ(d.get("problem_count")->string_value(), "250");
  EXPECT_EQ(d.get("checked"), nullptr);
}

TEST(ImportViewTest, ACheckedFileShowsItsFiguresAndCarriesTheFilesBack) {
  CsvImportResult r;
  r.counts.cases = 30;
  r.generated = 30;
  r.encoding = CsvEncoding::kWindows1252;
  YearFigures f;
  f.year = 2024;
  f.received = 30;
  f.inadmissible = 6;
  r.figures.push_back(f);
  ImportPageInput in;
  in.organisme = "631";
  in.checked = &r;
  in.csv_b64 = "QUJD";
  in.mapping_b64 = "e30=";
  Data d = ImportView(in);
  const Data* c = d.get("checked");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->get("cases")->string_value(), "30");
  EXPECT_EQ(c->get("read_as")->string_value(), "CSV windows-1252, séparateur « ; »");
  EXPECT_EQ(c->get("csv_b64")->string_value(), "QUJD");
  const auto& years = c->get("years")->list_value();
  ASSERT_EQ(years.size(), 1u);
  EXPECT_EQ(years[0].get("year")->string_value(), "2024");
  const auto& rows = years[0].get("rows")->list_value();
  EXPECT_EQ(rows[0].get("value")->string_value(), "30");
  EXPECT_NE(rows[1].get("value")->string_value().find("6 ("), std::string::npos);
}

}  // namespace
}  // namespace amiable::web::pages
