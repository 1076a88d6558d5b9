// Sends the outbox: claims the due rows (store/workspace_store.h), sends each
// by SMTP under its stored Message-ID, marks it sent only once the server
// accepted it, else schedules a retry with exponential backoff, or gives up
// (state failed, with the server's reply) after max_attempts or on a
// permanent (5xx) reply.
//
// At least once: a crash between the server's acceptance and MarkOutboxSent
// leaves the row claimed; when its lease ends it is sent again under the same
// Message-ID (the one message that was in flight). Several senders (threads,
// processes, app servers) share the outbox safely: a claimed row is theirs
// alone while its lease runs.
#ifndef AMIABLE_MAIL_SENDER_H_
#define AMIABLE_MAIL_SENDER_H_

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
#include "mail/mailer.h"
#include "store/workspace_store.h"

namespace amiable {
class Store;
}

namespace amiable::mail {

struct SenderOptions {
  std::string from;  // "address" or "Name <address>": header From and envelope sender
  int max_attempts = 8;
  std::chrono::seconds first_retry{60};  // then doubled at each failure
  std::chrono::seconds max_retry{std::chrono::hours(6)};
  std::chrono::seconds lease{300};  // longer than one SMTP send can take
  int batch = 50;
};

struct SendOutcome {
  int64_t id = 0;
  std::string message_id;
  std::string case_reference;
  std::string outcome;  // "sent", "retry" or "failed"
  int attempts = 0;
  std::string error;            // the reply, unless sent
  std::string next_attempt_at;  // retry only
};

// The delay before attempt `attempts` + 1 after `attempts` failed ones.
std::chrono::seconds RetryDelay(const SenderOptions& o, int attempts);

// One pass: sends every row due now (in batches) and returns what happened
// to each. An error only when the store fails (rows claimed then stay
// claimed until their lease ends).
Result<std::vector<SendOutcome>> SendDue(WorkspaceStore& store, Mailer& mailer,
                                         const Clock& clock, const SenderOptions& o);

// The sender of `amiable serve`: a thread running SendDue every `interval`
// (and at once after Nudge), with its own Store opened from `db_url`; logs
// one logfmt line per message on stderr. Stops (after the pass in flight)
// when destroyed.
class SenderWorker {
 public:
  SenderWorker(std::string db_url, std::unique_ptr<Mailer> mailer, const Clock& clock,
               SenderOptions options, std::chrono::milliseconds interval);
  ~SenderWorker();
  void Nudge();

 private:
  void Run();

  std::string db_url_;
  std::unique_ptr<Mailer> mailer_;
  const Clock& clock_;
  SenderOptions options_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool nudged_ = false;
  std::thread thread_;
};

// One logfmt line about an outcome, as the worker and `mail send` log it.
std::string OutcomeLogLine(const SendOutcome& o);

}  // namespace amiable::mail

#endif  // AMIABLE_MAIL_SENDER_H_
