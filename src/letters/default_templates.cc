// The default French templates that ship with the product (letters/templates.h).
// Written for the mediator of a Caf: formal register, vouvoiement, the
// reference in the object line, the facts a requester must know (the 8
// working days of the taking in charge, the appeal deadlines that mediation
// does not suspend, where an inadmissible request should go).
#include <string>
#include <string_view>

#include "letters/templates.h"

namespace amiable::letters {
namespace {

struct Default {
  std::string_view code;
  std::string_view subject;
  std::string_view body;
};

constexpr Default kDefaults[] = {
    {"acknowledgement", "Accusé de réception de votre demande de médiation — {{reference}}",
     R"({{> opening}}

Nous avons bien reçu, le {{received_on}}, votre demande de médiation administrative. Elle est enregistrée sous la référence {{reference}} : merci de rappeler cette référence dans tous vos échanges avec nous.

Le médiateur vérifie d'abord que votre demande relève de la médiation, en particulier qu'une réclamation a déjà été adressée aux services de la {{fund_name}} sur le même sujet. Il s'engage à prendre votre demande en charge dans un délai de 8 jours ouvrés{{#deadline}}, soit au plus tard le {{deadline}}{{/deadline}}, puis vous informera de la suite qui lui est donnée.

La médiation ne suspend pas les délais de recours. Si vous souhaitez contester une décision devant la commission de recours amiable ou devant le tribunal, faites-le dans le délai indiqué sur la notification de cette décision, sans attendre la réponse du médiateur.

{{> closing}})"},

    {"admissibility", "Votre demande de médiation est recevable — {{reference}}",
     R"({{> opening}}

Votre demande de médiation reçue le {{received_on}}, référence {{reference}}, est recevable : le médiateur l'a prise en charge.{{#mediator_name}} Votre dossier est suivi par {{mediator_name}}.{{/mediator_name}}

Le médiateur réexamine votre situation en toute neutralité. Il étudie les pièces de votre dossier, peut interroger les services de la {{fund_name}} et pourra vous demander des informations ou des justificatifs complémentaires. Il vous adressera une réponse écrite au terme de son examen.

Nous vous rappelons que la médiation ne suspend pas les délais de recours prévus par la réglementation : s'il y a lieu, exercez votre recours dans le délai qui figure sur la notification de la décision contestée.

{{> closing}})"},

    {"inadmissibility", "Suite donnée à votre demande de médiation — {{reference}}",
     R"({{> opening}}

Nous avons étudié avec attention votre demande reçue le {{received_on}}, enregistrée sous la référence {{reference}}.

Cette demande ne relève pas de la médiation administrative{{#inadmissibility_reason}} (motif : {{inadmissibility_reason}}){{/inadmissibility_reason}}. Le médiateur intervient en dernier recours, lorsqu'une réclamation adressée aux services de la {{fund_name}} n'a pas reçu de réponse satisfaisante, et uniquement pour les prestations individuelles versées par la Caf.

{{#orientation}}
Afin que votre demande soit traitée, nous vous orientons vers : {{orientation}}. Cet interlocuteur est le mieux placé pour vous répondre.
{{/orientation}}

Si un désaccord persiste après cette démarche, vous pourrez de nouveau vous adresser au médiateur, en joignant la réponse obtenue.

{{> closing}})"},

    {"intermediate", "Votre demande de médiation est en cours d'examen — {{reference}}",
     R"({{> opening}}

Votre demande de médiation reçue le {{received_on}}, référence {{reference}}, est toujours en cours d'examen.

Son règlement dépend d'une décision qui n'a pas encore été prise{{#waiting_for}} : {{waiting_for}}{{/waiting_for}}. Dès que cette décision sera connue, le médiateur reprendra l'étude de votre dossier et vous adressera sa réponse.

Vous n'avez aucune démarche à accomplir d'ici là. Si votre situation change, n'hésitez pas à nous en informer en rappelant la référence de votre dossier.

{{> closing}})"},

    {"answer", "Réponse à votre demande de médiation — {{reference}}",
     R"({{> opening}}

Vous avez sollicité la médiation administrative de la {{fund_name}} le {{received_on}} (référence {{reference}}). Après réexamen de votre dossier, je suis en mesure de vous apporter la réponse suivante.

{{#response}}
{{response}}
{{/response}}
{{^response}}
[Exposez ici l'analyse du médiateur et la décision prise.]
{{/response}}

{{#amounts_total}}
Montants concernés :
{{#amounts}}
– {{label}} : {{amount}}
{{/amounts}}
{{/amounts_total}}

Cette réponse met fin à la médiation. Elle ne vous prive pas des voies de recours prévues par la réglementation, dont les délais figurent sur la notification de la décision en cause.

{{> closing}})"},

    {"opening", "", "Madame, Monsieur,"},
    {"closing", "",
     "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."},
    {"signature", "",
     "{{#mediator_name}}\n{{mediator_name}}\n{{/mediator_name}}\nLe médiateur administratif\n"
     "{{fund_name}}"},
    {"letterhead", "", "{{fund_name}}\nMédiation administrative"},
    {"place", "", ""},
};

}  // namespace

TemplateText DefaultTemplate(std::string_view code) {
  for (const Default& d : kDefaults) {
    if (d.code == code) return {std::string(d.subject), std::string(d.body)};
  }
  return {};
}

}  // namespace amiable::letters
