// Outgoing messages as RFC 5322 text: the headers amiable sends (From, To,
// Subject encoded per RFC 2047 when not ASCII, Date, Message-ID, MIME-Version,
// Reply-To, In-Reply-To and References when answering, Auto-Submitted and
// X-Loop for automatic messages) and a text/plain UTF-8 body in
// quoted-printable — with a text/html alternative (multipart/alternative)
// when body_html is set — every line ending in CRLF, no line over 78
// characters.
// Pure functions, thread-safe.
#ifndef AMIABLE_MAIL_MESSAGE_H_
#define AMIABLE_MAIL_MESSAGE_H_

#include <string>
#include <string_view>

#include "calendar/clock.h"

namespace amiable::mail {

struct OutgoingMail {
  std::string from;        // "address" or "Name <address>"
  std::string to;          // address
  std::string subject;     // UTF-8
  std::string body;        // UTF-8 text, lines ending in \n or \r\n
  std::string message_id;  // "<...>", stable across retries
  Instant date{};
  bool automatic = false;  // Auto-Submitted: auto-generated (RFC 3834), X-Loop: amiable
  std::string reply_to;     // address, or empty
  std::string in_reply_to;  // "<...>" of the message answered, or empty (also References)
  std::string body_html;    // UTF-8 HTML; empty: text only
};

// The whole message, ready for SMTP DATA.
std::string BuildMessage(const OutgoingMail& m);

// A header value as RFC 2047 encoded-words (UTF-8, base64) when it holds
// anything but printable ASCII, folded so that no line exceeds 76
// characters after `name_length` + 2 (the "Name: " before it); else as is.
std::string EncodeHeaderText(std::string_view text, size_t name_length);

// The body in quoted-printable (RFC 2045), CRLF line ends, soft line breaks
// so that no line exceeds 76 characters.
std::string QuotedPrintable(std::string_view text);

// RFC 5322 date in UTC: "Tue, 04 Mar 2025 10:00:00 +0000".
std::string Rfc5322Date(Instant t);

// The bare address of "Name <address>" or "address".
std::string AddressOf(std::string_view mailbox);

}  // namespace amiable::mail

#endif  // AMIABLE_MAIL_MESSAGE_H_
