// CurlMailer: libcurl's SMTP client. The server's reply text is taken from
// curl's debug callback (the last line it received), since curl reports only
// the code.
#include <curl/curl.h>

#include <cstring>
#include <mutex>

#include "mail/mailer.h"

#include "core/messages.h"
#include "mail/curl_io.h"

namespace amiable::mail {
namespace {

using curl_io::ReadChunk;
using curl_io::Upload;

int Debug(CURL*, curl_infotype type, char* data, size_t size, void* userp) {
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (!line.empty()) *static_cast<std::string*>(userp) = line;
  return 0;
}

class CurlMailer final : public Mailer {
 public:
  explicit CurlMailer(SmtpSettings s) : s_(std::move(s)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }
  ~CurlMailer() override {
    if (curl_ != nullptr) curl_easy_cleanup(curl_);  // QUIT, then close
  }

  SendResult Send(std::string_view from, std::string_view to, std::string_view message) override {
    std::lock_guard<std::mutex> l(mu_);
    // One handle kept across sends, so that its connection (and login) is
    // reused: a new connection per message cost about 250 ms on loopback
    // with opensmtpd (docs/benchmarks.md, "Courrier"). A reused connection
    // that the server closed meanwhile fails without a reply: sent again
    // once on a new connection (at least once; same Message-ID); so is one
    // refused with a temporary reply (4xx: opensmtpd takes 100 messages per
    // session, then answers 452), which means the server did not take it.
    const bool reused = curl_ != nullptr;
    SendResult r = SendOnce(from, to, message, false);
    if (!r.ok && !r.permanent() && reused) r = SendOnce(from, to, message, true);
    return r;
  }

 private:
  SendResult SendOnce(std::string_view from, std::string_view to, std::string_view message,
                      bool fresh) {
    SendResult r;
    if (curl_ == nullptr) curl_ = curl_easy_init();
    CURL* curl = curl_;
    if (curl == nullptr) {
      r.reply = "curl_easy_init failed";
      return r;
    }
    const std::string f = "<" + std::string(from) + ">";
    const std::string t = "<" + std::string(to) + ">";
    curl_slist* rcpt = curl_slist_append(nullptr, t.c_str());
    Upload up{message, 0};
    std::string last_line;
    char errbuf[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, s_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (!IsLoopbackUrl(s_.url)) curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (!s_.user.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, s_.user.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, s_.password.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, f.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadChunk);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, s_.timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, Debug);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &last_line);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);  // feeds Debug; it prints nothing
    const CURLcode rc = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    // The handle keeps pointers to these: cleared before they go.
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
    curl_easy_setopt(curl, CURLOPT_READDATA, nullptr);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, nullptr);
    curl_slist_free_all(rcpt);
    if (rc != CURLE_OK) {
      // A failed transfer may leave the connection in an unknown state: the
      // next send starts on a new one.
      curl_easy_cleanup(curl_);
      curl_ = nullptr;
    }
    if (rc == CURLE_OK) {
      r.ok = true;
      r.code = static_cast<int>(code);
      return r;
    }
    r.code = static_cast<int>(code);
    // The server's words when it answered with an error, else curl's.
    if (code >= 400 && !last_line.empty()) {
      r.reply = last_line;
    } else {
      r.reply = errbuf[0] ? errbuf : curl_easy_strerror(rc);
      if (code >= 400) r.reply = std::to_string(code) + " " + r.reply;
    }
    return r;
  }

  SmtpSettings s_;
  std::mutex mu_;
  CURL* curl_ = nullptr;  // kept: its connection is reused
};

}  // namespace

bool IsLoopbackUrl(std::string_view url) {
  size_t p = url.find("://");
  if (p == std::string_view::npos) return false;
  std::string_view rest = url.substr(p + 3);
  if (const size_t at = rest.find('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  std::string_view host;
  if (!rest.empty() && rest.front() == '[') {
    host = rest.substr(1, rest.find(']') - 1);
  } else {
    host = rest.substr(0, rest.find_first_of(":/"));
  }
  if (host == "localhost" || host == "::1") return true;
  if (!host.starts_with("127.")) return false;
  for (char c : host) {
    if (c != '.' && (c < '0' || c > '9')) return false;
  }
  return true;
}

std::unique_ptr<Mailer> NewCurlMailer(SmtpSettings settings) {
  return std::make_unique<CurlMailer>(std::move(settings));
}

namespace {
class NoRelayMailer final : public Mailer {
 public:
  SendResult Send(std::string_view, std::string_view, std::string_view) override {
    SendResult r;
    r.reply = msg::Format("mail.no_relay");
    return r;
  }
};
}  // namespace

std::unique_ptr<Mailer> NewNoRelayMailer() { return std::make_unique<NoRelayMailer>(); }

}  // namespace amiable::mail
