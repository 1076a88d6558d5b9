// The mail settings of a fund (store/mail_settings.h) as the command line
// and the administration page read and write them.
//
// Contract: every call requires an administrator who sees the fund, or a
// system actor (the command line); else kForbidden
// "mail_settings.forbidden". Values are checked by the store (kInvalid with
// the field and a catalogue key). Writes are audited by the store. No call
// reads or returns a password: only the file path or the variable name.
#ifndef AMIABLE_SERVICE_MAIL_SETTINGS_SERVICE_H_
#define AMIABLE_SERVICE_MAIL_SETTINGS_SERVICE_H_

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "service/caller.h"
#include "store/store.h"

namespace amiable::service {

struct FundMailSettings {
  std::string organisme;
  std::optional<MailboxSettings> mailbox;
  std::optional<SmtpFundSettings> smtp;
  std::vector<EmitterRule> emitter_rules;
};

// kNotFound for an unknown fund.
Result<FundMailSettings> GetMailSettings(Store& store, const Caller& who,
                                         std::string_view organisme);
Status SaveMailbox(Store& store, const Caller& who, const MailboxSettings& m);
Status SaveSmtp(Store& store, const Caller& who, const SmtpFundSettings& s);
Result<int64_t> AddEmitterRule(Store& store, const Caller& who, const EmitterRule& r);
// The rule must belong to `organisme` (kNotFound otherwise).
Status RemoveEmitterRule(Store& store, const Caller& who, std::string_view organisme, int64_t id);

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_MAIL_SETTINGS_SERVICE_H_
