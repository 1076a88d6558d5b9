#include "store/audit_chain.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <sstream>

#include "core/messages.h"

namespace amiable::audit {
namespace {

void Field(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
  out += '\n';
}

std::string Hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.resize(n * 2);
  return out;
}

std::string Hmac(const Key& key, std::string_view msg, size_t bytes = crypto_auth_hmacsha256_BYTES) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                         key.data());
  return Hex(mac, bytes);
}

void Init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();
  });
}

std::mutex& OverrideMu() {
  static std::mutex mu;
  return mu;
}
std::string& Override() {
  static std::string path;
  return path;
}

Status FsyncDir(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Fail(Error::Internal("audit: cannot open " + dir.string()));
  ::fsync(fd);
  ::close(fd);
  return {};
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(Error::Internal(std::string("audit: write: ") + std::strerror(errno)));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Result<std::string> ReadSmallFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Fail(msg::NotFound("audit.key_missing", {path}));
    return Fail(msg::Invalid("audit.file_unreadable", "", {path, std::strerror(errno)}));
  }
  std::string out;
  char buf[512];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > 4096) break;
  }
  ::close(fd);
  return out;
}

}  // namespace

std::string GenesisHash() { return std::string(64, '0'); }

std::string RowMac(const Key& key, const Row& r) {
  std::string m = "amiable-audit-row\n";
  Field(m, r.at);
  Field(m, r.actor);
  Field(m, r.action);
  Field(m, r.object);
  Field(m, r.prev_hash);
  return Hmac(key, m);
}

std::string CheckpointMac(const Key& key, const Checkpoint& c) {
  std::string m = "amiable-audit-checkpoint\n";
  Field(m, std::to_string(c.seq));
  Field(m, c.hash);
  Field(m, c.at);
  Field(m, std::to_string(c.removed));
  return Hmac(key, m);
}

std::string HeadMac(const Key& key, const Head& h) {
  std::string m = "amiable-audit-head\n";
  Field(m, h.chain_id);
  Field(m, std::to_string(h.seq));
  Field(m, h.hash);
  return Hmac(key, m);
}

std::string TermHash(const Key& key, std::string_view terms) {
  std::string norm;
  bool space = false;
  for (unsigned char ch : terms) {
    if (std::isspace(ch)) {
      space = !norm.empty();
      continue;
    }
    if (space) norm += ' ';
    space = false;
    norm += static_cast<char>(ch < 0x80 ? std::tolower(ch) : ch);
  }
  std::string m = "amiable-audit-term\n";
  Field(m, norm);
  return "terme:" + Hmac(key, m, 16);
}

std::string NewChainId() {
  Init();
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  return Hex(b, sizeof b);
}

void SetKeyFile(std::string path) {
  std::lock_guard<std::mutex> lock(OverrideMu());
  Override() = std::move(path);
}

std::string KeyFileFor(std::string_view db_url) {
  {
    std::lock_guard<std::mutex> lock(OverrideMu());
    if (!Override().empty()) return Override();
  }
  if (const char* e = std::getenv("AMIABLE_AUDIT_KEY_FILE"); e && *e) return e;
  if (db_url.starts_with("postgresql://") || db_url.starts_with("postgres://")) {
    if (const char* s = std::getenv("STATE_DIRECTORY"); s && *s) {
      std::string dir(s);
      if (auto colon = dir.find(':'); colon != std::string::npos) dir.resize(colon);
      return (std::filesystem::path(dir) / "audit.key").string();
    }
    return "var/audit.key";
  }
  std::string_view path = db_url.starts_with("sqlite:") ? db_url.substr(7) : db_url;
  return (std::filesystem::path(path).parent_path() / "audit.key").string();
}

std::string HeadFileFor(const std::string& key_file, const std::string& chain_id) {
  return (std::filesystem::path(key_file).parent_path() / ("audit-head-" + chain_id)).string();
}

Result<Key> LoadKey(const std::string& path, bool create) {
  Init();
  auto text = ReadSmallFile(path);
  if (!text && text.error().code == Error::Code::kNotFound && create) {
    std::error_code ec;
    const auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
      std::filesystem::create_directories(dir, ec);
      ::chmod(dir.c_str(), 0700);
    }
    Key k;
    randombytes_buf(k.data(), k.size());
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      Status w = WriteAll(fd, Hex(k.data(), k.size()) + "\n");
      ::fsync(fd);
      ::close(fd);
      if (!w) return Fail(w.error());
      FsyncDir(dir);
      return k;
    }
    if (errno != EEXIST) {
      return Fail(msg::Invalid("audit.file_unreadable", "", {path, std::strerror(errno)}));
    }
    text = ReadSmallFile(path);  // another process created it first
  }
  if (!text) return Fail(text.error());
  std::string hex = *text;
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.pop_back();
  Key k;
  size_t len = 0;
  if (hex.size() != 64 ||
      sodium_hex2bin(k.data(), k.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != k.size()) {
    return Fail(msg::Invalid("audit.key_malformed", "", {path}));
  }
  return k;
}

Result<std::optional<Head>> ReadHead(const std::string& path) {
  auto text = ReadSmallFile(path);
  if (!text) {
    if (text.error().code == Error::Code::kNotFound) return std::optional<Head>();
    return Fail(text.error());
  }
  std::istringstream in(*text);
  std::string magic, version;
  Head h;
  if (!(in >> magic >> version >> h.chain_id >> h.seq >> h.hash >> h.mac) ||
      magic != "amiable-audit-head" || version != "1") {
    return Fail(msg::Invalid("audit.head_malformed", "", {path}));
  }
  return std::optional<Head>(h);
}

