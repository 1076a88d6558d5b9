// The use cases of a case (issue 7, item 1): every write of the pages, the
// JSON API, the mail intake and the command line goes through here, and
// every rule is checked here, once:
//   - the caller's role (Caller, the table "who may do what" in docs/api.md);
//   - the case is visible to the caller (the store's queries: a case the
//     caller may not see is kNotFound "case.not_found", never kForbidden);
//   - the case is not locked: a closed or inadmissible case is read-only
//     (classification, people, financial lines, documents) until reopened;
//     notes stay possible;
//   - a published year: a change that alters a figure of a case received or
//     closed in a year its fund has published needs confirm_published
//     (else kConflict, field "confirm_published"), and is flagged in the
//     history (CaseEvent::published_year) for the data-quality page;
//   - the users named (take_in_charge's assigned_to, recuse's to) exist, are
//     active mediators, and may handle the case's fund (recuse: the same
//     fund or a fund of the same region; another fund gets a per-case access
//     grant);
//   - the parameters are valid (lifecycle table, nomenclatures, dates).
// Each write runs in one store transaction with a history row that lists the
// changed fields with their old and new values (CaseEvent::changes).
//
// Errors are values carrying a catalogue key (core/messages.h): kForbidden
// (role), kNotFound, kConflict (state, lock, stale version, published year,
// conflict of interest), kInvalid (field named). Nothing is written on error.
//
// Thread safety: a CaseService is as thread-safe as its Store (one per
// request, over a leased store).
#ifndef AMIABLE_SERVICE_CASE_SERVICE_H_
#define AMIABLE_SERVICE_CASE_SERVICE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.h"
#include "calendar/clock.h"
#include "core/conflict.h"
#include "core/lifecycle.h"
#include "service/caller.h"
#include "service/received_file.h"
#include "service/thread.h"
#include "store/store.h"

namespace amiable::service {

// Where uploaded files go (the web layer's DocumentFolder, a fake in tests).
class DocumentFiles {
 public:
  virtual ~DocumentFiles() = default;
  // The sniffed type of the bytes ("application/pdf", "image/png",
  // "image/jpeg"), nullopt when refused.
  virtual std::optional<std::string> Sniff(std::string_view bytes) const = 0;
  virtual std::string Sha256Hex(std::string_view bytes) const = 0;
  // Stores the bytes durably, returns the storage key.
  virtual Result<std::string> Save(std::string_view bytes) const = 0;
  virtual void Remove(std::string_view key) const = 0;
  // The bytes of a stored file (kNotFound when absent).
  virtual Result<std::string> Read(std::string_view key) const {
    return Fail(Error::NotFound(std::string(key)));
  }
};

// What a write must agree with.
struct WriteGuard {
  std::optional<int64_t> version;  // the version the client read; stale = kConflict
  bool confirm_published = false;  // the change may alter a published year's figures
};

// A change of the classification: `fields` maps a field to its new value as
// text ("" clears it). Fields: channel, emitter, allocataire_number,
// prior_step, prior_step_on, received_on, motives, benefits (comma-separated
// codes), cause, resolution, household, activity, quotient_familial (euros),
// response_modes, fraud ("true"/"false", "oui"/"non"), orientation,
// description. The lifecycle fields change only through events.
struct ClassificationEdit {
  std::vector<std::pair<std::string, std::string>> fields;
  WriteGuard guard;
  std::string via;  // "API", "page"... for the history detail
};

// A request to register (every channel).
struct Registration {
  Case c;  // reference empty: generated; received_on defaults to today
  std::vector<Person> people;
  // Files already saved (online form); their names get the extension of
  // their content_type (the sniffed one) on the way in.
  std::vector<DocumentMeta> documents;
  std::optional<OutboxMessage> acknowledgement;
  std::string via;  // "API", "page", "formulaire", "courriel"
};

// A lifecycle event. For `recuse`, params carry to, reason and the "3 i"
// (interet, interference = comma-separated materielle|geographique|
// temporelle, intensite = forte|moderee). For `close`, confirm_unknown lists
// the report fields the mediator confirms as "non renseigné".
struct EventCall {
  EventRequest request;  // request.actor is overwritten with the caller's name
  WriteGuard guard;
  std::vector<std::string> confirm_unknown;
};

struct EventOutcome {
  Case c;                    // after the event
  bool still_visible = true;  // false after a mediator's own recusal
};

// A case and what its page or API document shows.
struct CaseDetails {
  Case c;
  Organisme fund;
  Date today;  // in the fund's zone
  bool locked = false;
  std::vector<CaseEvent> history;
  std::vector<Person> people;
  std::vector<Note> notes;
  std::vector<DocumentMeta> documents;
  std::vector<Recusal> recusals;
  std::vector<std::string_view> allowed_events;
  std::vector<int> published_years;  // of the case's fund
  // The case's outgoing messages (any state), oldest first; empty with a
  // store that does not keep an outbox.
  std::vector<OutboxMessage> outbox;
  // The messages received for the case (issue 8), oldest first.
  std::vector<ReceivedMessageRow> received;
  // Both, in order: what the page and the API show as the conversation.
  std::vector<ThreadEntry> thread;
};

// The report fields that closing checks for emptiness (confirm_unknown).
std::span<const std::string_view> ReportFieldsForClosing();
// Those of ReportFieldsForClosing() that are empty on `c` (what closing it
// now would count as "non renseigné"), in the same order.
std::vector<std::string_view> EmptyFieldsForClosing(const Case& c);

// The field-by-field difference of two versions of a case (every field of
// core/case.h but id and version), values as text ("" when absent).
std::vector<FieldChange> DiffCases(const Case& before, const Case& after);

class CaseService {
 public:
  CaseService(Store& store, const Clock& clock, const DocumentFiles* files = nullptr)
      : store_(store), clock_(clock), files_(files) {}

