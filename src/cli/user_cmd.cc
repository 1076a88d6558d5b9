// `amiable user add`: creates an account. The password is read from stdin
// (one line; with --password-stdin, or whenever stdin is not a terminal) or
// asked twice on the terminal without echo, and stored as an argon2id hash.
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "store/store.h"
#include "web/auth.h"

namespace amiable::cli {
namespace {

struct UserOptions {
  std::string name;
  std::string display_name;
  std::string role;
  std::vector<std::string> organismes;
  bool all_funds = false;
  bool password_stdin = false;
  bool no_password = false;
};

bool ReadLine(std::string& out) {
  if (!std::getline(std::cin, out)) return false;
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return true;
}

// Reads a line from the terminal with echo off.
bool ReadHidden(const char* prompt, std::string& out) {
  std::fprintf(stderr, "%s", prompt);
  std::fflush(stderr);
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  const bool ok = ReadLine(out);
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::fprintf(stderr, "\n");
  return ok;
}

Result<std::string> ReadPassword(bool from_stdin) {
  std::string password;
  if (from_stdin || !isatty(STDIN_FILENO)) {
    if (!ReadLine(password)) {
      return Fail(Error::Invalid("aucun mot de passe lu sur l'entrée standard", "password"));
    }
    return password;
  }
  std::string again;
  if (!ReadHidden("Mot de passe : ", password) || !ReadHidden("Confirmation : ", again)) {
    return Fail(Error::Invalid("saisie du mot de passe interrompue", "password"));
  }
  if (password != again) {
    return Fail(Error::Invalid("les deux saisies diffèrent", "password"));
  }
  return password;
}

int RunUserAdd(const UserOptions& o, Globals& g) {
  User u;
  u.name = o.name;
  u.display_name = o.display_name.empty() ? o.name : o.display_name;
  if (u.name.empty() || u.name.size() > 100 ||
      u.name.find_first_of(" \t\r\n/\\,;:\"'<>") != std::string::npos) {
    return Report(Error::Invalid(
        "nom de compte invalide (1 à 100 caractères, sans espace ni ponctuation spéciale)",
        "--name"));
  }
  auto role = RoleFromCode(o.role);
  if (!role) {
    return Report(Error::Invalid(
        "rôle inconnu « " + o.role + " » (mediator, manager, administrator, statistics)",
        "--role"));
  }
  u.role = *role;
  u.all_funds = o.all_funds;
  if (!o.all_funds && o.organismes.empty()) {
    return Report(
        Error::Invalid("indiquez au moins un --organisme, ou --all-funds", "--organisme"));
  }
  if (o.all_funds && !o.organismes.empty()) {
    return Report(Error::Invalid("--organisme et --all-funds s'excluent", "--organisme"));
  }
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  for (const std::string& code : o.organismes) {
    auto org = store->GetOrganisme(code);
    if (!org) {
      Error e = org.error();
      e.field = "--organisme";
      return Report(e);
    }
    u.organismes.push_back(code);
  }
  if (!o.no_password) {
    auto password = ReadPassword(o.password_stdin);
    if (!password) return Report(password.error());
    auto hash = web::HashPassword(*password);
    if (!hash) return Report(hash.error());
    u.password_hash = std::move(*hash);
  }
  auto id = store->CreateUser(u);
  if (!id) return Report(id.error());
  std::fprintf(stderr, "Compte %s créé (rôle %s%s).\n", u.name.c_str(), RoleCode(u.role),
               u.all_funds ? ", tous les organismes" : "");
  return 0;
}

}  // namespace

void RegisterUser(CLI::App& app, Globals& g) {
  CLI::App* user = app.add_subcommand("user", "Comptes des utilisateurs");
  user->require_subcommand(1);
  auto o = std::make_shared<UserOptions>();
  CLI::App* add = user->add_subcommand(
      "add", "Crée un compte ; le mot de passe est lu sur l'entrée standard ou demandé");
  add->add_option("--name", o->name, "Nom du compte (identifiant de connexion)")->required();
  add->add_option("--display-name", o->display_name, "Nom affiché (défaut : le nom du compte)");
  add->add_option("--role", o->role, "mediator, manager, administrator ou statistics")->required();
  add->add_option("--organisme", o->organismes, "Organisme du compte (répétable)");
  add->add_flag("--all-funds", o->all_funds, "Accès à tous les organismes");
  add->add_flag("--password-stdin", o->password_stdin,
                "Lire le mot de passe (une ligne) sur l'entrée standard");
  add->add_flag("--no-password", o->no_password,
                "Compte sans mot de passe (API seulement, pas de connexion aux pages)");
  add->callback([o, &g] { g.exit_code = RunUserAdd(*o, g); });
}

}  // namespace amiable::cli
