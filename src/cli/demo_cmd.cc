// `amiable demo seed` and `amiable demo generate`: synthetic data
// (intake/synthetic.h) for demonstrations and benchmarks.
//
// seed: on the --db store, creates three funds when missing (631 metropole,
// 671 Alsace-Moselle, 974 La Réunion), imports about `--years` years of cases
// ending at `--until` (default today) for each fund that holds no case yet
// (one Store::ImportCases transaction), and creates two accounts when missing
// — "mediatrice" (mediator of 631) and "admin" (administrator, every fund) —
// with random passwords, plus an API token for "mediatrice". Passwords and
// the token are printed on stdout once: they cannot be shown again. Each fund
// without services gets three (prestations, contrôle, recouvrement, at
// example.org addresses) for the internal requests. Running it again adds
// nothing (and says so).
//
// generate: writes a national-size interchange file (domain.md §7) for the
// benchmarks, and the funds it needs as a tab-separated file
// (code, zone, INSEE region code, name), to be created with `amiable organisme add`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "calendar/calendar.h"
#include "cli/commands.h"
#include "core/messages.h"
#include "intake/interchange.h"
#include "intake/synthetic.h"
#include "store/store.h"
#include "web/auth.h"

namespace amiable::cli {
namespace {

// --until, or today in metropolitan France by the system clock (the demo
// funds span zones; a day's difference does not matter to synthetic data).
Result<Date> ParseUntil(const std::string& s) {
  if (s.empty()) return TodayIn(SystemClock(), Zone::kMetropole);
  const auto d = Date::Parse(s);
  if (!d || !InCalendarRange(*d)) {
    return Fail(msg::Invalid("cli.date", "--until", {s}));
  }
  return *d;
}

Result<WorkCalendar> CalendarOf(const Organisme& o) {
  const auto zone = ZoneFromCode(o.zone);
  if (!zone) {
    std::string zones;
    for (Zone z : AllZones()) zones += (zones.empty() ? "" : ", ") + std::string(ZoneCode(z));
    return Fail(msg::Invalid("cli.zone_unknown", "zone", {o.zone, zones}));
  }
  return WorkCalendar{*zone, o.whit_monday_worked};
}

// ---- seed

struct SeedOptions {
  int years = 3;
  std::string until;
  uint64_t seed = 2025;
};

struct DemoFund {
  const char* code;
  int cases_per_year;  // in the last full year
  double growth;
};

// 631 looks like the reference report (272 requests in 2025, 220 in 2024).
constexpr DemoFund kDemoFunds[] = {
    {"631", 272, 0.2},
    {"671", 380, 0.12},
    {"974", 520, 0.15},
};

// A random password of 16 URL-safe characters (96 bits).
std::string NewPassword() { return web::NewTokenSecret().substr(web::kTokenPrefix.size(), 16); }

struct DemoAccount {
  std::string name;
  std::string display_name;
  Role role;
  bool all_funds;
  std::vector<std::string> organismes;
};

// Creates the account when missing; returns its new password, or "" when it
// already existed.
Result<std::string> EnsureAccount(Store& store, const Actor& actor, const DemoAccount& a) {
  if (store.GetUser(a.name)) return std::string();
  User u;
  u.name = a.name;
  u.display_name = a.display_name;
  u.role = a.role;
  u.all_funds = a.all_funds;
  u.organismes = a.organismes;
  std::string password = NewPassword();
  auto hash = web::HashPassword(password);
  if (!hash) return Fail(hash.error());
  u.password_hash = std::move(*hash);
  if (auto id = store.CreateUser(u); !id) return Fail(id.error());
  if (auto s = store.Audit(actor, "user.create", a.name); !s) return Fail(s.error());
  return password;
}

int RunSeed(const SeedOptions& o, Globals& g) {
  if (o.years < 1 || o.years > 30) {
    return Report(msg::Invalid("cli.range", "--years", {std::to_string(o.years), "1", "30"}));
  }
  const auto until = ParseUntil(o.until);
  if (!until) return Report(until.error());
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  // Writes (funds, cases, accounts) are made and audited as the CLI's named actor.
  const service::Caller caller = CliCaller();
  const Actor& system = caller.actor;
  const std::vector<SyntheticFund> funds = FrenchFunds(3, o.seed);

  std::vector<Case> cases;
  for (size_t i = 0; i < funds.size(); ++i) {
    const Organisme& wanted = funds[i].organisme;
    auto existing = store->GetOrganisme(wanted.code);
    Organisme org = wanted;
    if (existing) {
      org = *existing;
    } else if (existing.error().code == Error::Code::kNotFound) {
      if (auto s = store->UpsertOrganisme(system, wanted); !s) return Report(s.error());
      // The emitter guessed for mail from the Défenseur des droits
      // (store/mail_settings.h); a demo fund has no mailbox.
      if (auto r = store->AddEmitterRule(system, {0, wanted.code, "@defenseurdesdroits.fr",
                                                   "defenseur_droits"});
          !r && r.error().code != Error::Code::kConflict) {
        return Report(r.error());
      }
      std::printf("Organisme %s créé : %s (%s)\n", org.code.c_str(), org.name.c_str(),
                  org.zone.c_str());
    } else {
      return Report(existing.error());
    }
    CaseFilter filter;
    filter.organismes = {org.code};
    filter.limit = 1;
    int64_t total = 0;
    if (auto l = store->ListCases(system, filter, &total); !l) return Report(l.error());
    if (total > 0) {
      std::printf("Organisme %s : %lld dossiers déjà présents, rien d'ajouté\n", org.code.c_str(),
                  static_cast<long long>(total));
      continue;
    }
    const auto cal = CalendarOf(org);
    if (!cal) return Report(cal.error());
    SyntheticSpec spec;
    spec.seed = o.seed;
    spec.organisme = org.code;
    spec.calendar = *cal;
    spec.from = Date::FromCivil(until->year() - o.years + 1, 1, 1);
    spec.until = *until;
    spec.cases_per_year = kDemoFunds[i].cases_per_year;
    spec.base_year = until->year() - 1;
    spec.yearly_growth = kDemoFunds[i].growth;
    const size_t before = cases.size();
    if (auto s = GenerateCases(spec, &cases); !s) return Report(s.error());
    std::printf("Organisme %s : %zu dossiers de démonstration (%d-%d)\n", org.code.c_str(),
                cases.size() - before, spec.from.year(), until->year());
  }
  if (!cases.empty()) {
    auto counts = store->ImportCases(system, cases);
    if (!counts) return Report(counts.error());
    std::printf("Importés : %lld dossiers, %lld lignes financières\n",
                static_cast<long long>(counts->cases),
                static_cast<long long>(counts->financial_lines));
  }
  // The services internal requests (G@ci) go to, when the fund has none.
  for (const SyntheticFund& f : funds) {
    auto services = store->FundServices(f.organisme.code);
    if (!services) return Report(services.error());
    if (!services->empty()) continue;
    struct DemoService {
      const char* code;
      const char* label;
    };
    for (const DemoService& d : {DemoService{"prestations", "Service prestations"},
                                 DemoService{"controle", "Service contrôle"},
                                 DemoService{"recouvrement", "Service recouvrement"}}) {
      const FundService svc{f.organisme.code, d.code, d.label,
                            std::string(d.code) + "." + f.organisme.code + "@example.org", true};
      if (auto st = store->SaveFundService(system, svc); !st) return Report(st.error());
    }
    std::printf("Organisme %s : 3 services pour les demandes internes\n",
                f.organisme.code.c_str());
  }

  // The report's data of the demonstration (demo_report.cc).
  if (auto s = SeedDemoReportData(*store, system, TodayForFunds(SystemClock(), store.get(), {"631"}));
      !s) {
    return Report(s.error());
  }

  const DemoAccount mediator{
      "mediatrice", "Médiatrice de démonstration", Role::kMediator, false, {"631"}};
  const DemoAccount admin{
      "admin", "Administrateur de démonstration", Role::kAdministrator, true, {}};
  std::printf("Comptes de démonstration :\n");
  for (const DemoAccount* a : {&mediator, &admin}) {
    auto password = EnsureAccount(*store, system, *a);
    if (!password) return Report(password.error());
    const char* what = a->role == Role::kMediator ? "médiatrice de 631" : "administrateur";
    if (password->empty()) {
      std::printf("  %-10s (%s) : compte existant, mot de passe inchangé\n", a->name.c_str(), what);
      continue;
    }
    std::printf("  %-10s (%s) : mot de passe %s\n", a->name.c_str(), what, password->c_str());
    if (a == &mediator) {
      const std::string secret = web::NewTokenSecret();
      if (auto s = store->CreateApiToken(a->name, web::HashToken(secret), "démonstration"); !s) {
        return Report(s.error());
      }
      if (auto s = store->Audit(system, "token.create", a->name); !s) return Report(s.error());
      std::printf("  Jeton d'API de %s : %s\n", a->name.c_str(), secret.c_str());
    }
  }
  return 0;
}

// ---- generate

struct GenerateOptions {
  int funds = 100;
  int years = 10;
  int cases_per_year = 400;
  double growth = 0.0;
  uint64_t seed = 1;
  std::string until;
  std::string output;
  std::string funds_file;
};

int RunGenerate(const GenerateOptions& o, Globals& g) {
  if (o.funds < 1 || o.funds > AllFrenchFundsCount()) {
    return Report(
        msg::Invalid("cli.range", "--funds",
                     {std::to_string(o.funds), "1", std::to_string(AllFrenchFundsCount())}));
  }
  if (o.years < 1 || o.years > 100) {
    return Report(msg::Invalid("cli.range", "--years", {std::to_string(o.years), "1", "100"}));
  }
  const auto until = ParseUntil(o.until);
  if (!until) return Report(until.error());
  const std::string funds_path = o.funds_file.empty() ? o.output + ".funds.tsv" : o.funds_file;
  const std::vector<SyntheticFund> funds = FrenchFunds(o.funds, o.seed);

  std::ofstream fout(funds_path, std::ios::binary | std::ios::trunc);
  for (const SyntheticFund& f : funds) {
    fout << f.organisme.code << '\t' << f.organisme.zone << '\t' << f.organisme.region << '\t'
         << f.organisme.name << '\n';
  }
  fout.close();
  if (!fout) return Report(msg::Invalid("cli.cannot_write", "--funds-file", {funds_path}));

  // Written beside the target and renamed once complete.
  const std::string tmp = o.output + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) return Report(msg::Invalid("cli.cannot_write", "--output", {o.output}));
  std::vector<char> buffer(1 << 20);
  out.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  int64_t total = 0;
  std::vector<Case> cases;
  std::string line;
  for (const SyntheticFund& f : funds) {
    const auto cal = CalendarOf(f.organisme);
    if (!cal) return Report(cal.error());
    SyntheticSpec spec;
    spec.seed = o.seed;
    spec.organisme = f.organisme.code;
    spec.calendar = *cal;
    spec.from = Date::FromCivil(until->year() - o.years + 1, 1, 1);
    spec.until = *until;
    spec.cases_per_year = static_cast<int>(o.cases_per_year * f.weight + 0.5);
    spec.yearly_growth = o.growth;
    cases.clear();
    if (auto s = GenerateCases(spec, &cases); !s) return Report(s.error());
    for (const Case& c : cases) {
      line = SerializeCase(c);
      line.push_back('\n');
      out.write(line.data(), static_cast<std::streamsize>(line.size()));
    }
    total += static_cast<int64_t>(cases.size());
  }
  out.close();
  std::error_code ec;
  if (!out || (std::filesystem::rename(tmp, o.output, ec), ec)) {
    std::filesystem::remove(tmp, ec);
    return Report(msg::Invalid("cli.cannot_write", "--output", {o.output}));
  }
  std::fprintf(stderr, "%lld dossiers de %d organismes écrits dans %s ; organismes dans %s\n",
               static_cast<long long>(total), o.funds, o.output.c_str(), funds_path.c_str());
  return 0;
}

}  // namespace

