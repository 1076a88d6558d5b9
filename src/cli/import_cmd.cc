// `amiable organisme add|list`, `amiable import` and `amiable export`: the
// funds, and cases in the interchange format (domain.md §7, intake/).
//
// `amiable import --format csv --mapping MAP.json --organisme C` reads a
// spreadsheet's CSV through intake/csv_import.h (the same all-or-nothing
// import; problems "ligne N : colonne : raison"; --dry-run prints the
// figures each year would have).
//
// Import is all or nothing: every problem of the file is printed on stderr as
// "ligne N : champ : raison" (the first kMaxShownProblems of them) and the exit
// code is 2 with nothing written. Export writes one case a line, ordered by
// organisme, reception date and reference, to stdout or to a file replaced
// only once complete.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/audit_cmd.h"
#include "cli/commands.h"
#include "core/messages.h"
#include "core/nomenclature.h"
#include "core/region.h"
#include "figures/figures.h"
#include "intake/csv_import.h"
#include "intake/importer.h"
#include "intake/interchange.h"
#include "store/store.h"

namespace amiable::cli {
namespace {

constexpr size_t kMaxShownProblems = 1000;

bool IsDigits(const std::string& s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool HasControl(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

std::string ZoneList() {
  std::string out;
  for (const NomenclatureEntry& e : nomenclature::Zone().entries) {
    if (!out.empty()) out += ", ";
    out += e.code;
  }
  return out;
}

// ---- organisme add / list

struct OrganismeArgs {
  std::string code;
  std::string name;
  std::string zone;
  std::string region;
  bool whit_monday_worked = false;
  bool json = false;
};

int RunOrganismeAdd(const OrganismeArgs& a, Globals& g) {
  if (!IsDigits(a.code, 3)) {
    return Report(msg::Invalid("cli.organisme_code", "--code", {a.code}));
  }
  if (a.name.empty() || a.name.size() > 200 || HasControl(a.name)) {
    return Report(msg::Invalid("cli.organisme_name", "--name"));
  }
  if (!nomenclature::Zone().Contains(a.zone)) {
    return Report(msg::Invalid("cli.zone_unknown", "--zone", {a.zone, ZoneList()}));
  }
  if (Status s = CheckRegionCode(a.region, "--region"); !s) return Report(s.error());
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  const bool existed = store->GetOrganisme(a.code).has_value();
  Organisme o{a.code, a.name, a.zone, a.region, a.whit_monday_worked};
  if (Status s = store->UpsertOrganisme(CliCaller().actor, o); !s) return Report(s.error());
  std::fprintf(stderr, "Organisme %s %s (%s, zone %s%s).\n", o.code.c_str(),
               existed ? "mis à jour" : "créé", o.name.c_str(), o.zone.c_str(),
               o.whit_monday_worked ? ", lundi de Pentecôte travaillé" : "");
  return 0;
}

int RunOrganismeList(const OrganismeArgs& a, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  auto list = store->ListOrganismes();
  if (!list) return Report(list.error());
  // Funds are no case data: reading them is not audited.
  if (a.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const Organisme& o : *list) {
      out.push_back({{"code", o.code},
                     {"name", o.name},
                     {"zone", o.zone},
                     {"region", o.region},
                     {"whit_monday_worked", o.whit_monday_worked}});
    }
    const std::string text =
        out.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::ordered_json::error_handler_t::replace);
    std::printf("%s\n", text.c_str());
    return 0;
  }
  for (const Organisme& o : *list) {
    std::printf("%s  %-15s %-3s %s%s\n", o.code.c_str(), o.zone.c_str(), o.region.c_str(),
                o.name.c_str(), o.whit_monday_worked ? "  (lundi de Pentecôte travaillé)" : "");
  }
  return 0;
}

int RunOrganismeRegions(const OrganismeArgs& a) {
  const Nomenclature& regions = nomenclature::Region();
  if (a.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const NomenclatureEntry& e : regions.entries) {
      out.push_back({{"code", e.code}, {"label", e.label}});
    }
    std::printf("%s\n", out.dump(-1, ' ', /*ensure_ascii=*/false).c_str());
    return 0;
  }
  for (const NomenclatureEntry& e : regions.entries) {
    std::printf("%.*s  %.*s\n", static_cast<int>(e.code.size()), e.code.data(),
                static_cast<int>(e.label.size()), e.label.data());
  }
  return 0;
}

// ---- import

struct ImportArgs {
  std::string file;
  bool dry_run = false;
  std::string format = "jsonl";
  std::string mapping;    // --format csv
  std::string organisme;  // --format csv
  std::string encoding;   // "" = detected
  std::string delimiter;  // "" = detected
  bool json = false;      // the dry run's figures as JSON
};

// Prints the listing of `problems` (the first kMaxShownProblems) on stderr,
// each line prefixed with `prefix` when it is not empty.
void PrintProblems(const std::vector<Error>& problems, const std::string& prefix) {
  std::string text;
  for (size_t i = 0; i < problems.size() && i < kMaxShownProblems; ++i) {
    if (!prefix.empty()) text += prefix + " : ";
    text += ToString(problems[i]);
    text += '\n';
  }
  if (problems.size() > kMaxShownProblems) {
    text += msg::Format("cli.more_problems", {std::to_string(problems.size() - kMaxShownProblems)});
    text += '\n';
  }
  std::fwrite(text.data(), 1, text.size(), stderr);
}

Result<std::string> ReadWholeFile(const std::string& path, const char* option) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Fail(msg::Invalid("cli.is_directory", option, {path}));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(msg::NotFound("cli.cannot_open", {path}));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// amiable import --format csv (intake/csv_import.h).
int RunCsvImport(const ImportArgs& a, Globals& g) {
  if (a.mapping.empty()) return Report(msg::Invalid("cli.csv_mapping_required", "--mapping"));
  if (a.organisme.empty()) {
    return Report(msg::Invalid("cli.csv_organisme_required", "--organisme"));
  }
  CsvImportOptions options;
  options.organisme = a.organisme;
  options.dry_run = a.dry_run;
  if (!a.encoding.empty()) {
    options.csv.encoding = CsvEncodingFromName(a.encoding);
    if (!options.csv.encoding) {
      return Report(msg::Invalid("cli.csv_encoding", "--encoding", {a.encoding}));
    }
  }
  if (!a.delimiter.empty()) {
    if (a.delimiter != ";" && a.delimiter != ",") {
      return Report(msg::Invalid("cli.csv_delimiter", "--delimiter", {a.delimiter}));
    }
    options.csv.delimiter = a.delimiter[0];
  }
  std::string bytes;
  if (a.file == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    bytes = ss.str();
  } else {
    auto b = ReadWholeFile(a.file, "FILE");
    if (!b) return Report(b.error());
    bytes = std::move(*b);
  }
  auto mapping = ReadWholeFile(a.mapping, "--mapping");
  if (!mapping) return Report(mapping.error());
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  if (auto o = store->GetOrganisme(a.organisme); !o) {
    return Report(OrganismeError(o.error(), a.organisme, "--organisme"));
  }
  options.as_of = TodayForFunds(SystemClock(), store.get(), {a.organisme});
  std::vector<Error> problems;
  auto r = ImportCsv(*store, CliCaller().actor, bytes, *mapping, options, &problems);
  const std::string source = a.file == "-" ? msg::Format("cli.stdin") : a.file;
  if (!r) {
    if (problems.empty()) return Report(r.error());
    const bool in_mapping = problems.front().line == 0 && r.error().message_id == "csv.mapping_problems";
    PrintProblems(problems, in_mapping ? a.mapping : "");
    const size_t n = problems.size();
    if (in_mapping) return Report(r.error());
    return Report(n == 1 ? msg::Invalid("cli.import_problem", {}, {source})
                         : msg::Invalid("cli.import_problems", {}, {source, std::to_string(n)}));
  }
  const std::string how = msg::Format(
      "cli.csv_read", {CsvEncodingName(r->encoding), std::string(1, r->delimiter)});
  if (a.dry_run && a.json) {
    nlohmann::ordered_json out;
    out["cases"] = r->counts.cases;
    out["generated_references"] = r->generated;
    out["encoding"] = CsvEncodingName(r->encoding);
    out["delimiter"] = std::string(1, r->delimiter);
    nlohmann::ordered_json years = nlohmann::ordered_json::object();
    for (size_t i = 0; i < r->figures.size(); ++i) {
      years[r->years[i]] = nlohmann::ordered_json::parse(FiguresToJson(r->figures[i]));
    }
    out["figures"] = std::move(years);
    std::printf("%s\n", out.dump(2, ' ', false).c_str());
    return 0;
  }
  if (a.dry_run) {
    std::printf("%s\n", msg::Format("cli.csv_dry_run", {std::to_string(r->counts.cases),
                                                           std::to_string(r->generated), how})
                            .c_str());
    for (const YearFigures& f : r->figures) {
      std::printf("\n%s", StatsSummary(f).c_str());
    }
    return 0;
  }
  std::printf("%s\n", msg::Format("cli.csv_imported", {std::to_string(r->counts.cases),
                                                         std::to_string(r->generated), how})
                          .c_str());
  return 0;
}

int RunImport(const ImportArgs& a, Globals& g) {
  if (a.format == "csv") return RunCsvImport(a, g);
  if (a.format != "jsonl") return Report(msg::Invalid("cli.import_format", "--format", {a.format}));
  if (!a.mapping.empty() || !a.organisme.empty() || !a.encoding.empty() ||
      !a.delimiter.empty() || a.json) {
    return Report(msg::Invalid("cli.csv_options_only", "--format"));
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (a.file != "-") {
    std::error_code ec;
    if (std::filesystem::is_directory(a.file, ec)) {
      return Report(msg::Invalid("cli.is_directory", "FILE", {a.file}));
    }
    file.open(a.file, std::ios::binary);
    if (!file) return Report(msg::NotFound("cli.cannot_open", {a.file}));
    in = &file;
  } else {
    std::ios::sync_with_stdio(false);  // faster reads from std::cin
  }
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  std::vector<Error> problems;
  // The store audits the import ("cases.import") under the CLI's name.
  const service::Caller caller = CliCaller();
  auto counts = ImportFile(*store, caller.actor, *in, a.dry_run, &problems);
  if (!counts) {
    if (problems.empty()) return Report(counts.error());
    std::string text;
    for (size_t i = 0; i < problems.size() && i < kMaxShownProblems; ++i) {
      text += ToString(problems[i]);
      text += '\n';
    }
    if (problems.size() > kMaxShownProblems) {
      text +=
          msg::Format("cli.more_problems", {std::to_string(problems.size() - kMaxShownProblems)});
      text += '\n';
    }
    std::fwrite(text.data(), 1, text.size(), stderr);
    const size_t n = problems.size();
    const std::string source = a.file == "-" ? msg::Format("cli.stdin") : a.file;
    return Report(n == 1 ? msg::Invalid("cli.import_problem", {}, {source})
                         : msg::Invalid("cli.import_problems", {}, {source, std::to_string(n)}));
  }
  const std::string detail = std::to_string(counts->organismes) + " organisme" +
                             (counts->organismes > 1 ? "s" : "") + ", " +
                             std::to_string(counts->financial_lines) + " ligne" +
                             (counts->financial_lines > 1 ? "s" : "") + " financière" +
                             (counts->financial_lines > 1 ? "s" : "");
  if (a.dry_run) {
    std::printf("vérification seule : %lld cas importables (%s) ; rien n'a été écrit\n",
                static_cast<long long>(counts->cases), detail.c_str());
  } else {
    std::printf("%lld cas importés (%s)\n", static_cast<long long>(counts->cases), detail.c_str());
  }
  return 0;
}

// ---- export

struct ExportArgs {
  std::vector<std::string> organismes;
  int year = 0;  // 0: every year
  std::string output;
};

int RunExport(const ExportArgs& a, Globals& g) {
  if (a.year != 0 && (a.year < 1 || a.year > 9999)) {
    return Report(msg::Invalid("cli.year", "--year", {std::to_string(a.year), "1", "9999"}));
  }
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  for (const std::string& code : a.organismes) {
    if (auto o = store->GetOrganisme(code); !o) {
      return Report(OrganismeError(o.error(), code, "--organisme"));
    }
  }

  // A file is written beside its destination, then renamed over it.
  std::FILE* out = stdout;
  std::string temp;
  if (!a.output.empty() && a.output != "-") {
    temp = a.output + ".tmp-" + std::to_string(::getpid());
    auto f = CreatePrivateFile(temp);  // 0600: every case of the scope
    if (!f) return Report(msg::Invalid("cli.cannot_write", "--output", {a.output}));
    out = *f;
  }
  static char buffer[1 << 16];
  std::setvbuf(out, buffer, _IOFBF, sizeof buffer);
  int64_t n = 0;
  std::string line;
  const Actor actor = CliCaller().actor;
  const std::optional<int> year = a.year != 0 ? std::optional<int>(a.year) : std::nullopt;
  Status s = store->ForEachCase(actor, a.organismes, year, [&](const Case& c) {
    line = SerializeCase(c);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), out);
    ++n;
  });
  const bool write_failed = std::fflush(out) != 0 || std::ferror(out);
  if (out != stdout) {
    const bool close_failed = std::fclose(out) != 0;
    if (!s || write_failed || close_failed) {
      std::remove(temp.c_str());
    } else if (std::rename(temp.c_str(), a.output.c_str()) != 0) {
      std::remove(temp.c_str());
      return Report(msg::Invalid("cli.cannot_write", "--output", {a.output}));
    }
    if (!s) return Report(s.error());
    if (write_failed || close_failed) {
      return Report(msg::Invalid("cli.write_interrupted", "--output", {a.output}));
    }
  } else {
    if (!s) return Report(s.error());
    if (write_failed) {
      return Report(msg::Make(Error::Code::kInternal, "cli.write_interrupted", {},
                              {msg::Format("cli.stdout")}));
    }
  }
  std::string scope = a.organismes.empty() ? "tous organismes" : "";
  for (const std::string& code : a.organismes) scope += (scope.empty() ? "" : ",") + code;
  if (year) scope += ", " + std::to_string(*year);
  if (Status audit =
          store->Audit(actor, "cases.export", std::to_string(n) + " cas (" + scope + ")");
      !audit) {
    return Report(audit.error());
  }
  std::fprintf(stderr, "%lld cas exportés\n", static_cast<long long>(n));
  return 0;
}

}  // namespace

