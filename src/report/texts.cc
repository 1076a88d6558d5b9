#include "report/texts.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "core/text.h"

namespace amiable::report {
namespace {

constexpr CommentedSection kCommented[] = {
    {"requests", "Nombre de saisines et évolution"},
    {"admissibility", "Les demandes hors médiation"},
    {"prior_step", "L'origine de la demande"},
    {"emitter", "L'émetteur de la demande"},
    {"channel", "Les modes de saisine"},
    {"cause", "Les causes de la demande (point de vue de la Caf)"},
    {"motive", "Les motifs de la demande (point de vue du demandeur)"},
    {"benefit", "Les prestations concernées"},
    {"delays", "Les délais de traitement"},
    {"household", "La typologie des foyers"},
    {"activity", "L'activité des requérants"},
    {"qf_bracket", "Le quotient familial"},
    {"response_mode", "Les modes de réponse"},
    {"resolution", "Les modes de résolution"},
    {"financial", "L'impact financier"},
    {"teleprocedure", "Focus : les saisines par téléprocédure"},
};

// The default introduction pages: written for amiable (French), facts from
// the texts that govern the mediation of the family branch.
constexpr std::string_view kIntroMediation =
    R"(La médiation administrative offre à toute personne en désaccord avec une décision de la Caf, ou confrontée à une difficulté qu'une première réclamation n'a pas réglée, un nouvel examen de sa situation par un interlocuteur neutre, extérieur au service qui a traité le dossier.

Généralisée dans la branche Famille par la loi n° 2018-727 du 10 août 2018 pour un État au service d'une société de confiance (dite loi **ESSOC**) et encadrée par l'article R. 115-5 du code de la sécurité sociale, elle est **gratuite** et se fait **par écrit**. Le médiateur exerce sa mission en toute impartialité : il ne reçoit d'instruction de personne sur le traitement d'une demande.

Le médiateur étudie le dossier, recueille l'avis des services, explique la règle appliquée et, lorsque la situation le justifie, propose une solution :
- la révision de la décision ;
- l'adaptation d'un plan de remboursement ;
- une information plus claire de l'allocataire sur ses droits et ses démarches.

Il répond par écrit, de manière motivée. Au-delà des situations individuelles, la médiation relève les difficultés qui se répètent et formule chaque année des préconisations pour améliorer le service rendu : ce rapport en rend compte.)";

constexpr std::string_view kIntroWho =
    R"(# Qui peut saisir la médiation ?
La demande suit une première réclamation restée sans réponse, ou dont la réponse ne permet pas de comprendre ou d'accepter la décision. Elle peut être présentée :
- par l'allocataire lui-même ou par une personne qu'il a mandatée ;
- par un proche, un aidant ou un travailleur social qui l'accompagne ;
- par un partenaire : bailleur, association, centre communal d'action sociale ;
- par une autre Caf, la Cnaf ou le médiateur d'un autre organisme de protection sociale ;
- par une institution : Défenseur des droits, services de l'État, élus ;
- par un service de la Caf elle-même.

# Comment saisir la médiation ?
La demande est écrite. Elle expose la difficulté rencontrée, la décision en cause et ce qui est attendu ; les pièces utiles peuvent y être jointes. Elle peut être adressée :
- par la téléprocédure de l'espace « Mon Compte » sur caf.fr ;
- par courriel à l'adresse de la médiation, pour les partenaires ;
- par courrier au médiateur administratif de la Caf.

Une demande complète et précise reçoit une réponse plus rapide. Une demande qui ne relève pas de la médiation est transmise au service compétent, et son auteur en est informé.)";

constexpr std::string_view kIntroNot =
    R"(La médiation ne remplace pas les voies de recours prévues par les textes. Elle n'est pas :
- un recours contentieux, ni une saisine de la commission de recours amiable ;
- une remise de dette, qui fait l'objet d'une demande distincte ;
- une rectification automatique du dossier ;
- une médiation familiale ;
- le règlement d'un différend privé, par exemple entre un locataire et son bailleur ou entre deux parents.

Elle ne traite pas non plus les signalements, les réquisitions, les aides collectives aux partenaires, ni les questions sans lien avec les prestations individuelles versées par la Caf.

Les échanges avec le médiateur sont confidentiels ; cette confidentialité ne cède que dans les cas prévus par la loi.)";

constexpr std::string_view kIntroConflict =
    R"(# Le principe
Le médiateur examine chaque demande en toute impartialité. Il veille à prévenir toute situation de conflit d'intérêts, c'est-à-dire toute situation où un intérêt personnel, qu'il soit familial, amical, professionnel ou financier, pourrait influencer, ou paraître influencer, l'examen d'un dossier.

Un conflit d'intérêts réunit **trois éléments** : un intérêt, direct ou indirect ; une interférence entre cet intérêt et la mission exercée ; une influence possible sur l'exercice impartial de cette mission. Un lien d'intérêts n'est donc pas à lui seul un conflit d'intérêts, mais il doit être identifié et déclaré.

# Le déport
Lorsqu'il a un lien avec la personne dont la demande est examinée, le médiateur le déclare et **se déporte** : il ne traite pas la demande, n'en reçoit pas les éléments et ne prend part à aucun échange qui la concerne. Le déport est organisé avec sa hiérarchie :
- la demande est confiée à un autre médiateur de la Caf ou, à défaut, au médiateur d'une autre Caf de la région ;
- les personnes concernées sont informées de la procédure suivie ;
- le déport est tracé dans le dossier.

