// amiable report --year Y [--organisme C]... [--format pdf|xlsx|csv|html] -o FILE
//                [--allow-incomplete] [--strict] [--as-of YYYY-MM-DD]
// amiable report check --year Y [--organisme C]... [--json]
// amiable report text get|put --year Y [--organisme C]... --section S [FILE]
// amiable aggregate export --year Y [--organisme C]... [--scope S] [-o FILE]
// amiable aggregate import FILE [--scope S]
// amiable report import-files [--dir DIR]
//
// The texts and aggregates live in the database (report::DbReportStore, as
// CliCaller()); the report directory of an earlier version is imported once
// by every command here (ImportLegacyReportFiles), or explicitly.
// (amiable aggregate set: cli/meteo_cmd.cc)
//
// The annual report (issue 4, docs/report.md). The report is refused (exit 4,
// the problems listed on stderr, one case per line) when the consistency
// check finds blocking problems, unless --allow-incomplete is given; then it
// is produced and says so on its first page.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "calendar/calendar.h"
#include "cli/audit_cmd.h"
#include "cli/commands.h"
#include "cli/national_cmd.h"
#include "core/messages.h"
#include "figures/figures.h"
#include "report/aggregate.h"
#include "report/consistency.h"
#include "report/report.h"
#include "report/report_store.h"
#include "store/report_data.h"
#include "store/store.h"