  // ---- Reading (statistics readers: kForbidden "role.no_case_access") ----
  Result<Case> GetCase(const Caller& who, std::string_view reference);
  Result<CaseDetails> Get(const Caller& who, std::string_view reference);
  Result<std::vector<Case>> List(const Caller& who, const CaseFilter& f, int64_t* total);
  Result<std::vector<Case>> Search(const Caller& who, std::string_view text, int limit,
                                   int64_t* total);
  // Today in the zone of `organisme` (metropole when unknown).
  Date TodayFor(std::string_view organisme);

  // ---- Writing ----
  Result<std::string> Register(const Caller& who, Registration r);
  Result<Case> Edit(const Caller& who, std::string_view reference, const ClassificationEdit& e);
  Result<EventOutcome> Apply(const Caller& who, std::string_view reference, EventCall call);

  Status AddNote(const Caller& who, std::string_view reference, std::string text);
  // The author of the note, the hierarchy of the fund, or a system actor.
  Status RemoveNote(const Caller& who, std::string_view reference, int64_t note_id);

  // p.id == 0 adds a person, else updates that person of the case.
  Status SavePerson(const Caller& who, std::string_view reference, Person p);
  Status RemovePerson(const Caller& who, std::string_view reference, int64_t person_id);

  // Sniffs, stores the file, then writes its row (a failed row removes the
  // file). The stored name takes the extension of the sniffed type, never
  // the uploader's ("x.html" that is a PNG is stored as "x.png"). Needs the
  // DocumentFiles given at construction.
  Result<DocumentMeta> AddDocument(const Caller& who, std::string_view reference,
                                   std::string_view file_name, std::string_view bytes);
  // The same for a file already received into the folder (a streamed
  // upload): checked by its size and first bytes, kept (file.Keep()) only
  // when every check passed; on refusal the caller's file is left for it to
  // remove.
  Result<DocumentMeta> AddDocument(const Caller& who, std::string_view reference,
                                   std::string_view file_name, ReceivedFile& file);
  Status RemoveDocument(const Caller& who, std::string_view reference, int64_t document_id);
  // The document's row, checked against the case's visibility.
  Result<DocumentMeta> Document(const Caller& who, std::string_view reference,
                                int64_t document_id);

  Result<Case> AddFinancialLine(const Caller& who, std::string_view reference,
                                const FinancialLine& line, const WriteGuard& g);
  // `index` in the case's list of lines (0-based).
  Result<Case> RemoveFinancialLine(const Caller& who, std::string_view reference, size_t index,
                                   const WriteGuard& g);

  // ---- Conflicts of interest and recusal ----
  // A mediator declares and removes her own links; an administrator (or a
  // system actor) anyone's; a manager those of users of her funds.
  Result<int64_t> DeclareInterest(const Caller& who, DeclaredInterest d);
  Status RemoveInterest(const Caller& who, std::string_view user, int64_t id);
  Result<std::vector<DeclaredInterest>> InterestLinks(const Caller& who, std::string_view user);
  // The links of `mediator` (empty: the caller) compared with the case.
  Result<ConflictAssessment> Assess(const Caller& who, std::string_view reference,
                                    std::string mediator);
  // Who may receive the case by recusal: active mediators of its fund or of
  // a fund of the same region, minus those recused from it and the one
  // handing it over.
  Result<std::vector<User>> ReceivingMediators(const Caller& who, std::string_view reference);
  // The same two from a case already read with Get (the case page), and for
  // the receivers the accounts and funds already listed: no second read.
  // Recusals of `d` must be those Get returned (lifted ones included).
  Result<ConflictAssessment> Assess(const Caller& who, const CaseDetails& d, std::string mediator);
  std::vector<User> ReceivingMediators(const Caller& who, const CaseDetails& d,
                                       std::span<const User> users,
                                       std::span<const Organisme> funds);
  // The hierarchy lifts a recusal recorded in error (the history keeps both).
  Status LiftRecusal(const Caller& who, std::string_view reference, int64_t recusal_id,
                     std::string reason);

  // ---- Years ----
  // The hierarchy of the fund marks a year published.
  Status PublishYear(const Caller& who, std::string_view organisme, int year);

 private:
  Result<Case> WritableCase(const Caller& who, std::string_view reference, bool notes_only);
  // The case, its fund and today in its zone, plus its people and/or all its
  // recusals: what the conflict check and the receivers need, without the
  // rest of Get.
  Result<CaseDetails> Partial(const Caller& who, std::string_view reference, bool people,
                              bool recusals);
  Status CheckVersion(const Case& c, const WriteGuard& g);
  // 0 when no published year is touched; else the year (confirm required).
  Result<int> PublishedYearTouched(const Case& before, const Case& after, const WriteGuard& g);
  Status CheckUserParams(const Case& c, const EventRequest& r);
  Status CheckEventRules(const Caller& who, const Case& c, const EventCall& call);
  Status SaveCase(const Caller& who, const Case& before, const Case& after, CaseEvent ev,
                  const WriteGuard& g);
  Status Touch(const Caller& who, std::string_view reference, std::string kind,
               std::string detail, std::vector<FieldChange> changes = {});
  std::string Now() const { return IsoTimestamp(clock_.Now()); }

  Store& store_;
  const Clock& clock_;
  const DocumentFiles* files_;
};

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_CASE_SERVICE_H_
