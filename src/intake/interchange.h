// The case interchange format (domain.md §7): JSON Lines, one case a line.
//
// Parsing checks everything a line can be wrong about and reports every
// problem, each as an Error with line, field and reason (unknown key or code,
// bad date, date order, missing required field, invalid UTF-8, invalid JSON).
// Checks that need the database (unknown organisme, duplicate reference with
// stored cases) are done by the importer, not here.
#ifndef AMIABLE_INTAKE_INTERCHANGE_H_
#define AMIABLE_INTAKE_INTERCHANGE_H_

#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/error.h"

namespace amiable {

// Parses one line (without its newline). On failure returns every problem
// found on the line (at least one), with Error::line set to `line_number`.
std::expected<Case, std::vector<Error>> ParseCaseLine(std::string_view line, int line_number);

// Serializes a case to one line (no newline) in the canonical key order of
// domain.md §7. Absent values are left out; lists that are present are
// written even when empty. Parse(Serialize(c)) == c for the interchange fields.
std::string SerializeCase(const Case& c);

struct ParsedFile {
  std::vector<Case> cases;
  std::vector<Error> errors;  // empty when every line is valid
};

// Parses a whole stream: blank lines are skipped; duplicate references within
// the file are reported on the later line. Never throws.
ParsedFile ParseCaseStream(std::istream& in);

}  // namespace amiable

#endif  // AMIABLE_INTAKE_INTERCHANGE_H_
