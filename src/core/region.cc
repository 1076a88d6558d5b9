#include "core/region.h"

#include <string>

#include "core/nomenclature.h"

namespace amiable {

Status CheckRegionCode(std::string_view code, std::string_view field) {
  if (code.empty() || nomenclature::Region().Contains(code)) return {};
  std::string shown(code.substr(0, 20));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return Fail(Error::Invalid("région inconnue « " + shown +
                                 " » : code INSEE de région attendu, par exemple 84 "
                                 "(liste : amiable organisme regions ; docs/regions.md)",
                             std::string(field))
                  .Id("organisme.region_unknown"));
}

bool SameRegion(const Organisme& a, const Organisme& b) {
  return !a.region.empty() && a.region == b.region;
}

}  // namespace amiable
