// The server's memory kept flat (issue 11, part figs; docs/benchmarks.md
// "Issue 11 — chiffres et mémoire"). glibc's malloc gives up to 8 arenas per
// core to the 64 worker threads and returns freed memory to the system only
// from the top of each heap: after a few large answers (the backlog
// dashboard, the national report) the freed pages stay resident. So:
// - LimitMallocArenas(): at most 2 arenas per core (M_ARENA_MAX), unless
//   MALLOC_ARENA_MAX is set in the environment (then glibc's reading wins);
// - MemoryTrimmer: a thread that returns the free pages of every arena to
//   the system (malloc_trim) a little after a burst of requests ends.
#ifndef AMIABLE_WEB_MEMORY_H_
#define AMIABLE_WEB_MEMORY_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace amiable::web {

void LimitMallocArenas();

// Resident set of this process in bytes (/proc/self/statm), 0 if unknown.
int64_t ResidentBytes();

class MemoryTrimmer {
 public:
  // Trims `quiet` after the last Touch() (at most once per `quiet`).
  explicit MemoryTrimmer(std::chrono::milliseconds quiet = std::chrono::milliseconds(2000));
  ~MemoryTrimmer();
  MemoryTrimmer(const MemoryTrimmer&) = delete;
  MemoryTrimmer& operator=(const MemoryTrimmer&) = delete;

  // A request ended (cheap: one relaxed store).
  void Touch() { touched_.store(true, std::memory_order_relaxed); }
  // Trims now (tests); returns how many times it has trimmed.
  int64_t TrimNow();
  int64_t trims() const { return trims_.load(); }

 private:
  void Run();

  const std::chrono::milliseconds quiet_;
  std::atomic<bool> touched_{false};
  std::atomic<int64_t> trims_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace amiable::web

#endif  // AMIABLE_WEB_MEMORY_H_