// mail_settings_cmd.cc: mailbox, smtp, emitter, mail-settings.
void RegisterMailSettings(CLI::App& organisme, Globals& g);

void RegisterOrganisme(CLI::App& app, Globals& g) {
  CLI::App* cmd = app.add_subcommand("organisme", "Organismes (Caf) : création et liste");
  cmd->require_subcommand(1);
  auto a = std::make_shared<OrganismeArgs>();
  CLI::App* add =
      cmd->add_subcommand("add", "Crée un organisme, ou met à jour celui qui a déjà ce code");
  add->add_option("--code", a->code, "Code à 3 chiffres, par exemple 631")->required();
  add->add_option("--name", a->name, "Nom, par exemple « Caf du Puy-de-Dôme »")->required();
  add->add_option("--zone", a->zone, "Zone du calendrier : " + ZoneList())->required();
  add->add_option("--region", a->region,
                  "Code INSEE de la région (facultatif), par exemple 84 ; liste : "
                  "amiable organisme regions");
  add->add_flag("--whit-monday-worked", a->whit_monday_worked,
                "Le lundi de Pentecôte est travaillé (journée de solidarité)");
  add->callback([a, &g] { g.exit_code = RunOrganismeAdd(*a, g); });
  CLI::App* list = cmd->add_subcommand("list", "Liste les organismes");
  list->add_flag("--json", a->json, "Sortie JSON");
  list->callback([a, &g] { g.exit_code = RunOrganismeList(*a, g); });
  CLI::App* regions =
      cmd->add_subcommand("regions", "Liste les codes INSEE des régions (pour --region)");
  regions->add_flag("--json", a->json, "Sortie JSON");
  regions->callback([a, &g] { g.exit_code = RunOrganismeRegions(*a); });
  RegisterMailSettings(*cmd, g);
  RegisterOrganismeServices(cmd, g);
  RegisterOrganismeSet(cmd, g);
}