Status WriteHead(const std::string& path, const Head& h) {
  const std::string lock_path = path + ".lock";
  int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) {
    return Fail(msg::Invalid("audit.file_unreadable", "", {lock_path, std::strerror(errno)}));
  }
  while (::flock(lock, LOCK_EX) != 0 && errno == EINTR) {
  }
  Status out;
  auto current = ReadHead(path);
  if (current && *current && (*current)->chain_id == h.chain_id && (*current)->seq >= h.seq) {
    ::close(lock);  // releases the lock
    return {};
  }
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    out = Fail(msg::Invalid("audit.file_unreadable", "", {tmp, std::strerror(errno)}));
  } else {
    out = WriteAll(fd, "amiable-audit-head 1 " + h.chain_id + " " + std::to_string(h.seq) + " " +
                           h.hash + " " + h.mac + "\n");
    if (out && ::fsync(fd) != 0) out = Fail(Error::Internal("audit: fsync of the head failed"));
    ::close(fd);
    if (out && ::rename(tmp.c_str(), path.c_str()) != 0) {
      out = Fail(Error::Internal(std::string("audit: rename: ") + std::strerror(errno)));
    }
    if (out) out = FsyncDir(std::filesystem::path(path).parent_path());
  }
  ::close(lock);
  return out;
}

ChainVerifier::ChainVerifier(const Key& key, int64_t start_seq, std::string start_hash,
                             int64_t tail_seq, std::string tail_hash)
    : key_(key),
      start_seq_(start_seq),
      pred_seq_(start_seq),
      pred_hash_(std::move(start_hash)),
      tail_seq_(tail_seq),
      tail_hash_(std::move(tail_hash)) {}

void ChainVerifier::Report(Finding::Kind k, int64_t seq, int64_t last) {
  findings_.push_back({k, seq, last});
}

void ChainVerifier::Add(Row r) {
  if (pending_) Judge(*pending_, &r);
  pending_ = std::move(r);
}

void ChainVerifier::Judge(const Row& cur, const Row* next) {
  ++rows_;
  if (cur.seq <= pred_seq_) {  // below the checkpoint it should have been removed with
    Report(Finding::Kind::kInserted, cur.seq, cur.seq);
    return;
  }
  const bool gap = cur.seq > pred_seq_ + 1;
  if (gap) Report(Finding::Kind::kMissing, pred_seq_ + 1, cur.seq - 1);
  const bool mac_ok = RowMac(key_, cur) == cur.mac;
  const bool link_ok = cur.prev_hash == pred_hash_;
  const bool past_tail = tail_seq_ > 0 && cur.seq > tail_seq_;
  // The next row links to the row before this one: this one was slipped in.
  const bool skipped = !gap && next != nullptr && next->seq == cur.seq + 1 &&
                       next->prev_hash == pred_hash_ && next->prev_hash != cur.mac;
  if (!(mac_ok && link_ok) && !gap && (skipped || past_tail)) {
    Report(Finding::Kind::kInserted, cur.seq, cur.seq);
    pred_seq_ = cur.seq;  // the chain goes on from the row before it
    return;
  }
  bool reported = false;
  if (!mac_ok) {
    Report(Finding::Kind::kModified, cur.seq, cur.seq);
    reported = true;
  } else if (!link_ok && !gap && !pred_reported_) {
    Report(Finding::Kind::kInserted, cur.seq, cur.seq);
    reported = true;
  }
  if (!tail_hash_.empty() && cur.mac == tail_hash_) tail_seen_ = true;
  if (cur.seq == tail_seq_ && reported) tail_reported_ = true;
  pred_reported_ = reported && !mac_ok;
  pred_seq_ = cur.seq;
  pred_hash_ = cur.mac;
}

std::vector<Finding> ChainVerifier::Finish() {
  if (pending_) {
    Judge(*pending_, nullptr);
    pending_.reset();
  }
  // The head's row found (maybe renumbered by an insertion): no cut.
  if (!tail_seen_ && tail_seq_ > start_seq_) {
    if (tail_seq_ > pred_seq_) {
      Report(Finding::Kind::kMissing, pred_seq_ + 1, tail_seq_);
    } else if (!tail_hash_.empty() && !tail_reported_) {
      // A row at the head's seq, but not the one the head recorded.
      Report(Finding::Kind::kModified, tail_seq_, tail_seq_);
    }
  }
  std::stable_sort(findings_.begin(), findings_.end(),
                   [](const Finding& a, const Finding& b) { return a.seq < b.seq; });
  return findings_;
}

std::string FindingText(const Finding& f, std::string_view head_file) {
  const std::string s = std::to_string(f.seq);
  switch (f.kind) {
    case Finding::Kind::kModified:
      return msg::Format("audit.finding_modified", {s});
    case Finding::Kind::kInserted:
      return msg::Format("audit.finding_inserted", {s});
    case Finding::Kind::kMissing:
      if (f.last == f.seq) return msg::Format("audit.finding_missing", {s});
      return msg::Format("audit.finding_missing_range", {s, std::to_string(f.last)});
    case Finding::Kind::kHeadMissing:
      return msg::Format("audit.finding_head_missing", {head_file});
    case Finding::Kind::kHeadModified:
      return msg::Format("audit.finding_head_modified", {head_file});
    case Finding::Kind::kCheckpointModified:
      return msg::Format("audit.finding_checkpoint_modified", {s});
  }
  return {};
}

}  // namespace amiable::audit
