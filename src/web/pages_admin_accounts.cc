// The account lifecycle in the pages (issue 9, part 4), through
// service::AccountsService:
// - /administration, « Comptes »: each account the administrator
//   administers with its email, state, last sign-in, the buttons
//   « Désactiver » / « Réactiver », a new password, an email address, and
//   the API tokens with « Révoquer » (SetAccountsSection, the POST routes
//   /administration/comptes/... and /administration/jetons/revoquer);
// - /compte (« Mon compte », any signed-in user): her account, her own
//   password change (current password required) and her tokens.
// Kept apart from pages_admin.cc so that other account actions (unlock)
// merge without touching these.
#include <httplib.h>

#include "service/accounts_service.h"
#include "web/new_password.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {

List AccountRows(const std::vector<service::AccountView>& accounts,
                 const std::vector<Organisme>& funds, std::string_view self,
                 const std::string& now) {
  std::map<std::string, std::string> fund_names;
  for (const Organisme& o : funds) fund_names[o.code] = o.name;
  List rows;
  for (const service::AccountView& a : accounts) {
    const User& u = a.user;
    Data ud;
    ud.set("name", u.name);
    ud.set("display_name", u.display_name);
    ud.set("role", RoleLabel(u.role));
    std::string seen;
    for (const std::string& o : u.organismes) {
      auto it = fund_names.find(o);
      seen +=
          (seen.empty() ? "" : ", ") + (it == fund_names.end() ? o : it->second + " (" + o + ")");
    }
    ud.set("funds", u.all_funds ? "toutes les Caf" : seen);
    ud.set("email", u.email);
    ud.set("state", u.disabled ? "désactivé" : IsLocked(u, now) ? "verrouillé" : "actif");
    ud.set("sign_in", a.sso() ? "authentification unique" : "mot de passe");
    ud.set("sso", a.sso());
    ud.set("last_sign_in", a.last_sign_in_at.empty() ? "—" : DateTimeFr(a.last_sign_in_at));
    ud.set("can_disable", !u.disabled && u.name != self);
    ud.set("can_enable", u.disabled);
    rows.push_back(ud);
  }
  return rows;
}

List TokenRows(const std::vector<ApiTokenInfo>& tokens) {
  List rows;
  for (const ApiTokenInfo& t : tokens) {
    Data td;
    td.set("id", std::to_string(t.id));
    td.set("user", t.user);
    td.set("label", t.label.empty() ? "—" : t.label);
    td.set("created", DateTimeFr(t.created_at));
    td.set("last_used", t.last_used_at.empty() ? "jamais" : DateTimeFr(t.last_used_at));
    td.set("revoked", !t.revoked_at.empty());
    td.set("state", t.revoked_at.empty() ? "actif" : "révoqué le " + DateTimeFr(t.revoked_at));
    rows.push_back(td);
  }
  return rows;
}

bool SetAccountsSection(Store& store, Signed& who, const std::vector<Organisme>& funds, Data& d) {
  service::AccountsService accounts(store, AccountPasswords());
  const service::Caller caller = service::Caller::OfUser(who.user);
  auto list = accounts.ListAccounts(caller);
  auto tokens = accounts.ListTokens(caller, "");
  if (!list || !tokens) {
    LogError("administration: accounts", list ? tokens.error() : list.error());
    return false;
  }
  d.set("users", AccountRows(*list, funds, who.user.name, IsoUtcFromNow(0)));
  d.set("tokens", TokenRows(*tokens));
  d.set("has_tokens", !tokens->empty());
  return true;
}

namespace {

constexpr const char* kAdminUrl = "/administration";
constexpr const char* kAccountUrl = "/compte";

// The outcome of an administration action: back to the page with its flash.
void Done(httplib::Response& res, const Status& s, std::string_view ok_key) {
  if (!s && s.error().code == Error::Code::kInternal)
    LogError("administration: accounts", s.error());
  Redirect(res, WithFlash(kAdminUrl, bool(s), s ? ok_key : FlashKey(s.error())));
}

void DisablePost(Env&, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res) {
  service::AccountsService accounts(store, AccountPasswords());
  Done(res, accounts.Disable(service::Caller::OfUser(who.user), Field(FormFields(req), "name")),
       "accounts.user_disabled");
}

void EnablePost(Env&, Signed& who, Store& store, const httplib::Request& req,
                httplib::Response& res) {
  service::AccountsService accounts(store, AccountPasswords());
  Done(res, accounts.Enable(service::Caller::OfUser(who.user), Field(FormFields(req), "name")),
       "accounts.user_enabled");
}

void PasswordPost(Env&, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  const Fields f = FormFields(req);
  service::AccountsService accounts(store, AccountPasswords());
  Done(res,
       accounts.SetPassword(service::Caller::OfUser(who.user), Field(f, "name"),
                            Field(f, "password")),
       "accounts.password_set");
}

void EmailPost(Env&, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  const Fields f = FormFields(req);
  service::AccountsService accounts(store, AccountPasswords());
  Done(res,
       accounts.SetEmail(service::Caller::OfUser(who.user), Field(f, "name"), Field(f, "email")),
       "accounts.email_saved");
}

int64_t TokenId(const Fields& f) {
  const std::string text = Field(f, "id");
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return 0;
  }
  return std::stoll(text);
}

