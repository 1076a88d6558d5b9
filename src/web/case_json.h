// The JSON side of the case API (/api/v1/cases...): request bodies and query
// strings in, case documents out. Pure: no store, no HTTP; the routes in
// api.cc call these and the store. Thread-safe (reentrant).
//
// Request rules (every violation is kInvalid naming the field):
// - A body is one JSON object, UTF-8, nested at most kMaxJsonDepth deep; a
//   key may not repeat. Malformed JSON says where ("line 1, column 5").
// - Unknown keys are refused, so are keys the endpoint does not accept: the
//   lifecycle fields (admissibility, inadmissibility_reason,
//   taken_in_charge_on, answered_on, closed_on) change only through events;
//   reference and organisme never change after creation.
// - Interchange fields are checked by intake's ParseCaseLine, the same rules
//   as an import (codes, dates and their order, 7-digit allocataire numbers).
#ifndef AMIABLE_WEB_CASE_JSON_H_
#define AMIABLE_WEB_CASE_JSON_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calendar/calendar.h"
#include "core/case.h"
#include "core/error.h"
#include "core/lifecycle.h"
#include "service/thread.h"
#include "service/internal_requests.h"
#include "store/store.h"

namespace amiable::web {

inline constexpr int kMaxJsonDepth = 32;
inline constexpr size_t kMaxDescriptionBytes = 20000;
inline constexpr size_t kMaxPersonFieldBytes = 500;
inline constexpr int kMaxListLimit = 500;

// POST /api/v1/cases. Keys: the interchange fields except the lifecycle ones,
// plus "description" (text) and "people" (a list of {"role":
// "beneficiary|emitter|landlord","name","organisation","email","phone",
// "address"}). "reference" may be absent (reference_given false, c.reference
// empty: Store::SubmitCase generates one); "organisme" defaults to
// `default_organisme` when that is not empty; "received_on" defaults to
// `today`. The case is returned in state received, admissibility "".
struct CreateRequest {
  Case c;
  bool reference_given = false;
  std::vector<Person> people;
};
Result<CreateRequest> ParseCreateBody(std::string_view body, Date today,
                                      std::string_view default_organisme);

// PATCH /api/v1/cases/{reference}. Keys: the classification fields of the
// interchange (channel, emitter, allocataire_number, prior_step,
// prior_step_on, received_on, motives, benefits, cause, household, activity,
// quotient_familial, response_modes, resolution, fraud, financial),
// "description", and "version" (the version the client read: a stale one is
// a conflict, checked by the caller). null clears a field. On success `c`
// holds the merged values; on failure it is unchanged.
struct PatchResult {
  std::vector<std::string> changed;  // keys whose value changed, sorted
  std::optional<int64_t> version;
};
Result<PatchResult> ApplyPatchBody(std::string_view body, Case& c);

// PATCH /api/v1/cases/{reference} as the case service's edit: each key with
// its value as text (lists joined with commas, numbers and booleans
// written out, null = ""), plus "version" and "confirm_published". Only the
// shape is checked here; the service checks the fields and values.
struct EditBody {
  std::vector<std::pair<std::string, std::string>> fields;
  struct {
    std::optional<int64_t> version;
    bool confirm_published = false;
  } guard;
};
Result<EditBody> ParseEditBody(std::string_view body);

// POST /api/v1/cases/{reference}/events: {"event": code, "date":
// "YYYY-MM-DD" (optional), "version": n (optional), <parameters>}. A
// parameter is a string, or a list of strings (joined with commas for the
// code-list parameters of core/lifecycle.h).
struct EventBody {
  EventRequest request;
  std::optional<int64_t> version;
  bool confirm_published = false;             // "confirm_published": true
  std::vector<std::string> confirm_unknown;   // "confirm_unknown": ["household", ...]
};
Result<EventBody> ParseEventBody(std::string_view body, std::string actor);

// Where a case stands against the 8-working-day take-in-charge target.
struct Deadline {
  Date take_charge_by;  // the 8th working day after reception
  // "pending" (not yet taken, within its window), "overdue" (not yet taken,
  // window passed), "met" / "missed" (taken within / after it), or
  // "not_applicable" (inadmissible).
  std::string_view status;
  std::optional<int> working_days_left;  // when pending or overdue (<= 0 when overdue)
};
// nullopt when the reception date is outside the calendar's years.
std::optional<Deadline> ComputeDeadline(const Case& c, WorkCalendar cal, Date today);
WorkCalendar CalendarOf(const Organisme& o);

// A case as the API shows it. Pointers may be null: the key is then left
// out (lists show neither history nor people nor allowed events).
struct CaseView {
  const Case* c = nullptr;
  std::optional<Deadline> deadline;
  const std::vector<std::string_view>* allowed_events = nullptr;
  const std::vector<CaseEvent>* history = nullptr;
  const std::vector<Person>* people = nullptr;
  // The case's conversation, as "thread" (single-case answers only).
  const std::vector<service::ThreadEntry>* thread = nullptr;
  // The case's internal requests, as "internal_requests" (single-case answers).
  const std::vector<service::InternalRequestStatus>* internal_requests = nullptr;
};
// Every interchange key (null when absent), then state, state_label, version,
// description, orientation, assigned_to, deadline, and the optional parts.
std::string CaseJson(const CaseView& v);
// {"items":[...],"total":N,"limit":L,"offset":O}
std::string CaseListJson(std::span<const CaseView> items, int64_t total, int limit, int offset);

// An internal request: {"id","service","service_label","question","sent_on",
// "due_on","answered_on" (null while unanswered),"working_days" (sent to the
// answer, or to today while unanswered),"late"}; with `with_reference` also
// "reference" (the dashboard list).
std::string InternalRequestJson(const service::InternalRequestStatus& r,
                                bool with_reference = false);
// {"items":[...]} of InternalRequestJson.
std::string InternalRequestListJson(std::span<const service::InternalRequestStatus> items,
                                    bool with_reference = false);

// GET /api/v1/me: {"name","display_name","role","all_funds","organismes"}.
std::string UserJson(const User& u);

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// GET /api/v1/cases?organisme=C&organisme=...&state=S&year=Y&overdue=true&
// limit=L&offset=O. limit 1..kMaxListLimit (default 50), offset >= 0.
Result<CaseFilter> ParseListQuery(const QueryParams& params, Date today);

// GET /api/v1/stats?year=Y&organisme=C...&as_of=D. year defaults to today's,
// as_of to today.
struct StatsQuery {
  int year = 0;
  std::vector<std::string> organismes;
  Date as_of;
};
Result<StatsQuery> ParseStatsQuery(const QueryParams& params, Date today);

}  // namespace amiable::web

#endif  // AMIABLE_WEB_CASE_JSON_H_
