// Role: the messages received by mail (migration 9) — what the intake took
// in, where it went (a new case, a case's thread, the quarantine, nowhere),
// the files kept with it, and the leases of the mailbox pollers.
//
// Exactly once: a message is known by the pair (Message-ID, SHA-256 of its
// raw bytes) within a fund — Message-ID alone is reused by broken senders;
// it serves threading only. InsertReceived refuses the same pair twice
// (kConflict "intake.duplicate"), so that a message fetched again after a
// crash (taken in, not yet moved to the archive folder) is recognised and
// only moved.
//
// Defaults answer kInternal "not supported" so that fakes need not
// implement them.
#ifndef AMIABLE_STORE_RECEIVED_STORE_H_
#define AMIABLE_STORE_RECEIVED_STORE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/error.h"
#include "store/actor.h"
#include "store/case_store.h"

namespace amiable {

// One received message, as kept.
struct ReceivedMessageRow {
  int64_t id = 0;
  std::string organisme;       // the fund whose mailbox (or import) it came from
  std::string message_id;      // "<...>", "" when it had none
  std::string sha256;          // of the raw bytes
  std::string case_reference;  // "" unless outcome is case or thread
  std::string outcome;         // "case", "thread", "quarantine" or "ignored"
  std::string reason;          // catalogue key (quarantine, ignored, or why it joined a thread)
  std::string reason_detail;   // French detail (the parser's reason, the server's diagnostic)
  std::string subject;
  std::string from_name;
  std::string from_address;
  std::string body_text;
  std::string sent_at;      // the Date header (ISO UTC), "" when absent
  std::string received_at;  // when it was taken in (ISO UTC)
  std::string automatic;    // "", "auto_reply", "delivery_report" or "loop"
  std::string source;       // "imap", "import" or "upload"
  std::string raw_key;      // storage key of the raw message (document folder)
  int64_t raw_size = 0;
  // Quarantine only: "open", "retried", "case_created" or "discarded".
  std::string quarantine_state;
  std::string handled_by;
  std::string handled_at;
  std::string handled_reason;
  // A message that joined a closed case: shown on the dashboard until seen.
  bool flagged = false;
  // The attachments kept as documents of the case (storage keys, in order;
  // the first is the original message as .eml when the message joined a
  // case), and their rows once loaded by CaseReceived.
  std::vector<std::string> document_keys;
  std::vector<DocumentMeta> documents;
};

class ReceivedStore {
 public:
  virtual ~ReceivedStore() = default;

  // The row of (organisme, message_id, sha256), if taken in already.
  virtual Result<std::optional<ReceivedMessageRow>> FindReceived(std::string_view organisme,
                                                                 std::string_view message_id,
                                                                 std::string_view sha256);
  // Inserts `r` (id and received_at filled) and links its document_keys;
  // in the caller's transaction when one is open. kConflict
  // "intake.duplicate" when the pair is already there.
  virtual Result<int64_t> InsertReceived(const Actor& actor, ReceivedMessageRow& r);
  // Changes where a row went (a quarantined message retried, turned into a
  // case by hand, or discarded): outcome, case_reference, reason,
  // quarantine_state, handled_* and document_keys (appended) as in `r`.
  virtual Status UpdateReceived(const Actor& actor, const ReceivedMessageRow& r);

  // The outbox row sent under `message_id` (any fund), if any.
  virtual Result<std::optional<OutboxMessage>> OutboxByMessageId(std::string_view message_id);
  // A delivery report said the outgoing message `id` definitively failed:
  // state failed with `error`, whatever its state (a bounce usually comes
  // after the relay accepted it: state sent). kNotFound for an unknown id.
  virtual Status MarkOutboxBounced(int64_t id, std::string_view error);
  // The case of a message received under `message_id` by `organisme` that
  // joined a case (a reply to a reply), if any.
  virtual Result<std::optional<std::string>> CaseOfReceived(std::string_view organisme,
                                                            std::string_view message_id);

  // The rows of a case the actor sees, oldest first, with their documents;
  // kNotFound "case.not_found" for a case the actor may not see.
  virtual Result<std::vector<ReceivedMessageRow>> CaseReceived(const Actor& actor,
                                                               std::string_view reference);
  // One row, if its fund is seen by the actor (kNotFound "intake.not_found").
  virtual Result<ReceivedMessageRow> GetReceived(const Actor& actor, int64_t id);
  // Quarantined rows still open, of the funds the actor sees, newest first
  // (limit 0: all).
  virtual Result<std::vector<ReceivedMessageRow>> QuarantinedMessages(const Actor& actor,
                                                                      int limit);
  // Rows flagged (they joined a closed case), of cases the actor sees,
  // newest first.
  virtual Result<std::vector<ReceivedMessageRow>> FlaggedMessages(const Actor& actor, int limit);
  virtual Status ClearFlag(const Actor& actor, int64_t id);

  // Mailbox leases: one poller per fund's mailbox across app servers.
  // Takes (or renews) the lease of `organisme` for `owner` until `until`
  // when it is free, expired (until <= now) or already owner's; false when
  // another owner holds it. Timestamps are ISO (compare as text).
  virtual Result<bool> AcquireMailboxLease(std::string_view organisme, std::string_view owner,
                                           std::string_view now, std::string_view until);
  virtual Status ReleaseMailboxLease(std::string_view organisme, std::string_view owner);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_RECEIVED_STORE_H_
