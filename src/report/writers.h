// The four writers of the report model. Each returns the bytes of a complete
// file; kInternal when the underlying library fails.
//
// - PDF (cairo + pango): A4, cover, contents with page numbers, numbered
//   pages, vector charts labelled with their figures, tables that break across
//   pages with their header repeated, embedded fonts (DejaVu Sans through
//   fontconfig), document metadata and outline.
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

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_WRITERS_H_
