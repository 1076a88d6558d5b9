// Role: the mail settings of each fund (migration 10): the mailbox its
// correspondence arrives in (IMAP), the relay it sends through (SMTP) with
// its From, Reply-To and signature, and the table guessing the emitter of a
// message from its sender's address.
//
// Credentials: only the path of a file holding the password, or the NAME of
// an environment variable, are stored; never the password (mail/secrets.h
// reads it). Writes are audited. Role checks are the service's
// (service/mail_settings_service.h); the store checks values.
#ifndef AMIABLE_STORE_MAIL_SETTINGS_H_
#define AMIABLE_STORE_MAIL_SETTINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/actor.h"

namespace amiable {

struct MailboxSettings {
  std::string organisme;
  std::string imap_url;  // imap://host:port or imaps://host:port
  std::string user;
  std::string password_file;  // exactly one of these two, or none when user is empty
  std::string password_env;
  std::string inbox = "INBOX";
  std::string archive = "Archive";
  std::string quarantine = "Quarantine";
  bool enabled = true;
};

struct SmtpFundSettings {
  std::string organisme;
  std::string smtp_url;  // smtp://host:port or smtps://host:port
  std::string user;
  std::string password_file;
  std::string password_env;
  std::string from;      // "address" or "Name <address>", required
  std::string reply_to;  // an address, or empty
  std::string signature;  // appended to each body after a "-- " line; may be empty
};

struct EmitterRule {
  int64_t id = 0;
  std::string organisme;
  std::string match;    // "@domain.fr" or "someone@domain.fr", lowercase
  std::string emitter;  // a code of the emitter nomenclature (domain.md)
};

class MailSettingsStore {
 public:
  virtual ~MailSettingsStore() = default;

  // The enabled mailboxes, by organisme.
  virtual Result<std::vector<MailboxSettings>> Mailboxes();
  virtual Result<std::optional<MailboxSettings>> Mailbox(std::string_view organisme);
  // Creates or replaces. kInvalid (with field) on a bad URL, an empty
  // folder, an unknown fund, both or neither of password_file/password_env
  // when user is set, one of them when user is empty.
  virtual Status SaveMailbox(const Actor& actor, const MailboxSettings& m);

  virtual Result<std::optional<SmtpFundSettings>> Smtp(std::string_view organisme);
  // Creates or replaces. kInvalid: bad URL, from missing or not an address,
  // bad reply_to, credentials as for SaveMailbox, unknown fund.
  virtual Status SaveSmtp(const Actor& actor, const SmtpFundSettings& s);

  // The rules of a fund, by match.
  virtual Result<std::vector<EmitterRule>> EmitterRules(std::string_view organisme);
  // The new rule's id. kInvalid: bad match, unknown emitter code, unknown
  // fund; kConflict: the fund already has a rule for this match.
  virtual Result<int64_t> AddEmitterRule(const Actor& actor, EmitterRule r);
  // kNotFound for an unknown id.
  virtual Status RemoveEmitterRule(const Actor& actor, int64_t id);
  // The emitter guessed for a sender's address: an exact address rule first,
  // then the longest domain rule matching the address's domain or a parent
  // domain ("@defenseurdesdroits.fr" matches "x@a.defenseurdesdroits.fr");
  // nullopt when none. Case-insensitive.
  virtual Result<std::optional<std::string>> GuessEmitter(std::string_view organisme,
                                                          std::string_view address);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_MAIL_SETTINGS_H_
