#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "letters/pdf.h"
#include "letters/templates.h"

namespace amiable::letters {
namespace {

LetterData Sample() {
  Case c;
  c.reference = "631-2025-00042";
  c.organisme = "631";
  c.received_on = *Date::Parse("2025-03-12");
  c.orientation = "Point conseil budget";
  c.orientation_code = "pcb";
  c.financial = std::vector<FinancialLine>{{"rappel", 12812006}, {"indu_annule", 73170}};
  Organisme fund{"631", "Caf du Puy-de-Dôme", "metropole", "84"};
  Person ben;
  ben.role = PersonRole::kBeneficiary;
  ben.name = "Mme Léa Dupont & fils <test>";
  ben.address = "12 rue des Gras, 63000 Clermont-Ferrand";
  ben.email = "lea@example.fr";
  return LetterDataFor(c, fund, {ben}, "Paul Martin", *Date::Parse("2026-12-02"),
                       *Date::Parse("2025-03-24"));
}

TEST(LettersTemplates, EveryKindHasAFrenchDefaultThatCompiles) {
  for (const KindInfo& k : Kinds()) {
    TemplateText t = DefaultTemplate(k.code);
    if (k.code != "place") EXPECT_FALSE(t.body.empty()) << k.code;
    EXPECT_EQ(k.is_letter, !t.subject.empty()) << k.code;
    EXPECT_FALSE(CheckTemplate(t.body, "body")) << k.code;
    EXPECT_FALSE(CheckTemplate(t.subject, "subject")) << k.code;
  }
}

TEST(LettersTemplates, DataFromACaseIsFrench) {
  LetterData d = Sample();
  EXPECT_EQ(d.received_on, "12 mars 2025");
  EXPECT_EQ(d.today, "2 décembre 2026");
  EXPECT_EQ(d.deadline, "24 mars 2025");
  EXPECT_EQ(d.requester_name, "Mme Léa Dupont & fils <test>");
  ASSERT_EQ(d.requester_address.size(), 2u);
  EXPECT_EQ(d.requester_address[1], "63000 Clermont-Ferrand");
  ASSERT_EQ(d.amounts.size(), 2u);
  EXPECT_EQ(d.amounts[0].amount, "128\u202F120,06\u00A0€");
  EXPECT_EQ(d.amounts_total, "128\u202F851,76\u00A0€");
}

TEST(LettersTemplates, AcknowledgementRendersTextUnescapedAndHtmlEscaped) {
  TemplateSet set;
  set.Override("place", {"", "Clermont-Ferrand"});
  set.Override("opening", {"", "Madame, Monsieur, ({{requester_name}})"});
  auto r = Render(set, "acknowledgement", Sample());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->subject, "Accusé de réception de votre demande de médiation — 631-2025-00042");
  EXPECT_NE(r->body_text.find("(Mme Léa Dupont & fils <test>)"), std::string::npos);
  EXPECT_NE(r->body_text.find("le 12 mars 2025"), std::string::npos);
  EXPECT_NE(r->body_text.find("au plus tard le 24 mars 2025"), std::string::npos);
  EXPECT_NE(r->body_text.find("ne suspend pas les délais de recours"), std::string::npos);
  EXPECT_EQ(r->body_text.find("{{"), std::string::npos);
  EXPECT_EQ(r->body_text.find("\n\n\n"), std::string::npos);
  EXPECT_NE(r->signature.find("Paul Martin\nLe médiateur administratif\nCaf du Puy-de-Dôme"),
            std::string::npos);
  EXPECT_EQ(r->DateLine(), "Clermont-Ferrand, le 2 décembre 2026");
  const std::string html = r->EmailHtml();
  EXPECT_NE(html.find("Mme Léa Dupont &amp; fils &lt;test&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<test>"), std::string::npos);
  EXPECT_NE(r->EmailText().find("Paul Martin"), std::string::npos);
  ASSERT_EQ(r->letterhead.size(), 2u);
  EXPECT_EQ(r->letterhead[0], "Caf du Puy-de-Dôme");
}

TEST(LettersTemplates, TripleMustacheCannotInjectHtml) {
  TemplateSet set;
  auto r =
      Render(set, "answer", Sample(), std::nullopt, "{{{requester_name}}} {{& requester_name}}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->EmailHtml().find("<test>"), std::string::npos);
}

TEST(LettersTemplates, AnswerListsAmountsAndOrientationShowsInInadmissibility) {
  TemplateSet set;
  LetterData d = Sample();
  d.response = "Votre droit est rétabli.";
  auto r = Render(set, "answer", d);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NE(r->body_text.find("Votre droit est rétabli."), std::string::npos);
  EXPECT_EQ(r->body_text.find("[Exposez"), std::string::npos);
  EXPECT_NE(r->body_text.find("Montants concernés :\n– Rappel : 128\u202F120,06\u00A0€\n– "),
            std::string::npos)
      << r->body_text;
  auto i = Render(set, "inadmissibility", d);
  ASSERT_TRUE(i);
  EXPECT_NE(i->body_text.find("nous vous orientons vers : Point conseil budget."),
            std::string::npos);
}

TEST(LettersTemplates, EditedTextIsRenderedAgain) {
  TemplateSet set;
  auto r = Render(set, "answer", Sample(), std::string("Réponse — {{reference}}"),
                  std::string("Bonjour.\n\nDossier {{reference}}."));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->subject, "Réponse — 631-2025-00042");
  EXPECT_EQ(r->body_text, "Bonjour.\n\nDossier 631-2025-00042.");
}

TEST(LettersTemplates, CompileErrorsAreFrenchWithThePosition) {
  auto e = CheckTemplate("Bonjour\n{{#amounts}}\n- {{label}}\n", "body");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "body");
  EXPECT_EQ(e->message_id, "letter.template_unclosed_section");
  EXPECT_NE(e->message.find("« amounts »"), std::string::npos) << e->message;
  EXPECT_NE(e->message.find("ligne 2, colonne 1"), std::string::npos) << e->message;
  auto u = CheckTemplate("Ligne é\nOk {{reference", "subject");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->message_id, "letter.template_unclosed_tag");
  EXPECT_NE(u->message.find("ligne 2, colonne 4"), std::string::npos) << u->message;
  auto o = CheckTemplate("{{/x}}", "body");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->message_id, "letter.template_unopened_section");
  auto p = CheckTemplate("{{> inconnu}}", "body");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->message_id, "letter.template_partial_unknown");
  EXPECT_FALSE(CheckTemplate("{{> opening}} {{reference}}", "body"));
  EXPECT_FALSE(Render(TemplateSet(), "opening", Sample()));  // a block is not a letter
}

