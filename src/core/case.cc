#include "core/case.h"

#include <string_view>

namespace amiable {
namespace {
struct StateInfo {
  CaseState state;
  const char* code;
  const char* label;
};
constexpr StateInfo kStates[] = {
    {CaseState::kReceived, "received", "Reçue, à examiner"},
    {CaseState::kInadmissible, "inadmissible", "Hors médiation (clôturée)"},
    {CaseState::kTakenInCharge, "taken_in_charge", "Prise en charge"},
    {CaseState::kInProgress, "in_progress", "En cours d'instruction"},
    {CaseState::kOnHold, "on_hold", "En attente (commission)"},
    {CaseState::kAnswered, "answered", "Réponse envoyée"},
    {CaseState::kClosed, "closed", "Clôturée"},
};
}  // namespace

const char* StateCode(CaseState s) { return kStates[static_cast<int>(s)].code; }
const char* StateLabel(CaseState s) { return kStates[static_cast<int>(s)].label; }

std::optional<CaseState> StateFromCode(std::string_view code) {
  for (const StateInfo& i : kStates) {
    if (code == i.code) return i.state;
  }
  return std::nullopt;
}

CaseState InferState(const Case& c) {
  if (c.admissibility == "irrecevable") return CaseState::kInadmissible;
  if (c.closed_on) return CaseState::kClosed;
  if (c.answered_on) return CaseState::kAnswered;
  if (c.taken_in_charge_on) return CaseState::kInProgress;
  return CaseState::kReceived;
}

const char* PersonRoleCode(PersonRole r) {
  switch (r) {
    case PersonRole::kBeneficiary:
      return "beneficiary";
    case PersonRole::kEmitter:
      return "emitter";
    case PersonRole::kLandlord:
      return "landlord";
  }
  return "beneficiary";
}

}  // namespace amiable
