#include "intake/csv_mapping.h"

#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "core/text.h"

namespace amiable {
namespace {

using Json = nlohmann::json;
namespace nom = nomenclature;

constexpr CsvField kCsvFields[] = {
    {"reference", CsvFieldKind::kText, nullptr},
    {"received_on", CsvFieldKind::kDate, nullptr},
    {"channel", CsvFieldKind::kCode, &nom::Channel},
    {"emitter", CsvFieldKind::kCode, &nom::Emitter},
    {"allocataire_number", CsvFieldKind::kText, nullptr},
    {"prior_step", CsvFieldKind::kCode, &nom::PriorStep},
    {"prior_step_on", CsvFieldKind::kDate, nullptr},
    {"admissibility", CsvFieldKind::kCode, &nom::Admissibility},
    {"inadmissibility_reason", CsvFieldKind::kCode, &nom::InadmissibilityReason},
    {"taken_in_charge_on", CsvFieldKind::kDate, nullptr},
    {"answered_on", CsvFieldKind::kDate, nullptr},
    {"closed_on", CsvFieldKind::kDate, nullptr},
    {"motives", CsvFieldKind::kCodes, &nom::Motive},
    {"benefits", CsvFieldKind::kCodes, &nom::Benefit},
    {"cause", CsvFieldKind::kCode, &nom::Cause},
    {"household", CsvFieldKind::kCode, &nom::Household},
    {"activity", CsvFieldKind::kCode, &nom::Activity},
    {"quotient_familial", CsvFieldKind::kInteger, nullptr},
    {"response_modes", CsvFieldKind::kCodes, &nom::ResponseMode},
    {"resolution", CsvFieldKind::kCode, &nom::Resolution},
    {"fraud", CsvFieldKind::kBool, nullptr},
};

Error Problem(std::string field, std::string_view key,
              std::initializer_list<std::string_view> args = {}) {
  return msg::Invalid(key, std::move(field), args);
}

std::string Shown(std::string_view s) { return "« " + std::string(s) + " »"; }

// The header text of `value` (a non-empty string) into *out.
bool HeaderText(const Json& value, const std::string& where, std::string* out,
                std::vector<Error>& problems) {
  if (!value.is_string() || Trim(value.get<std::string>()).empty()) {
    problems.push_back(Problem(where, "csv.mapping_header"));
    return false;
  }
  *out = Trim(value.get<std::string>());
  return true;
}

}  // namespace

std::span<const CsvField> CsvFields() { return kCsvFields; }

const CsvField* FindCsvField(std::string_view name) {
  for (const CsvField& f : kCsvFields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const std::string& CsvMapping::SeparatorOf(const std::string& field) const {
  auto it = separators.find(field);
  return it == separators.end() ? separator : it->second;
}

std::expected<CsvMapping, std::vector<Error>> ParseCsvMapping(std::string_view text) {
  std::vector<Error> problems;
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::parse_error& e) {
    problems.push_back(Problem({}, "csv.mapping_json", {std::to_string(e.byte)}));
    return std::unexpected(std::move(problems));
  }
  if (!root.is_object()) {
    problems.push_back(Problem({}, "csv.mapping_object"));
    return std::unexpected(std::move(problems));
  }
  CsvMapping m;
  for (const auto& [key, value] : root.items()) {
    if (key != "columns" && key != "financial" && key != "labels" && key != "separator" &&
        key != "separators" && key != "comment") {
      problems.push_back(Problem(key, "csv.mapping_key"));
    }
  }
  if (auto it = root.find("columns"); it != root.end() && it->is_object()) {
    for (const auto& [field, value] : it->items()) {
      const std::string where = "columns." + field;
      if (field == "organisme") {
        problems.push_back(Problem(where, "csv.mapping_organisme"));
      } else if (field == "financial" || field == "internal_requests" || !FindCsvField(field)) {
        problems.push_back(Problem(where, "csv.mapping_field"));
      } else if (std::string header; HeaderText(value, where, &header, problems)) {
        m.columns[field] = header;
      }
    }
  } else {
    problems.push_back(Problem("columns", "csv.mapping_columns"));
  }
  for (std::string_view required : {"received_on", "admissibility"}) {
    if (!m.columns.contains(std::string(required))) {
      problems.push_back(Problem("columns." + std::string(required), "csv.mapping_required"));
    }
  }
  if (auto it = root.find("financial"); it != root.end()) {
    if (!it->is_object()) {
      problems.push_back(Problem("financial", "csv.mapping_financial"));
    } else {
      for (const auto& [kind, value] : it->items()) {
        const std::string where = "financial." + kind;
        if (!nom::FinancialKind().Contains(kind)) {
          problems.push_back(Problem(where, "csv.mapping_kind"));
        } else if (std::string header; HeaderText(value, where, &header, problems)) {
          m.financial.emplace_back(kind, header);
        }
      }
    }
  }
  if (auto it = root.find("labels"); it != root.end()) {
    if (!it->is_object()) {
      problems.push_back(Problem("labels", "csv.mapping_labels"));
    } else {
      for (const auto& [field, table] : it->items()) {
        const CsvField* f = FindCsvField(field);
        if (!f || (f->kind != CsvFieldKind::kCode && f->kind != CsvFieldKind::kCodes &&
                   f->kind != CsvFieldKind::kBool)) {
          problems.push_back(Problem("labels." + field, "csv.mapping_labels_field"));
          continue;
        }
        if (!table.is_object()) {
          problems.push_back(Problem("labels." + field, "csv.mapping_labels"));
          continue;
        }
        auto& out = m.labels[field];
        for (const auto& [label, value] : table.items()) {
          const std::string where = "labels." + field + "." + label;
          CsvLabelValue v;
          if (value.is_null()) {
            // unknown
          } else if (f->kind == CsvFieldKind::kBool) {
            if (!value.is_boolean()) {
              problems.push_back(Problem(where, "csv.mapping_bool"));
              continue;
            }
            v.code = value.get<bool>() ? "true" : "false";
          } else if (!value.is_string() || !f->nomenclature().Contains(value.get<std::string>())) {
            problems.push_back(Problem(where, "csv.mapping_code",
                                       {value.is_string() ? Shown(value.get<std::string>())
                                                          : value.dump()}));
            continue;
          } else {
            v.code = value.get<std::string>();
          }
          const std::string folded = FoldForMatch(label);
          if (folded.empty()) {
            problems.push_back(Problem(where, "csv.mapping_empty_label"));
          } else if (!out.emplace(folded, v).second) {
            problems.push_back(Problem(where, "csv.mapping_label_twice"));
          }
        }
      }
    }
  }
  const auto separator = [&](const Json& value, const std::string& where, std::string* out) {
    if (!value.is_string() || value.get<std::string>().empty() ||
        value.get<std::string>().size() > 8) {
      problems.push_back(Problem(where, "csv.mapping_separator"));
      return;
    }
    *out = value.get<std::string>();
  };
  if (auto it = root.find("separator"); it != root.end()) separator(*it, "separator", &m.separator);
  if (auto it = root.find("separators"); it != root.end()) {
    if (!it->is_object()) {
      problems.push_back(Problem("separators", "csv.mapping_separators"));
    } else {
      for (const auto& [field, value] : it->items()) {
        const CsvField* f = FindCsvField(field);
        if (!f || f->kind != CsvFieldKind::kCodes) {
          problems.push_back(Problem("separators." + field, "csv.mapping_separator_field"));
          continue;
        }
        separator(value, "separators." + field, &m.separators[field]);
      }
    }
  }
  // Two fields may not read the same column.
  std::map<std::string, std::string> by_header;
  const auto claim = [&](const std::string& header, const std::string& where) {
    auto [it, fresh] = by_header.emplace(FoldForMatch(header), where);
    if (!fresh) problems.push_back(Problem(where, "csv.mapping_header_twice", {it->second}));
  };
  for (const auto& [field, header] : m.columns) claim(header, "columns." + field);
  for (const auto& [kind, header] : m.financial) claim(header, "financial." + kind);
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return m;
}

}  // namespace amiable
