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
#include <map>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "calendar/clock.h"
#include "core/error.h"
#include "mail/mailer.h"
#include "store/mail_settings.h"
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

// The relay of each fund (store/mail_settings.h SmtpFundSettings): a row of
// a fund with settings goes through that fund's Mailer, From and Reply-To,
// its signature appended to the body after a "-- " line; a row of a fund
// without settings (or of no fund) through the default mailer and
// SenderOptions::from. One Mailer per fund is kept, built (and its password
// read, mail/secrets.h) when first needed and rebuilt when the fund's
// settings change (they are re-read at each For).
struct FundRoute {
  Mailer* mailer = nullptr;
  std::string from;
  std::string reply_to;
  std::string signature;
};
using MailerFactory = std::function<std::unique_ptr<Mailer>(SmtpSettings)>;
class FundMailers {
 public:
  explicit FundMailers(MailSettingsStore& settings, MailerFactory factory = NewCurlMailer);
  // nullopt: the fund has no settings (use the default). An error when the
  // settings cannot be read or their password is unavailable.
  Result<std::optional<FundRoute>> For(std::string_view organisme);

 private:
  struct Entry {
    SmtpFundSettings settings;
    std::unique_ptr<Mailer> mailer;
  };
  MailSettingsStore& settings_;
  MailerFactory factory_;
  std::map<std::string, Entry, std::less<>> cache_;
};

// The delay before attempt `attempts` + 1 after `attempts` failed ones.
std::chrono::seconds RetryDelay(const SenderOptions& o, int attempts);

// One pass: sends every row due now (in batches) and returns what happened
// to each. An error only when the store fails (rows claimed then stay
// claimed until their lease ends).
Result<std::vector<SendOutcome>> SendDue(WorkspaceStore& store, Mailer& mailer,
                                         const Clock& clock, const SenderOptions& o);
// The same, each row through its fund's relay when `funds` has one for it.
Result<std::vector<SendOutcome>> SendDue(WorkspaceStore& store, Mailer& mailer,
                                         const Clock& clock, const SenderOptions& o,
                                         FundMailers* funds);

// The sender of `amiable serve`: a thread running SendDue every `interval`
// (and at once after Nudge), with its own Store opened from `db_url`, each
// row through its fund's relay when the fund has SMTP settings (FundMailers
// over that store, Mailers built by `factory`), else through `mailer`; logs
// one logfmt line per message on stderr. Stops (after the pass in flight)
// when destroyed.
class SenderWorker {
 public:
  SenderWorker(std::string db_url, std::unique_ptr<Mailer> mailer, const Clock& clock,
               SenderOptions options, std::chrono::milliseconds interval,
               MailerFactory factory = NewCurlMailer);
  ~SenderWorker();
  void Nudge();

 private:
  void Run();

  std::string db_url_;
  std::unique_ptr<Mailer> mailer_;
  const Clock& clock_;
  SenderOptions options_;
  std::chrono::milliseconds interval_;
  MailerFactory factory_;
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
