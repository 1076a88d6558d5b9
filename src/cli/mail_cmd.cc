// `amiable mail send [--once] [--json]`: sends the outbox (mail/sender.h);
// `amiable mail outbox [--json]`: lists its rows. The SMTP server and the
// From address are settings (AddMailOptions) for now; per-fund settings
// (`organisme smtp`) come later (docs/operations.md).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "cli/commands.h"
#include "core/messages.h"
#include "mail/mailer.h"
#include "mail/sender.h"
#include "store/store.h"

namespace amiable::cli {
namespace {

std::atomic<bool> g_stop{false};

mail::SenderOptions SenderOptionsOf(const MailSettings& s) {
  mail::SenderOptions o;
  o.from = s.from;
  o.max_attempts = s.max_attempts;
  o.first_retry = std::chrono::seconds(s.retry_seconds);
  return o;
}

nlohmann::ordered_json OutcomeJson(const mail::SendOutcome& o) {
  nlohmann::ordered_json j;
  j["id"] = o.id;
  j["message_id"] = o.message_id;
  j["reference"] = o.case_reference;
  j["outcome"] = o.outcome;
  j["attempts"] = o.attempts;
  j["error"] = o.error;
  j["next_attempt_at"] = o.next_attempt_at;
  return j;
}

}  // namespace

void AddMailOptions(CLI::App* cmd, MailSettings& s) {
  cmd->add_option("--smtp-url", s.smtp_url,
                  "Serveur SMTP d'envoi : smtp://hôte:port (STARTTLS exigé hors boucle locale) "
                  "ou smtps://hôte:port")
      ->envname("AMIABLE_SMTP_URL");
  cmd->add_option("--smtp-user", s.smtp_user,
                  "Utilisateur SMTP (mot de passe : variable AMIABLE_SMTP_PASSWORD)")
      ->envname("AMIABLE_SMTP_USER");
  cmd->add_option("--mail-from", s.from, "Adresse d'expédition : adresse ou « Nom <adresse> »")
      ->envname("AMIABLE_MAIL_FROM");
  cmd->add_option("--mail-max-attempts", s.max_attempts,
                  "Tentatives avant d'abandonner un message")
      ->envname("AMIABLE_MAIL_MAX_ATTEMPTS")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--mail-retry-seconds", s.retry_seconds,
                  "Délai avant la 2e tentative (doublé ensuite, au plus 6 h)")
      ->envname("AMIABLE_MAIL_RETRY_SECONDS")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  cmd->add_option("--mail-interval-seconds", s.interval_seconds,
                  "Intervalle entre deux passages de l'envoi")
      ->envname("AMIABLE_MAIL_INTERVAL_SECONDS")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
}

std::optional<Error> MailSettingsError(const MailSettings& s) {
  if (s.smtp_url.empty()) return msg::Invalid("cli.smtp_url_required", "--smtp-url");
  if (!s.smtp_url.starts_with("smtp://") && !s.smtp_url.starts_with("smtps://")) {
    return msg::Invalid("cli.smtp_url", "--smtp-url", {s.smtp_url});
  }
  if (s.from.empty()) return msg::Invalid("cli.mail_from_required", "--mail-from");
  return std::nullopt;
}

void RegisterMail(CLI::App& app, Globals& g) {
  CLI::App* mail_cmd = app.add_subcommand(
      "mail", "Courrier électronique : envoi de la boîte d'envoi, relève de la boîte aux lettres");
  mail_cmd->require_subcommand(1);
  RegisterMailIntake(mail_cmd, g);

  struct SendArgs {
    MailSettings mail;
    bool once = false;
    bool json = false;
  };
  auto a = std::make_shared<SendArgs>();
  CLI::App* send = mail_cmd->add_subcommand(
      "send", "Envoie les messages en attente dont l'heure est venue (sans --once : en continu)");
  AddMailOptions(send, a->mail);
  send->add_flag("--once", a->once, "Un seul passage, puis quitter");
  send->add_flag("--json", a->json, "Une ligne JSON par message traité");
  send->callback([a, &g] {
    // Without --smtp-url, only the rows of funds with their own relay
    // (`organisme smtp`) can go; the others wait ("mail.no_relay").
    if (!a->mail.smtp_url.empty()) {
      if (auto e = MailSettingsError(a->mail)) {
        g.exit_code = Report(*e);
        return;
      }
    }
    auto store = OpenStore(g);
    if (!store) return;
    const char* pw = std::getenv("AMIABLE_SMTP_PASSWORD");
    auto mailer = a->mail.smtp_url.empty()
                      ? mail::NewNoRelayMailer()
                      : mail::NewCurlMailer({a->mail.smtp_url, a->mail.smtp_user, pw ? pw : "", 30});
    mail::FundMailers funds(*store);
    const mail::SenderOptions o = SenderOptionsOf(a->mail);
    if (!a->once) {
      std::signal(SIGTERM, [](int) { g_stop = true; });
      std::signal(SIGINT, [](int) { g_stop = true; });
    }
    do {
      auto r = mail::SendDue(*store, *mailer, SystemClock(), o, &funds);
      if (!r) {
        g.exit_code = Report(r.error());
        return;
      }
      for (const mail::SendOutcome& so : *r) {
        if (a->json) {
          std::printf("%s\n", OutcomeJson(so).dump().c_str());
        } else {
          std::printf("%s\n", mail::OutcomeLogLine(so).c_str());
        }
      }
      std::fflush(stdout);
      for (int i = 0; !a->once && !g_stop && i < a->mail.interval_seconds * 10; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    } while (!a->once && !g_stop);
  });

  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = mail_cmd->add_subcommand("outbox", "Liste la boîte d'envoi (tous états)");
  list->add_flag("--json", *list_json, "Une ligne JSON par message");
  list->callback([list_json, &g] {
    auto store = OpenStore(g);
    if (!store) return;
    auto rows = store->OutboxMessages(0);
    if (!rows) {
      g.exit_code = Report(rows.error());
      return;
    }
    for (const OutboxMessage& m : *rows) {
      if (*list_json) {
        nlohmann::ordered_json j;
        j["id"] = m.id;
        j["kind"] = m.kind;
        j["reference"] = m.case_reference;
        j["recipient"] = m.recipient;
        j["subject"] = m.subject;
        j["state"] = m.state;
        j["attempts"] = m.attempts;
        j["next_attempt_at"] = m.next_attempt_at;
        j["last_error"] = m.last_error;
        j["message_id"] = m.message_id;
        j["created_at"] = m.created_at;
        j["sent_at"] = m.sent_at;
        std::printf("%s\n", j.dump().c_str());
      } else {
        std::printf("%lld\t%s\t%s\t%s\t%d\t%s\n", static_cast<long long>(m.id),
                    m.case_reference.c_str(), m.recipient.c_str(), m.state.c_str(), m.attempts,
                    m.last_error.c_str());
      }
    }
  });
}

}  // namespace amiable::cli
