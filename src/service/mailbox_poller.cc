#include "service/mailbox_poller.h"

#include <unistd.h>

#include <cstdio>

#include "core/messages.h"
#include "service/file_sync_batch.h"
#include "store/store.h"

namespace amiable::service {

std::string DefaultLeaseOwner() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(*host ? host : "amiable") + ":" + std::to_string(getpid());
}

std::string IntakeLogLine(std::string_view organisme, const IntakeOutcome& o) {
  std::string line = "mail-in organisme=" + std::string(organisme) + " row=" +
                     std::to_string(o.row_id) + " outcome=" + o.outcome;
  if (!o.reference.empty()) line += " reference=" + o.reference;
  if (!o.reason.empty()) line += " reason=" + o.reason;
  return line;
}

Result<std::vector<IntakeOutcome>> TakeInBatch(Store& store, MailIntake& intake,
                                               std::string_view organisme,
                                               const std::vector<std::string>& raws,
                                               std::string_view source) {
  std::vector<IntakeOutcome> out;
  if (raws.size() > 1) {
    // The batch's files are synced once, before the commit (not each in
    // its Save): see service/file_sync_batch.h.
    FileSyncBatch files;
    Status s = store.InTransaction([&]() -> Status {
      for (const std::string& raw : raws) {
        auto o = intake.TakeIn(organisme, raw, source);
        if (!o) return Fail(o.error());
        out.push_back(std::move(*o));
      }
      return files.Flush();
    });
    if (s) return out;
    out.clear();
  }
  for (const std::string& raw : raws) {
    auto o = intake.TakeIn(organisme, raw, source);
    if (!o) return Fail(o.error());
    out.push_back(std::move(*o));
  }
  return out;
}

Result<int> FetchMailbox(Store& store, mail::ImapClient& imap, MailIntake& intake,
                         const MailboxSettings& box, const Clock& clock, const PollOptions& o,
                         const OutcomeSink& sink) {
  const std::string owner = o.owner.empty() ? DefaultLeaseOwner() : o.owner;
  auto lease = [&]() -> Status {
    const Instant now = clock.Now();
    auto got = store.AcquireMailboxLease(box.organisme, owner, IsoTimestamp(now),
                                         IsoTimestamp(now + o.lease));
    if (!got) return Fail(got.error());
    if (!*got) return Fail(msg::Conflict("intake.mailbox_busy", "", {box.organisme}));
    return {};
  };
  if (auto s = lease(); !s) return Fail(s.error());
  if (auto s = imap.Create(box.archive); !s) return Fail(s.error());
  if (auto s = imap.Create(box.quarantine); !s) return Fail(s.error());
  auto uids = imap.Uids(box.inbox);
  if (!uids) return Fail(uids.error());
  int taken = 0;
  const size_t batch = static_cast<size_t>(o.batch > 0 ? o.batch : 1);
  for (size_t i = 0; i < uids->size(); i += batch) {
    if (i > 0) {
      if (auto s = lease(); !s) return Fail(s.error());
    }
    std::vector<uint32_t> chunk;
    std::vector<std::string> raws;
    for (size_t k = i; k < std::min(uids->size(), i + batch); ++k) {
      auto raw = imap.Fetch(box.inbox, (*uids)[k]);
      if (!raw) {
        if (raw.error().code == Error::Code::kNotFound) continue;  // gone meanwhile
        return Fail(raw.error());
      }
      chunk.push_back((*uids)[k]);
      raws.push_back(std::move(*raw));
    }
    auto outcomes = TakeInBatch(store, intake, box.organisme, raws, "imap");
    if (!outcomes) return Fail(outcomes.error());
    std::vector<uint32_t> to_archive, to_quarantine;
    for (size_t k = 0; k < chunk.size(); ++k) {
      ((*outcomes)[k].folder == "quarantine" ? to_quarantine : to_archive).push_back(chunk[k]);
    }
    if (!to_archive.empty()) {
      if (auto s = imap.Move(box.inbox, to_archive, box.archive); !s) return Fail(s.error());
    }
    if (!to_quarantine.empty()) {
      if (auto s = imap.Move(box.inbox, to_quarantine, box.quarantine); !s) {
        return Fail(s.error());
      }
    }
    for (const IntakeOutcome& oc : *outcomes) {
      if (sink) sink(oc);
    }
    taken += static_cast<int>(chunk.size());
  }
  return taken;
}

MailboxPollerWorker::MailboxPollerWorker(std::string db_url, const Clock& clock,
                                         ImapFactory factory, const DocumentFiles& files,
                                         std::chrono::milliseconds interval, PollOptions options)
    : db_url_(std::move(db_url)),
      clock_(clock),
      factory_(std::move(factory)),
      files_(files),
      interval_(interval),
      options_(std::move(options)),
      thread_([this] { Run(); }) {}

MailboxPollerWorker::~MailboxPollerWorker() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void MailboxPollerWorker::Nudge() {
  {
    std::lock_guard<std::mutex> l(mu_);
    nudged_ = true;
  }
  cv_.notify_all();
}

void MailboxPollerWorker::Run() {
  std::unique_ptr<Store> store;
  std::string last_error;
  auto log_error = [&](std::string_view what, const Error& e) {
    std::string text = std::string(what) + ": " + ToString(e);
    if (text == last_error) return;
    last_error = text;
    for (char& c : text) {
      if (c == '"' || c == '\n') c = '\'';
    }
    std::fprintf(stderr, "mail-in error=\"%s\"\n", text.c_str());
  };
  for (;;) {
    {
      std::unique_lock<std::mutex> l(mu_);
      if (stop_) return;
    }
    if (!store) {
      auto s = Store::Open(db_url_);
      if (s) {
        store = std::move(*s);
      } else {
        log_error("cannot open the store", s.error());
      }
    }
    if (store) {
      Store& st = *store;
      MailIntake intake(st, clock_, files_,
                        [&st](std::string_view organisme, std::string_view address) {
                          auto g = st.GuessEmitter(organisme, address);
                          return g ? *g : std::nullopt;
                        });
      auto boxes = st.Mailboxes();
      if (!boxes) {
        log_error("mailboxes", boxes.error());
        store.reset();
      } else {
        for (const MailboxSettings& box : *boxes) {
          auto imap = factory_(box);
          if (!imap) {
            log_error("mailbox " + box.organisme, imap.error());
            continue;
          }
          auto n = FetchMailbox(st, **imap, intake, box, clock_, options_,
                                [&](const IntakeOutcome& o) {
                                  std::fprintf(stderr, "%s\n",
                                               IntakeLogLine(box.organisme, o).c_str());
                                });
          if (!n && n.error().message_id != "intake.mailbox_busy") {
            log_error("mailbox " + box.organisme, n.error());
          }
          st.ReleaseMailboxLease(box.organisme,
                                 options_.owner.empty() ? DefaultLeaseOwner() : options_.owner);
        }
      }
    }
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait_for(l, interval_, [this] { return stop_ || nudged_; });
    nudged_ = false;
    if (stop_) return;
  }
}

}  // namespace amiable::service
