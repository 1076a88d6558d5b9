// Tests of the light markup (report/markup.h): blocks, spans, the three
// renderings, and hostile input (markup injection, unbalanced "**", invalid
// UTF-8, control characters). Pango accepts every ToPango output.
#include "report/markup.h"

#include <gtest/gtest.h>
#include <pango/pango.h>

#include <string>

namespace amiable::report::markup {
namespace {

using K = MarkupBlock::Kind;

// True when pango parses `m` as markup (what the PDF writer requires).
bool PangoAccepts(const std::string& m) {
  GError* err = nullptr;
  const gboolean ok = pango_parse_markup(m.c_str(), -1, 0, nullptr, nullptr, nullptr, &err);
  if (err != nullptr) g_error_free(err);
  return ok == TRUE;
}

TEST(Markup, BlocksOfAText) {
  const auto b = ParseBlocks("# Titre\nUn\ndeux\n\n- a **gras**\n- b\n  suite\n\nFin.\n> Signé");
  ASSERT_EQ(b.size(), 5u);
  EXPECT_EQ(b[0], (MarkupBlock{K::kSubheading, {"Titre"}}));
  EXPECT_EQ(b[1], (MarkupBlock{K::kParagraph, {"Un deux"}}));
  EXPECT_EQ(b[2], (MarkupBlock{K::kBullets, {"a **gras**", "b suite"}}));
  EXPECT_EQ(b[3], (MarkupBlock{K::kParagraph, {"Fin."}}));
  EXPECT_EQ(b[4], (MarkupBlock{K::kSignature, {"Signé"}}));
}

TEST(Markup, ParagraphAfterAListEndsTheList) {
  const auto b = ParseBlocks("Intro :\n- un\n- deux\nSuite sans ligne vide");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].kind, K::kParagraph);
  EXPECT_EQ(b[1].lines.size(), 2u);
  EXPECT_EQ(b[2], (MarkupBlock{K::kParagraph, {"Suite sans ligne vide"}}));
}

TEST(Markup, BlankTextsAndEmptyBullets) {
  EXPECT_TRUE(ParseBlocks("").empty());
  EXPECT_TRUE(ParseBlocks(" \n\t\n\r\n").empty());
  EXPECT_TRUE(ParseBlocks("-\n- \n•\n").empty()) << "bullets without text are nothing";
  EXPECT_EQ(ParseBlocks("#"), (std::vector<MarkupBlock>{{K::kParagraph, {"#"}}}))
      << "a lone # is text";
  EXPECT_EQ(ToHtml(""), "");
  EXPECT_EQ(ToPango(""), "");
  EXPECT_EQ(ToPlain(""), "");
}

TEST(Markup, CrLfAndCrAreLineEnds) {
  const auto b = ParseBlocks("un\r\ndeux\r\rtrois");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].lines[0], "un deux");
  EXPECT_EQ(b[1].lines[0], "trois");
}

TEST(Markup, SpansPairLeftToRight) {
  EXPECT_EQ(ParseSpans("a **b** c"),
            (std::vector<Span>{{"a ", false}, {"b", true}, {" c", false}}));
  EXPECT_EQ(ParseSpans("**tout**"), (std::vector<Span>{{"tout", true}}));
  EXPECT_EQ(ParseSpans("****"), std::vector<Span>{}) << "an empty bold span is nothing";
  // Unbalanced: the last unpaired "**" is printed as is.
  EXPECT_EQ(ParseSpans("5 ** 3"), (std::vector<Span>{{"5 ** 3", false}}));
  EXPECT_EQ(ParseSpans("**a** et **b"), (std::vector<Span>{{"a", true}, {" et **b", false}}));
  EXPECT_EQ(InlineTo("x **y", "<b>", "</b>"), "x **y");
}

TEST(Markup, HtmlRendering) {
  EXPECT_EQ(ToHtml("Un **deux**\n\n- a\n- b"),
            "<p>Un <strong>deux</strong></p><ul><li>a</li><li>b</li></ul>");
  EXPECT_EQ(ToHtml("# T\n> S"), "<h4>T</h4><p class=\"signature\">S</p>");
}

