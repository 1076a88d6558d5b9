// `amiable organisme service add|list`: the services of a fund that internal
// requests (G@ci) go to (service/internal_requests.h checks the rules).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "core/messages.h"
#include "service/internal_requests.h"
#include "store/store.h"

namespace amiable::cli {
namespace {

struct ServiceArgs {
  std::string organisme;
  std::string code;
  std::string label;
  std::string address;
  bool inactive = false;
  bool json = false;
};

int RunServiceAdd(const ServiceArgs& a, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  if (auto o = store->GetOrganisme(a.organisme); !o) {
    return Report(OrganismeError(o.error(), a.organisme, "--code"));
  }
  service::InternalRequestService svc(*store, SystemClock());
  FundService s{a.organisme, a.code, a.label, a.address, !a.inactive};
  if (Status st = svc.SaveService(CliCaller(), s); !st) {
    Error e = st.error();
    // The service names its fields; the command line names its options.
    if (e.field == "code") e.field = "--service";
    if (e.field == "label" || e.field == "address") e.field = "--" + e.field;
    return Report(e);
  }
  std::fprintf(stderr, "Service %s de l'organisme %s enregistré (%s, %s%s).\n", a.code.c_str(),
               a.organisme.c_str(), a.label.c_str(), a.address.c_str(),
               a.inactive ? ", inactif" : "");
  return 0;
}

int RunServiceList(const ServiceArgs& a, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  if (auto o = store->GetOrganisme(a.organisme); !o) {
    return Report(OrganismeError(o.error(), a.organisme, "--code"));
  }
  service::InternalRequestService svc(*store, SystemClock());
  auto list = svc.Services(CliCaller(), a.organisme);
  if (!list) return Report(list.error());
  if (a.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const FundService& s : *list) {
      out.push_back({{"organisme", s.organisme},
                     {"code", s.code},
                     {"label", s.label},
                     {"address", s.address},
                     {"active", s.active}});
    }
    std::printf("%s\n",
                out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    return 0;
  }
  for (const FundService& s : *list) {
    std::printf("%-20s %-30s %s%s\n", s.code.c_str(), s.label.c_str(), s.address.c_str(),
                s.active ? "" : "  (inactif)");
  }
  return 0;
}

}  // namespace

void RegisterOrganismeServices(CLI::App* organisme, Globals& g) {
  CLI::App* cmd = organisme->add_subcommand(
      "service", "Services de l'organisme destinataires des demandes internes (G@ci)");
  cmd->require_subcommand(1);
  auto a = std::make_shared<ServiceArgs>();
  CLI::App* add = cmd->add_subcommand(
      "add", "Ajoute un service, ou met à jour celui qui a déjà ce code dans l'organisme");
  add->add_option("--code", a->organisme, "Code de l'organisme, par exemple 631")->required();
  add->add_option("--service", a->code, "Code du service, par exemple prestations")->required();
  add->add_option("--label", a->label, "Libellé, par exemple « Service prestations »")->required();
  add->add_option("--address", a->address, "Adresse électronique du service")->required();
  add->add_flag("--inactive", a->inactive,
                "Service inactif : il garde ses demandes passées mais n'en reçoit plus");
  add->callback([a, &g] { g.exit_code = RunServiceAdd(*a, g); });
  CLI::App* list = cmd->add_subcommand("list", "Liste les services d'un organisme");
  list->add_option("--code", a->organisme, "Code de l'organisme")->required();
  list->add_flag("--json", a->json, "Sortie JSON");
  list->callback([a, &g] { g.exit_code = RunServiceList(*a, g); });
}

}  // namespace amiable::cli
