#include "service/acknowledgement.h"

namespace amiable::service {

OutboxMessage AcknowledgementMessage(std::string recipient, Date received_on) {
  OutboxMessage m;
  m.kind = "acknowledgement";
  m.recipient = std::move(recipient);
  m.subject = "Votre demande de médiation {reference} est enregistrée";
  m.body = "Bonjour,\n\nVotre demande de médiation a bien été reçue le " + received_on.ToFrench() +
           " sous la référence {reference}.\nLe médiateur l'examine et vous répondra. "
           "Rappelez cette référence dans vos échanges.\n\nLe médiateur administratif";
  return m;
}

}  // namespace amiable::service
