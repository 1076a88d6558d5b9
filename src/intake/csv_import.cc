#include "intake/csv_import.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/french_format.h"
#include "core/messages.h"
#include "core/text.h"
#include "intake/importer.h"
#include "store/reference_counter.h"

namespace amiable {
namespace {

using Json = nlohmann::ordered_json;

std::string Shown(std::string_view s) {
  std::string v(s.substr(0, 80));
  if (s.size() > 80) v += "…";
  for (char& c : v) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return "« " + v + " »";
}

Error Problem(int line, std::string column, std::string_view key,
              std::initializer_list<std::string_view> args = {}) {
  Error e = msg::Invalid(key, std::move(column), args);
  e.line = line;
  return e;
}

// "a, b" of the codes of a nomenclature (for a message).
std::string CodeList(const Nomenclature& n) {
  std::string out;
  for (const NomenclatureEntry& e : n.entries) {
    if (!out.empty()) out += ", ";
    out += e.code;
  }
  return out;
}

// What a cell of a code field stands for: the mapping's table, else the code
// itself, else the code's default French label. Outer nullopt: unknown
// label; inner nullopt: the label means "unknown".
std::optional<std::optional<std::string>> LookUp(const CsvMapping& m, const CsvField& f,
                                                 std::string_view cell) {
  const std::string folded = FoldForMatch(cell);
  if (auto t = m.labels.find(std::string(f.name)); t != m.labels.end()) {
    if (auto it = t->second.find(folded); it != t->second.end()) return it->second.code;
  }
  if (f.kind == CsvFieldKind::kBool) {
    static const std::set<std::string, std::less<>> kTrue = {"oui", "o", "vrai", "x", "1", "true"};
    static const std::set<std::string, std::less<>> kFalse = {"non", "n", "faux", "0", "false"};
    if (kTrue.contains(folded)) return std::optional<std::string>("true");
    if (kFalse.contains(folded)) return std::optional<std::string>("false");
    return std::nullopt;
  }
  for (const NomenclatureEntry& e : f.nomenclature().entries) {
    if (folded == e.code || folded == FoldForMatch(e.label)) {
      return std::optional<std::string>(std::string(e.code));
    }
  }
  return std::nullopt;
}

std::vector<std::string> Split(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t p = s.find(sep, start);
    out.push_back(Trim(s.substr(start, p == std::string_view::npos ? p : p - start)));
    if (p == std::string_view::npos) break;
    start = p + sep.size();
  }
  return out;
}

// Whole euros: "1 020", "420", "420,00" (zero decimals only), "420 €".
std::optional<int64_t> WholeEuros(std::string_view text) {
  std::string digits;
  bool decimals = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= '0' && c <= '9') {
      if (decimals && c != '0') return std::nullopt;
      if (!decimals) digits += static_cast<char>(c);
    } else if ((c == ',' || c == '.') && !decimals && !digits.empty()) {
      decimals = true;
    } else if (c == ' ' || c == 0xC2 || c == 0xA0 || c == 0xE2 || c == 0x80 || c == 0xAF ||
               c == 0x82 || c == 0xAC) {
      continue;  // spaces, no-break spaces, the euro sign's bytes
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  int64_t v = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), v);
  return v;
}

// Only zeros (and separators, spaces, the euro sign): an amount of nothing.
bool IsZeroAmount(std::string_view text) {
  bool digit = false;
  for (char c : text) {
    if (c == '0') {
      digit = true;
    } else if (c >= '1' && c <= '9') {
      return false;
    } else if (static_cast<unsigned char>(c) < 0x80 && c != ',' && c != '.' && c != ' ') {
      return false;
    }
  }
  return digit;
}

int ParseNumber(std::string_view s) {
  int v = -1;
  if (s.empty() || s.size() > 4) return -1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : -1;
}

// The column names of one row's values, for the interchange parser's errors.
struct RowColumns {
  const CsvMapping* mapping = nullptr;
  std::vector<std::string> financial;  // header of each financial line, in order
  std::string reference;               // the reference column ("" when generated)

  // The header text of an interchange error's field ("motives[1]",
  // "financial[0].kind", "received_on").
  std::string Of(const std::string& field) const {
    std::string key = field.substr(0, field.find_first_of("[."));
    if (key == "financial") {
      const size_t open = field.find('[');
      if (open != std::string::npos) {
        const size_t i = static_cast<size_t>(std::atoi(field.c_str() + open + 1));
        if (i < financial.size()) return financial[i];
      }
      return field;
    }
    if (key == "reference") return reference.empty() ? msg::Format("csv.generated_reference") : reference;
    if (key == "organisme") return "organisme";
    auto it = mapping->columns.find(key);
    return it == mapping->columns.end() ? field : it->second;
  }
};

