// CurlImapClient: libcurl's IMAP client on one kept easy handle (so one
// connection, one login, and no new SELECT while the folder is unchanged:
// libcurl remembers the selected mailbox of a connection).
//
// - Fetch uses the URL form ("imap://h/INBOX/;UID=n"): libcurl hands the
//   message literal to the write callback byte for byte (a custom FETCH
//   would drop it).
// - Uids, Move, Create run custom commands; the untagged replies ("* SEARCH
//   1 2 3") reach the write callback, the tagged one the debug callback.
#include "mail/imap.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "core/messages.h"
#include "mail/curl_io.h"
#include "mail/mailer.h"

namespace amiable::mail {
namespace {

using curl_io::ReadChunk;
using curl_io::Upload;
using curl_io::WriteChunk;

// Keeps the first tagged refusal ("A004 NO [NONEXISTENT] ...").
int Debug(CURL*, curl_infotype type, char* data, size_t size, void* userp) {
  static const bool trace = std::getenv("AMIABLE_IMAP_TRACE") != nullptr;
  if (trace && (type == CURLINFO_HEADER_IN || type == CURLINFO_HEADER_OUT || type == CURLINFO_TEXT)) {
    std::string_view line(data, std::min<size_t>(size, 300));
    // The credentials are never printed.
    if (type == CURLINFO_HEADER_OUT && (line.find(" AUTHENTICATE ") != std::string_view::npos ||
                                        line.find(" LOGIN ") != std::string_view::npos)) {
      line = line.substr(0, line.find(' ', line.find(' ') + 1));
      std::fprintf(stderr, "imap > %.*s (...)\n", static_cast<int>(line.size()), line.data());
    } else {
      std::fprintf(stderr, "imap %s %.*s",
                   type == CURLINFO_HEADER_IN ? "<" : type == CURLINFO_HEADER_OUT ? ">" : "*",
                   static_cast<int>(line.size()), line.data());
    }
  }
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  // The first refusal of the request (a failed command is followed by
  // libcurl's LOGOUT, whose OK must not hide it).
  auto* keep = static_cast<std::string*>(userp);
  if (keep->empty() && !line.empty() && line.front() != '*' && line.front() != '+') {
    const size_t sp = line.find(' ');
    const std::string_view status =
        sp == std::string::npos ? std::string_view{} : std::string_view(line).substr(sp + 1, 3);
    if (status.starts_with("NO") || status.starts_with("BAD")) *keep = line;
  }
  return 0;
}

// "A004 NO [NONEXISTENT] Mailbox doesn't exist: X" -> "NO [NONEXISTENT] ...".
std::string WithoutTag(std::string_view line) {
  const size_t sp = line.find(' ');
  return std::string(sp == std::string_view::npos ? line : line.substr(sp + 1));
}

std::string Quote(std::string_view s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  q += '"';
  return q;
}

bool ContainsNoCase(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}

// A folder name that could break a command (CR, LF, NUL...) or is empty.
Status CheckFolder(std::string_view folder) {
  if (folder.empty() || std::any_of(folder.begin(), folder.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
      })) {
    return Fail(msg::Invalid("mail.imap_folder_name", "folder", {folder}));
  }
  return {};
}

class CurlImapClient final : public ImapClient {
 public:
  explicit CurlImapClient(ImapSettings s) : s_(std::move(s)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl_ = curl_easy_init();
    while (!s_.url.empty() && s_.url.back() == '/') s_.url.pop_back();
  }
  ~CurlImapClient() override {
    if (curl_ != nullptr) curl_easy_cleanup(curl_);
  }

  Result<std::vector<uint32_t>> Uids(std::string_view folder) override {
    if (auto c = CheckFolder(folder); !c) return Fail(c.error());
    // libcurl's reply reader (pingpong.c, "Excessive server response line
    // length") keeps the first 40 bytes of a line longer than its 16 KB
    // buffer: one "* SEARCH" line of every UID could be cut short on a
    // mailbox of a few thousand messages (not reproduced: 3000 UIDs make
    // 14 KB). So the UIDs are asked by
    // windows of kSearchWindow messages (by sequence number), the count
    // first (STATUS, which also tells an unknown folder).
    auto status = Run(s_.url + "/", "STATUS " + Quote(ToImapUtf7(folder)) + " (MESSAGES)", {},
                      folder);
    if (!status) return Fail(std::move(status.error()));
    uint64_t count = 0;
    if (const size_t p = status->find("MESSAGES "); p != std::string::npos) {
      std::from_chars(status->data() + p + 9, status->data() + status->size(), count);
    }
    std::vector<uint32_t> uids;
    for (uint64_t lo = 1;; lo += kSearchWindow) {
      const uint64_t hi = lo + kSearchWindow - 1;
      const std::string set = count <= kSearchWindow ? std::string("ALL")
                              : hi >= count          ? std::to_string(lo) + ":*"
                                                     : std::to_string(lo) + ":" + std::to_string(hi);
      auto out = Run(FolderUrl(folder), "UID SEARCH " + set, {}, folder);
      if (!out) return Fail(std::move(out.error()));
      ParseSearch(*out, uids);
      if (count <= kSearchWindow || hi >= count) break;
    }
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    return uids;
  }

