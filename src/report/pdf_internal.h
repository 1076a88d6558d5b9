// Shared by the PDF writer's files (pdf_layout.cc, pdf_writer.cc,
// pdf_brand.cc) and its layout test. Internal: not a public contract; the
// public entry point is RenderPdf() in report/writers.h.
//
// Two phases. Layout walks the model once, measures every text with pango
// and cuts the flow into A4 pages, each page a list of drawing operations.
// Render then draws the pages; page numbers, the contents page and the
// outline are known by then. Fonts are found through fontconfig (DejaVu Sans,
// from fonts-dejavu-core) and embedded as subsets by cairo.
//
// pdf_layout.cc holds the page machinery: the cairo surface and metadata,
// text with pango, pages and page breaks, flowing text, headings (kept with
// what follows), the contents page, headers and footers, and the rendering
// of the pages with the outline. pdf_writer.cc lays out the report's blocks:
// paragraphs, lists, warnings, key figures, tables, charts and the cover.
// pdf_brand.cc: the fund's colour and logo (ReportModel::colour, logo).
//
// Layout rules (pdf_layout_test.cc checks them on the placements):
// - A heading (chapter, section, subheading) is never the last thing on its
//   page: it is kept with the start of the block after it (a heading, or a
//   run of headings, that would end a page moves to the next one with it);
//   a short paragraph (<= 60 pt) between a heading and a table or chart
//   belongs to the run, so heading, introduction and figure start together.
// - A table keeps its caption with its header and first two rows (a small
//   table is kept whole); on every page it continues on, its caption
//   "(suite)" and its header row are repeated.
// - A paragraph never leaves a single line at a page end.
#ifndef AMIABLE_REPORT_PDF_INTERNAL_H_
#define AMIABLE_REPORT_PDF_INTERNAL_H_

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/model.h"
#include "report/writers.h"

