#include "service/thread.h"

#include <algorithm>

namespace amiable::service {

namespace {

std::string KindOf(const std::string& outbox_kind) {
  if (outbox_kind.rfind("letter", 0) == 0) return "letter";
  if (outbox_kind == "internal_request") return "internal_request";
  return "message";
}

}  // namespace

std::vector<ThreadEntry> BuildThread(const std::vector<OutboxMessage>& outbox,
                                     const std::vector<ReceivedMessageRow>& received,
                                     const std::vector<LetterRecord>& letters,
                                     const std::vector<DocumentMeta>& documents) {
  std::vector<ThreadEntry> out;
  for (const ReceivedMessageRow& r : received) {
    ThreadEntry e;
    e.direction = "in";
    e.kind = r.reason == "intake.internal_answer" ? "internal_request" : "message";
    e.at = r.received_at;
    e.subject = r.subject;
    e.from_name = r.from_name;
    e.from_address = r.from_address;
    e.body_text = r.body_text;
    e.message_id = r.message_id;
    e.automatic = r.automatic;
    e.flagged = r.flagged;
    e.received_id = r.id;
    // The first linked document is the original message (.eml).
    for (size_t i = 0; i < r.documents.size(); ++i) {
      if (i == 0 && r.documents[i].content_type == "message/rfc822" &&
          r.documents[i].storage_key == (r.document_keys.empty() ? "" : r.document_keys[0])) {
        e.eml_document_id = r.documents[i].id;
        continue;
      }
      e.attachments.push_back(r.documents[i]);
    }
    out.push_back(std::move(e));
  }
  for (const LetterRecord& l : letters) {
    if (l.outbox_id || l.mode != "courrier") continue;  // by email: an outbox row
    ThreadEntry e;
    e.direction = "out";
    e.kind = "letter";
    e.at = l.created_at;
    e.subject = l.subject;
    e.to = "courrier postal";
    e.body_text = l.body_text;
    e.state = "sent";
    if (l.document_id) {
      for (const DocumentMeta& d : documents) {
        if (d.id == *l.document_id) e.attachments.push_back(d);
      }
    }
    out.push_back(std::move(e));
  }
  for (const OutboxMessage& m : outbox) {
    ThreadEntry e;
    e.direction = "out";
    e.kind = KindOf(m.kind);
    e.at = m.sent_at.empty() ? m.created_at : m.sent_at;
    e.subject = m.subject;
    e.to = m.recipient;
    e.body_text = m.body;
    e.state = m.state;
    e.error = m.last_error;
    e.attempts = m.attempts;
    e.message_id = m.message_id;
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const ThreadEntry& a, const ThreadEntry& b) {
    return a.at < b.at;
  });
  return out;
}

}  // namespace amiable::service
