// `amiable token create --user NAME [--label L]`: creates an API token for a
// user and prints its secret once (only its SHA-256 is stored).
// `amiable token list [--user N] [--json]` and `token revoke --id ID`: the
// tokens (never their secret nor hash) and their revocation, through
// service::AccountsService (a revoked token is refused at once).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "core/messages.h"
#include "service/accounts_service.h"
#include "store/store.h"
#include "web/auth.h"
#include "web/new_password.h"

namespace amiable::cli {
namespace {

struct TokenOptions {
  std::string user;
  std::string label;
  bool json = false;
  int64_t id = 0;
};

int RunTokenCreate(const TokenOptions& o, Globals& g) {
  if (o.label.size() > 200) return Report(msg::Invalid("cli.label_too_long", "--label"));
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  auto user = store->GetUser(o.user);
  if (!user) return Report(UserError(user.error(), o.user, "--user"));
  if (user->disabled) return Report(msg::Invalid("cli.user_disabled", "--user", {o.user}));
  const std::string secret = web::NewTokenSecret();
  if (auto s = store->CreateApiToken(o.user, web::HashToken(secret), o.label); !s) {
    return Report(s.error());
  }
  if (auto s = store->Audit(CliCaller().actor, "token.create", o.user); !s) {
    return Report(s.error());
  }
  if (o.json) {
    nlohmann::ordered_json j;
    j["user"] = o.user;
    j["label"] = o.label;
    j["token"] = secret;
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("%s\n", secret.c_str());
    std::fprintf(stderr,
                 "Jeton créé pour %s. Conservez-le : il ne sera plus affiché.\n"
                 "Usage : Authorization: Bearer <jeton>\n",
                 o.user.c_str());
  }
  return 0;
}

nlohmann::ordered_json OrNull(const std::string& s) {
  return s.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s);
}

int RunTokenList(const TokenOptions& o, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  service::AccountsService accounts(*store, web::AccountPasswords());
  auto tokens = accounts.ListTokens(CliCaller(), o.user);
  if (!tokens) return Report(tokens.error());
  if (o.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const ApiTokenInfo& t : *tokens) {
      nlohmann::ordered_json j;
      j["id"] = t.id;
      j["user"] = t.user;
      j["label"] = t.label;
      j["created_at"] = t.created_at;
      j["last_used_at"] = OrNull(t.last_used_at);
      j["revoked"] = !t.revoked_at.empty();
      j["revoked_at"] = OrNull(t.revoked_at);
      out.push_back(std::move(j));
    }
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  // One line per token, tab-separated: id, user, label, created, last used
  // ("" never), state ("actif" or "révoqué <when>").
  for (const ApiTokenInfo& t : *tokens) {
    const std::string state = t.revoked_at.empty() ? "actif" : "révoqué " + t.revoked_at;
    std::printf("%lld\t%s\t%s\t%s\t%s\t%s\n", static_cast<long long>(t.id), t.user.c_str(),
                t.label.c_str(), t.created_at.c_str(), t.last_used_at.c_str(), state.c_str());
  }
  if (tokens->empty()) std::fprintf(stderr, "Aucun jeton.\n");
  return 0;
}

int RunTokenRevoke(const TokenOptions& o, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  service::AccountsService accounts(*store, web::AccountPasswords());
  if (auto s = accounts.RevokeToken(CliCaller(), o.id); !s) return Report(s.error());
  std::fprintf(stderr, "Jeton n° %lld révoqué : il est refusé dès maintenant.\n",
               static_cast<long long>(o.id));
  return 0;
}

}  // namespace

void RegisterToken(CLI::App& app, Globals& g) {
  CLI::App* token = app.add_subcommand("token", "Jetons d'accès à l'API");
  token->require_subcommand(1);
  auto o = std::make_shared<TokenOptions>();
  CLI::App* create =
      token->add_subcommand("create", "Crée un jeton et l'affiche une seule fois (stdout)");
  create->add_option("--user", o->user, "Nom du compte")->required();
  create->add_option("--label", o->label, "Libellé (usage du jeton)");
  create->add_flag("--json", o->json, "Sortie JSON {\"user\",\"label\",\"token\"}");
  create->callback([o, &g] { g.exit_code = RunTokenCreate(*o, g); });
  CLI::App* list = token->add_subcommand(
      "list", "Liste les jetons : numéro, compte, libellé, création, dernier usage, état");
  list->add_option("--user", o->user, "Les jetons de ce compte seulement");
  list->add_flag("--json", o->json, "Sortie JSON (un tableau d'objets)");
  list->callback([o, &g] { g.exit_code = RunTokenList(*o, g); });
  CLI::App* revoke =
      token->add_subcommand("revoke", "Révoque un jeton (refusé dès maintenant, sans retour)");
  revoke->add_option("--id", o->id, "Numéro du jeton (voir token list)")->required();
  revoke->callback([o, &g] { g.exit_code = RunTokenRevoke(*o, g); });
}

}  // namespace amiable::cli
