// `amiable organisme mailbox|smtp|emitter|mail-settings`: the mail settings
// of a fund (store/mail_settings.h) through the service
// (service/mail_settings_service.h), as the system caller of the command
// line. Passwords are never given on the command line: a file
// (--password-file, first line) or the NAME of an environment variable
// (--password-env) read by `serve` when it connects.
#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "core/messages.h"
#include "core/nomenclature.h"
#include "mail/secrets.h"
#include "service/mail_settings_service.h"
#include "store/store.h"

namespace amiable::cli {

namespace {

struct MailArgs {
  std::string code;
  MailboxSettings mailbox;
  bool disable = false;
  SmtpFundSettings smtp;
  std::string signature_file;
  std::string match;
  std::string emitter;
  int64_t id = 0;
  bool json = false;
};

// An error of the service with its field named as the option that gives it.
int ReportOption(Error e) {
  if (e.field == "organisme") {
    e.field = "--code";
  } else if (e.field == "signature") {
    e.field = "--signature-file";
  } else if (!e.field.empty() && !e.field.starts_with("--")) {
    std::string f = "--" + e.field;
    for (char& c : f) c = c == '_' ? '-' : c;
    e.field = f;
  }
  return Report(e);
}

// Warns (does not refuse) when the password cannot be read here: `serve`
// may run with another environment or user.
void WarnSecret(const std::string& user, const std::string& file, const std::string& env) {
  if (user.empty()) return;
  auto s = mail::ReadSecret(file, env);
  if (!s) {
    std::fprintf(stderr, "amiable: attention : %s\n", s.error().message.c_str());
  }
}

int RunMailbox(MailArgs& a, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  a.mailbox.organisme = a.code;
  a.mailbox.enabled = !a.disable;
  if (Status s = service::SaveMailbox(*store, CliCaller(), a.mailbox); !s) {
    return ReportOption(s.error());
  }
  WarnSecret(a.mailbox.user, a.mailbox.password_file, a.mailbox.password_env);
  std::fprintf(stderr, "Boîte aux lettres de l'organisme %s enregistrée (%s, %s).\n",
               a.code.c_str(), a.mailbox.imap_url.c_str(),
               a.mailbox.enabled ? "relevée" : "désactivée");
  return 0;
}

int RunSmtp(MailArgs& a, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  a.smtp.organisme = a.code;
  if (!a.signature_file.empty()) {
    std::ifstream in(a.signature_file, std::ios::binary);
    if (!in) {
      return Report(msg::Invalid("mail_settings.signature_file", "--signature-file", {a.signature_file}));
    }
    std::ostringstream text;
    text << in.rdbuf();
    a.smtp.signature = text.str();
    while (!a.smtp.signature.empty() &&
           (a.smtp.signature.back() == '\n' || a.smtp.signature.back() == '\r')) {
      a.smtp.signature.pop_back();
    }
  } else if (auto old = store->Smtp(a.code); old && *old) {
    a.smtp.signature = (*old)->signature;  // kept when not given
  }
  if (Status s = service::SaveSmtp(*store, CliCaller(), a.smtp); !s) {
    return ReportOption(s.error());
  }
  WarnSecret(a.smtp.user, a.smtp.password_file, a.smtp.password_env);
  std::fprintf(stderr, "Relais SMTP de l'organisme %s enregistré (%s, expéditeur %s).\n",
               a.code.c_str(), a.smtp.smtp_url.c_str(), a.smtp.from.c_str());
  return 0;
}

int RunEmitterAdd(MailArgs& a, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  auto id = service::AddEmitterRule(*store, CliCaller(), {0, a.code, a.match, a.emitter});
  if (!id) return ReportOption(id.error());
  std::printf("%lld\n", static_cast<long long>(*id));
  std::string match = a.match;
  for (char& c : match) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::fprintf(stderr, "Règle %lld : %s -> %s (organisme %s).\n", static_cast<long long>(*id),
               match.c_str(), a.emitter.c_str(), a.code.c_str());
  return 0;
}

int RunEmitterRemove(MailArgs& a, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  if (Status s = service::RemoveEmitterRule(*store, CliCaller(), a.code, a.id); !s) {
    return ReportOption(s.error());
  }
  std::fprintf(stderr, "Règle %lld supprimée.\n", static_cast<long long>(a.id));
  return 0;
}

nlohmann::ordered_json RulesJson(const std::vector<EmitterRule>& rules) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const EmitterRule& r : rules) {
    out.push_back({{"id", r.id}, {"match", r.match}, {"emitter", r.emitter}});
  }
  return out;
}

