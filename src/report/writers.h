// The four writers of the report model. Each returns the bytes of a complete
// file; kInternal when the underlying library fails.
//
// - PDF (cairo + pango): A4, cover, contents with page numbers, numbered
//   pages, vector charts labelled with their figures, tables that break across
//   pages with their header repeated, headings kept with what follows,
//   embedded fonts (DejaVu Sans through fontconfig), document metadata and
//   outline; the fund's logo (PNG) on the cover and in the page headers and
//   its colour on headings, rules and the cover band.
// - XLSX (libxlsxwriter): a cover sheet, one sheet per section with tables
//   (numbers as numbers, € and % formats) and native charts, and a "Données"
//   sheet with every figure in long form.
// - CSV: long format section;code;label;year;count;share (docs/report.md).
// - HTML: one standalone accessible page: tables with caption and th scope,
//   charts as inline SVG with role="img" and a text alternative.
#ifndef AMIABLE_REPORT_WRITERS_H_
#define AMIABLE_REPORT_WRITERS_H_

#include <string>
#include <string_view>

#include "core/error.h"
#include "report/model.h"

namespace amiable::report {

Result<std::string> RenderPdf(const ReportModel& model);
Result<std::string> RenderXlsx(const ReportModel& model);
std::string RenderCsv(const ReportModel& model);
std::string RenderHtml(const ReportModel& model);
// The same content without the document around it nor its <style>, in an
// <article class="amiable-report"> (pages that embed the report link
// HtmlReportStyles() as a stylesheet: their CSP forbids inline styles).
std::string RenderHtmlFragment(const ReportModel& model);
std::string_view HtmlReportStyles();
// The fragment with the fund's logo drawn from `logo_url` (the page's own
// route: the workspace's CSP allows no data: image); the standalone page
// embeds it as a data: URI. The colour: BrandStyles() below.
std::string RenderHtmlFragment(const ReportModel& model, std::string_view logo_url);
// The CSS that gives an HTML report the fund's colour (empty without one);
// inside the standalone page's <style>, or served as a stylesheet.
std::string BrandStyles(std::string_view colour);

// True when the PDF writer draws a logo of this type (PNG; JPEG would need
// gdk-pixbuf, not installed). The branding page accepts only these.
bool LogoTypeDrawable(std::string_view type);

// The list of cases to fix of a consistency check, for the data-quality
// page's export (never part of the report): CSV as RenderCsv writes it,
// reference;caf;gravite;code;probleme, the blocking problems first.
std::string RenderProblemsCsv(const ConsistencyReport& q);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_WRITERS_H_
