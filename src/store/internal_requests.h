// Role: internal requests (G@ci, issue 8 item 5) — the questions a mediator
// puts to the fund's own services — and the per-fund list of those services
// (migration 11). Defaults answer kInternal "not supported" so that test
// fakes need not implement them.
//
// Contracts (besides store.h's):
// - Case-bound calls take the acting user and find only the cases that user
//   sees (kNotFound "case.not_found" otherwise; lists leave them out).
// - The service layer (service/internal_requests.h) checks the rules (role,
//   locked case, service active, dates); the store checks what the database
//   knows (the row belongs to the case, the fund exists).
#ifndef AMIABLE_STORE_INTERNAL_REQUESTS_H_
#define AMIABLE_STORE_INTERNAL_REQUESTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/case.h"
#include "core/date.h"
#include "core/error.h"
#include "store/actor.h"

namespace amiable {

// A service of a fund that internal requests go to.
struct FundService {
  std::string organisme;  // the fund's code
  std::string code;       // stable, lower-case ASCII, unique within the fund
  std::string label;      // French, e.g. "Service prestations"
  std::string address;    // where the question is mailed
  bool active = true;     // an inactive service keeps its past requests
};

// One internal request of a case.
struct InternalRequest {
  int64_t id = 0;
  std::string reference;  // of the case
  std::string organisme;  // the case's fund
  std::string service_code;
  std::string service_label;  // as it was when asked
  std::string to_address;     // as it was when asked
  std::string question;
  Date sent_on;                      // local date in the fund's zone
  std::optional<Date> due_on;        // none for imported requests
  std::optional<Date> answered_on;   // none while unanswered
  std::optional<int64_t> outbox_id;  // the outgoing message, when mailed
  std::string answer_message;        // Message-ID of the answer by mail, "" otherwise
  std::string created_by;
  std::string created_at;  // ISO 8601 UTC
};

class InternalRequests {
 public:
  virtual ~InternalRequests() = default;

  // ---- Services of a fund ----
  // Every service of the fund (active or not), by code; empty when none.
  virtual Result<std::vector<FundService>> FundServices(std::string_view organisme);
  // Adds, or replaces (same organisme and code), a service. kInvalid
  // "store.organisme_unknown" (field "organisme") for a fund unknown or not
  // seen by the actor. Audited.
  virtual Status SaveFundService(const Actor& actor, const FundService& s);

  // ---- Requests of a case ----
  // Inserts `r` (r.reference is ignored: `reference` is the case) and
  // `event` in the case's history, in the caller's transaction when one is
  // open. Returns the new id. kNotFound "case.not_found".
  virtual Result<int64_t> AddInternalRequest(const Actor& actor, std::string_view reference,
                                             const InternalRequest& r, const CaseEvent& event);
  // The requests of a case, by id (the order they were asked).
  virtual Result<std::vector<InternalRequest>> CaseInternalRequests(const Actor& actor,
                                                                    std::string_view reference);
  // Records the answer of request `id` of the case (answered_on,
  // answer_message) with `event` in the history. kNotFound
  // "internal_request.not_found" when the case has no such request.
  virtual Status AnswerInternalRequest(const Actor& actor, std::string_view reference, int64_t id,
                                       Date answered_on, std::string_view answer_message,
                                       const CaseEvent& event);
  // The unanswered requests of the cases the actor sees, oldest sent
  // first, at most `limit` (0: all); for the dashboard.
  virtual Result<std::vector<InternalRequest>> PendingInternalRequests(const Actor& actor,
                                                                       int limit);
  // The case reference and request id whose outgoing message has
  // `message_id` (the outbox row's Message-ID): how the mail intake knows a
  // reply (In-Reply-To, References) answers a request. nullopt when none.
  // Takes no actor: the intake runs as the system.
  virtual Result<std::optional<std::pair<std::string, int64_t>>> InternalRequestByOutboxMessageId(
      std::string_view message_id);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_INTERNAL_REQUESTS_H_
