// The audit trail as a store role (issue 9, part 5): verifying the chain,
// pruning its oldest rows behind a checkpoint, reading it for the
// data-protection officer. Rows are appended by Store::Audit and by every
// write of the store, in the writer's transaction (sql_audit.cc); the chain
// itself is store/audit_chain.h.
//
// Contracts:
// - Appends are serialised per database (SQLite: the write transaction;
//   PostgreSQL: SELECT ... FOR UPDATE on the one row of audit_head), so two
//   servers never fork the chain; seq is gap-free, assigned in the writing
//   transaction. After the commit the head is written outside the database
//   (audit_chain.h WriteHead).
// - The key is read from the key file (audit_chain.h KeyFileFor), created
//   0600 at the first append when missing; VerifyAudit never creates it
//   (kNotFound, key audit.key_missing).
// - The objects of actions ending in ".search" are stored as a keyed hash
//   (audit_chain.h TermHash), never in clear.
// - Reading the trail (ListAudit, ScanAudit) is for the dpo, administrators
//   and the command line (Actor::System()); anyone else gets kForbidden.
//   These reads are themselves audited by their callers ("audit.read",
//   "audit.export").
#ifndef AMIABLE_STORE_AUDIT_STORE_H_
#define AMIABLE_STORE_AUDIT_STORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/actor.h"

namespace amiable {

class Store;
class AuditTrail;
// The trail of `store` (the SQL store implements it; a test fake may not:
// nullptr). Kept out of store.h so that this role's header changes rebuild
// only its users.
AuditTrail* TrailOf(Store& store);

struct AuditEntry {
  int64_t seq = 0;
  std::string at;  // ISO 8601 UTC
  std::string actor;
  std::string action;
  std::string object;
};

// Rows with from_at <= at < to_at (ISO 8601 UTC; "" = unbounded), of
// `user` (exact actor) and about case `case_ref` (the object is the
// reference or starts with it followed by a space or '/'), newest first
// for ListAudit, in seq order for ScanAudit.
struct AuditQuery {
  std::string from_at;
  std::string to_at;
  std::string user;
  std::string case_ref;
  int limit = 50;
  int64_t offset = 0;
};

struct AuditFindingLine {
  int64_t seq = 0;
  std::string text;  // French, "ligne 12 : modifiée"
};

struct AuditVerifyReport {
  int64_t rows = 0;                       // rows checked (after the checkpoint)
  int64_t checkpoint_seq = 0;             // where verification started
  std::vector<AuditFindingLine> findings;  // empty: the trail is intact
  std::string key_file;
  std::string head_file;
};

class AuditTrail {
 public:
  virtual ~AuditTrail() = default;

  // Walks the whole trail from the latest checkpoint. kNotFound when the key
  // file is missing; database errors as kInternal.
  virtual Result<AuditVerifyReport> VerifyAudit() { return Unsupported(); }
  // Removes the oldest rows, those before the first row at or after
  // `before_at` (ISO 8601 UTC), and writes a checkpoint (seq and hash of the
  // last removed row, HMACed) in the same transaction; audited as
  // "audit.prune". Returns the number of rows removed (0: nothing to do, no
  // checkpoint written).
  virtual Result<int64_t> PruneAudit(const Actor&, std::string_view /*before_at*/) {
    return Unsupported();
  }
  // One page of rows, newest first; *total (when not null) the number of
  // matching rows.
  virtual Result<std::vector<AuditEntry>> ListAudit(const Actor&, const AuditQuery&,
                                                    int64_t* /*total*/) {
    return Unsupported();
  }
  // Every matching row in seq order (limit and offset ignored) until `fn`
  // returns false.
  virtual Status ScanAudit(const Actor&, const AuditQuery&,
                           const std::function<bool(const AuditEntry&)>&) {
    return Unsupported();
  }
  // The hash that stands for `terms` in the rows of searches (the dpo's
  // filter), by this database's key.
  virtual Result<std::string> AuditTermHash(std::string_view /*terms*/) { return Unsupported(); }

 private:
  // Fakes of other roles need not implement these.
  static std::unexpected<Error> Unsupported() {
    return std::unexpected(Error::Internal("audit trail not supported by this store"));
  }
};

}  // namespace amiable

#endif  // AMIABLE_STORE_AUDIT_STORE_H_
