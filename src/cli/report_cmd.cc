// amiable report --year Y [--organisme C]... [--format pdf|xlsx|csv|html] -o FILE
//                [--allow-incomplete] [--strict] [--as-of YYYY-MM-DD]
// amiable report check --year Y [--organisme C]... [--json]
// amiable report text get|put --year Y [--organisme C]... --section S [FILE]
// amiable aggregate export --year Y [--organisme C]... [--scope S] [-o FILE]
// amiable aggregate import FILE [--scope S]
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
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "calendar/calendar.h"
#include "cli/audit_cmd.h"
#include "cli/commands.h"
#include "core/messages.h"
#include "figures/figures.h"
#include "report/aggregate.h"
#include "report/consistency.h"
#include "report/report.h"
#include "report/report_store.h"
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
  double trend_points = 2.0;    // percentage points, for rates
  double trend_relative = 5.0;  // percent, for counts, amounts and delays
  // report check
  bool json = false;
  // report text
  std::string section;
  std::string file;
  // aggregate
  std::string scope;
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
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  const Date today = TodayForFunds(SystemClock(), store.get(), o.organismes);
  report::FileReportStore files(report::DefaultReportDir(DbUrl(g)));
  report::ReportRequest req;
  req.organismes = o.organismes;
  req.year = *year;
  req.as_of = as_of->value_or(today);
  req.generated_on = today;
  req.allow_incomplete = o.allow_incomplete;
  req.strict = o.strict;
  req.data_token = report::DataToken(DbUrl(g));
  if (o.trend_points < 0 || o.trend_relative < 0) {
    return Report(msg::Invalid("cli.trend_negative", "--trend-points"));
  }
  req.trend.rate_steady_points = o.trend_points / 100.0;
  req.trend.quantity_steady_relative = o.trend_relative / 100.0;
  report::ConsistencyReport quality;
  auto model = report::BuildReport(*store, files, files, req, &quality);
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
  report::FileReportStore files(report::DefaultReportDir(DbUrl(g)));
  const std::string key = report::FundSetKey(o.organismes);
  if (!put) {
    auto t = files.GetText(key, *year, *section);
    if (!t) return Report(t.error());
    std::fwrite(t->data(), 1, t->size(), stdout);
    return 0;
  }
  auto text = ReadAll(o.file);
  if (!text) return Report(text.error());
  auto st = files.PutText(key, *year, *section, *text);
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
  report::FileReportStore files(report::DefaultReportDir(DbUrl(g)));
  auto st = files.PutAggregate(*a);
  if (!st) return Report(st.error());
  std::printf("Chiffres %d importés : %s (%s)\n", a->figures.year,
              report::AggregateScopeLabel(a->scope), report::AggregateScopeCode(a->scope));
  return 0;
}

void AddSelection(CLI::App* cmd, ReportOptions* o) {
  cmd->add_option("--year", o->year, "Année du rapport (AAAA)");
  cmd->add_option("--organisme", o->organismes,
                  "Code d'une Caf (répétable ; défaut : toutes les Caf de la base)");
}

}  // namespace

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
    sub->add_option("--section", to->section, "editorial, highlights (JSON), findings ou plan")
        ->required();
    if (put) sub->add_option("FILE", to->file, "Fichier texte (défaut : entrée standard)");
    sub->callback([&g, to, put] { g.exit_code = RunText(g, *to, put); });
  }

  cmd->callback([&g, o, check, text] {
    if (check->parsed() || text->parsed()) return;
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