namespace amiable::cli {
namespace {

using report::DataProblem;

struct ReportOptions {
  std::string year;
  std::vector<std::string> organismes;
  std::string format;
  std::string output;
  std::string as_of;
  bool allow_incomplete = false;
  bool strict = false;
  bool national = false;  // the national report (cli/national_cmd.h)
  double trend_points = 2.0;    // percentage points, for rates
  double trend_relative = 5.0;  // percent, for counts, amounts and delays
  // report check
  bool json = false;
  // report text
  std::string section;
  std::string file;
  // aggregate
  std::string scope;
  // report import-files
  std::string dir;
};

}  // namespace

Result<int> ParseYear(const std::string& s) {
  int y = 0;
  const char* end = s.data() + s.size();
  const auto [p, ec] = std::from_chars(s.data(), end, y);
  if (s.empty() || ec != std::errc() || p != end || y <= kFirstCalendarYear ||
      y > kLastCalendarYear) {
    return Fail(msg::Invalid(
        "cli.year", "--year",
        {s, std::to_string(kFirstCalendarYear + 1), std::to_string(kLastCalendarYear)}));
  }
  return y;
}

namespace {

// The day of --as-of; nullopt when empty (the caller takes today).
Result<std::optional<Date>> ParseAsOf(const std::string& s) {
  if (s.empty()) return std::optional<Date>();
  auto d = Date::Parse(s);
  if (!d) return Fail(msg::Invalid("cli.date", "--as-of", {s}));
  return *d;
}

std::string DbUrl(const Globals& g) { return g.db_url.empty() ? Store::DefaultUrl() : g.db_url; }

// The report's data in the database as the command line's actor; nullopt
// (error printed, exit code set) when the store has none.
std::optional<report::DbReportStore> ReportData(Globals& g, Store& store) {
  ReportDataStore* data = ReportDataOf(store);
  if (data == nullptr) {
    g.exit_code = Report(msg::Make(Error::Code::kInternal, "report.store_unavailable"));
    return std::nullopt;
  }
  return std::optional<report::DbReportStore>(std::in_place, *data, CliCaller().actor);
}

// Imports `dir` (the legacy report directory) into `store`, saying so.
Status ImportFiles(Store& store, const std::string& dir) {
  auto r = report::ImportReportFiles(store, CliCaller().actor, dir);
  if (!r) return Fail(r.error());
  if (!r->found) return {};
  if (r->renamed_to.empty()) {
    std::fprintf(stderr, "amiable: %s\n",
                 msg::Format("cli.report_files_not_renamed", {dir, r->rename_error}).c_str());
  } else {
    std::fprintf(stderr, "amiable: %s\n",
                 msg::Format("cli.report_files_imported",
                             {dir, std::to_string(r->texts), std::to_string(r->aggregates),
                              std::to_string(r->kept), r->renamed_to})
                     .c_str());
  }
  return {};
}

void PrintProblems(const report::ConsistencyReport& q, bool only_blocking) {
  for (const DataProblem& p : q.problems) {
    const bool blocking = p.severity == DataProblem::Severity::kBlocking;
    if (only_blocking && !blocking) continue;
    std::fprintf(stderr, "  %s (Caf %s) : %s%s\n", p.reference.c_str(), p.organisme.c_str(),
                 blocking ? "" : "[avertissement] ", p.message.c_str());
  }
}

Result<std::string> ReadAll(const std::string& path) {
  std::ostringstream ss;
  if (path.empty() || path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(msg::Invalid("cli.cannot_read", "FILE", {path}));
  ss << in.rdbuf();
  return ss.str();
}

Status WriteAll(const std::string& path, const std::string& data) {
  if (path.empty() || path == "-") {
    std::fwrite(data.data(), 1, data.size(), stdout);
    return {};
  }
  auto f = CreatePrivateFile(path);  // 0600, like every file amiable writes
  if (!f) return Fail(f.error());
  const bool ok = std::fwrite(data.data(), 1, data.size(), *f) == data.size();
  if (std::fclose(*f) != 0 || !ok) {
    return Fail(msg::Make(Error::Code::kInternal, "cli.cannot_write", {}, {path}));
  }
  return {};
}

std::optional<report::ReportFormat> FormatFromPath(const std::string& path) {
  const size_t dot = path.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "htm") ext = "html";
  return report::ReportFormatFromCode(ext);
}

int RunReport(Globals& g, const ReportOptions& o) {
  auto year = ParseYear(o.year);
  if (!year) return Report(year.error());
  auto as_of = ParseAsOf(o.as_of);
  if (!as_of) return Report(as_of.error());
  if (o.output.empty()) return Report(msg::Invalid("cli.output_required", "-o"));
  std::optional<report::ReportFormat> format =
      o.format.empty() ? FormatFromPath(o.output) : report::ReportFormatFromCode(o.format);
  if (!format) {
    return Report(msg::Invalid("cli.report_format", "--format"));
  }
  if (o.national) {
    if (!o.organismes.empty()) return Report(msg::Invalid("cli.national_exclusive", "--organisme"));
    return RunNationalReport(g, *year, *format, o.output, *as_of);
  }
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  if (auto s = ImportLegacyReportFiles(g, store.get()); !s) return Report(s.error());
  auto files = ReportData(g, *store);
  if (!files) return g.exit_code;
  const Date today = TodayForFunds(SystemClock(), store.get(), o.organismes);
  report::ReportRequest req;
  req.organismes = o.organismes;
  req.year = *year;
  req.as_of = as_of->value_or(today);
  req.generated_on = today;
  req.allow_incomplete = o.allow_incomplete;
  req.strict = o.strict;
  req.data_token = files->DataToken();
  if (o.trend_points < 0 || o.trend_relative < 0) {
    return Report(msg::Invalid("cli.trend_negative", "--trend-points"));
  }
  req.trend.rate_steady_points = o.trend_points / 100.0;
  req.trend.quantity_steady_relative = o.trend_relative / 100.0;
  report::ConsistencyReport quality;
  auto model = report::BuildReport(*store, *files, *files, req, &quality);
  if (!model) {
    const int code = Report(model.error());
    if (model.error().code == Error::Code::kConflict) PrintProblems(quality, !o.strict);
    return code;
  }
  if (model->incomplete) {
    std::fprintf(stderr,
                 "amiable: attention : rapport produit avec des données incomplètes "
                 "(%lld problème(s) bloquant(s)) :\n",
                 static_cast<long long>(quality.Blocking()));
    PrintProblems(quality, true);
  } else if (quality.Warnings() > 0) {
    std::fprintf(stderr,
                 "amiable: %lld avertissement(s) de cohérence (comptés comme « non renseigné ») ; "
                 "`amiable report check` les liste\n",
                 static_cast<long long>(quality.Warnings()));
  }
  auto st = report::WriteReport(*model, *format, o.output);
  if (!st) return Report(st.error());
  if (auto s = store->Audit(CliCaller().actor, "report.generate",
                            AuditScope(o.organismes, *year) + " " + o.output);
      !s) {
    return Report(s.error());
  }
  return 0;
}

int RunCheck(Globals& g, const ReportOptions& o) {
  auto year = ParseYear(o.year);
  if (!year) return Report(year.error());
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  auto q = report::CheckConsistency(*store, o.organismes, *year);
  if (!q) return Report(q.error());
  // The check lists references: a read of cases, audited.
  if (auto s = store->Audit(CliCaller().actor, "report.check", AuditScope(o.organismes, *year));
      !s) {
    return Report(s.error());
  }
  if (o.json) {
    nlohmann::ordered_json j;
    j["year"] = *year;
    j["cases_checked"] = q->cases_checked;
    j["blocking"] = q->Blocking();
    j["warnings"] = q->Warnings();
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const DataProblem& p : q->problems) {
      list.push_back(
          {{"reference", p.reference},
           {"organisme", p.organisme},
           {"severity", p.severity == DataProblem::Severity::kBlocking ? "blocking" : "warning"},
           {"code", p.code},
           {"message", p.message}});
    }
    j["problems"] = std::move(list);
    std::printf("%s\n", j.dump(1).c_str());
  } else {
    std::printf(
        "Contrôle de cohérence %d : %lld dossier(s) vérifié(s), %lld problème(s) "
        "bloquant(s), %lld avertissement(s)\n",
        *year, static_cast<long long>(q->cases_checked), static_cast<long long>(q->Blocking()),
        static_cast<long long>(q->Warnings()));
    for (const DataProblem& p : q->problems) {
      const bool blocking = p.severity == DataProblem::Severity::kBlocking;
      std::printf("%s\t%s\t%s\t%s\n", p.reference.c_str(), p.organisme.c_str(),
                  blocking ? "bloquant" : "avertissement", p.message.c_str());
    }
  }
  return q->Acceptable(o.strict) ? 0 : 1;
}

int RunText(Globals& g, const ReportOptions& o, bool put) {
  auto year = ParseYear(o.year);
  if (!year) return Report(year.error());
  auto section = report::TextSectionFromCode(o.section);
  if (!section) {
    return Report(msg::Invalid("cli.report_section", "--section"));
  }
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  if (auto s = ImportLegacyReportFiles(g, store.get()); !s) return Report(s.error());
  auto files = ReportData(g, *store);
  if (!files) return g.exit_code;
  const std::string key = report::FundSetKey(o.organismes);
  if (!put) {
    auto t = files->GetText(key, *year, *section);
    if (!t) return Report(t.error());
    std::fwrite(t->data(), 1, t->size(), stdout);
    return 0;
  }
  auto text = ReadAll(o.file);
  if (!text) return Report(text.error());
  auto st = files->PutText(key, *year, *section, *text);
  if (!st) return Report(st.error());
  return 0;
}

int RunAggregateExport(Globals& g, const ReportOptions& o) {
  auto year = ParseYear(o.year);
  if (!year) return Report(year.error());
  auto as_of = ParseAsOf(o.as_of);
  if (!as_of) return Report(as_of.error());
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  report::Aggregate a;
  if (!o.scope.empty()) {
    auto s = report::AggregateScopeFromCode(o.scope);
    if (!s) {
      return Report(msg::Invalid("cli.aggregate_scope", "--scope"));
    }
    a.scope = *s;
  } else if (o.organismes.empty()) {
    auto orgs = (*store).ListOrganismes();
    if (!orgs) return Report(orgs.error());
    a.scope = orgs->size() > 1 ? report::AggregateScope::kAllFunds : report::AggregateScope::kFund;
  }
  const Date today = TodayForFunds(SystemClock(), store.get(), o.organismes);
  auto f = ComputeFigures(*store, o.organismes, *year, as_of->value_or(today));
  if (!f) return Report(f.error());
  if (auto s = store->Audit(CliCaller().actor, "aggregate.export", AuditScope(o.organismes, *year));
      !s) {
    return Report(s.error());
  }
  a.figures = std::move(*f);
  a.exported_on = today.ToString();
  auto st = WriteAll(o.output, report::AggregateToJson(a));
  if (!st) return Report(st.error());
  return 0;
}

int RunAggregateImport(Globals& g, const ReportOptions& o) {
  auto text = ReadAll(o.file);
  if (!text) return Report(text.error());
  auto a = report::AggregateFromJson(*text);
  if (!a) return Report(a.error());
  if (!o.scope.empty()) {
    auto s = report::AggregateScopeFromCode(o.scope);
    if (!s) {
      return Report(msg::Invalid("cli.aggregate_scope", "--scope"));
    }
    a->scope = *s;
  }
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  if (auto s = ImportLegacyReportFiles(g, store.get()); !s) return Report(s.error());
  auto files = ReportData(g, *store);
  if (!files) return g.exit_code;
  a->source = "imported";
  auto st = files->PutAggregate(*a);
  if (!st) return Report(st.error());
  std::printf("Chiffres %d importés : %s (%s)\n", a->figures.year,
              report::AggregateScopeLabel(a->scope), report::AggregateScopeCode(a->scope));
  return 0;
}

int RunImportFiles(Globals& g, const ReportOptions& o) {
  const std::string dir = o.dir.empty() ? report::DefaultReportDir(DbUrl(g)) : o.dir;
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    std::fprintf(stderr, "amiable: %s\n", msg::Format("cli.report_files_none", {dir}).c_str());
    return 0;
  }
  if (auto s = ImportFiles(*store, dir); !s) return Report(s.error());
  return 0;
}

