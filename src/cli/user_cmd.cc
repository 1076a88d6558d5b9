// `amiable user add`: creates an account. The password is read from stdin
// (one line; with --password-stdin, or whenever stdin is not a terminal) or
// asked twice on the terminal without echo, and stored as an argon2id hash.
// `amiable user interest add|list|remove`: the declaration of interest links
// of a user (domain.md §2), which take_in_charge compares with each case;
// these are use cases of the case service, called as the CLI's actor.
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "calendar/clock.h"
#include "cli/commands.h"
#include "core/messages.h"
#include "service/accounts_service.h"
#include "service/case_service.h"
#include "store/store.h"
#include "web/new_password.h"

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
  std::string email;
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

}  // namespace

Result<std::string> ReadPassword(bool from_stdin) {
  std::string password;
  if (from_stdin || !isatty(STDIN_FILENO)) {
    if (!ReadLine(password)) {
      return Fail(msg::Invalid("cli.password_stdin", "password"));
    }
    return password;
  }
  std::string again;
  if (!ReadHidden("Mot de passe : ", password) || !ReadHidden("Confirmation : ", again)) {
    return Fail(msg::Invalid("cli.password_interrupted", "password"));
  }
  if (password != again) {
    return Fail(msg::Invalid("cli.password_mismatch", "password"));
  }
  return password;
}

