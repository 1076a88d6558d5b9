// "Today" of one or several funds (issue 11, item 7): the local date in the
// zone of the funds (calendar/clock.h) when they share one, else the date in
// metropolitan France (Europe/Paris) — figures over funds of several zones
// are dated in Paris. An unknown fund, or none, is dated in Paris.
#ifndef AMIABLE_SERVICE_FUND_TODAY_H_
#define AMIABLE_SERVICE_FUND_TODAY_H_

#include <string>
#include <string_view>
#include <vector>

#include "calendar/clock.h"
#include "core/date.h"

namespace amiable {
class Store;
struct Actor;
}  // namespace amiable

namespace amiable::service {

// The zone shared by `organismes` (Paris when they differ, one is unknown,
// or the list is empty); `store` may be null (Paris).
Zone ZoneOfFunds(Store* store, const std::vector<std::string>& organismes);
Date TodayForFunds(const Clock& clock, Store* store, const std::vector<std::string>& organismes);
// The zone of the funds `actor` sees: her funds, or every fund of the
// database for an actor of all funds (one fund's database: its zone).
Zone ZoneOfActor(Store& store, const Actor& actor);
// Today of the funds `actor` sees: her funds, or every fund of the database
// for an actor of all funds (one fund's database: its zone).
Date TodayForActor(const Clock& clock, Store& store, const Actor& actor);

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_FUND_TODAY_H_
