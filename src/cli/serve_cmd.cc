// `amiable serve`: the HTTP server (web/server.h). Options may also come from
// the environment (AMIABLE_BIND, AMIABLE_PORT, AMIABLE_THREADS,
// AMIABLE_WEB_ROOT), so that a systemd EnvironmentFile can set them.
#include <systemd/sd-daemon.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "calendar/calendar.h"
#include "calendar/clock.h"
#include "cli/audit_cmd.h"
#include "cli/commands.h"
#include "core/messages.h"
#include "mail/sender.h"
#include "service/mailbox_poller.h"
#include "service/privacy.h"
#include "store/store.h"
#include "web/server.h"
#include "web/web_service.h"

namespace amiable::cli {
namespace {

// The sender the store wakes after each commit that queued mail.
std::atomic<mail::SenderWorker*> g_sender{nullptr};
void NudgeSender() {
  if (mail::SenderWorker* s = g_sender.load(std::memory_order_acquire)) s->Nudge();
}

struct ServeOptions {
  web::ServerOptions server;
  std::string today;
  size_t max_body_mib = 64;
  size_t body_memory_mib = 64;
  size_t max_api_body_kib = 1024;
  bool no_access_log = false;
  MailSettings mail;
  int poll_seconds = 60;
  int lease_seconds = 0;  // 0: the defaults (sender 300 s, mailbox 120 s)
  int audit_retention_months = 0;  // 0: the trail is never pruned by serve
  int retention_minutes = 10;  // the daily retention run checks this often (0: off)
};

// Whether some fund has SMTP settings of its own.
bool AnyFundRelay(const std::string& url) {
  auto store = Store::Open(url);
  if (!store) return false;
  auto orgs = (*store)->ListOrganismes();
  if (!orgs) return false;
  for (const Organisme& org : *orgs) {
    auto smtp = (*store)->Smtp(org.code);
    if (smtp && *smtp) return true;
  }
  return false;
}

int RunServe(ServeOptions& o, Globals& g) {
  if (o.server.port < 0 || o.server.port > 65535) {
    return Report(
        msg::Invalid("cli.range", "--port", {std::to_string(o.server.port), "0", "65535"}));
  }
  if (o.server.threads < 1 || o.server.threads > 4096) {
    return Report(
        msg::Invalid("cli.range", "--threads", {std::to_string(o.server.threads), "1", "4096"}));
  }
  // --today: the system clock shifted to that day in metropolitan France
  // (time of day still passes); it lives as long as the server.
  std::optional<ShiftedClock> shifted;
  if (!o.today.empty()) {
    auto d = Date::Parse(o.today);
    if (!d || !InCalendarRange(*d)) {
      return Report(msg::Invalid("cli.date", "--today", {o.today}));
    }
    shifted.emplace(SystemClock(), *d, Zone::kMetropole);
    o.server.clock = &*shifted;
  }
  o.server.db_url = g.db_url;
  o.server.max_body_bytes = o.max_body_mib << 20;
  o.server.body_memory_budget_bytes = o.body_memory_mib << 20;
  o.server.max_api_body_bytes = o.max_api_body_kib << 10;
  o.server.access_log = !o.no_access_log;
  // The outbox sender: a thread beside the server, started once the server
  // listens (the migrations are applied), stopped after it; off without an
  // SMTP server.
  if (!o.mail.smtp_url.empty()) {
    if (auto e = MailSettingsError(o.mail)) return Report(*e);
  }
  if (o.audit_retention_months < 0) {
    return Report(msg::Invalid("audit.retention_bad", "--audit-retention-months"));
  }
  std::unique_ptr<AuditPruner> pruner;
  std::unique_ptr<mail::SenderWorker> sender;
  std::unique_ptr<service::MailboxPollerWorker> poller;
  // Orphan files of interrupted uploads: swept once the store is open, then
  // daily (web/upload.h).
  std::unique_ptr<web::OrphanSweeper> sweeper;
  std::unique_ptr<service::RetentionWorker> retention;
  {
    auto listening = o.server.on_listening;
    const Clock& clock = o.server.clock != nullptr ? *o.server.clock : SystemClock();
    const std::string url = g.db_url.empty() ? Store::DefaultUrl() : g.db_url;
    o.server.on_listening = [&, listening, url](int port) {
      // The sender runs when there is a relay: rows of a fund with its own
      // (`organisme smtp`) go through it, the others through --smtp-url, or
      // wait with the reason "mail.no_relay" when there is none. Without any
      // relay at start, nothing is sent (a relay set later needs a restart).
      if (!o.mail.smtp_url.empty() || AnyFundRelay(url)) {
        const char* pw = std::getenv("AMIABLE_SMTP_PASSWORD");
        mail::SenderOptions so;
        so.from = o.mail.from;
        so.max_attempts = o.mail.max_attempts;
        so.first_retry = std::chrono::seconds(o.mail.retry_seconds);
        if (o.lease_seconds > 0) so.lease = std::chrono::seconds(o.lease_seconds);
        auto global = o.mail.smtp_url.empty()
                          ? mail::NewNoRelayMailer()
                          : mail::NewCurlMailer({o.mail.smtp_url, o.mail.smtp_user, pw ? pw : "", 30});
        sender = std::make_unique<mail::SenderWorker>(url, std::move(global), clock, so,
                                                      std::chrono::seconds(o.mail.interval_seconds));
        g_sender.store(sender.get(), std::memory_order_release);
        Store::OnOutboxQueued(&NudgeSender);
        std::fprintf(stderr, "mail sender smtp=%s interval=%ds\n",
                     o.mail.smtp_url.empty() ? "(relais des organismes)" : o.mail.smtp_url.c_str(),
                     o.mail.interval_seconds);
      }
      // The mailbox poller: reads the mailboxes set with `organisme
      // mailbox` (none: it only looks every interval).
      if (o.poll_seconds > 0) {
        service::PollOptions po;
        if (o.lease_seconds > 0) po.lease = std::chrono::seconds(o.lease_seconds);
        poller = std::make_unique<service::MailboxPollerWorker>(
            url, clock, &OpenMailbox, web::ServerFiles(), std::chrono::seconds(o.poll_seconds),
            po);
        std::fprintf(stderr, "mail poller interval=%ds\n", o.poll_seconds);
      }
      sweeper = std::make_unique<web::OrphanSweeper>(url, web::ServerDocuments());
      if (o.audit_retention_months > 0) {
        pruner = std::make_unique<AuditPruner>(url, clock, o.audit_retention_months);
        std::fprintf(stderr, "audit retention months=%d\n", o.audit_retention_months);
      }
      // The daily retention run (service/privacy.h): anonymises the closed
      // cases of the funds with a retention period, once a day.
      if (o.retention_minutes > 0) {
        retention = std::make_unique<service::RetentionWorker>(
            url, clock, web::ServerFiles(), std::chrono::minutes(o.retention_minutes));
        std::fprintf(stderr, "retention check=%dmin\n", o.retention_minutes);
      }
      if (listening) listening(port);
      // Readiness for systemd (Type=notify): listening, the workers
      // started. Without $NOTIFY_SOCKET this does nothing.
      sd_notifyf(0, "READY=1\nSTATUS=port %d", port);
    };
  }
  // The report files of an earlier version move into the database once; a
  // refused import (an unreadable file, said on stderr) leaves them in place
  // and does not stop the server (`amiable report import-files` retries).
  if (auto s = ImportLegacyReportFiles(g, nullptr); !s) (void)Report(s.error());
  const int code = web::RunServer(o.server);
  sweeper.reset();
  retention.reset();
  poller.reset();
  pruner.reset();
  Store::OnOutboxQueued(nullptr);
  g_sender.store(nullptr, std::memory_order_release);
  sender.reset();
  return code;
}

}  // namespace

void RegisterServe(CLI::App& app, Globals& g) {
  auto o = std::make_shared<ServeOptions>();
  o->server.web_root = "web";
  CLI::App* cmd =
      app.add_subcommand("serve", "Serveur HTTP : /healthz, /metrics, API JSON /api/v1/, pages");
  cmd->add_option("--port", o->server.port, "Port TCP (0 : un port libre)")
      ->envname("AMIABLE_PORT")
      ->capture_default_str();
  cmd->add_option("--bind", o->server.bind, "Adresse d'écoute")
      ->envname("AMIABLE_BIND")
      ->capture_default_str();
  cmd->add_option("--threads", o->server.threads,
                  "Fils de traitement (= connexions simultanées servies)")
      ->envname("AMIABLE_THREADS")
      ->capture_default_str();
  cmd->add_option("--web-root", o->server.web_root, "Dossier des gabarits et ressources des pages")
      ->envname("AMIABLE_WEB_ROOT")
      ->capture_default_str();
  cmd->add_option("--max-body-mib", o->max_body_mib,
                  "Taille maximale d'une requête (Mio, envois de pièces compris)")
      ->capture_default_str();
  cmd->add_option("--max-api-body-kib", o->max_api_body_kib,
                  "Taille maximale d'une requête JSON de l'API (Kio)")
      ->capture_default_str();
  cmd->add_option("--trusted-proxy", o->server.trusted_proxies,
                  "Mandataires inverses dont X-Forwarded-For est cru (adresses ou réseaux, "
                  "séparés par des virgules)")
      ->delimiter(',')
      ->envname("AMIABLE_TRUSTED_PROXY");
  cmd->add_option("--spool-dir", o->server.spool_dir,
                  "Dossier des corps de requête reçus sur disque (défaut : $TMPDIR ou /tmp)")
      ->envname("AMIABLE_SPOOL_DIR");
  cmd->add_option("--body-memory-mib", o->body_memory_mib,
                  "Mémoire totale des corps de requête gardés en mémoire (Mio ; au-delà : disque)")
      ->capture_default_str();
  cmd->add_option("--head-timeout-seconds", o->server.read_timeout_seconds,
                  "Délai de réception des en-têtes d'une requête (s)")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_option("--spooled-concurrency", o->server.spooled_concurrency,
                  "Requêtes à gros corps (sur disque) servies en même temps")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_flag("--behind-tls", o->server.behind_tls,
                "Servi en HTTPS par un mandataire inverse (HSTS, cookies Secure)");
  cmd->add_option("--session-idle-minutes", o->server.session_idle_minutes,
                  "Fin d'une session après ce nombre de minutes sans activité")
      ->envname("AMIABLE_SESSION_IDLE_MINUTES")
      ->check(CLI::Range(1, 24 * 60))
      ->capture_default_str();
  cmd->add_flag("--require-second-factor", o->server.require_second_factor,
                "Vérification en deux étapes obligatoire pour les administrateurs et responsables")
      ->envname("AMIABLE_REQUIRE_SECOND_FACTOR");
  cmd->add_flag("--no-access-log", o->no_access_log, "Pas de ligne de journal par requête");
  cmd->add_option("--today", o->today,
                  "Date du jour imposée AAAA-MM-JJ (essais et démonstrations)");
  AddMailOptions(cmd, o->mail);
  cmd->add_option("--mail-poll-seconds", o->poll_seconds,
                  "Intervalle de relève des boîtes aux lettres des organismes (0 : aucune relève)")
      ->envname("AMIABLE_MAIL_POLL_SECONDS")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  // After a crash (kill -9) the outbox rows the sender had claimed and the
  // mailbox lease of the pass in flight wait for their lease to end before
  // another pass takes them: a shorter lease shortens that wait.
  cmd->add_option("--audit-retention-months", o->audit_retention_months,
                  "Durée de conservation du journal en mois : chaque jour, les lignes plus "
                  "anciennes sont supprimées derrière un point de contrôle (0 : jamais)")
      ->envname("AMIABLE_AUDIT_RETENTION_MONTHS");
  cmd->add_option("--retention-check-minutes", o->retention_minutes,
                  "Anonymisation quotidienne des dossiers clos (durée de conservation) : "
                  "vérifiée toutes les N minutes, une fois par jour ; 0 : désactivée");
  cmd->add_option("--mail-lease-seconds", o->lease_seconds,
                  "Durée des baux d'envoi et de relève (0 : 300 s et 120 s)")
      ->envname("AMIABLE_MAIL_LEASE_SECONDS")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  cmd->callback([o, &g] { g.exit_code = RunServe(*o, g); });
}

}  // namespace amiable::cli
