// The PDF layout rules (pdf_internal.h), checked on where the layout placed
// every block: a heading is never the last thing on its page, a table keeps
// its caption with its first rows and repeats its header on every page it
// continues on; and the fund's brand (colour, logo embedded once).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "report/brand.h"
#include "report/pdf_internal.h"
#include "report/writers.h"

namespace amiable::report {
namespace {

using pdf_internal::PdfBuilder;
using pdf_internal::Placement;

bool IsHeading(const Placement& p) {
  return p.what == "chapter" || p.what == "section" || p.what == "subheading";
}

std::string Words(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? " " : "") + std::string("médiation");
  return s;
}

Table Rows(std::string id, int n) {
  Table t;
  t.id = std::move(id);
  t.caption = "Tableau " + t.id;
  t.header = {"Indicateur", "2024", "2025"};
  for (int i = 0; i < n; ++i) {
    t.rows.push_back({Cell::Text("Ligne " + std::to_string(i + 1)), Cell::Count(i), Cell::Count(2 * i)});
  }
  return t;
}

// A chapter opened by `filler` words, then sections whose headings fall
// wherever the filler leaves them: a section with a table kept whole, one
// with a subheading and a chart, one with a heading followed by a
// subheading (a run of headings) and a long text, and a list.
ReportModel Model(int filler) {
  ReportModel m;
  m.title = "Rapport";
  m.fund_label = "Caf de test (999)";
  m.year = 2025;
  Section ch;
  ch.id = "ch";
  ch.title = "Chapitre";
  ch.level = 1;
  ch.Paragraph(Words(filler));
  m.sections.push_back(ch);
  Section a;
  a.id = "a";
  a.title = "Section avec un tableau";
  a.AddTable(Rows("a", 12));
  m.sections.push_back(a);
  Section b;
  b.id = "b";
  b.title = "Section avec un graphique";
  b.Subheading("Un sous-titre avant le graphique");
  Table bt = Rows("b", 5);
  b.AddTable(bt);
  Chart c;
  c.title = "Graphique";
  c.table = 0;
  c.value_columns = {1, 2};
  b.AddChart(c);
  m.sections.push_back(b);
  Section d;
  d.id = "d";
  d.title = "Section suivie d'un sous-titre";
  d.Subheading("Sous-titre aussitôt après");
  d.Paragraph(Words(220));
  d.Bullets({Words(30), Words(5)});
  m.sections.push_back(d);
  return m;
}

std::vector<Placement> LayOut(const ReportModel& m) {
  auto p = PdfBuilder(m).LayOut();
  EXPECT_TRUE(p) << (p ? "" : ToString(p.error()));
  return p ? *p : std::vector<Placement>{};
}

TEST(PdfLayout, AHeadingIsNeverTheLastThingOnItsPage) {
  int moved = 0;  // cases where the rule had to move a heading
  for (int filler = 10; filler <= 900; filler += 10) {
    const std::vector<Placement> ps = LayOut(Model(filler));
    ASSERT_FALSE(ps.empty());
    for (size_t i = 0; i < ps.size(); ++i) {
      if (!IsHeading(ps[i])) continue;
      size_t j = i + 1;
      while (j < ps.size() && IsHeading(ps[j])) ++j;
      ASSERT_LT(j, ps.size()) << "a heading ends the document: " << ps[i].label;
      EXPECT_EQ(ps[j].page, ps[i].page)
          << "filler " << filler << ": « " << ps[i].label << " » on page " << ps[i].page
          << ", its block (" << ps[j].what << " " << ps[j].label << ") on page " << ps[j].page;
      if (ps[i].what == "section" && ps[i].top < pdf_internal::kTop + 1 && i > 0 &&
          ps[i - 1].page + 1 == ps[i].page) {
        ++moved;
      }
    }
    // Every placement fits its page.
    for (const Placement& p : ps) {
      EXPECT_GE(p.top, pdf_internal::kTop - 0.01) << p.what << " " << p.label;
      EXPECT_LE(p.bottom, pdf_internal::kBottom + 0.01) << p.what << " " << p.label;
    }
  }
  EXPECT_GT(moved, 0) << "the fillers never put a heading near a page end: the test tests nothing";
}

TEST(PdfLayout, ALongTableRepeatsItsCaptionAndHeaderOnEveryPage) {
  ReportModel m = Model(10);
  Section t;
  t.id = "long";
  t.title = "Un long tableau";
  t.AddTable(Rows("long", 150));
  m.sections.insert(m.sections.begin() + 1, t);
  const std::vector<Placement> ps = LayOut(m);
  std::map<int, std::vector<const Placement*>> by_page;  // the table's placements, per page
  for (const Placement& p : ps) {
    if ((p.what == "row" || p.what == "header") && p.label == "long") by_page[p.page].push_back(&p);
    if (p.what == "caption" && p.label.rfind("Tableau long", 0) == 0) by_page[p.page].push_back(&p);
  }
  ASSERT_GE(by_page.size(), 3u) << "150 rows span at least three pages";
  int rows = 0;
  bool first = true;
  for (const auto& [page, items] : by_page) {
    ASSERT_GE(items.size(), 3u) << "page " << page;
    EXPECT_EQ(items[0]->what, "caption") << "page " << page;
    EXPECT_EQ(items[0]->label, first ? "Tableau long" : "Tableau long (suite)") << "page " << page;
    EXPECT_EQ(items[1]->what, "header") << "page " << page;
    EXPECT_LT(items[1]->top, items[2]->top);
    for (size_t i = 2; i < items.size(); ++i) {
      EXPECT_EQ(items[i]->what, "row");
      ++rows;
    }
    EXPECT_GE(items.size() - 2, 2u) << "never a lone row on page " << page;
    first = false;
  }
  EXPECT_EQ(rows, 150);
}

TEST(PdfLayout, ACaptionStaysWithItsFirstRows) {
  for (int filler = 10; filler <= 900; filler += 10) {
    ReportModel m = Model(filler);
    m.sections[1].tables[0] = Rows("a", 40);  // too long to be kept whole
    const std::vector<Placement> ps = LayOut(m);
    for (size_t i = 0; i < ps.size(); ++i) {
      if (ps[i].what != "caption") continue;
      ASSERT_LT(i + 3, ps.size());
      EXPECT_EQ(ps[i + 1].what, "header");
      EXPECT_EQ(ps[i + 2].what, "row");
      EXPECT_EQ(ps[i + 3].what, "row") << ps[i].label;
      EXPECT_EQ(ps[i + 3].page, ps[i].page) << "filler " << filler << ": " << ps[i].label;
    }
  }
}

TEST(PdfLayout, TheMovedHeadingsKeepTheirContentsEntries) {
  // The whole document renders, and the outline is consistent with the
  // moved headings (cairo refuses a link to a page that does not exist).
  for (int filler : {300, 420, 560}) {
    auto pdf = RenderPdf(Model(filler));
    ASSERT_TRUE(pdf) << ToString(pdf.error());
    EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  }
}

TEST(Brand, ColoursStayReadable) {
  const auto yellow = ParseHexColour("#FFFF00");
  ASSERT_TRUE(yellow);
  const BrandColours b = BrandColoursOf(*yellow);
  EXPECT_GE(Contrast(b.text, {1, 1, 1}), 4.5);
  EXPECT_EQ(b.band.Hex(), "#ffff00");
  EXPECT_LT(b.on_band.r, 0.5) << "dark text on a light band";
  const BrandColours blue = BrandColoursOf(*ParseHexColour("#1f4e7d"));
  EXPECT_EQ(blue.text.Hex(), "#1f4e7d") << "a readable colour is kept as is";
  EXPECT_EQ(blue.on_band.Hex(), "#ffffff");
  EXPECT_FALSE(ParseHexColour("1f4e7d"));
  EXPECT_FALSE(ParseHexColour("#1f4e7g"));
  EXPECT_EQ(BrandStyles("#1F4E7D"),
            ".amiable-report{--amiable-brand:#1f4e7d;--amiable-accent:#1f4e7d}\n");
  EXPECT_EQ(BrandStyles("red"), "");
}

std::string Png(int w, int h) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 0.8, 0.1, 0.1);
  cairo_paint(cr);
  cairo_destroy(cr);
  std::string out;
  cairo_surface_write_to_png_stream(
      s,
      [](void* c, const unsigned char* d, unsigned int n) {
        static_cast<std::string*>(c)->append(reinterpret_cast<const char*>(d), n);
        return CAIRO_STATUS_SUCCESS;
      },
      &out);
  cairo_surface_destroy(s);
  return out;
}

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

