#include "report/charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/french_format.h"
#include "report/markup.h"

namespace amiable::report {
namespace {

constexpr double kPi = 3.14159265358979323846;

constexpr Rgb kInk{0.16, 0.18, 0.22};
constexpr Rgb kMuted{0.38, 0.41, 0.46};
constexpr Rgb kGrid{0.86, 0.88, 0.90};
constexpr Rgb kAxis{0.55, 0.58, 0.62};
constexpr Rgb kTarget{0.75, 0.16, 0.16};
constexpr Rgb kWhite{1, 1, 1};

// Series colours: the previous year light, the current year dark, then more.
constexpr Rgb kSeriesTwo[] = {{0.62, 0.74, 0.86}, {0.12, 0.31, 0.49}};
constexpr Rgb kSeries[] = {{0.12, 0.31, 0.49},
                           {0.85, 0.47, 0.09},
                           {0.18, 0.55, 0.34},
                           {0.50, 0.29, 0.60},
                           {0.75, 0.22, 0.17}};
// Pie slices: distinguishable, dark enough for white labels.
constexpr Rgb kPie[] = {{0.12, 0.31, 0.49}, {0.85, 0.47, 0.09}, {0.18, 0.55, 0.34},
                        {0.50, 0.29, 0.60}, {0.75, 0.22, 0.17}, {0.09, 0.52, 0.56},
                        {0.55, 0.45, 0.20}, {0.40, 0.42, 0.47}, {0.80, 0.33, 0.55},
                        {0.30, 0.60, 0.80}, {0.45, 0.60, 0.15}};

Rgb SeriesColor(size_t i, size_t n) {
  if (n == 2) return kSeriesTwo[i];
  return kSeries[i % std::size(kSeries)];
}

// Decodes one UTF-8 code point at s[i], advancing i.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  const unsigned char c = static_cast<unsigned char>(s[*i]);
  int len = 1;
  char32_t cp = c;
  if (c >= 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else if (c >= 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xC0) {
    len = 2;
    cp = c & 0x1F;
  }
  for (int k = 1; k < len && *i + static_cast<size_t>(k) < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + static_cast<size_t>(k)]) & 0x3F);
  }
  *i += static_cast<size_t>(len);
  return cp;
}

Primitive Text(double x, double y, std::string text, double size, Rgb color,
               Primitive::Anchor anchor = Primitive::Anchor::kStart, bool bold = false) {
  Primitive p;
  p.kind = Primitive::Kind::kText;
  p.x = x;
  p.y = y;
  p.text = std::move(text);
  p.size = size;
  p.fill = color;
  p.anchor = anchor;
  p.bold = bold;
  return p;
}

Primitive Rect(double x, double y, double w, double h, Rgb fill) {
  Primitive p;
  p.kind = Primitive::Kind::kRect;
  p.x = x;
  p.y = y;
  p.w = w;
  p.h = h;
  p.fill = fill;
  return p;
}

Primitive Line(double x1, double y1, double x2, double y2, Rgb color, double width,
               bool dashed = false) {
  Primitive p;
  p.kind = Primitive::Kind::kLine;
  p.x = x1;
  p.y = y1;
  p.w = x2;
  p.h = y2;
  p.stroke = color;
  p.stroke_width = width;
  p.dashed = dashed;
  return p;
}

// Greedy word wrap on estimated widths; at most `max_lines` lines (the last
// one keeps the rest).
std::vector<std::string> Wrap(std::string_view text, double size, double width,
                              size_t max_lines = 3) {
  std::vector<std::string> lines;
  std::string cur;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t sp = text.find(' ', pos);
    if (sp == std::string_view::npos) sp = text.size();
    const std::string word(text.substr(pos, sp - pos));
    pos = sp + 1;
    const std::string trial = cur.empty() ? word : cur + " " + word;
    if (!cur.empty() && EstimateTextWidth(trial, size) > width && lines.size() + 1 < max_lines) {
      lines.push_back(cur);
      cur = word;
    } else {
      cur = trial;
    }
  }
  if (!cur.empty() || lines.empty()) lines.push_back(cur);
  return lines;
}

