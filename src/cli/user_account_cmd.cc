// The lifecycle of accounts on the command line (issue 9, part 4), through
// service::AccountsService as the CLI's system actor (every right):
//   amiable user list [--json]
//   amiable user passwd --name N [--password-stdin]
//   amiable user disable --name N | user enable --name N
//   amiable user set --name N --email E
// Password hashes are never printed.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "service/accounts_service.h"
#include "store/store.h"
#include "web/new_password.h"

namespace amiable::cli {
namespace {

struct AccountOptions {
  std::string name;
  std::string email;
  bool password_stdin = false;
  bool json = false;
};

std::string Funds(const User& u) {
  if (u.all_funds) return "*";
  std::string out;
  for (const std::string& o : u.organismes) out += (out.empty() ? "" : ",") + o;
  return out;
}

nlohmann::ordered_json OrNull(const std::string& s) {
  return s.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s);
}

int RunList(const AccountOptions& o, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  service::AccountsService accounts(*store, web::AccountPasswords());
  auto list = accounts.ListAccounts(CliCaller());
  if (!list) return Report(list.error());
  if (o.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const service::AccountView& a : *list) {
      nlohmann::ordered_json j;
      j["name"] = a.user.name;
      j["display_name"] = a.user.display_name;
      j["role"] = RoleCode(a.user.role);
      j["all_funds"] = a.user.all_funds;
      j["organismes"] = a.user.organismes;
      j["email"] = a.user.email;
      j["disabled"] = a.user.disabled;
      j["sso"] = a.sso();
      j["last_sign_in_at"] = OrNull(a.last_sign_in_at);
      out.push_back(std::move(j));
    }
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  // One line per account, tab-separated: name, display name, role, funds
  // ("*" = all), email, state, sign-in (SSO or local), last sign-in.
  for (const service::AccountView& a : *list) {
    std::printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.user.name.c_str(),
                a.user.display_name.c_str(), RoleCode(a.user.role), Funds(a.user).c_str(),
                a.user.email.c_str(), a.user.disabled ? "désactivé" : "actif",
                a.sso() ? "SSO" : "local", a.last_sign_in_at.c_str());
  }
  if (list->empty()) std::fprintf(stderr, "Aucun compte.\n");
  return 0;
}

int RunPasswd(const AccountOptions& o, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  // The account first: no password is asked for a name that does not exist.
  service::AccountsService accounts(*store, web::AccountPasswords());
  if (auto a = accounts.GetAccount(CliCaller(), o.name); !a) return Report(a.error());
  auto password = ReadPassword(o.password_stdin);
  if (!password) return Report(password.error());
  if (auto s = accounts.SetPassword(CliCaller(), o.name, *password); !s) return Report(s.error());
  std::fprintf(stderr, "Mot de passe de %s changé ; ses sessions sont fermées.\n", o.name.c_str());
  return 0;
}

int RunDisable(const AccountOptions& o, Globals& g, bool disable) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  service::AccountsService accounts(*store, web::AccountPasswords());
  Status s = disable ? accounts.Disable(CliCaller(), o.name) : accounts.Enable(CliCaller(), o.name);
  if (!s) return Report(s.error());
  std::fprintf(stderr,
               disable ? "Compte %s désactivé : ses sessions sont fermées et ses jetons refusés.\n"
                       : "Compte %s réactivé.\n",
               o.name.c_str());
  return 0;
}

int RunSet(const AccountOptions& o, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  service::AccountsService accounts(*store, web::AccountPasswords());
  if (auto s = accounts.SetEmail(CliCaller(), o.name, o.email); !s) return Report(s.error());
  std::fprintf(stderr, "Adresse électronique de %s enregistrée.\n", o.name.c_str());
  return 0;
}

}  // namespace

void RegisterUserAccount(CLI::App* user, Globals& g) {
  auto o = std::make_shared<AccountOptions>();
  CLI::App* list = user->add_subcommand(
      "list", "Liste les comptes : nom, rôle, organismes, adresse, état, dernière connexion");
  list->add_flag("--json", o->json, "Sortie JSON (un tableau d'objets)");
  list->callback([o, &g] { g.exit_code = RunList(*o, g); });

  CLI::App* passwd = user->add_subcommand(
      "passwd",
      "Change le mot de passe d'un compte (lu sur l'entrée standard ou demandé deux fois)");
  passwd->add_option("--name", o->name, "Nom du compte")->required();
  passwd->add_flag("--password-stdin", o->password_stdin,
                   "Lire le mot de passe (une ligne) sur l'entrée standard");
  passwd->callback([o, &g] { g.exit_code = RunPasswd(*o, g); });

  CLI::App* disable = user->add_subcommand(
      "disable", "Désactive un compte : ses sessions sont fermées, ses jetons refusés");
  disable->add_option("--name", o->name, "Nom du compte")->required();
  disable->callback([o, &g] { g.exit_code = RunDisable(*o, g, true); });

  CLI::App* enable = user->add_subcommand("enable", "Réactive un compte désactivé");
  enable->add_option("--name", o->name, "Nom du compte")->required();
  enable->callback([o, &g] { g.exit_code = RunDisable(*o, g, false); });

  CLI::App* set = user->add_subcommand("set", "Modifie un compte (adresse électronique)");
  set->add_option("--name", o->name, "Nom du compte")->required();
  set->add_option("--email", o->email, "Adresse électronique (vide : aucune)")->required();
  set->callback([o, &g] { g.exit_code = RunSet(*o, g); });
}

}  // namespace amiable::cli
