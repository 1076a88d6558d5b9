// The annual report as a format-neutral document: sections holding
// paragraphs, tables and charts, every number typed (count, rate, euros,
// days) so that each writer shows it in its own way (French text in PDF and
// HTML, numbers with formats in XLSX, plain decimals in CSV) from the same
// value. Charts draw columns of a table of their section, so a chart and its
// table cannot disagree.
//
// Built by AssembleReport (report/assemble.h); read by the writers.
#ifndef AMIABLE_REPORT_MODEL_H_
#define AMIABLE_REPORT_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "figures/figures.h"
#include "report/consistency.h"

namespace amiable::report {

enum class ValueKind {
  kText,   // text, shown as is
  kCount,  // integer count
  kRate,   // fraction in [0, 1], shown as a percentage
  kEuros,  // integer cents
  kDays,   // average delay in days, two decimals
  kTrend,  // a trend mark ("↑", "↓", "↔") with its label ("hausse"...)
  kChange  // a signed relative change (fraction), "+23,6 %"
};

struct Cell {
  ValueKind kind = ValueKind::kText;
  std::string text;              // kText; kTrend: the mark
  std::string label;             // kTrend: "hausse"/"baisse"/"stable" (screen readers)
  std::optional<double> number;  // kCount, kRate, kDays, kChange; nullopt = n.d.
  int64_t cents = 0;             // kEuros
  // kRate of counts (Cell::Ratio): the exact counts, displayed with
  // fr::Percent(num, den) so that the report prints what pages and CLI print.
  std::optional<CountRatio> ratio;
  bool strong = false;           // bold (totals, highlights)
  // kText in the light markup of report/markup.h (bold, bullets, paragraphs
  // inside the cell): writers render it (markup::ToPango, ToHtml, ToPlain).
  bool markup = false;

  static Cell Text(std::string t, bool strong = false);
  static Cell Markup(std::string t);  // a kText cell with markup = true
  static Cell Count(int64_t n, bool strong = false);
  // A rate that is not a ratio of counts (an average of rates, a target).
  static Cell Rate(std::optional<double> r, bool strong = false);
  // A rate of counts, num / den (n.d. when den == 0). Prefer it to Rate.
  static Cell Ratio(CountRatio r, bool strong = false);
  static Cell Euros(int64_t cents, bool strong = false);
  static Cell Days(std::optional<double> d, bool strong = false);
  static Cell Change(std::optional<double> c);
  static Cell Trend(std::string mark, std::string label);
  static Cell Missing();  // "n.d." with no value

  bool IsNumeric() const { return kind != ValueKind::kText && kind != ValueKind::kTrend; }
  bool HasValue() const { return kind == ValueKind::kEuros || number.has_value(); }
  // The value as a number: counts and days as is, rates as fractions, euros in
  // euros (cents / 100). 0 when missing.
  double Value() const;
  // French display: "1 234", "35,7 %", "128 120,06 €", "1,65 j", "↑", "n.d.".
  std::string Display() const;
};

struct Table {
  std::string id;       // stable, unique in the report: "channel", "meteo"...
  std::string caption;  // French
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
  std::vector<double> widths;  // relative column widths (PDF); empty = equal
  int total_rows = 0;          // the last rows that are totals: bold, left out of charts
  std::string note;            // under the table: denominators, "plus de 100 %"...

