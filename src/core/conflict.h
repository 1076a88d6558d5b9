// Conflict of interest (domain.md §2): a mediator declares interest links in
// advance (déclaration de liens d'intérêts); before taking a case in charge
// the product compares them with the case's people. A conflict needs the
// three cumulative elements of the "3 i" rule; this check reads them so:
//
// - Intérêt: the mediator declared a link (a person, an organisation or an
//   allocataire number, with its relation: "propriétaire bailleur",
//   "conjoint", "bénévole"...). An undeclared interest cannot be found here.
// - Interférence, all three dimensions:
//     material   — the link designates a party of the case: the allocataire
//                  number of the case, or a person of the case (beneficiary,
//                  emitter, landlord) by name, or a person's organisation;
//     geographic — the link has no fund, or the case's fund;
//     temporal   — the link is current, or ended less than
//                  kInterestMemoryYears before `today`.
// - Intensité: strong when the link designates the person the decision is
//   about or who gains from it (the beneficiary, the allocataire number, the
//   landlord: housing benefit may be paid to them); moderate when it only
//   designates who forwarded the request (the emitter or its organisation).
//
// A recusal (déport, lifecycle event `recuse`) is suggested when at least one
// finding is strong. Moderate findings are reported "à examiner": the
// mediator, or the hierarchy, decides. Names match when their words are the
// same in any order, ignoring case, accents and punctuation ("DUPONT
// Jean-Pierre" = "jean pierre dupont"); a match is a hint, not proof
// (homonyms), which is why the result is a suggestion.
//
// Thread safety: reentrant.
#ifndef AMIABLE_CORE_CONFLICT_H_
#define AMIABLE_CORE_CONFLICT_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/date.h"

namespace amiable {

// Links that ended longer ago than this no longer interfere (the 5 years a
// French declaration of interests covers).
inline constexpr int kInterestMemoryYears = 5;

// One declared interest link of a mediator.
struct InterestLink {
  enum class Subject {
    kPerson,             // value: a person's name
    kOrganisation,       // value: a company, association, landlord body...
    kAllocataireNumber,  // value: an allocataire number (digits)
  };
  Subject subject = Subject::kPerson;
  std::string value;
  std::string relation;          // French, e.g. "propriétaire bailleur", "conjointe"
  std::string organisme;         // fund whose territory the interest lies in; "" = any
  std::optional<Date> ended_on;  // when the link ended; empty while current
};

enum class Intensity { kModerate, kStrong };

struct ConflictFinding {
  size_t link_index = 0;  // index in the `links` given
  Intensity intensity = Intensity::kModerate;
  std::string party;        // French: who in the case matched, "bailleur : SCI Les Tilleuls"
  std::string explanation;  // French: intérêt, interférence, intensité
};

struct ConflictAssessment {
  bool recusal_suggested = false;  // at least one strong finding
  std::vector<ConflictFinding> findings;
  std::string summary;  // French, one sentence
};

// Compares the links of one mediator with the case and its people (as the
// store keeps them). Never fails; empty inputs give no finding.
ConflictAssessment AssessConflict(const Case& c, std::span<const Person> people,
                                  std::span<const InterestLink> links, Date today);

// Text folded for matching: ASCII lower case, Latin accents removed
// (é -> e, œ -> oe), every other character a separator, words separated by
// one space, no leading or trailing space. Also used by admissibility hints.
std::string FoldForMatching(std::string_view text);

}  // namespace amiable

#endif  // AMIABLE_CORE_CONFLICT_H_
