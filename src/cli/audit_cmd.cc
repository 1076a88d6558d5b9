// `amiable audit verify|prune|export|term`: the audit trail (issue 9, part 5;
// store/audit_store.h), and the daily pruning of `serve
// --audit-retention-months`.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "cli/audit_cmd.h"
#include "core/messages.h"
#include "service/audit_trail.h"
#include "store/audit_store.h"
#include "store/store.h"

namespace amiable::cli {
namespace {

// Verifies, prints the outcome; returns the exit code (0 intact, 1 findings).
int Verify(Store& store) {
  auto rep = TrailOf(store)->VerifyAudit();
  if (!rep) return Report(rep.error());
  if (rep->findings.empty()) {
    if (rep->head_file.empty()) {
      std::printf("%s\n", msg::Format("audit.verify_unsealed").c_str());
    } else {
      std::printf("%s\n", msg::Format("audit.verify_ok", {std::to_string(rep->rows)}).c_str());
    }
    return 0;
  }
  for (const AuditFindingLine& f : rep->findings) std::printf("%s\n", f.text.c_str());
  return 1;
}

// Rows before local midnight of `before` in the trail's zone: verified
// first, nothing removed when the trail is not intact.
Result<int64_t> Prune(Store& store, Date before, const std::string& organisme) {
  auto rep = TrailOf(store)->VerifyAudit();
  if (!rep) return Fail(rep.error());
  if (!rep->findings.empty()) return Fail(msg::Invalid("audit.prune_refused"));
  const Zone zone = service::TrailZone(store, organisme);
  return TrailOf(store)->PruneAudit(CliCaller().actor,
                          IsoTimestamp(service::StartOfDay(before, zone)));
}

}  // namespace

Result<std::FILE*> CreatePrivateFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(msg::Invalid("cli.cannot_write", "-o", {path}));
  ::fchmod(fd, 0600);  // an existing file keeps its mode otherwise
  std::FILE* f = ::fdopen(fd, "wb");
  if (f == nullptr) {
    ::close(fd);
    return Fail(msg::Invalid("cli.cannot_write", "-o", {path}));
  }
  return f;
}

