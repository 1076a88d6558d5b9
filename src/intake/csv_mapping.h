// The mapping of a spreadsheet's columns and labels to the interchange
// fields and codes (domain.md §3, §7), read from a JSON file. The format,
// with a complete example, is in docs/import-csv.md; in short:
//
//   {"columns":   {"received_on": "Date de réception", "channel": "Canal", ...},
//    "financial": {"rappel": "Rappel (€)", "indu_remis": "Indu remis (€)"},
//    "labels":    {"channel": {"Mail": "courriel", "Formulaire": "teleprocedure"},
//                  "fraud": {"Oui": true, "Non": false}, "cause": {"?": null}},
//    "separator": ",", "separators": {"benefits": "/"}}
//
// - `columns`: interchange field → the header text of its column (compared
//   with FoldForMatch: case, accents and spaces do not matter). Every field
//   of domain.md §7 but `organisme` (given on the command line or the page),
//   `financial` (below) and `internal_requests` (not imported from CSV).
//   `received_on` and `admissibility` are required; `reference` may be left
//   out (references are then generated).
// - `financial`: a financial kind → the column holding its amount in euros.
// - `labels`: per code field (and `fraud`), label → code (a string of the
//   field's nomenclature; for `fraud` true or false; null: the label means
//   "unknown"). Labels are compared with FoldForMatch. Without an entry, a
//   cell may hold the code itself or the default French label of the code.
// - `separator` (default ","): splits the several-valued fields (motives,
//   benefits, response_modes); `separators` overrides it per field.
//
// Every problem of the mapping is reported (field = its place in the file,
// "columns.chanel", "labels.channel.Mail"), the whole mapping refused.
#ifndef AMIABLE_INTAKE_CSV_MAPPING_H_
#define AMIABLE_INTAKE_CSV_MAPPING_H_

#include <expected>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/nomenclature.h"

namespace amiable {

// The interchange fields a column may fill, and how a cell is read.
enum class CsvFieldKind {
  kText,     // reference; allocataire_number (digits, left-padded with 0 to 7)
  kDate,     // 12/03/2025, 12/03/25, 2025-03-12 (a time after it is ignored)
  kCode,     // one label or code
  kCodes,    // labels or codes split on the separator
  kInteger,  // quotient_familial: whole euros ("1 020", "420,00")
  kBool,     // fraud: oui/non, vrai/faux, o/n, x/(empty), 1/0, or the labels
};
struct CsvField {
  std::string_view name;  // the interchange key
  CsvFieldKind kind;
  const Nomenclature& (*nomenclature)();  // kCode, kCodes; else null
};
// In the canonical order of domain.md §7.
std::span<const CsvField> CsvFields();
const CsvField* FindCsvField(std::string_view name);  // null when unknown

// What a label stands for: a code, true/false (fraud), or unknown (null).
struct CsvLabelValue {
  std::optional<std::string> code;  // none: the cell counts as empty
};

struct CsvMapping {
  std::map<std::string, std::string> columns;                  // field → header text
  std::vector<std::pair<std::string, std::string>> financial;  // kind → header text
  // field → FoldForMatch(label) → value ("true"/"false" for fraud).
  std::map<std::string, std::map<std::string, CsvLabelValue>> labels;
  std::string separator = ",";
  std::map<std::string, std::string> separators;  // field → separator

  // The separator of a several-valued field.
  const std::string& SeparatorOf(const std::string& field) const;
};

// Parses the mapping file's text. On failure every problem is in the
// returned list (kInvalid, French, field = the place in the file).
std::expected<CsvMapping, std::vector<Error>> ParseCsvMapping(std::string_view json);

}  // namespace amiable

#endif  // AMIABLE_INTAKE_CSV_MAPPING_H_