// A "nice" axis maximum and step for values up to `max`.
std::pair<double, double> NiceAxis(double max) {
  if (max <= 0) return {1, 0.25};
  const double raw = max / 4.0;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  }
  return {std::ceil(max / step - 1e-9) * step, step};
}

std::string AxisLabel(double v, ValueKind kind) {
  switch (kind) {
    case ValueKind::kRate:
      return fr::Decimal(v * 100, 0) + std::string(fr::kNarrowNbsp) + "%";
    case ValueKind::kEuros:
      return fr::Decimal(v, 0) + std::string(fr::kNbsp) + "€";
    case ValueKind::kDays:
      return fr::Decimal(v, 1);
    default:
      return std::abs(v - std::round(v)) < 1e-9 ? fr::Count(std::llround(v))
                                                : fr::Decimal(v, 1);
  }
}

class Layout {
 public:
  Layout(const Section& s, const Chart& c, double width)
      : c_(c), d_(ExtractChartData(s, c)), w_(width) {}

  ChartScene Run() {
    scene_.width = w_;
    y_ = 0;
    for (const std::string& line : Wrap(c_.title, 9, w_, 2)) {
      y_ += 11;
      Add(Text(0, y_, line, 9, kInk, Primitive::Anchor::kStart, true));
    }
    y_ += 4;
    switch (c_.type) {
      case ChartType::kPie:
        Pie();
        break;
      case ChartType::kBars:
        Legend();
        Bars();
        break;
      case ChartType::kColumns:
        Legend();
        Columns();
        break;
      case ChartType::kLine:
        Legend();
        Lines();
        break;
      case ChartType::kBox:
        Box();
        break;
    }
    scene_.height = std::ceil(y_ + 4);
    return std::move(scene_);
  }

 private:
  void Add(Primitive p) { scene_.items.push_back(std::move(p)); }

  double MaxValue() const {
    double m = 0;
    for (const auto& series : d_.values) {
      for (const Cell& v : series) m = std::max(m, v.Value());
    }
    if (c_.target) m = std::max(m, *c_.target);
    return m;
  }

  void Legend() {
    if (d_.series.size() < 2 && !c_.target) return;
    double x = 0;
    y_ += 10;
    for (size_t i = 0; i < d_.series.size(); ++i) {
      Add(Rect(x, y_ - 7, 8, 8, SeriesColor(i, d_.series.size())));
      Add(Text(x + 11, y_, d_.series[i], 7.5, kInk));
      x += 11 + EstimateTextWidth(d_.series[i], 7.5) + 14;
    }
    if (c_.target) {
      Add(Line(x, y_ - 3, x + 14, y_ - 3, kTarget, 1.2, true));
      Add(Text(x + 17, y_, c_.target_label, 7.5, kInk));
    }
    y_ += 6;
  }

  // Counts are whole: their axis steps are too.
  std::pair<double, double> Axis(double max) const {
    auto [axis_max, step] = NiceAxis(max);
    if (d_.kind == ValueKind::kCount && step < 1) {
      step = 1;
      axis_max = std::max(1.0, std::ceil(axis_max));
    }
    return {axis_max, step};
  }

