#include "core/admissibility.h"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/conflict.h"  // FoldForMatching

namespace amiable {
namespace {

// Phrases (folded, see FoldForMatching) naming something outside individual
// Caf benefits: collective aids and other bodies' benefits.
constexpr std::string_view kOutOfField[] = {
    "aide collective",
    "aides collectives",
    "retraite",
    "assurance maladie",
    "cpam",
    "msa",
    "pole emploi",
    "france travail",
    "chomage",
    "impot",
    "impots",
    "mutuelle",
};

// Phrases naming a Caf benefit: when one appears, the out-of-field phrases
// above are not enough to suggest hors_champ.
constexpr std::string_view kCafBenefit[] = {
    "rsa",
    "prime d activite",
    "apl",
    "als",
    "alf",
    "aide au logement",
    "aides au logement",
    "allocation logement",
    "aah",
    "aeeh",
    "paje",
    "allocations familiales",
    "allocation familiale",
    "complement familial",
    "ars",
    "asf",
    "pension alimentaire",
    "pensions alimentaires",
    "cmg",
    "prime de naissance",
};

// Whole-word (or whole-phrase) search in folded text.
bool Mentions(const std::string& padded_folded, std::string_view phrase) {
  std::string needle = " ";
  needle += phrase;
  needle += ' ';
  return padded_folded.find(needle) != std::string::npos;
}

bool MentionsAny(const std::string& padded_folded, std::initializer_list<std::string_view> ps) {
  return std::any_of(ps.begin(), ps.end(),
                     [&](std::string_view p) { return Mentions(padded_folded, p); });
}

template <size_t N>
std::string_view FirstMention(const std::string& padded_folded, const std::string_view (&ps)[N]) {
  for (std::string_view p : ps) {
    if (Mentions(padded_folded, p)) return p;
  }
  return {};
}

AdmissibilitySuggestion Irrecevable(std::string reason, std::string explanation) {
  return {"irrecevable", std::move(reason), std::move(explanation), {}};
}

// Points a rule cannot decide alone, read from the description.
std::vector<std::string> Notes(const Case& c, const std::string& text) {
  std::vector<std::string> notes;
  if (c.prior_step && *c.prior_step != "aucune" && !c.prior_step_on) {
    notes.push_back(
        "La date de la démarche préalable n'est pas renseignée : vérifier qu'elle précède la "
        "demande de médiation.");
  }
  if (MentionsAny(text, {"remise de dette", "remise d indu", "remise gracieuse", "remise de l indu",
                         "remise de ma dette"})) {
    notes.push_back(
        "La demande évoque une remise de dette : elle relève de la commission de recours amiable "
        "(CRA), sauf contestation de la décision.");
  }
  if (Mentions(text, "mediation familiale")) {
    notes.push_back(
        "La demande évoque une médiation familiale, qui ne relève pas de la médiation "
        "administrative.");
  }
  if (MentionsAny(text, {"litige", "conflit", "desaccord", "differend"}) &&
      MentionsAny(text, {"bailleur", "proprietaire", "locataire", "ex conjoint", "ex conjointe",
                         "ex mari", "ex femme", "pere", "mere", "collegue"})) {
    notes.push_back(
        "La demande évoque un litige d'ordre privé (bailleur et locataire, parents…) : vérifier "
        "qu'elle porte bien sur une décision de la Caf.");
  }
  if (MentionsAny(text, {"denonce", "denoncer", "denonciation", "signaler une fraude"})) {
    notes.push_back("La demande ressemble à une dénonciation, qui ne relève pas de la médiation.");
  }
  if (MentionsAny(text, {"tribunal", "juge", "avocat", "contentieux", "requete"})) {
    notes.push_back(
        "La demande évoque une procédure judiciaire : un recours contentieux en cours exclut la "
        "médiation.");
  }
  return notes;
}

AdmissibilitySuggestion Decide(const Case& c, const std::string& text) {
  if (!c.prior_step) {
    return Irrecevable("absence_demarche_prealable",
                       "Aucune démarche préalable n'est renseignée : sans réclamation préalable "
                       "auprès de la Caf, la demande ne relève pas de la médiation.");
  }
  if (*c.prior_step == "aucune") {
    return Irrecevable("absence_demarche_prealable",
                       "Aucune démarche préalable n'a été faite : la demande doit d'abord être "
                       "adressée à la Caf sous forme de réclamation.");
  }
  if (*c.prior_step == "recours_contentieux") {
    return Irrecevable("recours_contentieux",
                       "Un recours contentieux a été engagé : la médiation ne peut pas s'y "
                       "substituer.");
  }
  if (c.prior_step_on && *c.prior_step_on == c.received_on) {
    return Irrecevable("absence_demarche_prealable",
                       "La démarche préalable date du même jour que la demande de médiation (" +
                           c.received_on.ToFrench() +
                           ") : la Caf n'a pas pu y répondre, elle ne compte pas comme démarche "
                           "préalable.");
  }
  if (c.prior_step_on && *c.prior_step_on > c.received_on) {
    return Irrecevable("absence_demarche_prealable",
                       "La démarche préalable (" + c.prior_step_on->ToFrench() +
                           ") est postérieure à la demande de médiation (" +
                           c.received_on.ToFrench() + ").");
  }
  const bool benefits_known = c.benefits && !c.benefits->empty();
  if (benefits_known && std::all_of(c.benefits->begin(), c.benefits->end(),
                                    [](const std::string& b) { return b == "autre"; })) {
    return Irrecevable("hors_champ",
                       "La demande ne porte sur aucune prestation individuelle servie par la Caf "
                       "(prestation « Autre » seulement) : à vérifier.");
  }
  if (!benefits_known && FirstMention(text, kCafBenefit).empty()) {
    if (std::string_view hint = FirstMention(text, kOutOfField); !hint.empty()) {
      return Irrecevable("hors_champ",
                         "La demande semble porter sur un sujet hors des prestations "
                         "individuelles de la Caf (« " +
                             std::string(hint) +
                             " ») et ne cite aucune prestation Caf : à vérifier.");
    }
  }
  return {"recevable",
          std::nullopt,
          "Une démarche préalable a été faite avant la demande et la demande porte sur des "
          "prestations de la Caf : rien ne s'oppose à la recevabilité.",
          {}};
}

}  // namespace

AdmissibilitySuggestion SuggestAdmissibility(const Case& c) {
  const std::string text = " " + FoldForMatching(c.description) + " ";
  AdmissibilitySuggestion s = Decide(c, text);
  s.notes = Notes(c, text);
  return s;
}

}  // namespace amiable
