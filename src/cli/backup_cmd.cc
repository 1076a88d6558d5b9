// `amiable backup FILE`: a consistent copy of a SQLite database while it is in use.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "cli/audit_cmd.h"
#include "cli/commands.h"
#include "core/messages.h"
#include "store/store.h"

namespace amiable::cli {

void RegisterBackup(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand(
      "backup", "Copie cohérente de la base SQLite pendant son utilisation (sauvegarde en ligne)");
  static std::string file;
  static bool force = false;
  cmd->add_option("FILE", file, "Fichier de destination")->required();
  cmd->add_flag("--force", force, "Remplacer le fichier s'il existe");
  cmd->callback([&g] {
    std::error_code ec;
    if (std::filesystem::exists(file, ec) && !force) {
      g.exit_code = Report(msg::Invalid("cli.file_exists", "FILE", {file}));
      return;
    }
    auto store = OpenStore(g);
    if (!store) return;
    if (std::string_view(store->engine()) == "postgresql") {
      g.exit_code = Report(msg::Invalid("cli.backup_postgresql"));
      return;
    }
    if (force) std::filesystem::remove(file, ec);
    // Created 0600 before SQLite fills it (it would take the umask's mode).
    auto f = CreatePrivateFile(file);
    if (!f) {
      g.exit_code = Report(f.error());
      return;
    }
    std::fclose(*f);
    if (auto s = store->Backup(file); !s) {
      g.exit_code = Report(s.error());
      return;
    }
    // A copy holds every case: it is audited under the CLI's name.
    if (auto s = store->Audit(CliCaller().actor, "database.backup", file); !s) {
      g.exit_code = Report(s.error());
      return;
    }
    std::printf("%s\n", msg::Format("cli.backup_done", {file}).c_str());
  });
}

}  // namespace amiable::cli