// The interchange's message with its field names replaced by the columns'
// header texts ("postérieure à received_on" → "postérieure à « Date »").
std::string InColumns(std::string message, const CsvMapping& m) {
  for (const auto& [field, header] : m.columns) {
    for (size_t p = message.find(field); p != std::string::npos; p = message.find(field, p)) {
      const bool word_start = p == 0 || !(std::isalnum(static_cast<unsigned char>(message[p - 1])) ||
                                          message[p - 1] == '_');
      const size_t end = p + field.size();
      const bool word_end = end >= message.size() ||
                            !(std::isalnum(static_cast<unsigned char>(message[end])) ||
                              message[end] == '_');
      if (!word_start || !word_end) {
        p = end;
        continue;
      }
      const std::string shown = "« " + header + " »";
      message.replace(p, field.size(), shown);
      p += shown.size();
    }
  }
  // Dates as the spreadsheet shows them: 2025-02-01 → 01/02/2025.
  for (size_t p = 0; p + 10 <= message.size(); ++p) {
    if (p > 0 && std::isdigit(static_cast<unsigned char>(message[p - 1]))) continue;
    if (auto d = Date::Parse(std::string_view(message).substr(p, 10))) {
      message.replace(p, 10, d->ToFrench());
      p += 9;
    }
  }
  return message;
}

}  // namespace

std::optional<Date> ParseSpreadsheetDate(std::string_view text) {
  std::string s = Trim(text);
  if (const size_t sp = s.find_first_of(" T"); sp != std::string::npos && sp >= 6) {
    const std::string rest = Trim(std::string_view(s).substr(sp + 1));
    if (rest.find_first_not_of("0123456789:.") != std::string::npos) return std::nullopt;
    s.resize(sp);
  }
  if (auto d = Date::Parse(s)) return d;
  const size_t a = s.find_first_of("/-.");
  if (a == std::string::npos) return std::nullopt;
  const char sep = s[a];
  const size_t b = s.find(sep, a + 1);
  if (b == std::string::npos || s.find(sep, b + 1) != std::string::npos) return std::nullopt;
  const std::string_view v(s);
  const std::string_view p1 = v.substr(0, a), p2 = v.substr(a + 1, b - a - 1), p3 = v.substr(b + 1);
  int y, m, d;
  if (p1.size() == 4) {  // 2025-3-12
    y = ParseNumber(p1), m = ParseNumber(p2), d = ParseNumber(p3);
    if (p2.size() > 2 || p3.size() > 2) return std::nullopt;
  } else {
    d = ParseNumber(p1), m = ParseNumber(p2), y = ParseNumber(p3);
    if (p1.size() > 2 || p2.size() > 2) return std::nullopt;
    if (p3.size() == 2) {
      y += 2000;
    } else if (p3.size() != 4) {
      return std::nullopt;
    }
  }
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) {
    return std::nullopt;
  }
  return Date::FromCivil(y, m, d);
}

