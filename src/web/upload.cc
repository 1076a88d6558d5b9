#include "web/upload.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "mail/parse.h"
#include "service/file_sync_batch.h"

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
  std::string name = SafeFileName(file_name);
  if (!mail::HasExtensionOf(name, content_type)) {
    name += ".";
    name += ExtensionOf(content_type);
  }
  return name;
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

Result<std::string> DocumentFolder::Save(std::string_view bytes) const {
  if (sodium_init() < 0) return Fail(Error::Internal("libsodium unavailable"));
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Fail(Error::Internal("cannot create the document folder: " + ec.message()));
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  const std::string key = hex;
  const std::string final_path = dir_ + "/" + key;
  const std::string tmp_path = final_path + ".tmp";
  // In a batch (service/file_sync_batch.h) the syncs are left to its Flush,
  // one for all the batch's files, before the commit that refers to them.
  service::FileSyncBatch* batch = service::FileSyncBatch::Current();
  int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(SysError("cannot create " + tmp_path));
  if (!WriteAll(fd, bytes) || (batch == nullptr && ::fsync(fd) != 0)) {
    Error e = SysError("cannot write " + tmp_path);
    ::close(fd);
    ::unlink(tmp_path.c_str());
    return Fail(e);
  }
  ::close(fd);
  if (::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
    Error e = SysError("cannot rename " + tmp_path);
    ::unlink(tmp_path.c_str());
    return Fail(e);
  }
  if (batch != nullptr) {
    batch->Defer(dir_);
    return key;
  }
  int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return key;
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

}  // namespace amiable::web
