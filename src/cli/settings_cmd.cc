// amiable settings list
// amiable settings get KEY
// amiable settings set KEY [VALUE]      (no VALUE, or "": removes the setting)
//
// The deployment's settings (store/report_data.h, deployment_settings):
//   deployment.national       "1" when the deployment is national (the météo's
//                             all-funds column is then computed from the
//                             database); "0" or nothing otherwise
//   deployment.national_pole  the code of the fund that is the national pole
//                             (left out of « all funds », shown apart)
// Unknown keys and bad values are refused with a French line naming them;
// writes are audited by the store (action report.setting).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/messages.h"
#include "store/report_data.h"
#include "store/store.h"

namespace amiable::cli {
namespace {

constexpr std::string_view kKeys[] = {kSettingNational, kSettingNationalPole};

std::string KnownKeys() {
  std::string out;
  for (std::string_view k : kKeys) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

Status CheckKey(const std::string& key) {
  for (std::string_view k : kKeys) {
    if (k == key) return {};
  }
  return Fail(msg::Invalid("cli.setting_unknown", "KEY", {key, KnownKeys()}));
}

// The value as stored ("" removes), or the error naming it.
Result<std::string> Normalize(Store& store, const std::string& key, const std::string& value) {
  if (value.empty()) return std::string();
  if (key == kSettingNational) {
    if (value == "1" || value == "oui") return std::string("1");
    if (value == "0" || value == "non") return std::string();
    return Fail(msg::Invalid("cli.setting_value", "VALUE", {key, value}));
  }
  // kSettingNationalPole: a fund of the database.
  auto org = store.GetOrganisme(value);
  if (!org) {
    if (org.error().code == Error::Code::kNotFound) {
      return Fail(msg::Invalid("cli.national_pole_unknown", "VALUE", {value}));
    }
    return Fail(org.error());
  }
  return value;
}

ReportDataStore* DataOf(Store& store) {
  ReportDataStore* d = ReportDataOf(store);
  if (d == nullptr) Report(Error::Internal("settings: not supported by this store"));
  return d;
}

int RunGet(Globals& g, const std::string& key) {
  if (auto s = CheckKey(key); !s) return Report(s.error());
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  ReportDataStore* data = DataOf(*store);
  if (data == nullptr) return 1;
  auto v = data->GetSetting(key);
  if (!v) return Report(v.error());
  if (!*v) {
    std::fprintf(stderr, "amiable: %s\n", msg::Format("cli.setting_absent", {key}).c_str());
    return 3;
  }
  std::printf("%s\n", (*v)->c_str());
  return 0;
}

int RunList(Globals& g) {
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  ReportDataStore* data = DataOf(*store);
  if (data == nullptr) return 1;
  for (std::string_view k : kKeys) {
    auto v = data->GetSetting(k);
    if (!v) return Report(v.error());
    std::printf("%s\t%s\n", std::string(k).c_str(), *v ? (*v)->c_str() : "");
  }
  return 0;
}

int RunSet(Globals& g, const std::string& key, const std::string& value) {
  if (auto s = CheckKey(key); !s) return Report(s.error());
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  ReportDataStore* data = DataOf(*store);
  if (data == nullptr) return 1;
  auto v = Normalize(*store, key, value);
  if (!v) return Report(v.error());
  if (auto s = data->SetSetting(CliCaller().actor, key, *v); !s) return Report(s.error());
  std::printf("%s\n", v->empty() ? msg::Format("cli.setting_cleared", {key}).c_str()
                                 : msg::Format("cli.setting_set", {key, *v}).c_str());
  return 0;
}

}  // namespace

void RegisterSettings(CLI::App& app, Globals& g) {
  CLI::App* cmd = app.add_subcommand(
      "settings", "Paramètres du déploiement (déploiement national, Caf du pôle national)");
  cmd->require_subcommand(1);
  auto key = std::make_shared<std::string>();
  auto value = std::make_shared<std::string>();
  CLI::App* list = cmd->add_subcommand("list", "Afficher les paramètres et leur valeur");
  list->callback([&g] { g.exit_code = RunList(g); });
  CLI::App* get = cmd->add_subcommand("get", "Afficher la valeur d'un paramètre");
  get->add_option("KEY", *key, KnownKeys())->required();
  get->callback([&g, key] { g.exit_code = RunGet(g, *key); });
  CLI::App* set = cmd->add_subcommand(
      "set", "Donner une valeur à un paramètre (sans valeur : le supprimer)");
  set->add_option("KEY", *key, KnownKeys())->required();
  set->add_option("VALUE", *value,
                  "deployment.national : 1 ou 0 ; deployment.national_pole : code de la Caf");
  set->callback([&g, key, value] { g.exit_code = RunSet(g, *key, *value); });
}

}  // namespace amiable::cli