  void Columns() {
    const size_t n = d_.categories.size();
    const size_t ns = d_.series.size();
    if (n == 0 || ns == 0) return;
    const auto [axis_max, step] = Axis(MaxValue());
    double label_w = 0;
    for (double v = 0; v <= axis_max + 1e-9; v += step) {
      label_w = std::max(label_w, EstimateTextWidth(AxisLabel(v, d_.kind), 6.5));
    }
    const double left = label_w + 6;
    const double plot_w = w_ - left - 4;
    const double group = plot_w / static_cast<double>(n);
    // Category labels: wrapped to the group's width.
    std::vector<std::vector<std::string>> cats;
    size_t max_lines = 1;
    for (const std::string& cat : d_.categories) {
      cats.push_back(Wrap(cat, 7, group - 2, 2));
      max_lines = std::max(max_lines, cats.back().size());
    }
    const double top = y_ + 12;
    const double plot_h = 130;
    const double bottom = top + plot_h;
    auto ypos = [&](double v) { return bottom - v / axis_max * plot_h; };
    for (double v = 0; v <= axis_max + 1e-9; v += step) {
      const double y = ypos(v);
      Add(Line(left, y, left + plot_w, y, v == 0 ? kAxis : kGrid, v == 0 ? 0.8 : 0.5));
      Add(Text(left - 4, y + 2.3, AxisLabel(v, d_.kind), 6.5, kMuted, Primitive::Anchor::kEnd));
    }
    const double bar_w = std::min(28.0, group * 0.78 / static_cast<double>(ns));
    const double value_size = bar_w >= 14 ? 6.5 : 5.5;
    for (size_t i = 0; i < n; ++i) {
      const double gx = left + group * static_cast<double>(i);
      const double x0 = gx + (group - bar_w * static_cast<double>(ns)) / 2;
      for (size_t si = 0; si < ns; ++si) {
        const Cell& cell = d_.values[si][i];
        const double v = cell.Value();
        const double x = x0 + bar_w * static_cast<double>(si);
        if (cell.HasValue()) {
          if (v > 0) Add(Rect(x + 0.5, ypos(v), bar_w - 1, bottom - ypos(v), SeriesColor(si, ns)));
          Add(Text(x + bar_w / 2, ypos(v) - 2.5, cell.Display(), value_size, kInk,
                   Primitive::Anchor::kMiddle));
        }
      }
      double ly = bottom + 9;
      for (const std::string& line : cats[i]) {
        Add(Text(gx + group / 2, ly, line, 7, kInk, Primitive::Anchor::kMiddle));
        ly += 8.5;
      }
    }
    if (c_.target) {
      const double y = ypos(*c_.target);
      Add(Line(left, y, left + plot_w, y, kTarget, 1.2, true));
    }
    y_ = bottom + 9 + 8.5 * static_cast<double>(max_lines);
  }

  void Bars() {
    const size_t n = d_.categories.size();
    const size_t ns = d_.series.size();
    if (n == 0 || ns == 0) return;
    double value_w = 0;
    for (const auto& series : d_.values) {
      for (const Cell& v : series) value_w = std::max(value_w, EstimateTextWidth(v.Display(), 6.5));
    }
    const double label_w = std::min(w_ * 0.36, 170.0);
    const double left = label_w + 8;
    const double plot_w = w_ - left - value_w - 6;
    const double max = std::max(MaxValue(), 1e-9);
    const double bar_h = ns > 1 ? 7.5 : 10;
    y_ += 4;
    const double rows_top = y_;
    for (size_t i = 0; i < n; ++i) {
      const auto lines = Wrap(d_.categories[i], 7.5, label_w, 3);
      const double bars_h = bar_h * static_cast<double>(ns);
      const double text_h = 9 * static_cast<double>(lines.size());
      const double row_h = std::max(bars_h, text_h);
      double ty = y_ + (row_h - text_h) / 2 + 7;
      for (const std::string& line : lines) {
        Add(Text(label_w, ty, line, 7.5, kInk, Primitive::Anchor::kEnd));
        ty += 9;
      }
      double by = y_ + (row_h - bars_h) / 2;
      for (size_t si = 0; si < ns; ++si) {
        const Cell& cell = d_.values[si][i];
        const double v = cell.Value();
        const double len = v / max * plot_w;
        if (v > 0) Add(Rect(left, by + 0.5, len, bar_h - 1, SeriesColor(si, ns)));
        if (cell.HasValue()) {
          Add(Text(left + len + 3, by + bar_h / 2 + 2.3, cell.Display(), 6.5, kInk));
        }
        by += bar_h;
      }
      y_ += row_h + 5;
    }
    Add(Line(left, rows_top - 2, left, y_ - 3, kAxis, 0.8));
  }

