// Persistence of funds, cases and their details, users and API tokens, with
// two engines behind one interface: SQLite (one file, WAL, foreign keys, busy
// timeout) and PostgreSQL. Migrations are applied by Open().
//
// Store gathers small role interfaces, one header each, so that a test fake
// implements only the role its code under test uses:
//   funds.h (FundDirectory), case_store.h (CaseStore), case_scan.h
//   (CaseScan), search_index.h (SearchIndex), accounts.h (Accounts),
//   interests.h (Interests), workspace_store.h (WorkspaceStore).
// The one implementation is SOCI's (sql_store_internal.h and sql_*.cc).
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

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "store/accounts.h"
#include "store/actor.h"
#include "store/case_scan.h"
#include "store/case_store.h"
#include "store/funds.h"
#include "store/interests.h"
#include "store/search_index.h"
#include "store/workspace_store.h"

namespace amiable {

class Store : public FundDirectory,
              public CaseStore,
              public CaseScan,
              public SearchIndex,
              public Accounts,
              public Interests,
              public WorkspaceStore {
 public:
  ~Store() override = default;

  // url: "sqlite:PATH", a plain path, or "postgresql://..." / "postgres://...".
  // Creates the SQLite file (and its folder) when missing; applies migrations.
  static Result<std::unique_ptr<Store>> Open(std::string_view url);
  // The URL used when none is given: $AMIABLE_DB, else "sqlite:var/amiable.db".
  static std::string DefaultUrl();

  virtual std::string_view engine() const = 0;  // "sqlite" or "postgresql"
  virtual int schema_version() = 0;

  // Audit trail: who saw or changed what.
  virtual Status Audit(const Actor& actor, std::string_view action, std::string_view object) = 0;

  // SQLite: online backup into `path` (a consistent copy while in use).
  // PostgreSQL: kInvalid (use pg_dump).
  virtual Status Backup(std::string_view path) = 0;

  // Runs `fn` in one transaction; commits when it returns success.
  virtual Status InTransaction(const std::function<Status()>& fn) = 0;
};

}  // namespace amiable

#endif  // AMIABLE_STORE_STORE_H_