namespace {

int RunUserAdd(const UserOptions& o, Globals& g) {
  User u;
  u.name = o.name;
  u.display_name = o.display_name.empty() ? o.name : o.display_name;
  if (u.name.empty() || u.name.size() > 100 ||
      u.name.find_first_of(" \t\r\n/\\,;:\"'<>") != std::string::npos) {
    return Report(msg::Invalid("cli.user_name", "--name"));
  }
  auto role = RoleFromCode(o.role);
  if (!role) return Report(msg::Invalid("cli.role_unknown", "--role", {o.role}));
  u.role = *role;
  u.all_funds = o.all_funds;
  if (auto e = service::CheckEmail(o.email); !e) return Report(e.error());
  u.email = o.email;
  if (!o.all_funds && o.organismes.empty()) {
    return Report(msg::Invalid("cli.organisme_required", "--organisme"));
  }
  if (o.all_funds && !o.organismes.empty()) {
    return Report(msg::Invalid("cli.organisme_exclusive", "--organisme"));
  }
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  for (const std::string& code : o.organismes) {
    auto org = store->GetOrganisme(code);
    if (!org) return Report(OrganismeError(org.error(), code, "--organisme"));
    u.organismes.push_back(code);
  }
  if (!o.no_password) {
    auto password = ReadPassword(o.password_stdin);
    if (!password) return Report(password.error());
    auto hash = web::HashNewPassword(*password, u.name);
    if (!hash) return Report(hash.error());
    u.password_hash = std::move(*hash);
  }
  if (store->GetUser(u.name)) return Report(msg::Conflict("cli.user_exists", "--name", {u.name}));
  auto id = store->CreateUser(u);
  if (!id) return Report(id.error());
  if (auto s = store->Audit(CliCaller().actor, "user.create", u.name); !s) {
    return Report(s.error());
  }
  std::fprintf(stderr, "Compte %s créé (rôle %s%s).\n", u.name.c_str(), RoleCode(u.role),
               u.all_funds ? ", tous les organismes" : "");
  return 0;
}

// `amiable user unlock --name N`: clears the sign-in counters of the
// account (web/session.h ReserveSignIn), from every address.
int RunUserUnlock(const std::string& name, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  auto u = store->GetUser(name);
  if (!u) return Report(UserError(u.error(), name, "--name"));
  auto n = store->ClearAttemptsOfUser(u->name);
  if (!n) return Report(n.error());
  if (auto s = store->Audit(CliCaller().actor, "user.unlock", u->name); !s) return Report(s.error());
  std::fprintf(stderr, "%s\n",
               msg::Format("signin.unlocked", {u->name, std::to_string(*n)}).c_str());
  return 0;
}

struct InterestOptions {
  std::string user;
  std::string kind;
  std::string value;
  std::string relation;
  std::string organisme;
  std::string started_on;
  std::string ended_on;
  int64_t id = 0;
};

// --kind: what the value designates. "landlord" and "beneficiary" are people
// (a landlord may be a company: "organisation" and "person" are matched the
// same way, by name); they also give the relation when --relation is absent.
Result<DeclaredInterest> ParseInterest(const InterestOptions& o) {
  DeclaredInterest d;
  d.user = o.user;
  d.link.value = o.value;
  d.link.relation = o.relation;
  d.link.organisme = o.organisme;
  if (o.kind == "landlord" || o.kind == "beneficiary" || o.kind == "person") {
    d.link.subject = InterestLink::Subject::kPerson;
    if (d.link.relation.empty() && o.kind == "landlord") d.link.relation = "bailleur";
    if (d.link.relation.empty() && o.kind == "beneficiary") d.link.relation = "allocataire";
  } else if (o.kind == "organisation") {
    d.link.subject = InterestLink::Subject::kOrganisation;
  } else if (o.kind == "allocataire") {
    d.link.subject = InterestLink::Subject::kAllocataireNumber;
  } else {
    return Fail(msg::Invalid("cli.interest_kind", "--kind", {o.kind}));
  }
  auto date = [](const std::string& text, const char* field) -> Result<std::optional<Date>> {
    if (text.empty()) return std::optional<Date>();
    auto parsed = Date::Parse(text);
    if (!parsed) return Fail(msg::Invalid("cli.date", field, {text}));
    return std::optional<Date>(*parsed);
  };
  auto started = date(o.started_on, "--started-on");
  if (!started) return Fail(started.error());
  auto ended = date(o.ended_on, "--ended-on");
  if (!ended) return Fail(ended.error());
  d.started_on = *started;
  d.link.ended_on = *ended;
  return d;
}

int RunInterestAdd(const InterestOptions& o, Globals& g) {
  auto d = ParseInterest(o);
  if (!d) return Report(d.error());
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  if (auto u = store->GetUser(d->user); !u) {
    Error e = UserError(u.error(), d->user, "--user");
    if (e.code == Error::Code::kNotFound) e.code = Error::Code::kInvalid;  // a bad argument
    return Report(e);
  }
  if (!d->link.organisme.empty()) {
    if (auto org = store->GetOrganisme(d->link.organisme); !org) {
      return Report(OrganismeError(org.error(), d->link.organisme, "--organisme"));
    }
  }
  service::CaseService cases(*store, SystemClock());
  auto id = cases.DeclareInterest(CliCaller(), *d);
  if (!id) return Report(id.error());
  std::printf("%lld\n", static_cast<long long>(*id));
  std::fprintf(stderr, "Lien d'intérêts n° %lld déclaré pour %s.\n", static_cast<long long>(*id),
               d->user.c_str());
  return 0;
}

int RunInterestList(const InterestOptions& o, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  if (auto u = store->GetUser(o.user); !u) return Report(UserError(u.error(), o.user, "--user"));
  service::CaseService cases(*store, SystemClock());
  auto links = cases.InterestLinks(CliCaller(), o.user);
  if (!links) return Report(links.error());
  // One line per link, tab-separated: id, kind, value, relation, fund
  // ("*" = any), start, end ("" while current).
  for (const DeclaredInterest& d : *links) {
    std::printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", static_cast<long long>(d.id),
                InterestSubjectCode(d.link.subject), d.link.value.c_str(), d.link.relation.c_str(),
                d.link.organisme.empty() ? "*" : d.link.organisme.c_str(),
                d.started_on ? d.started_on->ToString().c_str() : "",
                d.link.ended_on ? d.link.ended_on->ToString().c_str() : "");
  }
  if (links->empty()) {
    std::fprintf(stderr, "Aucun lien d'intérêts déclaré pour %s.\n", o.user.c_str());
  }
  return 0;
}