  void Lines() {
    const size_t n = d_.categories.size();
    const size_t ns = d_.series.size();
    if (n == 0 || ns == 0) return;
    const auto [axis_max, step] = Axis(MaxValue() * 1.08);
    double label_w = 0;
    for (double v = 0; v <= axis_max + 1e-9; v += step) {
      label_w = std::max(label_w, EstimateTextWidth(AxisLabel(v, d_.kind), 6.5));
    }
    const double left = label_w + 6;
    const double plot_w = w_ - left - 14;
    const double top = y_ + 12;
    const double plot_h = 130;
    const double bottom = top + plot_h;
    auto ypos = [&](double v) { return bottom - v / axis_max * plot_h; };
    auto xpos = [&](size_t i) {
      return n == 1
                 ? left + plot_w / 2
                 : left + 16 + (plot_w - 32) * static_cast<double>(i) / static_cast<double>(n - 1);
    };
    for (double v = 0; v <= axis_max + 1e-9; v += step) {
      const double y = ypos(v);
      Add(Line(left, y, left + plot_w, y, v == 0 ? kAxis : kGrid, v == 0 ? 0.8 : 0.5));
      Add(Text(left - 4, y + 2.3, AxisLabel(v, d_.kind), 6.5, kMuted, Primitive::Anchor::kEnd));
    }
    // Value labels already placed at each category (baseline, text): a label
    // that would overlap one goes below its point; one that would overlap
    // the same figure there is not repeated (the series of many years).
    std::vector<std::vector<std::pair<double, std::string>>> placed(n);
    auto collides = [&](size_t i, double y) -> const std::pair<double, std::string>* {
      for (const auto& p : placed[i]) {
        if (std::abs(p.first - y) < 7.5) return &p;
      }
      return nullptr;
    };
    for (size_t si = 0; si < ns; ++si) {
      Primitive pl;
      pl.kind = Primitive::Kind::kPolyline;
      pl.stroke = SeriesColor(si, ns);
      pl.stroke_width = 1.8;
      for (size_t i = 0; i < n; ++i) {
        if (!d_.values[si][i].HasValue()) continue;
        pl.points.push_back(xpos(i));
        pl.points.push_back(ypos(d_.values[si][i].Value()));
      }
      Add(pl);
      for (size_t i = 0; i < n; ++i) {
        const Cell& cell = d_.values[si][i];
        if (!cell.HasValue()) continue;
        Primitive dot;
        dot.kind = Primitive::Kind::kCircle;
        dot.cx = xpos(i);
        dot.cy = ypos(cell.Value());
        dot.r = 2.4;
        dot.fill = SeriesColor(si, ns);
        Add(dot);
        const std::string label = cell.Display();
        double y = ypos(cell.Value()) - 4.5;
        if (const auto* other = collides(i, y)) {
          if (other->second == label) continue;
          const double below = ypos(cell.Value()) + 9.5;
          if (!collides(i, below) && below < bottom - 1) y = below;
        }
        placed[i].emplace_back(y, label);
        Add(Text(xpos(i), y, label, 6.5, SeriesColor(si, ns), Primitive::Anchor::kMiddle, true));
      }
    }
    for (size_t i = 0; i < n; ++i) {
      Add(Text(xpos(i), bottom + 10, d_.categories[i], 7, kInk, Primitive::Anchor::kMiddle));
    }
    y_ = bottom + 16;
  }

