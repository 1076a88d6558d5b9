// Persistence of funds, cases and their details, users and API tokens, with
// two engines behind one interface: SQLite (one file, WAL, foreign keys, busy
// timeout) and PostgreSQL. Migrations are applied by Open().
//
// Contracts:
// - Every write runs in one transaction: on any error nothing is written.
// - Authorization is enforced here: every call that reads or writes cases
//   takes the acting user (Actor) and behaves as if cases of funds the actor
//   may not see did not exist (kNotFound, absent from lists and counts).
//   Likewise a case from which the actor recused (a case_recusals row for
//   Actor::user, migration 4) does not exist for a mediator or statistics
//   reader; managers and administrators (who order recusals) and
//   Actor::System() (the command line) still see it (domain.md §2: a
//   recused mediator must not see the elements of the decision afterwards).
// - Errors are values: kInvalid (bad argument), kNotFound, kConflict
//   (duplicate reference, stale version), kUnavailable (cannot connect),
//   kInternal (unexpected database error, message says which).
// - A Store object is not thread-safe; open one per thread (the web server
//   keeps a pool). Several Store objects may share one database.
#ifndef AMIABLE_STORE_STORE_H_
#define AMIABLE_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/case.h"
#include "core/conflict.h"
#include "core/date.h"
#include "core/error.h"

namespace amiable {

enum class Role { kMediator, kManager, kAdministrator, kStatisticsReader };
const char* RoleCode(Role r);  // "mediator", "manager", "administrator", "statistics"
std::optional<Role> RoleFromCode(std::string_view code);

// Who acts. The command line acts as System() (all funds).
struct Actor {
  std::string user = "system";
  Role role = Role::kAdministrator;
  bool all_funds = true;                // sees every fund
  std::vector<std::string> organismes;  // the funds seen when !all_funds

  static Actor System(std::string name = "system") {
    Actor a;
    a.user = std::move(name);
    return a;
  }
  bool CanSee(std::string_view organisme) const;
};

struct User {
  int64_t id = 0;
  std::string name;
  std::string display_name;
  std::string password_hash;  // argon2id encoded string (libsodium)
  Role role = Role::kMediator;
  bool all_funds = false;
  std::vector<std::string> organismes;
  int failed_attempts = 0;
  std::string locked_until;  // ISO timestamp, empty when not locked
  bool disabled = false;

  Actor ToActor() const;
};

struct CaseFilter {
  std::vector<std::string> organismes;  // restrict further; empty = all visible
  std::optional<CaseState> state;
  std::optional<int> year;  // reception year
  std::optional<std::string> assigned_to;  // "Mes dossiers": the mediator in charge
  bool overdue_only = false;  // not yet taken in charge and past the 8-working-day deadline at `today`
  Date today = Date::Today();
  int limit = 50;  // <= 0: no limit
  // Lists that show no money (work queues) skip reading the financial lines;
  // the cases then have no `financial` value at all.
  bool with_financial = true;
  int offset = 0;
};

struct ImportCounts {
  int64_t cases = 0;
  int64_t organismes = 0;
  int64_t financial_lines = 0;
};

// ---- What the web workspace keeps (migration 2) ----

// A signed-in browser session. The cookie carries a random secret; only its
// SHA-256 (hex) is stored, so a copy of the database cannot be replayed.
struct WebSession {
  std::string id_hash;     // SHA-256 hex of the cookie secret
  std::string user;        // user name
  std::string csrf_token;  // synchronizer token of the session's forms
  std::string created_at;  // ISO 8601 UTC
  std::string expires_at;  // ISO 8601 UTC; the session is gone after it
};

// A message waiting to be sent (the SMTP sender comes later). Queued in the
// same transaction as what it reports, so that it exists iff that committed.
struct OutboxMessage {
  int64_t id = 0;
  std::string kind;            // "acknowledgement", ...
  std::string recipient;       // e-mail address
  std::string subject;         // "{reference}" is replaced by the case's reference
  std::string body;            // same
  std::string case_reference;  // filled by SubmitCase
  std::string created_at;
  std::string sent_at;  // empty while pending
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

// A French label replacing a nomenclature's default (codes never change).
struct LabelOverride {
  std::string nomenclature;
  std::string code;
  std::string label;
};

// ---- Conflicts of interest (migration 4) ----

// A declared interest link of a user, as kept (core/conflict.h compares
// `link` with a case).
struct DeclaredInterest {
  int64_t id = 0;
  std::string user;  // user name
  InterestLink link;
  std::optional<Date> started_on;
  std::string declared_at;  // ISO 8601 UTC
};
// "person", "organisation", "allocataire" (the `kind` column).
const char* InterestSubjectCode(InterestLink::Subject s);
std::optional<InterestLink::Subject> InterestSubjectFromCode(std::string_view code);

// A mediator recused from a case (déport).
struct Recusal {
  int64_t id = 0;
  std::string case_reference;
  std::string user;     // who recused (and no longer sees the case)
  std::string reason;   // French, as given with the `recuse` event
  std::string at;       // ISO 8601 UTC
  std::string by_user;  // who recorded it (the mediator, or the hierarchy)
  // The "3 i" assessment (core/conflict.h).
  std::string interest;
  std::vector<std::string> interference;  // materielle, geographique, temporelle
  std::string intensity;                  // forte | moderee
  std::string lifted_at, lifted_by, lift_reason;  // set when lifted (recorded in error)
};

// A history row recorded after its year was published (confirmed change).
struct PostPublicationChange {
  std::string reference;
  CaseEvent event;
};

class Store {
 public:
  virtual ~Store() = default;