  size_t DataRows() const { return rows.size() - static_cast<size_t>(total_rows); }
};

enum class ChartType {
  kColumns,  // vertical bars, one group per category, one bar per series
  kBars,     // horizontal bars, idem (long labels)
  kPie,      // one series, shares of the whole
  kLine,     // one line per series over the categories
  // One horizontal box plot per category (row): value_columns are five
  // columns, in order the low whisker, the box's low end, the median, the
  // box's high end and the high whisker (e.g. D1, Q1, median, Q3, D9).
  kBox,
};

struct Chart {
  ChartType type = ChartType::kColumns;
  std::string title;
  int table = 0;                   // index in Section::tables
  int category_column = 0;         // labels
  std::vector<int> value_columns;  // one series each, named by the table's header
  std::optional<double> target;    // a horizontal reference line (e.g. 75 % target)
  std::string target_label;
  std::string alt;  // text alternative: what the chart shows, with its figures
};

struct Block {
  enum class Kind {
    kParagraph,   // text (may hold **bold** spans, report/markup.h)
    kBullets,     // items
    kSubheading,  // text
    kTable,       // index into Section::tables
    kChart,       // index into Section::charts
    kKeyFigure,   // text: a large figure; items[0]: its caption
    kWarning,     // framed text
    kSignature,   // right-aligned text
  };
  Kind kind = Kind::kParagraph;
  std::string text;
  std::vector<std::string> items;
  int index = -1;
};

struct Section {
  std::string id;     // stable: "key_figures", "requests", "channel"... (sheet and CSV names)
  std::string title;  // French
  int level = 2;      // 1 = chapter (new page in PDF), 2 = section
  std::vector<Block> blocks;
  std::vector<Table> tables;
  std::vector<Chart> charts;

  Table& AddTable(Table t);  // appends a kTable block
  Chart& AddChart(Chart c);  // appends a kChart block
  void Paragraph(std::string text);
  void Bullets(std::vector<std::string> items);
  void Subheading(std::string text);
};

// One figure in long form (the CSV rows; also the XLSX "Données" sheet).
struct DataPoint {
  std::string section;  // Section::id
  std::string code;     // nomenclature code or figure key ("received", "unknown"...)
  std::string label;    // French
  int year = 0;
  std::optional<double> count;  // a count; for amounts euros, for delays days (the label says)
  std::optional<double> share;  // a fraction, when the figure is a share
};

// The numbers a chart draws, taken from its table (data rows only).
struct ChartData {
  std::vector<std::string> categories;    // one per data row
  std::vector<std::string> series;        // one per value column (its header)
  std::vector<std::vector<Cell>> values;  // [series][category]
  ValueKind kind = ValueKind::kCount;     // of the first value column
};
ChartData ExtractChartData(const Section& s, const Chart& c);

// A text alternative for a chart: its title and every figure it shows, in
// French ("Modes de saisine : Courriel 90 (52,3 %) ; ...").
std::string DescribeChart(const Section& s, const Chart& c);

struct ReportModel {
  std::string title;       // "Rapport annuel de la médiation administrative"
  std::string fund_label;  // "Caf du Puy-de-Dôme (631)" or "3 Caf : 631, 671, 974"
  std::vector<std::string> organismes;
  int year = 0;
  Date as_of;          // day of computation of the figures
  Date generated_on;   // day the report was produced
  std::string author;  // PDF metadata
  std::string subject;
  // The PDF's cover lines and running head (the national report's differ).
  std::string cover_title = "Rapport annuel d'activité";
  std::string cover_subtitle = "de la médiation administrative";
  std::string running_title = "Rapport annuel de la médiation";

  ConsistencyReport quality;  // the check's result (blocking problems, warnings)
  bool incomplete = false;    // produced with blocking problems (--allow-incomplete)

  std::vector<Section> sections;
  std::vector<DataPoint> data;

  // ---- The fund's branding (issue 10; filled by BuildReport when the report
  // is of one fund, from ReportDataStore::GetBranding) ----
  std::string logo;       // the image's bytes; empty: no logo
  std::string logo_type;  // "image/png" | "image/jpeg" (what the store sniffed)
  std::string colour;     // "#RRGGBB" for headings, rules and the cover band; empty: the product's
  // Sections only the XLSX writer shows, each on a sheet of its own after the
  // sections' sheets (too wide for a page): "years", the key figures of every
  // year side by side (report/years.h).
  std::vector<Section> xlsx_sections;
};

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_MODEL_H_