void Print(const nlohmann::ordered_json& j) {
  const std::string text =
      j.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::ordered_json::error_handler_t::replace);
  std::printf("%s\n", text.c_str());
}

int RunEmitterList(MailArgs& a, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  auto settings = service::GetMailSettings(*store, CliCaller(), a.code);
  if (!settings) return Report(OrganismeError(settings.error(), a.code, "--code"));
  if (a.json) {
    Print(RulesJson(settings->emitter_rules));
    return 0;
  }
  for (const EmitterRule& r : settings->emitter_rules) {
    const std::string_view label = nomenclature::Emitter().Label(r.emitter);
    std::printf("%-5lld %-40s %s (%.*s)\n", static_cast<long long>(r.id), r.match.c_str(),
                r.emitter.c_str(), static_cast<int>(label.size()), label.data());
  }
  return 0;
}

std::string Credentials(const std::string& user, const std::string& file, const std::string& env) {
  if (user.empty()) return "sans authentification";
  return user + ", mot de passe " + (file.empty() ? "dans la variable " + env : "dans " + file);
}

int RunShow(MailArgs& a, Globals& g) {
  std::unique_ptr<Store> store = OpenStore(g);
  if (!store) return g.exit_code;
  auto s = service::GetMailSettings(*store, CliCaller(), a.code);
  if (!s) return Report(OrganismeError(s.error(), a.code, "--code"));
  if (a.json) {
    nlohmann::ordered_json j;
    j["organisme"] = s->organisme;
    j["mailbox"] = nullptr;
    if (s->mailbox) {
      const MailboxSettings& m = *s->mailbox;
      j["mailbox"] = {{"imap_url", m.imap_url},       {"user", m.user},
                      {"password_file", m.password_file}, {"password_env", m.password_env},
                      {"inbox", m.inbox},             {"archive", m.archive},
                      {"quarantine", m.quarantine},   {"enabled", m.enabled}};
    }
    j["smtp"] = nullptr;
    if (s->smtp) {
      const SmtpFundSettings& m = *s->smtp;
      j["smtp"] = {{"smtp_url", m.smtp_url},       {"user", m.user},
                   {"password_file", m.password_file}, {"password_env", m.password_env},
                   {"from", m.from},               {"reply_to", m.reply_to},
                   {"signature", m.signature}};
    }
    j["emitter_rules"] = RulesJson(s->emitter_rules);
    Print(j);
    return 0;
  }
  std::printf("Organisme %s\n", s->organisme.c_str());
  if (s->mailbox) {
    const MailboxSettings& m = *s->mailbox;
    std::printf("Boîte aux lettres : %s (%s)%s\n  dossiers : réception « %s », archive « %s », "
                "quarantaine « %s »\n",
                m.imap_url.c_str(), Credentials(m.user, m.password_file, m.password_env).c_str(),
                m.enabled ? "" : " — désactivée", m.inbox.c_str(), m.archive.c_str(),
                m.quarantine.c_str());
  } else {
    std::printf("Boîte aux lettres : aucune\n");
  }
  if (s->smtp) {
    const SmtpFundSettings& m = *s->smtp;
    std::printf("Relais SMTP : %s (%s)\n  expéditeur : %s%s%s\n", m.smtp_url.c_str(),
                Credentials(m.user, m.password_file, m.password_env).c_str(), m.from.c_str(),
                m.reply_to.empty() ? "" : ", réponses à ", m.reply_to.c_str());
    if (!m.signature.empty()) std::printf("  signature :\n%s\n", m.signature.c_str());
  } else {
    std::printf("Relais SMTP : celui du serveur (--smtp-url)\n");
  }
  std::printf("Émetteurs devinés : %zu règle%s\n", s->emitter_rules.size(),
              s->emitter_rules.size() > 1 ? "s" : "");
  for (const EmitterRule& r : s->emitter_rules) {
    std::printf("  %lld  %s -> %s\n", static_cast<long long>(r.id), r.match.c_str(),
                r.emitter.c_str());
  }
  return 0;
}

