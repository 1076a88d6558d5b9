// Every fund's recommendations of a year gathered by theme, for the
// national report ("le bilan de l'ensemble des préconisations émises";
// issue 10, items 5 and 6). The national report's writer (report/national*)
// calls GatherRegister and prints the counts and the texts.
//
// Contracts:
// - The items are those of `year` of every fund `reader` sees (the national
//   role and administrators: every fund), each counted once under its theme
//   with its status at the end of the year (report/register.h StatusAt).
// - Themes come in the nomenclature's order; every active theme is listed,
//   even without items, and an inactive one only when items use it.
// - Within a theme, items come by fund code, then by their position.
#ifndef AMIABLE_REPORT_REGISTER_SUMMARY_H_
#define AMIABLE_REPORT_REGISTER_SUMMARY_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/case.h"
#include "store/actor.h"
#include "store/report_data.h"

namespace amiable {
class Store;
}

namespace amiable::report {

// Counts in the order of recommendation::Statuses(): proposée, acceptée,
// mise en œuvre, abandonnée.
using StatusCounts = std::array<int64_t, 4>;

struct GatheredItem {
  std::string organisme;   // "631"
  std::string fund_name;   // "Caf du Puy-de-Dôme" (the code when unknown)
  std::string kind;        // "constat" | "preconisation"
  std::string text;        // light markup
  std::string addressed_to;
  std::string status;      // at the end of the year
};

struct GatheredTheme {
  std::string code;
  std::string label;
  StatusCounts by_status{};
  int64_t total = 0;
  int64_t constats = 0;        // of total, kind "constat"
  std::vector<GatheredItem> items;
};

struct GatheredRegister {
  int year = 0;
  std::vector<GatheredTheme> themes;
  StatusCounts by_status{};
  int64_t total = 0;
  int64_t funds = 0;  // funds with at least one item
};

// Pure: gathers `items` (other years are ignored) under `themes`, naming
// funds from `funds`.
GatheredRegister GatherRegisterFrom(const std::vector<RecommendationTheme>& themes,
                                    const std::vector<Recommendation>& items,
                                    const std::vector<Organisme>& funds, int year);

// Reads the themes, the funds and the items of `year` as `reader` sees them.
Result<GatheredRegister> GatherRegister(Store& store, const Actor& reader, int year);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_REGISTER_SUMMARY_H_