void RegisterAudit(CLI::App& app, Globals& g) {
  auto* audit = app.add_subcommand("audit", "Journal des accès et des modifications (DPO)");
  audit->require_subcommand(1);

  auto* verify = audit->add_subcommand(
      "verify", "Vérifie la chaîne du journal : lignes modifiées, insérées, manquantes");
  verify->callback([&g] {
    auto store = OpenStore(g);
    if (!store) return;
    g.exit_code = Verify(*store);
  });

  struct PruneOpts {
    std::string before, organisme;
  };
  auto po = std::make_shared<PruneOpts>();
  auto* prune = audit->add_subcommand(
      "prune", "Supprime les lignes les plus anciennes (avant une date) et écrit un point de contrôle");
  prune->add_option("--before", po->before, "Date locale AAAA-MM-JJ : les lignes d'avant ce jour")
      ->required();
  prune->add_option("--organisme", po->organisme, "Organisme dont le fuseau fixe les jours");
  prune->callback([&g, po] {
    auto d = Date::Parse(po->before);
    if (!d) {
      g.exit_code = Report(msg::Invalid("cli.date", "--before", {po->before}));
      return;
    }
    auto store = OpenStore(g);
    if (!store) return;
    auto n = Prune(*store, *d, po->organisme);
    if (!n) {
      g.exit_code = Report(n.error());
      return;
    }
    std::printf("%s\n", *n ? msg::Format("audit.pruned", {std::to_string(*n)}).c_str()
                           : msg::Format("audit.prune_nothing").c_str());
  });

  struct ExportOpts {
    std::string from, to, user, case_ref, output, organisme;
  };
  auto eo = std::make_shared<ExportOpts>();
  auto* exp = audit->add_subcommand(
      "export", "Lignes du journal en JSON Lines pour le délégué à la protection des données");
  exp->add_option("--from", eo->from, "Premier jour (date locale AAAA-MM-JJ, inclus)")->required();
  exp->add_option("--to", eo->to, "Dernier jour (date locale AAAA-MM-JJ, inclus)")->required();
  exp->add_option("--user", eo->user, "Seulement les lignes de ce compte");
  exp->add_option("--case", eo->case_ref, "Seulement les lignes de ce dossier (référence)");
  exp->add_option("--organisme", eo->organisme, "Organisme dont le fuseau fixe les jours");
  exp->add_option("-o,--output", eo->output, "Fichier créé en mode 0600 (défaut : sortie standard)");
  exp->callback([&g, eo] {
    auto from = Date::Parse(eo->from);
    auto to = Date::Parse(eo->to);
    if (!from) {
      g.exit_code = Report(msg::Invalid("cli.date", "--from", {eo->from}));
      return;
    }
    if (!to) {
      g.exit_code = Report(msg::Invalid("cli.date", "--to", {eo->to}));
      return;
    }
    if (*to < *from) {
      g.exit_code = Report(msg::Invalid("audit.bad_range", "--to"));
      return;
    }
    auto store = OpenStore(g);
    if (!store) return;
    AuditQuery q;
    q.user = eo->user;
    q.case_ref = eo->case_ref;
    service::SetLocalDays(q, *from, *to, service::TrailZone(*store, eo->organisme));
    std::FILE* out = stdout;
    if (!eo->output.empty()) {
      auto f = CreatePrivateFile(eo->output);
      if (!f) {
        g.exit_code = Report(f.error());
        return;
      }
      out = *f;
    }
    int64_t n = 0;
    Status s = TrailOf(*store)->ScanAudit(CliCaller().actor, q, [&](const AuditEntry& e) {
      std::string line = service::AuditJsonLine(e);
      line += '\n';
      std::fwrite(line.data(), 1, line.size(), out);
      ++n;
      return true;
    });
    if (out != stdout) std::fclose(out);
    if (!s) {
      g.exit_code = Report(s.error());
      return;
    }
    std::string what = eo->from + ".." + eo->to;
    if (!eo->user.empty()) what += " user=" + eo->user;
    if (!eo->case_ref.empty()) what += " case=" + eo->case_ref;
    if (auto a = store->Audit(CliCaller().actor, "audit.export", what); !a) {
      g.exit_code = Report(a.error());
      return;
    }
    if (out != stdout) {
      std::fprintf(stderr, "%s\n",
                   msg::Format("audit.exported", {std::to_string(n), eo->output}).c_str());
    }
  });

  auto term = std::make_shared<std::string>();
  auto* th = audit->add_subcommand(
      "term", "Empreinte d'un terme de recherche, telle que le journal la garde");
  th->add_option("TERMS", *term, "Termes recherchés")->required();
  th->callback([&g, term] {
    auto store = OpenStore(g);
    if (!store) return;
    auto h = TrailOf(*store)->AuditTermHash(*term);
    if (!h) {
      g.exit_code = Report(h.error());
      return;
    }
    std::printf("%s\n", h->c_str());
  });
}

struct AuditPruner::Impl {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::thread thread;
};

AuditPruner::AuditPruner(std::string url, const Clock& clock, int months)
    : impl_(std::make_unique<Impl>()) {
  impl_->thread = std::thread([this, url, &clock, months] {
    std::unique_lock<std::mutex> lock(impl_->mu);
    while (!impl_->stop) {
      lock.unlock();
      auto store = Store::Open(url);
      if (store) {
        const Zone zone = service::TrailZone(**store);
        Date today = TodayIn(clock, zone);
        // `months` months before today, same day of month (clamped to 28).
        int y = today.year(), m = today.month() - months;
        while (m < 1) {
          m += 12;
          --y;
        }
        const Date cutoff = Date::FromCivil(y, m, std::min(today.day(), 28));
        auto n = Prune(**store, cutoff, "");
        if (!n) {
          std::fprintf(stderr, "level=error msg=\"audit prune\" error=\"%s\"\n",
                       n.error().message.c_str());
        } else if (*n) {
          std::fprintf(stderr, "msg=\"audit pruned\" rows=%lld before=%s\n",
                       static_cast<long long>(*n), cutoff.ToString().c_str());
        }
      }
      lock.lock();
      impl_->cv.wait_for(lock, std::chrono::hours(24), [this] { return impl_->stop; });
    }
  });
}

AuditPruner::~AuditPruner() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stop = true;
  }
  impl_->cv.notify_all();
  impl_->thread.join();
}

}  // namespace amiable::cli
