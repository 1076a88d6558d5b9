// The funds (organismes) as the administration page writes them.
//
// Contract: SaveFund adds or replaces the fund `o.code` when the caller is
// an administrator or a system actor (else kForbidden "role.admin_required")
// and every field is valid, else kInvalid carrying the catalogue key and the
// field: "code" (3 digits: admin.fund_code), "name" (1..200 bytes:
// admin.fund_name_required), "zone" (calendar zones: admin.zone_unknown),
// "region" (empty or one of the 18 INSEE codes, core/region.h:
// admin.region_unknown). Store errors as they come. Audited.
#ifndef AMIABLE_SERVICE_FUNDS_H_
#define AMIABLE_SERVICE_FUNDS_H_

#include "core/case.h"
#include "core/error.h"
#include "service/caller.h"
#include "store/store.h"

namespace amiable::service {

Status SaveFund(Store& store, const Caller& who, const Organisme& o);

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_FUNDS_H_
