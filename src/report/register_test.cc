// The register as the report reads it (register.h, assemble_register.cc,
// register_summary.h): status at the end of a year, what a year's report
// selects, the findings chapter's blocks, the national gathering by theme.
#include "report/register.h"

#include <gtest/gtest.h>

#include "report/assemble.h"
#include "report/register_summary.h"

namespace amiable::report {
namespace {

std::vector<RecommendationTheme> Themes() {
  return {{"information", "Clarté et accessibilité de l'information", 1, true},
          {"delais", "Délais de traitement et suivi des dossiers", 5, true},
          {"ancien", "Un thème retiré", 9, false}};
}

Recommendation Item(int64_t id, std::string org, int year, std::string theme, std::string text,
                    std::string status = "proposee") {
  Recommendation r;
  r.id = id;
  r.organisme = std::move(org);
  r.year = year;
  r.theme = std::move(theme);
  r.text = std::move(text);
  r.status = std::move(status);
  r.position = static_cast<int>(id);
  return r;
}

RecommendationFollowUp FollowUp(int year, std::string on, std::string status, std::string note) {
  return {0, year, std::move(on), std::move(status), std::move(note), "claire", ""};
}

TEST(Register, LabelsAreFrench) {
  EXPECT_EQ(StatusLabel("mise_en_oeuvre"), "mise en œuvre");
  EXPECT_EQ(StatusLabel("proposee"), "proposée");
  EXPECT_EQ(StatusLabel("acceptee"), "acceptée");
  EXPECT_EQ(StatusLabel("abandonnee"), "abandonnée");
  EXPECT_EQ(KindLabel("preconisation"), "préconisation");
  EXPECT_EQ(KindTitle("constat"), "Constat");
  EXPECT_EQ(ThemeLabel(Themes(), "delais"), "Délais de traitement et suivi des dossiers");
  EXPECT_EQ(ThemeLabel(Themes(), "x"), "x");
  EXPECT_TRUE(recommendation::IsClosed("abandonnee"));
  EXPECT_FALSE(recommendation::IsClosed("acceptee"));
}

TEST(Register, StatusAtTheEndOfAYear) {
  Recommendation r = Item(1, "631", 2023, "delais", "x", "mise_en_oeuvre");
  EXPECT_EQ(StatusAt(r, 2023), "mise_en_oeuvre");  // no follow-up: the current status
  r.follow_ups = {FollowUp(2024, "2024-06-01", "acceptee", ""),
                  FollowUp(2025, "2025-03-12", "mise_en_oeuvre", "")};
  EXPECT_EQ(StatusAt(r, 2023), "proposee");
  EXPECT_EQ(StatusAt(r, 2024), "acceptee");
  EXPECT_EQ(StatusAt(r, 2025), "mise_en_oeuvre");
  EXPECT_EQ(StatusAt(r, 2026), "mise_en_oeuvre");
  r.status = "abandonnee";  // edited after the last follow-up: current from its year on
  EXPECT_EQ(StatusAt(r, 2025), "abandonnee");
  EXPECT_EQ(StatusAt(r, 2024), "acceptee");
}

TEST(Register, AYearsReportSelectsItsItemsAndTheEarlierOnesStillFollowed) {
  Recommendation open2024 = Item(1, "631", 2024, "delais", "Réduire les délais.");
  open2024.follow_ups = {FollowUp(2025, "2025-03-12", "mise_en_oeuvre", "Fait."),
                         FollowUp(2026, "2026-02-01", "mise_en_oeuvre", "Confirmé.")};
  open2024.status = "mise_en_oeuvre";
  Recommendation closed2023 = Item(2, "631", 2023, "information", "Courriers.");
  closed2023.follow_ups = {FollowUp(2024, "2024-05-02", "abandonnee", "")};
  closed2023.status = "abandonnee";
  Recommendation quiet2023 = Item(3, "631", 2023, "information", "Accueil.", "acceptee");
  Recommendation of2025 = Item(4, "631", 2025, "information", "Guide.");
  Recommendation of2026 = Item(5, "631", 2026, "information", "Plus tard.");
  const RegisterInputs in =
      SelectForReport(Themes(), {open2024, closed2023, quiet2023, of2025, of2026}, 2025);
  ASSERT_EQ(in.items.size(), 1u);
  EXPECT_EQ(in.items[0].id, 4);
  ASSERT_EQ(in.earlier.size(), 2u);  // closed in 2024: no longer followed
  EXPECT_EQ(in.earlier[0].id, 1);
  EXPECT_EQ(in.earlier[0].status, "mise_en_oeuvre");
  ASSERT_EQ(in.earlier[0].follow_ups.size(), 1u);  // the 2026 note is not shown in 2025
  EXPECT_EQ(in.earlier[0].follow_ups[0].note, "Fait.");
  EXPECT_EQ(in.earlier[1].id, 3);
  EXPECT_EQ(in.earlier[1].status, "acceptee");
  // The 2024 report shows open2024 as a year's item with its 2024 status.
  const RegisterInputs y2024 = SelectForReport(Themes(), {open2024, closed2023}, 2024);
  ASSERT_EQ(y2024.items.size(), 1u);
  EXPECT_EQ(y2024.items[0].status, "proposee");
  EXPECT_TRUE(y2024.items[0].follow_ups.empty());
  ASSERT_EQ(y2024.earlier.size(), 1u);  // closed in 2024: its closing shows in 2024
  EXPECT_EQ(y2024.earlier[0].status, "abandonnee");
}

const Section* Find(const ReportModel& m, std::string_view id) {
  for (const Section& s : m.sections) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::string AllText(const Section& s) {
  std::string out;
  for (const Block& b : s.blocks) {
    out += b.text + "\n";
    for (const std::string& i : b.items) out += i + "\n";
  }
  for (const Table& t : s.tables) {
    for (const auto& row : t.rows) {
      for (const Cell& c : row) out += c.Display() + " | ";
      out += "\n";
    }
  }
  return out;
}

TEST(Register, TheFindingsChapterShowsTheYearByThemeAndTheFollowUp) {
  ReportInputs in;
  in.funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "", false}};
  in.current.year = 2025;
  in.previous.year = 2024;
  in.generated_on = Date::FromCivil(2026, 1, 15);
  Recommendation a = Item(1, "631", 2025, "delais", "Réduire les **délais** de réponse.");
  a.addressed_to = "Direction de la relation de service";
  Recommendation b = Item(2, "631", 2025, "information", "Les courriers sont mal compris.");
  b.kind = "constat";
  Recommendation c = Item(3, "631", 2025, "delais", "- Suivre les dossiers\n- Relancer");
  Recommendation old = Item(4, "631", 2024, "information", "Refondre les **modèles**.");
  old.follow_ups = {FollowUp(2025, "2025-03-12", "mise_en_oeuvre", "Modèles refondus.")};
  old.status = "mise_en_oeuvre";
  in.register_items = SelectForReport(Themes(), {a, b, c, old}, 2025);
  const ReportModel m = AssembleReport(in);

