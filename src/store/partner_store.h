// Partner access (issue 9, part 7): the exchange between the mediators of a
// case and its partners, and the setting that ends a partner's access when
// the case closes. Which cases a partner sees at all is decided in every
// case query (Query::RestrictCases): the cases it created (cases.created_by,
// migration 17, written by SubmitCase) and those granted to it
// (case_access), while the case is not closed when the setting is on.
//
// The SQL store implements PartnerStore (sql_partner.cc); callers reach it
// with AsPartnerStore(store) until it joins the Store union.
#ifndef AMIABLE_STORE_PARTNER_STORE_H_
#define AMIABLE_STORE_PARTNER_STORE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/actor.h"

namespace amiable {

class Store;

// One message of the exchange. A partner's messages and the messages a
// mediator posts to the partners: both are shown to the case's partners
// (a mediator's other correspondence, notes and history never are).
struct PartnerMessage {
  int64_t id = 0;
  std::string author;   // user name
  bool from_partner = false;
  std::string body;
  std::vector<int64_t> document_ids;  // documents of the case attached
  std::string at;                     // ISO UTC
};

class PartnerStore {
 public:
  virtual ~PartnerStore() = default;
  // Appends a message to the case's exchange (the actor must see the case:
  // kNotFound "case.not_found"), with a history row; returns its id.
  virtual Result<int64_t> AddPartnerMessage(const Actor& actor, std::string_view reference,
                                            const PartnerMessage& m) = 0;
  // The exchange, oldest first (kNotFound when the actor does not see it).
  virtual Result<std::vector<PartnerMessage>> PartnerMessages(const Actor& actor,
                                                              std::string_view reference) = 0;
  // The partner accounts of the case: its creator when a partner, and those
  // with a grant in force, by name (not disabled ones).
  virtual Result<std::vector<std::string>> CasePartners(const Actor& actor,
                                                        std::string_view reference) = 0;
};

// The SQL store's PartnerStore, or nullptr for a store without one (fakes).
PartnerStore* AsPartnerStore(Store& store);

// Whether a partner's access to a case ends when the case is closed
// (default true; AMIABLE_PARTNER_ACCESS_ENDS_AT_CLOSE=0 keeps it).
// Process-wide, thread-safe.
bool PartnerAccessEndsAtClose();
void SetPartnerAccessEndsAtClose(bool ends);

}  // namespace amiable

#endif  // AMIABLE_STORE_PARTNER_STORE_H_
