// The register page's view (/registre), from plain data, rendered with the
// real template: items grouped by theme, the earlier ones followed, the
// forms only for writers, a refused form shown again with what was typed.
#include "web/pages_recommendations.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace amiable::web::pages {
namespace {

std::string ReadTemplate(const std::string& name) {
  std::ifstream in(std::string(AMIABLE_SOURCE_DIR) + "/web/templates/" + name + ".mustache");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Render(Data& d) {
  d.set("csrf", "TOKEN");
  return kainjow::mustache::mustache(ReadTemplate("registre")).render(d);
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

RegisterPageInput Input() {
  RegisterPageInput in;
  in.funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "", false}};
  in.organisme = "631";
  in.year = 2025;
  in.this_year = 2025;
  in.today = Date::FromCivil(2025, 3, 12);
  in.may_write = true;
  in.reg.year = 2025;
  in.reg.themes = {{"information", "Clarté et accessibilité de l'information", 1, true},
                   {"delais", "Délais de traitement et suivi des dossiers", 5, true}};
  Recommendation a;
  a.id = 7;
  a.organisme = "631";
  a.year = 2025;
  a.theme = "delais";
  a.text = "Réduire les <délais>.";
  a.addressed_to = "Direction";
  Recommendation b = a;
  b.id = 8;
  b.theme = "information";
  b.kind = "constat";
  b.text = "Courriers peu clairs.";
  b.addressed_to = "";
  Recommendation c = a;
  c.id = 9;
  c.text = "Relancer les services.";
  in.reg.items = {a, b, c};
  Recommendation old = a;
  old.id = 3;
  old.year = 2024;
  old.status = "mise_en_oeuvre";
  old.follow_ups = {{1, 2025, "2025-03-12", "mise_en_oeuvre", "Fait.", "claire", ""}};
  in.reg.earlier = {old};
  return in;
}

TEST(RegisterPageView, ItemsByThemeAndTheEarlierOnesFollowed) {
  RegisterPageInput in = Input();
  Data d = RegisterPageView(in);
  const std::string html = Render(d);
  // Themes in the nomenclature's order: information before délais.
  const size_t info = html.find("<h3>Clarté et accessibilité de l&apos;information</h3>");
  const size_t delais = html.find("<h3>Délais de traitement et suivi des dossiers</h3>");
  ASSERT_NE(info, std::string::npos) << html;
  ASSERT_NE(delais, std::string::npos);
  EXPECT_LT(info, delais);
  EXPECT_NE(html.find("Constats et préconisations de 2025 (3)"), std::string::npos);
  EXPECT_NE(html.find("Réduire les &lt;délais&gt;."), std::string::npos);  // escaped
  EXPECT_NE(html.find("Adressée à : Direction."), std::string::npos);
  EXPECT_EQ(Count(html, "Adressée à : "), 3u);  // 7, 9 and the earlier 3; not 8
  EXPECT_NE(html.find("Suivi en 2025 des années précédentes"), std::string::npos);
  EXPECT_NE(html.find("Suivi 2025, le 12/03/2025 (claire) : <strong>mise en œuvre</strong> — Fait."),
            std::string::npos);
  // Move buttons within a theme: 7 goes down, 9 goes up, 8 alone has none.
  EXPECT_NE(html.find("Descendre<span class=\"sr-only\"> le n° 7"), std::string::npos);
  EXPECT_NE(html.find("Monter<span class=\"sr-only\"> le n° 9"), std::string::npos);
  EXPECT_EQ(html.find("le n° 8</span>"), std::string::npos);
  // Every form carries the token; the follow-up form defaults to the year and today.
  EXPECT_EQ(Count(html, "name=\"csrf\" value=\"TOKEN\""), Count(html, "method=\"post\""));
  EXPECT_NE(html.find("name=\"suivi_annee\" value=\"2025\""), std::string::npos);
  EXPECT_NE(html.find("name=\"date\" value=\"2025-03-12\""), std::string::npos);
}

TEST(RegisterPageView, ReadersSeeNoForm) {
  RegisterPageInput in = Input();
  in.may_write = false;
  Data d = RegisterPageView(in);
  const std::string html = Render(d);
  EXPECT_EQ(html.find("method=\"post\""), std::string::npos);
  EXPECT_NE(html.find("Courriers peu clairs."), std::string::npos);
}

TEST(RegisterPageView, ARefusedFormComesBackOpenWithWhatWasTyped) {
  RegisterPageInput in = Input();
  in.refused_form = "add";
  in.refused_message = "Le texte de la recommandation est vide (champ « texte »).";
  in.posted = {{"theme", "delais"}, {"kind", "constat"}, {"addressed_to", "Le directeur"},
               {"text", ""}, {"status", "acceptee"}};
  Data d = RegisterPageView(in);
  const std::string html = Render(d);
  EXPECT_NE(html.find("<details class=\"action\" id=\"ajout\" open>"), std::string::npos);
  EXPECT_NE(html.find("champ « texte »"), std::string::npos);
  EXPECT_NE(html.find("value=\"Le directeur\""), std::string::npos);
  EXPECT_NE(html.find("<option value=\"acceptee\" selected>"), std::string::npos);

  RegisterPageInput f = Input();
  f.refused_form = "follow:3";
  f.refused_message = "Date de suivi invalide";
  f.posted = {{"suivi_annee", "2025"}, {"date", "31/02/2025"}, {"note", "Ma note"},
              {"statut", "abandonnee"}};
  Data fd = RegisterPageView(f);
  const std::string fh = Render(fd);
  EXPECT_NE(fh.find("Date de suivi invalide"), std::string::npos);
  EXPECT_NE(fh.find("value=\"31/02/2025\""), std::string::npos);
  EXPECT_NE(fh.find(">Ma note</textarea>"), std::string::npos);
}

}  // namespace
}  // namespace amiable::web::pages