std::string PdfText(const std::string& pdf, const std::string& name) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << pdf;
  std::string cmd = "pdftotext -layout " + path + " - 2>/dev/null";
  std::string out;
  if (FILE* f = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    pclose(f);
  }
  return out;
}

TEST(LettersPdf, OnePageLetterReadsBackWithAccentsAndEuros) {
  TemplateSet set;
  set.Override("place", {"", "Clermont-Ferrand"});
  LetterData d = Sample();
  d.response = "Un rappel vous sera versé.";
  auto r = Render(set, "answer", d);
  ASSERT_TRUE(r);
  auto pdf = RenderPdf(*r);
  ASSERT_TRUE(pdf) << pdf.error().message;
  ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
  const std::string text = PdfText(*pdf, "letter1.pdf");
  if (text.empty()) GTEST_SKIP() << "pdftotext not available";
  EXPECT_NE(text.find("Clermont-Ferrand, le 2 décembre 2026"), std::string::npos) << text;
  EXPECT_NE(text.find("Objet :"), std::string::npos);
  EXPECT_NE(text.find("Référence : 631-2025-00042"), std::string::npos);
  EXPECT_NE(text.find("€"), std::string::npos);
  EXPECT_NE(text.find("Mme Léa Dupont & fils <test>"), std::string::npos);
  EXPECT_EQ(text.find("page 1 / "), std::string::npos);
}

TEST(LettersPdf, LongLetterHasPageNumbers) {
  TemplateSet set;
  std::string body;
  for (int i = 0; i < 40; ++i) {
    body += "Paragraphe " + std::to_string(i) +
            " : la médiation réexamine la situation avec attention et neutralité.\n\n";
  }
  auto r = Render(set, "answer", Sample(), std::nullopt, body);
  ASSERT_TRUE(r);
  auto pdf = RenderPdf(*r);
  ASSERT_TRUE(pdf);
  const std::string text = PdfText(*pdf, "letter2.pdf");
  if (text.empty()) GTEST_SKIP() << "pdftotext not available";
  const size_t first = text.find("page 1 / ");
  ASSERT_NE(first, std::string::npos) << text;
  const std::string total = text.substr(first + 9, 1);
  EXPECT_GE(std::stoi(total), 2);
  EXPECT_NE(text.find("page " + total + " / " + total), std::string::npos);
  EXPECT_NE(text.find("Paragraphe 39"), std::string::npos);
  EXPECT_NE(text.find("(suite)"), std::string::npos);
}

}  // namespace
}  // namespace amiable::letters
