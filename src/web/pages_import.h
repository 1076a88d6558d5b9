// The page /import (pages_import.cc): a manager or an administrator of a
// fund imports its earlier cases from a spreadsheet's CSV with a mapping
// file (intake/csv_import.h, docs/import-csv.md). Both files are uploaded;
// « Vérifier » runs a dry run (every problem as « ligne N : colonne :
// raison », or the figures each year would have); the page then carries the
// two files back (base64 in hidden fields) for « Importer », which checks
// everything again and writes all or nothing. The store refuses the import
// to any other role (Store::ImportCases, store/reference_counter.h).
#ifndef AMIABLE_WEB_PAGES_IMPORT_H_
#define AMIABLE_WEB_PAGES_IMPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "intake/csv_import.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {

// At most this many problems are listed on the page (the count says all).
inline constexpr size_t kShownImportProblems = 200;

struct ImportPageInput {
  std::vector<Organisme> funds;  // those the user may import into
  std::string organisme;         // chosen
  std::string encoding;          // "", "utf-8", "windows-1252"
  std::string delimiter;         // "", ";", ","
  std::string error;             // a refusal of the whole request (French)
  std::vector<Error> problems;   // of the file or the mapping
  bool mapping_problems = false;  // the problems are the mapping's
  // A dry run that passed: its result, and the two files (base64) to post back.
  const CsvImportResult* checked = nullptr;
  std::string csv_b64, mapping_b64;
  // An import done: its result.
  const CsvImportResult* imported = nullptr;
};
// The template's data (pure).
Data ImportView(const ImportPageInput& in);

// GET /import and POST /import.
void RegisterImportRoutes(httplib::Server& server, Env& env);

}  // namespace amiable::web::pages

#endif  // AMIABLE_WEB_PAGES_IMPORT_H_
