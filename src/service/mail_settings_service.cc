#include "service/mail_settings_service.h"

#include "core/messages.h"

namespace amiable::service {
namespace {

Status MayEdit(const Caller& who, std::string_view organisme) {
  if (who.system) return {};
  if (who.role() != Role::kAdministrator || !who.actor.CanSee(organisme)) {
    return Fail(msg::Forbidden("mail_settings.forbidden"));
  }
  return {};
}

}  // namespace

Result<FundMailSettings> GetMailSettings(Store& store, const Caller& who,
                                         std::string_view organisme) {
  if (auto s = MayEdit(who, organisme); !s) return Fail(s.error());
  if (auto o = store.GetOrganisme(organisme); !o) return Fail(o.error());
  FundMailSettings out;
  out.organisme = std::string(organisme);
  auto m = store.Mailbox(organisme);
  if (!m) return Fail(m.error());
  out.mailbox = std::move(*m);
  auto s = store.Smtp(organisme);
  if (!s) return Fail(s.error());
  out.smtp = std::move(*s);
  auto r = store.EmitterRules(organisme);
  if (!r) return Fail(r.error());
  out.emitter_rules = std::move(*r);
  return out;
}

Status SaveMailbox(Store& store, const Caller& who, const MailboxSettings& m) {
  if (auto s = MayEdit(who, m.organisme); !s) return s;
  return store.SaveMailbox(who.actor, m);
}

Status SaveSmtp(Store& store, const Caller& who, const SmtpFundSettings& s) {
  if (auto ok = MayEdit(who, s.organisme); !ok) return ok;
  return store.SaveSmtp(who.actor, s);
}

Result<int64_t> AddEmitterRule(Store& store, const Caller& who, const EmitterRule& r) {
  if (auto s = MayEdit(who, r.organisme); !s) return Fail(s.error());
  return store.AddEmitterRule(who.actor, r);
}

Status RemoveEmitterRule(Store& store, const Caller& who, std::string_view organisme,
                         int64_t id) {
  if (auto s = MayEdit(who, organisme); !s) return s;
  auto rules = store.EmitterRules(organisme);
  if (!rules) return Fail(rules.error());
  bool found = false;
  for (const EmitterRule& r : *rules) found = found || r.id == id;
  if (!found) return Fail(msg::NotFound("mail_settings.rule_unknown", {std::to_string(id)}));
  return store.RemoveEmitterRule(who.actor, id);
}

}  // namespace amiable::service
