// Received messages read into values (issue 8, item 1): the headers a case
// needs (Message-ID and the ids it answers, subject, sender, date), the body
// as UTF-8 text, every attachment with its original name and sniffed type,
// and whether the message is automatic (auto-reply, delivery report, loop).
//
// GMime 3 does the MIME work; its headers stay out of this one. Pure
// functions of their input, thread-safe (GMime is initialised once, on first
// use). ParseMessage never crashes, hangs or leaks on any input: it is
// fuzzed (src/mail/mime_fuzzer.cc, scripts/fuzz-mime).
#ifndef AMIABLE_MAIL_PARSE_H_
#define AMIABLE_MAIL_PARSE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/clock.h"
#include "core/error.h"

namespace amiable::mail {

struct MailAddress {
  std::string name;     // display name, RFC 2047 decoded, UTF-8; "" when none
  std::string address;  // as written, trimmed (no angle brackets)
};

struct ReceivedAttachment {
  // Original file name, RFC 2231 / RFC 2047 decoded, path parts removed;
  // never empty: "piece-jointe-N" (+ "." + extension of the sniffed type)
  // when the part names none; a forwarded message/rfc822 part: its decoded
  // Subject + ".eml" (or "message-N.eml"). N counts attachments from 1.
  // Characters a file system refuses (: * ? " < > |) become '_', leading
  // dots go, at most 200 bytes (the extension kept).
  std::string name;
  // Lowercase "type/subtype" as declared ("application/octet-stream" when
  // none).
  std::string declared_type;
  std::string content_type;  // from SniffType(bytes, declared_type, name)
  std::string extension;     // of content_type, without dot ("pdf", "eml", "bin"...)
  // Decoded content (base64/QP undone); a message/rfc822 part: its raw text.
  std::string bytes;
};

enum class Automatic { kNo, kAutoReply, kDeliveryReport, kLoop };

struct ReceivedMessage {
  // "<...>" as in the header (angle brackets added if missing), "" when none.
  std::string message_id;
  // In-Reply-To then References ids, each "<...>", no duplicates, in order.
  std::vector<std::string> refers_to;
  std::string subject;  // RFC 2047 decoded, unfolded, trimmed, UTF-8
  MailAddress from;     // From (first mailbox); if absent: Sender, then Reply-To, then Return-Path
  std::optional<Instant> date;  // Date header, nullopt when absent/unparsable
  // The text/plain part (first one not an attachment), else the text/html
  // part turned into text (HtmlToText); UTF-8 from its charset (invalid bytes
  // replaced, never invalid UTF-8 out); CRLF -> LF; trailing spaces of each
  // line and leading/trailing blank lines trimmed; format=flowed joined.
  // Further inline text/plain parts (Apple Mail splits a body around an
  // image) follow, after a blank line. A multipart whose boundary never
  // comes: its prologue. "" when there is no text.
  std::string body_text;
  // Every other leaf part that is an attachment or not text, plus each
  // message/rfc822 part as ONE attachment (not descended into). Inline images
  // of an HTML body count as attachments; the text/html alternative of a
  // text/plain body does not. A part is an attachment when its disposition
  // says so or it names a file (inline text files included). Other text
  // parts (text/calendar, a DSN's message/delivery-status and
  // text/rfc822-headers) are attachments too; empty inline text parts are
  // dropped. In MIME order.
  std::vector<ReceivedAttachment> attachments;
  // kDeliveryReport: multipart/report (report-type delivery-status), or a
  // From of MAILER-DAEMON/postmaster with a DSN-like body; kAutoReply:
  // Auto-Submitted other than "no", Precedence bulk/junk/list/auto_reply,
  // X-Autoreply, X-Autorespond, "Auto-Reply"/"Réponse automatique"/
  // "Out of office"/"Absence" subjects; kLoop: X-Loop naming amiable
  // (amiable's own messages). kLoop wins over kDeliveryReport over kAutoReply.
  // Also kDeliveryReport: a message/delivery-status part anywhere (opensmtpd
  // sends multipart/mixed); kAutoReply: a read receipt (multipart/report,
  // report-type disposition-notification). "Absence" counts alone or as
  // "Absence :", "Absence du ...", not in "Absence de réponse".
  Automatic automatic = Automatic::kNo;
  // Delivery reports only: the Message-IDs of the original message (from the
  // message/rfc822 or text/rfc822-headers part, plus refers_to), whether it
  // reports a definitive failure (Action: failed, or a 5.x.x Status), and
  // the diagnostic ("550 5.1.1 <x@y>: user unknown"), one line.
  std::vector<std::string> reported_message_ids;
  bool delivery_failed = false;
  std::string diagnostic;
};

// Parses raw bytes (RFC 5322 / MIME, any line ends). Fails with kInvalid and
// message_id "mail.unreadable" (a French reason as {0}: "message vide",
// "aucun en-tête", "aucune adresse d'expéditeur") only when there is nothing
// usable; a broken but readable message parses with what can be read.
// A delivery report without any sender address ("From: MAILER DAEMON <>")
// still parses: from.address is then "" (from.name what From says).
// Time grows with size and MIME nesting (GMime compares each line with the
// open boundaries): the caller caps the size of what it reads.
Result<ReceivedMessage> ParseMessage(std::string_view raw);

struct SniffedType {
  std::string content_type;  // lowercase "type/subtype"
  std::string extension;     // without dot
};

// By magic bytes first (pdf, png, jpeg, gif, bmp, tiff, webp, zip; zip-based
// docx/xlsx/pptx/odt/ods by their inner names; OLE doc/xls; rtf;
// message/rfc822 when it looks like a mail), then the declared type or the
// name's extension for text types (text/plain, text/html, text/csv...), else
// application/octet-stream "bin".
SniffedType SniffType(std::string_view bytes, std::string_view declared, std::string_view name);

// The usual extension of a type SniffType names ("jpg" for image/jpeg,
// "txt" for text/plain), "bin" for any other; parameters ignored.
std::string_view ExtensionOfType(std::string_view content_type);
// True when `name` ends with "." and an extension of `content_type`
// (case-insensitive: "photo.jpeg" and "SCAN.PDF" fit image/jpeg and
// application/pdf).
bool HasExtensionOf(std::string_view name, std::string_view content_type);
// `name` with the extension of `content_type`: kept when it already is one
// of that type's ("photo.jpeg" image/jpeg), else replacing the name's own
// extension ("x.html" image/png -> "x.png", "facture.pdf" image/png ->
// "facture.png"), else appended ("scan" application/pdf -> "scan.pdf"). An
// extension is 1 to 5 ASCII letters or digits after the last dot, at least
// one a letter ("relevé 12.03" -> "relevé 12.03.pdf"). "document" when the
// name is empty.
std::string NameWithExtensionOf(std::string_view name, std::string_view content_type);

// HTML to readable text: drops script/style/head, block elements and <br>
// to line breaks, list items "- ", entities decoded (common named ones and
// numeric), whitespace collapsed, links kept as "text (url)" when they differ.
std::string HtmlToText(std::string_view html);

}  // namespace amiable::mail

#endif  // AMIABLE_MAIL_PARSE_H_
