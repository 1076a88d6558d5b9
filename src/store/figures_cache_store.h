// Role: the figures of a year cached per fund (issue 11, part figs;
// migration 23; docs/decisions/0012-figures-aggregates.md).
//
// Every write of what a fund's figures read — its cases, their financial
// lines and internal requests, its frozen figures, its calendar — changes
// the fund's version in the writing transaction (triggers of migration 23,
// so that no write path can forget it). A fund's figures of a year computed
// after reading version V are stored under V; they are served while the
// fund's version is still V. figures/figures.cc reads the versions BEFORE
// the cases, so a figure is never stored under a version newer than its data.
//
// Never an error for the cache itself: a failed write is a later miss.
#ifndef AMIABLE_STORE_FIGURES_CACHE_STORE_H_
#define AMIABLE_STORE_FIGURES_CACHE_STORE_H_

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace amiable {

class Store;

// A fund's figures of a year at a day of computation, in the complete form
// of figures/frozen.h (FrozenStateToJson), computed at `version`.
struct CachedFundFigures {
  std::string organisme;
  int year = 0;
  std::string as_of;  // YYYY-MM-DD
  std::string version;
  std::string state_json;
};

class FiguresCacheStore {
 public:
  virtual ~FiguresCacheStore() = default;

  // The version of every fund written at least once (a fund absent from the
  // map has the version "0"). On PostgreSQL, first compacts the change log
  // when it has grown (outside a transaction only, never waiting on writers).
  virtual Result<std::map<std::string, std::string>> FundDataVersions() = 0;

  // The cached rows of `year` at `as_of` for `organismes` (empty: every fund).
  virtual Result<std::vector<CachedFundFigures>> CachedFundFiguresOf(
      std::span<const std::string> organismes, int year, std::string_view as_of) = 0;

  // Stores `rows` (one transaction), replacing the rows of the same fund and
  // year computed at another version or more than 62 days before. Errors
  // are ignored: the cache is best effort.
  virtual void PutCachedFundFigures(std::span<const CachedFundFigures> rows) = 0;

  // Empties the cache (the versions stay): the next figures recompute.
  virtual Status ClearFiguresCache() = 0;
};

// The role on an opened store; nullptr for a store without it (test fakes):
// the figures are then always recomputed.
FiguresCacheStore* FiguresCacheOf(Store& store);

}  // namespace amiable

#endif  // AMIABLE_STORE_FIGURES_CACHE_STORE_H_
