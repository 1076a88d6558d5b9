// Internal requests (G@ci, issue 8 item 5): from a case, the mediator asks a
// service of the fund a question; it goes by mail with the case reference;
// the service's answer (by mail, recognised by the intake, or recorded by
// hand) closes it. The due date is kInternalRequestDueWorkingDays working
// days after sending, in the fund's zone; a request is late when it is
// answered after it, or still unanswered past it.
//
// Rules (checked here, once; the store checks visibility):
// - Ask: a mediator or a manager (or a system caller) who sees the case;
//   an administrator or a statistics reader is refused (kForbidden
//   "internal_request.role" / "role.no_case_access"); the case is not locked
//   (closed or inadmissible: kConflict "case.locked"); the service exists and
//   is active in the case's fund (kInvalid "internal_request.service_unknown",
//   field "service"); the question is not blank (kInvalid
//   "internal_request.question_required", field "question") and at most
//   kMaxInternalQuestionBytes. In ONE transaction: the request (sent_on =
//   today in the fund's zone, due_on), its history row and the outgoing
//   message (outbox kind "internal_request", to the service's address,
//   subject "[REF] Demande interne : <first words>", In-Reply-To of the
//   answer = its Message-ID).
// - RecordAnswer: the same roles, on a visible case, closed or not (an
//   answer may come after closing); answered_on not before sent_on (kInvalid
//   "internal_request.answer_before_sent", field "answered_on") nor after
//   today (kInvalid "internal_request.answer_in_future"). Idempotent: the
//   same non-empty answer Message-ID again returns the request unchanged; a
//   request already answered otherwise is kConflict
//   "internal_request.already_answered".
// - List / Pending: any caller who sees the case (Pending: the visible
//   cases only, by the store's query).
// - Services: any caller but a statistics reader, for a fund she sees;
//   SaveService: an administrator, a manager of the fund, or a system caller
//   (kForbidden "fund_service.role"); code [a-z0-9_-]{1,40}
//   ("fund_service.code"), label 1..200 bytes ("fund_service.label_required"),
//   a plausible address ("fund_service.address").
//
// Thread safety: as the Store given (one per request).
#ifndef AMIABLE_SERVICE_INTERNAL_REQUESTS_H_
#define AMIABLE_SERVICE_INTERNAL_REQUESTS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.h"
#include "calendar/clock.h"
#include "core/error.h"
#include "service/caller.h"
#include "store/store.h"

namespace amiable::service {

// The service is asked to answer within this many working days.
inline constexpr int kInternalRequestDueWorkingDays = 5;
inline constexpr size_t kMaxInternalQuestionBytes = 4000;

// A request with what its page and API show.
struct InternalRequestStatus {
  InternalRequest request;
  Date due_on;       // the stored one, or sent_on + the delay (imported requests)
  int working_days;  // sent -> answered, or sent -> today while unanswered
  bool late = false;
};

class InternalRequestService {
 public:
  InternalRequestService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<InternalRequestStatus> Ask(const Caller& who, std::string_view reference,
                                    std::string_view service_code, std::string question);
  // answer_message_id: the Message-ID of the reply by mail, "" by hand.
  Result<InternalRequestStatus> RecordAnswer(const Caller& who, std::string_view reference,
                                             int64_t request_id, Date answered_on,
                                             std::string_view answer_message_id);
  Result<std::vector<InternalRequestStatus>> List(const Caller& who, std::string_view reference);
  // Unanswered requests of the cases the caller sees, oldest first (0: all).
  Result<std::vector<InternalRequestStatus>> Pending(const Caller& who, int limit = 0);

  Status SaveService(const Caller& who, FundService s);
  Result<std::vector<FundService>> Services(const Caller& who, std::string_view organisme);

  // The subject of the outgoing message: "[{reference}] Demande interne : "
  // and the question's first words (at most about 60 bytes, "…" when cut).
  static std::string Subject(std::string_view question);

 private:
  WorkCalendar CalendarOf(std::string_view organisme);
  InternalRequestStatus StatusOf(const InternalRequest& r, WorkCalendar cal, Date today) const;
  Status CheckRole(const Caller& who) const;

  Store& store_;
  const Clock& clock_;
};

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_INTERNAL_REQUESTS_H_
