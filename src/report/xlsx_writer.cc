// XLSX writer (libxlsxwriter).
//
// Sheets: "Rapport" (title, funds, dates, incompleteness warning, contents),
// then one sheet per section that has tables (and the mediator's texts),
// then the XLSX-only sections ("Années": the years side by side), then
// "Données" with every figure in long form (as the CSV). Numbers are
// written as numbers with number formats: counts "# ##0", rates "0,0 %",
// amounts "# ##0,00 €", delays "0,00" (Excel and LibreOffice show them with
// the reader's locale separators). Charts are native charts over the table
// cells, with the chart's text alternative as their description.
//
// libxlsxwriter 1.1.4 writes to a file only: the workbook goes to a private
// temporary file which is read back and removed.
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "report/charts.h"
#include "core/french_format.h"
#include "report/markup.h"
#include "report/writers.h"

namespace amiable::report {
namespace {

constexpr lxw_color_t kPrimary = 0x1F4E7D;
constexpr lxw_color_t kAccent = 0xD97817;
constexpr lxw_color_t kPrev = 0x9EBCDB;
constexpr lxw_color_t kZebra = 0xF2F4F7;
constexpr lxw_color_t kTotal = 0xE6EDF5;
constexpr lxw_color_t kWarn = 0xB22121;
constexpr lxw_color_t kPie[] = {0x1F4E7D, 0xD97817, 0x2E8C57, 0x804A99, 0xBF382B, 0x17858F,
                                0x8C7333, 0x666B78, 0xCC548C, 0x4D99CC, 0x739926};

const char* SheetNameFor(const std::string& id) {
  static const std::map<std::string, const char*> names = {
      {"editorial", "Éditorial"},
      {"highlights", "Temps forts"},
      {"key_figures", "Chiffres clés"},
      {"requests", "Saisines"},
      {"admissibility", "Hors médiation"},
      {"prior_step", "Origine"},
      {"emitter", "Émetteurs"},
      {"channel", "Modes de saisine"},
      {"cause", "Causes"},
      {"motive", "Motifs"},
      {"benefit", "Prestations"},
      {"delays", "Délais"},
      {"household", "Foyers"},
      {"activity", "Activité"},
      {"qf_bracket", "Quotient familial"},
      {"response_mode", "Modes de réponse"},
      {"resolution", "Résolution"},
      {"financial", "Impact financier"},
      {"teleprocedure", "Téléprocédure"},
      {"fraud", "Fraude"},
      {"findings", "Constats"},
      {"plan", "Bilan et plan"},
      {"method", "Méthode"},
      {"quality", "Données incomplètes"},
      {"years", "Années"},
  };
  auto it = names.find(id);
  return it == names.end() ? nullptr : it->second;
}

// A sheet name Excel accepts: <= 31 characters (counted in UTF-8 code
// points), none of []:*?/\, unique in the workbook.
std::string SafeSheetName(std::string name, std::set<std::string>* used) {
  for (char& c : name) {
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = ' ';
  }
  auto truncate = [](std::string s, size_t max_cp) {
    size_t cp = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
        if (cp == max_cp) return s.substr(0, i);
        ++cp;
      }
    }
    return s;
  };
  name = truncate(name, 31);
  std::string candidate = name;
  for (int n = 2; used->count(candidate); ++n) {
    candidate = truncate(name, 27) + " (" + std::to_string(n) + ")";
  }
  used->insert(candidate);
  return candidate;
}

class XlsxBuilder {
 public:
  explicit XlsxBuilder(const ReportModel& m) : m_(m) {}

