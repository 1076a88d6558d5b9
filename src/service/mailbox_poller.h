// Reading a fund's mailbox (issue 8, item 1): one pass lists the inbox,
// fetches the messages in batches, takes each batch in (service/
// mail_intake.h) in one transaction, and only then moves the batch's
// messages to the archive folder (or the quarantine folder). A crash at any
// moment loses nothing (a message leaves the inbox only after its commit)
// and doubles nothing (a message read again is recognised by its Message-ID
// and SHA-256 and only moved).
//
// With several app servers, one poller per mailbox holds a lease in the
// database (store/received_store.h) and renews it between batches.
#ifndef AMIABLE_SERVICE_MAILBOX_POLLER_H_
#define AMIABLE_SERVICE_MAILBOX_POLLER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "calendar/clock.h"
#include "core/error.h"
#include "mail/imap.h"
#include "service/mail_intake.h"
#include "store/mail_settings.h"

namespace amiable {
class Store;
}

namespace amiable::service {

struct PollOptions {
  int batch = 100;                      // messages per transaction and per move
  std::chrono::seconds lease{120};      // renewed between batches
  std::string owner;                    // lease owner: "host:pid" by default
};

// Called after each message's outcome is committed and moved.
using OutcomeSink = std::function<void(const IntakeOutcome&)>;

// One pass over `box` with `imap` (connected to it). Takes the mailbox's
// lease first: kConflict "intake.mailbox_busy" when another poller holds it.
// The archive and quarantine folders are created when missing.
Result<int> FetchMailbox(Store& store, mail::ImapClient& imap, MailIntake& intake,
                         const MailboxSettings& box, const Clock& clock, const PollOptions& o,
                         const OutcomeSink& sink);

// Takes several raw messages in, in one transaction (a failure rolls the
// batch back and takes them in one by one, so that one bad message does not
// hold the others back). Outcomes in the order of `raws`; an error only
// when the store fails for a message taken alone.
Result<std::vector<IntakeOutcome>> TakeInBatch(Store& store, MailIntake& intake,
                                               std::string_view organisme,
                                               const std::vector<std::string>& raws,
                                               std::string_view source);

// Opens an IMAP connection for a mailbox (the real one reads the password
// from the file or the environment variable the settings name).
using ImapFactory =
    std::function<Result<std::unique_ptr<mail::ImapClient>>(const MailboxSettings&)>;

// The poller of `amiable serve`: a thread that, every `interval`, reads each
// enabled mailbox whose lease it gets, with its own Store opened from
// `db_url`; logs one logfmt line per message (no personal data: ids,
// outcome, reference) on stderr. Stops after the pass in flight when
// destroyed.
class MailboxPollerWorker {
 public:
  MailboxPollerWorker(std::string db_url, const Clock& clock, ImapFactory factory,
                      const DocumentFiles& files,
                      std::chrono::milliseconds interval, PollOptions options = {});
  ~MailboxPollerWorker();
  void Nudge();

 private:
  void Run();

  std::string db_url_;
  const Clock& clock_;
  ImapFactory factory_;
  const DocumentFiles& files_;
  std::chrono::milliseconds interval_;
  PollOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool nudged_ = false;
  std::thread thread_;
};

// "host:pid", the default lease owner.
std::string DefaultLeaseOwner();

// One logfmt line about an outcome (no subject, no address).
std::string IntakeLogLine(std::string_view organisme, const IntakeOutcome& o);

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_MAILBOX_POLLER_H_
