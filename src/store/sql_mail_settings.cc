// The mail settings of a fund (store/mail_settings.h, migration 10).
#include <algorithm>
#include <cctype>

#include "core/messages.h"
#include "core/nomenclature.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

// "scheme://host[:port]" with scheme among `schemes`, no path beyond "/".
bool ValidUrl(std::string_view url, std::initializer_list<std::string_view> schemes) {
  if (HasControl(url) || url.find(' ') != std::string_view::npos) return false;
  for (std::string_view scheme : schemes) {
    const std::string prefix = std::string(scheme) + "://";
    if (!url.starts_with(prefix)) continue;
    std::string_view rest = url.substr(prefix.size());
    if (rest.ends_with('/')) rest.remove_suffix(1);
    if (rest.empty() || rest.find('/') != std::string_view::npos ||
        rest.find('@') != std::string_view::npos) {
      return false;  // credentials belong in user and the password file, not the URL
    }
    if (const size_t colon = rest.rfind(':');
        colon != std::string_view::npos && rest.front() != '[') {
      const std::string_view port = rest.substr(colon + 1);
      if (port.empty() || port.size() > 5 ||
          !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
      }
      if (colon == 0) return false;
    }
    return true;
  }
  return false;
}

// local@domain.tld, no spaces or controls.
bool ValidAddress(std::string_view a) {
  const size_t at = a.find('@');
  if (at == std::string_view::npos || at == 0 || a.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = a.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.') {
    return false;
  }
  return !HasControl(a) &&
         std::none_of(a.begin(), a.end(), [](char c) { return c == ' ' || c == '<' || c == '>' ||
                                                              c == '"' || c == ',' || c == ';'; });
}

// The address of "address" or "Name <address>".
std::string_view AddressOf(std::string_view from) {
  from = Trim(from);
  const size_t lt = from.rfind('<');
  if (lt != std::string_view::npos && from.ends_with('>')) {
    return from.substr(lt + 1, from.size() - lt - 2);
  }
  return from;
}

Status CheckCredentials(std::string_view user, std::string_view file, std::string_view env) {
  if (HasControl(user) || HasControl(file) || HasControl(env)) {
    return Fail(msg::Invalid("mail_settings.credentials", "user"));
  }
  if (user.empty()) {
    if (!file.empty() || !env.empty()) {
      return Fail(msg::Invalid("mail_settings.credentials", "user"));
    }
    return {};
  }
  if (file.empty() == env.empty()) {
    return Fail(msg::Invalid("mail_settings.credentials", "password_file"));
  }
  if (!env.empty() && !std::all_of(env.begin(), env.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
      })) {
    return Fail(msg::Invalid("mail_settings.env_name", "password_env", {env}));
  }
  return {};
}

}  // namespace

namespace {
MailboxSettings ReadMailbox(const soci::row& r) {
  MailboxSettings m;
  m.organisme = GetString(r, 0);
  m.imap_url = GetString(r, 1);
  m.user = GetString(r, 2);
  m.password_file = GetString(r, 3);
  m.password_env = GetString(r, 4);
  m.inbox = GetString(r, 5);
  m.archive = GetString(r, 6);
  m.quarantine = GetString(r, 7);
  m.enabled = GetInt(r, 8) != 0;
  return m;
}
constexpr std::string_view kMailboxColumns =
    "SELECT organisme, imap_url, user_name, password_file, password_env, inbox, archive, "
    "quarantine, enabled FROM mail_mailboxes";
}  // namespace