  const Section* findings = Find(m, "findings");
  ASSERT_NE(findings, nullptr);  // created for the register even without a findings text
  EXPECT_EQ(findings->level, 1);
  const Section* reg = Find(m, "register");
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->title, "Les constats et préconisations de 2025");
  ASSERT_EQ(reg->tables.size(), 1u);
  const Table& t = reg->tables[0];
  ASSERT_EQ(t.rows.size(), 3u);  // information, delais (nomenclature order), total
  EXPECT_EQ(t.rows[0][0].text, "Clarté et accessibilité de l'information");
  EXPECT_EQ(t.rows[0][1].Display(), "1");  // one constat
  EXPECT_EQ(t.rows[1][2].Display(), "2");  // two préconisations on délais
  EXPECT_EQ(t.rows[2][3].Display(), "3");
  const std::string text = AllText(*reg);
  EXPECT_NE(text.find("la médiation formule 2 préconisations et 1 constat, sur 2 thèmes"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("**Préconisation** — Réduire les **délais** de réponse."),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Adressée à : Direction de la relation de service. Statut : proposée."),
            std::string::npos);
  EXPECT_NE(text.find("Suivre les dossiers"), std::string::npos);  // bullets kept
  // Themes as subheadings, in the nomenclature's order.
  std::vector<std::string> heads;
  for (const Block& bl : reg->blocks) {
    if (bl.kind == Block::Kind::kSubheading) heads.push_back(bl.text);
  }
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[1], "Délais de traitement et suivi des dossiers");

