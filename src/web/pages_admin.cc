// Administration (/administration; the administrator role): accounts,
// funds and their calendars, the labels of the nomenclatures. Everything a
// person reads is French: role names, nomenclature titles and labels.
#include <httplib.h>

#include <algorithm>

#include "service/funds.h"
#include "service/mail_settings_service.h"
#include "web/auth.h"
#include "web/password_policy.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {

std::string NomenclatureTitle(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTitles[] = {
      {"channel", "Mode de saisine"},
      {"emitter", "Émetteur"},
      {"prior_step", "Démarche préalable"},
      {"admissibility", "Recevabilité"},
      {"inadmissibility_reason", "Motifs d'irrecevabilité"},
      {"motive", "Motifs de la demande"},
      {"benefit", "Prestations"},
      {"cause", "Cause (côté Caf)"},
      {"household", "Catégorie de foyer"},
      {"activity", "Activité"},
      {"qf_bracket", "Tranche de quotient familial"},
      {"response_mode", "Mode de réponse"},
      {"resolution", "Résolution"},
      {"financial_kind", "Type de ligne financière"},
      {"zone", "Zone des jours fériés"},
  };
  for (const auto& [n, t] : kTitles) {
    if (n == name) return std::string(t);
  }
  return std::string(name);
}

Data AdminView(const std::vector<User>& users, const std::vector<Organisme>& funds,
               const Labels& l, const std::string& now, const FundForm* form) {
  Data d;
  d.set("title", "Administration");
  std::map<std::string, std::string> fund_names;
  for (const Organisme& o : funds) fund_names[o.code] = o.name;
  List user_rows;
  for (const User& u : users) {
    Data ud;
    ud.set("name", u.name);
    ud.set("display_name", u.display_name);
    ud.set("role", RoleLabel(u.role));
    std::string seen;
    for (const std::string& o : u.organismes) {
      auto it = fund_names.find(o);
      seen += (seen.empty() ? "" : ", ") + (it == fund_names.end() ? o : it->second + " (" + o + ")");
    }
    ud.set("funds", u.all_funds ? "toutes les Caf" : seen);
    ud.set("state", u.disabled ? "désactivé" : IsLocked(u, now) ? "verrouillé" : "actif");
    user_rows.push_back(ud);
  }
  d.set("users", user_rows);
  List roles;
  for (Role r : kAllRoles) {
    Data rd;
    rd.set("code", RoleCode(r));
    rd.set("label", RoleLabel(r));
    roles.push_back(rd);
  }
  d.set("roles", roles);
  List fund_rows;
  for (const Organisme& o : funds) {
    Data od;
    od.set("code", o.code);
    od.set("name", o.name);
    od.set("zone", l.Of(nomenclature::Zone(), o.zone));
    od.set("region", o.region.empty() ? "—" : l.Of(nomenclature::Region(), o.region));
    od.set("whit", o.whit_monday_worked ? "travaillé" : "férié");
    fund_rows.push_back(od);
  }
  d.set("funds", fund_rows);
  const Organisme posted = form ? form->posted : Organisme{};
  d.set("zones", l.Options(nomenclature::Zone(), {form ? posted.zone : "metropole"}, false));
  List regions;
  {
    Data none;
    none.set("code", "");
    none.set("label", "— région non renseignée —");
    none.set("selected", posted.region.empty());
    regions.push_back(none);
  }
  for (const NomenclatureEntry& e : nomenclature::Region().entries) {
    Data rd;
    rd.set("code", std::string(e.code));
    rd.set("label", std::string(e.label) + " (" + std::string(e.code) + ")");
    rd.set("selected", posted.region == e.code);
    regions.push_back(rd);
  }
  d.set("regions", regions);
  if (form) {
    d.set("form_code", posted.code);
    d.set("form_name", posted.name);
    d.set("form_whit", posted.whit_monday_worked);
    if (!form->error.empty()) {
      const std::string field =
          form->field == "code" || form->field == "name" || form->field == "zone" ||
                  form->field == "region"
              ? form->field
              : "";
      if (field.empty()) {
        d.set("fund_error", form->error);
      } else {
        d.set("fund_error_" + field, form->error);
      }
      d.set("fund_invalid", true);
    }
  }
  List noms;
  for (const Nomenclature* n : nomenclature::All()) {
    Data nd;
    nd.set("name", std::string(n->name));
    nd.set("title", NomenclatureTitle(n->name));
    List entries;
    for (const NomenclatureEntry& e : n->entries) {
      Data ed;
      ed.set("code", std::string(e.code));
      ed.set("label", l.Of(*n, e.code));
      ed.set("default", std::string(e.label));
      ed.set("id", "lbl-" + std::string(n->name) + "-" + std::string(e.code));
      entries.push_back(ed);
    }
    nd.set("entries", entries);
    noms.push_back(nd);
  }
  d.set("nomenclatures", noms);
  return d;
}

