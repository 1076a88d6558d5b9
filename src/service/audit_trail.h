// Reading the audit trail for the data-protection officer (issue 9, part 5),
// shared by `amiable audit export` and the /journal page: local dates of a
// fund's zone turned into the UTC bounds of the store's query, the zone of
// the trail, one row as a JSON line. Pure but TrailZone (reads the funds).
#ifndef AMIABLE_SERVICE_AUDIT_TRAIL_H_
#define AMIABLE_SERVICE_AUDIT_TRAIL_H_

#include <optional>
#include <string>

#include "calendar/clock.h"
#include "core/date.h"
#include "store/audit_store.h"

namespace amiable {
class Store;
}

namespace amiable::service {

// The instant local midnight starts day `d` in `zone`.
Instant StartOfDay(Date d, Zone zone);
// Rows of the local days from `from` to `to`, both included (each may be
// absent: unbounded), in `zone`.
void SetLocalDays(AuditQuery& q, std::optional<Date> from, std::optional<Date> to, Zone zone);
// The zone of `organisme` when given and known; else the zone every fund of
// the database shares; else metropolitan France.
Zone TrailZone(Store& store, const std::string& organisme = {});
// {"seq":1,"at":"...","actor":"...","action":"...","object":"..."}
std::string AuditJsonLine(const AuditEntry& e);

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_AUDIT_TRAIL_H_
