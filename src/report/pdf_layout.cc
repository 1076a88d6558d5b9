// PDF writer, page machinery: the cairo PDF surface and its metadata, text
// with pango, pages and page breaks, flowing text, headings kept with what
// follows, the contents page, headers and footers, and the rendering of the
// laid-out pages with the outline. See pdf_internal.h for the two phases.
#include <algorithm>
#include <cstdio>

#include "core/french_format.h"
#include "report/charts.h"
#include "report/pdf_internal.h"

namespace amiable::report::pdf_internal {

std::string Escape(std::string_view s) {
  gchar* e = g_markup_escape_text(s.data(), static_cast<gssize>(s.size()));
  std::string out(e);
  g_free(e);
  return out;
}

std::string InlineMarkup(std::string_view s) { return BoldSpansToMarkup(s, "<b>", "</b>"); }

PdfBuilder::~PdfBuilder() {
  layouts_.clear();
  if (logo_ != nullptr) cairo_surface_destroy(logo_);
  if (ctx_ != nullptr) g_object_unref(ctx_);
  if (cr_ != nullptr) cairo_destroy(cr_);
  if (surface_ != nullptr) cairo_surface_destroy(surface_);
}

Status PdfBuilder::Begin() {
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
  LoadBrand();
  return {};
}

Result<std::vector<Placement>> PdfBuilder::LayOut() {
  if (auto s = Begin(); !s) return Fail(s.error());
  LayoutBody();
  return placements_;
}

Result<std::string> PdfBuilder::Run() {
  if (auto s = Begin(); !s) return Fail(s.error());
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

cairo_status_t PdfBuilder::Write(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void PdfBuilder::Metadata() {
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

LayoutPtr PdfBuilder::MakeLayout(const std::string& markup, const char* family, double size,
                                 bool bold, double width, PangoAlignment align, bool italic,
                                 double spacing) {
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

double PdfBuilder::Height(const LayoutPtr& l) {
  int w = 0;
  int h = 0;
  pango_layout_get_size(l.get(), &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

double PdfBuilder::Width(const LayoutPtr& l) {
  int w = 0;
  int h = 0;
  pango_layout_get_size(l.get(), &w, &h);
  return static_cast<double>(w) / PANGO_SCALE;
}

Op PdfBuilder::DrawLayout(LayoutPtr l, double x, double y, Color c) {
  return [this, l, x, y, c](cairo_t* cr) {
    SetColor(cr, c);
    cairo_move_to(cr, x, y);
    pango_cairo_update_context(cr, ctx_);
    pango_cairo_show_layout(cr, l.get());
  };
}

void PdfBuilder::Emit(Op op) {
  Cur().ops.push_back(std::move(op));
  if (!heading_) keep_.active = false;
}

void PdfBuilder::Place(std::string what, std::string label, double top, double bottom) {
  placements_.push_back(
      {std::move(what), std::move(label), static_cast<int>(body_.size()) - 1, top, bottom});
}

void PdfBuilder::BeginHeading() {
  heading_ = true;
  if (keep_.active) return;  // a heading right after a heading: one run
  keep_.active = true;
  keep_.page = body_.size() - 1;
  keep_.first_op = Cur().ops.size();
  keep_.first_toc = toc_.size();
  keep_.first_placement = placements_.size();
  keep_.y = y_;
}

void PdfBuilder::NewPage() {
  // The headings waiting for their block go with it to the new page, unless
  // they already open their page (nothing would be gained).
  if (keep_.active && !body_.empty() && keep_.page + 1 == body_.size() && keep_.y > kTop + 1) {
    Page& from = body_.back();
    std::vector<Op> moved(std::make_move_iterator(from.ops.begin() + keep_.first_op),
                          std::make_move_iterator(from.ops.end()));
    from.ops.resize(keep_.first_op);
    const double dy = kTop - keep_.y;
    body_.push_back(Page{});
    for (Op& op : moved) {
      body_.back().ops.push_back([op = std::move(op), dy](cairo_t* cr) {
        cairo_translate(cr, 0, dy);
        op(cr);
      });
    }
    const int page = static_cast<int>(body_.size()) - 1;
    for (size_t i = keep_.first_toc; i < toc_.size(); ++i) {
      toc_[i].page = page;
      toc_[i].y += dy;
    }
    for (size_t i = keep_.first_placement; i < placements_.size(); ++i) {
      placements_[i].page = page;
      placements_[i].top += dy;
      placements_[i].bottom += dy;
    }
    y_ += dy;
    keep_.page = body_.size() - 1;
    keep_.first_op = 0;
    keep_.y = kTop;
    return;
  }
  keep_.active = false;
  body_.push_back(Page{});
  y_ = kTop;
}

double PdfBuilder::LeadHeight(const LayoutPtr& l) {
  PangoLayoutIter* it = pango_layout_get_iter(l.get());
  double total = 0;
  double first_two = 0;
  int n = 0;
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it, nullptr, &logical);
    const double h = static_cast<double>(logical.height) / PANGO_SCALE;
    total += h;
    if (n++ < 2) first_two += h;
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  return total <= 60 ? total : first_two;
}

void PdfBuilder::Ensure(double h) {
  if (body_.empty() || h > Room()) NewPage();
}

// A flowing text block that may break between lines.
void PdfBuilder::Flow(const LayoutPtr& l, double x, Color c, double space_after) {
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
    Place("text", pango_layout_get_text(l.get()), y0, y0 + h);
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

// Headings reserve only a little room below them: the block after them
// brings them along when it starts on the next page (NewPage, keep_).
void PdfBuilder::ChapterHeading(const Section& s) {
  keep_.active = false;  // a chapter opens its own page
  NewPage();
  BeginHeading();
  toc_.push_back({s.title, 1, static_cast<int>(body_.size()) - 1, y_});
  auto l = MakeLayout(Escape(s.title), kFont, 20, true, kContentW);
  const double h = Height(l);
  const double y0 = y_;
  const Color accent = accent_;
  Emit([y0, h, accent](cairo_t* cr) {
    SetColor(cr, accent);
    cairo_rectangle(cr, kMarginX, y0 + h + 6, 46, 3);
    cairo_fill(cr);
  });
  Emit(DrawLayout(l, kMarginX, y_, primary_));
  Place("chapter", s.title, y0, y0 + h + 9);
  y_ += h + 22;
  EndHeading();
}

void PdfBuilder::SectionHeading(const Section& s) {
  auto l = MakeLayout(Escape(s.title), kFont, 13.5, true, kContentW - 12);
  const double h = Height(l);
  Ensure(h + 8 + 40);
  if (y_ > kTop + 1) y_ += 8;
  BeginHeading();
  toc_.push_back({s.title, 2, static_cast<int>(body_.size()) - 1, y_});
  const double y0 = y_;
  const Color accent = accent_;
  Emit([y0, h, accent](cairo_t* cr) {
    SetColor(cr, accent);
    cairo_rectangle(cr, kMarginX, y0 + 2, 4, h - 4);
    cairo_fill(cr);
  });
  Emit(DrawLayout(l, kMarginX + 12, y_, primary_));
  Place("section", s.title, y0, y0 + h);
  y_ += h + 10;
  EndHeading();
}

void PdfBuilder::Subheading(const std::string& text) {
  auto l = MakeLayout(Escape(text), kFont, 11, true, kContentW);
  const double h = Height(l);
  Ensure(h + 4 + 30);
  y_ += 4;
  BeginHeading();
  Emit(DrawLayout(l, kMarginX, y_, primary_));
  Place("subheading", text, y_, y_ + h);
  y_ += h + 6;
  EndHeading();
}

void PdfBuilder::LayoutContents() {
  LayoutCover(&cover_);
  // Contents: one line per chapter and section.
  contents_.push_back(Page{});
  double y = kTop;
  auto title = MakeLayout("Sommaire", kFont, 20, true, kContentW);
  contents_.back().ops.push_back(DrawLayout(title, kMarginX, y, primary_));
  y += Height(title) + 22;
  for (size_t i = 0; i < toc_.size(); ++i) {
    const TocEntry& e = toc_[i];
    const bool chapter = e.level == 1;
    const double indent = chapter ? 0 : 16;
    auto l =
        MakeLayout(Escape(e.title), kFont, chapter ? 10.5 : 9.5, chapter, kContentW - indent - 40);
    const double h = Height(l) + (chapter ? 9 : 4);
    if (y + h + (chapter ? 8 : 0) > kBottom) {
      contents_.push_back(Page{});
      y = kTop;
    }
    if (chapter && i > 0) y += 8;
    const double y0 = y;
    const size_t idx = i;
    contents_.back().ops.push_back(DrawLayout(l, kMarginX + indent, y0, chapter ? primary_ : kInk));
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
      SetColor(cr, chapter ? primary_ : kInk);
      cairo_move_to(cr, kMarginX + kContentW - w, y0);
      pango_cairo_update_context(cr, ctx_);
      pango_cairo_show_layout(cr, num.get());
      // The whole line links to the page.
      char attrs[96];
      std::snprintf(attrs, sizeof attrs, "page=%d pos=[%.1f %.1f]", page_no, kMarginX, toc_[idx].y);
      cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs);
      cairo_rectangle(cr, kMarginX, y0, kContentW, 12);
      cairo_tag_end(cr, CAIRO_TAG_LINK);
      cairo_new_path(cr);
    });
    y += h;
  }
}

void PdfBuilder::Decorate(cairo_t* cr, int page_no, int total) {
  // The fund's logo, small, before the running title.
  const double logo_h = 14;
  const double logo_w = std::min(LogoWidthAt(logo_h), 70.0);
  double text_x = kMarginX;
  if (logo_w > 0) {
    cairo_save(cr);
    DrawLogo(kMarginX, 27, logo_w, logo_h, false)(cr);
    cairo_restore(cr);
    text_x += logo_w + 8;
  }
  auto head = MakeLayout(
      Escape(m_.fund_label + " · " + m_.running_title + " " + std::to_string(m_.year)), kFont,
      7.5, false, kContentW - (text_x - kMarginX));
  SetColor(cr, kMuted);
  cairo_move_to(cr, text_x, 30);
  pango_cairo_update_context(cr, ctx_);
  pango_cairo_show_layout(cr, head.get());
  SetColor(cr, logo_w > 0 || !m_.colour.empty() ? accent_ : kRule);
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

void PdfBuilder::RenderAll() {
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
}  // namespace amiable::report::pdf_internal