ParsedFile ConvertCsv(const CsvTable& table, const CsvMapping& mapping,
                      std::string_view organisme) {
  ParsedFile out;
  out.errors = table.errors;
  if (table.records.empty()) {
    out.errors.push_back(Problem(1, {}, "csv.empty_file"));
    return out;
  }
  // The header: each mapped column's index.
  const std::vector<std::string>& header = table.records[0];
  std::map<std::string, size_t> index_of;  // folded header text → first index
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string folded = FoldForMatch(header[i]);
    if (!folded.empty() && !index_of.emplace(folded, i).second) {
      // A repeated header matters only when the mapping reads it (below).
      index_of[folded] = SIZE_MAX;
    }
  }
  bool header_ok = true;
  const auto column = [&](const std::string& text) -> size_t {
    auto it = index_of.find(FoldForMatch(text));
    if (it == index_of.end()) {
      out.errors.push_back(Problem(1, text, "csv.column_missing"));
    } else if (it->second == SIZE_MAX) {
      out.errors.push_back(Problem(1, text, "csv.column_twice"));
    } else {
      return it->second;
    }
    header_ok = false;
    return 0;
  };
  std::vector<std::pair<const CsvField*, size_t>> fields;
  for (const CsvField& f : CsvFields()) {
    auto it = mapping.columns.find(std::string(f.name));
    if (it != mapping.columns.end()) fields.emplace_back(&f, column(it->second));
  }
  std::vector<std::pair<std::string, size_t>> financial;  // kind, index
  for (const auto& [kind, text] : mapping.financial) financial.emplace_back(kind, column(text));
  if (!header_ok) return out;
  const auto header_of = [&](size_t i) { return Trim(header[i]); };

  std::set<int> bad_lines;
  for (const Error& e : table.errors) bad_lines.insert(e.line);
  std::unordered_map<std::string, int> reference_lines;
  const bool has_reference_column = mapping.columns.contains("reference");
  for (size_t r = 1; r < table.records.size(); ++r) {
    const int line = static_cast<int>(r) + 1;
    if (bad_lines.contains(line)) continue;
    const std::vector<std::string>& cells = table.records[r];
    if (std::all_of(cells.begin(), cells.end(),
                    [](const std::string& c) { return Trim(c).empty(); })) {
      continue;
    }
    const size_t before = out.errors.size();
    for (size_t i = header.size(); i < cells.size(); ++i) {
      if (!Trim(cells[i]).empty()) {
        out.errors.push_back(Problem(line, msg::Format("csv.column_n", {std::to_string(i + 1)}),
                                     "csv.extra_cell"));
        break;
      }
    }
    const auto cell = [&](size_t i) { return i < cells.size() ? Trim(cells[i]) : std::string(); };
    Json j;
    RowColumns names;
    names.mapping = &mapping;
    std::string reference;
    if (has_reference_column) {
      names.reference = mapping.columns.at("reference");
      reference = cell(fields.front().second);  // "reference" is first in CsvFields()
    }
    const bool generated = reference.empty();
    j["reference"] = generated ? "csv-" + std::to_string(line) : reference;
    j["organisme"] = std::string(organisme);
    for (const auto& [f, index] : fields) {
      if (f->name == "reference") continue;
      const std::string value = cell(index);
      if (value.empty()) continue;
      const std::string col = header_of(index);
      switch (f->kind) {
        case CsvFieldKind::kText: {  // allocataire_number
          std::string digits;
          for (char c : value) {
            if (c != ' ') digits += c;
          }
          if (!digits.empty() && digits.size() < 7 &&
              digits.find_first_not_of("0123456789") == std::string::npos) {
            digits.insert(0, 7 - digits.size(), '0');  // a spreadsheet drops leading zeros
          }
          j[std::string(f->name)] = digits;
          break;
        }
        case CsvFieldKind::kDate:
          if (auto d = ParseSpreadsheetDate(value)) {
            j[std::string(f->name)] = d->ToString();
          } else {
            out.errors.push_back(Problem(line, col, "csv.date", {Shown(value)}));
          }
          break;
        case CsvFieldKind::kCode:
        case CsvFieldKind::kBool:
          if (auto v = LookUp(mapping, *f, value)) {
            if (!*v) break;
            if (f->kind == CsvFieldKind::kBool) {
              j[std::string(f->name)] = **v == "true";
            } else {
              j[std::string(f->name)] = **v;
            }
          } else if (f->kind == CsvFieldKind::kBool) {
            out.errors.push_back(Problem(line, col, "csv.bool", {Shown(value)}));
          } else {
            out.errors.push_back(Problem(line, col, "csv.label",
                                         {Shown(value), f->name, CodeList(f->nomenclature())}));
          }
          break;
        case CsvFieldKind::kCodes: {
          Json list = Json::array();
          std::set<std::string> seen;
          for (const std::string& part : Split(value, mapping.SeparatorOf(std::string(f->name)))) {
            if (part.empty()) continue;
            auto v = LookUp(mapping, *f, part);
            if (!v) {
              out.errors.push_back(Problem(line, col, "csv.label",
                                           {Shown(part), f->name, CodeList(f->nomenclature())}));
            } else if (*v && seen.insert(**v).second) {
              list.push_back(**v);  // two labels of one code count once
            }
          }
          if (!list.empty()) j[std::string(f->name)] = std::move(list);
          break;
        }
        case CsvFieldKind::kInteger:
          if (auto v = WholeEuros(value)) {
            j[std::string(f->name)] = *v;
          } else {
            out.errors.push_back(Problem(line, col, "csv.integer", {Shown(value)}));
          }
          break;
      }
    }
    Json lines = Json::array();
    for (const auto& [kind, index] : financial) {
      const std::string value = cell(index);
      if (value.empty() || IsZeroAmount(value)) continue;
      if (auto cents = fr::ParseEuros(value)) {
        lines.push_back({{"kind", kind}, {"amount_cents", *cents}});
        names.financial.push_back(header_of(index));
      } else {
        out.errors.push_back(Problem(line, header_of(index), "csv.amount", {Shown(value)}));
      }
    }
    if (!lines.empty()) j["financial"] = std::move(lines);
    if (out.errors.size() != before) continue;  // the parser would only repeat them

    auto parsed = ParseCaseLine(j.dump(-1, ' ', false, Json::error_handler_t::replace), line);
    if (!parsed) {
      for (Error& e : parsed.error()) {
        e.field = names.Of(e.field);
        e.message = InColumns(std::move(e.message), mapping);
        out.errors.push_back(std::move(e));
      }
      continue;
    }
    if (generated) {
      parsed->reference.clear();
    } else if (auto [it, fresh] = reference_lines.emplace(reference, line); !fresh) {
      out.errors.push_back(Problem(line, names.reference, "interchange.reference_twice",
                                   {Shown(reference), std::to_string(it->second)}));
      continue;
    }
    out.cases.push_back(std::move(*parsed));
    out.lines.push_back(line);
  }
  std::stable_sort(out.errors.begin(), out.errors.end(),
                   [](const Error& a, const Error& b) { return a.line < b.line; });
  return out;
}

