// Sign-in and sign-out of the workspace, the second step (TOTP or a
// recovery code) and the enrolment of the second factor
// (/compte/second-facteur). The limits are web/session.h's (ReserveSignIn),
// counted in the store (store/sign_in_guard.h); TOTP is web/totp.h's.
//
// - GET /connexion sets the pre-session cookie; the form's token is bound to
//   it (login CSRF). POST /connexion reads the body only.
// - Unknown name, wrong password, disabled account and throttled attempt
//   get the same French message (signin.refused); unknown names and
//   disabled accounts are checked against a dummy argon2id hash so that they
//   take the time of a wrong password. A throttled attempt is answered at
//   once: 429 with Retry-After, the form again.
// - With a second factor, the right password leads to /connexion/code with
//   a token (FormTokens, "code|NAME|PRESESSION", 5 minutes) that the code
//   form carries back.
#include <httplib.h>
#include <sodium.h>

#include <atomic>

#include "core/messages.h"
#include "web/auth.h"
#include "web/pages_internal.h"
#include "web/totp.h"

namespace amiable::web::pages {
namespace {

constexpr int kMaxSignInsInFlight = 8;

constexpr int kCodeStepSeconds = 300;  // time to type the code after the password
constexpr std::string_view kEnrolPath = "/compte/second-facteur";

bool MustHaveSecondFactor(const Env& env, const User& u) {
  return env.ctx->options->require_second_factor && u.sso_subject.empty() &&
         (u.role == Role::kAdministrator || u.role == Role::kManager);
}

// An argon2id hash of a random password, made once: checking a password
// against it costs what checking a real one does.
const std::string& DummyHash() {
  static const std::string h = [] {
    auto hash = HashPassword(RandomToken());
    return hash ? *hash : std::string();
  }();
  return h;
}

std::string PreSession(const httplib::Request& req) {
  std::string v = CookieValue(req.get_header_value("Cookie"), kPreSessionCookie);
  if (v.size() != 43) return {};
  return v;
}

std::string NowIso() { return IsoUtc(UnixNow()); }

}  // namespace

void SignInForm(Env& env, const httplib::Request& req, httplib::Response& res,
                const std::string& error, const std::string& name, int status) {
  std::string pre = PreSession(req);
  if (pre.empty()) {
    pre = RandomToken();
    res.set_header("Set-Cookie", PreSessionSetCookie(pre, env.ctx->options->behind_tls));
  }
  Data d;
  d.set("title", "Connexion");
  d.set("form_token", env.form_tokens.Issue("connexion|" + pre));
  d.set("name", name);
  if (!error.empty()) d.set("error", error);
  if (!env.sso_name.empty()) d.set("sso_button", msg::Format("sso.button", {env.sso_name}));
  SendPage(env, res, "connexion", d, nullptr, status);
}

namespace {

void Refuse(Env& env, const httplib::Request& req, httplib::Response& res,
            const std::string& name, int64_t retry_after) {
  if (retry_after > 0) res.set_header("Retry-After", std::to_string(retry_after));
  SignInForm(env, req, res, msg::Find("signin.refused"), name, retry_after > 0 ? 429 : 401);
}

void CodeForm(Env& env, httplib::Response& res, const std::string& name, const std::string& token,
              const std::string& error, int status) {
  Data d;
  d.set("title", "Vérification en deux étapes");
  d.set("name", name);
  d.set("pending", token);
  if (!error.empty()) d.set("error", error);
  SendPage(env, res, "connexion_code", d, nullptr, status);
}

// Tells the account's owner, by mail, of the failures on the account: a
// count and a time, no address, nothing else.
void TellOwner(Store& st, const User& u, int64_t count) {
  if (u.email.empty()) return;
  OutboxMessage m;
  m.kind = "signin_alert";
  m.recipient = u.email;
  m.subject = msg::Find("signin.alert_subject");
  m.body = msg::Format("signin.alert_body",
                       {std::to_string(count), u.name, NowIso().substr(0, 16)});
  if (auto q = st.QueueOutbox(Actor::System(), m); !q) {
    LogError("sign-in: cannot queue the owner's alert", q.error());
  }
}

void SignIn(Env& env, const httplib::Request& req, httplib::Response& res) {
  const Fields f = BodyFields(req);
  const std::string name = Field(f, "name");
  const std::string password = Field(f, "password");
  const std::string pre = PreSession(req);
  if (pre.empty() || !env.form_tokens.Verify(Field(f, "form_token"), "connexion|" + pre)) {
    return SignInForm(env, req, res, msg::Find("signin.form_expired"), name, 400);
  }
  if (name.empty() || password.empty() || name.size() > 100 ||
      password.size() > kMaxPasswordLength) {
    return Refuse(env, req, res, name, 0);
  }
  // At most kMaxSignInsInFlight sign-ins hold a worker thread at once (their
  // counters are database writes, their check an argon2id hash): beyond, the
  // attempt is refused at once, unchecked and uncounted, so that a flood of
  // sign-ins leaves the other workers to every other request (/healthz).
  static std::atomic<int> in_flight{0};
  struct Slot {
    std::atomic<int>& n;
    ~Slot() { n.fetch_sub(1, std::memory_order_relaxed); }
  } slot{in_flight};
  if (in_flight.fetch_add(1, std::memory_order_relaxed) >= kMaxSignInsInFlight) {
    return Refuse(env, req, res, name, 1);
  }
  auto store = env.ctx->stores->Acquire();
  if (!store) return SendErrorPage(env, res, 503, msg::Find("error.unavailable"), nullptr);
  Store& st = **store;
  const std::string address = ClientAddress(req);
  const int64_t now = UnixNow();
  auto user = st.GetUser(name);
  std::optional<SecondFactor> factor;
  if (user) {
    if (auto sf = st.GetSecondFactor(user->name); sf && *sf && (*sf)->confirmed) factor = **sf;
  }
  // The attempt is reserved before the hash is checked.
  auto r = ReserveSignIn(st, env.sign_in_limits, name, address, factor.has_value(), now);
  if (!r) {
    LogError("sign-in: cannot count the attempt", r.error());
    return SendErrorPage(env, res, 503, msg::Find("error.unavailable"), nullptr);
  }
  if (!r->allowed) return Refuse(env, req, res, name, r->retry_after);
  const bool known = user && !user->disabled && !user->password_hash.empty();
  const std::optional<bool> verified =
      TryVerifyPassword(known ? user->password_hash : DummyHash(), password);
  if (!verified) {
    // Too many checks waiting: not checked, so not counted.
    st.ReleaseAttempt(r->pair_key);
    st.ReleaseAttempt(r->address_key);
    return Refuse(env, req, res, name, 1);
  }
  const bool right = *verified && known;
  if (!right) {
    int64_t count = 0;
    auto tell = RecordSignInFailure(st, env.sign_in_limits, name, now, &count);
    if (user) {
      env.ctx->audit->Record(user->ToActor(), "signin.failure", user->name);
      if (tell && *tell) TellOwner(st, *user, count);
    }
    return Refuse(env, req, res, name, 0);
  }
  if (auto s = RecordSignInSuccess(st, *r); !s) LogError("sign-in: cannot clear", s.error());
  if (factor) {
    const std::string token = env.form_tokens.Issue("code|" + user->name + "|" + pre);
    return CodeForm(env, res, user->name, token, "", 200);
  }
  StartSession(env, st, *user, req, res, "signin");
}

// POST /connexion/code: the TOTP code or a recovery code.
void SignInCode(Env& env, const httplib::Request& req, httplib::Response& res) {
  const Fields f = BodyFields(req);
  const std::string name = Field(f, "name");
  const std::string token = Field(f, "pending");
  const std::string code = Field(f, "code");
  const std::string pre = PreSession(req);
  if (pre.empty() || name.empty() ||
      !env.form_tokens.VerifyFresh(token, "code|" + name + "|" + pre, kCodeStepSeconds)) {
    return SignInForm(env, req, res, msg::Find("signin.code_expired"), name, 400);
  }
  auto store = env.ctx->stores->Acquire();
  if (!store) return SendErrorPage(env, res, 503, msg::Find("error.unavailable"), nullptr);
  Store& st = **store;
  auto user = st.GetUser(name);
  if (!user || user->disabled) {
    return SignInForm(env, req, res, msg::Find("signin.refused"), name, 401);
  }
  const int64_t now = UnixNow();
  auto r = ReserveCodeCheck(st, env.sign_in_limits, user->name, ClientAddress(req), now);
  if (!r) return SendErrorPage(env, res, 503, msg::Find("error.unavailable"), nullptr);
  if (!r->allowed) {
    res.set_header("Retry-After", std::to_string(r->retry_after));
    return CodeForm(env, res, user->name, token, msg::Find("signin.code_refused"), 429);
  }
  auto sf = st.GetSecondFactor(user->name);
  bool ok = false;
  std::string how = "signin.totp";
  if (sf && *sf && (*sf)->confirmed) {
    if (auto step = MatchTotp((*sf)->secret_base32, code, now)) {
      auto used = st.UseTotpStep(user->name, *step);
      ok = used && *used;
    } else if (const std::string h = HashRecoveryCode(code); !h.empty()) {
      auto used = st.UseRecoveryCode(user->name, h, NowIso());
      ok = used && *used;
      how = "signin.recovery_code";
    }
  }
  if (!ok) {
    env.ctx->audit->Record(user->ToActor(), "signin.code_failure", user->name);
    return CodeForm(env, res, user->name, token, msg::Find("signin.code_refused"), 401);
  }
  st.ForgetAttempts(r->pair_key);
  StartSession(env, st, *user, req, res, how);
}

// Guarded (Need::kAny): only a signed-in user with the session's token
// signs out.
void SignOut(Env& env, Signed& who, Store& store, const httplib::Request&,
             httplib::Response& res) {
  store.DeleteWebSession(who.session.id_hash);
  res.set_header("Set-Cookie", SessionSetCookie("", env.ctx->options->behind_tls));
  Redirect(res, "/connexion");
}

// ---- Enrolment (/compte/second-facteur) ----

void EnrolPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res, const std::string& error, int status) {
  Data d;
  d.set("title", "Vérification en deux étapes");
  SetFlash(req, d);
  if (!error.empty()) d.set("error", error);
  if (!who.user.sso_subject.empty()) {
    d.set("sso", true);
    return SendPage(env, res, "second_facteur", d, &who, status);
  }
  auto sf = store.GetSecondFactor(who.user.name);
  if (!sf) return SendErrorPage(env, res, 500, msg::Find("signin.failed"), &who);
  if (*sf && (*sf)->confirmed) {
    d.set("enabled", true);
    auto left = store.RecoveryCodesLeft(who.user.name);
    d.set("codes_left", std::to_string(left ? *left : 0));
    return SendPage(env, res, "second_facteur", d, &who, status);
  }
  std::string secret = *sf ? (*sf)->secret_base32 : std::string();
  if (secret.empty()) {
    secret = NewTotpSecret();
    if (auto s = store.SavePendingSecondFactor(who.user.name, secret, NowIso()); !s) {
      return SendErrorPage(env, res, 500, msg::Find("signin.failed"), &who);
    }
  }
  d.set("required", who.needs_second_factor);
  d.set("secret", secret);
  d.set("uri", OtpauthUri("amiable", who.user.name, secret));
  SendPage(env, res, "second_facteur", d, &who, status);
}

void EnrolGet(Env& env, Signed& who, Store& store, const httplib::Request& req,
              httplib::Response& res) {
  EnrolPage(env, who, store, req, res, "", 200);
}

// The QR code of the pending secret, same origin (the pages' CSP has no
// data: images); never once the secret is confirmed.
void EnrolQr(Env& env, Signed& who, Store& store, const httplib::Request&,
             httplib::Response& res) {
  auto sf = store.GetSecondFactor(who.user.name);
  if (!sf || !*sf || (*sf)->confirmed || !who.user.sso_subject.empty()) {
    return SendErrorPage(env, res, 404, "Fichier introuvable.", &who);
  }
  res.set_header("Cache-Control", "no-store");
  res.set_content(QrSvg(OtpauthUri("amiable", who.user.name, (*sf)->secret_base32)),
                  "image/svg+xml");
}

void EnrolPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  if (!who.user.sso_subject.empty()) return EnrolPage(env, who, store, req, res, "", 400);
  auto sf = store.GetSecondFactor(who.user.name);
  if (!sf) return SendErrorPage(env, res, 500, msg::Find("signin.failed"), &who);
  if (*sf && (*sf)->confirmed) {
    return EnrolPage(env, who, store, req, res, msg::Find("second_factor.already"), 409);
  }
  const auto step = *sf ? MatchTotp((*sf)->secret_base32, Field(BodyFields(req), "code"), UnixNow())
                        : std::nullopt;
  if (!step) {
    return EnrolPage(env, who, store, req, res, msg::Find("second_factor.code_wrong"), 400);
  }
  std::vector<std::string> codes = NewRecoveryCodes();
  std::vector<std::string> hashes;
  for (const std::string& c : codes) hashes.push_back(HashRecoveryCode(c));
  if (auto s = store.ConfirmSecondFactor(who.user.name, *step, hashes, NowIso()); !s) {
    return EnrolPage(env, who, store, req, res, msg::Find("second_factor.code_wrong"), 400);
  }
  store.SetSessionNeedsSecondFactor(who.session.id_hash, false);
  store.Audit(who.actor, "second_factor.enrol", who.user.name);
  Data d;
  d.set("title", "Codes de secours");
  d.set("flash_ok", msg::Find("second_factor.enabled"));
  List l;
  for (const std::string& c : codes) {
    Data cd;
    cd.set("code", c);
    l.push_back(cd);
  }
  d.set("codes", l);
  d.set("home", SeesNoCases(who.user.role) ? "/chiffres" : "/tableau");
  who.needs_second_factor = false;
  SendPage(env, res, "codes_secours", d, &who, 200);
}

