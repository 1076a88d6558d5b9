// The acknowledgement every request gets (domain.md §2: "Every request gets
// an acknowledgement with its reference"), whatever its channel: the same
// French text for the online form and for a request received by mail.
#ifndef AMIABLE_SERVICE_ACKNOWLEDGEMENT_H_
#define AMIABLE_SERVICE_ACKNOWLEDGEMENT_H_

#include <string>

#include "core/date.h"
#include "store/case_store.h"

namespace amiable::service {

// An outbox message (kind "acknowledgement") to `recipient` saying the
// request received on `received_on` is registered; "{reference}" in subject
// and body is replaced by the case's reference when it is queued.
OutboxMessage AcknowledgementMessage(std::string recipient, Date received_on);

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_ACKNOWLEDGEMENT_H_