void AddCredentials(CLI::App* cmd, std::string& user, std::string& file, std::string& env,
                    bool user_required) {
  CLI::Option* u = cmd->add_option("--user", user, "Identifiant de connexion");
  if (user_required) u->required();
  CLI::Option* f = cmd->add_option(
      "--password-file", file, "Fichier dont la première ligne est le mot de passe (chmod 600)");
  CLI::Option* e = cmd->add_option(
      "--password-env", env, "Nom de la variable d'environnement qui contient le mot de passe");
  f->excludes(e);
}

}  // namespace

void RegisterMailSettings(CLI::App& organisme, Globals& g) {
  auto a = std::make_shared<MailArgs>();
  CLI::App* mb = organisme.add_subcommand(
      "mailbox", "Boîte aux lettres (IMAP) où arrive le courrier électronique de l'organisme");
  mb->add_option("--code", a->code, "Code de l'organisme")->required();
  mb->add_option("--imap-url", a->mailbox.imap_url,
                 "Serveur IMAP, par exemple imaps://imap.exemple.fr:993")
      ->required();
  AddCredentials(mb, a->mailbox.user, a->mailbox.password_file, a->mailbox.password_env, true);
  mb->add_option("--inbox", a->mailbox.inbox, "Dossier relevé (défaut : INBOX)");
  mb->add_option("--archive", a->mailbox.archive,
                 "Dossier où vont les messages traités (défaut : Archive)");
  mb->add_option("--quarantine", a->mailbox.quarantine,
                 "Dossier où vont les messages écartés (défaut : Quarantine)");
  mb->add_flag("--disable", a->disable, "Enregistre la boîte sans la relever");
  mb->callback([a, &g] { g.exit_code = RunMailbox(*a, g); });

  CLI::App* smtp = organisme.add_subcommand(
      "smtp", "Relais SMTP, expéditeur et signature du courrier envoyé par l'organisme");
  smtp->add_option("--code", a->code, "Code de l'organisme")->required();
  smtp->add_option("--smtp-url", a->smtp.smtp_url,
                   "Relais SMTP, par exemple smtp://smtp.exemple.fr:587 (STARTTLS) ou "
                   "smtps://smtp.exemple.fr:465")
      ->required();
  AddCredentials(smtp, a->smtp.user, a->smtp.password_file, a->smtp.password_env, false);
  smtp->add_option("--from", a->smtp.from,
                   "Expéditeur : « adresse » ou « Nom <adresse> »")
      ->required();
  smtp->add_option("--reply-to", a->smtp.reply_to, "Adresse de réponse (facultative)");
  smtp->add_option("--signature-file", a->signature_file,
                   "Fichier texte de la signature ajoutée à chaque message (sans cette option, "
                   "la signature enregistrée est conservée)");
  smtp->callback([a, &g] { g.exit_code = RunSmtp(*a, g); });

  CLI::App* em = organisme.add_subcommand(
      "emitter", "Émetteur deviné d'après l'adresse de l'expéditeur d'un message reçu");
  em->require_subcommand(1);
  CLI::App* add = em->add_subcommand("add", "Ajoute une règle : adresse ou @domaine -> émetteur");
  add->add_option("--code", a->code, "Code de l'organisme")->required();
  add->add_option("--match", a->match,
                  "Adresse exacte, ou domaine précédé de @ (couvre aussi ses sous-domaines), "
                  "par exemple @defenseurdesdroits.fr")
      ->required();
  add->add_option("--emitter", a->emitter, "Code de l'émetteur, par exemple defenseur_droits")
      ->required();
  add->callback([a, &g] { g.exit_code = RunEmitterAdd(*a, g); });
  CLI::App* list = em->add_subcommand("list", "Liste les règles de l'organisme");
  list->add_option("--code", a->code, "Code de l'organisme")->required();
  list->add_flag("--json", a->json, "Sortie JSON");
  list->callback([a, &g] { g.exit_code = RunEmitterList(*a, g); });
  CLI::App* rm = em->add_subcommand("remove", "Supprime une règle");
  rm->add_option("--code", a->code, "Code de l'organisme")->required();
  rm->add_option("--id", a->id, "Numéro de la règle (amiable organisme emitter list)")->required();
  rm->callback([a, &g] { g.exit_code = RunEmitterRemove(*a, g); });

  CLI::App* show = organisme.add_subcommand(
      "mail-settings", "Affiche les réglages de courrier de l'organisme (sans mot de passe)");
  show->add_option("--code", a->code, "Code de l'organisme")->required();
  show->add_flag("--json", a->json, "Sortie JSON");
  show->callback([a, &g] { g.exit_code = RunShow(*a, g); });
}

}  // namespace amiable::cli
