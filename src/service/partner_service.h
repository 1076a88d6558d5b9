// Partner access (issue 9, part 7, the successor of PEP'S): the rules of
// the exchange between a case's mediators and its partners (Défenseur des
// droits delegates, other bodies' mediators, social services).
//
// - A partner (Role::kPartner) sees the cases it created and those granted
//   to it (store/partner_store.h), while open unless the setting keeps them.
//   It creates a case with CaseService::Register for a fund it is attached
//   to; it cannot take charge, assign, decide, edit or note (CaseService
//   refuses: "partner.read_only").
// - The exchange: a partner posts messages with attachments to its case; a
//   mediator (any case role that sees the case, not a partner) posts
//   messages to the partners. Both are in the exchange; the partner sees
//   nothing else of the case's correspondence, notes or history.
// - Each post queues one notification email per recipient with no personal
//   data: a fixed subject and a link to the case page (case_url_base +
//   reference). A partner's message notifies the assigned mediator (nobody
//   when unassigned or without an address); a mediator's, every partner of
//   the case that has an address.
// - Mediators grant and revoke a partner (an active account of role
//   partner) on a case they see.
//
// Errors: kForbidden "partner.role" (the caller's role may not do this),
// kInvalid "partner.unknown" (not a partner account), "partner.body_required",
// kNotFound "case.not_found" (not visible), document errors of AddDocument.
#ifndef AMIABLE_SERVICE_PARTNER_SERVICE_H_
#define AMIABLE_SERVICE_PARTNER_SERVICE_H_

#include <string>
#include <string_view>
#include <vector>

#include "calendar/clock.h"
#include "service/caller.h"
#include "service/case_service.h"
#include "store/partner_store.h"
#include "store/store.h"

namespace amiable::service {

struct PartnerAttachment {
  std::string file_name;
  std::string bytes;
};

class PartnerService {
 public:
  PartnerService(Store& store, const Clock& clock, const DocumentFiles* files,
                 std::string case_url_base)
      : store_(store), clock_(clock), files_(files), url_base_(std::move(case_url_base)) {}

  Status Grant(const Caller& who, std::string_view reference, std::string_view partner);
  Status Revoke(const Caller& who, std::string_view reference, std::string_view partner);
  // The partners of the case (creator and grants in force).
  Result<std::vector<std::string>> Partners(const Caller& who, std::string_view reference);
  // Posts to the exchange in one transaction (message, documents, history,
  // notifications); returns the message's id.
  Result<int64_t> Post(const Caller& who, std::string_view reference, std::string body,
                       const std::vector<PartnerAttachment>& attachments);
  // The exchange and the documents attached to it (a partner downloads
  // only these).
  Result<std::vector<PartnerMessage>> Exchange(const Caller& who, std::string_view reference);
  Result<std::vector<DocumentMeta>> ExchangeDocuments(const Caller& who,
                                                      std::string_view reference);

  // The notification of a post, without personal data (tested).
  static OutboxMessage Notification(std::string_view recipient, std::string_view reference,
                                    std::string_view url_base, bool from_partner);

 private:
  Store& store_;
  const Clock& clock_;
  const DocumentFiles* files_;
  std::string url_base_;
};

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_PARTNER_SERVICE_H_