namespace {

constexpr const char* kUrl = "/administration";

void BackToAdmin(httplib::Response& res, bool ok, std::string_view key) {
  Redirect(res, WithFlash(kUrl, ok, key));
}

// The "Courrier électronique" section for fund `organisme` (the first fund
// when empty or unknown), through the service.
bool SetMailSection(Store& store, Signed& who, const std::vector<Organisme>& funds,
                    std::string organisme, const Labels& labels, const MailForm* mail, Data& d) {
  if (funds.empty()) return true;
  bool known = false;
  for (const Organisme& o : funds) known = known || o.code == organisme;
  if (!known) organisme = funds.front().code;
  auto s = service::GetMailSettings(store, service::Caller::OfUser(who.user), organisme);
  if (!s) {
    if (s.error().code == Error::Code::kForbidden) return true;  // an admin of other funds
    LogError("administration: mail settings", s.error());
    return false;
  }
  d.set("mail", AdminMailView(funds, organisme, s->mailbox, s->smtp, s->emitter_rules, labels,
                              mail));
  return true;
}

void RenderAdmin(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res, const FundForm* form, int status,
                 const MailForm* mail = nullptr, std::string mail_fund = {}) {
  auto users = store.ListUsers();
  auto funds = store.ListOrganismes();
  if (!users || !funds) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  const Labels labels(store);
  Data d = AdminView(*users, *funds, labels, IsoUtcFromNow(0), form);
  if (mail_fund.empty()) mail_fund = req.get_param_value("courrier");
  if (!SetMailSection(store, who, *funds, mail_fund, labels, mail, d)) {
    return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  }
  if (!form && !mail) SetFlash(req, d);
  SendPage(env, res, "administration", d, &who, status);
}

void AdminPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  RenderAdmin(env, who, store, req, res, nullptr, 200);
}

// The account of the form; a catalogue key when it cannot be read.
std::expected<User, std::string_view> ReadUserForm(Store& store, const Fields& f) {
  User u;
  u.name = Field(f, "name");
  u.display_name = Field(f, "display_name");
  if (u.name.empty() || u.name.size() > 100 ||
      u.name.find_first_of(" \t\r\n/\\,;:\"'<>") != std::string::npos) {
    return std::unexpected("admin.user_name_invalid");
  }
  auto role = RoleFromCode(Field(f, "role"));
  if (!role) return std::unexpected("admin.role_unknown");
  u.role = *role;
  const std::string funds = Field(f, "organismes");
  if (funds == "*") {
    u.all_funds = true;
  } else {
    std::string cur;
    for (char ch : funds + ",") {
      if (ch == ',' || ch == ' ') {
        if (!cur.empty()) {
          if (!store.GetOrganisme(cur)) return std::unexpected("admin.organisme_unknown");
          u.organismes.push_back(cur);
        }
        cur.clear();
      } else {
        cur += ch;
      }
    }
    if (u.organismes.empty()) return std::unexpected("admin.organismes_required");
  }
  if (auto policy = CheckPasswordPolicy(Field(f, "password"), u.name); !policy) {
    return std::unexpected(FlashKey(policy.error()) == "password.too_short"
                               ? "admin.password_too_short"
                               : FlashKey(policy.error()));
  }
  auto hash = HashPassword(Field(f, "password"));
  if (!hash) return std::unexpected("admin.password_too_short");
  u.password_hash = *hash;
  return u;
}

