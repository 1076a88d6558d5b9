// amiable: the mediation server and its command-line tools.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/audit_cmd.h"
#include "cli/commands.h"
#include "cli/version.h"
#include "core/messages.h"
#include "store/audit_chain.h"

int main(int argc, char** argv) {
  using namespace amiable::cli;
  // Every file amiable creates (database, backups, exports, reports,
  // documents, audit key and head) is its account's only: 0600, folders 0700.
  ::umask(077);
  CLI::App app{"amiable — médiation administrative des Caf"};
  app.require_subcommand(1);
  // The help in French too: CLI11's own words, inherited by every subcommand
  // registered below.
  app.set_help_flag("-h,--help", "Affiche cette aide et quitte");
  app.group("Sous-commandes");
  for (const auto& [key, french] : {std::pair{"Usage", "Utilisation"},
                                    {"SUBCOMMAND", "SOUS-COMMANDE"},
                                    {"SUBCOMMANDS", "SOUS-COMMANDES"},
                                    {"Positionals", "Arguments"},
                                    {"REQUIRED", "OBLIGATOIRE"},
                                    {"TEXT", "TEXTE"},
                                    {"INT", "ENTIER"},
                                    {"UINT", "ENTIER"},
                                    {"FLOAT", "NOMBRE"},
                                    {"Needs", "Requiert"},
                                    {"Excludes", "Exclut"},
                                    {"Env", "Variable"}}) {
    app.get_formatter()->label(key, french);
  }
  // `--db` is accepted after the subcommand too (`amiable stats --db F ...`):
  // subcommands created below inherit this and pass unknown options up.
  app.fallthrough();
  Globals g;
  app.add_option("--db", g.db_url,
                 "Base de données : chemin SQLite (sqlite:PATH) ou URL postgresql:// "
                 "(défaut : $AMIABLE_DB, sinon var/amiable.db)")
      ->envname("AMIABLE_DB");
  static std::string audit_key_file;
  app.add_option("--audit-key-file", audit_key_file,
                 "Clé du journal, hors de la base (défaut : $AMIABLE_AUDIT_KEY_FILE, sinon "
                 "audit.key à côté du fichier SQLite, sinon $STATE_DIRECTORY/audit.key ou "
                 "var/audit.key)")
      ->each([](const std::string& p) { amiable::audit::SetKeyFile(p); })
      ->envname("AMIABLE_AUDIT_KEY_FILE");
  // Issue 11 (pkg): the version, the documents folder of every command, and
  // one configuration file (CLI11's TOML/INI reader: global settings at the
  // top, those of a subcommand in its [section]). Precedence: the command
  // line, then the file, then the environment (CLI11's order).
  app.set_version_flag("--version", std::string("amiable ") + AMIABLE_VERSION,
                       "Affiche la version et quitte");
  static std::string documents_dir;
  app.add_option("--documents-dir", documents_dir, "Dossier des pièces des dossiers (défaut : "
                                    "$AMIABLE_DOCUMENTS_DIR, sinon var/documents)")
      ->envname("AMIABLE_DOCUMENTS_DIR")
      ->each([](const std::string& d) { ::setenv("AMIABLE_DOCUMENTS_DIR", d.c_str(), 1); });
  const char* config_env = std::getenv("AMIABLE_CONFIG");
  const std::string config_default =
      config_env != nullptr ? config_env : "/etc/amiable/amiable.conf";
  app.set_config("--config", config_default,
                 "Fichier de configuration (défaut : $AMIABLE_CONFIG, sinon "
                 "/etc/amiable/amiable.conf ; absent : ignoré sauf s'il est nommé)");
  // $AMIABLE_CONFIG names a file as --config does: it must exist; empty, no file.
  if (config_env != nullptr && *config_env != '\0' &&
      !std::filesystem::is_regular_file(config_env)) {
    std::fprintf(stderr, "amiable: %s\n",
                 amiable::msg::Format("cli.config_missing", {config_env}).c_str());
    return 2;
  }
  RegisterCalendar(app, g);
  RegisterStats(app, g);
  RegisterDemo(app, g);
  RegisterReport(app, g);
  RegisterAggregate(app, g);
  RegisterContext(app, g);
  RegisterOrganisme(app, g);
  RegisterImportExport(app, g);
  RegisterBackup(app, g);
  RegisterServe(app, g);
  RegisterToken(app, g);
  RegisterUser(app, g);
  RegisterMail(app, g);
  RegisterAudit(app, g);
  RegisterPrivacy(app, g);
  RegisterRegister(app, g);
  RegisterSettings(app, g);
  // Register further subcommands here, one line each.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version print as CLI11 does; syntax errors get one French
    // line (CLI11 words them in English) and CLI11's non-zero exit code.
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    if (dynamic_cast<const CLI::FileError*>(&e) != nullptr) {
      const std::string file = app.get_config_ptr()->as<std::string>();
      std::fprintf(stderr, "amiable: %s\n", amiable::msg::Format("cli.config_missing", {file}).c_str());
      return e.get_exit_code();
    }
    if (dynamic_cast<const CLI::ConfigError*>(&e) != nullptr) {
      std::fprintf(stderr, "amiable: %s\n", amiable::msg::Format("cli.config_invalid", {e.what()}).c_str());
      return e.get_exit_code();
    }
    // The class by type: CLI11 names some errors after the subcommand.
    const char* kind = dynamic_cast<const CLI::RequiredError*>(&e)      ? "RequiredError"
                       : dynamic_cast<const CLI::ExtrasError*>(&e)      ? "ExtrasError"
                       : dynamic_cast<const CLI::ConversionError*>(&e)  ? "ConversionError"
                       : dynamic_cast<const CLI::ValidationError*>(&e)  ? "ValidationError"
                       : dynamic_cast<const CLI::ArgumentMismatch*>(&e) ? "ArgumentMismatch"
                       : dynamic_cast<const CLI::ExcludesError*>(&e)    ? "ExcludesError"
                       : dynamic_cast<const CLI::RequiresError*>(&e)    ? "RequiresError"
                                                                        : "ParseError";
    std::fprintf(stderr, "amiable: %s\n", UsageText(kind, e.what()).c_str());
    return e.get_exit_code();
  }
  return g.exit_code;
}
