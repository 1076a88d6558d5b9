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
  EXPECT_NE(html.find("02/03/2026 10:05"), std::string::npos);
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

namespace amiable::web::pages {
namespace {

TEST(LettersPagesTest, ReplyFromTheCaseOpensTheAnswerInReplyToTheMessage) {
  // The case page: each incoming entry links to the answer, in reply to it.
  CasePageInput page;
  page.c.reference = "631-2026-00003";
  page.c.organisme = "631";
  page.c.state = CaseState::kInProgress;
  page.today = Date::FromCivil(2026, 3, 16);
  service::ThreadEntry in;
  in.direction = "in";
  in.kind = "message";
  in.at = "2026-03-10T08:00:00Z";
  in.subject = "Ma question";
  in.from_address = "lea@example.fr";
  in.received_id = 41;
  service::ThreadEntry out;
  out.direction = "out";
  out.kind = "letter";
  out.at = "2026-03-11T08:00:00Z";
  out.subject = "Accusé";
  out.state = "sent";
  page.thread = {in, out};
  const std::string html = Render("dossier", CasePageView(page, Labels()));
  EXPECT_NE(html.find(R"(<a href="/dossiers/631-2026-00003/courriers?modele=answer&amp;reponse_a=41" class="button secondary">Répondre</a>)"),
            std::string::npos);
  size_t replies = 0;
  for (size_t p = html.find(">Répondre</a>"); p != std::string::npos;
       p = html.find(">Répondre</a>", p + 1)) {
    ++replies;
  }
  EXPECT_EQ(replies, 1u);  // not on the outgoing letter

  // The letters page: the message answered, carried by both forms.
  CaseLettersInput l;
  l.c = page.c;
  l.kind = "answer";
  l.reply_to_id = 41;
  l.reply_to_from = "lea@example.fr";
  l.reply_to_subject = "Ma question";
  l.reply_to_at = "2026-03-10T08:00:00Z";
  const std::string letters = Render("courriers", CaseLettersView(l));
  EXPECT_NE(letters.find("En réponse au message de lea@example.fr reçu le 10/03/2026 09:00 : « Ma question »"),
            std::string::npos);
  size_t hidden = 0;
  for (size_t p = letters.find(R"(name="reponse_a" value="41")"); p != std::string::npos;
       p = letters.find(R"(name="reponse_a" value="41")", p + 1)) {
    ++hidden;
  }
  EXPECT_EQ(hidden, 2u);
}

}  // namespace
}  // namespace amiable::web::pages
