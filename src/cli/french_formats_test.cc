// The same figure prints the same string through the CLI (`amiable stats`),
// the pages (web/pages_internal.h) and the annual report (PDF/HTML cells and
// sentences): issue 7, item 6 — 247 inadmissible of 2,000 requests is 12,35 %
// exactly and reads "12,4 %" everywhere (the pages used to print "12,3 %").
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/french_format.h"
#include "figures/figures.h"
#include "report/assemble.h"
#include "report/model.h"
#include "web/pages_internal.h"

namespace amiable {
namespace {

const std::string kRate = "12,4\u202F%";

// A fund with 2,000 requests received in 2025, 247 of them inadmissible, the
// others admissible and closed, with one financial line.
YearFigures FundOf2000() {
  std::vector<Case> cases;
  for (int i = 0; i < 2000; ++i) {
    Case c;
    c.reference = "631-2025-" + std::to_string(10000 + i).substr(1);
    c.organisme = "631";
    c.received_on = Date::FromCivil(2025, 3, 3) + (i % 200);
    if (i < 247) {
      c.admissibility = "irrecevable";
      c.closed_on = c.received_on + 1;
    } else {
      c.admissibility = "recevable";
      c.taken_in_charge_on = c.received_on + 1;
      c.answered_on = c.received_on + 10;
      c.closed_on = c.received_on + 12;
      c.resolution = "confirmee";
    }
    cases.push_back(std::move(c));
  }
  cases[300].financial = std::vector<FinancialLine>{{"rappel", 12812006}};
  const std::map<std::string, WorkCalendar> calendars = {{"631", {Zone::kMetropole, false}}};
  return ComputeFigures(cases, calendars, {"631"}, 2025, Date::FromCivil(2026, 1, 15));
}

TEST(FrenchFormats, SameRateOnPagesCliAndReport) {
  const YearFigures f = FundOf2000();
  ASSERT_EQ(f.received, 2000);
  ASSERT_EQ(f.inadmissible, 247);

  // CLI: `amiable stats` human output.
  const std::string cli = cli::StatsSummary(f);
  EXPECT_NE(cli.find("hors médiation : 247 (" + kRate + " des reçues)"), std::string::npos) << cli;

  // Pages: the /chiffres formatter.
  EXPECT_EQ(web::pages::Percent(f.inadmissible_rate), kRate);

  // Report: the table cell (PDF, HTML) and the sentence of the key figures.
  EXPECT_EQ(report::Cell::Ratio(f.InadmissibleRatio()).Display(), kRate);
  report::ReportInputs in;
  in.funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "84", false}};
  in.current = f;
  in.previous = f;
  in.generated_on = f.as_of;
  const report::ReportModel m = report::AssembleReport(in);
  bool cell_found = false;
  for (const report::Section& s : m.sections) {
    for (const report::Table& t : s.tables) {
      if (t.id != "key_admissibility") continue;
      for (const auto& row : t.rows) {
        if (row[0].text.starts_with("Part des demandes hors médiation")) {
          EXPECT_EQ(row[2].Display(), kRate);
          cell_found = true;
        }
      }
    }
  }
  EXPECT_TRUE(cell_found);
}

TEST(FrenchFormats, SameAmountOnPagesCliAndReport) {
  const YearFigures f = FundOf2000();
  const std::string amount = "128\u202F120,06\u00A0€";
  EXPECT_EQ(fr::Euros(f.Financial("rappel").amount_cents), amount);
  EXPECT_EQ(web::pages::Euros(f.Financial("rappel").amount_cents), amount);
  EXPECT_EQ(report::Cell::Euros(f.Financial("rappel").amount_cents).Display(), amount);
  EXPECT_NE(cli::StatsSummary(f).find(amount), std::string::npos);
}

TEST(FrenchFormats, EmptyDenominatorIsNotAvailableEverywhere) {
  const YearFigures f;  // nothing received
  EXPECT_EQ(web::pages::Percent(f.inadmissible_rate), "n.d.");
  EXPECT_EQ(report::Cell::Ratio(f.InadmissibleRatio()).Display(), "n.d.");
  EXPECT_NE(cli::StatsSummary(f).find("hors médiation : 0 (n.d. des reçues)"), std::string::npos);
}

}  // namespace
}  // namespace amiable