void RegisterImportExport(CLI::App& app, Globals& g) {
  auto i = std::make_shared<ImportArgs>();
  CLI::App* imp = app.add_subcommand(
      "import",
      "Importe des saisines au format d'échange JSON Lines, ou d'un tableur CSV (--format "
      "csv) : tout ou rien, chaque problème est listé (ligne N : champ : raison)");
  imp->add_option("FILE", i->file, "Fichier .jsonl (ou .csv), ou - pour l'entrée standard")->required();
  imp->add_flag("--dry-run", i->dry_run, "Vérifie le fichier sans rien écrire");
  imp->add_option("--format", i->format,
                  "jsonl (défaut : le format d'échange) ou csv (un tableur, avec --mapping)");
  imp->add_option("--mapping", i->mapping,
                  "CSV : fichier JSON de correspondance des colonnes et des libellés "
                  "(docs/import-csv.md)");
  imp->add_option("--organisme", i->organisme, "CSV : code de l'organisme des dossiers");
  imp->add_option("--encoding", i->encoding, "CSV : utf-8 ou windows-1252 (défaut : détecté)");
  imp->add_option("--delimiter", i->delimiter, "CSV : ';' ou ',' (défaut : détecté)");
  imp->add_flag("--json", i->json,
                "CSV avec --dry-run : les chiffres de chaque année en JSON (clés de domain.md §8)");
  imp->callback([i, &g] { g.exit_code = RunImport(*i, g); });

  auto e = std::make_shared<ExportArgs>();
  CLI::App* exp = app.add_subcommand(
      "export", "Exporte les saisines au format d'échange JSON Lines (une par ligne)");
  exp->add_option("--organisme", e->organismes, "Organisme à exporter (répétable ; défaut : tous)");
  exp->add_option("--year", e->year, "Année de réception");
  exp->add_option("-o,--output", e->output, "Fichier de sortie (défaut : sortie standard)");
  exp->callback([e, &g] { g.exit_code = RunExport(*e, g); });
}

}  // namespace amiable::cli