  Result<std::string> Run() {
    char path[] = "/tmp/amiable-report-XXXXXX.xlsx";
    const int fd = mkstemps(path, 5);
    if (fd < 0) return Fail(Error::Internal("cannot create a temporary file for the workbook"));
    ::close(fd);
    lxw_workbook_options opts{};
    opts.constant_memory = 0;
    wb_ = workbook_new_opt(path, &opts);
    if (wb_ == nullptr) {
      std::remove(path);
      return Fail(Error::Internal("libxlsxwriter: cannot create the workbook"));
    }
    Formats();
    Properties();
    Cover();
    for (const Section& s : m_.sections) SectionSheet(s);
    for (const Section& s : m_.xlsx_sections) SectionSheet(s);
    DataSheet();
    const lxw_error err = workbook_close(wb_);
    wb_ = nullptr;
    if (err != LXW_NO_ERROR) {
      std::remove(path);
      return Fail(Error::Internal(std::string("libxlsxwriter: ") + lxw_strerror(err)));
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::remove(path);
    if (!in.good() && !in.eof()) return Fail(Error::Internal("cannot read the workbook back"));
    return ss.str();
  }

 private:
  lxw_format* NewFormat() { return workbook_add_format(wb_); }

  void Formats() {
    title_ = NewFormat();
    format_set_bold(title_);
    format_set_font_size(title_, 16);
    format_set_font_color(title_, kPrimary);
    subtitle_ = NewFormat();
    format_set_font_size(subtitle_, 12);
    format_set_bold(subtitle_);
    caption_ = NewFormat();
    format_set_bold(caption_);
    format_set_font_color(caption_, kPrimary);
    format_set_font_size(caption_, 11);
    head_ = NewFormat();
    format_set_bold(head_);
    format_set_font_color(head_, LXW_COLOR_WHITE);
    format_set_bg_color(head_, kPrimary);
    format_set_text_wrap(head_);
    format_set_align(head_, LXW_ALIGN_CENTER);
    format_set_align(head_, LXW_ALIGN_VERTICAL_CENTER);
    text_ = NewFormat();
    format_set_text_wrap(text_);
    format_set_align(text_, LXW_ALIGN_VERTICAL_TOP);
    para_ = NewFormat();
    format_set_text_wrap(para_);
    format_set_align(para_, LXW_ALIGN_VERTICAL_TOP);
    note_ = NewFormat();
    format_set_italic(note_);
    format_set_font_color(note_, 0x5C6370);
    format_set_text_wrap(note_);
    format_set_align(note_, LXW_ALIGN_VERTICAL_TOP);
    warn_ = NewFormat();
    format_set_bold(warn_);
    format_set_font_color(warn_, kWarn);
    format_set_text_wrap(warn_);
    format_set_align(warn_, LXW_ALIGN_VERTICAL_TOP);
    for (int total = 0; total < 2; ++total) {
      auto make = [&](const char* num_format, lxw_format** out) {
        lxw_format* f = NewFormat();
        if (num_format != nullptr) format_set_num_format(f, num_format);
        if (total) {
          format_set_bold(f);
          format_set_bg_color(f, kTotal);
        }
        format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
        *out = f;
      };
      make("#,##0", &count_[total]);
      make("0.0%", &rate_[total]);
      make("#,##0.00\\ \"€\"", &euros_[total]);
      make("0.00", &days_[total]);
      make("+0.0%;-0.0%;0.0%", &change_[total]);
      make(nullptr, &label_[total]);
      format_set_text_wrap(label_[total]);
      make(nullptr, &center_[total]);
      format_set_align(center_[total], LXW_ALIGN_CENTER);
      make(nullptr, &na_[total]);
      format_set_align(na_[total], LXW_ALIGN_RIGHT);
    }
  }

  void Properties() {
    title_text_ = m_.title + " " + std::to_string(m_.year) + " — " + m_.fund_label;
    lxw_doc_properties p{};
    p.title = title_text_.data();
    p.subject = const_cast<char*>(m_.subject.c_str());
    p.author = const_cast<char*>(m_.author.c_str());
    p.company = const_cast<char*>(m_.fund_label.c_str());
    static char keywords[] = "médiation administrative, Caf, rapport annuel";
    p.keywords = keywords;
    static char comments[] = "Produit par amiable";
    p.comments = comments;
    workbook_set_properties(wb_, &p);
  }

  lxw_worksheet* AddSheet(const std::string& name) {
    const std::string safe = SafeSheetName(name, &used_);
    sheet_names_.push_back(safe);
    lxw_worksheet* ws = workbook_add_worksheet(wb_, sheet_names_.back().c_str());
    worksheet_gridlines(ws, LXW_HIDE_ALL_GRIDLINES);
    return ws;
  }

  void Paragraph(lxw_worksheet* ws, lxw_row_t* row, const std::string& text, lxw_format* f,
                 int span = 7) {
    std::string plain;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text.compare(i, 2, "**") == 0) {
        ++i;
        continue;
      }
      plain += text[i];
    }
    worksheet_merge_range(ws, *row, 0, *row, static_cast<lxw_col_t>(span - 1), plain.c_str(), f);
    const double chars_per_line = 48.0 + 14.0 * (span - 1);
    const double lines =
        std::max(1.0, std::ceil(static_cast<double>(plain.size()) / chars_per_line));
    worksheet_set_row(ws, *row, 15.0 * lines + 2, nullptr);
    ++*row;
  }

  void Cover() {
    lxw_worksheet* ws = AddSheet("Rapport");
    worksheet_set_column(ws, 0, 0, 60, nullptr);
    worksheet_set_column(ws, 1, 6, 14, nullptr);
    lxw_row_t r = 0;
    worksheet_write_string(ws, r++, 0, (m_.title + " " + std::to_string(m_.year)).c_str(), title_);
    worksheet_write_string(ws, r++, 0, m_.fund_label.c_str(), subtitle_);
    worksheet_write_string(ws, r++, 0,
                           ("Chiffres calculés au " + fr::ShortDate(m_.as_of) +
                            " · rapport produit le " + fr::ShortDate(m_.generated_on))
                               .c_str(),
                           nullptr);
    ++r;
    if (m_.incomplete) {
      Paragraph(ws, &r,
                "Rapport produit avec des données incomplètes : le contrôle de cohérence a "
                "relevé " +
                    fr::Count(m_.quality.Blocking()) +
                    " problème(s) bloquant(s) : version de travail, à ne pas publier. Voir la "
                    "feuille « Données incomplètes ».",
                warn_);
      ++r;
    }
    worksheet_write_string(ws, r++, 0, "Feuilles", caption_);
    cover_ = ws;
    cover_row_ = r;
  }

  void ContentsLine(const std::string& sheet, const std::string& title) {
    const std::string url = "internal:'" + sheet + "'!A1";
    worksheet_write_url_opt(cover_, cover_row_++, 0, url.c_str(), nullptr, title.c_str(), nullptr);
  }

  lxw_format* FormatOf(const Cell& c, bool total) {
    const int t = total ? 1 : 0;
    switch (c.kind) {
      case ValueKind::kCount:
        return count_[t];
      case ValueKind::kRate:
        return rate_[t];
      case ValueKind::kEuros:
        return euros_[t];
      case ValueKind::kDays:
        return days_[t];
      case ValueKind::kChange:
        return change_[t];
      case ValueKind::kTrend:
        return center_[t];
      case ValueKind::kText:
        return label_[t];
    }
    return label_[t];
  }

  void WriteCell(lxw_worksheet* ws, lxw_row_t r, lxw_col_t col, const Cell& c, bool total) {
    lxw_format* f = FormatOf(c, total || c.strong);
    if (c.kind == ValueKind::kEuros) {
      worksheet_write_number(ws, r, col, static_cast<double>(c.cents) / 100.0, f);
    } else if (c.IsNumeric()) {
      if (c.number) {
        worksheet_write_number(ws, r, col, *c.number, f);
      } else {
        worksheet_write_string(ws, r, col, std::string(fr::kNotAvailable).c_str(), na_[total ? 1 : 0]);
      }
    } else if (c.text.empty()) {
      worksheet_write_blank(ws, r, col, f);
    } else if (c.markup) {
      worksheet_write_string(ws, r, col, markup::ToPlain(c.text).c_str(), f);
    } else {
      worksheet_write_string(ws, r, col, c.text.c_str(), f);
    }
  }

  struct Placed {
    lxw_row_t header_row = 0;
    lxw_row_t first_row = 0;
    size_t ncols = 0;
  };

  Placed WriteTable(lxw_worksheet* ws, lxw_row_t* row, const Table& t) {
    Placed p;
    worksheet_write_string(ws, (*row)++, 0, t.caption.c_str(), caption_);
    p.header_row = *row;
    p.ncols = t.header.size();
    for (size_t i = 0; i < t.header.size(); ++i) {
      const std::string h = t.header[i].empty() && i == 0 ? "Libellé" : t.header[i];
      worksheet_write_string(ws, *row, static_cast<lxw_col_t>(i), h.c_str(), head_);
    }
    worksheet_set_row(ws, *row, 30, nullptr);
    ++*row;
    p.first_row = *row;
    for (size_t r = 0; r < t.rows.size(); ++r) {
      const bool total = r >= t.DataRows();
      for (size_t i = 0; i < t.rows[r].size(); ++i) {
        WriteCell(ws, *row, static_cast<lxw_col_t>(i), t.rows[r][i], total);
      }
      ++*row;
    }
    if (!t.note.empty()) {
      Paragraph(ws, row, t.note, note_, static_cast<int>(std::max<size_t>(t.header.size(), 5)));
    }
    ++*row;
    return p;
  }

  void InsertChart(lxw_worksheet* ws, const std::string& sheet, const Section& s, const Chart& c,
                   const Placed& p, lxw_row_t at_row, lxw_col_t at_col) {
    const Table& t = s.tables[static_cast<size_t>(c.table)];
    const size_t n = t.DataRows();
    if (n == 0) return;
    uint8_t type = LXW_CHART_COLUMN;
    switch (c.type) {
      case ChartType::kColumns:
        type = LXW_CHART_COLUMN;
        break;
      case ChartType::kBars:
        type = LXW_CHART_BAR;
        break;
      case ChartType::kPie:
        type = LXW_CHART_PIE;
        break;
      case ChartType::kLine:
        type = LXW_CHART_LINE;
        break;
      case ChartType::kBox:  // no box plot in XLSX: its five values as columns
        type = LXW_CHART_COLUMN;
        break;
    }
    lxw_chart* chart = workbook_add_chart(wb_, type);
    const lxw_row_t first = p.first_row;
    const lxw_row_t last = p.first_row + static_cast<lxw_row_t>(n) - 1;
    const lxw_col_t cat = static_cast<lxw_col_t>(c.category_column);
    for (size_t si = 0; si < c.value_columns.size(); ++si) {
      const lxw_col_t col = static_cast<lxw_col_t>(c.value_columns[si]);
      lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
      chart_series_set_categories(series, sheet.c_str(), first, cat, last, cat);
      chart_series_set_values(series, sheet.c_str(), first, col, last, col);
      chart_series_set_name_range(series, sheet.c_str(), p.header_row, col);
      if (c.type == ChartType::kPie) {
        chart_series_set_labels_options(series, LXW_FALSE, LXW_FALSE, LXW_FALSE);
        chart_series_set_labels_percentage(series);
        chart_series_set_labels_leader_line(series);
        std::vector<lxw_chart_point> points(n);
        std::vector<lxw_chart_fill> fills(n);
        std::vector<lxw_chart_point*> ptrs;
        for (size_t i = 0; i < n; ++i) {
          fills[i].color = kPie[i % std::size(kPie)];
          points[i].fill = &fills[i];
          ptrs.push_back(&points[i]);
        }
        ptrs.push_back(nullptr);
        chart_series_set_points(series, ptrs.data());
      } else {
        chart_series_set_labels(series);
        lxw_chart_fill fill{};
        fill.color =
            c.value_columns.size() == 2 ? (si == 0 ? kPrev : kPrimary) : kPie[si % std::size(kPie)];
        if (c.type == ChartType::kLine) {
          lxw_chart_line line{};
          line.color = fill.color;
          line.width = 2.25;
          chart_series_set_line(series, &line);
          chart_series_set_labels_position(series, LXW_CHART_LABEL_POSITION_ABOVE);
        } else {
          chart_series_set_fill(series, &fill);
        }
      }
    }
    chart_title_set_name(chart, c.title.c_str());
    lxw_chart_font title_font{};
    title_font.size = 11;
    title_font.bold = LXW_TRUE;
    chart_title_set_name_font(chart, &title_font);
    if (c.type == ChartType::kPie) {
      chart_legend_set_position(chart, LXW_CHART_LEGEND_RIGHT);
    } else {
      chart_legend_set_position(
          chart, c.value_columns.size() > 1 ? LXW_CHART_LEGEND_TOP : LXW_CHART_LEGEND_NONE);
      // In libxlsxwriter bar charts y_axis is the (vertical) category axis:
      // reversed, the categories read top-down in table order.
      if (c.type == ChartType::kBars) chart_axis_set_reverse(chart->y_axis);
      if (c.target) chart_axis_set_max(chart->y_axis, 1.0);
    }
    lxw_chart_options opt{};
    opt.x_scale = c.type == ChartType::kBars ? 1.3 : 1.2;
    opt.y_scale = c.type == ChartType::kBars ? 1.0 + 0.06 * static_cast<double>(n) : 1.1;
    alts_.push_back(c.alt);
    opt.description = alts_.back().data();
    worksheet_insert_chart_opt(ws, at_row, at_col, chart, &opt);
  }

  void SectionSheet(const Section& s) {
    const bool text_section = s.id == "editorial" || s.id == "findings" || s.id == "plan";
    if (s.tables.empty() && !text_section) return;
    const char* fixed = SheetNameFor(s.id);
    lxw_worksheet* ws = AddSheet(fixed != nullptr ? fixed : s.title);
    const std::string sheet = sheet_names_.back();
    ContentsLine(sheet, s.title);
    worksheet_set_column(ws, 0, 0, 48, nullptr);
    size_t ncols = 8;  // tables with more columns (the years side by side) widen them all
    for (const Table& t : s.tables) ncols = std::max(ncols, t.header.size());
    worksheet_set_column(ws, 1, static_cast<lxw_col_t>(ncols - 1), 14, nullptr);
    lxw_row_t row = 0;
    worksheet_write_string(ws, row++, 0, s.title.c_str(), title_);
    ++row;
    std::vector<Placed> placed(s.tables.size());
    lxw_row_t chart_floor = 0;  // next row free of charts
    for (size_t bi = 0; bi < s.blocks.size(); ++bi) {
      const Block& b = s.blocks[bi];
      switch (b.kind) {
        case Block::Kind::kParagraph:
        case Block::Kind::kSignature:
          row = std::max(row, chart_floor);
          Paragraph(ws, &row, b.text, para_);
          break;
        case Block::Kind::kSubheading:
          row = std::max(row, chart_floor) + 1;
          worksheet_write_string(ws, row++, 0, b.text.c_str(), subtitle_);
          break;
        case Block::Kind::kBullets:
          row = std::max(row, chart_floor);
          for (const std::string& item : b.items) Paragraph(ws, &row, "• " + item, para_);
          break;
        case Block::Kind::kKeyFigure:
          row = std::max(row, chart_floor);
          worksheet_write_string(ws, row, 0, b.items.empty() ? "" : b.items[0].c_str(), label_[0]);
          worksheet_write_string(ws, row++, 1, b.text.c_str(), caption_);
          break;
        case Block::Kind::kWarning:
          row = std::max(row, chart_floor);
          Paragraph(ws, &row, b.text, warn_);
          break;
        case Block::Kind::kTable: {
          row = std::max(row, chart_floor);
          placed[static_cast<size_t>(b.index)] =
              WriteTable(ws, &row, s.tables[static_cast<size_t>(b.index)]);
          break;
        }
        case Block::Kind::kChart: {
          const Chart& c = s.charts[static_cast<size_t>(b.index)];
          const Placed& p = placed[static_cast<size_t>(c.table)];
          // Beside its table when there is room on the right, else below.
          const lxw_col_t col = static_cast<lxw_col_t>(std::max<size_t>(p.ncols, 1) + 1);
          const lxw_row_t at = std::max(p.header_row > 0 ? p.header_row - 1 : 0, chart_floor);
          InsertChart(ws, sheet, s, c, p, at, col);
          const size_t n = s.tables[static_cast<size_t>(c.table)].DataRows();
          const lxw_row_t height_rows =
              c.type == ChartType::kBars ? static_cast<lxw_row_t>(17 + n) : 18;
          chart_floor = at + height_rows;
          break;
        }
      }
    }
  }

  void DataSheet() {
    lxw_worksheet* ws = AddSheet("Données");
    ContentsLine(sheet_names_.back(), "Données (tous les chiffres, format long)");
    worksheet_set_column(ws, 0, 1, 22, nullptr);
    worksheet_set_column(ws, 2, 2, 60, nullptr);
    worksheet_set_column(ws, 3, 5, 12, nullptr);
    const char* head[] = {"section", "code", "label", "year", "count", "share"};
    for (lxw_col_t i = 0; i < 6; ++i) worksheet_write_string(ws, 0, i, head[i], head_);
    lxw_row_t r = 1;
    lxw_format* plain = nullptr;
    for (const DataPoint& p : m_.data) {
      worksheet_write_string(ws, r, 0, p.section.c_str(), plain);
      worksheet_write_string(ws, r, 1, p.code.c_str(), plain);
      worksheet_write_string(ws, r, 2, p.label.c_str(), plain);
      worksheet_write_number(ws, r, 3, p.year, plain);
      if (p.count) worksheet_write_number(ws, r, 4, *p.count, nullptr);
      if (p.share) worksheet_write_number(ws, r, 5, *p.share, rate_[0]);
      ++r;
    }
    worksheet_autofilter(ws, 0, 0, r > 1 ? r - 1 : 1, 5);
    worksheet_freeze_panes(ws, 1, 0);
  }

  const ReportModel& m_;
  lxw_workbook* wb_ = nullptr;
  lxw_worksheet* cover_ = nullptr;
  lxw_row_t cover_row_ = 0;
  std::set<std::string> used_;
  std::deque<std::string> sheet_names_;  // stable storage: libxlsxwriter keeps pointers
  std::deque<std::string> alts_;
  std::string title_text_;
  lxw_format* title_ = nullptr;
  lxw_format* subtitle_ = nullptr;
  lxw_format* caption_ = nullptr;
  lxw_format* head_ = nullptr;
  lxw_format* text_ = nullptr;
  lxw_format* para_ = nullptr;
  lxw_format* note_ = nullptr;
  lxw_format* warn_ = nullptr;
  lxw_format* count_[2] = {};
  lxw_format* rate_[2] = {};
  lxw_format* euros_[2] = {};
  lxw_format* days_[2] = {};
  lxw_format* change_[2] = {};
  lxw_format* label_[2] = {};
  lxw_format* center_[2] = {};
  lxw_format* na_[2] = {};
};

}  // namespace

Result<std::string> RenderXlsx(const ReportModel& model) { return XlsxBuilder(model).Run(); }

}  // namespace amiable::report
