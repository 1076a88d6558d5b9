// TEMPORARY (removed when wip-imap's store lands): defaults of MailSettingsStore.
#include "store/mail_settings.h"

namespace amiable {
namespace {
Error NotSupportedTmp(const char* what) { return Error::Internal(std::string(what) + " not supported"); }
}  // namespace
Result<std::vector<MailboxSettings>> MailSettingsStore::Mailboxes() { return Fail(NotSupportedTmp("Mailboxes")); }
Result<std::optional<MailboxSettings>> MailSettingsStore::Mailbox(std::string_view) { return Fail(NotSupportedTmp("Mailbox")); }
Status MailSettingsStore::SaveMailbox(const Actor&, const MailboxSettings&) { return Fail(NotSupportedTmp("SaveMailbox")); }
Result<std::optional<SmtpFundSettings>> MailSettingsStore::Smtp(std::string_view) { return Fail(NotSupportedTmp("Smtp")); }
Status MailSettingsStore::SaveSmtp(const Actor&, const SmtpFundSettings&) { return Fail(NotSupportedTmp("SaveSmtp")); }
Result<std::vector<EmitterRule>> MailSettingsStore::EmitterRules(std::string_view) { return Fail(NotSupportedTmp("EmitterRules")); }
Result<int64_t> MailSettingsStore::AddEmitterRule(const Actor&, EmitterRule) { return Fail(NotSupportedTmp("AddEmitterRule")); }
Status MailSettingsStore::RemoveEmitterRule(const Actor&, int64_t) { return Fail(NotSupportedTmp("RemoveEmitterRule")); }
Result<std::optional<std::string>> MailSettingsStore::GuessEmitter(std::string_view, std::string_view) { return std::optional<std::string>(); }
}  // namespace amiable