  static void ParseSearch(std::string_view rest, std::vector<uint32_t>& uids) {
    while (!rest.empty()) {
      const size_t eol = rest.find('\n');
      std::string_view line = rest.substr(0, eol);
      rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
      if (!line.starts_with("* SEARCH")) continue;
      line.remove_prefix(8);
      while (!line.empty()) {
        while (!line.empty() && (line.front() == ' ' || line.front() == '\r')) line.remove_prefix(1);
        uint32_t v = 0;
        auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), v);
        if (ec != std::errc{}) break;
        uids.push_back(v);
        line.remove_prefix(p - line.data());
      }
    }
  }

  Result<std::string> Fetch(std::string_view folder, uint32_t uid) override {
    if (auto c = CheckFolder(folder); !c) return Fail(c.error());
    auto out = Run(FolderUrl(folder) + "/;UID=" + std::to_string(uid), {}, {}, folder);
    if (!out) return Fail(std::move(out.error()));
    return std::move(*out);
  }

  Status Move(std::string_view folder, std::span<const uint32_t> uids,
              std::string_view to) override {
    if (auto c = CheckFolder(folder); !c) return c;
    if (auto c = CheckFolder(to); !c) return c;
    if (uids.empty()) return {};
    // libcurl 7.88 counts the untagged lines of one reply against its
    // 300 KB header cap in a way that grows with the square of their number
    // (a move of 500 messages, 8 KB of "* n EXPUNGE", is refused as
    // "Too large response headers"): at most kMoveBatch messages per command.
    std::vector<uint32_t> sorted(uids.begin(), uids.end());
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    for (size_t i = 0; i < sorted.size(); i += kMoveBatch) {
      const size_t n = std::min(kMoveBatch, sorted.size() - i);
      if (auto s = MoveBatch(folder, std::span<const uint32_t>(sorted).subspan(i, n), to); !s) {
        return s;
      }
    }
    return {};
  }

  Status Append(std::string_view folder, std::string_view raw) override {
    if (auto c = CheckFolder(folder); !c) return c;
    auto r = Run(FolderUrl(folder), {}, raw, folder, {}, /*upload=*/true);
    if (!r) return Fail(std::move(r.error()));
    return {};
  }

  Status Create(std::string_view folder) override {
    if (auto c = CheckFolder(folder); !c) return c;
    auto r = Run(s_.url + "/", "CREATE " + Quote(ToImapUtf7(folder)), {}, {});
    if (r) return {};
    if (ContainsNoCase(last_line_, "ALREADYEXISTS") || ContainsNoCase(last_line_, "already exists")) {
      return {};
    }
    return Fail(std::move(r.error()));
  }

 private:
  static constexpr size_t kMoveBatch = 100;
  static constexpr uint64_t kSearchWindow = 1000;  // at most 11 KB of UIDs a line

  Status MoveBatch(std::string_view folder, std::span<const uint32_t> uids, std::string_view to) {
    const std::string set = UidSet(uids);
    const std::string dest = Quote(ToImapUtf7(to));
    auto caps = Capabilities();
    if (!caps) return Fail(std::move(caps.error()));
    if (ContainsNoCase(*caps, " MOVE")) {
      auto r = Run(FolderUrl(folder), "UID MOVE " + set + " " + dest, {}, folder, to);
      if (!r) return Fail(std::move(r.error()));
      return {};
    }
    if (auto r = Run(FolderUrl(folder), "UID COPY " + set + " " + dest, {}, folder, to); !r) {
      return Fail(std::move(r.error()));
    }
    if (auto r = Run(FolderUrl(folder), "UID STORE " + set + " +FLAGS.SILENT (\\Deleted)", {},
                     folder);
        !r) {
      return Fail(std::move(r.error()));
    }
    const bool uidplus = ContainsNoCase(*caps, " UIDPLUS");
    auto r = Run(FolderUrl(folder), uidplus ? "UID EXPUNGE " + set : std::string("EXPUNGE"), {},
                 folder);
    if (!r) return Fail(std::move(r.error()));
    return {};
  }

  std::string FolderUrl(std::string_view folder) const {
    const std::string name = ToImapUtf7(folder);
    char* esc = curl_easy_escape(curl_, name.data(), static_cast<int>(name.size()));
    std::string url = s_.url + "/" + (esc ? esc : "");
    curl_free(esc);
    return url;
  }

  Result<std::string> Capabilities() {
    if (!capabilities_.empty()) return capabilities_;
    auto r = Run(s_.url + "/", "CAPABILITY", {}, {});
    if (!r) return Fail(std::move(r.error()));
    capabilities_ = " " + *r;
    return capabilities_;
  }

  Error Unavailable(std::string_view why) const {
    return msg::Make(Error::Code::kUnavailable, "mail.imap_failed", {}, {why});
  }

  // One request: custom command `custom` (or the URL's own: FETCH, or
  // APPEND when `upload`). `folder` and `to` name the folders an error may
  // be about. Returns what the write callback received.
  Result<std::string> Run(const std::string& url, const std::string& custom,
                          std::string_view upload_data, std::string_view folder,
                          std::string_view to = {}, bool upload = false) {
    if (curl_ == nullptr) return Fail(Unavailable("curl_easy_init"));
    CURL* c = curl_;
    curl_easy_reset(c);
    std::string out;
    last_line_.clear();
    char errbuf[CURL_ERROR_SIZE] = {};
    Upload up{upload_data, 0};
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps");
    if (!IsLoopbackUrl(s_.url)) curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (!s_.user.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, s_.user.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, s_.password.c_str());
    }
    if (!custom.empty()) curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, custom.c_str());
    if (upload) {
      curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadChunk);
      curl_easy_setopt(c, CURLOPT_READDATA, &up);
      curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(upload_data.size()));
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, WriteChunk);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, s_.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, Debug);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, &last_line_);
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // feeds Debug; it prints nothing
    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) return out;
    const std::string reply = WithoutTag(last_line_);
    std::string why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    // A folder that does not exist: SELECT (or APPEND, or the target of
    // COPY/MOVE) answered NO [NONEXISTENT] / [TRYCREATE].
    const bool missing = ContainsNoCase(reply, "NONEXISTENT") || ContainsNoCase(reply, "TRYCREATE") ||
                         ContainsNoCase(reply, "doesn't exist") ||
                         ContainsNoCase(why, "Select failed");
    if (missing && rc != CURLE_LOGIN_DENIED) {
      return Fail(msg::NotFound("mail.imap_no_folder",
                                {to.empty() || ContainsNoCase(why, "Select failed") ? folder : to}));
    }
    if (missing && ContainsNoCase(why, "Select failed")) {
      return Fail(msg::NotFound("mail.imap_no_folder", {folder}));
    }
    if (rc == CURLE_REMOTE_FILE_NOT_FOUND) {
      return Fail(msg::NotFound("mail.imap_no_message", {}));
    }
    if (!reply.empty() && !ContainsNoCase(why, reply)) why += " (" + reply + ")";
    return Fail(Unavailable(why));
  }

  ImapSettings s_;
  CURL* curl_ = nullptr;
  std::string last_line_;
  std::string capabilities_;
};

