// PDF writer: cairo for the page and the vector charts, pango for text.
//
// Two phases. Layout walks the model once, measures every text with pango
// and cuts the flow into A4 pages, each page a list of drawing operations.
// Render then draws the pages; page numbers, the contents page and the
// outline are known by then. Fonts are found through fontconfig (DejaVu Sans,
// from fonts-dejavu-core) and embedded as subsets by cairo.
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <functional>
#include <memory>

#include "report/charts.h"
#include "core/french_format.h"
#include "report/writers.h"

namespace amiable::report {
namespace {

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
constexpr Color kPrimary{0.12, 0.31, 0.49};
constexpr Color kAccent{0.85, 0.47, 0.09};
constexpr Color kInk{0.16, 0.18, 0.22};
constexpr Color kMuted{0.38, 0.41, 0.46};
constexpr Color kRule{0.80, 0.83, 0.86};
constexpr Color kZebra{0.95, 0.96, 0.975};
constexpr Color kTotal{0.90, 0.93, 0.96};
constexpr Color kWarnBg{0.99, 0.93, 0.92};
constexpr Color kWarn{0.70, 0.13, 0.13};
constexpr Color kWhite{1, 1, 1};

void SetColor(cairo_t* cr, Color c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

using LayoutPtr = std::shared_ptr<PangoLayout>;
using Op = std::function<void(cairo_t*)>;

std::string Escape(std::string_view s) {
  gchar* e = g_markup_escape_text(s.data(), static_cast<gssize>(s.size()));
  std::string out(e);
  g_free(e);
  return out;
}

// Escapes and turns **bold** spans into pango markup.
std::string InlineMarkup(std::string_view s) { return BoldSpansToMarkup(s, "<b>", "</b>"); }

struct Page {
  std::vector<Op> ops;
  bool decorated = true;  // header and footer
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

  ~PdfBuilder() {
    layouts_.clear();
    if (ctx_ != nullptr) g_object_unref(ctx_);
    if (cr_ != nullptr) cairo_destroy(cr_);
    if (surface_ != nullptr) cairo_surface_destroy(surface_);
  }

  Result<std::string> Run() {
    surface_ = cairo_pdf_surface_create_for_stream(&PdfBuilder::Write, &out_, kPageW, kPageH);
    if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
      return Fail(Error::Internal("cairo: cannot create the PDF surface"));
    }
    cr_ = cairo_create(surface_);
    ctx_ = pango_cairo_create_context(cr_);
    pango_cairo_context_set_resolution(ctx_, 72);
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx_, fo);
    cairo_font_options_destroy(fo);
    Metadata();

    LayoutBody();
    LayoutContents();
    RenderAll();
    cairo_destroy(cr_);
    cr_ = nullptr;
    cairo_surface_finish(surface_);
    if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
      return Fail(Error::Internal(std::string("cairo: ") +
                                  cairo_status_to_string(cairo_surface_status(surface_))));
    }
    return std::move(out_);
  }

 private:
  static cairo_status_t Write(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  }

