// The audit of reads kept compact (issue 11, part figs): the reads AuditLog
// gathers in one flush interval (a burst) by the same user of the same kind
// become one chained row whose object lists the objects read, in order,
// separated by one space ("631-2025-00001 631-2025-00007 ..."). Each read
// then costs its object and a space instead of a row (at, actor, action,
// object, chain MAC, index entries); nothing is lost but the timestamp
// within the burst. A row holds at most kMaxObjectChars characters of
// objects; searches (their terms are hashed per row), sign-in events and
// objects holding a space or empty stay one row each. The store finds a case
// in such a row (sql_audit.cc, AuditQuery::case_ref); the chain, `audit
// verify` and `audit prune` see ordinary rows.
#ifndef AMIABLE_WEB_AUDIT_BATCH_H_
#define AMIABLE_WEB_AUDIT_BATCH_H_

#include <cstddef>
#include <string>
#include <vector>

#include "store/actor.h"

namespace amiable::web {

struct AuditRead {
  Actor actor;
  std::string action;
  std::string object;
};

inline constexpr size_t kMaxObjectChars = 4000;

// Whether a record may share a row with others of its user and action.
bool MayBatch(const AuditRead& r);

// The rows to write for `reads` (in the order of each row's first read).
std::vector<AuditRead> CompactReads(std::vector<AuditRead> reads);

}  // namespace amiable::web

#endif  // AMIABLE_WEB_AUDIT_BATCH_H_
