// Files sent with requests (online form attachments, scans, documents added
// by mediators): what they are, judged by their content, and where they live.
//
// - SniffContentType recognises PDF, JPEG and PNG by their magic bytes (the
//   name and the declared type are ignored); anything else is refused.
// - DocumentFolder keeps the files in one folder outside anything served,
//   under random 32-hex-digit names: a stored name never comes from input,
//   and Read accepts only names of that shape (no path traversal).
// - IncomingFile receives an upload as it arrives (web/upload_form.h streams
//   each file part of a request into one): written to "<key>.part" in the
//   folder, hashed on the way, never held in memory; Keep() makes it durable
//   under its key; a file not kept is removed when the object goes (a
//   refused upload leaves nothing).
// - Save (bytes already in memory) goes the same way: a temporary file,
//   fsynced, renamed into place, the folder fsynced. Callers write the
//   database row only after the file is kept (a crash then leaves at worst
//   an orphan file, never a row without its file). Inside a
//   service::FileSyncBatch (service/file_sync_batch.h) the syncs are left to
//   the batch's Flush, which its owner calls before the commit.
// - FindOrphanFiles (pure) and SweepOrphanFiles: the temporary files of
//   interrupted uploads and the stored files no row refers to, once they are
//   an hour old, are removed (at `serve` start and daily).
//
// Thread safety: every function is thread-safe; DocumentFolder is immutable
// after construction; an IncomingFile belongs to one thread.
#ifndef AMIABLE_WEB_UPLOAD_H_
#define AMIABLE_WEB_UPLOAD_H_

#include <sodium.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <optional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/error.h"
#include "service/received_file.h"
#include "store/document_keys.h"

namespace amiable::web {

// "application/pdf", "image/jpeg", "image/png", or nullopt.
std::optional<std::string> SniffContentType(std::string_view bytes);

// The extension of a sniffed type ("pdf", "jpg", "png", "docx", "eml"...:
// the table of mail::SniffType, mail/parse.h ExtensionOfType), "bin" when
// unknown.
std::string_view ExtensionOf(std::string_view content_type);

// The name a document is downloaded under: SafeFileName(file_name) with the
// extension of the sniffed type in place of its own
// (mail::NameWithExtensionOf: "scan" application/pdf -> "scan.pdf";
// "photo.jpeg" image/jpeg stays; "x.html" sniffed image/png -> "x.png").
std::string DownloadName(std::string_view file_name, std::string_view content_type);

// The Content-Disposition of a download: always attachment, never inline;
// an ASCII fallback filename="..." (other bytes as '_') and the UTF-8 name
// as filename*=UTF-8''... (RFC 6266, RFC 5987).
std::string AttachmentDisposition(std::string_view name);

// Lower-case hex SHA-256 of the bytes.
std::string Sha256Hex(std::string_view bytes);

// A file name fit for display and for Content-Disposition: the last path
// component, control characters, quotes and separators removed, at most 120
// bytes (cut on a UTF-8 boundary), "document" when nothing is left.
std::string SafeFileName(std::string_view name);

class IncomingFile;

class DocumentFolder {
 public:
  // `dir` is created (with its parents) on first Save when missing.
  explicit DocumentFolder(std::string dir) : dir_(std::move(dir)) {}
  const std::string& dir() const { return dir_; }

  // Stores the bytes durably; returns the storage key. kInternal (message
  // names the system error) when the disk refuses.
  Result<std::string> Save(std::string_view bytes) const;
  // The bytes of a stored file. kNotFound when the key is malformed or absent.
  Result<std::string> Read(std::string_view key) const;
  // Removes a file (cleaning up after a failed transaction); best effort.
  void Remove(std::string_view key) const;

  static bool ValidKey(std::string_view key);

  // A new file to receive into this folder, under a fresh key; at most
  // `max_bytes` are written (IncomingFile::Append). kInternal when the disk
  // refuses.
  Result<std::unique_ptr<IncomingFile>> Receive(uint64_t max_bytes) const;

 private:
  std::string dir_;
};

class IncomingFile final : public service::ReceivedFile {
 public:
  ~IncomingFile() override;  // removes the file unless kept
  IncomingFile(const IncomingFile&) = delete;
  IncomingFile& operator=(const IncomingFile&) = delete;

  // Writes `chunk`. Past max_bytes nothing more is written but size() still
  // counts (the caller tells "too large" by over_limit()). False when the
  // disk refused (the file is then never kept).
  bool Append(std::string_view chunk);
  bool over_limit() const { return size_ > max_bytes_; }
  bool failed() const { return failed_; }

  uint64_t size() const override { return size_; }
  std::string_view head() const override { return head_; }
  std::string sha256_hex() const override;
  // Durable under key() (fsync, rename, folder fsync; in a FileSyncBatch the
  // syncs are the batch's). kInternal when over the limit, after a disk
  // error, or when the disk refuses now.
  Result<std::string> Keep() override;
  // Reads back what was written (the .eml of the registration page, capped
  // by max_bytes). kInternal on a disk error.
  Result<std::string> ReadAll() const;

  const std::string& key() const { return key_; }
  // The temporary path ("<dir>/<key>.part") while not kept.
  const std::string& part_path() const { return part_path_; }

 private:
  friend class DocumentFolder;
  IncomingFile(std::string dir, std::string key, int fd, uint64_t max_bytes);

  std::string dir_, key_, part_path_;
  int fd_ = -1;
  uint64_t max_bytes_ = 0;
  uint64_t size_ = 0;
  bool failed_ = false;
  bool kept_ = false;
  std::string head_;  // the first kHeadBytes
  crypto_hash_sha256_state sha_{};
};

// ---- Orphan files ----

struct FolderEntry {
  std::string name;  // file name inside the folder
  std::chrono::system_clock::time_point modified;
};

// What a sweep removes, of the folder's `entries`: temporary files of
// uploads ("<key>.part", "<key>.tmp") and stored files (DocumentFolder::
// ValidKey names) that are not in `referenced` (the keys rows refer to),
// both only when modified at least `min_age` before `now`. Anything else is
// left alone: a file with a row, a younger file, a name of another shape.
// Pure.
std::vector<std::string> FindOrphanFiles(std::span<const FolderEntry> entries,
                                         std::span<const std::string> referenced,
                                         std::chrono::system_clock::time_point now,
                                         std::chrono::seconds min_age = std::chrono::hours(1));

// Lists the folder, asks `keys` which keys rows refer to, removes
// FindOrphanFiles's answer; returns how many files went. A folder not yet
// created is empty; when the keys cannot be read nothing is removed (the
// error is returned).
Result<size_t> SweepOrphanFiles(const DocumentFolder& folder, DocumentKeys& keys,
                                std::chrono::system_clock::time_point now);

// The sweep of `serve`: SweepOrphanFiles at once, then every `interval`, on
// its own thread, through a store opened from `db_url` for each pass; one
// log line per pass that removed something or failed. The destructor stops
// and joins the thread.
class OrphanSweeper {
 public:
  OrphanSweeper(std::string db_url, const DocumentFolder& folder,
                std::chrono::seconds interval = std::chrono::hours(24));
  ~OrphanSweeper();
  OrphanSweeper(const OrphanSweeper&) = delete;
  OrphanSweeper& operator=(const OrphanSweeper&) = delete;

 private:
  void Run();

  std::string db_url_;
  const DocumentFolder& folder_;
  std::chrono::seconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace amiable::web

#endif  // AMIABLE_WEB_UPLOAD_H_