  // One horizontal box plot per category: whiskers from the first to the
  // fifth value column, the box from the second to the fourth, the median
  // (third) a thick line; the values written under their marks.
  void Box() {
    const size_t n = d_.categories.size();
    if (n == 0 || d_.series.size() < 5) return;
    auto [axis_max, step] = Axis(MaxValue() * 1.05);
    if (d_.kind == ValueKind::kRate) {  // a rate's axis ends at 100 %
      axis_max = 1.0;
      step = 0.25;
    }
    const double label_w = std::min(w_ * 0.32, 150.0);
    const double left = label_w + 10;
    const double plot_w = w_ - left - 12;
    auto xpos = [&](double v) { return left + v / axis_max * plot_w; };
    const Rgb box_fill{0.80, 0.87, 0.94};
    const Rgb box_line = kSeries[0];
    if (c_.target) {
      y_ += 10;
      Add(Line(0, y_ - 3, 14, y_ - 3, kTarget, 1.2, true));
      Add(Text(17, y_, c_.target_label, 7.5, kInk));
      y_ += 6;
    }
    const double top = y_ + 6;
    double y = top;
    const double row_h = 40;
    const double bottom = top + row_h * static_cast<double>(n);
    for (double v = 0; v <= axis_max + 1e-9; v += step) {
      Add(Line(xpos(v), top - 2, xpos(v), bottom, v == 0 ? kAxis : kGrid, v == 0 ? 0.8 : 0.4));
      Add(Text(xpos(v), bottom + 9, AxisLabel(v, d_.kind), 6.5, kMuted,
               Primitive::Anchor::kMiddle));
    }
    if (c_.target) {
      Add(Line(xpos(*c_.target), top - 2, xpos(*c_.target), bottom, kTarget, 1.2, true));
    }
    for (size_t i = 0; i < n; ++i) {
      const auto lines = Wrap(d_.categories[i], 7.5, label_w, 3);
      double ty = y + row_h / 2 - 4.5 * static_cast<double>(lines.size()) + 7;
      for (const std::string& line : lines) {
        Add(Text(label_w, ty, line, 7.5, kInk, Primitive::Anchor::kEnd));
        ty += 9;
      }
      bool all = true;
      for (size_t k = 0; k < 5; ++k) all = all && d_.values[k][i].HasValue();
      const double mid = y + 14;
      if (!all) {
        Add(Text(left, mid + 2.5, "Aucune donnée", 7.5, kMuted));
        y += row_h;
        continue;
      }
      double v[5];
      for (size_t k = 0; k < 5; ++k) v[k] = d_.values[k][i].Value();
      Add(Line(xpos(v[0]), mid, xpos(v[1]), mid, box_line, 1));
      Add(Line(xpos(v[3]), mid, xpos(v[4]), mid, box_line, 1));
      Add(Line(xpos(v[0]), mid - 5, xpos(v[0]), mid + 5, box_line, 1));
      Add(Line(xpos(v[4]), mid - 5, xpos(v[4]), mid + 5, box_line, 1));
      const double bx = xpos(v[1]), bw = std::max(0.8, xpos(v[3]) - xpos(v[1]));
      Add(Rect(bx, mid - 8, bw, 16, box_fill));
      Add(Line(bx, mid - 8, bx + bw, mid - 8, box_line, 0.8));
      Add(Line(bx, mid + 8, bx + bw, mid + 8, box_line, 0.8));
      Add(Line(bx, mid - 8, bx, mid + 8, box_line, 0.8));
      Add(Line(bx + bw, mid - 8, bx + bw, mid + 8, box_line, 0.8));
      Add(Line(xpos(v[2]), mid - 8, xpos(v[2]), mid + 8, box_line, 2.2));
      Add(Text(xpos(v[2]), mid - 10.5, d_.values[2][i].Display(), 6.5, kInk,
               Primitive::Anchor::kMiddle, true));
      Add(Text(xpos(v[0]), mid + 15, d_.values[0][i].Display(), 6, kMuted,
               Primitive::Anchor::kMiddle));
      Add(Text(xpos(v[4]), mid + 15, d_.values[4][i].Display(), 6, kMuted,
               Primitive::Anchor::kMiddle));
      y += row_h;
    }
    y_ = y + 14;
  }

