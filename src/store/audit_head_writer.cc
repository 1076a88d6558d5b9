#include "store/audit_head_writer.h"

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>

namespace amiable::audit {
namespace {

struct Writer {
  std::mutex mu;
  std::condition_variable work, idle;
  std::map<std::string, Head> pending;
  bool busy = false;
  bool started = false;

  void Run() {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      work.wait(lock, [this] { return !pending.empty(); });
      std::map<std::string, Head> batch;
      batch.swap(pending);
      busy = true;
      lock.unlock();
      for (const auto& [path, h] : batch) {
        if (auto s = WriteHead(path, h); !s) {
          // The rows are committed; a head left behind only weakens the
          // detection of a cut tail until the next write. Said on stderr.
          std::fprintf(stderr, "level=error msg=\"audit: head not written\" error=\"%s\"\n",
                       s.error().message.c_str());
        }
      }
      lock.lock();
      busy = false;
      if (pending.empty()) idle.notify_all();
    }
  }
};

// Never destroyed: stores closed by static destructors may still publish.
Writer& TheWriter() {
  static Writer* w = new Writer();
  return *w;
}

}  // namespace

void PublishHead(const std::string& path, const Head& h) {
  Writer& w = TheWriter();
  std::lock_guard<std::mutex> lock(w.mu);
  auto [it, fresh] = w.pending.try_emplace(path, h);
  if (!fresh && (it->second.chain_id != h.chain_id || it->second.seq < h.seq)) it->second = h;
  if (!w.started) {
    w.started = true;
    std::thread([&w] { w.Run(); }).detach();
    std::atexit(&FlushHeads);
  }
  w.work.notify_one();
}

void FlushHeads() {
  Writer& w = TheWriter();
  std::unique_lock<std::mutex> lock(w.mu);
  w.idle.wait(lock, [&w] { return w.pending.empty() && !w.busy; });
}

}  // namespace amiable::audit
