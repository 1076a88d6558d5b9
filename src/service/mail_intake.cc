#include "service/mail_intake.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <regex>

#include "calendar/calendar.h"
#include "core/messages.h"
#include "core/text.h"
#include "mail/parse.h"
#include "service/acknowledgement.h"
#include "service/internal.h"
#include "service/internal_requests.h"
#include "store/store.h"

namespace amiable::service {

namespace {

constexpr size_t kMaxDescriptionBytes = 20000;
// A message's Date within this many days before its reading gives the
// case's reception day; older or in the future, the day it is read.
constexpr int kDateHeaderTrustDays = 7;
// Larger messages are not parsed (GMime's time grows with size and nesting):
// they go to the quarantine, kept whole.
constexpr size_t kMaxMessageBytes = 40u << 20;

// The longest prefix of `s` of at most `n` bytes that ends on a UTF-8
// character boundary.
std::string CutUtf8(std::string_view s, size_t n) {
  if (s.size() <= n) return std::string(s);
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

const char* AutomaticCode(mail::Automatic a) {
  switch (a) {
    case mail::Automatic::kNo: return "";
    case mail::Automatic::kAutoReply: return "auto_reply";
    case mail::Automatic::kDeliveryReport: return "delivery_report";
    case mail::Automatic::kLoop: return "loop";
  }
  return "";
}

bool PlausibleAddress(std::string_view a) {
  const size_t at = a.find('@');
  return at != std::string_view::npos && at > 0 && a.find('.', at) != std::string_view::npos &&
         a.find_first_of(" \t\r\n<>\",;") == std::string_view::npos && a.size() <= 254;
}

// A system caller that sees only the fund of the mailbox (least privilege).
Caller MailCaller(std::string_view organisme) {
  Caller c = Caller::System("courriel");
  c.actor.all_funds = false;
  c.actor.organismes = {std::string(organisme)};
  return c;
}

std::string EmlName(const mail::ReceivedMessage* m) {
  std::string base = m && !m->subject.empty() ? m->subject : "message";
  std::string clean;
  for (char ch : base) {
    if (ch == '/' || ch == '\\' || ch == '"' || static_cast<unsigned char>(ch) < 0x20) continue;
    clean += ch;
  }
  const std::string t = Trim(clean);
  return CutUtf8(t.empty() ? "message" : t, 80) + ".eml";
}

}  // namespace

// What the rules decided for one message, before anything is written.
struct MailIntake::Routed {
  std::string outcome;  // case, thread, quarantine
  std::string reference;
  std::string reason;
  std::string detail;
  std::optional<OutboxMessage> bounced;  // an outgoing message that failed
  std::optional<OutboxMessage> answered;  // an internal request it answers
  bool closed_case = false;
};

MailIntake::MailIntake(Store& store, const Clock& clock, const DocumentFiles& files,
                       EmitterGuess guess)
    : store_(store), clock_(clock), files_(files), guess_(std::move(guess)) {}

std::vector<std::string> FindCaseReferences(std::string_view text) {
  static const std::regex kRef(R"((^|[^0-9A-Za-z-])([0-9][0-9AB][0-9]-(19|20|21)[0-9]{2}-[0-9]{5})(?![0-9]))");
  std::vector<std::string> out;
  const std::string s(text.substr(0, 200000));
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kRef); it != std::sregex_iterator();
       ++it) {
    std::string r = (*it)[2].str();
    if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(std::move(r));
  }
  return out;
}

