// A fund's region (Organisme::region): a code of nomenclature::Region() (the
// 18 INSEE region codes) or empty when unknown. Pure functions, thread-safe.
#ifndef AMIABLE_CORE_REGION_H_
#define AMIABLE_CORE_REGION_H_

#include <string_view>

#include "core/case.h"
#include "core/error.h"

namespace amiable {

// Accepts "" (region unknown) and the codes of nomenclature::Region();
// anything else is kInvalid on `field` with a one-line French message naming
// the field and where the codes are listed (e.g. field "--region").
Status CheckRegionCode(std::string_view code, std::string_view field = "region");

// Both funds have a region and it is the same: the receiving mediator of a
// recusal may be chosen among the mediators of a fund of the same region.
// A fund with no region is in the same region as no fund (itself included).
bool SameRegion(const Organisme& a, const Organisme& b);

}  // namespace amiable

#endif  // AMIABLE_CORE_REGION_H_
