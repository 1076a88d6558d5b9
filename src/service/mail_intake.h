// Taking received mail in (issue 8, item 1): every message becomes exactly
// one new case, one entry of a case's thread, one quarantine entry, or is
// ignored (already taken in). The rules, in order:
//
// 1. Unreadable (mail/parse.h refuses it): quarantine "intake.unreadable".
// 2. It answers a message amiable sent (In-Reply-To/References, or the
//    original of a delivery report, names an outbox row's Message-ID) or a
//    message already in a case's thread: it joins that case's thread. A
//    delivery report of a definitive failure marks the outgoing message
//    failed with the server's diagnostic.
// 3. Automatic (auto-reply, delivery report, loop) and attached to nothing:
//    quarantine "intake.automatic_unattached". Automatic messages never
//    create a case or an acknowledgement.
// 4. It names a case reference of the fund (subject first, then body): it
//    joins that case's thread.
// 5. Otherwise a new received case (channel courriel, emitter guessed from
//    the sender's address, else allocataire), with the sender as a person of
//    the case and an acknowledgement queued to the sender.
// A message joining a closed case does not reopen it: it is flagged for the
// dashboard. Attachments become documents of the case (any type, sniffed),
// and the original message is kept as an .eml document.
//
// Exactly once: the pair (Message-ID, SHA-256 of the raw bytes) is stored
// with the outcome in the same transaction as the case or thread entry; the
// same pair again is "ignored" (reason "intake.duplicate") with the outcome
// of the first time, so that the caller moves it where it belongs. Files
// are written (durably) before the transaction; a crash leaves at worst an
// orphan file.
#ifndef AMIABLE_SERVICE_MAIL_INTAKE_H_
#define AMIABLE_SERVICE_MAIL_INTAKE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/clock.h"
#include "core/error.h"
#include "service/caller.h"
#include "service/case_service.h"
#include "store/received_store.h"

namespace amiable {
class Store;
}

namespace amiable::service {

struct IntakeOutcome {
  int64_t row_id = 0;
  std::string message_id;
  std::string outcome;    // "case", "thread", "quarantine" or "ignored"
  std::string reference;  // the case, for case and thread
  std::string reason;     // catalogue key ("" for a new case)
  std::string reason_text;  // French
  // Where the mailbox should move it: "archive" or "quarantine" (an ignored
  // duplicate goes where its first reading went).
  std::string folder;
};

// The emitter of a sender's address by the fund's table (nullopt: none).
using EmitterGuess =
    std::function<std::optional<std::string>(std::string_view organisme, std::string_view address)>;

class MailIntake {
 public:
  MailIntake(Store& store, const Clock& clock, const DocumentFiles& files,
             EmitterGuess guess = {});

  // Takes one raw message in for `organisme`, in one transaction. `source`:
  // "imap", "import" or "upload". An error only when the store or the disk
  // fails (nothing was written: the message stays to be read again).
  Result<IntakeOutcome> TakeIn(std::string_view organisme, std::string_view raw,
                               std::string_view source);
  // The same, for a person who hands a saved message in (an .eml dropped on
  // the registration page): a mediator, manager or administrator who sees
  // the fund (kInvalid "case.organisme_unknown" on field "organisme"
  // otherwise; statistics readers kForbidden).
  Result<IntakeOutcome> TakeIn(const Caller& who, std::string_view organisme,
                               std::string_view raw, std::string_view source);

  // The quarantine (funds the caller sees), newest first.
  Result<std::vector<ReceivedMessageRow>> Quarantine(const Caller& who, int limit);
  // Reads a quarantined message again by the rules (a case it names may
  // exist now); it stays quarantined when the rules still say so.
  Result<IntakeOutcome> Retry(const Caller& who, int64_t id);
  // Makes a new case of a quarantined message, whatever the rules say (no
  // acknowledgement for an automatic message).
  Result<IntakeOutcome> CreateCase(const Caller& who, int64_t id);
  // Leaves a quarantined message aside, with a reason (required).
  Status Discard(const Caller& who, int64_t id, std::string_view reason);
  // The messages that joined closed cases, and marking one seen.
  Result<std::vector<ReceivedMessageRow>> Flagged(const Caller& who, int limit);
  Status MarkSeen(const Caller& who, int64_t id);

 private:
  struct Routed;
  Result<IntakeOutcome> Route(std::string_view organisme, std::string_view raw,
                              std::string_view source, ReceivedMessageRow* existing,
                              bool force_case);
  Status CheckQuarantineRole(const Caller& who);

  Store& store_;
  const Clock& clock_;
  const DocumentFiles& files_;
  EmitterGuess guess_;
};

// The one JSON line `mail fetch --json` and `mail import --json` print:
// {"message_id","outcome","reference","reason"} (reference and reason null
// when empty).
std::string OutcomeJson(const IntakeOutcome& o);

// The case references ("631-2025-00012") that `text` names, in order.
std::vector<std::string> FindCaseReferences(std::string_view text);

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_MAIL_INTAKE_H_