int RunInterestRemove(const InterestOptions& o, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  // The owner of the link: --user, or found among the accounts.
  std::string owner = o.user;
  if (owner.empty()) {
    auto users = store->ListUsers();
    if (!users) return Report(users.error());
    for (const User& u : *users) {
      auto links = store->InterestLinks(u.name);
      if (!links) return Report(links.error());
      for (const DeclaredInterest& d : *links) {
        if (d.id == o.id) owner = u.name;
      }
      if (!owner.empty()) break;
    }
    if (owner.empty()) {
      return Report(msg::NotFound("cli.interest_unknown", {std::to_string(o.id)}));
    }
  } else if (auto u = store->GetUser(owner); !u) {
    return Report(UserError(u.error(), owner, "--user"));
  }
  service::CaseService cases(*store, SystemClock());
  if (auto s = cases.RemoveInterest(CliCaller(), owner, o.id); !s) return Report(s.error());
  std::fprintf(stderr, "Lien d'intérêts n° %lld retiré.\n", static_cast<long long>(o.id));
  return 0;
}

void RegisterInterest(CLI::App* user, Globals& g) {
  CLI::App* interest = user->add_subcommand(
      "interest",
      "Déclaration des liens d'intérêts (comparés à chaque dossier avant la prise en charge)");
  interest->require_subcommand(1);
  auto o = std::make_shared<InterestOptions>();
  CLI::App* add =
      interest->add_subcommand("add", "Déclare un lien d'intérêts ; affiche son numéro");
  add->add_option("--user", o->user, "Compte concerné")->required();
  add->add_option("--kind", o->kind,
                  "Ce que désigne la valeur : landlord, beneficiary, person, organisation ou "
                  "allocataire (numéro)")
      ->required();
  add->add_option("--value", o->value, "Nom, raison sociale ou numéro d'allocataire")->required();
  add->add_option("--relation", o->relation,
                  "Nature du lien, ex. « propriétaire bailleur », « conjoint »");
  add->add_option("--organisme", o->organisme, "Caf du territoire concerné (défaut : toutes)");
  add->add_option("--started-on", o->started_on, "Début du lien (AAAA-MM-JJ)");
  add->add_option("--ended-on", o->ended_on, "Fin du lien (AAAA-MM-JJ ; absent : en cours)");
  add->callback([o, &g] { g.exit_code = RunInterestAdd(*o, g); });
  CLI::App* list = interest->add_subcommand("list", "Liste les liens d'intérêts d'un compte");
  list->add_option("--user", o->user, "Compte concerné")->required();
  list->callback([o, &g] { g.exit_code = RunInterestList(*o, g); });
  CLI::App* remove = interest->add_subcommand("remove", "Retire un lien d'intérêts");
  remove->add_option("--id", o->id, "Numéro du lien (voir list)")->required();
  remove->add_option("--user", o->user, "Compte concerné (défaut : celui qui a ce lien)");
  remove->callback([o, &g] { g.exit_code = RunInterestRemove(*o, g); });
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
  add->add_option("--role", o->role, "mediator, manager, administrator, statistics, dpo, partner ou national")->required();
  add->add_option("--organisme", o->organismes, "Organisme du compte (répétable)");
  add->add_flag("--all-funds", o->all_funds, "Accès à tous les organismes");
  add->add_flag("--password-stdin", o->password_stdin,
                "Lire le mot de passe (une ligne) sur l'entrée standard");
  add->add_flag("--no-password", o->no_password,
                "Compte sans mot de passe (API seulement, pas de connexion aux pages)");
  add->add_option("--email", o->email, "Adresse électronique du titulaire du compte");
  add->callback([o, &g] { g.exit_code = RunUserAdd(*o, g); });
  auto unlock_name = std::make_shared<std::string>();
  CLI::App* unlock = user->add_subcommand(
      "unlock", "Efface les compteurs d'essais de connexion d'un compte (toutes adresses)");
  unlock->add_option("--name", *unlock_name, "Nom du compte")->required();
  unlock->callback([unlock_name, &g] { g.exit_code = RunUserUnlock(*unlock_name, g); });
  RegisterInterest(user, g);
  RegisterUserAccount(user, g);
}

}  // namespace amiable::cli
