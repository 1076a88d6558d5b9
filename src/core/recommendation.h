// The codes of the register of findings and recommendations (issue 10,
// item 6), with their French labels: one definition shared by the store
// (which refuses other codes) and the report (which prints the labels,
// report/register.h). The themes are data (recommendation_themes), not here.
// Pure and thread-safe.
#ifndef AMIABLE_CORE_RECOMMENDATION_H_
#define AMIABLE_CORE_RECOMMENDATION_H_

#include <string_view>

#include "core/nomenclature.h"

namespace amiable::recommendation {

// "proposee" (proposée), "acceptee" (acceptée), "mise_en_oeuvre" (mise en
// œuvre), "abandonnee" (abandonnée), in this order.
const Nomenclature& Statuses();
// "constat", "preconisation" (préconisation).
const Nomenclature& Kinds();
// Closed: "mise_en_oeuvre" and "abandonnee" (no further follow-up expected).
bool IsClosed(std::string_view status);

// Limits of the stored texts (characters counted as bytes of UTF-8).
inline constexpr size_t kMaxText = 20000;
inline constexpr size_t kMaxAddressedTo = 500;

}  // namespace amiable::recommendation

#endif  // AMIABLE_CORE_RECOMMENDATION_H_