void AddSelection(CLI::App* cmd, ReportOptions* o) {
  cmd->add_option("--year", o->year, "Année du rapport (AAAA)");
  cmd->add_option("--organisme", o->organismes,
                  "Code d'une Caf (répétable ; défaut : toutes les Caf de la base)");
}

}  // namespace

Status ImportLegacyReportFiles(Globals& g, Store* store) {
  const std::string dir = report::DefaultReportDir(DbUrl(g));
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return {};
  std::unique_ptr<Store> opened;
  if (store == nullptr) {
    auto s = Store::Open(DbUrl(g));
    if (!s) return Fail(s.error());
    opened = std::move(*s);
    store = opened.get();
  }
  return ImportFiles(*store, dir);
}

void RegisterReport(CLI::App& app, Globals& g) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Rapport annuel d'activité (PDF, XLSX, CSV ou HTML), contrôle de cohérence, "
      "textes du médiateur");
  AddSelection(cmd, o.get());
  cmd->add_option("--format", o->format, "pdf, xlsx, csv ou html (défaut : extension de -o)");
  cmd->add_option("-o,--output", o->output, "Fichier produit");
  cmd->add_flag("--allow-incomplete", o->allow_incomplete,
                "Produire malgré des problèmes bloquants (le rapport le signale en première page)");
  cmd->add_flag("--strict", o->strict, "Les avertissements de cohérence bloquent aussi");
  cmd->add_flag("--national", o->national,
                "Rapport national : toutes les Caf, le pôle national à part (docs/report.md)");
  cmd->add_option("--as-of", o->as_of, "Jour du calcul (AAAA-MM-JJ, défaut : aujourd'hui)");
  cmd->add_option("--trend-points", o->trend_points,
                  "Tendance ↔ pour un taux qui varie de moins de N points (défaut : 2)");
  cmd->add_option("--trend-relative", o->trend_relative,
                  "Tendance ↔ pour un nombre, un montant ou un délai qui varie de moins de N % "
                  "(défaut : 5)");
  cmd->require_subcommand(0, 1);

  CLI::App* check = cmd->add_subcommand(
      "check", "Contrôle de cohérence : dossiers qui rendraient les chiffres faux ou incomplets");
  auto co = std::make_shared<ReportOptions>();
  AddSelection(check, co.get());
  check->add_flag("--json", co->json, "Sortie JSON");
  check->add_flag("--strict", co->strict, "Les avertissements comptent comme problèmes");
  check->callback([&g, co] { g.exit_code = RunCheck(g, *co); });

  CLI::App* text = cmd->add_subcommand("text", "Textes rédigés par le médiateur, par année");
  text->require_subcommand(1);
  for (const bool put : {false, true}) {
    auto to = std::make_shared<ReportOptions>();
    CLI::App* sub = text->add_subcommand(
        put ? "put" : "get",
        put ? "Enregistrer un texte (FICHIER ou entrée standard ; vide : supprimer)"
            : "Afficher un texte");
    AddSelection(sub, to.get());
    sub->add_option("--section", to->section, "editorial_director, signature_director, editorial, signature_mediator, highlights (JSON), "
                    "intro_mediation, intro_who, intro_not, intro_conflict, commentaries (JSON), "
                    "fraud_focus, findings ou plan (docs/report.md)")
        ->required();
    if (put) sub->add_option("FILE", to->file, "Fichier texte (défaut : entrée standard)");
    sub->callback([&g, to, put] { g.exit_code = RunText(g, *to, put); });
  }

  auto io = std::make_shared<ReportOptions>();
  CLI::App* import_files = cmd->add_subcommand(
      "import-files",
      "Importer dans la base les textes et chiffres du rapport d'une version antérieure "
      "(dossier du rapport), une fois");
  import_files->add_option("--dir", io->dir,
                           "Dossier (défaut : celui de la base, ou $AMIABLE_REPORT_DIR)");
  import_files->callback([&g, io] { g.exit_code = RunImportFiles(g, *io); });

  cmd->callback([&g, o, check, text, import_files] {
    if (check->parsed() || text->parsed() || import_files->parsed()) return;
    g.exit_code = RunReport(g, *o);
  });
}