  void Pie() {
    if (d_.values.empty()) return;
    const auto& vals = d_.values[0];
    double total = 0;
    for (const Cell& v : vals) total += std::max(0.0, v.Value());
    struct Slice {
      size_t index;
      double value;
    };
    std::vector<Slice> slices;
    for (size_t i = 0; i < vals.size(); ++i) {
      if (vals[i].Value() > 0) slices.push_back({i, vals[i].Value()});
    }
    const double legend_x_min = 0;
    (void)legend_x_min;
    const double radius = std::min(62.0, w_ * 0.2);
    const double cx = radius + 6;
    const double top = y_ + 4;
    const double cy = top + radius;
    double a = -kPi / 2;
    // Legend rows to the right of the pie.
    const double lx = cx + radius + 24;
    const double lw = w_ - lx;
    double ly = top + 4;
    for (size_t k = 0; k < slices.size(); ++k) {
      const Slice& sl = slices[k];
      const double frac = total > 0 ? sl.value / total : 0;
      const Rgb color = kPie[k % std::size(kPie)];
      Primitive wedge;
      wedge.kind = Primitive::Kind::kWedge;
      wedge.cx = cx;
      wedge.cy = cy;
      wedge.r = radius;
      wedge.a0 = a;
      wedge.a1 = a + frac * 2 * kPi;
      wedge.fill = color;
      wedge.stroke = kWhite;
      wedge.stroke_width = slices.size() > 1 ? 0.8 : 0;
      Add(wedge);
      const std::string pct = fr::PercentOfFraction(frac);
      if (frac * 2 * kPi >= 0.42) {
        const double mid = (wedge.a0 + wedge.a1) / 2;
        Add(Text(cx + std::cos(mid) * radius * 0.64, cy + std::sin(mid) * radius * 0.64 + 2.5, pct,
                 7, kWhite, Primitive::Anchor::kMiddle, true));
      }
      a = wedge.a1;
      const std::string legend =
          d_.categories[sl.index] + " : " + vals[sl.index].Display() + " (" + pct + ")";
      const auto lines = Wrap(legend, 7.5, lw - 12, 3);
      Add(Rect(lx, ly - 7, 8, 8, color));
      for (const std::string& line : lines) {
        Add(Text(lx + 12, ly, line, 7.5, kInk));
        ly += 9;
      }
      ly += 3;
    }
    if (slices.empty()) {
      Primitive c;
      c.kind = Primitive::Kind::kCircle;
      c.cx = cx;
      c.cy = cy;
      c.r = radius;
      c.fill = kGrid;
      Add(c);
      Add(Text(lx, ly, "Aucune donnée", 7.5, kMuted));
    }
    y_ = std::max(cy + radius + 6, ly);
  }

  const Chart& c_;
  ChartData d_;
  double w_;
  double y_ = 0;
  ChartScene scene_;
};

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

}  // namespace

std::string Rgb::Hex() const {
  char buf[8];
  auto c = [](double v) { return static_cast<int>(std::lround(std::clamp(v, 0.0, 1.0) * 255)); };
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c(r), c(g), c(b));
  return buf;
}

double EstimateTextWidth(std::string_view text, double size, bool bold) {
  double em = 0;
  size_t i = 0;
  while (i < text.size()) {
    const char32_t cp = NextCodePoint(text, &i);
    if (cp >= '0' && cp <= '9') {
      em += 0.636;
    } else if (cp == ' ' || cp == 0xA0 || cp == ',' || cp == '.' || cp == ':' || cp == ';' ||
               cp == '\'' || cp == 'i' || cp == 'l' || cp == 'j' || cp == '(' || cp == ')') {
      em += 0.32;
    } else if (cp == 0x202F) {
      em += 0.2;
    } else if (cp >= 'A' && cp <= 'Z') {
      em += 0.70;
    } else if (cp == 'm' || cp == 'w' || cp == 'M' || cp == 'W') {
      em += 0.9;
    } else {
      em += 0.6;
    }
  }
  return em * size * (bold ? 1.08 : 1.0);
}

std::string BoldSpansToMarkup(std::string_view text, std::string_view open,
                              std::string_view close) {
  return markup::InlineTo(text, open, close);
}

ChartScene LayoutChart(const Section& s, const Chart& c, double width) {
  return Layout(s, c, width).Run();
}