La hiérarchie veille au respect de ces règles et peut elle-même demander le déport.)";

// kInvalid naming the section (its French title) and its code as the field.
Status Refuse(TextSection s, std::string_view key, std::string_view more = {}) {
  return Fail(msg::Invalid(key, TextSectionCode(s), {TextSectionTitle(s), more}));
}

}  // namespace

Signature ParseSignature(std::string_view text) {
  Signature s;
  const size_t nl = text.find('\n');
  s.name = Trim(text.substr(0, nl));
  if (nl != std::string_view::npos) {
    std::string rest(text.substr(nl + 1));
    std::replace(rest.begin(), rest.end(), '\n', ' ');
    s.title = Trim(rest);
  }
  return s;
}

std::string SignatureToText(const Signature& s) {
  const std::string name = Trim(s.name);
  const std::string title = Trim(s.title);
  if (name.empty() && title.empty()) return "";
  return title.empty() ? name : name + "\n" + title;
}

std::span<const CommentedSection> CommentedSections() { return kCommented; }

bool IsCommentedSection(std::string_view id) {
  return std::any_of(std::begin(kCommented), std::end(kCommented),
                     [&](const CommentedSection& c) { return c.id == id; });
}

Result<std::map<std::string, std::string>> ParseCommentaries(std::string_view json) {
  std::map<std::string, std::string> out;
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return out;
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(msg::Invalid("report.commentaries_invalid", "commentaries"));
  }
  for (const auto& [key, value] : j.items()) {
    if (!IsCommentedSection(key)) {
      return Fail(msg::Invalid("report.commentary_unknown_section", "commentaries", {key}));
    }
    if (!value.is_string()) return Fail(msg::Invalid("report.commentaries_invalid", key));
    std::string v = value.get<std::string>();
    if (v.find_first_not_of(" \t\r\n") != std::string::npos) out[key] = std::move(v);
  }
  return out;
}

std::string CommentariesToJson(const std::map<std::string, std::string>& c) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const CommentedSection& s : kCommented) {  // the report's order
    auto it = c.find(std::string(s.id));
    if (it != c.end() && it->second.find_first_not_of(" \t\r\n") != std::string::npos) {
      j[std::string(s.id)] = it->second;
    }
  }
  return j.empty() ? "" : j.dump(1);
}

std::string_view DefaultText(TextSection s) {
  switch (s) {
    case TextSection::kIntroMediation:
      return kIntroMediation;
    case TextSection::kIntroWho:
      return kIntroWho;
    case TextSection::kIntroNot:
      return kIntroNot;
    case TextSection::kIntroConflict:
      return kIntroConflict;
    default:
      return "";
  }
}

bool HasDefaultText(TextSection s) { return !DefaultText(s).empty(); }

Status CheckText(TextSection s, std::string_view text) {
  if (text.size() > kMaxTextBytes) {
    return Refuse(s, "report.text_too_long", "60 000");
  }
  switch (s) {
    case TextSection::kHighlights: {
      auto rows = ParseHighlights(text);
      if (!rows) return Refuse(s, "report.text_not_highlights");
      return {};
    }
    case TextSection::kCommentaries: {
      auto c = ParseCommentaries(text);
      if (!c) return Fail(c.error());
      return {};
    }
    case TextSection::kDirectorSignature:
    case TextSection::kMediatorSignature: {
      const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
      if (lines > 2) return Refuse(s, "report.signature_lines");
      size_t start = 0;
      while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        if (end - start > kMaxSignatureLine) return Refuse(s, "report.signature_too_long");
        start = end + 1;
      }
      return {};
    }
    default:
      return {};
  }
}

Result<MediatorTexts> ReadMediatorTexts(ReportTextStore& store, std::string_view fund_set,
                                        int year) {
  MediatorTexts t;
  for (TextSection s : kAllTextSections) {
    auto text = store.GetText(fund_set, year, s);
    if (!text) return Fail(text.error());
    switch (s) {
      case TextSection::kEditorial:
        t.editorial = std::move(*text);
        break;
      case TextSection::kHighlights: {
        auto rows = ParseHighlights(*text);
        if (!rows) return Fail(rows.error());
        t.highlights = std::move(*rows);
        break;
      }
      case TextSection::kFindings:
        t.findings = std::move(*text);
        break;
      case TextSection::kPlan:
        t.plan = std::move(*text);
        break;
      case TextSection::kDirectorEditorial:
        t.director_editorial = std::move(*text);
        break;
      case TextSection::kDirectorSignature:
        t.director_signature = ParseSignature(*text);
        break;
      case TextSection::kMediatorSignature:
        t.mediator_signature = ParseSignature(*text);
        break;
      case TextSection::kIntroMediation:
        t.intro_mediation = std::move(*text);
        break;
      case TextSection::kIntroWho:
        t.intro_who = std::move(*text);
        break;
      case TextSection::kIntroNot:
        t.intro_not = std::move(*text);
        break;
      case TextSection::kIntroConflict:
        t.intro_conflict = std::move(*text);
        break;
      case TextSection::kCommentaries: {
        auto c = ParseCommentaries(*text);
        if (!c) return Fail(c.error());
        t.commentaries = std::move(*c);
        break;
      }
      case TextSection::kFraudFocus:
        t.fraud_focus = std::move(*text);
        break;
    }
  }
  return t;
}

}  // namespace amiable::report