void RegisterAggregate(CLI::App& app, Globals& g) {
  CLI::App* cmd = app.add_subcommand(
      "aggregate", "Chiffres agrégés sans données personnelles : export et import");
  cmd->require_subcommand(1);
  auto eo = std::make_shared<ReportOptions>();
  CLI::App* exp = cmd->add_subcommand("export", "Écrire les chiffres d'une année (JSON)");
  AddSelection(exp, eo.get());
  exp->get_option("--year")->required();
  exp->add_option("--scope", eo->scope,
                  "fund, all_funds ou national_pole (défaut : all_funds si toutes les Caf d'une "
                  "base qui en compte plusieurs, sinon fund)");
  exp->add_option("--as-of", eo->as_of, "Jour du calcul (AAAA-MM-JJ, défaut : aujourd'hui)");
  exp->add_option("-o,--output", eo->output, "Fichier (défaut : sortie standard)");
  exp->callback([&g, eo] { g.exit_code = RunAggregateExport(g, *eo); });

  auto io = std::make_shared<ReportOptions>();
  CLI::App* imp = cmd->add_subcommand(
      "import",
      "Charger les chiffres d'un autre (pôle national, ensemble des Caf) pour la "
      "comparaison du rapport");
  imp->add_option("FILE", io->file, "Fichier JSON produit par `amiable aggregate export`")
      ->required();
  imp->add_option("--scope", io->scope,
                  "Remplace la portée du fichier : fund, all_funds, "
                  "national_pole");
  imp->callback([&g, io] { g.exit_code = RunAggregateImport(g, *io); });

  AddAggregateSet(cmd, g);  // cli/meteo_cmd.cc
}

}  // namespace amiable::cli
