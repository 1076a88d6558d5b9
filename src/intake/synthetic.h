// Synthetic mediation cases for demonstrations and benchmarks.
//
// GenerateCases produces cases whose figures resemble the reference report of
// domain.md §6 (admissibility, channels, emitters, motives, benefits, causes,
// households, activities, family quotients, resolutions, delays, financial
// lines, fraud), with a few unknown values and a few receptions on weekends
// and public holidays, as real files have.
//
// Contracts:
// - Every case is valid per domain.md §7 and intake/interchange.h: codes from
//   core/nomenclature.h, dates in order (prior_step_on <= received_on <=
//   taken_in_charge_on <= answered_on <= closed_on), references
//   "ORG-YYYY-NNNNN" numbered by reception date within a fund and year, unique.
// - No date is after `until`: a case whose next step would fall after it is
//   left open at that step (not taken in charge, not answered or not closed).
// - Some cases taken in charge have internal requests (sent on or after the
//   taking in charge, answered after it or unanswered, never after `until`).
// - An inadmissible case has a reason, no taking-in-charge date, and is
//   answered and closed the same day or within a few days.
// - Deterministic: the same spec gives the same cases, byte for byte, with
//   the same standard library (the random engine is std::mt19937_64, the
//   distributions are our own).
// - Pure and thread-safe (no shared state besides the calendar's tables).
#ifndef AMIABLE_INTAKE_SYNTHETIC_H_
#define AMIABLE_INTAKE_SYNTHETIC_H_

#include <cstdint>
#include <string>
#include <vector>

#include "calendar/calendar.h"
#include "core/case.h"
#include "core/date.h"
#include "core/error.h"

namespace amiable {

struct SyntheticSpec {
  uint64_t seed = 1;
  std::string organisme = "631";  // 3-digit fund code, used in references
  WorkCalendar calendar;          // the fund's working days
  Date from;                      // first possible reception date
  Date until;                     // last possible date of anything (inclusive)
  // Receptions in a full `base_year`; other years scale by
  // (1 + yearly_growth)^(year - base_year), partial years pro rata.
  int cases_per_year = 270;
  int base_year = 0;  // 0: the year of `until`
  double yearly_growth = 0.0;
};

// Checks a spec: kInvalid when from > until, dates outside the calendar's
// range, a non 3-digit organisme, cases_per_year < 0 or > 1,000,000, growth
// outside (-1, 10], or more than 99,999 cases in one year (references have
// five digits).
Status CheckSpec(const SyntheticSpec& spec);

// The number of cases GenerateCases will produce for `year` (0 outside the
// spec's years).
int64_t SyntheticCasesInYear(const SyntheticSpec& spec, int year);

// Generates the cases of the spec in reception order (then by reference)
// and appends them to *out. Returns CheckSpec's error, if any, appending
// nothing. Time: about a microsecond per case.
Status GenerateCases(const SyntheticSpec& spec, std::vector<Case>* out);

// A fund of the national data set.
struct SyntheticFund {
  Organisme organisme;
  double weight = 1.0;  // relative size (mean 1 over the funds chosen)
};

// The ~100 French funds (one per département: code = département * 10 + 1,
// "201"/"202" for Corsica, "971".."976" overseas), with names, zones and
// INSEE region codes (nomenclature::Region()); the reference fund 631 first, then 671 (Bas-Rhin) and 974, then the others
// by code. At most AllFrenchFundsCount() funds; `count` is clamped to that.
// Weights are drawn deterministically from `seed` (a spread of about 1:10
// between the smallest and the largest fund) and normalised to mean 1.
std::vector<SyntheticFund> FrenchFunds(int count, uint64_t seed);
int AllFrenchFundsCount();

}  // namespace amiable

#endif  // AMIABLE_INTAKE_SYNTHETIC_H_