  void Metadata() {
    cairo_pdf_surface_set_metadata(
        surface_, CAIRO_PDF_METADATA_TITLE,
        (m_.title + " " + std::to_string(m_.year) + " — " + m_.fund_label).c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_AUTHOR, m_.author.c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_SUBJECT, m_.subject.c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_KEYWORDS,
                                   "médiation administrative, Caf, rapport annuel");
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "amiable");
    // The day the report was produced, as the caller's clock said (the same
    // model gives the same file): no wall clock here.
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATE_DATE,
                                   m_.generated_on.ToString().c_str());
  }

  // ---- text ----------------------------------------------------------
  LayoutPtr MakeLayout(const std::string& markup, const char* family, double size, bool bold,
                       double width, PangoAlignment align = PANGO_ALIGN_LEFT, bool italic = false,
                       double spacing = 0) {
    PangoLayout* l = pango_layout_new(ctx_);
    PangoFontDescription* fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_size(fd, static_cast<int>(size * PANGO_SCALE));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    if (italic) pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
      pango_layout_set_width(l, static_cast<int>(width * PANGO_SCALE));
      pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l, align);
    if (spacing > 0) pango_layout_set_spacing(l, static_cast<int>(spacing * PANGO_SCALE));
    pango_layout_set_markup(l, fr::Spaces(markup).c_str(), -1);
    LayoutPtr p(l, g_object_unref);
    layouts_.push_back(p);
    return p;
  }

  static double Height(const LayoutPtr& l) {
    int w = 0;
    int h = 0;
    pango_layout_get_size(l.get(), &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  static double Width(const LayoutPtr& l) {
    int w = 0;
    int h = 0;
    pango_layout_get_size(l.get(), &w, &h);
    return static_cast<double>(w) / PANGO_SCALE;
  }

  Op DrawLayout(LayoutPtr l, double x, double y, Color c) {
    return [this, l, x, y, c](cairo_t* cr) {
      SetColor(cr, c);
      cairo_move_to(cr, x, y);
      pango_cairo_update_context(cr, ctx_);
      pango_cairo_show_layout(cr, l.get());
    };
  }

  // ---- pages ---------------------------------------------------------
  void NewPage() {
    body_.push_back(Page{});
    y_ = kTop;
  }
  Page& Cur() { return body_.back(); }
  void Emit(Op op) { Cur().ops.push_back(std::move(op)); }
  double Room() const { return kBottom - y_; }
  void Ensure(double h) {
    if (body_.empty() || h > Room()) NewPage();
  }

  // A flowing text block that may break between lines.
  void Flow(const LayoutPtr& l, double x, Color c, double space_after) {
    PangoLayoutIter* it = pango_layout_get_iter(l.get());
    struct LineInfo {
      int index;
      double top, height, baseline, x;
    };
    std::vector<LineInfo> lines;
    int index = 0;
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      const double top = static_cast<double>(logical.y) / PANGO_SCALE;
      lines.push_back({index++, top, static_cast<double>(logical.height) / PANGO_SCALE,
                       static_cast<double>(pango_layout_iter_get_baseline(it)) / PANGO_SCALE - top,
                       static_cast<double>(logical.x) / PANGO_SCALE});
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    // A short text (a note, a short paragraph) is never split; a longer one
    // keeps at least two lines together at a page end.
    double total = 0;
    for (const LineInfo& li : lines) total += li.height;
    if (total <= 60) Ensure(total);
    size_t i = 0;
    while (i < lines.size()) {
      const double need = lines[i].height * (lines.size() - i >= 2 ? 2 : 1);
      Ensure(need);
      std::vector<LineInfo> chunk;
      double h = 0;
      while (i < lines.size() && h + lines[i].height <= Room() + 0.01) {
        chunk.push_back(lines[i]);
        h += lines[i].height;
        ++i;
      }
      if (chunk.empty()) {  // a line taller than a page: place it anyway
        chunk.push_back(lines[i]);
        h = lines[i].height;
        ++i;
      }
      const double y0 = y_;
      Emit([this, l, chunk, x, y0, c](cairo_t* cr) {
        SetColor(cr, c);
        pango_cairo_update_context(cr, ctx_);
        double yy = y0;
        for (const LineInfo& li : chunk) {
          PangoLayoutLine* line = pango_layout_get_line_readonly(l.get(), li.index);
          cairo_move_to(cr, x + li.x, yy + li.baseline);
          pango_cairo_show_layout_line(cr, line);
          yy += li.height;
        }
      });
      y_ += h;
      if (i < lines.size()) NewPage();
    }
    y_ += space_after;
  }

  // ---- blocks ----------------------------------------------------------
  void ChapterHeading(const Section& s) {
    NewPage();
    toc_.push_back({s.title, 1, static_cast<int>(body_.size()) - 1, y_});
    auto l = MakeLayout(Escape(s.title), kFont, 20, true, kContentW);
    const double h = Height(l);
    const double y0 = y_;
    Emit([y0, h](cairo_t* cr) {
      SetColor(cr, kAccent);
      cairo_rectangle(cr, kMarginX, y0 + h + 6, 46, 3);
      cairo_fill(cr);
    });
    Emit(DrawLayout(l, kMarginX, y_, kPrimary));
    y_ += h + 22;
  }

  void SectionHeading(const Section& s) {
    auto l = MakeLayout(Escape(s.title), kFont, 13.5, true, kContentW - 12);
    const double h = Height(l);
    Ensure(h + 160);
    if (y_ > kTop + 1) y_ += 8;
    toc_.push_back({s.title, 2, static_cast<int>(body_.size()) - 1, y_});
    const double y0 = y_;
    Emit([y0, h](cairo_t* cr) {
      SetColor(cr, kAccent);
      cairo_rectangle(cr, kMarginX, y0 + 2, 4, h - 4);
      cairo_fill(cr);
    });
    Emit(DrawLayout(l, kMarginX + 12, y_, kPrimary));
    y_ += h + 10;
  }

  void Subheading(const std::string& text) {
    auto l = MakeLayout(Escape(text), kFont, 11, true, kContentW);
    const double h = Height(l);
    Ensure(h + 90);
    y_ += 4;
    Emit(DrawLayout(l, kMarginX, y_, kPrimary));
    y_ += h + 6;
  }

  void Paragraph(const std::string& text) {
    auto l =
        MakeLayout(InlineMarkup(text), kFont, 9.5, false, kContentW, PANGO_ALIGN_LEFT, false, 2.2);
    pango_layout_set_justify(l.get(), TRUE);
    Flow(l, kMarginX, kInk, 8);
  }

  void Signature(const std::string& text) {
    auto l = MakeLayout(InlineMarkup(text), kFont, 9.5, false, kContentW, PANGO_ALIGN_RIGHT, true);
    Flow(l, kMarginX, kPrimary, 2);
  }

  void Bullets(const std::vector<std::string>& items) {
    for (const std::string& item : items) {
      auto l = MakeLayout(InlineMarkup(item), kFont, 9.5, false, kContentW - 16, PANGO_ALIGN_LEFT,
                          false, 2);
      auto dot = MakeLayout("•", kFont, 9.5, true, 0);
      Ensure(14);
      Emit(DrawLayout(dot, kMarginX + 4, y_, kAccent));
      Flow(l, kMarginX + 16, kInk, 4);
    }
    y_ += 4;
  }

  void Warning(const std::string& text, double x, double width, double* y, std::vector<Op>* ops) {
    auto l =
        MakeLayout(InlineMarkup(text), kFont, 9.5, false, width - 24, PANGO_ALIGN_LEFT, false, 2);
    const double h = Height(l) + 18;
    const double y0 = *y;
    ops->push_back([x, y0, width, h](cairo_t* cr) {
      SetColor(cr, kWarnBg);
      cairo_rectangle(cr, x, y0, width, h);
      cairo_fill(cr);
      SetColor(cr, kWarn);
      cairo_rectangle(cr, x, y0, 4, h);
      cairo_fill(cr);
    });
    ops->push_back(DrawLayout(l, x + 14, y0 + 9, kWarn));
    *y += h + 10;
  }

  void KeyFigures(const std::vector<const Block*>& tiles) {
    const double gap = 10;
    const double n = static_cast<double>(tiles.size());
    const double w = (kContentW - gap * (n - 1)) / n;
    std::vector<std::pair<LayoutPtr, LayoutPtr>> ls;
    double h = 0;
    for (const Block* b : tiles) {
      auto big = MakeLayout(Escape(b->text), kFont, 19, true, w - 16, PANGO_ALIGN_CENTER);
      auto cap = MakeLayout(Escape(b->items.empty() ? "" : b->items[0]), kFont, 8, false, w - 16,
                            PANGO_ALIGN_CENTER);
      h = std::max(h, Height(big) + Height(cap) + 22);
      ls.emplace_back(big, cap);
    }
    Ensure(h + 10);
    for (size_t i = 0; i < ls.size(); ++i) {
      const double x = kMarginX + static_cast<double>(i) * (w + gap);
      const double y0 = y_;
      Emit([x, y0, w, h](cairo_t* cr) {
        SetColor(cr, kZebra);
        cairo_rectangle(cr, x, y0, w, h);
        cairo_fill(cr);
        SetColor(cr, kPrimary);
        cairo_rectangle(cr, x, y0, w, 3);
        cairo_fill(cr);
      });
      Emit(DrawLayout(ls[i].first, x + 8, y0 + 10, kPrimary));
      Emit(DrawLayout(ls[i].second, x + 8, y0 + 12 + Height(ls[i].first), kMuted));
    }
    y_ += h + 14;
  }

  struct RowLayout {
    std::vector<LayoutPtr> cells;
    double height = 0;
    bool total = false;
  };

  RowLayout MakeRow(const std::vector<Cell>& row, const std::vector<double>& widths,
                    const std::vector<bool>& numeric_col, bool header, bool total) {
    RowLayout r;
    r.total = total;
    for (size_t i = 0; i < widths.size(); ++i) {
      const Cell cell = i < row.size() ? row[i] : Cell::Text("");
      PangoAlignment align = PANGO_ALIGN_LEFT;
      if (cell.kind == ValueKind::kTrend) {
        align = PANGO_ALIGN_CENTER;
      } else if (i > 0 && (cell.IsNumeric() || numeric_col[i])) {
        align = PANGO_ALIGN_RIGHT;
      }
      auto l = MakeLayout(Escape(cell.Display()), kTableFont, header ? 7.6 : 8.2,
                          header || cell.strong || total, widths[i] - 8, align);
      r.height = std::max(r.height, Height(l));
      r.cells.push_back(l);
    }
    r.height += header ? 8 : 6;
    return r;
  }

  void DrawRow(const RowLayout& r, const std::vector<double>& widths, bool header, bool zebra) {
    const double y0 = y_;
    const double h = r.height;
    const bool total = r.total;
    Emit([y0, h, header, zebra, total](cairo_t* cr) {
      if (header) {
        SetColor(cr, kPrimary);
      } else if (total) {
        SetColor(cr, kTotal);
      } else if (zebra) {
        SetColor(cr, kZebra);
      } else {
        return;
      }
      cairo_rectangle(cr, kMarginX, y0, kContentW, h);
      cairo_fill(cr);
    });
    double x = kMarginX;
    for (size_t i = 0; i < r.cells.size(); ++i) {
      Emit(DrawLayout(r.cells[i], x + 4, y0 + (header ? 4 : 3), header ? kWhite : kInk));
      x += widths[i];
    }
    y_ += h;
    if (!header) {
      Emit([y0, h](cairo_t* cr) {
        SetColor(cr, kRule);
        cairo_set_line_width(cr, 0.4);
        cairo_move_to(cr, kMarginX, y0 + h);
        cairo_line_to(cr, kMarginX + kContentW, y0 + h);
        cairo_stroke(cr);
      });
    }
  }

  void TableBlock(const Table& t) {
    std::vector<double> widths;
    double total = 0;
    for (size_t i = 0; i < t.header.size(); ++i) {
      total += i < t.widths.size() ? t.widths[i] : 1.0;
    }
    for (size_t i = 0; i < t.header.size(); ++i) {
      widths.push_back((i < t.widths.size() ? t.widths[i] : 1.0) / total * kContentW);
    }
    // A column is numeric when one of its data cells is: its header and its
    // text cells ("—") are then right-aligned too.
    std::vector<bool> numeric_col(t.header.size(), false);
    for (const auto& row : t.rows) {
      for (size_t i = 0; i < row.size() && i < numeric_col.size(); ++i) {
        if (row[i].IsNumeric() || row[i].kind == ValueKind::kTrend) numeric_col[i] = true;
      }
    }
    std::vector<Cell> header_cells;
    for (const std::string& h : t.header) header_cells.push_back(Cell::Text(h));
    const RowLayout header = MakeRow(header_cells, widths, numeric_col, true, false);
    std::vector<RowLayout> rows;
    for (size_t i = 0; i < t.rows.size(); ++i) {
      rows.push_back(MakeRow(t.rows[i], widths, numeric_col, false, i >= t.DataRows()));
    }
    auto caption = MakeLayout(Escape(t.caption), kFont, 9, true, kContentW);
    auto caption_cont = MakeLayout(Escape(t.caption + " (suite)"), kFont, 9, true, kContentW);
    // Keep the caption, the header and two rows together; a small table (up to
    // a third of a page, with its note) is kept whole.
    double first = Height(caption) + 5 + header.height;
    for (size_t i = 0; i < std::min<size_t>(2, rows.size()); ++i) first += rows[i].height;
    double whole = Height(caption) + 5 + header.height + 30;
    for (const RowLayout& r : rows) whole += r.height;
    Ensure(whole <= (kBottom - kTop) / 3 ? whole : first);
    Emit(DrawLayout(caption, kMarginX, y_, kPrimary));
    y_ += Height(caption) + 5;
    DrawRow(header, widths, true, false);
    for (size_t i = 0; i < rows.size(); ++i) {
      // Break before a row that does not fit, or earlier so that the last
      // two rows (often the totals) do not stand alone on a page.
      const bool last_two =
          i + 2 == rows.size() && i >= 2 && rows[i].height + rows[i + 1].height > Room();
      if (rows[i].height > Room() || last_two) {
        NewPage();
        Emit(DrawLayout(caption_cont, kMarginX, y_, kPrimary));
        y_ += Height(caption_cont) + 5;
        DrawRow(header, widths, true, false);
      }
      DrawRow(rows[i], widths, false, i % 2 == 1);
    }
    if (!t.note.empty()) {
      auto note =
          MakeLayout(InlineMarkup(t.note), kFont, 7.5, false, kContentW, PANGO_ALIGN_LEFT, true, 1);
      y_ += 4;
      Flow(note, kMarginX, kMuted, 0);
    }
    y_ += 14;
  }

  void ChartBlock(const Section& s, const Chart& c) {
    const ChartScene scene = LayoutChart(s, c, kContentW - 20);
    Ensure(scene.height + 10);
    const double x0 = kMarginX + 10;
    const double y0 = y_ + 4;
    auto items = std::make_shared<std::vector<Primitive>>(scene.items);
    // Text layouts are made now (layout phase) so that rendering only draws.
    auto texts = std::make_shared<std::vector<LayoutPtr>>();
    for (const Primitive& p : *items) {
      if (p.kind != Primitive::Kind::kText) continue;
      texts->push_back(MakeLayout(Escape(p.text), kFont, p.size, p.bold, 0));
    }
    Emit([this, items, texts, x0, y0](cairo_t* cr) {
      size_t ti = 0;
      for (const Primitive& p : *items) {
        switch (p.kind) {
          case Primitive::Kind::kRect:
            cairo_set_source_rgb(cr, p.fill.r, p.fill.g, p.fill.b);
            cairo_rectangle(cr, x0 + p.x, y0 + p.y, p.w, p.h);
            cairo_fill(cr);
            break;
          case Primitive::Kind::kLine:
            cairo_set_source_rgb(cr, p.stroke.r, p.stroke.g, p.stroke.b);
            cairo_set_line_width(cr, p.stroke_width);
            if (p.dashed) {
              const double dash[] = {4, 3};
              cairo_set_dash(cr, dash, 2, 0);
            }
            cairo_move_to(cr, x0 + p.x, y0 + p.y);
            cairo_line_to(cr, x0 + p.w, y0 + p.h);
            cairo_stroke(cr);
            cairo_set_dash(cr, nullptr, 0, 0);
            break;
          case Primitive::Kind::kPolyline:
            if (p.points.size() < 4) break;
            cairo_set_source_rgb(cr, p.stroke.r, p.stroke.g, p.stroke.b);
            cairo_set_line_width(cr, p.stroke_width);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            cairo_move_to(cr, x0 + p.points[0], y0 + p.points[1]);
            for (size_t i = 2; i + 1 < p.points.size(); i += 2) {
              cairo_line_to(cr, x0 + p.points[i], y0 + p.points[i + 1]);
            }
            cairo_stroke(cr);
            break;
          case Primitive::Kind::kCircle:
            cairo_set_source_rgb(cr, p.fill.r, p.fill.g, p.fill.b);
            cairo_new_sub_path(cr);
            cairo_arc(cr, x0 + p.cx, y0 + p.cy, p.r, 0, 2 * M_PI);
            cairo_fill(cr);
            break;
          case Primitive::Kind::kWedge:
            cairo_new_path(cr);
            cairo_move_to(cr, x0 + p.cx, y0 + p.cy);
            cairo_arc(cr, x0 + p.cx, y0 + p.cy, p.r, p.a0, p.a1);
            cairo_close_path(cr);
            cairo_set_source_rgb(cr, p.fill.r, p.fill.g, p.fill.b);
            if (p.stroke_width > 0) {
              cairo_fill_preserve(cr);
              cairo_set_source_rgb(cr, p.stroke.r, p.stroke.g, p.stroke.b);
              cairo_set_line_width(cr, p.stroke_width);
              cairo_stroke(cr);
            } else {
              cairo_fill(cr);
            }
            break;
          case Primitive::Kind::kText: {
            const LayoutPtr& l = (*texts)[ti++];
            const double w = Width(l);
            PangoLayoutIter* it = pango_layout_get_iter(l.get());
            const double baseline =
                static_cast<double>(pango_layout_iter_get_baseline(it)) / PANGO_SCALE;
            pango_layout_iter_free(it);
            double x = x0 + p.x;
            if (p.anchor == Primitive::Anchor::kMiddle) x -= w / 2;
            if (p.anchor == Primitive::Anchor::kEnd) x -= w;
            cairo_set_source_rgb(cr, p.fill.r, p.fill.g, p.fill.b);
            cairo_move_to(cr, x, y0 + p.y - baseline);
            pango_cairo_update_context(cr, ctx_);
            pango_cairo_show_layout(cr, l.get());
            break;
          }
        }
      }
    });
    y_ += scene.height + 16;
  }

  void LayoutSection(const Section& s) {
    if (s.level == 1) {
      ChapterHeading(s);
    } else {
      SectionHeading(s);
    }
    for (size_t i = 0; i < s.blocks.size(); ++i) {
      const Block& b = s.blocks[i];
      switch (b.kind) {
        case Block::Kind::kParagraph:
          Paragraph(b.text);
          break;
        case Block::Kind::kBullets:
          Bullets(b.items);
          break;
        case Block::Kind::kSubheading:
          Subheading(b.text);
          break;
        case Block::Kind::kTable:
          TableBlock(s.tables[static_cast<size_t>(b.index)]);
          break;
        case Block::Kind::kChart:
          ChartBlock(s, s.charts[static_cast<size_t>(b.index)]);
          break;
        case Block::Kind::kKeyFigure: {
          std::vector<const Block*> tiles;
          while (i < s.blocks.size() && s.blocks[i].kind == Block::Kind::kKeyFigure) {
            tiles.push_back(&s.blocks[i]);
            ++i;
          }
          --i;
          KeyFigures(tiles);
          break;
        }
        case Block::Kind::kWarning:
          Ensure(40);
          Warning(b.text, kMarginX, kContentW, &y_, &Cur().ops);
          break;
        case Block::Kind::kSignature:
          Signature(b.text);
          break;
      }
    }
  }

  void LayoutBody() {
    for (const Section& s : m_.sections) LayoutSection(s);
  }

  // ---- cover and contents ------------------------------------------------
  void LayoutCover(Page* page) {
    std::vector<Op> ops;
    const std::string fund = m_.fund_label;
    auto band_title = MakeLayout(Escape(m_.fund_label), kFont, 11, true, kContentW);
    auto title = MakeLayout(Escape("Rapport annuel d'activité"), kFont, 30, true, kContentW);
    auto subtitle =
        MakeLayout(Escape("de la médiation administrative"), kFont, 16, false, kContentW);
    auto year = MakeLayout(std::to_string(m_.year), kFont, 64, true, kContentW);
    auto fund_l = MakeLayout(Escape(fund), kFont, 16, false, kContentW);
    auto dates = MakeLayout(Escape("Chiffres calculés au " + fr::ShortDate(m_.as_of) +
                                   " · rapport produit le " + fr::ShortDate(m_.generated_on)),
                            kFont, 9.5, false, kContentW);
    ops.push_back([](cairo_t* cr) {
      SetColor(cr, kPrimary);
      cairo_rectangle(cr, 0, 0, kPageW, 250);
      cairo_fill(cr);
      SetColor(cr, kAccent);
      cairo_rectangle(cr, kMarginX, 232, 70, 5);
      cairo_fill(cr);
    });
    ops.push_back(DrawLayout(band_title, kMarginX, 60, kWhite));
    ops.push_back(DrawLayout(title, kMarginX, 110, kWhite));
    ops.push_back(DrawLayout(subtitle, kMarginX, 118 + Height(title), kWhite));
    ops.push_back(DrawLayout(year, kMarginX, 290, kPrimary));
    double y = 290 + Height(year) + 6;
    ops.push_back(DrawLayout(fund_l, kMarginX, y, kInk));
    y += Height(fund_l) + 8;
    ops.push_back(DrawLayout(dates, kMarginX, y, kMuted));
    y += Height(dates) + 30;
    if (m_.incomplete) {
      const int64_t blocking = m_.quality.Blocking();
      Warning(
          "**Rapport produit avec des données incomplètes.** Le contrôle de cohérence a relevé " +
              fr::Count(blocking) +
              " problème(s) bloquant(s) (dossiers clos sans date, dates dans le désordre…) : "
              "les chiffres concernés sont "
              "incomplets. La liste des dossiers à corriger figure en annexe « Qualité des "
              "données ».",
          kMarginX, kContentW, &y, &ops);
    } else if (m_.quality.Warnings() > 0) {
      auto note = MakeLayout(
          Escape("Contrôle de cohérence : " + fr::Count(m_.quality.Warnings()) +
                 " avertissement(s), comptés comme « non renseigné » (voir l'annexe « Qualité "
                 "des données »)."),
          kFont, 8.5, false, kContentW);
      ops.push_back(DrawLayout(note, kMarginX, y, kMuted));
    }
    // The headline figures at the foot of the cover.
    std::vector<const Block*> tiles;
    for (const Section& s : m_.sections) {
      if (s.id != "key_figures") continue;
      for (const Block& b : s.blocks) {
        if (b.kind == Block::Kind::kKeyFigure) tiles.push_back(&b);
      }
    }
    if (!tiles.empty()) {
      const double gap = 10;
      const double n = static_cast<double>(tiles.size());
      const double w = (kContentW - gap * (n - 1)) / n;
      const double top = 600;
      for (size_t i = 0; i < tiles.size(); ++i) {
        const double x = kMarginX + static_cast<double>(i) * (w + gap);
        auto big = MakeLayout(Escape(tiles[i]->text), kFont, 19, true, w - 12, PANGO_ALIGN_CENTER);
        auto cap = MakeLayout(Escape(tiles[i]->items.empty() ? "" : tiles[i]->items[0]), kFont, 8,
                              false, w - 12, PANGO_ALIGN_CENTER);
        ops.push_back([x, top, w](cairo_t* cr) {
          SetColor(cr, kZebra);
          cairo_rectangle(cr, x, top, w, 86);
          cairo_fill(cr);
          SetColor(cr, kAccent);
          cairo_rectangle(cr, x, top, w, 3);
          cairo_fill(cr);
        });
        ops.push_back(DrawLayout(big, x + 6, top + 14, kPrimary));
        ops.push_back(DrawLayout(cap, x + 6, top + 18 + Height(big), kMuted));
      }
    }
    page->ops = std::move(ops);
    page->decorated = false;
    auto foot = MakeLayout(Escape("Produit avec amiable à partir des dossiers de médiation"), kFont,
                           8, false, kContentW);
    page->ops.push_back(DrawLayout(foot, kMarginX, kPageH - 50, kMuted));
  }

  void LayoutContents() {
    LayoutCover(&cover_);
    // Contents: one line per chapter and section.
    contents_.push_back(Page{});
    double y = kTop;
    auto title = MakeLayout("Sommaire", kFont, 20, true, kContentW);
    contents_.back().ops.push_back(DrawLayout(title, kMarginX, y, kPrimary));
    y += Height(title) + 22;
    for (size_t i = 0; i < toc_.size(); ++i) {
      const TocEntry& e = toc_[i];
      const bool chapter = e.level == 1;
      const double indent = chapter ? 0 : 16;
      auto l = MakeLayout(Escape(e.title), kFont, chapter ? 10.5 : 9.5, chapter,
                          kContentW - indent - 40);
      const double h = Height(l) + (chapter ? 9 : 4);
      if (y + h + (chapter ? 8 : 0) > kBottom) {
        contents_.push_back(Page{});
        y = kTop;
      }
      if (chapter && i > 0) y += 8;
      const double y0 = y;
      const size_t idx = i;
      contents_.back().ops.push_back(
          DrawLayout(l, kMarginX + indent, y0, chapter ? kPrimary : kInk));
      const double text_w = std::min(Width(l), kContentW - indent - 40);
      contents_.back().ops.push_back([this, idx, y0, indent, text_w, chapter](cairo_t* cr) {
        const int page_no = toc_[idx].page + BodyOffset() + 1;
        auto num = MakeLayout(std::to_string(page_no), kFont, chapter ? 10.5 : 9.5, chapter, 0);
        const double w = Width(num);
        // Dotted leader.
        SetColor(cr, kRule);
        cairo_set_line_width(cr, 0.8);
        const double dash[] = {0.8, 2.6};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, kMarginX + indent + text_w + 6, y0 + (chapter ? 10 : 9));
        cairo_line_to(cr, kMarginX + kContentW - w - 6, y0 + (chapter ? 10 : 9));
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
        SetColor(cr, chapter ? kPrimary : kInk);
        cairo_move_to(cr, kMarginX + kContentW - w, y0);
        pango_cairo_update_context(cr, ctx_);
        pango_cairo_show_layout(cr, num.get());
        // The whole line links to the page.
        char attrs[96];
        std::snprintf(attrs, sizeof attrs, "page=%d pos=[%.1f %.1f]", page_no, kMarginX,
                      toc_[idx].y);
        cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs);
        cairo_rectangle(cr, kMarginX, y0, kContentW, 12);
        cairo_tag_end(cr, CAIRO_TAG_LINK);
        cairo_new_path(cr);
      });
      y += h;
    }
  }

  int BodyOffset() const { return 1 + static_cast<int>(contents_.size()); }

  void Decorate(cairo_t* cr, int page_no, int total) {
    auto head = MakeLayout(
        Escape(m_.fund_label + " · Rapport annuel de la médiation " + std::to_string(m_.year)),
        kFont, 7.5, false, kContentW);
    SetColor(cr, kMuted);
    cairo_move_to(cr, kMarginX, 30);
    pango_cairo_update_context(cr, ctx_);
    pango_cairo_show_layout(cr, head.get());
    SetColor(cr, kRule);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, kMarginX, 44);
    cairo_line_to(cr, kMarginX + kContentW, 44);
    cairo_stroke(cr);
    auto foot = MakeLayout(std::to_string(page_no) + " / " + std::to_string(total), kFont, 8, false,
                           kContentW, PANGO_ALIGN_RIGHT);
    SetColor(cr, kMuted);
    cairo_move_to(cr, kMarginX, kPageH - 38);
    pango_cairo_show_layout(cr, foot.get());
    if (m_.incomplete) {
      auto warn = MakeLayout("Données incomplètes", kFont, 8, true, kContentW);
      SetColor(cr, kWarn);
      cairo_move_to(cr, kMarginX, kPageH - 38);
      pango_cairo_show_layout(cr, warn.get());
    }
  }

  void RenderAll() {
    const int total = 1 + static_cast<int>(contents_.size() + body_.size());
    int page_no = 0;
    auto render = [&](const Page& p) {
      ++page_no;
      for (const Op& op : p.ops) {
        cairo_save(cr_);
        op(cr_);
        cairo_restore(cr_);
      }
      if (p.decorated) Decorate(cr_, page_no, total);
      cairo_show_page(cr_);
    };
    render(cover_);
    for (const Page& p : contents_) render(p);
    // Outline (bookmarks) of chapters and sections.
    int chapter_id = CAIRO_PDF_OUTLINE_ROOT;
    char attrs[96];
    std::snprintf(attrs, sizeof attrs, "page=%d", 2);
    cairo_pdf_surface_add_outline(surface_, CAIRO_PDF_OUTLINE_ROOT, "Sommaire", attrs,
                                  static_cast<cairo_pdf_outline_flags_t>(0));
    for (const TocEntry& e : toc_) {
      std::snprintf(attrs, sizeof attrs, "page=%d pos=[%.1f %.1f]", e.page + BodyOffset() + 1,
                    kMarginX, e.y);
      const int id = cairo_pdf_surface_add_outline(
          surface_, e.level == 1 ? CAIRO_PDF_OUTLINE_ROOT : chapter_id, e.title.c_str(), attrs,
          static_cast<cairo_pdf_outline_flags_t>(0));
      if (e.level == 1) chapter_id = id;
    }
    for (const Page& p : body_) render(p);
  }

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
  double y_ = kTop;
};

}  // namespace

Result<std::string> RenderPdf(const ReportModel& model) { return PdfBuilder(model).Run(); }

}  // namespace amiable::report
