// Files of a batch made durable together (issue 8, mail intake speed).
//
// DocumentFolder::Save (web/upload.cc) makes each file durable before it
// returns: fsync of the file, rename, fsync of the folder — two disk flushes
// per file, about 5 ms on the reference machine, which bounded the mail
// intake to about 100 messages/s (docs/benchmarks.md, "Courrier"). While a
// FileSyncBatch is open on a thread, Save writes and renames without
// syncing and records its folder; Flush() then makes every such file durable
// at once (one syncfs(2) per folder's file system: all its dirty data and
// metadata, the new directory entries included).
//
// The guarantee of the callers is unchanged when they Flush before the
// commit that refers to the files: a crash before the flush leaves at worst
// orphan files (no row refers to them), never a row without its file.
// TakeInBatch (service/mailbox_poller.h) flushes inside its transaction,
// before COMMIT.
//
// One batch per thread at a time (an inner one is a no-op: the outer flushes).
// Not shared between threads.
#ifndef AMIABLE_SERVICE_FILE_SYNC_BATCH_H_
#define AMIABLE_SERVICE_FILE_SYNC_BATCH_H_

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>

#include "core/error.h"

namespace amiable::service {

class FileSyncBatch {
 public:
  FileSyncBatch() : outer_(Slot() == nullptr) {
    if (outer_) Slot() = this;
  }
  ~FileSyncBatch() {
    if (outer_) Slot() = nullptr;  // unflushed files stay unsynced: orphans at worst
  }
  FileSyncBatch(const FileSyncBatch&) = delete;
  FileSyncBatch& operator=(const FileSyncBatch&) = delete;

  // The batch open on this thread, or nullptr (Save then syncs each file).
  static FileSyncBatch* Current() { return Slot(); }

  // Called by Save for a file written (and renamed) into `dir` unsynced.
  void Defer(const std::string& dir) { dirs_.insert(dir); }

  // Makes every deferred file durable. kInternal when the disk refuses
  // (the caller must then not commit).
  Status Flush() {
    if (!outer_) return {};
    for (const std::string& dir : dirs_) {
      const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) return Fail(Error::Internal("cannot open " + dir + ": " + std::strerror(errno)));
      const int rc = ::syncfs(fd);
      const int err = errno;
      ::close(fd);
      if (rc != 0) return Fail(Error::Internal("cannot sync " + dir + ": " + std::strerror(err)));
    }
    dirs_.clear();
    return {};
  }

 private:
  static FileSyncBatch*& Slot() {
    static thread_local FileSyncBatch* current = nullptr;
    return current;
  }
  bool outer_;
  std::set<std::string> dirs_;
};

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_FILE_SYNC_BATCH_H_
