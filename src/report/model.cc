#include "report/model.h"

#include "core/french_format.h"

namespace amiable::report {

Cell Cell::Text(std::string t, bool strong) {
  Cell c;
  c.kind = ValueKind::kText;
  c.text = std::move(t);
  c.strong = strong;
  return c;
}

Cell Cell::Markup(std::string t) {
  Cell c = Text(std::move(t));
  c.markup = true;
  return c;
}

Cell Cell::Count(int64_t n, bool strong) {
  Cell c;
  c.kind = ValueKind::kCount;
  c.number = static_cast<double>(n);
  c.strong = strong;
  return c;
}

Cell Cell::Rate(std::optional<double> r, bool strong) {
  Cell c;
  c.kind = ValueKind::kRate;
  c.number = r;
  c.strong = strong;
  return c;
}

Cell Cell::Ratio(CountRatio r, bool strong) {
  Cell c;
  c.kind = ValueKind::kRate;
  if (r.den != 0) c.number = static_cast<double>(r.num) / static_cast<double>(r.den);
  c.ratio = r;
  c.strong = strong;
  return c;
}

Cell Cell::Euros(int64_t cents, bool strong) {
  Cell c;
  c.kind = ValueKind::kEuros;
  c.cents = cents;
  c.strong = strong;
  return c;
}

Cell Cell::Days(std::optional<double> d, bool strong) {
  Cell c;
  c.kind = ValueKind::kDays;
  c.number = d;
  c.strong = strong;
  return c;
}

Cell Cell::Change(std::optional<double> ch) {
  Cell c;
  c.kind = ValueKind::kChange;
  c.number = ch;
  return c;
}

Cell Cell::Trend(std::string mark, std::string label) {
  Cell c;
  c.kind = ValueKind::kTrend;
  c.text = std::move(mark);
  c.label = std::move(label);
  return c;
}

Cell Cell::Missing() {
  Cell c;
  c.kind = ValueKind::kCount;
  return c;
}

double Cell::Value() const {
  if (kind == ValueKind::kEuros) return static_cast<double>(cents) / 100.0;
  return number.value_or(0.0);
}

std::string Cell::Display() const {
  switch (kind) {
    case ValueKind::kText:
    case ValueKind::kTrend:
      return text;
    case ValueKind::kCount:
      return number ? fr::Count(static_cast<int64_t>(*number)) : std::string(fr::kNotAvailable);
    case ValueKind::kRate:
      return ratio ? fr::Percent(ratio->num, ratio->den) : fr::PercentOfFraction(number);
    case ValueKind::kEuros:
      return fr::Euros(cents);
    case ValueKind::kDays:
      return fr::Days(number);
    case ValueKind::kChange:
      return fr::Change(number);
  }
  return text;
}

Table& Section::AddTable(Table t) {
  tables.push_back(std::move(t));
  Block b;
  b.kind = Block::Kind::kTable;
  b.index = static_cast<int>(tables.size()) - 1;
  blocks.push_back(std::move(b));
  return tables.back();
}

Chart& Section::AddChart(Chart c) {
  charts.push_back(std::move(c));
  Block b;
  b.kind = Block::Kind::kChart;
  b.index = static_cast<int>(charts.size()) - 1;
  blocks.push_back(std::move(b));
  return charts.back();
}

void Section::Paragraph(std::string text) {
  Block b;
  b.kind = Block::Kind::kParagraph;
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}

void Section::Bullets(std::vector<std::string> items) {
  Block b;
  b.kind = Block::Kind::kBullets;
  b.items = std::move(items);
  blocks.push_back(std::move(b));
}

void Section::Subheading(std::string text) {
  Block b;
  b.kind = Block::Kind::kSubheading;
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}

ChartData ExtractChartData(const Section& s, const Chart& c) {
  ChartData d;
  if (c.table < 0 || static_cast<size_t>(c.table) >= s.tables.size()) return d;
  const Table& t = s.tables[static_cast<size_t>(c.table)];
  const size_t n = t.DataRows();
  for (size_t r = 0; r < n; ++r) {
    const auto& row = t.rows[r];
    d.categories.push_back(static_cast<size_t>(c.category_column) < row.size()
                               ? row[static_cast<size_t>(c.category_column)].Display()
                               : std::string());
  }
  bool first = true;
  for (int col : c.value_columns) {
    const size_t ci = static_cast<size_t>(col);
    d.series.push_back(ci < t.header.size() ? t.header[ci] : std::string());
    std::vector<Cell> v;
    for (size_t r = 0; r < n; ++r) {
      v.push_back(ci < t.rows[r].size() ? t.rows[r][ci] : Cell::Missing());
      if (first && ci < t.rows[r].size() && t.rows[r][ci].IsNumeric()) {
        d.kind = t.rows[r][ci].kind;
        first = false;
      }
    }
    d.values.push_back(std::move(v));
  }
  return d;
}

std::string DescribeChart(const Section& s, const Chart& c) {
  const ChartData d = ExtractChartData(s, c);
  std::string out = c.title + ". ";
  if (c.type == ChartType::kPie && !d.values.empty()) {
    double total = 0;
    for (const Cell& v : d.values[0]) total += v.Value();
    bool any = false;
    for (size_t i = 0; i < d.categories.size(); ++i) {
      const double v = d.values[0][i].Value();
      if (v <= 0) continue;
      out += (any ? " ; " : "") + d.categories[i] + " : " + d.values[0][i].Display() + " (" +
             fr::PercentOfFraction(total > 0 ? std::optional<double>(v / total) : std::nullopt) + ")";
      any = true;
    }
    if (!any)
      out += "Aucune donnée.";
    else
      out += ".";
    return out;
  }
  for (size_t si = 0; si < d.series.size(); ++si) {
    out += d.series[si] + " : ";
    for (size_t i = 0; i < d.categories.size(); ++i) {
      out += (i ? " ; " : "") + d.categories[i] + " " + d.values[si][i].Display();
    }
    out += ". ";
  }
  if (c.target) out += "Objectif : " + fr::PercentOfFraction(c.target) + ".";
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace amiable::report