void RevokePost(Env&, Signed& who, Store& store, const httplib::Request& req,
                httplib::Response& res, const char* back) {
  const int64_t id = TokenId(FormFields(req));
  if (id == 0) return Redirect(res, WithFlash(back, false, "accounts.token_id"));
  service::AccountsService accounts(store, AccountPasswords());
  Status s = accounts.RevokeToken(service::Caller::OfUser(who.user), id);
  if (!s && s.error().code == Error::Code::kInternal) LogError("accounts: revoke", s.error());
  Redirect(res, WithFlash(back, bool(s), s ? "accounts.token_revoked" : FlashKey(s.error())));
}

// ---- /compte

struct PasswordForm {
  std::string error;  // French
  std::string field;  // "current_password", "password", "password_confirm", or ""
};

void RenderAccount(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res, const PasswordForm* form, int status) {
  service::AccountsService accounts(store, AccountPasswords());
  const service::Caller caller = service::Caller::OfUser(who.user);
  auto me = accounts.GetAccount(caller, who.user.name);
  auto tokens = accounts.ListTokens(caller, who.user.name);
  if (!me || !tokens) {
    LogError("compte", me ? tokens.error() : me.error());
    return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  }
  Data d = AccountPageView(*me, *tokens);
  if (form) {
    d.set("pw_error", form->error);
    if (!form->field.empty()) d.set("pw_invalid_" + form->field, true);
  } else {
    SetFlash(req, d);
  }
  SendPage(env, res, "compte", d, &who, status);
}

void AccountPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res) {
  RenderAccount(env, who, store, req, res, nullptr, 200);
}

void OwnPasswordPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                     httplib::Response& res) {
  const Fields f = FormFields(req);
  PasswordForm form;
  if (Field(f, "password") != Field(f, "password_confirm")) {
    form = {msg::Find("accounts.password_mismatch"), "password_confirm"};
    return RenderAccount(env, who, store, req, res, &form, 422);
  }
  service::AccountsService accounts(store, AccountPasswords());
  Status s =
      accounts.ChangeOwnPassword(service::Caller::OfUser(who.user), Field(f, "current_password"),
                                 Field(f, "password"), who.session.id_hash);
  if (!s) {
    const Error& e = s.error();
    if (e.code == Error::Code::kInternal) LogError("compte: password", e);
    form = {ErrorText(e), e.field == "current_password" || e.field == "password" ? e.field : ""};
    return RenderAccount(env, who, store, req, res, &form,
                         e.code == Error::Code::kInternal ? 500 : ErrorStatus(e));
  }
  Redirect(res, WithFlash(kAccountUrl, true, "accounts.password_changed"));
}

}  // namespace

Data AccountPageView(const service::AccountView& me, const std::vector<ApiTokenInfo>& tokens) {
  Data d;
  d.set("title", "Mon compte");
  d.set("name", me.user.name);
  d.set("display_name", me.user.display_name);
  d.set("role", RoleLabel(me.user.role));
  d.set("email", me.user.email.empty() ? "—" : me.user.email);
  d.set("sso", me.sso());
  d.set("last_sign_in", me.last_sign_in_at.empty() ? "—" : DateTimeFr(me.last_sign_in_at));
  d.set("tokens", TokenRows(tokens));
  d.set("has_tokens", !tokens.empty());
  return d;
}

void RegisterAccountRoutes(httplib::Server& server, Env& env) {
  server.Post("/administration/comptes/desactiver", Guarded(env, Need::kAdmin, DisablePost));
  server.Post("/administration/comptes/reactiver", Guarded(env, Need::kAdmin, EnablePost));
  server.Post("/administration/comptes/mot-de-passe", Guarded(env, Need::kAdmin, PasswordPost));
  server.Post("/administration/comptes/adresse", Guarded(env, Need::kAdmin, EmailPost));
  server.Post("/administration/jetons/revoquer",
              Guarded(env, Need::kAdmin,
                      [](Env& e, Signed& w, Store& s, const httplib::Request& q,
                         httplib::Response& r) { RevokePost(e, w, s, q, r, kAdminUrl); }));
  server.Get(kAccountUrl, Guarded(env, Need::kAny, AccountPage));
  server.Post("/compte/mot-de-passe", Guarded(env, Need::kAny, OwnPasswordPost));
  server.Post("/compte/jetons/revoquer",
              Guarded(env, Need::kAny,
                      [](Env& e, Signed& w, Store& s, const httplib::Request& q,
                         httplib::Response& r) { RevokePost(e, w, s, q, r, kAccountUrl); }));
}

}  // namespace amiable::web::pages
