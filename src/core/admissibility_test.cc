#include "core/admissibility.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace amiable {
namespace {

Date D(const char* iso) { return *Date::Parse(iso); }

struct SuggestionCase {
  const char* name;
  std::optional<std::string> prior_step;
  std::optional<const char*> prior_step_on;
  std::optional<std::vector<std::string>> benefits;
  const char* description;
  const char* admissibility;
  std::optional<std::string> reason;
  const char* explanation_part;
};

using B = std::vector<std::string>;

TEST(AdmissibilityTest, SuggestionsFollowTheRules) {
  const SuggestionCase cases[] = {
      {"no prior step recorded", std::nullopt, std::nullopt, B{"rsa"}, "", "irrecevable",
       "absence_demarche_prealable", "n'est renseignée"},
      {"prior step none", "aucune", std::nullopt, B{"rsa"}, "", "irrecevable",
       "absence_demarche_prealable", "Aucune démarche préalable n'a été faite"},
      {"complaint the same day", "reclamation", "2025-01-06", B{"logement"}, "", "irrecevable",
       "absence_demarche_prealable", "même jour"},
      {"complaint after the request", "reclamation", "2025-01-08", B{"logement"}, "", "irrecevable",
       "absence_demarche_prealable", "postérieure"},
      {"contentious appeal", "recours_contentieux", "2024-12-01", B{"logement"}, "", "irrecevable",
       "recours_contentieux", "recours contentieux"},
      {"contentious appeal, date unknown", "recours_contentieux", std::nullopt, B{"rsa"}, "",
       "irrecevable", "recours_contentieux", "recours contentieux"},
      {"complaint the day before", "reclamation", "2025-01-05", B{"logement", "rsa"}, "",
       "recevable", std::nullopt, "rien ne s'oppose"},
      {"amicable appeal before", "recours_amiable", "2024-11-20", B{"paje"}, "", "recevable",
       std::nullopt, "rien ne s'oppose"},
      {"prior step without date", "reclamation", std::nullopt, B{"rsa"}, "", "recevable",
       std::nullopt, "rien ne s'oppose"},
      {"only other benefits", "reclamation", "2024-12-10", B{"autre"}, "", "irrecevable",
       "hors_champ", "aucune prestation individuelle"},
      {"other and a Caf benefit", "reclamation", "2024-12-10", B{"autre", "ppa"}, "", "recevable",
       std::nullopt, "rien ne s'oppose"},
      {"benefits unknown, out-of-field description", "reclamation", "2024-12-10", std::nullopt,
       "Ma pension de RETRAITE n'a pas été versée", "irrecevable", "hors_champ", "« retraite »"},
      {"benefits empty, collective aid", "reclamation", "2024-12-10", B{},
       "Subvention pour les aides collectives du centre social", "irrecevable", "hors_champ",
       "aides collectives"},
      {"out-of-field words but a Caf benefit named", "reclamation", "2024-12-10", std::nullopt,
       "France Travail a transmis ma situation, mon RSA est suspendu", "recevable", std::nullopt,
       "rien ne s'oppose"},
      {"out-of-field words but benefits known", "reclamation", "2024-12-10", B{"handicap"},
       "La CPAM et la Caf se renvoient mon dossier", "recevable", std::nullopt, "rien ne s'oppose"},
      {"word inside another word is no hint", "reclamation", "2024-12-10", std::nullopt,
       "Les impotentes démarches", "recevable", std::nullopt, "rien ne s'oppose"},
      {"no prior step wins over out of field", "aucune", std::nullopt, B{"autre"}, "",
       "irrecevable", "absence_demarche_prealable", "Aucune"},
  };
  for (const SuggestionCase& sc : cases) {
    SCOPED_TRACE(sc.name);
    Case c;
    c.received_on = D("2025-01-06");
    c.prior_step = sc.prior_step;
    if (sc.prior_step_on) c.prior_step_on = D(*sc.prior_step_on);
    c.benefits = sc.benefits;
    c.description = sc.description;
    AdmissibilitySuggestion s = SuggestAdmissibility(c);
    EXPECT_EQ(s.admissibility, sc.admissibility);
    EXPECT_EQ(s.reason, sc.reason);
    EXPECT_NE(s.explanation.find(sc.explanation_part), std::string::npos) << s.explanation;
  }
}

struct NoteCase {
  const char* description;
  const char* note_part;  // nullptr: no note expected
};

TEST(AdmissibilityTest, NotesPointAtWhatTheMediatorMustCheck) {
  const NoteCase cases[] = {
      {"Je demande une remise de dette pour mon indu de RSA", "commission de recours amiable"},
      {"Demande de REMISE GRACIEUSE", "commission de recours amiable"},
      {"Nous souhaitons une médiation familiale", "médiation familiale"},
      {"Conflit avec mon propriétaire sur l'APL", "litige d'ordre privé"},
      {"Désaccord avec mon ex-conjoint sur l'ASF", "litige d'ordre privé"},
      {"Je veux dénoncer mon voisin", "dénonciation"},
      {"J'ai saisi le tribunal administratif", "procédure judiciaire"},
      {"Mon APL n'est pas versée depuis mars", nullptr},
      {"Mon propriétaire n'a pas reçu l'APL", nullptr},  // a landlord alone is no dispute
  };
  for (const NoteCase& nc : cases) {
    SCOPED_TRACE(nc.description);
    Case c;
    c.received_on = D("2025-01-06");
    c.prior_step = "reclamation";
    c.prior_step_on = D("2024-12-01");
    c.benefits = B{"logement"};
    c.description = nc.description;
    AdmissibilitySuggestion s = SuggestAdmissibility(c);
    if (nc.note_part == nullptr) {
      EXPECT_TRUE(s.notes.empty()) << s.notes.front();
    } else {
      ASSERT_EQ(s.notes.size(), 1u);
      EXPECT_NE(s.notes[0].find(nc.note_part), std::string::npos) << s.notes[0];
    }
    // Notes never change the suggestion.
    EXPECT_EQ(s.admissibility, "recevable");
  }
}

TEST(AdmissibilityTest, MissingPriorStepDateIsANote) {
  Case c;
  c.received_on = D("2025-01-06");
  c.prior_step = "reclamation";
  AdmissibilitySuggestion s = SuggestAdmissibility(c);
  EXPECT_EQ(s.admissibility, "recevable");
  ASSERT_EQ(s.notes.size(), 1u);
  EXPECT_NE(s.notes[0].find("date de la démarche préalable"), std::string::npos);
}

}  // namespace
}  // namespace amiable
