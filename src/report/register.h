// The register of findings and recommendations as the report and the pages
// read it (issue 10, item 6). The store keeps the rows and checks them
// (store/report_data.h, sql_register.cc); the codes and their French labels
// are core/recommendation.h; here: the labels as the report prints them,
// the status of an item at the end of a year, what a fund's report of a
// year shows (the year's items, the follow-up of earlier ones), and moving
// an item within its year.
//
// Contracts:
// - An item's status at the end of year Y (StatusAt): from the year of its
//   last follow-up on, its current status; before, the status the last
//   follow-up reviewing a year <= Y set; before any follow-up, "proposee".
// - A fund's report of year Y shows every item of Y, and the earlier items
//   that were not closed at the end of Y - 1 or that have a follow-up
//   reviewing Y (so that an item closed in Y shows its closing), each with
//   its status at the end of Y and its follow-ups reviewing a year <= Y.
// - Errors are values; reads go through the store's authorization.
#ifndef AMIABLE_REPORT_REGISTER_H_
#define AMIABLE_REPORT_REGISTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/recommendation.h"
#include "store/actor.h"
#include "store/report_data.h"

namespace amiable {
class Store;
}

namespace amiable::report {

// "mise en œuvre", "préconisation"; the code itself when unknown.
std::string_view StatusLabel(std::string_view status);
std::string_view KindLabel(std::string_view kind);
// "Préconisation", "Constat".
std::string KindTitle(std::string_view kind);
// The label of theme `code` among `themes`, the code when unknown.
std::string ThemeLabel(const std::vector<RecommendationTheme>& themes, std::string_view code);

std::string StatusAt(const Recommendation& r, int year);

// What a fund's report of a year shows (see the contract above).
struct RegisterInputs {
  int year = 0;
  std::vector<RecommendationTheme> themes;
  std::vector<Recommendation> items;    // of the year, by fund, position
  std::vector<Recommendation> earlier;  // earlier years' items followed in the year
  bool empty() const { return items.empty() && earlier.empty(); }
};

// Picks from `all` (items of any year up to `year`) what the report of
// `year` shows; follow-ups reviewing a later year are dropped. Pure.
RegisterInputs SelectForReport(std::vector<RecommendationTheme> themes,
                               std::vector<Recommendation> all, int year);

// Reads the themes and the items of `organismes` (empty: every fund) up to
// `year` as `reader` sees them, and selects them. A store without the
// report data role gives an empty register.
Result<RegisterInputs> LoadRegister(Store& store, const Actor& reader,
                                    const std::vector<std::string>& organismes, int year);

// Moves item `id` one place up (delta < 0) or down (delta > 0) among the
// items of its fund, year and theme (the order the page and the report
// show), renumbering the fund's year 1..n, in one transaction. Nothing
// happens at either end. kNotFound / kForbidden as the store says.
Status MoveRecommendation(Store& store, const Actor& actor, int64_t id, int delta);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_REGISTER_H_
