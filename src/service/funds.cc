#include "service/funds.h"

#include <algorithm>

#include "calendar/calendar.h"
#include "core/messages.h"
#include "core/region.h"

namespace amiable::service {

Status SaveFund(Store& store, const Caller& who, const Organisme& o) {
  if (!who.system && who.role() != Role::kAdministrator) {
    return Fail(msg::Forbidden("role.admin_required"));
  }
  if (o.code.size() != 3 || !std::all_of(o.code.begin(), o.code.end(), ::isdigit)) {
    return Fail(msg::Invalid("admin.fund_code", "code"));
  }
  if (o.name.empty() || o.name.size() > 200) {
    return Fail(msg::Invalid("admin.fund_name_required", "name"));
  }
  if (!ZoneFromCode(o.zone)) return Fail(msg::Invalid("admin.zone_unknown", "zone"));
  if (!CheckRegionCode(o.region)) return Fail(msg::Invalid("admin.region_unknown", "region"));
  if (auto s = store.UpsertOrganisme(who.actor, o); !s) return s;
  store.Audit(who.actor, "organisme.save", o.code);
  return {};
}

}  // namespace amiable::service
