#include "web/upload.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <set>

#include "mail/parse.h"
#include "service/file_sync_batch.h"
#include "store/store.h"
#include "web/routes.h"

namespace amiable::web {
namespace {

Error SysError(const std::string& what) {
  return Error::Internal(what + ": " + std::strerror(errno));
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

std::optional<std::string> SniffContentType(std::string_view b) {
  if (b.size() >= 5 && b.substr(0, 5) == "%PDF-") return "application/pdf";
  if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xff &&
      static_cast<unsigned char>(b[1]) == 0xd8 && static_cast<unsigned char>(b[2]) == 0xff) {
    return "image/jpeg";
  }
  static constexpr char kPng[] = "\x89PNG\r\n\x1a\n";
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view(kPng, 8)) return "image/png";
  return std::nullopt;
}

std::string_view ExtensionOf(std::string_view t) { return mail::ExtensionOfType(t); }

std::string DownloadName(std::string_view file_name, std::string_view content_type) {
  return mail::NameWithExtensionOf(SafeFileName(file_name), content_type);
}

std::string AttachmentDisposition(std::string_view name) {
  std::string ascii, encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == '_' || c == '~';
    ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string SafeFileName(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '"' || c == '\'' || c == ';' || c == '<' || c == '>' ||
        c == '`' || c == '%' || c == '*' || c == '?' || c == ':' || c == '|') {
      out += '_';
    } else {
      out += static_cast<char>(c);
    }
  }
  if (out.size() > 120) {
    size_t cut = 120;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
    out.resize(cut);
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
  if (out.empty()) out = "document";
  return out;
}

bool DocumentFolder::ValidKey(std::string_view key) {
  if (key.size() != 32) return false;
  for (char c : key) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::unique_ptr<IncomingFile>> DocumentFolder::Receive(uint64_t max_bytes) const {
  if (sodium_init() < 0) return Fail(Error::Internal("libsodium unavailable"));
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Fail(Error::Internal("cannot create the document folder: " + ec.message()));
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  const std::string part = dir_ + "/" + hex + ".part";
  int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(SysError("cannot create " + part));
  return std::unique_ptr<IncomingFile>(new IncomingFile(dir_, hex, fd, max_bytes));
}

Result<std::string> DocumentFolder::Save(std::string_view bytes) const {
  auto file = Receive(bytes.size());
  if (!file) return Fail(file.error());
  if (!(*file)->Append(bytes)) return Fail(SysError("cannot write " + (*file)->part_path()));
  return (*file)->Keep();
}

// ---- IncomingFile ----

namespace {
constexpr size_t kHeadBytes = 4096;
}  // namespace

IncomingFile::IncomingFile(std::string dir, std::string key, int fd, uint64_t max_bytes)
    : dir_(std::move(dir)),
      key_(std::move(key)),
      part_path_(dir_ + "/" + key_ + ".part"),
      fd_(fd),
      max_bytes_(max_bytes) {
  crypto_hash_sha256_init(&sha_);
}

IncomingFile::~IncomingFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!kept_) ::unlink(part_path_.c_str());
}

bool IncomingFile::Append(std::string_view chunk) {
  const uint64_t room = size_ < max_bytes_ ? max_bytes_ - size_ : 0;
  size_ += chunk.size();
  if (failed_) return false;
  if (head_.size() < kHeadBytes) {
    head_.append(chunk.substr(0, kHeadBytes - head_.size()));
  }
  const std::string_view kept = chunk.substr(0, static_cast<size_t>(std::min<uint64_t>(room, chunk.size())));
  if (kept.empty()) return true;
  crypto_hash_sha256_update(&sha_, reinterpret_cast<const unsigned char*>(kept.data()),
                            kept.size());
  if (!WriteAll(fd_, kept)) {
    failed_ = true;
    return false;
  }
  return true;
}

