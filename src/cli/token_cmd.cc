// `amiable token create --user NAME [--label L]`: creates an API token for a
// user and prints its secret once (only its SHA-256 is stored).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "core/messages.h"
#include "store/store.h"
#include "web/auth.h"

namespace amiable::cli {
namespace {

struct TokenOptions {
  std::string user;
  std::string label;
  bool json = false;
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
}

}  // namespace amiable::cli
