// Importing cases from an interchange file (domain.md §7) into the store,
// all or nothing.
//
// The whole input is read and checked before anything is written: every line
// (see interchange.h), then what needs the database: each case's organisme
// must exist and be visible to the actor, and no reference may already be
// stored. When any problem is found nothing is written and every problem is
// returned, ordered by line. Otherwise the cases are written by one
// Store::ImportCases call (one transaction), each in the state InferState()
// gives it.
//
// Errors: kInvalid when the input has problems (listed in *problems); the
// store's own error otherwise (kUnavailable, kConflict when another writer
// stored one of the references in the meantime, kInternal). Never throws.
#ifndef AMIABLE_INTAKE_IMPORTER_H_
#define AMIABLE_INTAKE_IMPORTER_H_

#include <istream>
#include <vector>

#include "core/error.h"
#include "intake/interchange.h"
#include "store/store.h"

namespace amiable {

// Reads `in` and imports its cases. With `dry_run` everything is checked the
// same way but nothing is written; the counts are those an import would give.
// `problems` (required) receives the input's problems, each with its line and
// field; it is cleared first.
Result<ImportCounts> ImportFile(Store& store, const Actor& actor, std::istream& in, bool dry_run,
                                std::vector<Error>* problems);

// The same for a stream already parsed (ParseCaseStream); its errors are
// included in *problems.
Result<ImportCounts> ImportParsed(Store& store, const Actor& actor, ParsedFile parsed, bool dry_run,
                                  std::vector<Error>* problems);

}  // namespace amiable

#endif  // AMIABLE_INTAKE_IMPORTER_H_
