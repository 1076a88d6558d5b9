// amiable stats --year Y [--organisme C]... [--as-of YYYY-MM-DD] [--json]
//
// Prints the figures of a year (domain.md §5): with --json the JSON of §8
// exactly, otherwise a short French summary. Errors (bad year, bad date,
// unknown organisme, database) are one line on stderr and a non-zero exit.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/french_format.h"
#include "core/messages.h"
#include "core/nomenclature.h"
#include "figures/figures.h"
#include "figures/figures_cache.h"
#include "store/store.h"

namespace amiable::cli {

namespace {

struct StatsOptions {
  std::string year;
  std::vector<std::string> organismes;
  std::string as_of;
  bool json = false;
  bool verify = false;
};

Result<int> ParseYear(const std::string& s) {
  int y = 0;
  const char* end = s.data() + s.size();
  const auto [p, ec] = std::from_chars(s.data(), end, y);
  if (s.empty() || ec != std::errc() || p != end || y < kFirstCalendarYear ||
      y > kLastCalendarYear) {
    return Fail(
        msg::Invalid("cli.year", "--year",
                     {s, std::to_string(kFirstCalendarYear), std::to_string(kLastCalendarYear)}));
  }
  return y;
}

std::string Pct(CountRatio r) { return fr::Percent(r.num, r.den); }

}  // namespace

std::string StatsSummary(const YearFigures& f) {
  std::string funds;
  for (const std::string& o : f.organismes) funds += (funds.empty() ? "" : ", ") + o;
  std::string out;
  out += fmt::format("Chiffres {} — organismes : {} (calcul au {})\n", f.year,
                     funds.empty() ? "aucun" : funds, fr::ShortDate(f.as_of));
  out += fmt::format("Demandes reçues : {} ; hors médiation : {} ({} des reçues)\n",
                     fr::Count(f.received), fr::Count(f.inadmissible), Pct(f.InadmissibleRatio()));
  out += fmt::format("Dossiers recevables clôturés : {}\n", fr::Count(f.closed));
  out += fmt::format("Prise en charge : {} ouvrés en moyenne ; {} dans les 8 jours ouvrés\n",
                     fr::Days(f.delays.take_charge_working_days_avg),
                     Pct(f.delays.WithinTargetRatio()));
  out += fmt::format("Réponse : {} ouvrés, {} calendaires en moyenne\n",
                     fr::Days(f.delays.answer_working_days_avg),
                     fr::Days(f.delays.answer_calendar_days_avg));
  for (const QuarterFigures& q : f.quarterly_take_charge) {
    out += fmt::format("  T{} : {} dans le délai, {} hors délai, {} en attente — {} (cible {})\n",
                       q.quarter, fr::Count(q.met), fr::Count(q.missed), fr::Count(q.pending),
                       Pct(q.Ratio()), fr::Percent(3, 4, 0));
  }
  out += fmt::format("Décisions révisées : {} ; dossiers liés à une fraude : {}\n",
                     Pct(f.RevisionRatio()), Pct(f.FraudRatio()));
  const Nomenclature& kinds = nomenclature::FinancialKind();
  for (const FinancialFigures& k : f.financial) {
    out += fmt::format("  {} : {}, {}\n", kinds.Label(k.kind), fr::Count(k.count),
                       fr::Euros(k.amount_cents));
  }
  const TeleprocedureFigures& t = f.teleprocedure;
  out += fmt::format(
      "Téléprocédure : {} reçues ({} hors médiation), {} clôturées ({} des clôturées), "
      "{} révisées, prise en charge {} ouvrés\n",
      fr::Count(t.received), Pct(t.InadmissibleRatio()), fr::Count(t.closed),
      Pct(f.TeleprocedureShareOfClosedRatio()), Pct(t.RevisionRatio()),
      fr::Days(t.take_charge_working_days_avg));
  const InternalRequestFigures& ir = f.internal_requests;
  out += fmt::format("Demandes internes : {} envoyées, {} avec réponse, réponse en {} ouvrés\n",
                     fr::Count(ir.sent), fr::Count(ir.answered),
                     fr::Days(ir.answer_working_days_avg));
  return out;
}

namespace {

int RunStats(const StatsOptions& o, Globals& g) {
  const auto year = ParseYear(o.year);
  if (!year) return Report(year.error());
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  Date as_of = TodayForFunds(SystemClock(), store.get(), o.organismes);
  if (!o.as_of.empty()) {
    const auto d = Date::Parse(o.as_of);
    if (!d) {
      return Report(msg::Invalid("cli.date", "--as-of", {o.as_of}));
    }
    as_of = *d;
  }
  for (const std::string& code : o.organismes) {
    if (auto org = store->GetOrganisme(code); !org) {
      return Report(OrganismeError(org.error(), code, "--organisme"));
    }
  }
  if (o.verify) {
    // The cached figures against a full recomputation (figures_cache.h).
    FiguresCacheUse use;
    auto diff = VerifyFigures(*store, o.organismes, *year, as_of, &use);
    if (!diff) return Report(diff.error());
    if (*diff) {
      std::fprintf(stderr, "%s\n", msg::Format("cli.figures_verify_differs",
                                               {std::to_string(*year), **diff}).c_str());
      return 1;
    }
    std::printf("%s\n", msg::Format("cli.figures_verify_equal",
                                    {std::to_string(*year), std::to_string(use.hits + use.misses),
                                     std::to_string(use.hits)}).c_str());
    return 0;
  }
  const auto figures = ComputeFigures(*store, o.organismes, *year, as_of);
  if (!figures) return Report(figures.error());
  if (auto s = store->Audit(CliCaller().actor, "figures.read", AuditScope(o.organismes, *year));
      !s) {
    return Report(s.error());
  }
  if (o.json) {
    std::printf("%s\n", FiguresToJson(*figures).c_str());
  } else {
    std::fputs(StatsSummary(*figures).c_str(), stdout);
  }
  return 0;
}

}  // namespace

void RegisterStats(CLI::App& app, Globals& g) {
  auto opts = std::make_shared<StatsOptions>();
  CLI::App* cmd = app.add_subcommand("stats", "Chiffres d'une année (reçues, délais, motifs…)");
  cmd->add_option("--year", opts->year, "Année civile, ex. 2025")->required();
  cmd->add_option("--organisme", opts->organismes,
                  "Code d'organisme (répétable ; défaut : tous les organismes)");
  cmd->add_option(
      "--as-of", opts->as_of,
      "Jour du calcul AAAA-MM-JJ (défaut : aujourd'hui) : sépare en attente / hors délai");
  cmd->add_flag("--json", opts->json, "Sortie JSON (clés de domain.md §8)");
  cmd->add_flag("--verify", opts->verify,
                "Compare les chiffres servis par le cache à un recalcul complet (code 1 si écart)");
  cmd->callback([opts, &g] { g.exit_code = RunStats(*opts, g); });
}

}  // namespace amiable::cli
