#include "core/nomenclature.h"

#include <array>

namespace amiable {

bool Nomenclature::Contains(std::string_view code) const { return IndexOf(code) >= 0; }

std::string_view Nomenclature::Label(std::string_view code) const {
  const int i = IndexOf(code);
  return i < 0 ? code : entries[static_cast<size_t>(i)].label;
}

int Nomenclature::IndexOf(std::string_view code) const {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

namespace nomenclature {
namespace {

constexpr NomenclatureEntry kChannel[] = {
    {"teleprocedure", "Téléprocédure"}, {"courriel", "Courriel"},
    {"courrier", "Courrier"},           {"interne", "Sollicitation interne"},
    {"telephone", "Téléphone"},         {"accueil", "Accueil physique"},
};
constexpr NomenclatureEntry kEmitter[] = {
    {"allocataire", "Allocataire ou représentant mandaté"},
    {"tiers", "Proche, aidant, travailleur social, tuteur"},
    {"partenaire", "Partenaire institutionnel (bailleur, association, CCAS)"},
    {"caf_cnaf", "Autre Caf ou Cnaf"},
    {"mediateur_externe", "Médiateur d'un autre organisme"},
    {"defenseur_droits", "Défenseur des droits"},
    {"institution", "Services de l'État, élus"},
    {"service_interne", "Service interne"},
};
constexpr NomenclatureEntry kPriorStep[] = {
    {"reclamation", "Réclamation"},
    {"recours_amiable", "Recours amiable (CRA)"},
    {"recours_contentieux", "Recours contentieux"},
    {"aucune", "Aucune"},
};
constexpr NomenclatureEntry kAdmissibility[] = {
    {"recevable", "Recevable"},
    {"irrecevable", "Irrecevable (hors médiation)"},
};
constexpr NomenclatureEntry kInadmissibilityReason[] = {
    {"absence_demarche_prealable", "Absence de démarche préalable"},
    {"demande_renseignement", "Demande de renseignement"},
    {"envoi_pieces", "Envoi de pièces"},
    {"hors_champ", "Hors champ des prestations Caf"},
    {"litige_prive", "Litige d'ordre privé"},
    {"mediation_familiale", "Médiation familiale"},
    {"recours_contentieux", "Recours contentieux"},
    {"remise_dette", "Demande de remise de dette (CRA)"},
    {"denonciation", "Dénonciation"},
    {"autre", "Autre"},
};
constexpr NomenclatureEntry kMotive[] = {
    {"absence_reponse", "Absence de réponse"},
    {"absence_paiement", "Absence de paiement"},
    {"non_prise_en_compte", "Non prise en compte d'informations ou de pièces"},
    {"incomprehension_decision", "Incompréhension d'une décision"},
    {"incomprehension_indu", "Incompréhension d'un trop-perçu ou d'un remboursement"},
};
constexpr NomenclatureEntry kBenefit[] = {
    {"logement", "Aides au logement"},
    {"rsa", "Rsa"},
    {"ppa", "Prime d'activité"},
    {"handicap", "AAH, AEEH"},
    {"paje", "Paje (prime de naissance, allocation de base, CMG)"},
    {"famille", "Allocations familiales, complément familial, ARS"},
    {"asf_aripa", "ASF, pensions alimentaires"},
    {"autre", "Autre"},
};
constexpr NomenclatureEntry kCause[] = {
    {"pas_erreur_caf", "Pas d'erreur Caf"},
    {"erreur_legislation", "Erreur de législation"},
    {"erreur_liquidation", "Erreur de liquidation"},
    {"reponse_inadaptee", "Réponse Caf inadaptée"},
    {"absence_reponse", "Absence de réponse Caf"},
    {"delai_traitement", "Délai de traitement"},
    {"dysfonctionnement_informatique", "Dysfonctionnement informatique"},
};
constexpr NomenclatureEntry kHousehold[] = {
    {"isole", "Personne isolée"},
    {"monoparentale", "Famille monoparentale"},
    {"couple_avec_enfants", "Couple avec enfant(s)"},
    {"couple_sans_enfant", "Couple sans enfant"},
};
constexpr NomenclatureEntry kActivity[] = {
    {"salarie_eti", "Salarié ou travailleur indépendant"},
    {"chomeur", "Chômeur"},
    {"inactif", "Inactif, sans activité"},
    {"handicap_invalide", "Handicapé, invalide"},
};
constexpr NomenclatureEntry kQfBracket[] = {
    {"0_500", "QF ≤ 500 €"},
    {"501_1000", "QF de 501 à 1 000 €"},
    {"1001_plus", "QF > 1 000 €"},
};
constexpr NomenclatureEntry kResponseMode[] = {
    {"courriel", "Courriel"},
    {"telephone", "Téléphone"},
    {"courrier", "Courrier"},
};
constexpr NomenclatureEntry kResolution[] = {
    {"confirmee", "Décision confirmée"},
    {"revisee", "Décision révisée"},
    {"orientation_externe", "Orientation vers un tiers"},
    {"desistement", "Désistement, sans suite"},
};
constexpr NomenclatureEntry kFinancialKind[] = {
    {"rappel", "Rappel"},
    {"indu_detecte", "Indu détecté"},
    {"indu_annule", "Indu annulé"},
    {"indu_remis", "Indu remis (CRA)"},
};
constexpr NomenclatureEntry kZone[] = {
    {"metropole", "Métropole"},   {"alsace_moselle", "Alsace-Moselle"},
    {"guadeloupe", "Guadeloupe"}, {"martinique", "Martinique"},
    {"guyane", "Guyane"},         {"reunion", "La Réunion"},
    {"mayotte", "Mayotte"},
};

constexpr NomenclatureEntry kRegion[] = {
    {"01", "Guadeloupe"},
    {"02", "Martinique"},
    {"03", "Guyane"},
    {"04", "La Réunion"},
    {"06", "Mayotte"},
    {"11", "Île-de-France"},
    {"24", "Centre-Val de Loire"},
    {"27", "Bourgogne-Franche-Comté"},
    {"28", "Normandie"},
    {"32", "Hauts-de-France"},
    {"44", "Grand Est"},
    {"52", "Pays de la Loire"},
    {"53", "Bretagne"},
    {"75", "Nouvelle-Aquitaine"},
    {"76", "Occitanie"},
    {"84", "Auvergne-Rhône-Alpes"},
    {"93", "Provence-Alpes-Côte d'Azur"},
    {"94", "Corse"},
};

#define AMIABLE_NOMENCLATURE(fn, name, table)       \
  const Nomenclature& fn() {                        \
    static const Nomenclature n{name, table};       \
    return n;                                       \
  }

}  // namespace

AMIABLE_NOMENCLATURE(Channel, "channel", kChannel)
AMIABLE_NOMENCLATURE(Emitter, "emitter", kEmitter)
AMIABLE_NOMENCLATURE(PriorStep, "prior_step", kPriorStep)
AMIABLE_NOMENCLATURE(Admissibility, "admissibility", kAdmissibility)
AMIABLE_NOMENCLATURE(InadmissibilityReason, "inadmissibility_reason", kInadmissibilityReason)
AMIABLE_NOMENCLATURE(Motive, "motive", kMotive)
AMIABLE_NOMENCLATURE(Benefit, "benefit", kBenefit)
AMIABLE_NOMENCLATURE(Cause, "cause", kCause)
AMIABLE_NOMENCLATURE(Household, "household", kHousehold)
AMIABLE_NOMENCLATURE(Activity, "activity", kActivity)
AMIABLE_NOMENCLATURE(QfBracket, "qf_bracket", kQfBracket)
AMIABLE_NOMENCLATURE(ResponseMode, "response_mode", kResponseMode)
AMIABLE_NOMENCLATURE(Resolution, "resolution", kResolution)
AMIABLE_NOMENCLATURE(FinancialKind, "financial_kind", kFinancialKind)
AMIABLE_NOMENCLATURE(Zone, "zone", kZone)
AMIABLE_NOMENCLATURE(Region, "region", kRegion)
#undef AMIABLE_NOMENCLATURE

std::span<const Nomenclature* const> All() {
  static const std::array<const Nomenclature*, 15> all = {
      &Channel(), &Emitter(),   &PriorStep(),    &Admissibility(), &InadmissibilityReason(),
      &Motive(),  &Benefit(),   &Cause(),        &Household(),     &Activity(),
      &QfBracket(), &ResponseMode(), &Resolution(), &FinancialKind(), &Zone()};
  return all;
}

const Nomenclature* Find(std::string_view name) {
  for (const Nomenclature* n : All()) {
    if (n->name == name) return n;
  }
  return nullptr;
}

}  // namespace nomenclature

std::string_view QfBracketOf(long long qf) {
  if (qf <= 500) return "0_500";
  if (qf <= 1000) return "501_1000";
  return "1001_plus";
}

}  // namespace amiable