void AdminUserPost(Env&, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  auto u = ReadUserForm(store, FormFields(req));
  if (!u) return BackToAdmin(res, false, u.error());
  if (auto id = store.CreateUser(*u); !id) {
    return BackToAdmin(res, false, id.error().code == Error::Code::kConflict
                                       ? "admin.user_exists"
                                       : "admin.user_create_failed");
  }
  store.Audit(who.actor, "user.create", u->name);
  BackToAdmin(res, true, "admin.user_created");
}

void AdminFundPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  const Fields f = FormFields(req);
  Organisme o;
  o.code = Field(f, "code");
  o.name = Field(f, "name");
  o.zone = Field(f, "zone");
  o.region = Field(f, "region");
  o.whit_monday_worked = Field(f, "whit_monday_worked") == "oui";
  if (auto s = service::SaveFund(store, service::Caller::OfUser(who.user), o); !s) {
    // Shown again, the refusal tied to its field (a store refusal without a
    // key: the generic text of the form).
    FundForm form{o, s.error().message_id.empty() ? msg::Find("admin.fund_rejected")
                                                  : ErrorText(s.error()),
                  s.error().message_id.empty() ? std::string() : s.error().field};
    if (s.error().code == Error::Code::kInternal) LogError("administration: fund", s.error());
    return RenderAdmin(env, who, store, req, res, &form,
                       s.error().code == Error::Code::kInternal ? 500 : ErrorStatus(s.error()));
  }
  BackToAdmin(res, true, "admin.fund_saved");
}

void AdminLabelsPost(Env&, Signed& who, Store& store, const httplib::Request& req,
                     httplib::Response& res) {
  const Fields f = FormFields(req);
  const Nomenclature* n = nomenclature::Find(Field(f, "nomenclature"));
  if (!n) return BackToAdmin(res, false, "admin.nomenclature_unknown");
  for (const NomenclatureEntry& e : n->entries) {
    const std::string key = "label_" + std::string(e.code);
    if (f.find(key) == f.end()) continue;
    std::string label = Field(f, key);
    if (label.size() > 200) return BackToAdmin(res, false, "admin.label_too_long");
    if (label == e.label) label.clear();  // back to the default
    if (auto s = store.SetLabelOverride(who.actor, {std::string(n->name), std::string(e.code), label});
        !s) {
      return BackToAdmin(res, false, "admin.labels_failed");
    }
  }
  BackToAdmin(res, true, "admin.labels_saved");
}

// ---- Courrier électronique

std::string MailUrl(std::string_view organisme) {
  return std::string(kUrl) + "?courrier=" + std::string(organisme);
}

// A refused mail form: the page again, the values posted and the error.
void RefuseMail(Env& env, Signed& who, Store& store, const httplib::Request& req,
                httplib::Response& res, MailForm& form, const Error& e,
                const std::string& organisme) {
  form.error = e.message_id.empty() ? msg::Find("error.invalid") : ErrorText(e);
  form.field = e.field;
  if (e.code == Error::Code::kInternal) LogError("administration: mail settings", e);
  RenderAdmin(env, who, store, req, res, nullptr,
              e.code == Error::Code::kInternal ? 500 : ErrorStatus(e), &form, organisme);
}

void AdminMailboxPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                      httplib::Response& res) {
  const Fields f = FormFields(req);
  MailForm form;
  form.which = "mailbox";
  MailboxSettings& m = form.mailbox;
  m.organisme = Field(f, "organisme");
  m.imap_url = Field(f, "imap_url");
  m.user = Field(f, "user");
  m.password_file = Field(f, "password_file");
  m.password_env = Field(f, "password_env");
  m.inbox = Field(f, "inbox");
  m.archive = Field(f, "archive");
  m.quarantine = Field(f, "quarantine");
  m.enabled = Field(f, "enabled") == "oui";
  if (auto s = service::SaveMailbox(store, service::Caller::OfUser(who.user), m); !s) {
    return RefuseMail(env, who, store, req, res, form, s.error(), m.organisme);
  }
  Redirect(res, WithFlash(MailUrl(m.organisme), true, "mail_settings.saved"));
}

void AdminSmtpPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  const Fields f = FormFields(req);
  MailForm form;
  form.which = "smtp";
  SmtpFundSettings& s = form.smtp;
  s.organisme = Field(f, "organisme");
  s.smtp_url = Field(f, "smtp_url");
  s.user = Field(f, "user");
  s.password_file = Field(f, "password_file");
  s.password_env = Field(f, "password_env");
  s.from = Field(f, "from");
  s.reply_to = Field(f, "reply_to");
  s.signature = Field(f, "signature");
  // A textarea posts CRLF line ends: kept as LF, as the command line does.
  std::string sig;
  for (char c : s.signature) {
    if (c != '\r') sig += c;
  }
  s.signature = sig;
  if (auto ok = service::SaveSmtp(store, service::Caller::OfUser(who.user), s); !ok) {
    return RefuseMail(env, who, store, req, res, form, ok.error(), s.organisme);
  }
  Redirect(res, WithFlash(MailUrl(s.organisme), true, "mail_settings.saved"));
}

void AdminEmitterPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                      httplib::Response& res) {
  const Fields f = FormFields(req);
  MailForm form;
  form.which = "emitter";
  form.rule = {0, Field(f, "organisme"), Field(f, "match"), Field(f, "emitter")};
  if (auto id = service::AddEmitterRule(store, service::Caller::OfUser(who.user), form.rule); !id) {
    return RefuseMail(env, who, store, req, res, form, id.error(), form.rule.organisme);
  }
  Redirect(res, WithFlash(MailUrl(form.rule.organisme), true, "mail_settings.saved"));
}

void AdminEmitterRemovePost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                            httplib::Response& res) {
  const Fields f = FormFields(req);
  MailForm form;
  form.which = "emitter";
  form.rule.organisme = Field(f, "organisme");
  int64_t id = 0;
  try {
    id = std::stoll(Field(f, "id"));
  } catch (const std::exception&) {
    id = 0;
  }
  if (auto s = service::RemoveEmitterRule(store, service::Caller::OfUser(who.user),
                                          form.rule.organisme, id);
      !s) {
    return RefuseMail(env, who, store, req, res, form, s.error(), form.rule.organisme);
  }
  Redirect(res, WithFlash(MailUrl(form.rule.organisme), true, "mail_settings.saved"));
}

}  // namespace

void RegisterAdminMailRoutes(httplib::Server& server, Env& env) {
  server.Post("/administration/courrier/boite", Guarded(env, Need::kAdmin, AdminMailboxPost));
  server.Post("/administration/courrier/smtp", Guarded(env, Need::kAdmin, AdminSmtpPost));
  server.Post("/administration/courrier/emetteurs", Guarded(env, Need::kAdmin, AdminEmitterPost));
  server.Post("/administration/courrier/emetteurs/supprimer",
              Guarded(env, Need::kAdmin, AdminEmitterRemovePost));
}

void RegisterAdminRoutes(httplib::Server& server, Env& env) {
  RegisterAdminMailRoutes(server, env);
  server.Get(kUrl, Guarded(env, Need::kAdmin, AdminPage));
  server.Post("/administration/utilisateurs", Guarded(env, Need::kAdmin, AdminUserPost));
  server.Post("/administration/organismes", Guarded(env, Need::kAdmin, AdminFundPost));
  server.Post("/administration/libelles", Guarded(env, Need::kAdmin, AdminLabelsPost));
}

}  // namespace amiable::web::pages
