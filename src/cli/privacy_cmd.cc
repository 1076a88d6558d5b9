// `amiable privacy anonymise|purge|export|rectify|text` and `amiable
// organisme set --retention-years` (issue 9, part 6): thin adapters over
// service/privacy.h, acting as CliCaller().
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "calendar/clock.h"
#include "cli/commands.h"
#include "core/messages.h"
#include "service/privacy.h"
#include "store/store.h"
#include "web/web_service.h"

namespace amiable::cli {

namespace {

struct PrivacyArgs {
  std::string organisme;
  std::string before;
  bool dry_run = false;
  bool json = false;
  std::string allocataire;
  std::string format = "json";
  std::string output;
  std::string reference, field, value, reason;
  std::string kind, file;
  int retention_years = -1;
  bool no_retention = false;
};

service::PrivacyService Service(Store& store) {
  return service::PrivacyService(store, SystemClock(), &web::ServerFiles());
}

// Writes `bytes` to a new file of mode 0600 (an access request holds a
// person's data), replacing one that exists.
Status WritePrivateFile(const std::string& path, const std::string& bytes) {
  ::unlink(path.c_str());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(msg::Invalid("cli.cannot_write", "-o", {path}));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      return Fail(msg::Invalid("cli.cannot_write", "-o", {path}));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return Fail(msg::Invalid("cli.cannot_write", "-o", {path}));
  }
  return {};
}

int RunAnonymise(const PrivacyArgs& a, Globals& g) {
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  service::AnonymiseRequest r;
  r.organisme = a.organisme;
  r.dry_run = a.dry_run;
  if (!a.before.empty()) {
    auto d = Date::Parse(a.before);
    if (!d) return Report(msg::Invalid("cli.date", "--before", {a.before}));
    r.before = *d;
  }
  auto svc = Service(*store);
  auto out = svc.Anonymise(CliCaller(), r);
  if (!out) return Report(out.error());
  if (a.json) {
    nlohmann::ordered_json j = {{"organisme", out->organisme},
                                {"before", out->before.ToString()},
                                {"dry_run", out->dry_run},
                                {"people", out->removed.people},
                                {"notes", out->removed.notes},
                                {"documents", out->removed.documents},
                                {"letters", out->removed.letters},
                                {"messages", out->removed.messages},
                                {"events", out->removed.events},
                                {"files_deleted", out->files_deleted}};
    nlohmann::ordered_json refs = nlohmann::ordered_json::array();
    for (const RetentionCase& c : out->cases) refs.push_back(c.reference);
    j["cases"] = refs;
    std::printf("%s\n", j.dump(1).c_str());
    return 0;
  }
  for (const RetentionCase& c : out->cases) {
    std::printf("%s\t%s\n", c.reference.c_str(),
                c.closed_on ? c.closed_on->ToString().c_str() : "");
  }
  const std::string n = std::to_string(out->cases.size());
  std::fprintf(stderr, "%s\n",
               a.dry_run ? msg::Format("privacy.dry_run_summary",
                                       {n, out->organisme, out->before.ToString()})
                               .c_str()
                         : msg::Format("privacy.anonymised_summary",
                                       {n, out->organisme, out->before.ToString(),
                                        std::to_string(out->files_deleted)})
                               .c_str());
  return 0;
}

int RunPurge(const PrivacyArgs& a, Globals& g) {
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  if (!a.organisme.empty()) {
    if (auto o = store->GetOrganisme(a.organisme); !o) {
      return Report(OrganismeError(o.error(), a.organisme, "--organisme"));
    }
  }
  auto svc = Service(*store);
  auto out = svc.Purge(CliCaller(), a.organisme);
  if (!out) return Report(out.error());
  std::string frozen;
  for (const auto& [org, year] : out->frozen) {
    if (!frozen.empty()) frozen += ", ";
    frozen += org + " " + std::to_string(year);
  }
  if (frozen.empty()) frozen = "aucun";
  std::fprintf(stderr, "%s\n",
               msg::Format("privacy.purged_summary", {std::to_string(out->cases), frozen}).c_str());
  return 0;
}

int RunExport(const PrivacyArgs& a, Globals& g) {
  if (a.format != "json" && a.format != "pdf") {
    return Report(msg::Invalid("privacy.export_format", "--format", {a.format}));
  }
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  auto svc = Service(*store);
  auto bytes = a.format == "pdf" ? svc.ExportPdf(CliCaller(), a.organisme, a.allocataire)
                                 : svc.ExportJson(CliCaller(), a.organisme, a.allocataire);
  if (!bytes) return Report(bytes.error());
  if (auto s = WritePrivateFile(a.output, *bytes); !s) return Report(s.error());
  std::fprintf(stderr, "%s\n", msg::Format("privacy.exported", {a.output}).c_str());
  return 0;
}

int RunRectify(const PrivacyArgs& a, Globals& g) {
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  auto svc = Service(*store);
  if (auto s = svc.Rectify(CliCaller(), a.reference, a.field, a.value, a.reason); !s) {
    return Report(s.error());
  }
  std::fprintf(stderr, "%s\n", msg::Format("privacy.rectified", {a.reference}).c_str());
  return 0;
}

int RunText(const PrivacyArgs& a, Globals& g) {
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  auto svc = Service(*store);
  if (a.file.empty()) {
    auto t = svc.PublicTextOf(a.organisme, a.kind);
    if (!t) return Report(t.error());
    std::printf("%s\n", t->c_str());
    return 0;
  }
  std::string text;
  if (a.file != "-") {
    FILE* f = std::fopen(a.file.c_str(), "rb");
    if (!f) return Report(msg::Invalid("cli.cannot_open", "--file", {a.file}));
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
  } else {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) text.append(buf, n);
  }
  if (auto s = svc.SavePublicText(CliCaller(), a.organisme, a.kind, text); !s) {
    return Report(s.error());
  }
  std::fprintf(stderr, "%s\n", msg::Format("privacy.saved").c_str());
  return 0;
}

