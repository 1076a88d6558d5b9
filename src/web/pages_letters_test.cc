// The letter pages' views, rendered with their real templates (web/templates).
#include "web/pages_letters.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace amiable::web::pages {
namespace {

std::string Template(const std::string& name) {
  std::ifstream in(std::string(AMIABLE_SOURCE_DIR) + "/web/templates/" + name + ".mustache");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Render(const std::string& name, const Data& d) {
  Data copy = d;
  copy.set("csrf", "jeton");
  kainjow::mustache::mustache m(Template(name));
  EXPECT_TRUE(m.is_valid()) << m.error_message();
  return m.render(copy);
}

std::vector<service::TemplateEntry> Entries() {
  std::vector<service::TemplateEntry> out;
  for (const letters::KindInfo& k : letters::Kinds()) {
    letters::TemplateText t = letters::DefaultTemplate(k.code);
    out.push_back({std::string(k.code), std::string(k.label), k.is_letter, k.code == "answer",
                   t.subject, t.body, "chef", "2026-03-01T10:00:00Z"});
  }
  return out;
}

TEST(LettersPagesTest, TemplatesPageListsKindsEditorAndVariables) {
  TemplatesPageInput in;
  in.funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "84", false}};
  in.organisme = "631";
  in.templates = Entries();
  in.kind = "answer";
  in.subject = "Réponse — {{reference}}";
  in.body = "<b>{{> opening}}</b>";
  in.may_edit = true;
  in.reference = "631-2026-00001";
  service::LetterPreview p;
  p.letter.subject = "Réponse — 631-2026-00001";
  p.text = "Madame, Monsieur, <script>";
  in.preview = &p;
  in.preview_kind = "answer";
  const std::string html = Render("modeles", TemplatesPageView(in));
  EXPECT_NE(html.find("Accusé de réception"), std::string::npos);
  EXPECT_NE(html.find("Bloc : formule d&apos;appel"), std::string::npos);
  EXPECT_NE(html.find("aria-current=\"page\">Réponse</a> <span class=\"badge\">modifié</span>"),
            std::string::npos);
  EXPECT_NE(html.find("modifié par chef le 01/03/2026"), std::string::npos);
  // The editor's text is escaped, the variables shown literally.
  EXPECT_NE(html.find("&lt;b&gt;{{&gt; opening}}&lt;/b&gt;"), std::string::npos) << html;
  EXPECT_NE(html.find("<code>{{reference}}</code>"), std::string::npos);
  EXPECT_NE(html.find("<code>{{#variable}}…{{/variable}}</code>"), std::string::npos);
  EXPECT_NE(html.find("Madame, Monsieur, &lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("value=\"save\""), std::string::npos);
  EXPECT_NE(html.find("value=\"reset\""), std::string::npos);
  EXPECT_NE(html.find("name=\"csrf\" value=\"jeton\""), std::string::npos);
  in.may_edit = false;
  const std::string ro = Render("modeles", TemplatesPageView(in));
  EXPECT_EQ(ro.find("value=\"save\""), std::string::npos);
  EXPECT_NE(ro.find("readonly"), std::string::npos);
}

TEST(LettersPagesTest, TemplateErrorIsTiedToItsField) {
  TemplatesPageInput in;
  in.organisme = "631";
  in.templates = Entries();
  in.kind = "acknowledgement";
  in.may_edit = true;
  in.error = "La section « amounts » n'est pas fermée (ligne 2, colonne 1).";
  in.error_field = "body";
  const std::string html = Render("modeles", TemplatesPageView(in));
  EXPECT_NE(html.find("<a href=\"#tpl-body\">La section « amounts »"), std::string::npos) << html;
  EXPECT_NE(html.find("id=\"tpl-body-err\""), std::string::npos);
  EXPECT_NE(html.find("aria-describedby=\"tpl-body-err\""), std::string::npos);
}

TEST(LettersPagesTest, CaseLettersPageOffersTheStatesKindAndListsLetters) {
  CaseLettersInput in;
  in.c.reference = "631-2026-00002";
  in.c.state = CaseState::kOnHold;
  in.suggested = service::SuggestedLetterKinds(in.c);
  in.kind = "intermediate";
  in.subject = "Objet";
  in.body = "Texte";
  in.has_email = false;
  LetterRecord l;
  l.kind = "acknowledgement";
  l.mode = "courrier";
  l.subject = "Accusé";
  l.document_id = 7;
  l.created_by = "alice";
  l.created_at = "2026-03-02T09:05:00Z";
  in.letters = {l};
  in.user_names = {{"alice", "Alice Martin"}};
  in.download_id = 7;
  const std::string html = Render("courriers", CaseLettersView(in));
  EXPECT_NE(html.find("<option value=\"intermediate\" selected>Notification intermédiaire "
                      "(dossier en attente) (proposé)</option>"),
            std::string::npos)
      << html;
  EXPECT_EQ(html.find("value=\"courriel\""), std::string::npos);  // no address: post only
  EXPECT_NE(html.find("value=\"courrier\""), std::string::npos);
  EXPECT_NE(html.find("/dossiers/631-2026-00002/documents/7"), std::string::npos);
  EXPECT_NE(html.find("id=\"telecharger-courrier\""), std::string::npos);
  EXPECT_NE(html.find("02/03/2026 09:05"), std::string::npos);
  EXPECT_NE(html.find("Alice Martin"), std::string::npos);

  Data section;
  AddCaseLettersSection(in.c, in.letters, in.user_names, section);
  const std::string page = Render("dossier", section);
  EXPECT_NE(page.find("/dossiers/631-2026-00002/courriers?modele=intermediate"), std::string::npos);
  EXPECT_NE(page.find("Courrier postal"), std::string::npos);
}

TEST(LettersPagesTest, InadmissibilityAsksForTheOrientation) {
  CaseLettersInput in;
  in.c.reference = "631-2026-00003";
  in.c.state = CaseState::kInadmissible;
  in.suggested = service::SuggestedLetterKinds(in.c);
  in.kind = "inadmissibility";
  in.orientations = service::DefaultOrientations("631");
  in.orientation_code = "cra";
  in.has_email = true;
  in.error = "Choisissez l'orientation dans la liste de la Caf.";
  in.error_field = "orientation_code";
  const std::string html = Render("courriers", CaseLettersView(in));
  EXPECT_NE(html.find("<option value=\"cra\" selected>"), std::string::npos);
  EXPECT_NE(html.find("href=\"#lt-orientation_code\""), std::string::npos);
  EXPECT_NE(html.find("value=\"courriel\""), std::string::npos);
}

}  // namespace
}  // namespace amiable::web::pages
