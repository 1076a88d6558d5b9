// The lifecycle of accounts (service/accounts_service.h).
#include "service/accounts_service.h"

#include <algorithm>

#include "core/messages.h"

namespace amiable::service {
namespace {

bool IsAdmin(const Caller& c) { return c.system || c.user.role == Role::kAdministrator; }

Error Unknown(std::string_view name) { return msg::NotFound("store.user_unknown", {name}); }

AccountView ViewOf(User u, const std::map<std::string, std::string>& last) {
  u.password_hash.clear();
  AccountView v;
  auto it = last.find(u.name);
  if (it != last.end()) v.last_sign_in_at = it->second;
  v.user = std::move(u);
  return v;
}

}  // namespace

Status CheckEmail(std::string_view email) {
  if (email.empty()) return {};
  const size_t at = email.find('@');
  const bool ok = email.size() <= 254 && at != std::string_view::npos && at > 0 &&
                  at + 1 < email.size() && email.find('@', at + 1) == std::string_view::npos &&
                  email.find('.', at + 1) != std::string_view::npos &&
                  std::none_of(email.begin(), email.end(), [](char ch) {
                    return static_cast<unsigned char>(ch) <= ' ' || ch == '<' || ch == '>' ||
                           ch == ',' || ch == ';' || ch == '"' || ch == '\x7f';
                  });
  if (!ok) return Fail(msg::Invalid("accounts.email_invalid", "email", {email}));
  return {};
}

bool AccountsService::Administers(const Caller& caller, const User& target) {
  if (caller.system) return true;
  if (caller.user.role != Role::kAdministrator) return false;
  if (caller.actor.all_funds) return true;
  if (target.all_funds || target.organismes.empty()) return false;
  return std::all_of(target.organismes.begin(), target.organismes.end(),
                     [&](const std::string& o) { return caller.actor.CanSee(o); });
}

Result<User> AccountsService::Administered(const Caller& caller, std::string_view name) {
  if (!IsAdmin(caller)) return Fail(msg::Forbidden("role.admin_required"));
  auto u = store_.GetUser(name);
  if (!u) return Fail(u.error().code == Error::Code::kNotFound ? Unknown(name) : u.error());
  if (!Administers(caller, *u)) return Fail(Unknown(name));
  return std::move(*u);
}

Result<std::vector<AccountView>> AccountsService::ListAccounts(const Caller& caller) {
  if (!IsAdmin(caller)) return Fail(msg::Forbidden("role.admin_required"));
  auto users = store_.ListUsers();
  if (!users) return Fail(users.error());
  auto last = store_.LastSignIns();
  if (!last) return Fail(last.error());
  std::vector<AccountView> out;
  for (User& u : *users) {
    if (Administers(caller, u)) out.push_back(ViewOf(std::move(u), *last));
  }
  return out;
}

Result<AccountView> AccountsService::GetAccount(const Caller& caller, std::string_view name) {
  Result<User> u =
      (!caller.system && caller.name() == name) ? store_.GetUser(name) : Administered(caller, name);
  if (!u) return Fail(u.error());
  auto last = store_.LastSignIns();
  if (!last) return Fail(last.error());
  return ViewOf(std::move(*u), *last);
}

Status AccountsService::SetPassword(const Caller& caller, std::string_view name,
                                    std::string_view password) {
  auto u = Administered(caller, name);
  if (!u) return Fail(u.error());
  if (!u->sso_subject.empty()) return Fail(msg::Invalid("accounts.sso_password", "password"));
  auto hash = passwords_.hash_new(password, u->name);
  if (!hash) return Fail(hash.error());
  return store_.SetUserPassword(caller.actor, u->name, *hash, "");
}

Status AccountsService::ChangeOwnPassword(const Caller& caller, std::string_view current,
                                          std::string_view password,
                                          std::string_view keep_session) {
  if (caller.system) return Fail(msg::Invalid("accounts.own_password_system"));
  auto u = store_.GetUser(caller.name());
  if (!u) return Fail(u.error());
  if (!u->sso_subject.empty()) return Fail(msg::Invalid("accounts.sso_password", "password"));
  if (u->disabled) return Fail(msg::Forbidden("accounts.disabled"));
  if (!passwords_.verify(u->password_hash, current)) {
    return Fail(msg::Invalid("accounts.current_password", "current_password"));
  }
  auto hash = passwords_.hash_new(password, u->name);
  if (!hash) return Fail(hash.error());
  return store_.SetUserPassword(caller.actor, u->name, *hash, keep_session);
}

Status AccountsService::Disable(const Caller& caller, std::string_view name) {
  auto u = Administered(caller, name);
  if (!u) return Fail(u.error());
  if (!caller.system && caller.name() == u->name) {
    return Fail(msg::Invalid("accounts.disable_self", "name"));
  }
  return store_.SetUserDisabled(caller.actor, u->name, true);
}

Status AccountsService::Enable(const Caller& caller, std::string_view name) {
  auto u = Administered(caller, name);
  if (!u) return Fail(u.error());
  return store_.SetUserDisabled(caller.actor, u->name, false);
}

Status AccountsService::SetEmail(const Caller& caller, std::string_view name,
                                 std::string_view email) {
  if (auto s = CheckEmail(email); !s) return s;
  auto u = Administered(caller, name);
  if (!u) return Fail(u.error());
  return store_.SetUserEmail(caller.actor, u->name, email);
}

Result<std::vector<ApiTokenInfo>> AccountsService::ListTokens(const Caller& caller,
                                                              std::string_view user) {
  const bool own = !caller.system && (user.empty() ? !IsAdmin(caller) : user == caller.name());
  if (own) return store_.ListApiTokens(caller.name());
  if (!IsAdmin(caller)) return Fail(msg::Forbidden("role.admin_required"));
  if (!user.empty()) {
    auto u = Administered(caller, user);
    if (!u) return Fail(u.error());
    return store_.ListApiTokens(u->name);
  }
  auto all = store_.ListApiTokens("");
  if (!all) return Fail(all.error());
  if (caller.system || caller.actor.all_funds) return all;
  auto users = store_.ListUsers();
  if (!users) return Fail(users.error());
  std::vector<ApiTokenInfo> out;
  for (ApiTokenInfo& t : *all) {
    auto it =
        std::find_if(users->begin(), users->end(), [&](const User& u) { return u.name == t.user; });
    if (it != users->end() && Administers(caller, *it)) out.push_back(std::move(t));
  }
  return out;
}

Status AccountsService::RevokeToken(const Caller& caller, int64_t id) {
  auto t = store_.GetApiToken(id);
  if (!t) return Fail(t.error());
  const Error unknown = msg::NotFound("store.token_unknown", {std::to_string(id)});
  if (caller.system || t->user != caller.name()) {
    if (!IsAdmin(caller)) return Fail(unknown);
    auto u = store_.GetUser(t->user);
    if (!u) return Fail(u.error());
    if (!Administers(caller, *u)) return Fail(unknown);
  }
  return store_.RevokeApiToken(caller.actor, id);
}

}  // namespace amiable::service
