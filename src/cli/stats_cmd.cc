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
#include "core/nomenclature.h"
#include "figures/figures.h"
#include "store/store.h"

namespace amiable::cli {

namespace {

struct StatsOptions {
  std::string year;
  std::vector<std::string> organismes;
  std::string as_of;
  bool json = false;
};

Result<int> ParseYear(const std::string& s) {
  int y = 0;
  const char* end = s.data() + s.size();
  const auto [p, ec] = std::from_chars(s.data(), end, y);
  if (s.empty() || ec != std::errc() || p != end || y < kFirstCalendarYear ||
      y > kLastCalendarYear) {
    return Fail(Error::Invalid(fmt::format("année invalide : « {} » (attendu : {} à {})", s,
                                           kFirstCalendarYear, kLastCalendarYear),
                               "--year"));
  }
  return y;
}

// "35,7 %" or "—" for a null rate.
std::string Percent(const std::optional<double>& r) {
  if (!r) return "—";
  std::string s = fmt::format("{:.1f} %", *r * 100.0);
  for (char& ch : s) {
    if (ch == '.') ch = ',';
  }
  return s;
}

std::string Days(const std::optional<double>& d) {
  if (!d) return "—";
  std::string s = fmt::format("{:.2f}", *d);
  for (char& ch : s) {
    if (ch == '.') ch = ',';
  }
  return s;
}

// "128 120,06 €" from cents.
std::string Euros(int64_t cents) {
  const bool neg = cents < 0;
  const uint64_t abs = neg ? static_cast<uint64_t>(-(cents + 1)) + 1 : static_cast<uint64_t>(cents);
  std::string units = std::to_string(abs / 100);
  std::string grouped;
  for (size_t i = 0; i < units.size(); ++i) {
    if (i > 0 && (units.size() - i) % 3 == 0) grouped += "\u202f";
    grouped += units[i];
  }
  return fmt::format("{}{},{:02d} €", neg ? "-" : "", grouped, static_cast<int>(abs % 100));
}

void PrintSummary(const YearFigures& f) {
  std::string funds;
  for (const std::string& o : f.organismes) funds += (funds.empty() ? "" : ", ") + o;
  std::printf("Chiffres %d — organismes : %s (calcul au %s)\n", f.year,
              funds.empty() ? "aucun" : funds.c_str(), f.as_of.ToFrench().c_str());
  std::printf("Demandes reçues : %lld ; hors médiation : %lld (%s des reçues)\n",
              static_cast<long long>(f.received), static_cast<long long>(f.inadmissible),
              Percent(f.inadmissible_rate).c_str());
  std::printf("Dossiers recevables clôturés : %lld\n", static_cast<long long>(f.closed));
  std::printf("Prise en charge : %s jours ouvrés en moyenne ; %s dans les 8 jours ouvrés\n",
              Days(f.delays.take_charge_working_days_avg).c_str(),
              Percent(f.delays.take_charge_within_target_rate).c_str());
  std::printf("Réponse : %s jours ouvrés, %s jours calendaires en moyenne\n",
              Days(f.delays.answer_working_days_avg).c_str(),
              Days(f.delays.answer_calendar_days_avg).c_str());
  for (const QuarterFigures& q : f.quarterly_take_charge) {
    std::printf("  T%d : %lld dans le délai, %lld hors délai, %lld en attente — %s (cible 75 %%)\n",
                q.quarter, static_cast<long long>(q.met), static_cast<long long>(q.missed),
                static_cast<long long>(q.pending), Percent(q.rate).c_str());
  }
  std::printf("Décisions révisées : %s ; dossiers liés à une fraude : %s\n",
              Percent(f.revision_rate).c_str(), Percent(f.fraud_rate).c_str());
  const Nomenclature& kinds = nomenclature::FinancialKind();
  for (const FinancialFigures& k : f.financial) {
    std::printf("  %s : %lld, %s\n", std::string(kinds.Label(k.kind)).c_str(),
                static_cast<long long>(k.count), Euros(k.amount_cents).c_str());
  }
  const TeleprocedureFigures& t = f.teleprocedure;
  std::printf(
      "Téléprocédure : %lld reçues (%s hors médiation), %lld clôturées (%s des clôturées), "
      "%s révisées, prise en charge %s jours ouvrés\n",
      static_cast<long long>(t.received), Percent(t.inadmissible_rate).c_str(),
      static_cast<long long>(t.closed), Percent(t.share_of_closed).c_str(),
      Percent(t.revision_rate).c_str(), Days(t.take_charge_working_days_avg).c_str());
}

int RunStats(const StatsOptions& o, Globals& g) {
  const auto year = ParseYear(o.year);
  if (!year) return Report(year.error());
  Date as_of = Date::Today();
  if (!o.as_of.empty()) {
    const auto d = Date::Parse(o.as_of);
    if (!d) {
      return Report(
          Error::Invalid("date invalide : « " + o.as_of + " » (attendu : AAAA-MM-JJ)", "--as-of"));
    }
    as_of = *d;
  }
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  const auto figures = ComputeFigures(*store, o.organismes, *year, as_of);
  if (!figures) return Report(figures.error());
  if (o.json) {
    std::printf("%s\n", FiguresToJson(*figures).c_str());
  } else {
    PrintSummary(*figures);
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
  cmd->callback([opts, &g] { g.exit_code = RunStats(*opts, g); });
}

}  // namespace amiable::cli