TEST(Brand, TheLogoIsEmbeddedOnceAndDrawnOnEveryPage) {
  ReportModel m = Model(200);
  const auto plain = RenderPdf(m);
  ASSERT_TRUE(plain);
  EXPECT_EQ(Count(*plain, "/Subtype /Image"), 0u);
  m.logo = Png(120, 60);
  m.logo_type = "image/png";
  m.colour = "#7A1F5C";
  const auto branded = RenderPdf(m);
  ASSERT_TRUE(branded);
  EXPECT_EQ(Count(*branded, "/Subtype /Image"), 1u) << "one image object, used on every page";
  // Drawn on the cover and in every header: the image's resource name is
  // used once per page ("/x5 Do" or the like in each page's content: the
  // contents are compressed, so count the pages that list it instead).
  EXPECT_GE(Count(*branded, "/XObject"), 3u);
  // A logo cairo cannot read, or a JPEG, is left out rather than failing.
  m.logo = "\x89PNG\r\n\x1a\nnot really";
  EXPECT_TRUE(RenderPdf(m));
  m.logo = "\xFF\xD8\xFF\xE0 jpeg";
  m.logo_type = "image/jpeg";
  const auto jpeg = RenderPdf(m);
  ASSERT_TRUE(jpeg);
  EXPECT_EQ(Count(*jpeg, "/Subtype /Image"), 0u);
}

TEST(Brand, TheHtmlReportShowsTheLogoAndTheColour) {
  ReportModel m = Model(20);
  EXPECT_EQ(RenderHtml(m).find("class=\"logo\""), std::string::npos);
  m.logo = Png(12, 6);
  m.logo_type = "image/png";
  m.colour = "#7A1F5C";
  const std::string html = RenderHtml(m);
  EXPECT_NE(html.find("<img class=\"logo\" src=\"data:image/png;base64,iVBORw0KGgo"), std::string::npos);
  EXPECT_NE(html.find("--amiable-brand:#7a1f5c"), std::string::npos);
  const std::string frag = RenderHtmlFragment(m, "/marque/logo?organisme=999");
  EXPECT_NE(frag.find("<img class=\"logo\" src=\"/marque/logo?organisme=999\" alt=\"Logo — Caf de test (999)\">"),
            std::string::npos);
  EXPECT_EQ(frag.find("style"), std::string::npos) << "the workspace's CSP: no inline style";
  EXPECT_EQ(frag.find("data:"), std::string::npos) << "nor data: images";
}

}  // namespace
}  // namespace amiable::report
