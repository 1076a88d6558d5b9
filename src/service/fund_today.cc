#include "service/fund_today.h"

#include <optional>

#include "store/store.h"

namespace amiable::service {

Zone ZoneOfFunds(Store* store, const std::vector<std::string>& organismes) {
  if (store == nullptr || organismes.empty()) return Zone::kMetropole;
  auto all = store->ListOrganismes();
  if (!all) return Zone::kMetropole;
  std::optional<Zone> shared;
  for (const std::string& code : organismes) {
    std::optional<Zone> z;
    for (const Organisme& o : *all) {
      if (o.code == code) z = ZoneFromCode(o.zone);
    }
    if (!z || (shared && *shared != *z)) return Zone::kMetropole;
    shared = z;
  }
  return shared.value_or(Zone::kMetropole);
}

Date TodayForFunds(const Clock& clock, Store* store, const std::vector<std::string>& organismes) {
  return TodayIn(clock, ZoneOfFunds(store, organismes));
}

Zone ZoneOfActor(Store& store, const Actor& actor) {
  if (!actor.all_funds) return ZoneOfFunds(&store, actor.organismes);
  std::vector<std::string> codes;
  if (auto all = store.ListOrganismes()) {
    for (const Organisme& o : *all) codes.push_back(o.code);
  }
  return ZoneOfFunds(&store, codes);
}

Date TodayForActor(const Clock& clock, Store& store, const Actor& actor) {
  return TodayIn(clock, ZoneOfActor(store, actor));
}

}  // namespace amiable::service
