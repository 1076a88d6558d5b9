// amiable aggregate set --year Y --scope national_pole|cnaf|all_funds|fund
//                       [--organisme C]... [--take-charge-working-days X]
//                       [--answer-working-days X] [--answer-calendar-days X]
//                       [--closed N] [--inadmissible N]
// amiable context set --year Y [--organisme C]... [--beneficiaries N]
//                     [--national-beneficiaries N] [--all-funds-requests N]
//                     [--complaints N] [--complaints-within-10-days P]
//                     [--complaints-mean-days D] [--source TEXT]
// amiable context show --year Y [--organisme C]...
// (amiable settings: cli/settings_cmd.cc)
//
// The figures the météo and the context of the annual report need beside the
// cases (issue 10, docs/report.md): typed comparison figures
// (report/typed_aggregate.h) and context figures (report/context_figures.h). Thin adapters: parsing
// and merging live in report/, rules and authorization in the store.
#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/french_format.h"
#include "core/messages.h"
#include "figures/figures.h"
#include "report/context_figures.h"
#include "report/report_store.h"
#include "report/typed_aggregate.h"
#include "store/report_data.h"
#include "store/store.h"

namespace amiable::cli {
namespace {

struct MeteoArgs {
  std::string year;
  std::vector<std::string> organismes;
  std::string scope;
  report::TypedFiguresText typed;
  report::ContextText context;
  std::string source;  // --source (CLI11 has no optional<string> here)
  bool source_given = false;
  std::string key, value;
};

std::string DbUrl(const Globals& g) { return g.db_url.empty() ? Store::DefaultUrl() : g.db_url; }

// The report data role of the opened store (the SQL store has it).
Result<ReportDataStore*> ReportData(Store& store) {
  ReportDataStore* d = ReportDataOf(store);
  if (d == nullptr) return Fail(Error::Internal("report data store: not supported"));
  return d;
}

Status CheckOrganismes(Store& store, const std::vector<std::string>& codes) {
  for (const std::string& c : codes) {
    auto o = store.GetOrganisme(c);
    if (!o) return Fail(OrganismeError(o.error(), c, "--organisme"));
  }
  return {};
}

std::string ScopeText(report::AggregateScope scope, const std::vector<std::string>& organismes) {
  if (scope == report::AggregateScope::kFund) return "Caf " + report::FundSetKey(organismes);
  return report::AggregateScopeLabel(scope);
}

void PrintTyped(const report::Aggregate& a) {
  const report::TypedFigures t = report::TypedFiguresOf(a);
  auto days = [](const char* member, const std::optional<double>& v) {
    if (v) std::printf("  %s : %s\n", report::TypedFigureLabel(member).c_str(), fr::Days(*v).c_str());
  };
  auto count = [](const char* member, const std::optional<int64_t>& v) {
    if (v) std::printf("  %s : %s\n", report::TypedFigureLabel(member).c_str(), fr::Count(*v).c_str());
  };
  days("take_charge_working_days", t.take_charge_working_days);
  days("answer_working_days", t.answer_working_days);
  days("answer_calendar_days", t.answer_calendar_days);
  count("closed", t.closed);
  count("inadmissible", t.inadmissible);
}

int RunAggregateSet(Globals& g, const MeteoArgs& o) {
  auto year = ParseYear(o.year);
  if (!year) return Report(year.error());
  auto scope = report::AggregateScopeFromCode(o.scope);
  if (!scope) return Report(msg::Invalid("report.typed_scope", "--scope", {o.scope}));
  auto typed = report::ParseTypedFigures(o.typed);
  if (!typed) return Report(typed.error());
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  const std::vector<std::string> funds =
      *scope == report::AggregateScope::kFund ? o.organismes : std::vector<std::string>{};
  if (auto s = CheckOrganismes(*store, funds); !s) return Report(s.error());
  const Date today = TodayForFunds(SystemClock(), store.get(), funds);
  auto a = report::TypedAggregate(*scope, *year, funds, *typed, today);
  if (!a) return Report(a.error());
  ReportDataStore* data = ReportDataOf(*store);
  if (!data) return Report(msg::Make(Error::Code::kInternal, "report.store_unavailable"));
  report::DbReportStore files(*data, CliCaller().actor);
  bool replaced = false;
  auto stored = report::PutTypedAggregate(files, *a, &replaced);
  if (!stored) return Report(stored.error());
  if (auto s = store->Audit(CliCaller().actor, "aggregate.set",
                            std::string(report::AggregateScopeCode(*scope)) + " " +
                                AuditScope(funds, *year));
      !s) {
    return Report(s.error());
  }
  const std::string what = ScopeText(*scope, funds);
  if (replaced) {
    std::fprintf(stderr, "amiable: %s\n",
                 msg::Format("report.typed_replaced_import", {what, std::to_string(*year)}).c_str());
  }
  std::printf("%s\n", msg::Format("report.typed_saved", {std::to_string(*year), what}).c_str());
  PrintTyped(*stored);
  return 0;
}

void PrintContext(const ContextFigures& c, std::optional<int64_t> received) {
  const report::ContextText t = report::ContextTextOf(c);
  auto line = [](const char* member, const std::string& v, const char* unit = "") {
    if (!v.empty()) {
      std::printf("  %s : %s%s\n", report::ContextFieldLabel(member).c_str(), v.c_str(), unit);
    }
  };
  line("beneficiaries", t.beneficiaries);
  line("national_beneficiaries", t.national_beneficiaries);
  if (c.beneficiaries && c.national_beneficiaries) {
    std::printf("    soit %s du fichier national\n",
                fr::Percent(*c.beneficiaries, *c.national_beneficiaries, 2).c_str());
  }
  line("all_funds_requests", t.all_funds_requests);
  if (c.all_funds_requests && received) {
    std::printf("    demandes reçues par la Caf : %s, soit %s\n", fr::Count(*received).c_str(),
                fr::Percent(*received, *c.all_funds_requests, 2).c_str());
  }
  line("complaints", t.complaints);
  line("complaints_within_10_days", t.complaints_within_10_days, " %");
  line("complaints_mean_days", t.complaints_mean_days);
  if (!c.source.empty()) std::printf("  Source : %s\n", c.source.c_str());
}

// The fund set's received count of the year (for the requests share).
std::optional<int64_t> Received(Store& store, const std::vector<std::string>& organismes,
                                int year) {
  const Date today = TodayForFunds(SystemClock(), &store, organismes);
  auto f = ComputeFigures(store, organismes, year, today);
  if (!f) return std::nullopt;
  return f->received;
}

int RunContextSet(Globals& g, MeteoArgs o) {
  auto year = ParseYear(o.year);
  if (!year) return Report(year.error());
  if (o.source_given) o.context.source = o.source;
  const report::ContextText& t = o.context;
  if (t.beneficiaries.empty() && t.national_beneficiaries.empty() &&
      t.all_funds_requests.empty() && t.complaints.empty() &&
      t.complaints_within_10_days.empty() && t.complaints_mean_days.empty() && !t.source) {
    return Report(msg::Invalid("report.context_nothing", "--beneficiaries"));
  }
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  if (auto s = CheckOrganismes(*store, o.organismes); !s) return Report(s.error());
  auto data = ReportData(*store);
  if (!data) return Report(data.error());
  const std::string key = report::FundSetKey(o.organismes);
  auto existing = (*data)->GetContextFigures(key, *year);
  if (!existing) return Report(existing.error());
  ContextFigures base;
  if (*existing) base = **existing;
  base.fund_set = key;
  base.year = *year;
  auto c = report::ApplyContextText(base, t, /*empty_clears=*/false);
  if (!c) return Report(c.error());
  if (auto s = (*data)->PutContextFigures(CliCaller().actor, *c); !s) return Report(s.error());
  std::printf("%s\n", msg::Format("report.context_saved", {std::to_string(*year)}).c_str());
  PrintContext(*c, Received(*store, o.organismes, *year));
  return 0;
}

int RunContextShow(Globals& g, const MeteoArgs& o) {
  auto year = ParseYear(o.year);
  if (!year) return Report(year.error());
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  if (auto s = CheckOrganismes(*store, o.organismes); !s) return Report(s.error());
  auto data = ReportData(*store);
  if (!data) return Report(data.error());
  const std::string key = report::FundSetKey(o.organismes);
  auto c = (*data)->GetContextFigures(key, *year);
  if (!c) return Report(c.error());
  if (!*c) {
    std::printf("%s\n", msg::Format("report.context_none", {key, std::to_string(*year)}).c_str());
    return 0;
  }
  std::printf("Chiffres de contexte %d (%s)\n", *year, key.c_str());
  PrintContext(**c, Received(*store, o.organismes, *year));
  return 0;
}

void AddYearAndFunds(CLI::App* cmd, MeteoArgs* o, const char* funds_help) {
  cmd->add_option("--year", o->year, "Année (AAAA)")->required();
  cmd->add_option("--organisme", o->organismes, funds_help);
}

}  // namespace

void AddAggregateSet(CLI::App* aggregate, Globals& g) {
  auto o = std::make_shared<MeteoArgs>();
  CLI::App* set = aggregate->add_subcommand(
      "set",
      "Saisir des chiffres publiés (pôle national, ensemble des Caf, ou une Caf avant amiable) "
      "pour la météo du rapport ; complète une saisie antérieure");
  AddYearAndFunds(set, o.get(), "Code d'une Caf (répétable ; portée fund seulement)");
  set->add_option("--scope", o->scope, "national_pole (ou cnaf), all_funds ou fund")->required();
  set->add_option("--take-charge-working-days", o->typed.take_charge_working_days,
                  "Délai moyen de prise en charge, en jours ouvrés (5,12 ou 5.12)");
  set->add_option("--answer-working-days", o->typed.answer_working_days,
                  "Délai moyen de réponse, en jours ouvrés");
  set->add_option("--answer-calendar-days", o->typed.answer_calendar_days,
                  "Délai moyen de réponse, en jours calendaires");
  set->add_option("--closed", o->typed.closed, "Dossiers clos");
  set->add_option("--inadmissible", o->typed.inadmissible, "Demandes hors médiation");
  set->callback([&g, o] { g.exit_code = RunAggregateSet(g, *o); });
}

void RegisterContext(CLI::App& app, Globals& g) {
  CLI::App* cmd = app.add_subcommand(
      "context", "Chiffres de contexte d'une année (allocataires, réclamations) pour le rapport");
  cmd->require_subcommand(1);
  auto so = std::make_shared<MeteoArgs>();
  CLI::App* set = cmd->add_subcommand(
      "set", "Enregistrer des chiffres de contexte (les options absentes restent inchangées)");
  AddYearAndFunds(set, so.get(), "Code d'une Caf (répétable ; défaut : toutes les Caf)");
  set->add_option("--beneficiaries", so->context.beneficiaries,
                  "Allocataires de la Caf au 30 juin");
  set->add_option("--national-beneficiaries", so->context.national_beneficiaries,
                  "Allocataires de l'ensemble des Caf au 30 juin");
  set->add_option("--all-funds-requests", so->context.all_funds_requests,
                  "Demandes de médiation de l'ensemble des Caf");
  set->add_option("--complaints", so->context.complaints,
                  "Réclamations de premier niveau reçues par la Caf");
  set->add_option("--complaints-within-10-days", so->context.complaints_within_10_days,
                  "Part des réclamations traitées en 10 jours (87,5 ou 87,5 %)");
  set->add_option("--complaints-mean-days", so->context.complaints_mean_days,
                  "Délai moyen de traitement des réclamations, en jours");
  CLI::Option* src = set->add_option("--source", so->source,
                                     "D'où viennent ces chiffres (imprimé sous le tableau)");
  set->callback([&g, so, src] {
    MeteoArgs a = *so;
    a.source_given = src->count() > 0;
    g.exit_code = RunContextSet(g, std::move(a));
  });
  auto sho = std::make_shared<MeteoArgs>();
  CLI::App* show = cmd->add_subcommand("show", "Afficher les chiffres de contexte d'une année");
  AddYearAndFunds(show, sho.get(), "Code d'une Caf (répétable ; défaut : toutes les Caf)");
  show->callback([&g, sho] { g.exit_code = RunContextShow(g, *sho); });
}

}  // namespace amiable::cli
