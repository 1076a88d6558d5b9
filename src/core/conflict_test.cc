#include "core/conflict.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace amiable {
namespace {

Date D(const char* iso) { return *Date::Parse(iso); }

const Date kToday = D("2025-03-10");

Person P(PersonRole role, std::string name, std::string organisation = "") {
  Person p;
  p.role = role;
  p.name = std::move(name);
  p.organisation = std::move(organisation);
  return p;
}

InterestLink L(InterestLink::Subject subject, std::string value, std::string relation,
               std::string organisme = "", std::optional<Date> ended_on = std::nullopt) {
  return {subject, std::move(value), std::move(relation), std::move(organisme), ended_on};
}

// A housing-benefit case of a tenant, forwarded by a social worker of an association.
Case TenantCase() {
  Case c;
  c.reference = "631-2025-0042";
  c.organisme = "631";
  c.received_on = D("2025-03-03");
  c.allocataire_number = "1234567";
  c.benefits = std::vector<std::string>{"logement"};
  return c;
}

std::vector<Person> TenantPeople() {
  return {P(PersonRole::kBeneficiary, "Jean-Pierre DUPONT"),
          P(PersonRole::kEmitter, "Claire Petit", "Association Entraide Logement"),
          P(PersonRole::kLandlord, "SCI Les Tilleuls")};
}

using S = InterestLink::Subject;

struct ConflictCase {
  const char* name;
  InterestLink link;
  bool recusal;
  size_t findings;
  std::optional<Intensity> intensity;
  const char* party_part;
};

TEST(ConflictTest, TheThreeIs) {
  const ConflictCase cases[] = {
      // The example of domain.md: the mediator is the landlord of the tenant.
      {"mediator is the landlord", L(S::kOrganisation, "SCI les Tilleuls", "associé gérant"), true,
       1, Intensity::kStrong, "le bailleur (SCI Les Tilleuls)"},
      {"landlord as a person", L(S::kPerson, "sci LES tilleuls", "propriétaire bailleur"), true, 1,
       Intensity::kStrong, "le bailleur"},
      {"beneficiary is family, words in another order",
       L(S::kPerson, "Dupont Jean Pierre", "beau-frère"), true, 1, Intensity::kStrong,
       "l'allocataire (Jean-Pierre DUPONT)"},
      {"beneficiary with accents folded", L(S::kPerson, "jean-pierre dupônt", "voisin"), true, 1,
       Intensity::kStrong, "l'allocataire"},
      {"allocataire number", L(S::kAllocataireNumber, "123 4567", "conjoint"), true, 1,
       Intensity::kStrong, "l'allocataire n° 1234567"},
      {"emitter's organisation: moderate, to examine",
       L(S::kOrganisation, "association entraide logement", "bénévole au conseil d'administration"),
       false, 1, Intensity::kModerate, "l'émetteur de la demande (Claire Petit, Association"},
      {"emitter person: moderate", L(S::kPerson, "Claire PETIT", "amie"), false, 1,
       Intensity::kModerate, "l'émetteur de la demande (Claire Petit)"},
      // Interference: geographic.
      {"same fund", L(S::kPerson, "Jean-Pierre Dupont", "cousin", "631"), true, 1,
       Intensity::kStrong, "l'allocataire"},
      {"other fund's territory", L(S::kPerson, "Jean-Pierre Dupont", "cousin", "974"), false, 0,
       std::nullopt, ""},
      // Interference: temporal.
      {"ended recently",
       L(S::kOrganisation, "SCI Les Tilleuls", "ancien associé", "", D("2021-06-30")), true, 1,
       Intensity::kStrong, "le bailleur"},
      {"ended exactly five years ago",
       L(S::kOrganisation, "SCI Les Tilleuls", "ancien associé", "", D("2020-03-10")), true, 1,
       Intensity::kStrong, "le bailleur"},
      {"ended long ago",
       L(S::kOrganisation, "SCI Les Tilleuls", "ancien associé", "", D("2020-03-09")), false, 0,
       std::nullopt, ""},
      // No material interference.
      {"unrelated person", L(S::kPerson, "Jean Dupont", "frère"), false, 0, std::nullopt, ""},
      {"other allocataire", L(S::kAllocataireNumber, "7654321", "fille"), false, 0, std::nullopt,
       ""},
      {"empty link", L(S::kPerson, " - ", "?"), false, 0, std::nullopt, ""},
  };
  const std::vector<Person> people = TenantPeople();
  for (const ConflictCase& cc : cases) {
    SCOPED_TRACE(cc.name);
    const std::vector<InterestLink> links = {cc.link};
    ConflictAssessment a = AssessConflict(TenantCase(), people, links, kToday);
    EXPECT_EQ(a.recusal_suggested, cc.recusal);
    ASSERT_EQ(a.findings.size(), cc.findings);
    EXPECT_FALSE(a.summary.empty());
    if (cc.findings == 1) {
      EXPECT_EQ(a.findings[0].link_index, 0u);
      EXPECT_EQ(a.findings[0].intensity, *cc.intensity);
      EXPECT_NE(a.findings[0].party.find(cc.party_part), std::string::npos) << a.findings[0].party;
      EXPECT_NE(a.findings[0].explanation.find("Intérêt"), std::string::npos);
      EXPECT_NE(a.findings[0].explanation.find("interférence"), std::string::npos);
      EXPECT_NE(a.findings[0].explanation.find("intensité"), std::string::npos);
    }
  }
}

TEST(ConflictTest, SummaryAndExplanationForTheLandlordExample) {
  const std::vector<InterestLink> links = {
      L(S::kPerson, "Marie Curie", "sœur"),
      L(S::kOrganisation, "SCI Les Tilleuls", "propriétaire bailleur", "631"),
  };
  ConflictAssessment a = AssessConflict(TenantCase(), TenantPeople(), links, kToday);
  EXPECT_TRUE(a.recusal_suggested);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].link_index, 1u);
  EXPECT_EQ(a.findings[0].explanation,
            "Intérêt : lien déclaré « propriétaire bailleur » avec SCI Les Tilleuls ; "
            "interférence : le bailleur (SCI Les Tilleuls) du dossier, sur le territoire de la "
            "Caf 631, lien en cours ; intensité forte : la décision concerne directement cette "
            "personne.");
  EXPECT_EQ(a.summary,
            "Déport conseillé : 1 lien d'intérêts déclaré concerne directement ce dossier.");
}

