// `amiable mail fetch [--organisme C] [--json]`: one pass over the fund's
// mailbox (or every configured one); `amiable mail import --organisme C
// [--json] FILE.eml...`: the same path for files; `amiable mail quarantine
// list|retry|create-case|discard`: the messages that could not be placed.
// With --json, one line per message: {"message_id", "outcome", "reference",
// "reason"} (service/mail_intake.h OutcomeJson).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "core/messages.h"
#include "mail/imap.h"
#include "mail/secrets.h"
#include "service/mail_intake.h"
#include "service/mailbox_poller.h"
#include "store/store.h"
#include "web/web_service.h"

namespace amiable::cli {
namespace {

service::MailIntake IntakeOf(Store& store) {
  return service::MailIntake(store, SystemClock(), web::ServerFiles(),
                             [&store](std::string_view organisme, std::string_view address) {
                               auto g = store.GuessEmitter(organisme, address);
                               return g ? *g : std::nullopt;
                             });
}

void PrintOutcome(const service::IntakeOutcome& o, bool json) {
  if (json) {
    std::printf("%s\n", service::OutcomeJson(o).c_str());
  } else {
    std::printf("%s\t%s\t%s\t%s\n", o.outcome.c_str(),
                o.reference.empty() ? "-" : o.reference.c_str(),
                o.message_id.empty() ? "-" : o.message_id.c_str(),
                o.reason_text.c_str());
  }
  std::fflush(stdout);
}

nlohmann::ordered_json RowJson(const ReceivedMessageRow& r) {
  nlohmann::ordered_json j;
  j["id"] = r.id;
  j["organisme"] = r.organisme;
  j["message_id"] = r.message_id;
  j["received_at"] = r.received_at;
  j["subject"] = r.subject;
  j["from"] = {{"name", r.from_name}, {"address", r.from_address}};
  j["reason"] = r.reason;
  j["reason_text"] = msg::Format(r.reason);
  j["detail"] = r.reason_detail;
  j["automatic"] = r.automatic.empty() ? nlohmann::ordered_json(nullptr)
                                       : nlohmann::ordered_json(r.automatic);
  j["size"] = r.raw_size;
  return j;
}

}  // namespace

Result<std::unique_ptr<mail::ImapClient>> OpenMailbox(const MailboxSettings& box) {
  std::string password;
  if (!box.user.empty()) {
    auto pw = mail::ReadSecret(box.password_file, box.password_env);
    if (!pw) return Fail(pw.error());
    password = std::move(*pw);
  }
  return mail::NewCurlImapClient({box.imap_url, box.user, std::move(password), 30});
}

void RegisterMailIntake(CLI::App* mail_cmd, Globals& g) {
  // ---- fetch ----
  struct FetchArgs {
    std::string organisme;
    bool json = false;
    int batch = 100;
  };
  auto f = std::make_shared<FetchArgs>();
  CLI::App* fetch = mail_cmd->add_subcommand(
      "fetch", "Relève la boîte aux lettres d'un organisme (ou de tous) : un passage");
  fetch->add_option("--organisme", f->organisme, "Code de l'organisme (défaut : tous)");
  fetch->add_flag("--json", f->json, "Une ligne JSON par message");
  fetch->add_option("--batch", f->batch, "Messages par transaction")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  fetch->callback([f, &g] {
    auto store = OpenStore(g);
    if (!store) return;
    std::vector<MailboxSettings> boxes;
    if (f->organisme.empty()) {
      auto all = store->Mailboxes();
      if (!all) {
        g.exit_code = Report(all.error());
        return;
      }
      boxes = std::move(*all);
    } else {
      auto one = store->Mailbox(f->organisme);
      if (!one) {
        g.exit_code = Report(one.error());
        return;
      }
      if (!*one) {
        g.exit_code = Report(msg::Invalid("intake.mailbox_unknown", "--organisme", {f->organisme}));
        return;
      }
      boxes.push_back(**one);
    }
    service::MailIntake intake = IntakeOf(*store);
    service::PollOptions o;
    o.batch = f->batch;
    for (const MailboxSettings& box : boxes) {
      auto imap = OpenMailbox(box);
      if (!imap) {
        g.exit_code = Report(imap.error());
        continue;
      }
      auto n = service::FetchMailbox(*store, **imap, intake, box, SystemClock(), o,
                                     [&](const service::IntakeOutcome& oc) {
                                       PrintOutcome(oc, f->json);
                                     });
      store->ReleaseMailboxLease(box.organisme, service::DefaultLeaseOwner());
      if (!n) g.exit_code = Report(n.error());
    }
  });

  // ---- import ----
  struct ImportArgs {
    std::string organisme;
    bool json = false;
    std::vector<std::string> files;
  };
  auto a = std::make_shared<ImportArgs>();
  CLI::App* imp = mail_cmd->add_subcommand(
      "import", "Prend en compte des messages enregistrés (.eml), comme s'ils étaient reçus");
  imp->add_option("--organisme", a->organisme, "Code de l'organisme destinataire")->required();
  imp->add_flag("--json", a->json, "Une ligne JSON par message");
  imp->add_option("files", a->files, "Fichiers .eml")->required();
  imp->callback([a, &g] {
    auto store = OpenStore(g);
    if (!store) return;
    if (auto o = store->GetOrganisme(a->organisme); !o) {
      g.exit_code = Report(OrganismeError(o.error(), a->organisme, "--organisme"));
      return;
    }
    service::MailIntake intake = IntakeOf(*store);
    for (const std::string& path : a->files) {
      std::ifstream in(path, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      if (!in) {
        g.exit_code = Report(msg::Invalid("intake.file_unreadable", path, {path}));
        continue;
      }
      auto o = intake.TakeIn(a->organisme, ss.str(), "import");
      if (!o) {
        g.exit_code = Report(o.error());
        return;
      }
      PrintOutcome(*o, a->json);
    }
  });

  // ---- quarantine ----
  CLI::App* q = mail_cmd->add_subcommand("quarantine", "Messages en quarantaine");
  q->require_subcommand(1);
  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = q->add_subcommand("list", "Liste les messages en quarantaine");
  list->add_flag("--json", *list_json, "Une ligne JSON par message");
  list->callback([list_json, &g] {
    auto store = OpenStore(g);
    if (!store) return;
    auto rows = IntakeOf(*store).Quarantine(CliCaller(), 0);
    if (!rows) {
      g.exit_code = Report(rows.error());
      return;
    }
    for (const ReceivedMessageRow& r : *rows) {
      if (*list_json) {
        std::printf("%s\n", RowJson(r).dump(-1, ' ', false,
                                            nlohmann::json::error_handler_t::replace)
                                .c_str());
      } else {
        std::printf("%lld\t%s\t%s\t%s\n", static_cast<long long>(r.id), r.organisme.c_str(),
                    r.received_at.c_str(), msg::Format(r.reason).c_str());
      }
    }
  });
  struct OneArgs {
    int64_t id = 0;
    std::string reason;
    bool json = false;
  };
  auto one = std::make_shared<OneArgs>();
  auto add_one = [&](const char* name, const char* help) {
    CLI::App* c = q->add_subcommand(name, help);
    c->add_option("id", one->id, "Numéro du message en quarantaine")->required();
    c->add_flag("--json", one->json, "Le résultat en JSON");
    return c;
  };
  add_one("retry", "Relit un message selon les règles (le dossier cité existe peut-être)")
      ->callback([one, &g] {
        auto store = OpenStore(g);
        if (!store) return;
        auto o = IntakeOf(*store).Retry(CliCaller(), one->id);
        if (!o) {
          g.exit_code = Report(o.error());
          return;
        }
        PrintOutcome(*o, one->json);
      });
  add_one("create-case", "Crée un dossier à partir d'un message en quarantaine")
      ->callback([one, &g] {
        auto store = OpenStore(g);
        if (!store) return;
        auto o = IntakeOf(*store).CreateCase(CliCaller(), one->id);
        if (!o) {
          g.exit_code = Report(o.error());
          return;
        }
        PrintOutcome(*o, one->json);
      });
  CLI::App* discard = add_one("discard", "Écarte un message en quarantaine, avec un motif");
  discard->add_option("--reason", one->reason, "Pourquoi le message est écarté")->required();
  discard->callback([one, &g] {
    auto store = OpenStore(g);
    if (!store) return;
    auto s = IntakeOf(*store).Discard(CliCaller(), one->id, one->reason);
    if (!s) g.exit_code = Report(s.error());
  });
}

}  // namespace amiable::cli