namespace amiable::report::pdf_internal {

constexpr double kPageW = 595.276;
constexpr double kPageH = 841.890;
constexpr double kMarginX = 56.7;
constexpr double kTop = 64;
constexpr double kBottom = kPageH - 60;
constexpr double kContentW = kPageW - 2 * kMarginX;

constexpr const char* kFont = "DejaVu Sans";
constexpr const char* kTableFont = "DejaVu Sans Condensed";

struct Color {
  double r, g, b;
};
constexpr Color kPrimary{0.12, 0.31, 0.49};  // the product's colour (no fund colour)
constexpr Color kAccent{0.85, 0.47, 0.09};
constexpr Color kInk{0.16, 0.18, 0.22};
constexpr Color kMuted{0.38, 0.41, 0.46};
constexpr Color kRule{0.80, 0.83, 0.86};
constexpr Color kZebra{0.95, 0.96, 0.975};
constexpr Color kTotal{0.90, 0.93, 0.96};
constexpr Color kWarnBg{0.99, 0.93, 0.92};
constexpr Color kWarn{0.70, 0.13, 0.13};
constexpr Color kWhite{1, 1, 1};

inline void SetColor(cairo_t* cr, Color c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

using LayoutPtr = std::shared_ptr<PangoLayout>;
using Op = std::function<void(cairo_t*)>;

// Escapes text for pango markup.
std::string Escape(std::string_view s);

// Escapes and turns **bold** spans into pango markup.
std::string InlineMarkup(std::string_view s);

struct Page {
  std::vector<Op> ops;
  bool decorated = true;  // header and footer
};

// What the layout placed where (the layout test reads them): `what` is
// "chapter" | "section" | "subheading" | "caption" | "header" (a table's
// header row) | "row" | "text" (a paragraph's lines on one page, a list
// item, a note) | "chart" | "figures" | "warning"; `label` the heading's or
// caption's text, the table id for rows and headers, the text otherwise.
struct Placement {
  std::string what;
  std::string label;
  int page = 0;  // 0-based index in the body pages
  double top = 0, bottom = 0;
};


struct TocEntry {
  std::string title;
  int level = 1;
  int page = 0;  // 0-based index in the body pages
  double y = 0;
};

class PdfBuilder {
 public:
  explicit PdfBuilder(const ReportModel& m) : m_(m) {}
  ~PdfBuilder();

  Result<std::string> Run();
  // The body laid out, not rendered (tests): where every block went.
  Result<std::vector<Placement>> LayOut();

 private:
  Status Begin();  // the surface, the pango context, the fund's colour and logo
  // ---- surface (pdf_layout.cc) -----------------------------------------
  static cairo_status_t Write(void* closure, const unsigned char* data, unsigned int length);
  void Metadata();

  // ---- text (pdf_layout.cc) --------------------------------------------
  LayoutPtr MakeLayout(const std::string& markup, const char* family, double size, bool bold,
                       double width, PangoAlignment align = PANGO_ALIGN_LEFT, bool italic = false,
                       double spacing = 0);
  static double Height(const LayoutPtr& l);
  static double Width(const LayoutPtr& l);
  Op DrawLayout(LayoutPtr l, double x, double y, Color c);

  // ---- pages (pdf_layout.cc) -------------------------------------------
  // A new page; when a heading run waits for its block (keep_), it moves
  // to the new page instead of staying alone at the end of this one.
  void NewPage();
  Page& Cur() { return body_.back(); }
  // Adds a drawing operation to the current page; any but a heading's ends
  // the wait of keep_ (the heading then has its block after it).
  void Emit(Op op);
  void Place(std::string what, std::string label, double top, double bottom);
  // Headings call these around their operations.
  void BeginHeading();
  void EndHeading() { heading_ = false; }
  // The height a text needs at a page end to start there: whole when short
  // (<= 60 pt), else its first two lines.
  static double LeadHeight(const LayoutPtr& l);
  double Room() const { return kBottom - y_; }
  void Ensure(double h);
  // A flowing text block that may break between lines.
  void Flow(const LayoutPtr& l, double x, Color c, double space_after);

  // ---- headings (pdf_layout.cc) ----------------------------------------
  void ChapterHeading(const Section& s);
  void SectionHeading(const Section& s);
  void Subheading(const std::string& text);

  // ---- blocks (pdf_writer.cc) ------------------------------------------
  // `intro`: followed by a table or a chart (kept with the heading before it
  // when short).
  void Paragraph(const std::string& text, bool intro = false);
  void Signature(const std::string& text);
  void Bullets(const std::vector<std::string>& items);
  void Warning(const std::string& text, double x, double width, double* y, std::vector<Op>* ops);
  void KeyFigures(const std::vector<const Block*>& tiles);

  struct RowLayout {
    std::vector<LayoutPtr> cells;
    double height = 0;
    bool total = false;
  };
  RowLayout MakeRow(const std::vector<Cell>& row, const std::vector<double>& widths,
                    const std::vector<bool>& numeric_col, bool header, bool total);
  void DrawRow(const RowLayout& r, const std::vector<double>& widths, bool header, bool zebra,
               const std::string& table_id);
  void TableBlock(const Table& t);
  void ChartBlock(const Section& s, const Chart& c);
  void LayoutSection(const Section& s);
  void LayoutBody();

  // ---- brand (pdf_brand.cc) -----------------------------------------------
  void LoadBrand();
  // The logo scaled to fit w x h (aspect kept), its top-right or top-left
  // corner at (x, y); nothing without a logo.
  Op DrawLogo(double x, double y, double w, double h, bool right_aligned);
  // Width of the logo drawn at height h (0 without a logo).
  double LogoWidthAt(double h) const;

  // ---- cover (pdf_writer.cc) and contents (pdf_layout.cc) ---------------
  void LayoutCover(Page* page);
  void LayoutContents();

  // ---- render (pdf_layout.cc) ------------------------------------------
  int BodyOffset() const { return 1 + static_cast<int>(contents_.size()); }
  void Decorate(cairo_t* cr, int page_no, int total);
  void RenderAll();

  const ReportModel& m_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  PangoContext* ctx_ = nullptr;
  std::string out_;
  std::vector<LayoutPtr> layouts_;
  std::vector<Page> body_;
  std::vector<Page> contents_;
  Page cover_;
  std::vector<TocEntry> toc_;
  std::vector<Placement> placements_;
  double y_ = kTop;

  // A run of headings waiting for the first operation of the block after it.
  struct Keep {
    bool active = false;
    size_t page = 0, first_op = 0, first_toc = 0, first_placement = 0;
    double y = 0;
  };
  Keep keep_;
  bool heading_ = false;

  // The fund's colour (kPrimary, kAccent without one) and logo.
  Color primary_ = kPrimary;  // headings, captions, table headers (readable on white)
  Color accent_ = kAccent;    // rules and bars
  Color band_ = kPrimary;     // the cover band
  Color on_band_ = kWhite;    // text on the band
  cairo_surface_t* logo_ = nullptr;
  double logo_w_ = 0, logo_h_ = 0;
};

}  // namespace amiable::report::pdf_internal

#endif  // AMIABLE_REPORT_PDF_INTERNAL_H_