void AppendBase64(std::string& out, const std::vector<uint8_t>& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (bytes.size() - i == 1) {
    const uint32_t v = bytes[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (bytes.size() - i == 2) {
    const uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
}

}  // namespace

std::string ToImapUtf7(std::string_view s) {
  std::string out;
  std::vector<uint8_t> utf16;  // big-endian bytes of the pending run
  auto flush = [&] {
    if (utf16.empty()) return;
    out += '&';
    AppendBase64(out, utf16);
    out += '-';
    utf16.clear();
  };
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c <= 0x7e) {
      flush();
      out += c == '&' ? std::string("&-") : std::string(1, static_cast<char>(c));
      ++i;
      continue;
    }
    // Decode one UTF-8 code point (invalid bytes taken as Latin-1).
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0xf0) {
      cp = c & 0x07;
      len = 4;
    } else if (c >= 0xe0) {
      cp = c & 0x0f;
      len = 3;
    } else if (c >= 0xc0) {
      cp = c & 0x1f;
      len = 2;
    }
    if (len > 1) {
      if (i + len > s.size()) {
        cp = c;
        len = 1;
      } else {
        for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
      }
    }
    i += len;
    auto push16 = [&](uint32_t u) {
      utf16.push_back(static_cast<uint8_t>(u >> 8));
      utf16.push_back(static_cast<uint8_t>(u & 0xff));
    };
    if (cp >= 0x10000) {
      cp -= 0x10000;
      push16(0xd800 + (cp >> 10));
      push16(0xdc00 + (cp & 0x3ff));
    } else {
      push16(cp);
    }
  }
  flush();
  return out;
}

std::string UidSet(std::span<const uint32_t> uids) {
  std::vector<uint32_t> v(uids.begin(), uids.end());
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  std::string out;
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    while (j + 1 < v.size() && v[j + 1] == v[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(v[i]);
    if (j > i) out += ":" + std::to_string(v[j]);
    i = j + 1;
  }
  return out;
}

std::unique_ptr<ImapClient> NewCurlImapClient(ImapSettings settings) {
  return std::make_unique<CurlImapClient>(std::move(settings));
}

}  // namespace amiable::mail
