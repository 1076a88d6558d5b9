#include "mail/sender.h"

#include <cstdio>

#include "mail/message.h"
#include "mail/secrets.h"
#include "store/store.h"

namespace amiable::mail {

std::chrono::seconds RetryDelay(const SenderOptions& o, int attempts) {
  std::chrono::seconds d = o.first_retry;
  for (int i = 1; i < attempts && d < o.max_retry; ++i) d *= 2;
  return std::min(d, o.max_retry);
}

namespace {
bool SameSettings(const SmtpFundSettings& a, const SmtpFundSettings& b) {
  return a.smtp_url == b.smtp_url && a.user == b.user && a.password_file == b.password_file &&
         a.password_env == b.password_env && a.from == b.from && a.reply_to == b.reply_to &&
         a.signature == b.signature;
}

std::string WithSignature(const std::string& body, const std::string& signature) {
  if (signature.empty()) return body;
  std::string out = body;
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += "-- \n" + signature;
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\n': out += "<br>\n"; break;
      default: out += c;
    }
  }
  return out;
}
}  // namespace

FundMailers::FundMailers(MailSettingsStore& settings, MailerFactory factory)
    : settings_(settings), factory_(std::move(factory)) {}

Result<std::optional<FundRoute>> FundMailers::For(std::string_view organisme) {
  if (organisme.empty()) return std::optional<FundRoute>{};
  auto s = settings_.Smtp(organisme);
  if (!s) return Fail(s.error());
  if (!*s) {
    if (auto it = cache_.find(organisme); it != cache_.end()) cache_.erase(it);
    return std::optional<FundRoute>{};
  }
  auto it = cache_.find(organisme);
  if (it == cache_.end() || !SameSettings(it->second.settings, **s)) {
    SmtpSettings smtp;
    smtp.url = (*s)->smtp_url;
    smtp.user = (*s)->user;
    if (!smtp.user.empty()) {
      auto pw = ReadSecret((*s)->password_file, (*s)->password_env);
      if (!pw) return Fail(pw.error());
      smtp.password = std::move(*pw);
    }
    Entry e{**s, factory_(std::move(smtp))};
    it = cache_.insert_or_assign(std::string(organisme), std::move(e)).first;
  }
  const SmtpFundSettings& f = it->second.settings;
  return std::optional<FundRoute>(FundRoute{it->second.mailer.get(), f.from, f.reply_to, f.signature});
}

Result<std::vector<SendOutcome>> SendDue(WorkspaceStore& store, Mailer& mailer,
                                         const Clock& clock, const SenderOptions& o) {
  return SendDue(store, mailer, clock, o, nullptr);
}

Result<std::vector<SendOutcome>> SendDue(WorkspaceStore& store, Mailer& mailer,
                                         const Clock& clock, const SenderOptions& o,
                                         FundMailers* funds) {
  std::vector<SendOutcome> out;
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
      mail.body_html = m.body_html;
      mail.in_reply_to = m.in_reply_to;
      mail.message_id = m.message_id;
      mail.date = clock.Now();
      mail.automatic = m.kind == "acknowledgement";
      Mailer* via = &mailer;
      SendResult r;
      std::optional<FundRoute> route;
      if (funds != nullptr) {
        auto fr = funds->For(m.organisme);
        if (!fr) {
          // The fund's relay is configured but unusable (its password
          // missing): retried like a transport failure, never sent elsewhere.
          r.reply = fr.error().message;
          via = nullptr;
        } else {
          route = std::move(*fr);
        }
      }
      if (route) {
        via = route->mailer;
        mail.from = route->from;
        mail.reply_to = route->reply_to;
        mail.body = WithSignature(mail.body, route->signature);
        if (!mail.body_html.empty() && !route->signature.empty()) {
          mail.body_html += "\n<p>-- <br>\n" + HtmlEscape(route->signature) + "</p>\n";
        }
      }
      if (via != nullptr) r = via->Send(AddressOf(mail.from), m.recipient, BuildMessage(mail));
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
                           SenderOptions options, std::chrono::milliseconds interval,
                           MailerFactory factory)
    : db_url_(std::move(db_url)),
      mailer_(std::move(mailer)),
      clock_(clock),
      options_(std::move(options)),
      interval_(interval),
      factory_(std::move(factory)),
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
  std::unique_ptr<FundMailers> funds;
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
        funds = factory_ ? std::make_unique<FundMailers>(*store, factory_) : nullptr;
      } else if (ToString(s.error()) != last_error) {
        last_error = ToString(s.error());
        std::fprintf(stderr, "mail error=\"cannot open the store: %s\"\n", last_error.c_str());
      }
    }
    if (store) {
      auto r = SendDue(*store, *mailer_, clock_, options_, funds.get());
      if (r) {
        for (const SendOutcome& o : *r) std::fprintf(stderr, "%s\n", OutcomeLogLine(o).c_str());
        last_error.clear();
      } else {
        if (ToString(r.error()) != last_error) {
          last_error = ToString(r.error());
          std::fprintf(stderr, "mail error=\"outbox: %s\"\n", last_error.c_str());
        }
        funds.reset();
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
