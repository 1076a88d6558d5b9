// The PDF letter (letters/pdf.h): layout in points, then drawing page by
// page once the number of pages is known.
#include "letters/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <functional>
#include <memory>
#include <vector>

namespace amiable::letters {
namespace {

constexpr double kMm = 72.0 / 25.4;
constexpr double kPageW = 210 * kMm;
constexpr double kPageH = 297 * kMm;
constexpr double kLeft = 20 * kMm;
constexpr double kRight = kPageW - 20 * kMm;
constexpr double kWidth = kRight - kLeft;
constexpr double kBottom = kPageH - 22 * kMm;  // room left for the page number
constexpr double kTopNext = 22 * kMm;          // body start on pages after the first
// The window of a DL envelope, window on the right (NF standard).
constexpr double kWindowX = 110 * kMm;
constexpr double kWindowY = 50 * kMm;
constexpr double kWindowW = 85 * kMm;
constexpr double kWindowH = 40 * kMm;
constexpr double kWindowPad = 5 * kMm;

constexpr const char* kFont = "DejaVu Sans";
constexpr double kBodySize = 10;

struct Color {
  double r, g, b;
};
constexpr Color kInk{0.10, 0.11, 0.13};
constexpr Color kHead{0.12, 0.31, 0.49};
constexpr Color kMuted{0.38, 0.41, 0.46};

using LayoutPtr = std::shared_ptr<PangoLayout>;
using Op = std::function<void(cairo_t*)>;

std::string Escape(std::string_view s) {
  gchar* e = g_markup_escape_text(s.data(), static_cast<gssize>(s.size()));
  std::string out(e);
  g_free(e);
  return out;
}

class Builder {
 public:
  explicit Builder(const Rendered& l) : l_(l) {}
  ~Builder() {
    if (ctx_ != nullptr) g_object_unref(ctx_);
    if (cr_ != nullptr) cairo_destroy(cr_);
    if (surface_ != nullptr) cairo_surface_destroy(surface_);
  }

  Result<std::string> Run() {
    surface_ = cairo_pdf_surface_create_for_stream(&Builder::Write, &out_, kPageW, kPageH);
    if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
      return Fail(Error::Internal("cairo: cannot create the PDF surface"));
    }
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, l_.subject.c_str());
    cairo_pdf_surface_set_metadata(
        surface_, CAIRO_PDF_METADATA_AUTHOR,
        (l_.letterhead.empty() ? std::string("amiable") : l_.letterhead.front()).c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "amiable");
    cr_ = cairo_create(surface_);
    ctx_ = pango_cairo_create_context(cr_);
    pango_cairo_context_set_resolution(ctx_, 72);
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx_, fo);
    cairo_font_options_destroy(fo);

    Layout();
    const int total = static_cast<int>(pages_.size());
    for (int i = 0; i < total; ++i) {
      for (const Op& op : pages_[i]) op(cr_);
      if (total > 1) Footer(i + 1, total);
      cairo_show_page(cr_);
    }
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