std::string IncomingFile::sha256_hex() const {
  crypto_hash_sha256_state copy = sha_;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&copy, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

Result<std::string> IncomingFile::Keep() {
  if (kept_) return key_;
  if (failed_ || fd_ < 0) return Fail(Error::Internal("cannot write " + part_path_));
  if (over_limit()) return Fail(Error::Internal("file over its limit: " + part_path_));
  // In a batch (service/file_sync_batch.h) the syncs are left to its Flush,
  // one for all the batch's files, before the commit that refers to them.
  service::FileSyncBatch* batch = service::FileSyncBatch::Current();
  if (batch == nullptr && ::fsync(fd_) != 0) {
    failed_ = true;
    return Fail(SysError("cannot sync " + part_path_));
  }
  ::close(fd_);
  fd_ = -1;
  const std::string final_path = dir_ + "/" + key_;
  if (::rename(part_path_.c_str(), final_path.c_str()) != 0) {
    failed_ = true;
    return Fail(SysError("cannot rename " + part_path_));
  }
  kept_ = true;
  if (batch != nullptr) {
    batch->Defer(dir_);
    return key_;
  }
  int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return key_;
}

Result<std::string> IncomingFile::ReadAll() const {
  const std::string path = kept_ ? dir_ + "/" + key_ : part_path_;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(SysError("cannot open " + path));
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      Error e = SysError("cannot read " + path);
      ::close(fd);
      return Fail(e);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Result<std::string> DocumentFolder::Read(std::string_view key) const {
  if (!ValidKey(key)) return Fail(Error::NotFound("no such document"));
  const std::string path = dir_ + "/" + std::string(key);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(Error::NotFound("no such document"));
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      Error e = SysError("cannot read document");
      ::close(fd);
      return Fail(e);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

void DocumentFolder::Remove(std::string_view key) const {
  if (!ValidKey(key)) return;
  ::unlink((dir_ + "/" + std::string(key)).c_str());
}

// ---- Orphan files ----

std::vector<std::string> FindOrphanFiles(std::span<const FolderEntry> entries,
                                         std::span<const std::string> referenced,
                                         std::chrono::system_clock::time_point now,
                                         std::chrono::seconds min_age) {
  const std::set<std::string_view> rows(referenced.begin(), referenced.end());
  std::vector<std::string> out;
  for (const FolderEntry& e : entries) {
    if (now - e.modified < min_age) continue;
    const std::string_view name = e.name;
    bool orphan = false;
    if (DocumentFolder::ValidKey(name)) {
      orphan = !rows.contains(name);
    } else if (name.size() > 32 && DocumentFolder::ValidKey(name.substr(0, 32))) {
      const std::string_view suffix = name.substr(32);
      orphan = suffix == ".part" || suffix == ".tmp";
    }
    if (orphan) out.push_back(e.name);
  }
  return out;
}

Result<size_t> SweepOrphanFiles(const DocumentFolder& folder, DocumentKeys& keys,
                                std::chrono::system_clock::time_point now) {
  namespace fs = std::filesystem;
  std::vector<FolderEntry> entries;
  std::error_code ec;
  if (!fs::exists(folder.dir(), ec)) return size_t{0};
  for (fs::directory_iterator it(folder.dir(), ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code fe;
    if (!it->is_regular_file(fe)) continue;
    struct stat st{};
    if (::stat(it->path().c_str(), &st) != 0) continue;
    entries.push_back({it->path().filename().string(),
                       std::chrono::system_clock::time_point(
                           std::chrono::seconds(st.st_mtim.tv_sec) +
                           std::chrono::nanoseconds(st.st_mtim.tv_nsec))});
  }
  if (ec) return Fail(Error::Internal("cannot list the document folder: " + ec.message()));
  // Keys after the listing: a file listed an hour old has its row by now.
  auto referenced = keys.ReferencedStorageKeys();
  if (!referenced) return Fail(referenced.error());
  size_t removed = 0;
  for (const std::string& name : FindOrphanFiles(entries, *referenced, now)) {
    if (::unlink((folder.dir() + "/" + name).c_str()) == 0) ++removed;
  }
  return removed;
}

OrphanSweeper::OrphanSweeper(std::string db_url, const DocumentFolder& folder,
                             std::chrono::seconds interval)
    : db_url_(std::move(db_url)), folder_(folder), interval_(interval) {
  thread_ = std::thread([this] { Run(); });
}

OrphanSweeper::~OrphanSweeper() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void OrphanSweeper::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    {  // the store is closed before the wait
      auto store = Store::Open(db_url_);
      auto* keys = store ? dynamic_cast<DocumentKeys*>(store->get()) : nullptr;
      if (!store) {
        LogError("orphan sweep: cannot open the store", store.error());
      } else if (keys == nullptr) {
        LogError("orphan sweep: this store lists no storage keys", Error::Internal("skipped"));
      } else if (auto n = SweepOrphanFiles(folder_, *keys, std::chrono::system_clock::now());
                 !n) {
        LogError("orphan sweep failed", n.error());
      } else if (*n > 0) {
        LogInfo("orphan sweep: " + std::to_string(*n) + " file(s) removed from " + folder_.dir());
      }
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace amiable::web