Result<std::vector<MailboxSettings>> SqlStore::Mailboxes() {
  try {
    std::vector<MailboxSettings> out;
    Query q;
    q << kMailboxColumns << " WHERE enabled = 1 ORDER BY organisme";
    Fetch(q, [&](const soci::row& r) {
      out.push_back(ReadMailbox(r));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::optional<MailboxSettings>> SqlStore::Mailbox(std::string_view organisme) {
  try {
    Query q;
    q << kMailboxColumns << " WHERE organisme = ";
    q.Bind(std::string(organisme));
    std::optional<MailboxSettings> out;
    Fetch(q, [&](const soci::row& r) {
      out = ReadMailbox(r);
      return false;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::SaveMailbox(const Actor& actor, const MailboxSettings& m) {
  if (!ValidUrl(m.imap_url, {"imap", "imaps"})) {
    return Fail(msg::Invalid("mail_settings.imap_url", "imap_url", {m.imap_url}));
  }
  const std::pair<const char*, const std::string*> folders[] = {
      {"inbox", &m.inbox}, {"archive", &m.archive}, {"quarantine", &m.quarantine}};
  for (const auto& [field, value] : folders) {
    if (Trim(*value).empty() || HasControl(*value)) {
      return Fail(msg::Invalid("mail_settings.folder", field));
    }
  }
  if (m.inbox == m.archive || m.inbox == m.quarantine) {
    return Fail(msg::Invalid("mail_settings.folder_same", "archive"));
  }
  if (auto c = CheckCredentials(m.user, m.password_file, m.password_env); !c) return c;
  return InTransaction([&]() -> Status {
    int funds = 0;
    sql_ << "SELECT COUNT(*) FROM organismes WHERE code = :c", soci::use(m.organisme),
        soci::into(funds);
    if (!funds) return Fail(msg::Invalid("mail_settings.fund_unknown", "organisme", {m.organisme}));
    sql_ << "DELETE FROM mail_mailboxes WHERE organisme = :c", soci::use(m.organisme);
    int enabled = m.enabled ? 1 : 0;
    sql_ << "INSERT INTO mail_mailboxes (organisme, imap_url, user_name, password_file, "
            "password_env, inbox, archive, quarantine, enabled) "
            "VALUES (:o, :u, :n, :f, :e, :i, :a, :q, :x)",
        soci::use(m.organisme), soci::use(m.imap_url), soci::use(m.user),
        soci::use(m.password_file), soci::use(m.password_env), soci::use(m.inbox),
        soci::use(m.archive), soci::use(m.quarantine), soci::use(enabled);
    return AuditNoTx(actor, "mail.mailbox.save", m.organisme);
  });
}

Result<std::optional<SmtpFundSettings>> SqlStore::Smtp(std::string_view organisme) {
  try {
    Query q;
    q << "SELECT organisme, smtp_url, user_name, password_file, password_env, from_address, "
         "reply_to, signature FROM mail_smtp WHERE organisme = ";
    q.Bind(std::string(organisme));
    std::optional<SmtpFundSettings> out;
    Fetch(q, [&](const soci::row& r) {
      SmtpFundSettings s;
      s.organisme = GetString(r, 0);
      s.smtp_url = GetString(r, 1);
      s.user = GetString(r, 2);
      s.password_file = GetString(r, 3);
      s.password_env = GetString(r, 4);
      s.from = GetString(r, 5);
      s.reply_to = GetString(r, 6);
      s.signature = GetString(r, 7);
      out = std::move(s);
      return false;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::SaveSmtp(const Actor& actor, const SmtpFundSettings& s) {
  if (!ValidUrl(s.smtp_url, {"smtp", "smtps"})) {
    return Fail(msg::Invalid("mail_settings.smtp_url", "smtp_url", {s.smtp_url}));
  }
  if (Trim(s.from).empty()) return Fail(msg::Invalid("mail_settings.from_required", "from"));
  if (HasControl(s.from) || !ValidAddress(AddressOf(s.from))) {
    return Fail(msg::Invalid("mail_settings.address", "from", {s.from}));
  }
  if (!s.reply_to.empty() && !ValidAddress(Trim(s.reply_to))) {
    return Fail(msg::Invalid("mail_settings.address", "reply_to", {s.reply_to}));
  }
  if (s.signature.size() > 4000) {
    return Fail(msg::Invalid("mail_settings.signature_long", "signature"));
  }
  if (auto c = CheckCredentials(s.user, s.password_file, s.password_env); !c) return c;
  return InTransaction([&]() -> Status {
    int funds = 0;
    sql_ << "SELECT COUNT(*) FROM organismes WHERE code = :c", soci::use(s.organisme),
        soci::into(funds);
    if (!funds) return Fail(msg::Invalid("mail_settings.fund_unknown", "organisme", {s.organisme}));
    sql_ << "DELETE FROM mail_smtp WHERE organisme = :c", soci::use(s.organisme);
    const std::string from(Trim(s.from)), reply_to(Trim(s.reply_to));
    sql_ << "INSERT INTO mail_smtp (organisme, smtp_url, user_name, password_file, password_env, "
            "from_address, reply_to, signature) VALUES (:o, :u, :n, :f, :e, :fr, :r, :s)",
        soci::use(s.organisme), soci::use(s.smtp_url), soci::use(s.user),
        soci::use(s.password_file), soci::use(s.password_env), soci::use(from),
        soci::use(reply_to), soci::use(s.signature);
    return AuditNoTx(actor, "mail.smtp.save", s.organisme);
  });
}

Result<std::vector<EmitterRule>> SqlStore::EmitterRules(std::string_view organisme) {
  try {
    std::vector<EmitterRule> out;
    Query q;
    q << "SELECT id, organisme, match, emitter FROM mail_emitter_rules WHERE organisme = ";
    q.Bind(std::string(organisme));
    q << " ORDER BY match";
    Fetch(q, [&](const soci::row& r) {
      out.push_back({GetInt(r, 0), GetString(r, 1), GetString(r, 2), GetString(r, 3)});
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<int64_t> SqlStore::AddEmitterRule(const Actor& actor, EmitterRule r) {
  r.match = Lower(Trim(r.match));
  const bool domain = r.match.starts_with('@');
  const bool ok = domain ? ValidAddress("x" + r.match) : ValidAddress(r.match);
  if (!ok) return Fail(msg::Invalid("mail_settings.match", "match", {r.match}));
  if (!nomenclature::Emitter().Contains(r.emitter)) {
    return Fail(msg::Invalid("mail_settings.emitter_unknown", "emitter", {r.emitter}));
  }
  long long id = 0;
  Status s = InTransaction([&]() -> Status {
    int funds = 0, dup = 0;
    sql_ << "SELECT COUNT(*) FROM organismes WHERE code = :c", soci::use(r.organisme),
        soci::into(funds);
    if (!funds) return Fail(msg::Invalid("mail_settings.fund_unknown", "organisme", {r.organisme}));
    sql_ << "SELECT COUNT(*) FROM mail_emitter_rules WHERE organisme = :o AND match = :m",
        soci::use(r.organisme), soci::use(r.match), soci::into(dup);
    if (dup) return Fail(msg::Conflict("mail_settings.rule_exists", "match", {r.match}));
    sql_ << "INSERT INTO mail_emitter_rules (organisme, match, emitter) VALUES (:o, :m, :e) "
            "RETURNING id",
        soci::use(r.organisme), soci::use(r.match), soci::use(r.emitter), soci::into(id);
    return AuditNoTx(actor, "mail.emitter_rule.add", r.organisme + " " + r.match + " " + r.emitter);
  });
  if (!s) return Fail(s.error());
  return static_cast<int64_t>(id);
}

Status SqlStore::RemoveEmitterRule(const Actor& actor, int64_t id) {
  return InTransaction([&]() -> Status {
    long long lid = id;
    std::string organisme, match;
    indicator ind = soci::i_null;
    sql_ << "SELECT organisme, match FROM mail_emitter_rules WHERE id = :i", soci::use(lid),
        soci::into(organisme, ind), soci::into(match);
    if (ind != soci::i_ok) return Fail(msg::NotFound("mail_settings.rule_unknown", {std::to_string(id)}));
    sql_ << "DELETE FROM mail_emitter_rules WHERE id = :i", soci::use(lid);
    return AuditNoTx(actor, "mail.emitter_rule.remove", organisme + " " + match);
  });
}

Result<std::optional<std::string>> SqlStore::GuessEmitter(std::string_view organisme,
                                                          std::string_view address) {
  const std::string a = Lower(AddressOf(address));
  const size_t at = a.rfind('@');
  if (at == std::string::npos) return std::optional<std::string>{};
  const std::string_view domain = std::string_view(a).substr(at + 1);
  auto rules = EmitterRules(organisme);
  if (!rules) return Fail(rules.error());
  std::optional<std::string> best;
  size_t best_len = 0;
  for (const EmitterRule& r : *rules) {
    if (r.match == a) return std::optional<std::string>(r.emitter);  // an exact address first
    if (!r.match.starts_with('@')) continue;
    const std::string_view d = std::string_view(r.match).substr(1);
    const bool matches =
        domain == d || (domain.size() > d.size() && domain.ends_with(d) &&
                        domain[domain.size() - d.size() - 1] == '.');
    if (matches && d.size() > best_len) {
      best = r.emitter;
      best_len = d.size();
    }
  }
  return best;
}

}  // namespace amiable::sql
