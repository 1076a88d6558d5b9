// `amiable register list|add|follow-up|themes` (issue 10, item 6): the
// register of findings and recommendations for scripts, a thin adapter
// over the store's register (store/report_data.h), acting as CliCaller().
// The store checks every value (French message naming the field).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "calendar/clock.h"
#include "cli/commands.h"
#include "core/french_format.h"
#include "core/messages.h"
#include "report/register.h"
#include "store/report_data.h"
#include "store/store.h"

namespace amiable::cli {

namespace {

struct RegisterArgs {
  std::string organisme;
  int year = 0;
  std::string theme;
  std::string kind = "preconisation";
  std::string text;
  std::string text_file;
  std::string addressed_to;
  std::string status;
  std::string on;
  std::string note;
  int64_t id = 0;
  bool json = false;
};

ReportDataStore* RegisterOf(Store& store) {
  ReportDataStore* rd = ReportDataOf(store);
  if (rd == nullptr) Report(Error::Internal("register: no report data store"));
  return rd;
}

Result<std::string> ReadText(const std::string& file) {
  std::string text;
  FILE* f = file == "-" ? stdin : std::fopen(file.c_str(), "rb");
  if (!f) return Fail(msg::Invalid("cli.cannot_open", "--text-file", {file}));
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  if (f != stdin) std::fclose(f);
  return text;
}

nlohmann::json ItemJson(const Recommendation& r) {
  nlohmann::json fu = nlohmann::json::array();
  for (const RecommendationFollowUp& f : r.follow_ups) {
    fu.push_back({{"id", f.id}, {"year", f.year}, {"on", f.on}, {"status", f.status},
                  {"note", f.note}, {"author", f.author}, {"at", f.at}});
  }
  return {{"id", r.id},
          {"organisme", r.organisme},
          {"year", r.year},
          {"kind", r.kind},
          {"theme", r.theme},
          {"text", r.text},
          {"addressed_to", r.addressed_to},
          {"status", r.status},
          {"position", r.position},
          {"created_by", r.created_by},
          {"follow_ups", fu}};
}

int RunList(const RegisterArgs& a, Globals& g) {
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  ReportDataStore* rd = RegisterOf(*store);
  if (!rd) return 1;
  RecommendationFilter f;
  if (!a.organisme.empty()) f.organismes = {a.organisme};
  if (a.year) f.year_from = f.year_to = a.year;
  f.theme = a.theme;
  auto items = rd->Recommendations(CliCaller().actor, f);
  if (!items) return Report(items.error());
  if (a.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Recommendation& r : *items) out.push_back(ItemJson(r));
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  for (const Recommendation& r : *items) {
    std::printf("n° %lld\t%s\t%d\t%s\t%s\t%s\t%s\n", static_cast<long long>(r.id),
                r.organisme.c_str(), r.year, r.theme.c_str(),
                std::string(report::KindLabel(r.kind)).c_str(),
                std::string(report::StatusLabel(r.status)).c_str(), r.text.c_str());
    for (const RecommendationFollowUp& f : r.follow_ups) {
      const auto on = Date::Parse(f.on);
      std::printf("\tsuivi %d, le %s : %s%s%s\n", f.year,
                  (on ? fr::ShortDate(*on) : f.on).c_str(),
                  std::string(report::StatusLabel(f.status)).c_str(), f.note.empty() ? "" : " — ",
                  f.note.c_str());
    }
  }
  return 0;
}

int RunAdd(const RegisterArgs& a, Globals& g) {
  std::string text = a.text;
  if (!a.text_file.empty()) {
    auto t = ReadText(a.text_file);
    if (!t) return Report(t.error());
    text = std::move(*t);
  }
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  ReportDataStore* rd = RegisterOf(*store);
  if (!rd) return 1;
  Recommendation r;
  r.organisme = a.organisme;
  r.year = a.year;
  r.theme = a.theme;
  r.kind = a.kind;
  r.text = text;
  r.addressed_to = a.addressed_to;
  r.status = a.status.empty() ? "proposee" : a.status;
  auto id = rd->AddRecommendation(CliCaller().actor, r);
  if (!id) return Report(id.error());
  std::printf("%lld\n", static_cast<long long>(*id));
  std::fprintf(stderr, "%s\n", msg::Format("register.added").c_str());
  return 0;
}

int RunFollowUp(const RegisterArgs& a, Globals& g) {
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  ReportDataStore* rd = RegisterOf(*store);
  if (!rd) return 1;
  RecommendationFollowUp f;
  f.year = a.year;
  f.status = a.status;
  f.note = a.note;
  f.on = a.on;
  if (f.on.empty()) {
    // Today in the zone of the item's fund.
    RecommendationFilter all;
    auto items = rd->Recommendations(CliCaller().actor, all);
    if (!items) return Report(items.error());
    std::vector<std::string> funds;
    for (const Recommendation& r : *items) {
      if (r.id == a.id) funds = {r.organisme};
    }
    f.on = TodayForFunds(SystemClock(), store.get(), funds).ToString();
  }
  auto id = rd->AddRecommendationFollowUp(CliCaller().actor, a.id, f);
  if (!id) return Report(id.error());
  std::fprintf(stderr, "%s\n",
               msg::Format("register.followed_up",
                           {std::to_string(a.year), report::StatusLabel(a.status)})
                   .c_str());
  return 0;
}

int RunThemes(Globals& g) {
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  ReportDataStore* rd = RegisterOf(*store);
  if (!rd) return 1;
  auto themes = rd->RecommendationThemes();
  if (!themes) return Report(themes.error());
  for (const RecommendationTheme& t : *themes) {
    std::printf("%s\t%s%s\n", t.code.c_str(), t.label.c_str(), t.active ? "" : "\t(retiré)");
  }
  return 0;
}

}  // namespace

void RegisterRegister(CLI::App& app, Globals& g) {
  CLI::App* cmd = app.add_subcommand(
      "register", "Registre des constats et préconisations : liste, ajout, suivi annuel");
  cmd->require_subcommand(1);
  auto a = std::make_shared<RegisterArgs>();

  CLI::App* list = cmd->add_subcommand("list", "Liste les constats et préconisations");
  list->add_option("--organisme", a->organisme, "Code de l'organisme (défaut : tous)");
  list->add_option("--year", a->year, "Année (défaut : toutes)");
  list->add_option("--theme", a->theme, "Code du thème (amiable register themes)");
  list->add_flag("--json", a->json, "Sortie JSON");
  list->callback([a, &g] { g.exit_code = RunList(*a, g); });

  CLI::App* add = cmd->add_subcommand("add", "Ajoute un constat ou une préconisation");
  add->add_option("--organisme", a->organisme, "Code de l'organisme")->required();
  add->add_option("--year", a->year, "Année")->required();
  add->add_option("--theme", a->theme, "Code du thème (amiable register themes)")->required();
  add->add_option("--kind", a->kind, "constat ou preconisation (défaut : preconisation)");
  add->add_option("--text", a->text, "Texte (mise en forme légère)");
  add->add_option("--text-file", a->text_file, "Texte lu d'un fichier (- : entrée standard)");
  add->add_option("--addressed-to", a->addressed_to, "Destinataire (texte libre)");
  add->add_option("--status", a->status,
                  "proposee, acceptee, mise_en_oeuvre ou abandonnee (défaut : proposee)");
  add->callback([a, &g] { g.exit_code = RunAdd(*a, g); });

  CLI::App* fu = cmd->add_subcommand(
      "follow-up", "Ajoute le suivi daté d'une année, qui fixe le statut de la recommandation");
  fu->add_option("--id", a->id, "Numéro de la recommandation (amiable register list)")
      ->required();
  fu->add_option("--year", a->year, "Année revue")->required();
  fu->add_option("--status", a->status, "proposee, acceptee, mise_en_oeuvre ou abandonnee")
      ->required();
  fu->add_option("--on", a->on, "Date du suivi (AAAA-MM-JJ ; défaut : aujourd'hui)");
  fu->add_option("--note", a->note, "Note de suivi (mise en forme légère)");
  fu->callback([a, &g] { g.exit_code = RunFollowUp(*a, g); });

  CLI::App* themes = cmd->add_subcommand("themes", "Liste les thèmes du registre");
  themes->callback([&g] { g.exit_code = RunThemes(g); });
}

}  // namespace amiable::cli
