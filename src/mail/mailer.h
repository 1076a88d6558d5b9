// Sending one message by SMTP. The Mailer interface lets the sender be
// tested with a fake; CurlMailer is the real one (libcurl).
//
// CurlMailer:
// - url: "smtp://host:port" or "smtps://host:port" (implicit TLS). With
//   smtp:// to a host that is not loopback (127.0.0.0/8, ::1, localhost),
//   STARTTLS is required (CURLUSESSL_ALL): a server without it fails the
//   send rather than receive the message in clear. On loopback it is plain.
// - user/password: SMTP AUTH when user is not empty.
// - One connection kept and reused across sends (one curl handle per
//   CurlMailer; curl closes it after 118 s idle): a reused connection that
//   fails without a reply, or with a temporary (4xx) one, is retried once on
//   a new one.
// - Thread-safe: sends through one CurlMailer are serialized (a mutex);
//   use one CurlMailer per thread to send in parallel. curl_global_init is
//   done once, on first use.
#ifndef AMIABLE_MAIL_MAILER_H_
#define AMIABLE_MAIL_MAILER_H_

#include <memory>
#include <string>
#include <string_view>

namespace amiable::mail {

struct SendResult {
  bool ok = false;
  // Not ok: the server's last reply ("550 5.1.1 <x@y>: Recipient address
  // rejected") when it answered, else the transport error ("Couldn't
  // connect to server"). Never empty when !ok.
  std::string reply;
  // The SMTP reply code (0 when the server did not answer). 5xx is a
  // permanent failure: retrying will not help.
  int code = 0;
  bool permanent() const { return code >= 500 && code < 600; }
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Sends `message` (RFC 5322, CRLF line ends) from envelope sender `from`
  // to the one envelope recipient `to`. ok only when the server accepted it
  // (250 after DATA).
  virtual SendResult Send(std::string_view from, std::string_view to,
                          std::string_view message) = 0;
};

struct SmtpSettings {
  std::string url;
  std::string user;
  std::string password;
  long timeout_seconds = 30;
};

std::unique_ptr<Mailer> NewCurlMailer(SmtpSettings settings);

// The relay of the messages of funds without SMTP settings when the server
// has none either: every send fails (to be retried) with the French reason
// "mail.no_relay", so that the rows wait, visibly, until a relay is set.
std::unique_ptr<Mailer> NewNoRelayMailer();

// Whether `url` names a loopback host (STARTTLS not required).
bool IsLoopbackUrl(std::string_view url);

}  // namespace amiable::mail

#endif  // AMIABLE_MAIL_MAILER_H_