  const Section* fu = Find(m, "register_follow_up");
  ASSERT_NE(fu, nullptr);
  ASSERT_EQ(fu->tables.size(), 1u);
  ASSERT_EQ(fu->tables[0].rows.size(), 1u);
  const auto& row = fu->tables[0].rows[0];
  EXPECT_EQ(row[0].text, "2024");
  EXPECT_EQ(row[2].text, "Préconisation : Refondre les modèles.");  // markup dropped in cells
  EXPECT_EQ(row[3].text, "mise en œuvre");
  EXPECT_EQ(row[4].text, "le 12/03/2025 : mise en œuvre — Modèles refondus.");
  EXPECT_NE(AllText(*fu).find("1 mise en œuvre à la fin de 2025"), std::string::npos)
      << AllText(*fu);

  // CSV points: items per theme, earlier items per status.
  double delais = 0, done = 0;
  for (const DataPoint& p : m.data) {
    if (p.section == "register" && p.code == "delais") delais = p.count.value_or(0);
    if (p.section == "register_follow_up" && p.code == "mise_en_oeuvre") done = *p.count;
  }
  EXPECT_EQ(delais, 2);
  EXPECT_EQ(done, 1);
}

TEST(Register, NoItemsNoRegisterSections) {
  ReportInputs in;
  in.funds = {{"631", "Caf", "metropole", "", false}};
  in.current.year = 2025;
  in.generated_on = Date::FromCivil(2026, 1, 15);
  const ReportModel m = AssembleReport(in);
  EXPECT_EQ(Find(m, "register"), nullptr);
  EXPECT_EQ(Find(m, "register_follow_up"), nullptr);
}

TEST(RegisterSummary, EveryFundsItemsOfAYearByTheme) {
  Recommendation a = Item(1, "974", 2025, "delais", "A");
  Recommendation b = Item(2, "631", 2025, "delais", "B", "acceptee");
  b.kind = "constat";
  Recommendation c = Item(3, "631", 2025, "ancien", "C");
  Recommendation d = Item(4, "631", 2024, "delais", "D");  // another year
  Recommendation e = Item(5, "631", 2025, "delais", "E");
  e.follow_ups = {FollowUp(2026, "2026-01-05", "mise_en_oeuvre", "")};
  e.status = "mise_en_oeuvre";  // closed in 2026: still proposée at the end of 2025
  const std::vector<Organisme> funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "", false},
                                        {"974", "Caf de La Réunion", "reunion", "", false}};
  const GatheredRegister g = GatherRegisterFrom(Themes(), {a, b, c, d, e}, funds, 2025);
  EXPECT_EQ(g.year, 2025);
  EXPECT_EQ(g.total, 4);
  EXPECT_EQ(g.funds, 2);
  EXPECT_EQ(g.by_status[0], 3);  // proposée
  EXPECT_EQ(g.by_status[1], 1);  // acceptée
  ASSERT_EQ(g.themes.size(), 3u);  // two active themes, the inactive one used
  EXPECT_EQ(g.themes[0].code, "information");
  EXPECT_EQ(g.themes[0].total, 0);
  const GatheredTheme& delais = g.themes[1];
  EXPECT_EQ(delais.total, 3);
  EXPECT_EQ(delais.constats, 1);
  EXPECT_EQ(delais.by_status[0], 2);
  ASSERT_EQ(delais.items.size(), 3u);
  EXPECT_EQ(delais.items[0].organisme, "631");  // by fund, then position
  EXPECT_EQ(delais.items[0].fund_name, "Caf du Puy-de-Dôme");
  EXPECT_EQ(delais.items[1].text, "E");
  EXPECT_EQ(delais.items[1].status, "proposee");
  EXPECT_EQ(delais.items[2].fund_name, "Caf de La Réunion");
  EXPECT_EQ(g.themes[2].label, "Un thème retiré");
}

}  // namespace
}  // namespace amiable::report