std::string OutcomeJson(const IntakeOutcome& o) {
  nlohmann::ordered_json j;
  j["message_id"] = o.message_id;
  j["outcome"] = o.outcome;
  j["reference"] = o.reference.empty() ? nlohmann::ordered_json(nullptr)
                                       : nlohmann::ordered_json(o.reference);
  j["reason"] = o.reason.empty() ? nlohmann::ordered_json(nullptr)
                                 : nlohmann::ordered_json(o.reason);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<IntakeOutcome> MailIntake::TakeIn(std::string_view organisme, std::string_view raw,
                                         std::string_view source) {
  return Route(organisme, raw, source, nullptr, false);
}

Result<IntakeOutcome> MailIntake::TakeIn(const Caller& who, std::string_view organisme,
                                         std::string_view raw, std::string_view source) {
  if (auto s = CheckQuarantineRole(who); !s) return Fail(s.error());
  if (!who.actor.CanSee(organisme)) {
    return Fail(msg::Invalid("case.organisme_unknown", "organisme", {organisme}));
  }
  return TakeIn(organisme, raw, source);
}

Result<IntakeOutcome> MailIntake::Route(std::string_view organisme, std::string_view raw,
                                        std::string_view source, ReceivedMessageRow* existing,
                                        bool force_case) {
  const Caller who = MailCaller(organisme);
  auto fund = store_.GetOrganisme(organisme);
  if (!fund) return Fail(msg::Invalid("case.organisme_unknown", "organisme", {organisme}));
  const Zone zone = ZoneFromCode(fund->zone).value_or(Zone::kMetropole);

  const std::string sha = files_.Sha256Hex(raw);
  auto parsed = raw.size() > kMaxMessageBytes
                    ? Result<mail::ReceivedMessage>(Fail(msg::Invalid(
                          "intake.too_large", "", {std::to_string(raw.size() >> 20)})))
                    : mail::ParseMessage(raw);
  const mail::ReceivedMessage* m = parsed ? &*parsed : nullptr;
  IntakeOutcome out;
  out.message_id = m ? m->message_id : "";

  if (!existing) {
    auto seen = store_.FindReceived(organisme, out.message_id, sha);
    if (!seen) return Fail(seen.error());
    if (*seen) {
      out.row_id = (*seen)->id;
      out.outcome = "ignored";
      out.reason = "intake.duplicate";
      out.reason_text = msg::Format(out.reason);
      out.reference = (*seen)->case_reference;
      out.folder = (*seen)->outcome == "quarantine" ? "quarantine" : "archive";
      return out;
    }
  }

  // A copy of a message amiable sent (its own Message-ID: a loop through
  // the mailbox, a Bcc to itself): recorded, nothing else.
  if (m && !m->message_id.empty() && !existing) {
    auto own = store_.OutboxByMessageId(m->message_id);
    if (!own) return Fail(own.error());
    if (*own) {
      ReceivedMessageRow row;
      row.organisme = std::string(organisme);
      row.message_id = m->message_id;
      row.sha256 = sha;
      row.outcome = "ignored";
      row.reason = "intake.own_message";
      row.subject = CutUtf8(m->subject, 2000);
      row.from_address = CutUtf8(m->from.address, 500);
      row.automatic = AutomaticCode(m->automatic);
      row.source = std::string(source);
      row.raw_size = static_cast<int64_t>(raw.size());
      auto id = store_.InsertReceived(who.actor, row);
      if (!id) {
        if (id.error().message_id == "intake.duplicate") return Route(organisme, raw, source, nullptr, false);
        return Fail(id.error());
      }
      out.row_id = *id;
      out.outcome = "ignored";
      out.reason = row.reason;
      out.reason_text = msg::Format(row.reason);
      out.reference = (*own)->case_reference;
      out.folder = "archive";
      return out;
    }
  }

  // ---- The rules (reads only) ----
  Routed r;
  CaseService cases(store_, clock_, &files_);
  auto join = [&](const std::string& reference, const char* reason) -> Result<bool> {
    auto c = cases.GetCase(who, reference);
    if (!c) {
      if (c.error().code == Error::Code::kNotFound) return false;
      return Fail(c.error());
    }
    r.outcome = "thread";
    r.reference = reference;
    r.reason = reason;
    r.closed_case = c->state == CaseState::kClosed || c->state == CaseState::kInadmissible;
    return true;
  };
  if (!m) {
    r.outcome = "quarantine";
    r.reason = parsed.error().message_id == "intake.too_large" ? "intake.too_large"
                                                                : "intake.unreadable";
    r.detail = parsed.error().message;
  } else {
    std::vector<std::string> ids = m->refers_to;
    ids.insert(ids.end(), m->reported_message_ids.begin(), m->reported_message_ids.end());
    for (const std::string& id : ids) {
      if (!r.outcome.empty()) break;
      auto sent = store_.OutboxByMessageId(id);
      if (!sent) return Fail(sent.error());
      if (*sent && !(*sent)->case_reference.empty()) {
        auto j = join((*sent)->case_reference, "intake.reply_to_sent");
        if (!j) return Fail(j.error());
        if (*j && m->automatic == mail::Automatic::kDeliveryReport && m->delivery_failed) {
          r.bounced = **sent;
        } else if (*j && m->automatic == mail::Automatic::kNo &&
                   (*sent)->kind == "internal_request") {
          r.answered = **sent;
          r.reason = "intake.internal_answer";
        }
        continue;
      }
      auto known = store_.CaseOfReceived(organisme, id);
      if (!known) return Fail(known.error());
      if (*known) {
        auto j = join(**known, "intake.reply_in_thread");
        if (!j) return Fail(j.error());
      }
    }
    if (r.outcome.empty() && m->automatic == mail::Automatic::kNo) {
      std::vector<std::string> refs = FindCaseReferences(m->subject);
      for (const std::string& ref : FindCaseReferences(m->body_text)) refs.push_back(ref);
      for (const std::string& ref : refs) {
        auto j = join(ref, "intake.reference_named");
        if (!j) return Fail(j.error());
        if (*j) break;
      }
    }
    if (r.outcome.empty()) {
      if (m->automatic != mail::Automatic::kNo && !force_case) {
        r.outcome = "quarantine";
        r.reason = "intake.automatic_unattached";
      } else {
        r.outcome = "case";
      }
    }
  }
  if (force_case) {
    r.outcome = "case";
    r.reason = "intake.case_by_hand";
  }

  // ---- Files, durably, before the transaction ----
  std::vector<std::string> saved;
  auto cleanup = [&] {
    for (const std::string& k : saved) files_.Remove(k);
  };
  std::string raw_key;
  if (existing) {
    raw_key = existing->raw_key;
  } else {
    auto k = files_.Save(raw);
    if (!k) return Fail(msg::Make(Error::Code::kInternal, "document.store_failed", "file"));
    raw_key = *k;
    saved.push_back(raw_key);
  }
  std::vector<DocumentMeta> docs;
  const std::string now = IsoTimestamp(clock_.Now());
  if (r.outcome != "quarantine") {
    DocumentMeta eml;
    eml.file_name = EmlName(m);
    eml.content_type = "message/rfc822";
    eml.size_bytes = static_cast<int64_t>(raw.size());
    eml.storage_key = raw_key;
    eml.sha256 = sha;
    eml.uploaded_by = who.name();
    eml.uploaded_at = now;
    if (existing) {
      // The stored raw file becomes a document of the case: a copy, so that
      // each storage key has one row.
      auto k = files_.Save(raw);
      if (!k) return Fail(msg::Make(Error::Code::kInternal, "document.store_failed", "file"));
      saved.push_back(*k);
      eml.storage_key = *k;
    }
    docs.push_back(eml);
    if (m) {
      for (const mail::ReceivedAttachment& a : m->attachments) {
        if (a.bytes.empty()) continue;
        auto k = files_.Save(a.bytes);
        if (!k) {
          cleanup();
          return Fail(msg::Make(Error::Code::kInternal, "document.store_failed", "file"));
        }
        saved.push_back(*k);
        DocumentMeta d;
        d.file_name = a.name;
        d.content_type = a.content_type;
        d.size_bytes = static_cast<int64_t>(a.bytes.size());
        d.storage_key = *k;
        d.sha256 = files_.Sha256Hex(a.bytes);
        d.uploaded_by = who.name();
        d.uploaded_at = now;
        docs.push_back(std::move(d));
      }
    }
  }

  ReceivedMessageRow row = existing ? *existing : ReceivedMessageRow{};
  row.organisme = std::string(organisme);
  row.message_id = out.message_id;
  row.sha256 = sha;
  row.outcome = r.outcome;
  row.reason = r.reason;
  row.reason_detail = r.detail;
  if (m) {
    row.subject = CutUtf8(m->subject, 2000);
    row.from_name = CutUtf8(m->from.name, 500);
    row.from_address = CutUtf8(m->from.address, 500);
    row.body_text = CutUtf8(m->body_text, 200000);
    row.sent_at = m->date ? IsoTimestamp(*m->date) : "";
    row.automatic = AutomaticCode(m->automatic);
  }
  if (!existing) {
    row.source = std::string(source);
    row.raw_key = raw_key;
    row.raw_size = static_cast<int64_t>(raw.size());
  }
  row.quarantine_state = r.outcome == "quarantine" ? "open"
                         : !existing                 ? ""
                         : force_case                ? "case_created"
                                                     : "retried";
  row.flagged = r.closed_case;
  for (const DocumentMeta& d : docs) row.document_keys.push_back(d.storage_key);

  // ---- One transaction ----
  Status s = store_.InTransaction([&]() -> Status {
    if (r.outcome == "case") {
      Registration reg;
      reg.via = "courriel";
      reg.c.organisme = std::string(organisme);
      reg.c.channel = "courriel";
      const Date today = TodayIn(clock_, zone);
      reg.c.received_on = today;
      if (m && m->date) {
        const Date sent = LocalDate(*m->date, zone);
        if (sent <= today && (today - sent) <= kDateHeaderTrustDays) {
          reg.c.received_on = sent;
        }
      }
      std::optional<std::string> emitter;
      if (m && guess_ && PlausibleAddress(m->from.address)) emitter = guess_(organisme, m->from.address);
      reg.c.emitter = emitter.value_or("allocataire");
      std::string description = m ? m->subject : "";
      if (m && !m->body_text.empty()) description += (description.empty() ? "" : "\n\n") + m->body_text;
      if (description.empty()) description = msg::Format("intake.no_text");
      reg.c.description = CutUtf8(description, kMaxDescriptionBytes);
      if (m && (!m->from.address.empty() || !m->from.name.empty())) {
        Person p;
        p.role = reg.c.emitter == "allocataire" ? PersonRole::kBeneficiary : PersonRole::kEmitter;
        const std::string name = Trim(m->from.name);
        p.name = CutUtf8(name.empty() ? m->from.address : name, 200);
        if (PlausibleAddress(m->from.address)) p.email = m->from.address;
        if (!ValidatePerson(p)) p.email.clear();
        if (ValidatePerson(p)) reg.people.push_back(std::move(p));
      }
      reg.documents = docs;
      if (m && m->automatic == mail::Automatic::kNo && PlausibleAddress(m->from.address)) {
        reg.acknowledgement = AcknowledgementMessage(m->from.address, reg.c.received_on);
        reg.acknowledgement->in_reply_to = m->message_id;
      }
      auto ref = cases.Register(who, std::move(reg));
      if (!ref) return Fail(ref.error());
      row.case_reference = *ref;
    } else if (r.outcome == "thread") {
      row.case_reference = r.reference;
      for (const DocumentMeta& d : docs) {
        if (auto st = store_.AddDocument(who.actor, r.reference, d); !st) return st;
      }
      if (r.answered) {
        // The service's answer: the request is answered the day it arrived.
        auto req = store_.InternalRequestByOutboxMessageId(r.answered->message_id);
        if (!req) return Fail(req.error());
        if (*req) {
          const Date today = TodayIn(clock_, zone);
          auto a = InternalRequestService(store_, clock_)
                       .RecordAnswer(who, (*req)->first, (*req)->second, today, out.message_id);
          // Already answered (another reply): the message still joins the thread.
          if (!a && a.error().code != Error::Code::kConflict) return Fail(a.error());
        }
      }
      if (r.bounced && r.bounced->state != "failed") {
        std::string why = m && !m->diagnostic.empty() ? m->diagnostic : msg::Format("intake.bounced");
        if (auto st = store_.MarkOutboxBounced(r.bounced->id, why); !st) return st;
      }
    }
    if (existing) {
      row.handled_reason = existing->handled_reason;
      return store_.UpdateReceived(who.actor, row);
    }
    auto id = store_.InsertReceived(who.actor, row);
    if (!id) return Fail(id.error());
    return {};
  });
  if (!s) {
    cleanup();
    if (s.error().message_id == "intake.duplicate") {
      // Another reader took it in meanwhile.
      return Route(organisme, raw, source, nullptr, false);
    }
    return Fail(s.error());
  }
  out.row_id = row.id;
  out.outcome = r.outcome;
  out.reference = row.case_reference;
  out.reason = r.reason;
  out.reason_text = r.reason.empty() ? "" : msg::Format(r.reason);
  out.folder = r.outcome == "quarantine" ? "quarantine" : "archive";
  return out;
}

Status MailIntake::CheckQuarantineRole(const Caller& who) {
  if (who.system) return {};
  switch (who.role()) {
    case Role::kMediator:
    case Role::kManager:
    case Role::kAdministrator: return {};
    default: return Fail(msg::Forbidden("role.no_case_access"));
  }
}

Result<std::vector<ReceivedMessageRow>> MailIntake::Quarantine(const Caller& who, int limit) {
  if (auto s = CheckQuarantineRole(who); !s) return Fail(s.error());
  return store_.QuarantinedMessages(who.actor, limit);
}

Result<IntakeOutcome> MailIntake::Retry(const Caller& who, int64_t id) {
  if (auto s = CheckQuarantineRole(who); !s) return Fail(s.error());
  auto row = store_.GetReceived(who.actor, id);
  if (!row) return Fail(row.error());
  if (row->quarantine_state != "open") return Fail(msg::Conflict("intake.not_quarantined"));
  auto raw = files_.Read(row->raw_key);
  if (!raw) return Fail(raw.error());
  ReceivedMessageRow r = *row;
  r.handled_reason = "retry";
  auto out = Route(row->organisme, *raw, row->source, &r, false);
  if (out && out->outcome != "quarantine") {
    // Moved out of the quarantine: say so on the row.
    ReceivedMessageRow done = r;
    auto again = store_.GetReceived(who.actor, id);
    if (again) {
      done = *again;
      done.quarantine_state = "retried";
      done.handled_reason = "retry";
      if (auto s = store_.UpdateReceived(who.actor, done); !s) return Fail(s.error());
    }
  }
  return out;
}

Result<IntakeOutcome> MailIntake::CreateCase(const Caller& who, int64_t id) {
  if (auto s = CheckQuarantineRole(who); !s) return Fail(s.error());
  auto row = store_.GetReceived(who.actor, id);
  if (!row) return Fail(row.error());
  if (row->quarantine_state != "open") return Fail(msg::Conflict("intake.not_quarantined"));
  auto raw = files_.Read(row->raw_key);
  if (!raw) return Fail(raw.error());
  ReceivedMessageRow r = *row;
  auto out = Route(row->organisme, *raw, row->source, &r, true);
  if (!out) return out;
  auto again = store_.GetReceived(who.actor, id);
  if (again) {
    ReceivedMessageRow done = *again;
    done.quarantine_state = "case_created";
    done.handled_reason = "case";
    if (auto s = store_.UpdateReceived(who.actor, done); !s) return Fail(s.error());
  }
  return out;
}

Status MailIntake::Discard(const Caller& who, int64_t id, std::string_view reason) {
  if (auto s = CheckQuarantineRole(who); !s) return s;
  if (Trim(reason).empty()) return Fail(msg::Invalid("intake.discard_reason", "reason"));
  auto row = store_.GetReceived(who.actor, id);
  if (!row) return Fail(row.error());
  if (row->quarantine_state != "open") return Fail(msg::Conflict("intake.not_quarantined"));
  ReceivedMessageRow r = *row;
  r.outcome = "ignored";
  r.quarantine_state = "discarded";
  r.handled_reason = CutUtf8(Trim(reason), 1000);
  return store_.UpdateReceived(who.actor, r);
}

Result<std::vector<ReceivedMessageRow>> MailIntake::Flagged(const Caller& who, int limit) {
  if (auto s = CheckQuarantineRole(who); !s) return Fail(s.error());
  return store_.FlaggedMessages(who.actor, limit);
}

Status MailIntake::MarkSeen(const Caller& who, int64_t id) {
  if (auto s = CheckQuarantineRole(who); !s) return s;
  return store_.ClearFlag(who.actor, id);
}

}  // namespace amiable::service
