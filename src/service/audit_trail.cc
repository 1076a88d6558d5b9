#include "service/audit_trail.h"

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace amiable::service {

Instant StartOfDay(Date d, Zone zone) {
  const Instant utc_midnight{std::chrono::seconds(int64_t{d.days()} * 86400)};
  // Summer time changes at 01:00 UTC, never near a local midnight: the
  // offset an hour around it is the offset at it.
  Instant t = utc_midnight - UtcOffset(zone, utc_midnight);
  return utc_midnight - UtcOffset(zone, t);
}

void SetLocalDays(AuditQuery& q, std::optional<Date> from, std::optional<Date> to, Zone zone) {
  q.from_at = from ? IsoTimestamp(StartOfDay(*from, zone)) : std::string();
  q.to_at = to ? IsoTimestamp(StartOfDay(*to + 1, zone)) : std::string();
}

Zone TrailZone(Store& store, const std::string& organisme) {
  auto all = store.ListOrganismes();
  if (!all || all->empty()) return Zone::kMetropole;
  std::optional<Zone> shared;
  for (const Organisme& o : *all) {
    auto z = ZoneFromCode(o.zone);
    if (!organisme.empty()) {
      if (o.code == organisme && z) return *z;
      continue;
    }
    if (!z || (shared && *shared != *z)) return Zone::kMetropole;
    shared = z;
  }
  return shared.value_or(Zone::kMetropole);
}

std::string AuditJsonLine(const AuditEntry& e) {
  nlohmann::ordered_json j;
  j["seq"] = e.seq;
  j["at"] = e.at;
  j["actor"] = e.actor;
  j["action"] = e.action;
  j["object"] = e.object;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace amiable::service
