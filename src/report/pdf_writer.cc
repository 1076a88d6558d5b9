// PDF writer: cairo for the page and the vector charts, pango for text.
//
// This file lays out the report's blocks (paragraphs, lists, warnings, key
// figures, tables, charts) and the cover; the page machinery (page breaks,
// headings, headers and footers, contents, rendering) is in pdf_layout.cc,
// and what the two share in pdf_internal.h.
#include <algorithm>
#include <cmath>
#include <memory>

#include "core/french_format.h"
#include "report/charts.h"
#include "report/markup.h"
#include "report/pdf_internal.h"
#include "report/writers.h"

namespace amiable::report {
namespace pdf_internal {

void PdfBuilder::Paragraph(const std::string& text, bool intro) {
  auto l =
      MakeLayout(InlineMarkup(text), kFont, 9.5, false, kContentW, PANGO_ALIGN_LEFT, false, 2.2);
  pango_layout_set_justify(l.get(), TRUE);
  // A short introduction between a heading and its table or chart travels
  // with the heading: the three move to the next page together.
  const bool with_heading = intro && keep_.active && Height(l) <= 60;
  if (with_heading) heading_ = true;
  Flow(l, kMarginX, kInk, 8);
  heading_ = false;
}

void PdfBuilder::Signature(const std::string& text) {
  auto l = MakeLayout(InlineMarkup(text), kFont, 9.5, false, kContentW, PANGO_ALIGN_RIGHT, true);
  Flow(l, kMarginX, primary_, 2);
}

void PdfBuilder::Bullets(const std::vector<std::string>& items) {
  for (const std::string& item : items) {
    auto l = MakeLayout(InlineMarkup(item), kFont, 9.5, false, kContentW - 16, PANGO_ALIGN_LEFT,
                        false, 2);
    auto dot = MakeLayout("•", kFont, 9.5, true, 0);
    Ensure(LeadHeight(l));  // the bullet and its text's first lines together
    Emit(DrawLayout(dot, kMarginX + 4, y_, accent_));
    Flow(l, kMarginX + 16, kInk, 4);
  }
  y_ += 4;
}

void PdfBuilder::Warning(const std::string& text, double x, double width, double* y,
                         std::vector<Op>* ops) {
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

void PdfBuilder::KeyFigures(const std::vector<const Block*>& tiles) {
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
  Place("figures", tiles.empty() ? "" : tiles[0]->text, y_, y_ + h);
  for (size_t i = 0; i < ls.size(); ++i) {
    const double x = kMarginX + static_cast<double>(i) * (w + gap);
    const double y0 = y_;
    const Color bar = accent_;
    Emit([x, y0, w, h, bar](cairo_t* cr) {
      SetColor(cr, kZebra);
      cairo_rectangle(cr, x, y0, w, h);
      cairo_fill(cr);
      SetColor(cr, bar);
      cairo_rectangle(cr, x, y0, w, 3);
      cairo_fill(cr);
    });
    Emit(DrawLayout(ls[i].first, x + 8, y0 + 10, primary_));
    Emit(DrawLayout(ls[i].second, x + 8, y0 + 12 + Height(ls[i].first), kMuted));
  }
  y_ += h + 14;
}

PdfBuilder::RowLayout PdfBuilder::MakeRow(const std::vector<Cell>& row,
                                          const std::vector<double>& widths,
                                          const std::vector<bool>& numeric_col, bool header,
                                          bool total) {
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
    auto l = MakeLayout(cell.markup ? markup::ToPango(cell.text) : Escape(cell.Display()), kTableFont, header ? 7.6 : 8.2,
                        header || cell.strong || total, widths[i] - 8, align);
    r.height = std::max(r.height, Height(l));
    r.cells.push_back(l);
  }
  r.height += header ? 8 : 6;
  return r;
}

void PdfBuilder::DrawRow(const RowLayout& r, const std::vector<double>& widths, bool header,
                         bool zebra, const std::string& table_id) {
  Place(header ? "header" : "row", table_id, y_, y_ + r.height);
  const double y0 = y_;
  const double h = r.height;
  const bool total = r.total;
  const Color head = primary_;
  Emit([y0, h, header, zebra, total, head](cairo_t* cr) {
    if (header) {
      SetColor(cr, head);
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

void PdfBuilder::TableBlock(const Table& t) {
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
  Emit(DrawLayout(caption, kMarginX, y_, primary_));
  Place("caption", t.caption, y_, y_ + Height(caption));
  y_ += Height(caption) + 5;
  DrawRow(header, widths, true, false, t.id);
  for (size_t i = 0; i < rows.size(); ++i) {
    // Break before a row that does not fit, or earlier so that the last
    // two rows (often the totals) do not stand alone on a page.
    const bool last_two =
        i + 2 == rows.size() && i >= 2 && rows[i].height + rows[i + 1].height > Room();
    if (rows[i].height > Room() || last_two) {
      NewPage();
      Emit(DrawLayout(caption_cont, kMarginX, y_, primary_));
      Place("caption", t.caption + " (suite)", y_, y_ + Height(caption_cont));
      y_ += Height(caption_cont) + 5;
      DrawRow(header, widths, true, false, t.id);
    }
    DrawRow(rows[i], widths, false, i % 2 == 1, t.id);
  }
  if (!t.note.empty()) {
    auto note =
        MakeLayout(InlineMarkup(t.note), kFont, 7.5, false, kContentW, PANGO_ALIGN_LEFT, true, 1);
    y_ += 4;
    Flow(note, kMarginX, kMuted, 0);
  }
  y_ += 14;
}

void PdfBuilder::ChartBlock(const Section& s, const Chart& c) {
  const ChartScene scene = LayoutChart(s, c, kContentW - 20);
  Ensure(scene.height + 10);
  const double x0 = kMarginX + 10;
  const double y0 = y_ + 4;
  Place("chart", c.title, y_, y_ + scene.height + 4);
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

void PdfBuilder::LayoutSection(const Section& s) {
  if (s.level == 1) {
    ChapterHeading(s);
  } else {
    SectionHeading(s);
  }
  for (size_t i = 0; i < s.blocks.size(); ++i) {
    const Block& b = s.blocks[i];
    switch (b.kind) {
      case Block::Kind::kParagraph: {
        const bool before_figure =
            i + 1 < s.blocks.size() && (s.blocks[i + 1].kind == Block::Kind::kTable ||
                                        s.blocks[i + 1].kind == Block::Kind::kChart);
        Paragraph(b.text, before_figure);
        break;
      }
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
      case Block::Kind::kWarning: {
        // Laid out at 0 to know its height, then placed whole.
        std::vector<Op> ops;
        double h = 0;
        Warning(b.text, kMarginX, kContentW, &h, &ops);
        Ensure(h);
        Place("warning", b.text, y_, y_ + h - 10);
        for (Op& op : ops) {
          Emit([op = std::move(op), dy = y_](cairo_t* cr) {
            cairo_translate(cr, 0, dy);
            op(cr);
          });
        }
        y_ += h;
        break;
      }
      case Block::Kind::kSignature:
        Signature(b.text);
        break;
    }
  }
}

void PdfBuilder::LayoutBody() {
  for (const Section& s : m_.sections) LayoutSection(s);
}

void PdfBuilder::LayoutCover(Page* page) {
  std::vector<Op> ops;
  const std::string fund = m_.fund_label;
  auto band_title = MakeLayout(Escape(m_.fund_label), kFont, 11, true, kContentW);
  auto title = MakeLayout(Escape(m_.cover_title), kFont, 30, true, kContentW);
  auto subtitle = MakeLayout(Escape(m_.cover_subtitle), kFont, 16, false, kContentW);
  auto year = MakeLayout(std::to_string(m_.year), kFont, 64, true, kContentW);
  // Beside the year, the fund's logo (right-aligned, on white).
  const double logo_box_w = 170;
  const double logo_box_h = 100;
  const bool logo = logo_ != nullptr;
  auto fund_l =
      MakeLayout(Escape(fund), kFont, 16, false, logo ? kContentW - logo_box_w - 16 : kContentW);
  auto dates = MakeLayout(Escape("Chiffres calculés au " + fr::ShortDate(m_.as_of) +
                                 " · rapport produit le " + fr::ShortDate(m_.generated_on)),
                          kFont, 9.5, false, kContentW);
  const Color band = band_;
  const Color bar = m_.colour.empty() ? kAccent : on_band_;
  ops.push_back([band, bar](cairo_t* cr) {
    SetColor(cr, band);
    cairo_rectangle(cr, 0, 0, kPageW, 250);
    cairo_fill(cr);
    SetColor(cr, bar);
    cairo_rectangle(cr, kMarginX, 232, 70, 5);
    cairo_fill(cr);
  });
  ops.push_back(DrawLayout(band_title, kMarginX, 60, on_band_));
  ops.push_back(DrawLayout(title, kMarginX, 110, on_band_));
  ops.push_back(DrawLayout(subtitle, kMarginX, 118 + Height(title), on_band_));
  ops.push_back(DrawLayout(year, kMarginX, 290, primary_));
  if (logo) ops.push_back(DrawLogo(kMarginX + kContentW, 290, logo_box_w, logo_box_h, true));
  double y = 290 + Height(year) + 6;
  ops.push_back(DrawLayout(fund_l, kMarginX, y, kInk));
  y += Height(fund_l) + 8;
  ops.push_back(DrawLayout(dates, kMarginX, y, kMuted));
  y = std::max(y + Height(dates) + 30, logo ? 290 + logo_box_h + 20 : 0.0);
  // No data-quality material on a published cover: only a report produced
  // despite blocking problems says so, in a banner.
  if (m_.incomplete) {
    const int64_t blocking = m_.quality.Blocking();
    Warning("**Rapport produit avec des données incomplètes.** Le contrôle de cohérence a relevé " +
                fr::Count(blocking) +
                " problème(s) bloquant(s) (dossiers clos sans date, dates dans le désordre…) : "
                "les chiffres concernés sont incomplets. Ce document est une version de travail, "
                "à ne pas publier (voir l'annexe « Données incomplètes »).",
            kMarginX, kContentW, &y, &ops);
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
      ops.push_back([x, top, w, tile_bar = accent_](cairo_t* cr) {
        SetColor(cr, kZebra);
        cairo_rectangle(cr, x, top, w, 86);
        cairo_fill(cr);
        SetColor(cr, tile_bar);
        cairo_rectangle(cr, x, top, w, 3);
        cairo_fill(cr);
      });
      ops.push_back(DrawLayout(big, x + 6, top + 14, primary_));
      ops.push_back(DrawLayout(cap, x + 6, top + 18 + Height(big), kMuted));
    }
  }
  page->ops = std::move(ops);
  page->decorated = false;
  auto foot = MakeLayout(Escape("Produit avec amiable à partir des dossiers de médiation"), kFont,
                         8, false, kContentW);
  page->ops.push_back(DrawLayout(foot, kMarginX, kPageH - 50, kMuted));
}
}  // namespace pdf_internal

Result<std::string> RenderPdf(const ReportModel& model) {
  return pdf_internal::PdfBuilder(model).Run();
}

}  // namespace amiable::report
