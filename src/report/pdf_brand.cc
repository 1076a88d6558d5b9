// PDF writer, the fund's brand: its colour (ReportModel::colour) for the
// headings, rules and the cover band, and its logo (ReportModel::logo) on the
// cover and small in every page header. The logo is drawn from PNG bytes
// with cairo (cairo_image_surface_create_from_png_stream); one image surface
// for the whole document, so the PDF holds the image once. JPEG is not drawn:
// gdk-pixbuf is not installed here, and the branding page accepts PNG only
// (LogoTypeDrawable in report/writers.h).
#include <algorithm>
#include <string_view>

#include "report/brand.h"
#include "report/pdf_internal.h"
#include "report/writers.h"

namespace amiable::report {

namespace pdf_internal {
namespace {

struct PngReader {
  std::string_view bytes;
  size_t at = 0;
};

cairo_status_t ReadPng(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<PngReader*>(closure);
  if (r->bytes.size() - r->at < length) return CAIRO_STATUS_READ_ERROR;
  std::copy_n(r->bytes.data() + r->at, length, data);
  r->at += length;
  return CAIRO_STATUS_SUCCESS;
}

Color Of(Rgb c) { return {c.r, c.g, c.b}; }

}  // namespace

void PdfBuilder::LoadBrand() {
  if (auto c = ParseHexColour(m_.colour)) {
    const BrandColours b = BrandColoursOf(*c);
    band_ = Of(b.band);
    accent_ = Of(b.accent);
    primary_ = Of(b.text);
    on_band_ = Of(b.on_band);
  }
  if (m_.logo.empty() || !LogoTypeDrawable(m_.logo_type)) return;
  PngReader reader{m_.logo, 0};
  cairo_surface_t* img = cairo_image_surface_create_from_png_stream(&ReadPng, &reader);
  if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS || cairo_image_surface_get_width(img) <= 0 ||
      cairo_image_surface_get_height(img) <= 0) {
    cairo_surface_destroy(img);  // a file the store took but cairo cannot read: no logo
    return;
  }
  logo_ = img;
  logo_w_ = cairo_image_surface_get_width(img);
  logo_h_ = cairo_image_surface_get_height(img);
}

double PdfBuilder::LogoWidthAt(double h) const {
  if (logo_ == nullptr) return 0;
  return h * logo_w_ / logo_h_;
}

Op PdfBuilder::DrawLogo(double x, double y, double w, double h, bool right_aligned) {
  if (logo_ == nullptr) return [](cairo_t*) {};
  const double scale = std::min(w / logo_w_, h / logo_h_);
  const double dw = logo_w_ * scale;
  const double left = right_aligned ? x - dw : x;
  cairo_surface_t* img = logo_;
  return [img, left, y, scale](cairo_t* cr) {
    cairo_translate(cr, left, y);
    cairo_scale(cr, scale, scale);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
  };
}

}  // namespace pdf_internal
}  // namespace amiable::report
