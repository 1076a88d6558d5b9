#include "mail/sender.h"

#include <cstdio>

#include "mail/message.h"
#include "store/store.h"

namespace amiable::mail {

std::chrono::seconds RetryDelay(const SenderOptions& o, int attempts) {
  std::chrono::seconds d = o.first_retry;
  for (int i = 1; i < attempts && d < o.max_retry; ++i) d *= 2;
  return std::min(d, o.max_retry);
}

Result<std::vector<SendOutcome>> SendDue(WorkspaceStore& store, Mailer& mailer,
                                         const Clock& clock, const SenderOptions& o) {
  std::vector<SendOutcome> out;
  const std::string envelope_from = AddressOf(o.from);
  // Batches until none is due; bounded, so that a pass ends.
  for (int round = 0; round < 1000; ++round) {
    const Instant now = clock.Now();
    auto claimed = store.ClaimOutbox(IsoTimestamp(now), IsoTimestamp(now + o.lease), o.batch);
    if (!claimed) return Fail(claimed.error());
    for (const OutboxMessage& m : *claimed) {
      OutgoingMail mail;
      mail.from = o.from;
      mail.to = m.recipient;
      mail.subject = m.subject;
      mail.body = m.body;
      mail.message_id = m.message_id;
      mail.date = clock.Now();
      mail.automatic = m.kind == "acknowledgement";
      const SendResult r = mailer.Send(envelope_from, m.recipient, BuildMessage(mail));
      SendOutcome so{m.id, m.message_id, m.case_reference, "sent", m.attempts, "", ""};
      if (r.ok) {
        if (auto s = store.MarkOutboxSent(m.id, IsoTimestamp(clock.Now())); !s) {
          return Fail(s.error());
        }
      } else {
        so.error = r.reply;
        const bool give_up = r.permanent() || m.attempts >= o.max_attempts;
        so.outcome = give_up ? "failed" : "retry";
        if (!give_up) so.next_attempt_at = IsoTimestamp(clock.Now() + RetryDelay(o, m.attempts));
        if (auto s = store.MarkOutboxFailed(m.id, r.reply, so.next_attempt_at, give_up); !s) {
          return Fail(s.error());
        }
      }
      out.push_back(std::move(so));
    }
    if (static_cast<int>(claimed->size()) < o.batch) break;
  }
  return out;
}

std::string OutcomeLogLine(const SendOutcome& o) {
  std::string line = "mail outbox=" + std::to_string(o.id) + " outcome=" + o.outcome +
                     " attempts=" + std::to_string(o.attempts) + " message_id=" + o.message_id;
  if (!o.case_reference.empty()) line += " reference=" + o.case_reference;
  if (!o.error.empty()) {
    std::string e;
    for (char c : o.error) e += (c == '"' || c == '\\') ? '\'' : (c == '\n' ? ' ' : c);
    line += " error=\"" + e + "\"";
  }
  if (!o.next_attempt_at.empty()) line += " next_attempt_at=" + o.next_attempt_at;
  return line;
}

SenderWorker::SenderWorker(std::string db_url, std::unique_ptr<Mailer> mailer, const Clock& clock,
                           SenderOptions options, std::chrono::milliseconds interval)
    : db_url_(std::move(db_url)),
      mailer_(std::move(mailer)),
      clock_(clock),
      options_(std::move(options)),
      interval_(interval),
      thread_([this] { Run(); }) {}

SenderWorker::~SenderWorker() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void SenderWorker::Nudge() {
  {
    std::lock_guard<std::mutex> l(mu_);
    nudged_ = true;
  }
  cv_.notify_all();
}

void SenderWorker::Run() {
  std::unique_ptr<Store> store;
  std::string last_error;
  for (;;) {
    {
      std::unique_lock<std::mutex> l(mu_);
      if (stop_) return;
    }
    if (!store) {
      auto s = Store::Open(db_url_);
      if (s) {
        store = std::move(*s);
      } else if (ToString(s.error()) != last_error) {
        last_error = ToString(s.error());
        std::fprintf(stderr, "mail error=\"cannot open the store: %s\"\n", last_error.c_str());
      }
    }
    if (store) {
      auto r = SendDue(*store, *mailer_, clock_, options_);
      if (r) {
        for (const SendOutcome& o : *r) std::fprintf(stderr, "%s\n", OutcomeLogLine(o).c_str());
        last_error.clear();
      } else {
        if (ToString(r.error()) != last_error) {
          last_error = ToString(r.error());
          std::fprintf(stderr, "mail error=\"outbox: %s\"\n", last_error.c_str());
        }
        store.reset();  // reopened next pass (the database may have restarted)
      }
    }
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait_for(l, interval_, [this] { return stop_ || nudged_; });
    nudged_ = false;
    if (stop_) return;
  }
}

}  // namespace amiable::mail