TEST(ConflictTest, SeveralFindings) {
  const std::vector<InterestLink> links = {
      L(S::kAllocataireNumber, "1234567", "conjoint"),
      L(S::kOrganisation, "Association Entraide Logement", "bénévole"),
      L(S::kPerson, "Jean-Pierre Dupont", "conjoint"),
  };
  ConflictAssessment a = AssessConflict(TenantCase(), TenantPeople(), links, kToday);
  EXPECT_TRUE(a.recusal_suggested);
  ASSERT_EQ(a.findings.size(), 3u);
  EXPECT_EQ(a.summary,
            "Déport conseillé : 2 liens d'intérêts déclarés concernent directement ce dossier.");
}

TEST(ConflictTest, OnlyModerateFindings) {
  const std::vector<InterestLink> links = {L(S::kPerson, "Claire Petit", "ancienne collègue")};
  ConflictAssessment a = AssessConflict(TenantCase(), TenantPeople(), links, kToday);
  EXPECT_FALSE(a.recusal_suggested);
  EXPECT_EQ(a.summary, "Pas de déport conseillé d'office : 1 lien à examiner.");
}

TEST(ConflictTest, NothingDeclaredNothingFound) {
  ConflictAssessment a = AssessConflict(TenantCase(), TenantPeople(), {}, kToday);
  EXPECT_FALSE(a.recusal_suggested);
  EXPECT_TRUE(a.findings.empty());
  EXPECT_EQ(a.summary, "Aucun lien d'intérêts déclaré ne concerne ce dossier.");
  // A case without an allocataire number or people cannot match.
  Case bare;
  bare.organisme = "631";
  const std::vector<InterestLink> links = {L(S::kAllocataireNumber, "1234567", "moi")};
  EXPECT_FALSE(AssessConflict(bare, {}, links, kToday).recusal_suggested);
}

TEST(ConflictTest, LeapDayMemory) {
  // Five years before 29 February 2024 is 28 February 2019.
  const std::vector<InterestLink> links = {
      L(S::kAllocataireNumber, "1234567", "ex", "", D("2019-02-28"))};
  EXPECT_TRUE(AssessConflict(TenantCase(), {}, links, D("2024-02-29")).recusal_suggested);
  const std::vector<InterestLink> older = {
      L(S::kAllocataireNumber, "1234567", "ex", "", D("2019-02-27"))};
  EXPECT_FALSE(AssessConflict(TenantCase(), {}, older, D("2024-02-29")).recusal_suggested);
}

struct FoldCase {
  const char* in;
  const char* out;
};

TEST(ConflictTest, FoldForMatching) {
  const FoldCase cases[] = {
      {"Jean-Pierre DUPONT", "jean pierre dupont"},
      {"  Élodie  Bœuf-Çà ", "elodie boeuf ca"},
      {"l’aide au logement", "l aide au logement"},
      {"ÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÇ àâäéèêëîïôöùûüÿç", "aaaeeeeiioouuuyc aaaeeeeiioouuuyc"},
      {"SCI n°12", "sci n 12"},
      {"", ""},
      {"---", ""},
  };
  for (const FoldCase& fc : cases) EXPECT_EQ(FoldForMatching(fc.in), fc.out) << fc.in;
}

}  // namespace
}  // namespace amiable