  // url: "sqlite:PATH", a plain path, or "postgresql://..." / "postgres://...".
  // Creates the SQLite file (and its folder) when missing; applies migrations.
  static Result<std::unique_ptr<Store>> Open(std::string_view url);
  // The URL used when none is given: $AMIABLE_DB, else "sqlite:var/amiable.db".
  static std::string DefaultUrl();

  virtual std::string_view engine() const = 0;  // "sqlite" or "postgresql"
  virtual int schema_version() = 0;

  // Funds.
  virtual Status UpsertOrganisme(const Actor& actor, const Organisme& o) = 0;
  virtual Result<std::vector<Organisme>> ListOrganismes() = 0;
  virtual Result<Organisme> GetOrganisme(std::string_view code) = 0;

  // Cases. Create fails with kConflict on a duplicate reference and kInvalid
  // on an unknown organisme; it appends `event` to the case's history.
  virtual Result<int64_t> CreateCase(const Actor& actor, const Case& c, const CaseEvent& event) = 0;
  virtual Result<Case> GetCase(const Actor& actor, std::string_view reference) = 0;
  virtual Result<std::vector<Case>> ListCases(const Actor& actor, const CaseFilter& f,
                                              int64_t* total) = 0;
  // Replaces every field of the case with `c` if its stored version equals
  // c.version (else kConflict), bumps the version and appends `event`.
  virtual Status UpdateCase(const Actor& actor, const Case& c, const CaseEvent& event) = 0;
  virtual Result<std::vector<CaseEvent>> History(const Actor& actor, std::string_view reference) = 0;

  // Bulk import in one transaction: all or nothing. Duplicate references
  // (in the batch or with the database) are kConflict naming the reference.
  virtual Result<ImportCounts> ImportCases(const Actor& actor, std::span<const Case> cases) = 0;
  // The references among `refs` that already exist.
  virtual Result<std::vector<std::string>> ExistingReferences(std::span<const std::string> refs) = 0;

  // Streams the cases visible to the actor, ordered by organisme then
  // reception date then reference. `organismes` empty = all visible;
  // `year` restricts to the reception year.
  virtual Status ForEachCase(const Actor& actor, std::span<const std::string> organismes,
                             std::optional<int> year,
                             const std::function<void(const Case&)>& fn) = 0;

  // Streams the cases of the funds (empty = all) whose reception date or
  // closing date lies in [from, to]: what the figures of a period need.
  // Only the interchange fields are filled. Each case is visited once; `fn`
  // may move from it (the figures keep the cases without copying them).
  virtual Status ForEachCaseInPeriod(std::span<const std::string> organismes, Date from, Date to,
                                     const std::function<void(Case&)>& fn) = 0;

  // The same cases as ForEachCaseInPeriod with only what the delays and
  // counts need: organisme, reference, received_on, admissibility,
  // inadmissibility_reason and the taking-in-charge, answer and closing
  // dates (every other field absent). Much cheaper to read; used for the
  // all-funds comparison of the annual report. The default reads everything.
  virtual Status ForEachCaseDatesInPeriod(std::span<const std::string> organismes, Date from,
                                          Date to, const std::function<void(Case&)>& fn) {
    return ForEachCaseInPeriod(organismes, from, to, fn);
  }

  // Details a mediator keeps.
  // The beneficiaries' names of several cases in one query (lists), joined
  // with ", " per case id; cases without a named beneficiary, or that the
  // actor may not see, are absent.
  virtual Result<std::unordered_map<int64_t, std::string>> BeneficiaryNames(
      const Actor& actor, std::span<const int64_t> case_ids);

  virtual Status AddNote(const Actor& actor, std::string_view reference, const Note& note) = 0;
  virtual Result<std::vector<Note>> Notes(const Actor& actor, std::string_view reference) = 0;
  virtual Status SavePerson(const Actor& actor, std::string_view reference, const Person& p) = 0;
  virtual Result<std::vector<Person>> People(const Actor& actor, std::string_view reference) = 0;
  virtual Status AddDocument(const Actor& actor, std::string_view reference,
                             const DocumentMeta& d) = 0;
  virtual Result<std::vector<DocumentMeta>> Documents(const Actor& actor,
                                                      std::string_view reference) = 0;

  // Users and API tokens (tokens are stored as SHA-256 hex of the secret).
  virtual Result<int64_t> CreateUser(const User& u) = 0;
  virtual Result<User> GetUser(std::string_view name) = 0;
  virtual Status UpdateUser(const User& u) = 0;
  virtual Status CreateApiToken(std::string_view user, std::string_view token_hash,
                                std::string_view label) = 0;
  // kUnauthorized when no token has this hash or its user is disabled.
  virtual Result<User> UserForTokenHash(std::string_view token_hash) = 0;