void RegisterDemo(CLI::App& app, Globals& g) {
  CLI::App* demo = app.add_subcommand("demo", "Données de démonstration et jeux d'essai");
  demo->require_subcommand(1);

  auto s = std::make_shared<SeedOptions>();
  CLI::App* seed = demo->add_subcommand(
      "seed",
      "Crée trois organismes (631, 671, 974), environ trois ans de dossiers fictifs, deux comptes "
      "et un jeton ; sans effet s'ils existent déjà");
  seed->add_option("--years", s->years, "Années de dossiers (la dernière jusqu'à --until)")
      ->capture_default_str();
  seed->add_option("--until", s->until,
                   "Dernier jour des données AAAA-MM-JJ (défaut : aujourd'hui)");
  seed->add_option("--seed", s->seed, "Graine du générateur")->capture_default_str();
  seed->callback([s, &g] { g.exit_code = RunSeed(*s, g); });

  auto o = std::make_shared<GenerateOptions>();
  CLI::App* gen = demo->add_subcommand(
      "generate",
      "Écrit un fichier d'échange de taille nationale (bancs d'essai) et ses organismes");
  gen->add_option("--funds", o->funds, "Nombre d'organismes")->capture_default_str();
  gen->add_option("--years", o->years, "Nombre d'années")->capture_default_str();
  gen->add_option("--cases-per-year", o->cases_per_year,
                  "Demandes par an et par organisme, en moyenne")
      ->capture_default_str();
  gen->add_option("--growth", o->growth, "Croissance annuelle (0.2 : +20 % par an)")
      ->capture_default_str();
  gen->add_option("--seed", o->seed, "Graine du générateur")->capture_default_str();
  gen->add_option("--until", o->until,
                  "Dernier jour des données AAAA-MM-JJ (défaut : aujourd'hui)");
  gen->add_option("-o,--output", o->output, "Fichier .jsonl à écrire")->required();
  gen->add_option("--funds-file", o->funds_file,
                  "Fichier des organismes (code, zone, région, nom séparés par des tabulations ; "
                  "défaut : SORTIE.funds.tsv)");
  gen->callback([o, &g] { g.exit_code = RunGenerate(*o, g); });
}

}  // namespace amiable::cli