TEST(Markup, PangoRendering) {
  const std::string gap = "\n<span size=\"3072\"> </span>\n";
  EXPECT_EQ(ToPango("**Lettre réseau**\nLe livret change :\n- déontologie\n- délais"),
            "<b>Lettre réseau</b> Le livret change :" + gap + "• déontologie\n• délais");
  EXPECT_EQ(ToPango("Un\n\nDeux"), "Un" + gap + "Deux");
}

TEST(Markup, PlainRendering) {
  EXPECT_EQ(ToPlain("**Titre** : suite\n\n- a **b**\n- c"), "Titre : suite\n• a b\n• c");
}

TEST(Markup, HtmlInjectionIsEscaped) {
  const std::string evil =
      "<script>alert(1)</script> **<img src=x onerror=alert(1)>**\n- <a href=\"javascript:x\">"
      "l</a>\n\n# <h1>'q'</h1> &amp;";
  const std::string html = ToHtml(evil);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<a "), std::string::npos);
  EXPECT_EQ(html.find("<h1>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;javascript:x&quot;"), std::string::npos);
  EXPECT_NE(html.find("&amp;amp;"), std::string::npos);
  EXPECT_NE(html.find("&#39;q&#39;"), std::string::npos);
}

TEST(Markup, PangoInjectionIsEscaped) {
  const std::string evil =
      "<span foreground=\"red\" size=\"900000\">x</span> **<b>** </i> &bogus; <markup>";
  const std::string m = ToPango(evil);
  EXPECT_EQ(m.find("<span"), std::string::npos);
  EXPECT_EQ(m.find("</i>"), std::string::npos);
  EXPECT_TRUE(PangoAccepts(m)) << m;
  char* text = nullptr;
  ASSERT_TRUE(pango_parse_markup(m.c_str(), -1, 0, nullptr, &text, nullptr, nullptr));
  EXPECT_NE(std::string(text).find("<span foreground=\"red\""), std::string::npos)
      << "the tags are printed as text";
  g_free(text);
}

TEST(Markup, InvalidUtf8AndControlsAreMadeSafe) {
  const std::string bad = std::string("a\xC3(b\xE2\x82 c\xF0\x9F\x98") + "\x01\x07\x1B[31m\x7F" +
                          "\xC0\xAF" + "\xED\xA0\x80" + "é\u00A0ok";
  const std::string s = Sanitize(bad);
  EXPECT_EQ(s.find('\x01'), std::string::npos);
  EXPECT_EQ(s.find('\x1B'), std::string::npos);
  EXPECT_EQ(s.find('\x7F'), std::string::npos);
  EXPECT_TRUE(g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr));
  EXPECT_NE(s.find("\uFFFD"), std::string::npos);
  EXPECT_NE(s.find("é\u00A0ok"), std::string::npos) << "valid text is kept";
  for (const std::string& m : {ToPango(bad), ToPango("**" + bad + "**\n- " + bad)}) {
    EXPECT_TRUE(g_utf8_validate(m.data(), static_cast<gssize>(m.size()), nullptr));
    EXPECT_TRUE(PangoAccepts(m)) << m;
  }
  const std::string h = ToHtml(bad);
  EXPECT_TRUE(g_utf8_validate(h.data(), static_cast<gssize>(h.size()), nullptr));
}

TEST(Markup, EveryByteSoupGivesValidPango) {
  // A cheap stand-in for the fuzzer: pseudo-random bytes biased towards the
  // markers and the characters markup languages care about.
  const char alphabet[] = "*-#> \n\r\t<>&\"';abc\xC3\xA9\xE2\x80\xAF\x80\xFF\x01";
  uint32_t x = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    const int len = static_cast<int>(x % 60);
    for (int i = 0; i < len; ++i) {
      x = x * 1103515245u + 12345u;
      s += alphabet[(x >> 16) % (sizeof alphabet - 1)];
    }
    x = x * 1103515245u + 12345u;
    const std::string m = ToPango(s);
    ASSERT_TRUE(PangoAccepts(m)) << "input #" << round << ": " << m;
    const std::string h = ToHtml(s);
    ASSERT_TRUE(g_utf8_validate(h.data(), static_cast<gssize>(h.size()), nullptr));
    ASSERT_EQ(h.find("<script"), std::string::npos);
  }
}

}  // namespace
}  // namespace amiable::report::markup