// POST /administration/utilisateurs/deverrouiller (administrators): clears
// the sign-in counters of the account, as `amiable user unlock`.
void AdminUnlockPost(Env&, Signed& who, Store& store, const httplib::Request& req,
                     httplib::Response& res) {
  const std::string name = Field(BodyFields(req), "name");
  auto u = store.GetUser(name);
  if (!u) return Redirect(res, WithFlash("/administration", false, "error.not_found"));
  auto n = store.ClearAttemptsOfUser(u->name);
  if (!n) return Redirect(res, WithFlash("/administration", false, "signin.failed"));
  store.Audit(who.actor, "user.unlock", u->name);
  Redirect(res, WithFlash("/administration", true, "page.user_unlocked"));
}

}  // namespace

void StartSession(Env& env, Store& st, const User& user, const httplib::Request& req,
                  httplib::Response& res, std::string_view audit_action) {
  if (user.disabled) {
    return SignInForm(env, req, res, msg::Find("signin.refused"), user.name, 401);
  }
  bool enrol = false;
  if (MustHaveSecondFactor(env, user)) {
    auto sf = st.GetSecondFactor(user.name);
    enrol = !(sf && *sf && (*sf)->confirmed);
  }
  const std::string secret = RandomToken();
  const int64_t now = UnixNow();
  WebSession s{HashToken(secret), user.name, RandomToken(), IsoUtc(now),
               IsoUtc(now + int64_t{kSessionHours} * 3600)};
  if (auto ok = st.CreateWebSession(s); !ok) {
    LogError("sign-in: cannot create the session", ok.error());
    return SendErrorPage(env, res, 500, msg::Find("signin.failed"), nullptr);
  }
  if (enrol) st.SetSessionNeedsSecondFactor(s.id_hash, true);
  st.PruneAttempts(IsoUtc(now));  // counters whose window ended go as sessions come
  st.Audit(user.ToActor(), audit_action, user.name);
  SetLogUser(user.name);
  res.set_header("Set-Cookie", SessionSetCookie(secret, env.ctx->options->behind_tls));
  if (enrol) return Redirect(res, std::string(kEnrolPath));
  Redirect(res, SeesNoCases(user.role)           ? "/chiffres"
                : user.role == Role::kPartner ? "/partenaire"
                                              : "/tableau");
}

void RegisterSignInRoutes(httplib::Server& server, Env& e) {
  server.Get("/connexion", [&e](const httplib::Request& q, httplib::Response& r) {
    SignInForm(e, q, r, "", "", 200);
  });
  server.Post("/connexion", [&e](const httplib::Request& q, httplib::Response& r) { SignIn(e, q, r); });
  server.Post("/connexion/code",
              [&e](const httplib::Request& q, httplib::Response& r) { SignInCode(e, q, r); });
  server.Post("/deconnexion", Guarded(e, Need::kAny, SignOut));
  server.Get(std::string(kEnrolPath), Guarded(e, Need::kAny, EnrolGet));
  server.Post(std::string(kEnrolPath), Guarded(e, Need::kAny, EnrolPost));
  server.Get(std::string(kEnrolPath) + "/qr.svg", Guarded(e, Need::kAny, EnrolQr));
  server.Post("/administration/utilisateurs/deverrouiller",
              Guarded(e, Need::kAdmin, AdminUnlockPost));
}

}  // namespace amiable::web::pages
