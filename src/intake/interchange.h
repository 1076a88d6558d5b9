// The case interchange format (domain.md §7): JSON Lines, one case a line.
//
// Parsing checks everything a line can be wrong about and reports every
// problem, each as an Error with line, field and reason (unknown key or code,
// bad date, date order, missing required field, invalid UTF-8, invalid JSON).
// Checks that need the database (unknown organisme, duplicate reference with
// stored cases) are done by the importer, not here.
//
// Rules beyond domain.md, written down here because they are a contract:
// - null is the same as absent; a required field that is null is missing.
// - `organisme` is a 3-digit code; `allocataire_number` a string of 7 digits;
//   `reference` a non-empty string of at most kMaxReferenceBytes bytes
//   without control characters.
// - Integers (`quotient_familial`, `amount_cents`) must be written as JSON
//   integers (420, not 420.0) and be >= 0.
// - A code may not appear twice in one list; financial lines may repeat kinds.
// - Dates in order: prior_step_on <= received_on <= taken_in_charge_on <=
//   answered_on <= closed_on, for every pair that is present.
// - A key may not appear twice in one object.
// - `internal_requests`: a list of {"sent_on", "answered_on"} (answered_on
//   null or absent while unanswered); sent_on not before received_on,
//   answered_on not before sent_on. null, absent and [] all mean none and
//   read as an absent list (Case::internal_requests); the writer leaves the
//   key out when there are none and writes "answered_on":null when
//   unanswered.
//
// Thread safety: every function is reentrant.
#ifndef AMIABLE_INTAKE_INTERCHANGE_H_
#define AMIABLE_INTAKE_INTERCHANGE_H_

#include <cstddef>
#include <istream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/error.h"

namespace amiable {

inline constexpr size_t kMaxReferenceBytes = 100;
// A longer line is refused without being parsed ("line too long").
inline constexpr size_t kMaxLineBytes = 64 * 1024;

// Parses one line (without its newline; a leading UTF-8 byte-order mark is
// ignored). On failure returns every problem
// found on the line (at least one), with Error::line set to `line_number`.
// Only the interchange fields of the returned Case are set (state stays
// kReceived: see InferState).
std::expected<Case, std::vector<Error>> ParseCaseLine(std::string_view line, int line_number);

// The same as ParseCaseLine, reading with nlohmann's parser only (ParseCaseLine
// first tries a faster scanner for the common subset of JSON and falls back to
// this). For tests comparing the two.
std::expected<Case, std::vector<Error>> ParseCaseLineReference(std::string_view line,
                                                               int line_number);

// Serializes a case to one line (no newline) in the canonical key order of
// domain.md §7: compact, UTF-8 unescaped. Absent values are left out (so is an
// empty `admissibility`); lists that are present are written even when empty.
// Parse(Serialize(c)) == c for the interchange fields.
std::string SerializeCase(const Case& c);

// The keys of the format, in the canonical order of domain.md §7.
std::span<const std::string_view> InterchangeKeys();

// True when the interchange fields of `a` and `b` are equal (id, state and
// what the mediator keeps beside are ignored).
bool SameInterchangeFields(const Case& a, const Case& b);

struct ParsedFile {
  std::vector<Case> cases;
  std::vector<int> lines;     // lines[i] is the 1-based line of cases[i]
  std::vector<Error> errors;  // empty when every line is valid
};

// Parses a whole stream: LF or CRLF line ends, a UTF-8 byte-order mark at the
// start of a line is skipped, blank lines are skipped; duplicate references within the
// file are reported on the later line. A read error of the stream is reported
// as an error with line 0. Never throws.
ParsedFile ParseCaseStream(std::istream& in);

}  // namespace amiable

#endif  // AMIABLE_INTAKE_INTERCHANGE_H_
