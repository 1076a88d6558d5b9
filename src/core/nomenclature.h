// The nomenclatures of domain.md §3: stable lower-case codes with French
// labels. They are data: the defaults below are what a new database starts
// with; labels may be edited in the store, codes never change meaning.
// Order is the order of domain.md, which is the order of every output.
#ifndef AMIABLE_CORE_NOMENCLATURE_H_
#define AMIABLE_CORE_NOMENCLATURE_H_

#include <span>
#include <string_view>

namespace amiable {

struct NomenclatureEntry {
  std::string_view code;
  std::string_view label;  // French
};

struct Nomenclature {
  std::string_view name;  // "channel", "emitter", ... as in domain.md
  std::span<const NomenclatureEntry> entries;

  bool Contains(std::string_view code) const;
  // The label of a code, or the code itself when unknown.
  std::string_view Label(std::string_view code) const;
  // Index of a code in entries, -1 when absent.
  int IndexOf(std::string_view code) const;
};

namespace nomenclature {
const Nomenclature& Channel();
const Nomenclature& Emitter();
const Nomenclature& PriorStep();
const Nomenclature& Admissibility();
const Nomenclature& InadmissibilityReason();
const Nomenclature& Motive();
const Nomenclature& Benefit();
const Nomenclature& Cause();
const Nomenclature& Household();
const Nomenclature& Activity();
const Nomenclature& QfBracket();
const Nomenclature& ResponseMode();
const Nomenclature& Resolution();
const Nomenclature& FinancialKind();
const Nomenclature& Zone();
// The 18 regions by their INSEE code (code officiel géographique): 5
// overseas, "01" Guadeloupe ... "06" Mayotte, then 13 metropolitan, "11"
// Île-de-France ... "94" Corse; in code order. A fund's region
// (Organisme::region) is one of these codes or empty (unknown). Not in All():
// the list and its official names are fixed, not editable labels.
const Nomenclature& Region();
// All of the above but Region(), for administration pages and label overrides.
std::span<const Nomenclature* const> All();
// By name ("channel"...), nullptr when unknown.
const Nomenclature* Find(std::string_view name);
}  // namespace nomenclature

// The bracket code of a family quotient in euros: "0_500" (<= 500),
// "501_1000" (501-1000), "1001_plus" (> 1000).
std::string_view QfBracketOf(long long quotient_familial);

}  // namespace amiable

#endif  // AMIABLE_CORE_NOMENCLATURE_H_
