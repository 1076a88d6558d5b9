#include "mail/message.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/date.h"

namespace amiable::mail {
namespace {

bool PlainAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  // "=?" would read as the start of an encoded-word.
  return s.find("=?") == std::string_view::npos;
}

std::string Base64(std::string_view in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += k[v >> 18];
    out += k[(v >> 12) & 63];
    out += k[(v >> 6) & 63];
    out += k[v & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += k[v >> 18];
    out += k[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += k[v >> 18];
    out += k[(v >> 12) & 63];
    out += k[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// Removes CR and LF (no header injection from a subject or an address).
std::string OneLine(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

}  // namespace

std::string EncodeHeaderText(std::string_view raw, size_t name_length) {
  const std::string text = OneLine(raw);
  if (PlainAscii(text)) return text;
  // Each encoded-word holds whole UTF-8 characters and fits on its line
  // (at most 76 characters); words after the first go on continuation lines.
  std::string out;
  size_t line = name_length + 2;
  size_t i = 0;
  while (i < text.size()) {
    const size_t room = line + 12 < 76 ? 76 - line - 12 : 4;
    const size_t max_bytes = std::max<size_t>(room / 4 * 3, 4);
    size_t j = i;
    while (j < text.size()) {
      const unsigned char c = static_cast<unsigned char>(text[j]);
      size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (j + len > text.size()) len = text.size() - j;
      if (j > i && j - i + len > max_bytes) break;
      j += len;
    }
    const std::string word = "=?UTF-8?B?" + Base64(text.substr(i, j - i)) + "?=";
    if (!out.empty()) {
      out += "\r\n ";
      line = 1;
    }
    out += word;
    line += word.size();
    i = j;
  }
  return out;
}

std::string QuotedPrintable(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  // Split into lines (LF or CRLF), encode each, soft-break at 75 + "=".
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view l = text.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (last && l.empty()) break;  // text ending in a newline
    std::string enc;
    size_t col = 0;
    for (size_t k = 0; k < l.size(); ++k) {
      const unsigned char c = static_cast<unsigned char>(l[k]);
      const bool trailing_space = (c == ' ' || c == '\t') && k + 1 == l.size();
      std::string piece;
      if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !trailing_space)) {
        piece = static_cast<char>(c);
      } else {
        piece = {'=', hex[c >> 4], hex[c & 15]};
      }
      // A leading "." is encoded too, for relays that do not dot-stuff.
      if (col == 0 && c == '.') piece = "=2E";
      if (col + piece.size() > 75) {
        enc += "=\r\n";
        col = 0;
        if (c == '.') piece = "=2E";
      }
      enc += piece;
      col += piece.size();
    }
    out += enc;
    out += "\r\n";
    if (last) break;
    start = end + 1;
  }
  return out;
}

std::string Rfc5322Date(Instant t) {
  static const char* days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // from 1970-01-01
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const long long s = t.time_since_epoch().count();
  long long days_since = s / 86400;
  long long in_day = s % 86400;
  if (in_day < 0) {
    in_day += 86400;
    --days_since;
  }
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days_since}}};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02lld:%02lld:%02lld +0000",
                days[((days_since % 7) + 7) % 7], static_cast<unsigned>(ymd.day()),
                months[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                in_day / 3600, in_day / 60 % 60, in_day % 60);
  return buf;
}

std::string AddressOf(std::string_view mailbox) {
  const size_t lt = mailbox.rfind('<');
  const size_t gt = mailbox.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
    return std::string(mailbox.substr(lt + 1, gt - lt - 1));
  }
  std::string_view a = mailbox;
  while (!a.empty() && a.front() == ' ') a.remove_prefix(1);
  while (!a.empty() && a.back() == ' ') a.remove_suffix(1);
  return std::string(a);
}

std::string BuildMessage(const OutgoingMail& m) {
  // A display name that is not ASCII is encoded; the address stays as is.
  auto mailbox = [](std::string_view v, size_t name_len) {
    const std::string one = OneLine(v);
    const size_t lt = one.rfind('<');
    if (lt == std::string::npos || lt == 0) return one;
    std::string name = one.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    return EncodeHeaderText(name, name_len) + " " + one.substr(lt);
  };
  std::string out;
  out += "From: " + mailbox(m.from, 4) + "\r\n";
  out += "To: " + mailbox(m.to, 2) + "\r\n";
  out += "Subject: " + EncodeHeaderText(m.subject, 7) + "\r\n";
  out += "Date: " + Rfc5322Date(m.date) + "\r\n";
  out += "Message-ID: " + OneLine(m.message_id) + "\r\n";
  if (!m.reply_to.empty()) out += "Reply-To: " + mailbox(m.reply_to, 8) + "\r\n";
  if (!m.in_reply_to.empty()) {
    out += "In-Reply-To: " + OneLine(m.in_reply_to) + "\r\n";
    out += "References: " + OneLine(m.in_reply_to) + "\r\n";
  }
  if (m.automatic) {
    out += "Auto-Submitted: auto-generated\r\n";
    out += "X-Loop: amiable\r\n";
  }
  out += "MIME-Version: 1.0\r\n";
  if (m.body_html.empty()) {
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: quoted-printable\r\n";
    out += "\r\n";
    out += QuotedPrintable(m.body);
    return out;
  }
  // "=_" never occurs in quoted-printable text, so the boundary cannot
  // occur in the parts.
  std::string boundary = "=_amiable_";
  for (char c : m.message_id) {
    if (std::isalnum(static_cast<unsigned char>(c))) boundary += c;
  }
  if (boundary.size() > 60) boundary.resize(60);
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
  out += "\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += QuotedPrintable(m.body);
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/html; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += QuotedPrintable(m.body_html);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace amiable::mail
