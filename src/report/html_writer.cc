// HTML writer: one standalone, accessible page (French, lang="fr").
// - Headings follow the outline (h1 title, h2 chapters, h3 sections, h4
//   subheadings); a <nav> holds the contents.
// - Tables have a <caption>, column headers <th scope="col">, the first cell
//   of a row as <th scope="row">, totals in <tfoot>.
// - Charts are inline SVG with role="img" and <title>/<desc> holding the
//   chart's title and its text alternative (every figure it shows); the same
//   figures are in the table above it.
// - Trend marks are hidden from screen readers and spelled out beside them.
// All styles are scoped under .amiable-report so that the web workspace can
// embed the <main> element as is. The fund's colour sets two custom
// properties (BrandStyles); its logo is an <img> in the header.
#include <string>
#include <vector>

#include <glib.h>

#include "report/charts.h"
#include "core/french_format.h"
#include "report/markup.h"
#include "report/writers.h"

namespace amiable::report {
namespace {

std::string Inline(std::string_view text) {
  return BoldSpansToMarkup(fr::Spaces(text), "<strong>", "</strong>");
}

constexpr const char* kStyle = R"css(
.amiable-report{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;color:#292e38;line-height:1.5;max-width:60rem;margin:0 auto;padding:1rem 1.5rem}
.amiable-report h1{color:var(--amiable-brand,#1f4e7d);font-size:2rem;margin:.5rem 0}
.amiable-report h2{color:var(--amiable-brand,#1f4e7d);font-size:1.5rem;border-bottom:3px solid var(--amiable-accent,#d97817);padding-bottom:.2rem;margin-top:2.5rem}
.amiable-report h3{color:var(--amiable-brand,#1f4e7d);font-size:1.2rem;border-left:4px solid var(--amiable-accent,#d97817);padding-left:.5rem;margin-top:2rem}
.amiable-report h4{color:var(--amiable-brand,#1f4e7d);font-size:1.05rem}
.amiable-report .meta{color:#5c6370}
.amiable-report header .logo{float:right;max-height:5rem;max-width:12rem;margin:0 0 1rem 1rem}
.amiable-report header::after{content:"";display:block;clear:both}
.amiable-report .warning{background:#fdecea;border-left:5px solid #b22121;color:#8a1b1b;padding:.75rem 1rem;margin:1rem 0}
.amiable-report table{border-collapse:collapse;width:100%;margin:.5rem 0 .25rem;font-size:.9rem}
.amiable-report caption{text-align:left;font-weight:bold;color:var(--amiable-brand,#1f4e7d);padding:.25rem 0}
.amiable-report th,.amiable-report td{padding:.3rem .5rem;border-bottom:1px solid #cdd3da;vertical-align:top}
.amiable-report thead th{background:var(--amiable-brand,#1f4e7d);color:#fff;text-align:left}
.amiable-report thead th.num{text-align:right}
.amiable-report tbody th,.amiable-report tfoot th{text-align:left}
.amiable-report tbody th{font-weight:normal}
.amiable-report tbody tr:nth-child(even){background:#f2f4f7}
.amiable-report tfoot th,.amiable-report tfoot td{background:#e6edf5;font-weight:bold}
.amiable-report td.num{text-align:right;white-space:nowrap}
.amiable-report td.trend{text-align:center}
.amiable-report .note{font-size:.85rem;color:#5c6370;font-style:italic;margin-top:.2rem}
.amiable-report figure{margin:1rem 0 1.5rem}
.amiable-report figure svg{max-width:100%;height:auto}
.amiable-report .kpis{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}
.amiable-report .kpis div{flex:1 1 10rem;background:#f2f4f7;border-top:3px solid var(--amiable-brand,#1f4e7d);padding:.75rem;text-align:center}
.amiable-report .kpis dd{font-size:1.6rem;font-weight:bold;color:var(--amiable-brand,#1f4e7d);margin:0}
.amiable-report .kpis dt{font-size:.85rem;color:#5c6370}
.amiable-report .signature{text-align:right;font-style:italic;color:var(--amiable-brand,#1f4e7d);margin:.2rem 0}
.amiable-report .sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.amiable-report nav ol{padding-left:1.2rem}
.amiable-report nav ol ol{list-style:none;padding-left:1rem}
)css";

std::string CellHtml(const Cell& c) {
  if (c.kind == ValueKind::kTrend) {
    if (c.label == "sans objet") {
      return "<span aria-hidden=\"true\">—</span><span class=\"sr-only\">sans objet</span>";
    }
    return "<span aria-hidden=\"true\">" + XmlEscape(c.text) + "</span><span class=\"sr-only\">" +
           XmlEscape(c.label) + "</span>";
  }
  if (c.markup) return markup::ToHtml(fr::Spaces(c.text));
  std::string v = XmlEscape(c.Display());
  if (c.strong) v = "<strong>" + v + "</strong>";
  return v;
}

void TableHtml(const Table& t, std::string* out) {
  *out += "<table id=\"t-" + XmlEscape(t.id) + "\"><caption>" + XmlEscape(t.caption) +
          "</caption><thead><tr>";
  // A column is numeric when one of its cells is: its header is then
  // right-aligned like its figures.
  std::vector<bool> numeric(t.header.size(), false);
  for (const auto& row : t.rows) {
    for (size_t i = 1; i < row.size() && i < numeric.size(); ++i) {
      if (row[i].IsNumeric() || row[i].kind == ValueKind::kTrend) numeric[i] = true;
    }
  }
  for (size_t i = 0; i < t.header.size(); ++i) {
    const std::string h = t.header[i].empty() && i == 0 ? "Libellé" : t.header[i];
    *out += std::string("<th scope=\"col\"") + (numeric[i] ? " class=\"num\"" : "") + ">" +
            XmlEscape(h) + "</th>";
  }
  *out += "</tr></thead>";
  auto rows = [&](size_t from, size_t to) {
    for (size_t r = from; r < to; ++r) {
      *out += "<tr>";
      const auto& row = t.rows[r];
      for (size_t i = 0; i < row.size(); ++i) {
        if (i == 0) {
          *out += "<th scope=\"row\">" + CellHtml(row[i]) + "</th>";
          continue;
        }
        const char* cls = row[i].kind == ValueKind::kTrend   ? " class=\"trend\""
                          : row[i].IsNumeric() || numeric[i] ? " class=\"num\""
                                                             : "";
        *out += std::string("<td") + cls + ">" + CellHtml(row[i]) + "</td>";
      }
      *out += "</tr>";
    }
  };
  *out += "<tbody>";
  rows(0, t.DataRows());
  *out += "</tbody>";
  if (t.total_rows > 0) {
    *out += "<tfoot>";
    rows(t.DataRows(), t.rows.size());
    *out += "</tfoot>";
  }
  *out += "</table>";
  if (!t.note.empty()) *out += "<p class=\"note\">" + Inline(t.note) + "</p>";
}

// The report's content, from its <header> to its last section.
// `logo_src`: where the fund's logo is read from ("" = not shown).
void Body(const ReportModel& m, std::string_view logo_src, std::string* out_ptr) {
  std::string& out = *out_ptr;
  const std::string year = std::to_string(m.year);
  out += "<header>\n";
  if (!m.logo.empty() && !logo_src.empty()) {
    out += "<img class=\"logo\" src=\"" + XmlEscape(logo_src) + "\" alt=\"Logo — " +
           XmlEscape(m.fund_label) + "\">\n";
  }
  out += "<h1>" + XmlEscape(m.title) + " " + year + "</h1>\n";
  out += "<p><strong>" + XmlEscape(m.fund_label) + "</strong></p>\n";
  out += "<p class=\"meta\">Chiffres calculés au " + fr::ShortDate(m.as_of) +
         " · rapport produit le " + fr::ShortDate(m.generated_on) + "</p>\n";
  if (m.incomplete) {
    out +=
        "<div class=\"warning\" role=\"note\"><strong>Rapport produit avec des données "
        "incomplètes.</strong> Le contrôle de cohérence a relevé " +
        fr::Count(m.quality.Blocking()) +
        " problème(s) bloquant(s) : les chiffres concernés sont incomplets. Ce document est "
        "une version de travail, à ne pas publier (voir "
        "<a href=\"#sec-quality\">Données incomplètes</a>).</div>\n";
  }
  out += "</header>\n<nav aria-label=\"Sommaire\"><h2>Sommaire</h2><ol>";
  bool open_sub = false;
  for (size_t i = 0; i < m.sections.size(); ++i) {
    const Section& s = m.sections[i];
    if (s.level == 1) {
      if (open_sub) out += "</ol>";
      if (i > 0) out += "</li>";
      out += "<li><a href=\"#sec-" + XmlEscape(s.id) + "\">" + XmlEscape(s.title) + "</a>";
      open_sub = false;
    } else {
      if (!open_sub) out += "<ol>";
      open_sub = true;
      out += "<li><a href=\"#sec-" + XmlEscape(s.id) + "\">" + XmlEscape(s.title) + "</a></li>";
    }
  }
  if (open_sub) out += "</ol>";
  if (!m.sections.empty()) out += "</li>";
  out += "</ol></nav>\n";
  int chart_no = 0;
  for (const Section& s : m.sections) {
    const char* h = s.level == 1 ? "h2" : "h3";
    out += "<section id=\"sec-" + XmlEscape(s.id) + "\" aria-labelledby=\"h-" + XmlEscape(s.id) +
           "\">\n";
    out += std::string("<") + h + " id=\"h-" + XmlEscape(s.id) + "\">" + XmlEscape(s.title) + "</" +
           h + ">\n";
    for (size_t i = 0; i < s.blocks.size(); ++i) {
      const Block& b = s.blocks[i];
      switch (b.kind) {
        case Block::Kind::kParagraph:
          out += "<p>" + Inline(b.text) + "</p>\n";
          break;
        case Block::Kind::kBullets:
          out += "<ul>";
          for (const std::string& item : b.items) out += "<li>" + Inline(item) + "</li>";
          out += "</ul>\n";
          break;
        case Block::Kind::kSubheading:
          out += "<h4>" + XmlEscape(b.text) + "</h4>\n";
          break;
        case Block::Kind::kTable:
          TableHtml(s.tables[static_cast<size_t>(b.index)], &out);
          out += "\n";
          break;
        case Block::Kind::kChart: {
          const Chart& c = s.charts[static_cast<size_t>(b.index)];
          const ChartScene scene = LayoutChart(s, c, 480);
          out += "<figure>" +
                 SceneToSvg(scene, "chart-" + std::to_string(++chart_no), c.title,
                            c.alt.empty() ? DescribeChart(s, c) : c.alt) +
                 "</figure>\n";
          break;
        }
        case Block::Kind::kKeyFigure: {
          out += "<dl class=\"kpis\">";
          while (i < s.blocks.size() && s.blocks[i].kind == Block::Kind::kKeyFigure) {
            const Block& k = s.blocks[i];
            out += "<div><dt>" + XmlEscape(k.items.empty() ? "" : k.items[0]) + "</dt><dd>" +
                   XmlEscape(k.text) + "</dd></div>";
            ++i;
          }
          --i;
          out += "</dl>\n";
          break;
        }
        case Block::Kind::kWarning:
          out += "<div class=\"warning\" role=\"note\">" + Inline(b.text) + "</div>\n";
          break;
        case Block::Kind::kSignature:
          out += "<p class=\"signature\">" + Inline(b.text) + "</p>\n";
          break;
      }
    }
    out += "</section>\n";
  }
}

}  // namespace

std::string RenderHtml(const ReportModel& m) {
  std::string out;
  out.reserve(256 * 1024);
  out +=
      "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  out += XmlEscape(m.title + " " + std::to_string(m.year) + " — " + m.fund_label);
  out += "</title>\n<meta name=\"author\" content=\"" + XmlEscape(m.author) + "\">\n";
  out += "<meta name=\"description\" content=\"" + XmlEscape(m.subject) + "\">\n<style>";
  out += kStyle;
  out += BrandStyles(m.colour);
  out += "</style>\n</head>\n<body>\n<main class=\"amiable-report\">\n";
  std::string logo_src;
  if (!m.logo.empty() && (m.logo_type == "image/png" || m.logo_type == "image/jpeg")) {
    gchar* b64 = g_base64_encode(reinterpret_cast<const guchar*>(m.logo.data()), m.logo.size());
    logo_src = "data:" + m.logo_type + ";base64," + b64;
    g_free(b64);
  }
  Body(m, logo_src, &out);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

std::string RenderHtmlFragment(const ReportModel& m) { return RenderHtmlFragment(m, ""); }

std::string RenderHtmlFragment(const ReportModel& m, std::string_view logo_url) {
  std::string out;
  out.reserve(256 * 1024);
  out += "<article class=\"amiable-report\">\n";
  Body(m, logo_url, &out);
  out += "</article>\n";
  return out;
}

std::string_view HtmlReportStyles() { return kStyle; }

}  // namespace amiable::report
