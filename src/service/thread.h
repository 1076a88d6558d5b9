// The conversation of a case (issue 8, items 4 and 6): the messages
// received, the messages and letters sent with their state, the internal
// requests and their answers, in the order they happened. Built from the
// outbox rows and the received messages of the case; the API's `thread[]`
// and the case page's « Correspondance » show it.
#ifndef AMIABLE_SERVICE_THREAD_H_
#define AMIABLE_SERVICE_THREAD_H_

#include <string>
#include <vector>

#include "core/case.h"
#include "store/case_store.h"
#include "store/letters_store.h"
#include "store/received_store.h"

namespace amiable::service {

struct ThreadEntry {
  std::string direction;  // "in" or "out"
  std::string kind;       // "message", "letter" or "internal_request"
  std::string at;         // ISO UTC: sent (or queued) for out, taken in for in
  std::string subject;
  std::string from_name;
  std::string from_address;
  std::string to;  // out only ("courrier postal" for a letter by post)
  std::string body_text;
  std::vector<DocumentMeta> attachments;  // in: the files that came with it (not the .eml)
  int64_t eml_document_id = 0;            // in: the original message, as a document
  std::string state;  // out: "queued", "sent" or "failed"; in: ""
  std::string error;  // out: the server's last reply
  int attempts = 0;
  std::string message_id;
  std::string automatic;  // in: "", "auto_reply", "delivery_report", "loop"
  bool flagged = false;   // in: joined a closed case, not yet seen
  int64_t received_id = 0;
};

// Oldest first; at the same instant (to the second) a message received comes
// before what it caused (its acknowledgement).
// An outbox kind "letter:*" is a letter, "internal_request" an internal
// request; an incoming message answering an internal request is of kind
// internal_request.
// Letters produced for post (mode courrier) are outgoing entries of kind
// letter, state "sent", with their PDF (found in `documents`) attached;
// letters sent by email are already outbox rows.
std::vector<ThreadEntry> BuildThread(const std::vector<OutboxMessage>& outbox,
                                     const std::vector<ReceivedMessageRow>& received,
                                     const std::vector<LetterRecord>& letters = {},
                                     const std::vector<DocumentMeta>& documents = {});

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_THREAD_H_
