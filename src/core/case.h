// The records the product manages: funds (organismes) and mediation cases,
// with what a mediator keeps beside the interchange fields (domain.md §7).
// Plain values: no I/O, no validation here (see intake/interchange.h for the
// file format and core/lifecycle.h for the rules of state changes).
#ifndef AMIABLE_CORE_CASE_H_
#define AMIABLE_CORE_CASE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"

namespace amiable {

struct Organisme {
  std::string code;    // 3 digits, e.g. "631"
  std::string name;    // "Caf du Puy-de-Dôme"
  std::string zone;    // a code of nomenclature::Zone(), e.g. "metropole"
  std::string region;  // optional, e.g. "ARA"
  bool whit_monday_worked = false;  // solidarity day: Whit Monday is a working day
};

struct FinancialLine {
  std::string kind;          // nomenclature::FinancialKind()
  int64_t amount_cents = 0;  // always positive integer cents
};

// The dates of an internal request (G@ci: a question to a service of the
// fund), as the interchange format carries them (domain.md §7). The store
// keeps more (store/internal_requests.h).
struct InternalRequestDates {
  Date sent_on;
  std::optional<Date> answered_on;  // none while unanswered

  bool operator==(const InternalRequestDates&) const = default;
};

// Lifecycle states (core/lifecycle.h holds the transitions).
enum class CaseState {
  kReceived,       // registered, admissibility not yet decided
  kInadmissible,   // declared irrecevable: answered and oriented, closed
  kTakenInCharge,  // admissible and accepted by a mediator
  kInProgress,     // investigation
  kOnHold,         // waiting for a commission or a council decision
  kAnswered,       // answer sent
  kClosed,         // closed with a resolution
};
const char* StateCode(CaseState s);            // "received", "in_progress", ...
const char* StateLabel(CaseState s);           // French
std::optional<CaseState> StateFromCode(std::string_view code);

// One mediation request. Optional fields are unknown when empty; lists are
// "unknown" when null and "none" when empty (both count as unknown in figures).
struct Case {
  int64_t id = 0;  // store identity, 0 before insertion
  std::string reference;
  std::string organisme;
  Date received_on;
  std::optional<std::string> channel;
  std::optional<std::string> emitter;
  std::optional<std::string> allocataire_number;
  std::optional<std::string> prior_step;
  std::optional<Date> prior_step_on;
  std::string admissibility;  // "recevable", "irrecevable", or "" while not screened
  std::optional<std::string> inadmissibility_reason;
  std::optional<Date> taken_in_charge_on;
  std::optional<Date> answered_on;
  std::optional<Date> closed_on;
  std::optional<std::vector<std::string>> motives;
  std::optional<std::vector<std::string>> benefits;
  std::optional<std::string> cause;
  std::optional<std::string> household;
  std::optional<std::string> activity;
  std::optional<int64_t> quotient_familial;  // euros
  std::optional<std::vector<std::string>> response_modes;
  std::optional<std::string> resolution;
  std::optional<bool> fraud;
  std::optional<std::vector<FinancialLine>> financial;
  // Internal requests, by sending date: filled by the interchange parser,
  // the imports (which store them) and the scans (exports, figures); other
  // reads leave it absent and writes of the case ignore it. Never an empty
  // list: none is absent (null and [] read as absent).
  std::optional<std::vector<InternalRequestDates>> internal_requests;

  // What the mediator keeps beyond the interchange format.
  CaseState state = CaseState::kReceived;
  std::optional<std::string> orientation;  // where an inadmissible case was sent
  // The code of the fund's orientation entry chosen (store/letters_store.h);
  // `orientation` then holds that entry's label.
  std::optional<std::string> orientation_code;
  std::string description;                 // the request's text
  std::string assigned_to;                 // user name of the mediator in charge
  int64_t version = 0;                     // optimistic concurrency, bumped per write
};

// The state a case is in given only its dates and admissibility (imports).
CaseState InferState(const Case& c);

enum class PersonRole { kBeneficiary, kEmitter, kLandlord };
const char* PersonRoleCode(PersonRole r);  // "beneficiary", "emitter", "landlord"

struct Person {
  int64_t id = 0;
  PersonRole role = PersonRole::kBeneficiary;
  std::string name;
  std::string organisation;  // for emitters: the partner, the DDD delegation...
  std::string email;
  std::string phone;
  std::string address;
  std::string function = {};  // emitter's function, e.g. "assistante sociale"
};

struct Note {
  int64_t id = 0;
  std::string author;
  std::string created_at;  // ISO 8601 UTC timestamp
  std::string text;
};

struct DocumentMeta {
  int64_t id = 0;
  std::string file_name;     // as given by the sender, for display only
  std::string content_type;  // detected from the content
  int64_t size_bytes = 0;
  std::string storage_key;   // random name in the document folder
  std::string sha256;
  std::string uploaded_by;
  std::string uploaded_at;
};

// One field changed by a history row, with its values before and after
// ("" = absent).
struct FieldChange {
  std::string field;
  std::string old_value;
  std::string new_value;

  bool operator==(const FieldChange&) const = default;
};

// One row of a case's history: who did what, when, and what changed.
struct CaseEvent {
  int64_t id = 0;
  std::string at;       // ISO 8601 UTC timestamp
  std::string actor;    // user name, or "system" / "import"
  std::string kind;     // lifecycle event code or "update", "note", "document"
  std::string detail;   // human-readable summary of the change (French)
  std::vector<FieldChange> changes = {};  // fields changed by this row, with old and new values
  int published_year = 0;  // != 0: a confirmed change to a case of this published year
};

}  // namespace amiable

#endif  // AMIABLE_CORE_CASE_H_
