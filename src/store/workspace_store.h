// Role: what the web workspace keeps beside the cases (migrations 2, 5):
// the outbox, the label overrides of the nomenclatures, the published
// years. Defaults answer kInternal "not supported" so that test fakes need
// not implement them.
#ifndef AMIABLE_STORE_WORKSPACE_STORE_H_
#define AMIABLE_STORE_WORKSPACE_STORE_H_

#include <string>
#include <vector>

#include "core/error.h"
#include "store/actor.h"
#include "store/case_store.h"

namespace amiable {

// A French label replacing a nomenclature's default (codes never change).
struct LabelOverride {
  std::string nomenclature;
  std::string code;
  std::string label;
};

// A history row, of a case of a published year, that changed it after
// publication (CaseEvent::published_year).
struct PostPublicationChange {
  std::string reference;
  CaseEvent event;
};

class WorkspaceStore {
 public:
  virtual ~WorkspaceStore() = default;

  // Queues `m` (state queued, due now) with its Message-ID fixed now, in
  // the caller's transaction when one is open (InTransaction is reentrant):
  // the message exists iff what it reports committed. With a case_reference
  // the case must be visible to the actor (kNotFound "case.not_found") and
  // an empty organisme becomes the case's fund. "{reference}" in subject and
  // bodies is replaced by the case's reference. Returns the row (id,
  // message_id, created_at filled).
  virtual Result<OutboxMessage> QueueOutbox(const Actor& actor, OutboxMessage m);

  // Messages waiting to be sent (state queued), oldest first.
  virtual Result<std::vector<OutboxMessage>> PendingOutbox(int limit);

  // Sending the outbox (migration 6). Timestamps are ISO (IsoTimestamp), so
  // that they compare as text.
  // ClaimOutbox takes, in one transaction, up to `limit` queued rows due at
  // `now` (next_attempt_at <= now) and not claimed by another sender whose
  // lease runs (claimed_until > now), oldest first; it leases them until
  // `lease_until`, counts one attempt each and returns them (attempts
  // included). Several senders (processes, app servers) never get the same
  // row while its lease runs: PostgreSQL skips rows locked by another claim
  // (FOR UPDATE SKIP LOCKED); SQLite serialises writers. A sender that dies
  // leaves its rows to be claimed again when the lease ends (at least once).
  virtual Result<std::vector<OutboxMessage>> ClaimOutbox(std::string_view now,
                                                         std::string_view lease_until, int limit);
  // The server accepted the message: state sent, sent_at = at, lease freed.
  // kNotFound for an unknown id.
  virtual Status MarkOutboxSent(int64_t id, std::string_view at);
  // An attempt failed with `error`: the row stays queued until
  // `next_attempt_at`, or becomes failed (given up) when `give_up`; the lease
  // is freed. kNotFound for an unknown id.
  virtual Status MarkOutboxFailed(int64_t id, std::string_view error,
                                  std::string_view next_attempt_at, bool give_up);
  // Every row (any state), by id; for the command line and the tests.
  virtual Result<std::vector<OutboxMessage>> OutboxMessages(int limit);
  // The rows of a case the actor sees (any state), oldest first; kNotFound
  // "case.not_found" for a case the actor may not see (the visible-case rule).
  virtual Result<std::vector<OutboxMessage>> CaseOutbox(const Actor& actor,
                                                        std::string_view reference);
  // The rows given up (state failed) of the cases the actor sees, newest
  // first, at most `limit` (0: all); for the dashboard.
  virtual Result<std::vector<OutboxMessage>> FailedOutbox(const Actor& actor, int limit);

  // Label overrides of the nomenclatures; an empty label removes one.
  virtual Result<std::vector<LabelOverride>> LabelOverrides();
  virtual Status SetLabelOverride(const Actor& actor, const LabelOverride& o);

  // Published years (migration 5): a manager marks a fund's year as
  // published; later changes to its figures need a confirmation (the
  // service's rule) and are listed by ChangesAfterPublication.
  // PublishYear: kInvalid "organisme" for a fund unknown or not seen by the
  // actor, kInvalid "year" out of 1900..2199, kConflict if already published.
  virtual Status PublishYear(const Actor& actor, std::string_view organisme, int year);
  // The published years of a fund, ascending (none: empty).
  virtual Result<std::vector<int>> PublishedYears(std::string_view organisme);
  // The history rows with published_year == year of the cases of the fund
  // that the actor sees, newest first.
  virtual Result<std::vector<PostPublicationChange>> ChangesAfterPublication(
      const Actor& actor, std::string_view organisme, int year);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_WORKSPACE_STORE_H_
