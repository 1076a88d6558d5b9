// Importing a fund's earlier cases from a CSV file saved from its
// spreadsheet, with a mapping of its columns and labels (csv_mapping.h):
// `amiable import --format csv` and the page /import (docs/import-csv.md).
//
// The rows become interchange records (domain.md §7) and go through the one
// importer (importer.h): the interchange parser checks each case
// (ParseCaseLine), the importer what needs the database, one transaction
// writes them. So a CSV case is refused for exactly the reasons a JSON Lines
// case is.
//
// Every problem is an Error with `line` = the spreadsheet's line (the header
// is line 1) and `field` = the header text of the column; ToString gives
// "ligne N : colonne : raison". Problems of the mapping have line 0 and
// field = their place in the mapping ("labels.channel.Mail"). Nothing is
// written unless every line passes.
//
// References: a row without one (no `reference` column, or an empty cell)
// gets the next reference of its fund's year, "<organisme>-<year>-NNNNN",
// from the counter the workspace uses (store/reference_counter.h), numbered
// by reception date then line, in the import's transaction.
//
// Thread safety: the functions are reentrant; ImportCsv uses the store it is
// given (one per thread).
#ifndef AMIABLE_INTAKE_CSV_IMPORT_H_
#define AMIABLE_INTAKE_CSV_IMPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "figures/figures.h"
#include "intake/csv_mapping.h"
#include "intake/csv_reader.h"
#include "intake/interchange.h"
#include "store/store.h"

namespace amiable {

// The rows of `table` as cases of `organisme` (pure). parsed.cases[i] came
// from spreadsheet line parsed.lines[i]; its reference is empty when it is
// to be generated. parsed.errors lists every problem of the rows and of the
// header (a mapped column missing from the file: line 1), columns named by
// their header text. Blank rows are skipped.
ParsedFile ConvertCsv(const CsvTable& table, const CsvMapping& mapping,
                      std::string_view organisme);

struct CsvImportOptions {
  std::string organisme;  // the fund every case belongs to
  CsvOptions csv;         // encoding and delimiter; none: detected
  bool dry_run = false;
  Date as_of;             // the day of computation of the dry run's figures
};

struct CsvImportResult {
  ImportCounts counts;             // what was (or, dry run, would be) written
  CsvEncoding encoding = CsvEncoding::kUtf8;
  char delimiter = ';';
  int64_t generated = 0;           // references generated
  std::vector<std::string> years;  // of the dry run's figures, as text
  // Dry run: the figures of each year the cases are received or closed in,
  // for the fund, as they would be once imported (computed from the
  // database inside the import's transaction, then rolled back).
  std::vector<YearFigures> figures;
};

// Reads, converts, checks and imports (or, dry run, checks and computes the
// figures). Errors: kInvalid with every problem in *problems (required,
// cleared first; the caller shows them with ToString); kForbidden when the
// actor is neither a manager nor an administrator; kInvalid without
// problems for an unknown or unseen fund; the store's errors as they come.
Result<CsvImportResult> ImportCsv(Store& store, const Actor& actor, std::string_view csv_bytes,
                                  std::string_view mapping_json, const CsvImportOptions& options,
                                  std::vector<Error>* problems);

// A date as a spreadsheet writes it: "12/03/2025", "12/03/25" (20YY),
// "2025-03-12", with "-" or "." for "/", one-digit days and months, and a
// time after it ("12/03/2025 00:00") ignored. nullopt when it is none.
std::optional<Date> ParseSpreadsheetDate(std::string_view text);

}  // namespace amiable

#endif  // AMIABLE_INTAKE_CSV_IMPORT_H_
