// Internals of the case interchange format shared by interchange.cc (field
// table, checks, public parse entry points), interchange_scan.cc (the line
// handler and ParseInto) and interchange_write.cc (the canonical writer).
//
// NOT A PUBLIC CONTRACT: only the files of src/intake/interchange*.cc include
// this header; everything here may change without notice. The public
// interface is intake/interchange.h.
#ifndef AMIABLE_INTAKE_INTERCHANGE_INTERNAL_H_
#define AMIABLE_INTAKE_INTERCHANGE_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/error.h"
#include "core/nomenclature.h"

namespace amiable::interchange_internal {

inline constexpr size_t kNpos = std::string_view::npos;

// ---------------------------------------------------------------------------
// Small text helpers (interchange.cc).

// The 0-based offset of the first byte that does not start a well-formed
// UTF-8 sequence (no overlong forms, no surrogates, <= U+10FFFF), or kNpos.
size_t FindInvalidUtf8(std::string_view s);

// Text of the input made safe for a one-line message: control characters
// escaped, cut after `max` bytes on a character boundary (with "…").
// Input is valid UTF-8.
std::string Sanitized(std::string_view s, size_t max);

// A value as shown inside a message: quoted and sanitized.
std::string Shown(std::string_view s);

bool AllDigits(std::string_view s, size_t n);

bool IsBlank(std::string_view s);

// ---------------------------------------------------------------------------
// The fields of a line (interchange.cc).

enum FieldId : int {
  kReference,
  kOrganisme,
  kReceivedOn,
  kChannel,
  kEmitter,
  kAllocataireNumber,
  kPriorStep,
  kPriorStepOn,
  kAdmissibility,
  kInadmissibilityReason,
  kTakenInChargeOn,
  kAnsweredOn,
  kClosedOn,
  kMotives,
  kBenefits,
  kCause,
  kHousehold,
  kActivity,
  kQuotientFamilial,
  kResponseModes,
  kResolution,
  kFraud,
  kFinancial,
  kInternalRequests,
  kFieldCount,
};

enum class Kind : uint8_t {
  kText,
  kCode,
  kDate,
  kCodes,
  kInteger,
  kBool,
  kFinancial,
  kInternalRequests,
};

struct FieldSpec {
  std::string_view name;
  Kind kind;
  const Nomenclature& (*nomenclature)();  // for kCode and kCodes
};

// In canonical order (domain.md §7), indexed by FieldId.
extern const FieldSpec kFields[kFieldCount];

// The FieldId of `key`, or -1.
int FindField(std::string_view key);

// Dates in the order they must respect.
inline constexpr int kDateOrder[] = {kPriorStepOn, kReceivedOn, kTakenInChargeOn, kAnsweredOn,
                                     kClosedOn};
inline constexpr int kDateCount = 5;

// The index of `field` in kDateOrder, or -1.
int DateSlot(int field);

// The member of *c that holds the code field `field`, or nullptr.
std::optional<std::string>* CodeSlot(Case* c, int field);

// The member of *c that holds the code list field `field`, or nullptr.
std::optional<std::vector<std::string>>* ListSlot(Case* c, int field);

// ---------------------------------------------------------------------------
// Reading (interchange_scan.cc).

// Parses `line` into *c; returns false when problems were appended to
// *errors. c->reference is set whenever the reference itself is valid.
// With `fast`, tries FastScan first and falls back to nlohmann's parser.
bool ParseInto(std::string_view line, int line_number, Case* c, std::vector<Error>* errors,
               std::string* scratch, bool fast = true);

}  // namespace amiable::interchange_internal

#endif  // AMIABLE_INTAKE_INTERCHANGE_INTERNAL_H_