  // Audit trail: who saw or changed what.
  virtual Status Audit(const Actor& actor, std::string_view action, std::string_view object) = 0;

  // SQLite: online backup into `path` (a consistent copy while in use).
  // PostgreSQL: kInvalid (use pg_dump).
  virtual Status Backup(std::string_view path) = 0;

  // Runs `fn` in one transaction; commits when it returns success.
  virtual Status InTransaction(const std::function<Status()>& fn) = 0;

  // ---- Web workspace (migration 2). Defaults answer kInternal "not
  // supported" so that test fakes need not implement them. ----

  // Writes a submission atomically (see Submission) as `actor`, who must see
  // c.organisme (else kInvalid on "organisme"). A generated reference is
  // "ORG-YYYY-NNNNN", the next free number of the fund's year (a counter
  // kept in the database, safe under concurrent submissions). Returns the
  // reference. Errors as CreateCase.
  virtual Result<std::string> SubmitCase(const Actor& actor, const Submission& s);

  // Accent- and case-insensitive full-text search over reference,
  // allocataire number, people's names, description and notes (FTS5 on
  // SQLite, tsvector on PostgreSQL). Every word of `text` must match (as a
  // prefix); cases the actor may not see are never returned. Newest first;
  // `total` (optional) receives the number of matches. Empty text: no match.
  virtual Result<std::vector<Case>> SearchCases(const Actor& actor, std::string_view text,
                                                int limit, int64_t* total);

  // Sessions. GetWebSession is kNotFound for an unknown or expired one
  // (`now` is an ISO UTC timestamp compared with expires_at).
  virtual Status CreateWebSession(const WebSession& s);
  virtual Result<WebSession> GetWebSession(std::string_view id_hash, std::string_view now);
  virtual Status DeleteWebSession(std::string_view id_hash);

  // Messages waiting to be sent, oldest first.
  virtual Result<std::vector<OutboxMessage>> PendingOutbox(int limit);

  // Label overrides of the nomenclatures; an empty label removes one.
  virtual Result<std::vector<LabelOverride>> LabelOverrides();
  virtual Status SetLabelOverride(const Actor& actor, const LabelOverride& o);

  // Every account, by name (password hashes included: callers must not show them).
  virtual Result<std::vector<User>> ListUsers();

  // ---- Conflicts of interest (migration 4). Defaults: kInternal. ----

  // Declared interest links of a user. Add fails with kInvalid for an
  // unknown user (field "user") or an empty value (field "value"); returns
  // the link's id. Remove is kNotFound for an unknown id.
  virtual Result<int64_t> AddInterestLink(const Actor& actor, const DeclaredInterest& d);
  virtual Result<std::vector<DeclaredInterest>> InterestLinks(std::string_view user);
  virtual Status RemoveInterestLink(const Actor& actor, int64_t id);

  // Records that `user` recused from the case (the actor must see it): from
  // then on the case does not exist for `user` (see Authorization above).
  virtual Status RecordRecusal(const Actor& actor, std::string_view reference,
                               std::string_view user, std::string_view reason);
  // UpdateCase (same contract) and RecordRecusal of `recused_user` in ONE
  // transaction: what the `recuse` event writes.
  virtual Status UpdateCaseRecusing(const Actor& actor, const Case& c, const CaseEvent& event,
                                    std::string_view recused_user, std::string_view reason);
  // The recusals of a case the actor sees, oldest first.
  virtual Result<std::vector<Recusal>> Recusals(const Actor& actor, std::string_view reference);

  // ---- Issue 7 (migration 5). Defaults: kInternal "not supported". ----
  virtual Status RecordRecusal(const Actor& actor, std::string_view reference, const Recusal& r);
  virtual Status UpdateCaseRecusing(const Actor& actor, const Case& c, const CaseEvent& event,
                                    const Recusal& r);
  virtual Status LiftRecusal(const Actor& actor, std::string_view reference, int64_t recusal_id,
                             std::string_view reason);
  virtual Status GrantCaseAccess(const Actor& actor, std::string_view reference,
                                 std::string_view user, std::string_view reason);
  virtual Status RevokeCaseAccess(const Actor& actor, std::string_view reference,
                                  std::string_view user);
  virtual Result<std::vector<std::string>> CaseAccessUsers(const Actor& actor,
                                                           std::string_view reference);
  virtual Status AppendEvent(const Actor& actor, std::string_view reference, const CaseEvent& e);
  virtual Status RemoveNote(const Actor& actor, std::string_view reference, int64_t note_id);
  virtual Status RemovePerson(const Actor& actor, std::string_view reference, int64_t person_id);
  virtual Status RemoveDocument(const Actor& actor, std::string_view reference,
                                int64_t document_id);
  virtual Status PublishYear(const Actor& actor, std::string_view organisme, int year);
  virtual Result<std::vector<int>> PublishedYears(std::string_view organisme);
  virtual Result<std::vector<PostPublicationChange>> ChangesAfterPublication(
      const Actor& actor, std::string_view organisme, int year);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_STORE_H_