int RunOrganismeSet(const PrivacyArgs& a, Globals& g) {
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  if (auto o = store->GetOrganisme(a.organisme); !o) {
    return Report(OrganismeError(o.error(), a.organisme, "--code"));
  }
  std::optional<int> years;
  if (!a.no_retention) {
    if (a.retention_years < 0) {
      return Report(msg::Invalid("cli.range", "--retention-years", {"?", "1", "100"}));
    }
    years = a.retention_years;
  }
  auto svc = Service(*store);
  if (auto s = svc.SetRetention(CliCaller(), a.organisme, years); !s) return Report(s.error());
  std::fprintf(stderr, "%s\n",
               msg::Format("privacy.retention_set",
                           {a.organisme, years ? std::to_string(*years) + " an(s)" : "aucune"})
                   .c_str());
  return 0;
}

}  // namespace

void RegisterOrganismeSet(CLI::App* organisme, Globals& g) {
  auto a = std::make_shared<PrivacyArgs>();
  CLI::App* set = organisme->add_subcommand("set", "Règle un paramètre d'un organisme");
  set->add_option("--code", a->organisme, "Code de l'organisme")->required();
  set->add_option("--retention-years", a->retention_years,
                  "Durée de conservation des dossiers clos, en années (ensuite anonymisés)");
  set->add_flag("--no-retention", a->no_retention, "Supprime la durée de conservation");
  set->callback([a, &g] { g.exit_code = RunOrganismeSet(*a, g); });
}

void RegisterPrivacy(CLI::App& app, Globals& g) {
  CLI::App* cmd = app.add_subcommand(
      "privacy", "Données personnelles : conservation, anonymisation, droits des personnes");
  cmd->require_subcommand(1);
  auto a = std::make_shared<PrivacyArgs>();

  CLI::App* anon = cmd->add_subcommand(
      "anonymise", "Anonymise les dossiers clos depuis plus que la durée de conservation");
  anon->add_option("--organisme", a->organisme, "Code de l'organisme")->required();
  anon->add_option("--before", a->before,
                   "Dossiers clos avant cette date (AAAA-MM-JJ ; défaut : aujourd'hui moins la "
                   "durée de conservation)");
  anon->add_flag("--dry-run", a->dry_run, "Liste ce qui serait anonymisé, sans rien modifier");
  anon->add_flag("--json", a->json, "Sortie JSON");
  anon->callback([a, &g] { g.exit_code = RunAnonymise(*a, g); });

  CLI::App* purge = cmd->add_subcommand(
      "purge", "Supprime les dossiers anonymisés après avoir figé les chiffres de leurs années");
  purge->add_option("--organisme", a->organisme, "Code de l'organisme (défaut : tous)");
  purge->callback([a, &g] { g.exit_code = RunPurge(*a, g); });

  CLI::App* exp = cmd->add_subcommand(
      "export", "Données d'un allocataire (demande d'accès), fichier créé en mode 0600");
  exp->add_option("--allocataire", a->allocataire, "Numéro d'allocataire")->required();
  exp->add_option("--organisme", a->organisme, "Code de l'organisme")->required();
  exp->add_option("--format", a->format, "json ou pdf");
  exp->add_option("-o,--output", a->output, "Fichier de sortie")->required();
  exp->callback([a, &g] { g.exit_code = RunExport(*a, g); });

  CLI::App* rect =
      cmd->add_subcommand("rectify", "Rectifie une donnée d'un dossier (inscrit à l'historique)");
  rect->add_option("--case", a->reference, "Référence du dossier")->required();
  rect->add_option("--field", a->field,
                   "allocataire_number, description, beneficiary.name, beneficiary.email, "
                   "beneficiary.phone ou beneficiary.address")
      ->required();
  rect->add_option("--value", a->value, "Nouvelle valeur")->required();
  rect->add_option("--reason", a->reason, "Motif de la rectification")->required();
  rect->callback([a, &g] { g.exit_code = RunRectify(*a, g); });

  CLI::App* text = cmd->add_subcommand(
      "text", "Affiche ou remplace une page publique (donnees_personnelles, accessibilite)");
  text->add_option("--organisme", a->organisme, "Code de l'organisme")->required();
  text->add_option("--kind", a->kind, "donnees_personnelles ou accessibilite")->required();
  text->add_option("--file", a->file, "Nouveau texte (fichier, ou - : entrée standard)");
  text->callback([a, &g] { g.exit_code = RunText(*a, g); });
}

}  // namespace amiable::cli