  LayoutPtr Make(const std::string& markup, double size, bool bold, double width,
                 PangoAlignment align = PANGO_ALIGN_LEFT, bool justify = false) {
    PangoLayout* l = pango_layout_new(ctx_);
    PangoFontDescription* fd = pango_font_description_new();
    pango_font_description_set_family(fd, kFont);
    pango_font_description_set_size(fd, static_cast<int>(size * PANGO_SCALE));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align);
    pango_layout_set_justify(l, justify);
    pango_layout_set_spacing(l, static_cast<int>(size * 0.25 * PANGO_SCALE));
    pango_layout_set_markup(l, markup.c_str(), -1);
    return LayoutPtr(l, g_object_unref);
  }

  static double Height(const LayoutPtr& l) {
    int w = 0, h = 0;
    pango_layout_get_size(l.get(), &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  static Op Draw(LayoutPtr l, double x, double y, Color c) {
    return [l, x, y, c](cairo_t* cr) {
      cairo_set_source_rgb(cr, c.r, c.g, c.b);
      cairo_move_to(cr, x, y);
      pango_cairo_update_layout(cr, l.get());
      pango_cairo_show_layout(cr, l.get());
    };
  }

  void NewPage() {
    pages_.emplace_back();
    y_ = kTopNext;
    auto head = Make(Escape("Référence : " + l_.reference + " (suite)"), 8, false, kWidth,
                     PANGO_ALIGN_RIGHT);
    Emit(Draw(head, kLeft, 12 * kMm, kMuted));
  }
  void Emit(Op op) { pages_.back().push_back(std::move(op)); }

  // A paragraph that may break between its lines; a break leaves at least
  // two lines on each side when the paragraph has four or more.
  void Flow(const LayoutPtr& l, double x, Color c, double space_after) {
    const double h = Height(l);
    if (y_ + h > kBottom) {
      PangoLayoutIter* it = pango_layout_get_iter(l.get());
      struct Line {
        PangoLayoutLine* line;
        double top, height, baseline;
      };
      std::vector<Line> lines;
      do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, nullptr, &logical);
        lines.push_back({pango_layout_iter_get_line_readonly(it),
                         static_cast<double>(logical.y) / PANGO_SCALE,
                         static_cast<double>(logical.height) / PANGO_SCALE,
                         static_cast<double>(pango_layout_iter_get_baseline(it)) / PANGO_SCALE});
      } while (pango_layout_iter_next_line(it));
      pango_layout_iter_free(it);
      size_t fit = 0;
      while (fit < lines.size() && y_ + lines[fit].top + lines[fit].height <= kBottom) ++fit;
      if (lines.size() >= 4 && fit < 2) fit = 0;
      if (lines.size() >= 4 && lines.size() - fit < 2 && fit > 2) fit = lines.size() - 2;
      if (lines.size() < 4 && fit < lines.size()) fit = 0;
      double offset = y_;  // page position of the layout's top
      for (size_t i = 0; i < lines.size(); ++i) {
        if (i == fit && i > 0) {
          NewPage();
          offset = y_ - lines[i].top;
        } else if (i == 0 && fit == 0) {
          NewPage();
          offset = y_;
        }
        const double base = offset + lines[i].baseline;
        Emit([l, ln = lines[i].line, x, base, c](cairo_t* cr) {
          cairo_set_source_rgb(cr, c.r, c.g, c.b);
          cairo_move_to(cr, x, base);
          pango_cairo_update_layout(cr, l.get());
          pango_cairo_show_layout_line(cr, ln);
        });
      }
      y_ = offset + h + space_after;
      return;
    }
    Emit(Draw(l, x, y_, c));
    y_ += h + space_after;
  }

  void Layout() {
    pages_.emplace_back();
    // The letterhead.
    double y = 15 * kMm;
    for (size_t i = 0; i < l_.letterhead.size(); ++i) {
      auto line = Make(Escape(l_.letterhead[i]), i == 0 ? 12 : 9, i == 0, 85 * kMm);
      Emit(Draw(line, kLeft, y, i == 0 ? kHead : kInk));
      y += Height(line) + (i == 0 ? 1.5 * kMm : 0.5 * kMm);
    }
    // The recipient, in the window.
    std::string addr = "<b>" + Escape(l_.recipient_name) + "</b>";
    for (const std::string& a : l_.recipient_address) addr += "\n" + Escape(a);
    auto address = Make(addr, 10.5, false, kWindowW - 2 * kWindowPad);
    double ah = Height(address);
    double ay = kWindowY + kWindowPad;
    if (ah < kWindowH - 2 * kWindowPad) ay = kWindowY + (kWindowH - ah) / 2;  // centred
    Emit(Draw(address, kWindowX + kWindowPad, ay, kInk));
    // Place and date.
    auto date = Make(Escape(l_.DateLine()), kBodySize, false, kRight - kWindowX, PANGO_ALIGN_RIGHT);
    Emit(Draw(date, kWindowX, kWindowY + kWindowH + 8 * kMm, kInk));
    // Object and reference.
    y_ = kWindowY + kWindowH + 20 * kMm;
    auto object = Make("<b>Objet :</b> " + Escape(l_.subject), kBodySize, false, kWidth);
    Emit(Draw(object, kLeft, y_, kInk));
    y_ += Height(object) + 1 * kMm;
    auto ref = Make("<b>Référence :</b> " + Escape(l_.reference), kBodySize, false, kWidth);
    Emit(Draw(ref, kLeft, y_, kInk));
    y_ += Height(ref) + 10 * kMm;
    // The body, paragraph by paragraph.
    const std::string& b = l_.body_text;
    size_t start = 0;
    while (start < b.size()) {
      size_t end = b.find("\n\n", start);
      std::string p = b.substr(start, end == std::string::npos ? end : end - start);
      const bool list = p.rfind("– ", 0) == 0 || p.rfind("- ", 0) == 0;
      auto para = Make(Escape(p), kBodySize, false, kWidth, PANGO_ALIGN_LEFT, !list);
      Flow(para, kLeft, kInk, 3.5 * kMm);
      if (end == std::string::npos) break;
      start = end + 2;
    }
    // The signature, whole, from the middle of the page.
    if (!l_.signature.empty()) {
      auto sig = Make(Escape(l_.signature), kBodySize, false, kRight - kWindowX);
      y_ += 6 * kMm;
      if (y_ + Height(sig) > kBottom) NewPage();
      Emit(Draw(sig, kWindowX, y_, kInk));
      y_ += Height(sig);
    }
  }

  void Footer(int n, int total) {
    auto foot = Make(Escape("page " + std::to_string(n) + " / " + std::to_string(total)), 8, false,
                     kWidth, PANGO_ALIGN_CENTER);
    Draw(foot, kLeft, kPageH - 14 * kMm, kMuted)(cr_);
  }

  const Rendered& l_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  PangoContext* ctx_ = nullptr;
  std::vector<std::vector<Op>> pages_;
  double y_ = 0;
  std::string out_;
};

}  // namespace

Result<std::string> RenderPdf(const Rendered& letter) { return Builder(letter).Run(); }

}  // namespace amiable::letters
