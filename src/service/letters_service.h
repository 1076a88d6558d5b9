// The use cases of letters (issue 8, item 3): preview a letter of a case,
// send it by email (the outbox) or produce it for post (a PDF kept as a
// case document), edit the fund's templates and its orientation list.
// Pages, API and CLI call this; the rules are checked here:
//   - reading and sending need a case role (not a statistics reader:
//     kForbidden "role.no_case_access") and a case the caller sees
//     (kNotFound "case.not_found"); a letter may go out on a locked case
//     (closed or inadmissible): correspondence, like notes;
//   - templates and orientations are edited by the hierarchy of the fund
//     (a manager who sees it, an administrator: kForbidden
//     "role.manager_required"); a template must compile (kInvalid on
//     "subject" or "body", French message with line and column);
//   - sending: mode "courriel" needs the requester's email (kInvalid
//     "letter.no_email"); "courrier" needs the DocumentFiles. The outbox row
//     or the document, the letter row, its history row and, for `answer`,
//     the lifecycle event `answer` (the day of the action, the response
//     mode; only when the lifecycle allows it: a second answer letter is
//     recorded without a second event) or, for `inadmissibility`, the
//     orientation chosen from the fund's list (the case's orientation takes
//     the entry's label and orientation_code its code) are written in ONE
//     transaction: all or nothing.
//
// Thread safety: as its Store (one per request).
#ifndef AMIABLE_SERVICE_LETTERS_SERVICE_H_
#define AMIABLE_SERVICE_LETTERS_SERVICE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/clock.h"
#include "letters/templates.h"
#include "service/caller.h"
#include "service/case_service.h"
#include "store/store.h"

namespace amiable::service {

// What the mediator asks for.
struct LetterRequest {
  std::string kind;                    // a letter kind of letters::Kinds()
  std::optional<std::string> subject;  // edited subject (still a template)
  std::optional<std::string> body;     // edited body (still a template)
  std::string response;                // {{response}} (answer)
  // {{waiting_for}} (intermediate); empty: the reason of the case's last
  // put_on_hold.
  std::string waiting_for;
  std::string orientation_code;  // inadmissibility: an entry of the fund's list
  // A block (opening, closing, signature, letterhead, place) replaced by an
  // edited text for this rendering only (the templates page's preview).
  std::optional<std::pair<std::string, std::string>> block;
  // Sending by email in reply to a message received on the case: its
  // Message-ID ("<...>"), which the outbox row carries as In-Reply-To (and
  // References) so that mail clients thread the conversation. Must be a
  // message of the case's thread (kInvalid "letter.in_reply_to_unknown" on
  // "in_reply_to"); ignored for a letter produced for post.
  std::string in_reply_to;
};

struct LetterPreview {
  letters::Rendered letter;
  std::string text;  // the email text part
  std::string html;  // the email HTML part
  std::string pdf;   // the PDF letter ("" unless asked)
};

struct SentLetter {
  LetterRecord record;
  std::optional<OutboxMessage> outbox;   // mode courriel
  std::optional<DocumentMeta> document;  // mode courrier
  std::string pdf;                       // mode courrier: the file's bytes
};

// One kind of a fund's template set, for the editing page and the API.
struct TemplateEntry {
  std::string kind;
  std::string label;
  bool is_letter = true;
  bool overridden = false;  // the fund's own text (else the default)
  std::string subject;
  std::string body;
  std::string updated_by, updated_at;  // of the override
};

// The orientation list a fund starts with (until it saves its own).
std::vector<OrientationEntry> DefaultOrientations(std::string_view organisme);

// The letter kinds that a case's state calls for, most relevant first:
// received → acknowledgement; inadmissible → inadmissibility; taken in
// charge / in progress → admissibility; on hold → intermediate; answered and
// in progress → answer.
std::vector<std::string_view> SuggestedLetterKinds(const Case& c);

class LettersService {
 public:
  LettersService(Store& store, const Clock& clock, const DocumentFiles* files = nullptr)
      : store_(store), clock_(clock), files_(files) {}

  // ---- Templates and orientations of a fund ----
  // kInvalid "organisme" for a fund the caller does not see.
  Result<std::vector<TemplateEntry>> Templates(const Caller& who, std::string_view organisme);
  Status SaveTemplate(const Caller& who, std::string_view organisme, std::string_view kind,
                      std::string subject, std::string body);
  Status ResetTemplate(const Caller& who, std::string_view organisme, std::string_view kind);
  // The fund's list, or DefaultOrientations when it has saved none.
  Result<std::vector<OrientationEntry>> Orientations(const Caller& who, std::string_view organisme);
  Status SaveOrientation(const Caller& who, OrientationEntry e);
  Status RemoveOrientation(const Caller& who, std::string_view organisme, std::string_view code);

  // ---- Letters of a case ----
  // Renders without writing anything; with_pdf also lays out the PDF.
  Result<LetterPreview> Preview(const Caller& who, std::string_view reference,
                                const LetterRequest& r, bool with_pdf);
  // mode: "courriel" or "courrier" (kInvalid "letter.mode_unknown").
  Result<SentLetter> Send(const Caller& who, std::string_view reference, const LetterRequest& r,
                          std::string_view mode);
  Result<std::vector<LetterRecord>> CaseLetters(const Caller& who, std::string_view reference);

 private:
  Status CheckHierarchy(const Caller& who, std::string_view organisme);
  Result<letters::TemplateSet> SetOf(const Caller& who, std::string_view organisme);
  // The case, its data, the template set and the orientation chosen.
  struct Prepared {
    Case c;
    letters::LetterData data;
    letters::TemplateSet set;
    std::optional<OrientationEntry> orientation;
  };
  Result<Prepared> Prepare(const Caller& who, std::string_view reference, const LetterRequest& r);

  Store& store_;
  const Clock& clock_;
  const DocumentFiles* files_;
};

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_LETTERS_SERVICE_H_