Result<CsvImportResult> ImportCsv(Store& store, const Actor& actor, std::string_view csv_bytes,
                                  std::string_view mapping_json, const CsvImportOptions& options,
                                  std::vector<Error>* problems) {
  problems->clear();
  if (actor.role != Role::kManager && actor.role != Role::kAdministrator) {
    return Fail(msg::Forbidden("import.role"));
  }
  if (!actor.CanSee(options.organisme) || !store.GetOrganisme(options.organisme)) {
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {options.organisme}));
  }
  auto mapping = ParseCsvMapping(mapping_json);
  if (!mapping) {
    *problems = std::move(mapping.error());
    return Fail(msg::Invalid("csv.mapping_problems", {}, {std::to_string(problems->size())}));
  }
  const CsvTable table = ReadCsv(csv_bytes, options.csv);
  CsvImportResult result;
  result.encoding = table.encoding;
  result.delimiter = table.delimiter;
  ParsedFile parsed = ConvertCsv(table, *mapping, options.organisme);

  // The years of the figures, and the cases to number by year.
  std::set<int> years;
  std::map<int, std::vector<size_t>> to_number;
  for (size_t i = 0; i < parsed.cases.size(); ++i) {
    const Case& c = parsed.cases[i];
    years.insert(c.received_on.year());
    if (c.closed_on) years.insert(c.closed_on->year());
    if (c.reference.empty()) to_number[c.received_on.year()].push_back(i);
  }
  const std::string reference_column =
      mapping->columns.contains("reference") ? mapping->columns.at("reference") : "";

  const Error kRollback = msg::Invalid("csv.dry_run");
  Status s = store.InTransaction([&]() -> Status {
    if (parsed.errors.empty()) {
      for (auto& [year, indexes] : to_number) {
        std::stable_sort(indexes.begin(), indexes.end(), [&](size_t a, size_t b) {
          return parsed.cases[a].received_on < parsed.cases[b].received_on;
        });
        ReferenceCounter* counter = ReferenceCounterOf(store);
        if (counter == nullptr) return Fail(Error::Internal("no reference counter"));
        auto refs = counter->ReserveReferences(actor, options.organisme, year,
                                            static_cast<int>(indexes.size()));
        if (!refs) return Fail(refs.error());
        for (size_t k = 0; k < indexes.size(); ++k) {
          parsed.cases[indexes[k]].reference = (*refs)[k];
        }
        result.generated += static_cast<int64_t>(indexes.size());
      }
    }
    auto counts = ImportParsed(store, actor, std::move(parsed), /*dry_run=*/false, problems);
    if (!counts) return Fail(counts.error());
    result.counts = *counts;
    if (!options.dry_run) return {};
    for (int year : years) {
      auto f = ComputeFigures(store, {options.organisme}, year, options.as_of);
      if (!f) return Fail(f.error());
      result.figures.push_back(std::move(*f));
      result.years.push_back(std::to_string(year));
    }
    return Fail(kRollback);  // a dry run writes nothing
  });
  for (Error& e : *problems) {
    if (e.field == "reference") e.field = reference_column;
  }
  if (!s && s.error().message_id != kRollback.message_id) return Fail(s.error());
  return result;
}

}  // namespace amiable
