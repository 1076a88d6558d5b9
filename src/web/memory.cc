#include "web/memory.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace amiable::web {

namespace {
// Under a load that does not stop, trim every this many periods anyway.
constexpr int kBusyPeriods = 5;
}  // namespace

void LimitMallocArenas() {
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr) return;
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  mallopt(M_ARENA_MAX, static_cast<int>(cores > 0 ? 2 * cores : 2));
}

int64_t ResidentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long long size = 0, resident = 0;
  const int n = std::fscanf(f, "%lld %lld", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<int64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

MemoryTrimmer::MemoryTrimmer(std::chrono::milliseconds quiet)
    : quiet_(quiet), thread_([this] { Run(); }) {}

MemoryTrimmer::~MemoryTrimmer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

int64_t MemoryTrimmer::TrimNow() {
  malloc_trim(0);
  return ++trims_;
}

void MemoryTrimmer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  int busy = 0;  // periods in a row with requests
  while (!stop_) {
    cv_.wait_for(lock, quiet_, [this] { return stop_; });
    if (stop_) break;
    const bool touched = touched_.exchange(false, std::memory_order_relaxed);
    if (touched && ++busy < kBusyPeriods) continue;  // still serving: wait for a quiet period
    if (busy > 0) {
      // A burst ended one quiet period ago, or a long load goes on.
      busy = 0;
      lock.unlock();
      TrimNow();
      lock.lock();
    }
  }
}

}  // namespace amiable::web
