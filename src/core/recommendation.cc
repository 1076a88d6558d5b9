#include "core/recommendation.h"

namespace amiable::recommendation {
namespace {
constexpr NomenclatureEntry kStatuses[] = {
    {"proposee", "proposée"},
    {"acceptee", "acceptée"},
    {"mise_en_oeuvre", "mise en œuvre"},
    {"abandonnee", "abandonnée"},
};
constexpr NomenclatureEntry kKinds[] = {
    {"constat", "constat"},
    {"preconisation", "préconisation"},
};
}  // namespace

const Nomenclature& Statuses() {
  static const Nomenclature n{"recommendation_status", kStatuses};
  return n;
}

const Nomenclature& Kinds() {
  static const Nomenclature n{"recommendation_kind", kKinds};
  return n;
}

bool IsClosed(std::string_view status) {
  return status == "mise_en_oeuvre" || status == "abandonnee";
}

}  // namespace amiable::recommendation