std::string SceneToSvg(const ChartScene& scene, std::string_view id, std::string_view title,
                       std::string_view desc) {
  const std::string sid = XmlEscape(id);
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " +
                    Num(scene.width) + " " + Num(scene.height) + "\" width=\"" +
                    Num(scene.width * 4 / 3) + "\" height=\"" + Num(scene.height * 4 / 3) +
                    "\" aria-labelledby=\"" + sid + "-t " + sid +
                    "-d\" font-family=\"DejaVu Sans, "
                    "Verdana, sans-serif\">";
  out += "<title id=\"" + sid + "-t\">" + XmlEscape(title) + "</title>";
  out += "<desc id=\"" + sid + "-d\">" + XmlEscape(desc) + "</desc>";
  out += "<g aria-hidden=\"true\">";
  for (const Primitive& p : scene.items) {
    switch (p.kind) {
      case Primitive::Kind::kRect:
        out += "<rect x=\"" + Num(p.x) + "\" y=\"" + Num(p.y) + "\" width=\"" + Num(p.w) +
               "\" height=\"" + Num(p.h) + "\" fill=\"" + p.fill.Hex() + "\"/>";
        break;
      case Primitive::Kind::kLine:
        out += "<line x1=\"" + Num(p.x) + "\" y1=\"" + Num(p.y) + "\" x2=\"" + Num(p.w) +
               "\" y2=\"" + Num(p.h) + "\" stroke=\"" + p.stroke.Hex() + "\" stroke-width=\"" +
               Num(p.stroke_width) + "\"" + (p.dashed ? " stroke-dasharray=\"4 3\"" : "") + "/>";
        break;
      case Primitive::Kind::kPolyline: {
        out += "<polyline fill=\"none\" stroke=\"" + p.stroke.Hex() + "\" stroke-width=\"" +
               Num(p.stroke_width) + "\" points=\"";
        for (size_t i = 0; i + 1 < p.points.size(); i += 2) {
          out += (i ? " " : "") + Num(p.points[i]) + "," + Num(p.points[i + 1]);
        }
        out += "\"/>";
        break;
      }
      case Primitive::Kind::kCircle:
        out += "<circle cx=\"" + Num(p.cx) + "\" cy=\"" + Num(p.cy) + "\" r=\"" + Num(p.r) +
               "\" fill=\"" + p.fill.Hex() + "\"/>";
        break;
      case Primitive::Kind::kWedge: {
        const double sweep = p.a1 - p.a0;
        if (sweep >= 2 * kPi - 1e-6) {
          out += "<circle cx=\"" + Num(p.cx) + "\" cy=\"" + Num(p.cy) + "\" r=\"" + Num(p.r) +
                 "\" fill=\"" + p.fill.Hex() + "\"/>";
          break;
        }
        const double x0 = p.cx + p.r * std::cos(p.a0);
        const double y0 = p.cy + p.r * std::sin(p.a0);
        const double x1 = p.cx + p.r * std::cos(p.a1);
        const double y1 = p.cy + p.r * std::sin(p.a1);
        out += "<path d=\"M" + Num(p.cx) + " " + Num(p.cy) + " L" + Num(x0) + " " + Num(y0) + " A" +
               Num(p.r) + " " + Num(p.r) + " 0 " + (sweep > kPi ? "1" : "0") + " 1 " + Num(x1) +
               " " + Num(y1) + " Z\" fill=\"" + p.fill.Hex() + "\"";
        if (p.stroke_width > 0) {
          out += " stroke=\"" + p.stroke.Hex() + "\" stroke-width=\"" + Num(p.stroke_width) + "\"";
        }
        out += "/>";
        break;
      }
      case Primitive::Kind::kText: {
        const char* anchor = p.anchor == Primitive::Anchor::kMiddle ? "middle"
                             : p.anchor == Primitive::Anchor::kEnd  ? "end"
                                                                    : "start";
        out += "<text x=\"" + Num(p.x) + "\" y=\"" + Num(p.y) + "\" font-size=\"" + Num(p.size) +
               "\" fill=\"" + p.fill.Hex() + "\"";
        if (p.anchor != Primitive::Anchor::kStart)
          out += std::string(" text-anchor=\"") + anchor + "\"";
        if (p.bold) out += " font-weight=\"bold\"";
        out += ">" + XmlEscape(p.text) + "</text>";
        break;
      }
    }
  }
  out += "</g></svg>";
  return out;
}

}  // namespace amiable::report
