// Persistence of funds, cases and their details, users and API tokens, with
// two engines behind one interface: SQLite (one file, WAL, foreign keys, busy
// timeout) and PostgreSQL. Migrations are applied by Open().
//
// Store gathers small role interfaces, one header each, so that a test fake
// implements only the role its code under test uses:
//   funds.h (FundDirectory), case_store.h (CaseStore), case_scan.h
//   (CaseScan), search_index.h (SearchIndex), accounts.h (Accounts),
//   interests.h (Interests), workspace_store.h (WorkspaceStore),
//   mail_settings.h (MailSettingsStore).
//   internal_requests.h (InternalRequests).
//   letters_store.h (LettersStore).
//   account_admin.h (AccountAdmin).
//   sign_in_guard.h (SignInGuard).
// The one implementation is SOCI's (sql_store_internal.h and sql_*.cc).
//
// Contracts:
// - Every write runs in one transaction: on any error nothing is written.
// - Authorization is enforced here: every call that reads or writes cases
//   takes the acting user (Actor) and behaves as if the cases the actor may
//   not see did not exist (kNotFound, absent from lists, counts, search and
//   streams). A case is visible to an actor when
//     (its fund is among the actor's funds, or a grant in force names
//      Actor::user: case_access, migration 5 — a case handed to a mediator
//      of another fund)
//     and, for a mediator, no recusal in force of Actor::user exists for it
//      (case_recusals, migration 4; a lifted one hides nothing).
//   Managers and administrators (who order recusals) still see the recused
//   cases of their funds; Actor::System() (the command line) sees all. A
//   statistics reader sees no case at all through these calls: figures
//   only, from the period scans (CaseScan), which take no actor (domain.md
//   §2: a recused mediator must not see the elements of the decision).
// - Errors are values: kInvalid (bad argument), kNotFound, kConflict
//   (duplicate reference, stale version), kUnavailable (cannot connect),
//   kInternal (unexpected database error, message says which).
// - A Store object is not thread-safe; open one per thread (the web server
//   keeps a pool). Several Store objects may share one database.
#ifndef AMIABLE_STORE_STORE_H_
#define AMIABLE_STORE_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "calendar/clock.h"
#include "core/error.h"
#include "store/account_admin.h"
#include "store/accounts.h"
#include "store/actor.h"
#include "store/case_scan.h"
#include "store/case_store.h"
#include "store/funds.h"
#include "store/interests.h"
#include "store/mail_settings.h"
#include "store/received_store.h"
#include "store/internal_requests.h"
#include "store/letters_store.h"
#include "store/search_index.h"
#include "store/sign_in_guard.h"
#include "store/workspace_store.h"

namespace amiable {

class Store : public FundDirectory,
              public CaseStore,
              public CaseScan,
              public SearchIndex,
              public Accounts,
              public Interests,
              public WorkspaceStore,
              public ReceivedStore,
              public MailSettingsStore,
              public InternalRequests,
              public LettersStore,
              public AccountAdmin,
              public SignInGuard {
 public:
  ~Store() override = default;

  // url: "sqlite:PATH", a plain path, or "postgresql://..." / "postgres://...".
  // Creates the SQLite file (and its folder) when missing; applies migrations.
  static Result<std::unique_ptr<Store>> Open(std::string_view url);
  // The URL used when none is given: $AMIABLE_DB, else "sqlite:var/amiable.db".
  static std::string DefaultUrl();
  // The clock of the timestamps the store writes itself (history, audit,
  // sessions, tokens) when the caller gave none: process-wide, set once by
  // the server before it serves (null: SystemClock()). Thread-safe.
  static void UseClock(const Clock* clock);
  // Called (process-wide, from the committing thread) after each commit
  // that queued outgoing mail: the server wakes its sender so that a
  // message goes out at once, not at the next interval. Null: nothing.
  static void OnOutboxQueued(void (*fn)());

  virtual std::string_view engine() const = 0;  // "sqlite" or "postgresql"
  virtual int schema_version() = 0;

  // Audit trail: who saw or changed what.
  virtual Status Audit(const Actor& actor, std::string_view action, std::string_view object) = 0;

  // SQLite: online backup into `path` (a consistent copy while in use).
  // PostgreSQL: kInvalid (use pg_dump).
  virtual Status Backup(std::string_view path) = 0;

  // Runs `fn` in one transaction; commits when it returns success, else
  // rolls back and returns fn's error (a database error thrown inside is
  // caught and returned as kInternal/kConflict/kInvalid, see DbError).
  // Reentrant: called (directly, or by any write of this object) while a
  // transaction of this object is open, `fn` runs inside that transaction;
  // only the outermost call begins, commits or rolls back. A failure at any
  // level dooms the whole transaction: the outermost call rolls back and
  // returns the first inner failure even if an outer `fn` ignored it and
  // returned success. This is how the service composes several writes
  // (update the case, add a note, grant access) into one.
  virtual Status InTransaction(const std::function<Status()>& fn) = 0;
};

}  // namespace amiable

#endif  // AMIABLE_STORE_STORE_H_
