// Role: the cases and what a mediator keeps with them (history, notes,
// people, documents), imports and submissions. Every call takes the acting
// user and sees only the cases visible to it (store.h, Authorization):
// others answer kNotFound, as if they did not exist.
#ifndef AMIABLE_STORE_CASE_STORE_H_
#define AMIABLE_STORE_CASE_STORE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/case.h"
#include "core/date.h"
#include "core/error.h"
#include "store/actor.h"

namespace amiable {

struct CaseFilter {
  std::vector<std::string> organismes;  // restrict further; empty = all visible
  std::optional<CaseState> state;
  std::optional<int> year;                 // reception year
  std::optional<std::string> assigned_to;  // "Mes dossiers": the mediator in charge
  bool overdue_only =
      false;  // not yet taken in charge and past the 8-working-day deadline at `today`
  Date today;  // for overdue_only: the caller's today (calendar/clock.h)
  int limit = 50;  // <= 0: no limit
  // Lists that show no money (work queues) skip reading the financial lines;
  // the cases then have no `financial` value at all.
  bool with_financial = true;
  int offset = 0;
  std::optional<Date> received_from, received_to;  // reception period, inclusive
};

struct ImportCounts {
  int64_t cases = 0;
  int64_t organismes = 0;
  int64_t financial_lines = 0;
};

// A message to send by mail (mail/sender.h sends it). Queued in the same
// transaction as what it reports, so that it exists iff that committed.
// Migration 6 gives it a state and a Message-ID fixed when it is queued, so
// that every attempt sends the same message (at least once, duplicates
// recognisable by Message-ID).
struct OutboxMessage {
  int64_t id = 0;
  std::string kind;            // "acknowledgement", ...
  std::string recipient;       // e-mail address
  std::string subject;         // "{reference}" is replaced by the case's reference
  std::string body;            // same
  std::string case_reference;  // filled by SubmitCase
  std::string created_at;
  std::string sent_at;          // empty until sent
  std::string state = "queued";  // "queued", "sent" or "failed" (given up)
  int attempts = 0;             // SMTP attempts started (a claim counts one)
  std::string next_attempt_at;  // ISO timestamp; not claimed before
  std::string last_error;       // the server's reply or the transport error
  std::string message_id;       // "<outbox-ID.RANDOM@HOST>", set when queued
  // Migration 8.
  std::string organisme;    // the fund whose mail settings send it ('' : the server's)
  std::string in_reply_to;  // "<...>" of the received message it answers, or ''
  std::string body_html;    // an HTML alternative of body, or ''
};

// A request with everything that arrived with it, written in ONE transaction
// by SubmitCase: the case (a reference is generated when c.reference is
// empty), its creation event, its people, its documents (files already
// durably stored by the caller) and an optional acknowledgement.
struct Submission {
  Case c;
  CaseEvent event;
  std::vector<Person> people;
  std::vector<DocumentMeta> documents;
  std::optional<OutboxMessage> acknowledgement;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Create fails with kConflict on a duplicate reference and kInvalid
  // on an unknown organisme; it appends `event` to the case's history.
  virtual Result<int64_t> CreateCase(const Actor& actor, const Case& c, const CaseEvent& event) = 0;
  virtual Result<Case> GetCase(const Actor& actor, std::string_view reference) = 0;
  virtual Result<std::vector<Case>> ListCases(const Actor& actor, const CaseFilter& f,
                                              int64_t* total) = 0;
  // Replaces every field of the case with `c` if its stored version equals
  // c.version (else kConflict), bumps the version and appends `event`.
  virtual Status UpdateCase(const Actor& actor, const Case& c, const CaseEvent& event) = 0;
  // The case's history, oldest first, with each row's changed fields and
  // published year. kNotFound for a case the actor does not see.
  virtual Result<std::vector<CaseEvent>> History(const Actor& actor,
                                                 std::string_view reference) = 0;
  // Appends a history row only (for changes of notes, people, documents
  // written by other calls in the same transaction). kNotFound for a case
  // the actor does not see. Default: kInternal "not supported".
  virtual Status AppendEvent(const Actor& actor, std::string_view reference,
                             const CaseEvent& event);

  // Bulk import in one transaction: all or nothing. Duplicate references
  // (in the batch or with the database) are kConflict naming the reference.
  virtual Result<ImportCounts> ImportCases(const Actor& actor, std::span<const Case> cases) = 0;
  // The references among `refs` that already exist.
  virtual Result<std::vector<std::string>> ExistingReferences(
      std::span<const std::string> refs) = 0;

  // Details a mediator keeps.
  // The beneficiaries' names of several cases in one query (lists), joined
  // with ", " per case id; cases without a named beneficiary, or that the
  // actor may not see, are absent. Default: none.
  virtual Result<std::unordered_map<int64_t, std::string>> BeneficiaryNames(
      const Actor& actor, std::span<const int64_t> case_ids);

  // Every call below answers kNotFound for a case the actor does not see.
  // Adds a note (and a "note" history row); returns the note's id.
  virtual Result<int64_t> AddNote(const Actor& actor, std::string_view reference,
                                  const Note& note) = 0;
  virtual Result<std::vector<Note>> Notes(const Actor& actor, std::string_view reference) = 0;
  // p.id == 0: adds a person; else replaces person p.id (kNotFound when it
  // is not one of this case's). Returns the person's id. Writes no history
  // row (the caller appends one with AppendEvent).
  virtual Result<int64_t> SavePerson(const Actor& actor, std::string_view reference,
                                     const Person& p) = 0;
  virtual Result<std::vector<Person>> People(const Actor& actor, std::string_view reference) = 0;
  virtual Status AddDocument(const Actor& actor, std::string_view reference,
                             const DocumentMeta& d) = 0;
  virtual Result<std::vector<DocumentMeta>> Documents(const Actor& actor,
                                                      std::string_view reference) = 0;
  // Remove a note, person or document of the case (kNotFound when the id is
  // not one of this case's). No history row (see AppendEvent); the file of
  // a document stays where it is (the caller removes it after the commit).
  // Defaults: kInternal "not supported".
  virtual Status RemoveNote(const Actor& actor, std::string_view reference, int64_t note_id);
  virtual Status RemovePerson(const Actor& actor, std::string_view reference, int64_t person_id);
  virtual Status RemoveDocument(const Actor& actor, std::string_view reference,
                                int64_t document_id);

  // Writes a submission atomically (see Submission) as `actor`, who must see
  // c.organisme (else kInvalid on "organisme"). A generated reference is
  // "ORG-YYYY-NNNNN", the next free number of the fund's year (a counter
  // kept in the database, safe under concurrent submissions). Returns the
  // reference. Errors as CreateCase. Default: kInternal "not supported".
  virtual Result<std::string> SubmitCase(const Actor& actor, const Submission& s);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_CASE_STORE_H_
