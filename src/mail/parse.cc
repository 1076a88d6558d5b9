// ParseMessage (parse.h) over GMime 3. GMime does the MIME structure, the
// transfer encodings and the RFC 2047 / RFC 2231 decoding; this file chooses
// the body, names the attachments and recognises automatic messages.
#include "mail/parse.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include "core/messages.h"
#include "mail/charset.h"

namespace amiable::mail {
namespace {

constexpr int kMaxDepth = 64;          // MIME nesting we walk
constexpr size_t kMaxNameBytes = 200;  // of an attachment name

struct GObjectUnref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(void* p) const { g_free(p); }
};
using GChars = std::unique_ptr<char, GFree>;

std::string Str(const char* s) { return s ? std::string(s) : std::string(); }
std::string Take(char* s) {
  GChars owned(s);
  return Str(s);
}

GMimeParserOptions* Options() {
  static std::once_flag once;
  static GMimeParserOptions* options = nullptr;
  std::call_once(once, [] {
    g_mime_init();
    options = g_mime_parser_options_new();
    g_mime_parser_options_set_address_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_rfc2047_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_allow_addresses_without_domain(options, TRUE);
    // Raw 8-bit header text: UTF-8 when it is, else what it almost always is.
    const char* fallback[] = {"utf-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(options, fallback);
  });
  return options;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
std::string TrimCopy(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}
bool ContainsNoCase(std::string_view hay, std::string_view needle) {
  return Lower(hay).find(Lower(needle)) != std::string::npos;
}

// One line of valid UTF-8: controls and line breaks become spaces, runs of
// white space one space, trimmed.
std::string OneLine(std::string_view s) {
  const std::string v = ValidUtf8(s);
  std::string out;
  bool space = false;
  for (char c : v) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F || c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Bytes(GMimeStream* mem) {
  GByteArray* a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  if (!a || a->len == 0) return {};
  return std::string(reinterpret_cast<const char*>(a->data), a->len);
}

// The decoded content of a leaf part (transfer encoding undone).
std::string Content(GMimePart* part) {
  GMimeDataWrapper* w = g_mime_part_get_content(part);
  if (!w) return {};
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(w, mem.get());
  return Bytes(mem.get());
}

// The text of a whole object as it would be written (a forwarded message).
std::string Serialized(GMimeObject* o) {
  if (!o) return {};
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_object_write_to_stream(o, nullptr, mem.get());
  return Bytes(mem.get());
}

std::string MimeType(GMimeObject* o) {
  GMimeContentType* ct = g_mime_object_get_content_type(o);
  if (!ct) return "application/octet-stream";
  return Lower(Take(g_mime_content_type_get_mime_type(ct)));
}

std::string Header(GMimeObject* o, const char* name) {
  return Str(g_mime_object_get_header(o, name));
}

std::string RawHeader(GMimeObject* o, const char* name) {
  GMimeHeaderList* list = g_mime_object_get_header_list(o);
  GMimeHeader* h = list ? g_mime_header_list_get_header(list, name) : nullptr;
  return h ? Str(g_mime_header_get_raw_value(h)) : std::string();
}

// Every value of header `name` (decoded).
std::vector<std::string> Headers(GMimeObject* o, std::string_view name) {
  std::vector<std::string> out;
  GMimeHeaderList* list = g_mime_object_get_header_list(o);
  const int n = list ? g_mime_header_list_get_count(list) : 0;
  for (int i = 0; i < n; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    if (h && Lower(Str(g_mime_header_get_name(h))) == Lower(name))
      out.push_back(Str(g_mime_header_get_value(h)));
  }
  return out;
}

std::string Bracketed(std::string_view id) {
  std::string s = OneLine(id);
  if (s.empty()) return s;
  if (!s.starts_with('<')) s.insert(s.begin(), '<');
  if (!s.ends_with('>')) s += '>';
  return s;
}

std::string MessageId(GMimeMessage* m) {
  const char* id = g_mime_message_get_message_id(m);
  if (id && *id) return Bracketed(id);
  // GMime found no id in it: keep what is written, if anything.
  std::string raw = OneLine(Header(GMIME_OBJECT(m), "Message-ID"));
  if (raw.empty() || raw.find(' ') != std::string::npos) return {};
  return Bracketed(raw);
}

void AddIds(std::vector<std::string>& out, const std::string& text) {
  if (text.empty()) return;
  GMimeReferences* refs = g_mime_references_parse(Options(), text.c_str());
  if (!refs) return;
  const int n = g_mime_references_length(refs);
  for (int i = 0; i < n; ++i) {
    const std::string id = Bracketed(Str(g_mime_references_get_message_id(refs, i)));
    if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  g_mime_references_free(refs);
}

// The first mailbox of a list (members of a group included).
bool FirstMailbox(InternetAddressList* list, MailAddress& out, int depth = 0) {
  if (!list || depth > 4) return false;
  const int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
      const std::string addr =
          OneLine(Str(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia))));
      if (addr.empty()) continue;
      out.address = addr;
      out.name = OneLine(Str(internet_address_get_name(ia)));
      if (out.name.size() >= 2 && out.name.front() == '"' && out.name.back() == '"') {
        out.name = TrimCopy(out.name.substr(1, out.name.size() - 2));
      }
      return true;
    }
    if (INTERNET_ADDRESS_IS_GROUP(ia) &&
        FirstMailbox(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out,
                     depth + 1)) {
      return true;
    }
  }
  return false;
}

bool AddressFromHeader(GMimeObject* o, const char* name, MailAddress& out) {
  const std::string raw = RawHeader(o, name);
  if (TrimCopy(raw).empty()) return false;
  // Raw 8-bit text (an address in Latin-1): read again once made UTF-8.
  for (const std::string& text : {raw, ToUtf8(raw, "")}) {
    InternetAddressList* list = internet_address_list_parse(Options(), text.c_str());
    const bool found = FirstMailbox(list, out);
    if (list) g_object_unref(list);
    if (found) return true;
  }
  return false;
}

std::string BaseName(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  std::string s = OneLine(name);
  // Names a file system or a download would refuse.
  for (char& c : s) {
    if (c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|') c = '_';
  }
  while (!s.empty() && (s.front() == '.' || s.front() == ' ')) s.erase(s.begin());
  if (s.size() > kMaxNameBytes) {
    size_t cut = kMaxNameBytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    const size_t dot = s.rfind('.');
    const std::string ext = dot != std::string::npos && s.size() - dot <= 10 ? s.substr(dot) : "";
    s = s.substr(0, cut > ext.size() ? cut - ext.size() : cut) + ext;
  }
  return s;
}

// Body text: CRLF and CR to LF, format=flowed soft breaks joined, trailing
// white space of each line and trailing blank lines dropped.
std::string NormaliseText(std::string_view text, bool flowed, bool delsp) {
  std::string lf;
  lf.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      lf += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      lf += text[i];
    }
  }
  std::string out;
  out.reserve(lf.size());
  size_t start = 0;
  bool soft = false;  // the previous line ended with a flowed soft break
  while (start <= lf.size()) {
    size_t end = lf.find('\n', start);
    if (end == std::string::npos) end = lf.size();
    std::string_view line(lf.data() + start, end - start);
    if (flowed) {
      if (line.starts_with(' ')) line.remove_prefix(1);  // space-stuffing
      const bool this_soft = line.ends_with(' ') && line != "-- ";
      if (this_soft) {
        if (delsp) line.remove_suffix(1);
        out += line;
        soft = true;
        start = end + 1;
        continue;
      }
      soft = false;
    }
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    out += line;
    out += '\n';
    start = end + 1;
  }
  (void)soft;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t'))
    out.pop_back();
  size_t lead = 0;
  while (lead < out.size() && out[lead] == '\n') ++lead;
  return out.substr(lead);
}

std::string PartText(GMimeObject* o) {
  const std::string bytes = Content(GMIME_PART(o));
  return ToUtf8(bytes, Str(g_mime_object_get_content_type_parameter(o, "charset")));
}

struct Leaf {
  GMimeObject* object;
  GMimeObject* alternative;  // nearest multipart/alternative ancestor, or null
  bool message;              // a message/rfc822 (or news, global) part
  bool attachment;           // disposition attachment or a file name
  std::string type;          // lowercase type/subtype
};

void Collect(GMimeObject* o, GMimeObject* alternative, int depth, std::vector<Leaf>& out) {
  if (!o || depth > kMaxDepth || out.size() > 10000) return;
  if (GMIME_IS_MULTIPART(o)) {
    GMimeMultipart* mp = GMIME_MULTIPART(o);
    GMimeContentType* ct = g_mime_object_get_content_type(o);
    GMimeObject* alt =
        ct && g_mime_content_type_is_type(ct, "multipart", "alternative") ? o : alternative;
    const int n = g_mime_multipart_get_count(mp);
    for (int i = 0; i < n; ++i) Collect(g_mime_multipart_get_part(mp, i), alt, depth + 1, out);
    return;
  }
  Leaf leaf{o, alternative, GMIME_IS_MESSAGE_PART(o), false, MimeType(o)};
  if (leaf.type == "application/octet-stream") {
    // "Content-Type: text; charset=..." (no subtype) is text/plain to readers.
    const std::string declared = Lower(TrimCopy(Header(o, "Content-Type")));
    if (declared.starts_with("text") &&
        (declared.size() == 4 || declared[4] == ';' || declared[4] == ' ')) {
      leaf.type = "text/plain";
    }
  }
  if (GMIME_IS_PART(o)) {
    GMimePart* p = GMIME_PART(o);
    const char* filename = g_mime_part_get_filename(p);
    leaf.attachment = g_mime_part_is_attachment(p) || (filename && *filename);
  }
  out.push_back(std::move(leaf));
}

ReceivedAttachment Attachment(const Leaf& leaf, size_t n) {
  ReceivedAttachment a;
  GMimeObject* o = leaf.object;
  const bool declared = g_mime_object_get_header(o, "Content-Type") != nullptr;
  a.declared_type = declared ? leaf.type : "application/octet-stream";
  if (leaf.message) {
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
    a.bytes = inner ? Serialized(GMIME_OBJECT(inner)) : std::string();
    const std::string subject =
        inner ? BaseName(Str(g_mime_message_get_subject(inner))) : std::string();
    a.name = subject.empty() ? "message-" + std::to_string(n) + ".eml" : subject + ".eml";
    a.content_type = "message/rfc822";
    a.extension = "eml";
    return a;
  }
  if (GMIME_IS_PART(o)) {
    a.bytes = Content(GMIME_PART(o));
    a.name = BaseName(Str(g_mime_part_get_filename(GMIME_PART(o))));
  }
  const SniffedType t = SniffType(a.bytes, a.declared_type, a.name);
  a.content_type = t.content_type;
  a.extension = t.extension;
  if (a.name.empty()) a.name = "piece-jointe-" + std::to_string(n) + "." + t.extension;
  return a;
}

// Delivery reports --------------------------------------------------------

// The fields of a message/delivery-status body, unfolded, names lowercased.
std::vector<std::pair<std::string, std::string>> DsnFields(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start < body.size() && out.size() < 1000) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    start = end + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    if ((line[0] == ' ' || line[0] == '\t') && !out.empty()) {
      out.back().second += " " + TrimCopy(line);
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    out.emplace_back(Lower(TrimCopy(line.substr(0, colon))), TrimCopy(line.substr(colon + 1)));
  }
  return out;
}

// "5.1.1"-like status code inside `s`.
bool HasPermanentStatus(std::string_view s) {
  for (size_t i = 0; i + 4 < s.size(); ++i) {
    if (s[i] != '5' || s[i + 1] != '.' ||
        (i > 0 && (std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '.'))) {
      continue;
    }
    size_t j = i + 2;
    size_t d = 0;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) && d < 3) ++j, ++d;
    if (d == 0 || j >= s.size() || s[j] != '.') continue;
    ++j;
    d = 0;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) && d < 3) ++j, ++d;
    if (d > 0) return true;
  }
  return false;
}

// An SMTP reply code ("550 ", "421-") or an enhanced status inside `line`.
bool HasSmtpCode(std::string_view line) {
  for (size_t i = 0; i + 3 < line.size(); ++i) {
    if ((line[i] == '4' || line[i] == '5') &&
        std::isdigit(static_cast<unsigned char>(line[i + 1])) &&
        std::isdigit(static_cast<unsigned char>(line[i + 2])) &&
        (line[i + 3] == ' ' || line[i + 3] == '-') &&
        (i == 0 || !std::isalnum(static_cast<unsigned char>(line[i - 1])))) {
      return true;
    }
  }
  return HasPermanentStatus(line);
}

std::string FirstCodeLine(std::string_view text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (HasSmtpCode(line)) return OneLine(line).substr(0, 500);
  }
  return {};
}

bool LooksLikeBounceText(std::string_view subject, std::string_view body) {
  static constexpr std::string_view kWords[] = {"undeliver",
                                                "undelivered",
                                                "delivery status",
                                                "delivery failure",
                                                "delivery has failed",
                                                "returned mail",
                                                "returned to sender",
                                                "failure notice",
                                                "non remis",
                                                "non distribu",
                                                "could not be delivered",
                                                "mail delivery",
                                                "delivery notification",
                                                "permanent error"};
  const std::string text = Lower(std::string(subject) + "\n" + std::string(body.substr(0, 20000)));
  for (std::string_view w : kWords) {
    if (text.find(w) != std::string::npos) return true;
  }
  return HasPermanentStatus(body.substr(0, 20000));
}

// The Message-ID written in a block of headers (text/rfc822-headers).
std::string MessageIdInHeaders(std::string_view headers) {
  // Only the header block: opensmtpd's text/rfc822-headers part holds the
  // whole message, body included.
  size_t end = headers.size();
  for (size_t at = 0; at < headers.size();) {
    size_t eol = headers.find('\n', at);
    if (eol == std::string_view::npos) break;
    std::string_view line = headers.substr(at, eol - at);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty() && at > 0) {
      end = at;
      break;
    }
    at = eol + 1;
  }
  for (const auto& [name, value] : DsnFields(headers.substr(0, end))) {
    if (name == "message-id") {
      std::vector<std::string> ids;
      AddIds(ids, value);
      if (!ids.empty()) return ids.front();
    }
  }
  return {};
}

bool IsAutoSubject(std::string_view subject) {
  const std::string s = Lower(subject);
  for (std::string_view w :
       {"auto-reply", "autoreply", "auto reply", "automatic reply", "réponse automatique",
        "reponse automatique", "out of office", "out of the office", "absent du bureau",
        "absence du bureau", "abwesenheit"}) {
    if (s.find(w) != std::string::npos) return true;
  }
  // "Absence" alone or as a prefix ("Absence : ...", "Absence jusqu'au ..."),
  // not "Absence de réponse", which a person writes.
  if (s.starts_with("absence")) {
    const std::string_view rest = std::string_view(s).substr(7);
    if (rest.empty() || rest.starts_with(" :") || rest.starts_with(":") ||
        rest.starts_with(" jusqu") || rest.starts_with(" prolong") || rest.starts_with(" du ")) {
      return true;
    }
  }
  return false;
}

// The header block ends at the first blank line; a sender that forgot it
// starts the body with a line that is neither a field ("Name: value") nor a
// continuation, which GMime drops. The bytes with the blank line put there
// (as Python's email package reads it), nullopt when the block is well
// formed. A leading mbox "From " line is left to GMime.
std::optional<std::string> WithHeaderEnd(std::string_view raw) {
  size_t at = 0;
  if (raw.starts_with("From ")) {
    at = raw.find('\n');
    if (at == std::string_view::npos) return std::nullopt;
    ++at;
  }
  for (bool first = true; at < raw.size(); first = false) {
    size_t eol = raw.find('\n', at);
    std::string_view line = raw.substr(at, eol == std::string_view::npos ? raw.size() - at
                                                                          : eol - at);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) return std::nullopt;  // the blank line is there
    const bool continuation = !first && (line[0] == ' ' || line[0] == '\t');
    size_t n = 0;
    while (n < line.size() && line[n] > ' ' && line[n] < 127 && line[n] != ':') ++n;
    size_t c = n;
    while (c < line.size() && (line[c] == ' ' || line[c] == '\t')) ++c;
    const bool field = n > 0 && c < line.size() && line[c] == ':';
    if (!continuation && !field) {
      if (first) return std::nullopt;  // no header at all: GMime says so
      const bool crlf = at >= 2 && raw[at - 2] == '\r';
      std::string out;
      out.reserve(raw.size() + 2);
      out.append(raw.substr(0, at)).append(crlf ? "\r\n" : "\n").append(raw.substr(at));
      return out;
    }
    if (eol == std::string_view::npos) return std::nullopt;
    at = eol + 1;
  }
  return std::nullopt;
}

}  // namespace

Result<ReceivedMessage> ParseMessage(std::string_view input) {
  const std::optional<std::string> repaired = WithHeaderEnd(input);
  const std::string_view raw = repaired ? std::string_view(*repaired) : input;
  const auto unreadable = [](std::string_view reason) {
    return Fail(msg::Invalid("mail.unreadable", {}, {reason}));
  };
  if (TrimCopy(raw.substr(0, 4096)).empty() && TrimCopy(raw).empty())
    return unreadable("message vide");

  GMimeParserOptions* options = Options();
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  g_mime_parser_set_respect_content_length(parser.get(), FALSE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options));
  if (!message) return unreadable("aucun en-tête");
  GMimeObject* mo = GMIME_OBJECT(message.get());
  const auto count = [](GMimeObject* o) {
    GMimeHeaderList* h = o ? g_mime_object_get_header_list(o) : nullptr;
    return h ? g_mime_header_list_get_count(h) : 0;
  };
  // GMime keeps the Content-* headers on the top part, not the message.
  if (count(mo) == 0 && count(g_mime_message_get_mime_part(message.get())) == 0) {
    return unreadable("aucun en-tête");
  }

  ReceivedMessage m;
  m.message_id = MessageId(message.get());
  AddIds(m.refers_to, RawHeader(mo, "In-Reply-To"));
  AddIds(m.refers_to, RawHeader(mo, "References"));
  m.subject = OneLine(Str(g_mime_message_get_subject(message.get())));
  const bool has_sender =
      AddressFromHeader(mo, "From", m.from) || AddressFromHeader(mo, "Sender", m.from) ||
      AddressFromHeader(mo, "Reply-To", m.from) || AddressFromHeader(mo, "Return-Path", m.from);
  if (!has_sender) {
    // "From: MAILER DAEMON <>": a name without an address, kept for a report.
    m.from.name = OneLine(Header(mo, "From"));
    if (const size_t lt = m.from.name.find('<'); lt != std::string::npos)
      m.from.name = TrimCopy(m.from.name.substr(0, lt));
  }
  const std::string date = RawHeader(mo, "Date");
  if (!TrimCopy(date).empty()) {
    if (GDateTime* dt = g_mime_utils_header_decode_date(date.c_str())) {
      m.date = Instant(std::chrono::seconds(g_date_time_to_unix(dt)));
      g_date_time_unref(dt);
    }
  }

  // The leaves, then the body among them, then the attachments.
  std::vector<Leaf> leaves;
  Collect(g_mime_message_get_mime_part(message.get()), nullptr, 0, leaves);
  const auto is_body = [](const Leaf& l, std::string_view type) {
    return !l.message && !l.attachment && l.type == type;
  };
  const Leaf* body = nullptr;
  for (const Leaf& l : leaves) {
    if (is_body(l, "text/plain")) {
      body = &l;
      break;
    }
  }
  if (!body) {
    for (const Leaf& l : leaves) {
      if (is_body(l, "text/html")) {
        body = &l;
        break;
      }
    }
  }
  std::vector<std::string> texts;  // the body, then other inline text/plain parts
  if (body) {
    const std::string text = PartText(body->object);
    if (body->type == "text/html") {
      texts.push_back(HtmlToText(text));
    } else {
      const std::string format =
          Lower(Str(g_mime_object_get_content_type_parameter(body->object, "format")));
      const std::string delsp =
          Lower(Str(g_mime_object_get_content_type_parameter(body->object, "delsp")));
      texts.push_back(NormaliseText(text, format == "flowed", delsp == "yes"));
    }
  }
  std::vector<std::string> status_fields;  // message/delivery-status bodies
  std::string headers_text;                // text/rfc822-headers
  bool has_delivery_status = false;
  for (const Leaf& l : leaves) {
    if (&l == body) continue;
    const bool text = l.type.starts_with("text/") && !l.attachment && !l.message;
    // The alternatives of the body are other renderings of it (an invitation's
    // text/calendar alternative is a file of its own).
    const bool rendering = l.type == "text/plain" || l.type == "text/html" ||
                           l.type == "text/enriched" || l.type == "text/richtext" ||
                           l.type == "text/watch-html";
    if (text && rendering && body && body->alternative && l.alternative == body->alternative)
      continue;
    if (text && l.type == "text/plain") {
      texts.push_back(NormaliseText(PartText(l.object), false, false));
      continue;
    }
    // An empty inline text part (a blank HTML twin, a spacer) is nothing.
    if (text && GMIME_IS_PART(l.object) && TrimCopy(Content(GMIME_PART(l.object))).empty())
      continue;
    ReceivedAttachment a = Attachment(l, m.attachments.size() + 1);
    if (l.type == "message/delivery-status" || l.type == "message/global-delivery-status") {
      has_delivery_status = true;
      status_fields.push_back(a.bytes);
    } else if (l.type == "text/rfc822-headers" || l.type == "message/global-headers") {
      headers_text += a.bytes + "\n";
    }
    m.attachments.push_back(std::move(a));
  }
  // A multipart whose boundary never comes: its prologue is all there is.
  GMimeObject* root = g_mime_message_get_mime_part(message.get());
  if (leaves.empty() && root && GMIME_IS_MULTIPART(root)) {
    const char* prologue = g_mime_multipart_get_prologue(GMIME_MULTIPART(root));
    if (prologue) texts.push_back(NormaliseText(ToUtf8(prologue, ""), false, false));
  }
  for (const std::string& t : texts) {
    if (t.empty()) continue;
    if (!m.body_text.empty()) m.body_text += "\n\n";
    m.body_text += t;
  }

  // Automatic messages.
  for (const std::string& loop : Headers(mo, "X-Loop")) {
    if (ContainsNoCase(loop, "amiable")) m.automatic = Automatic::kLoop;
  }
  GMimeObject* top = g_mime_message_get_mime_part(message.get());
  GMimeContentType* top_ct = top ? g_mime_object_get_content_type(top) : nullptr;
  const bool report = top_ct && g_mime_content_type_is_type(top_ct, "multipart", "report");
  const std::string report_type =
      Lower(Str(top ? g_mime_object_get_content_type_parameter(top, "report-type") : nullptr));
  const std::string local = Lower(m.from.address.substr(0, m.from.address.find('@')));
  const bool daemon = local == "mailer-daemon" || local == "postmaster" || local == "mail-daemon" ||
                      ContainsNoCase(m.from.name, "mail delivery") ||
                      ContainsNoCase(m.from.name, "mailer-daemon") ||
                      ContainsNoCase(m.from.name, "mailer daemon");
  const bool dsn = (report && report_type == "delivery-status") || has_delivery_status ||
                   (daemon && LooksLikeBounceText(m.subject, m.body_text));
  const std::string auto_submitted = Lower(OneLine(Header(mo, "Auto-Submitted")));
  const std::string precedence = Lower(OneLine(Header(mo, "Precedence")));
  const bool auto_reply =
      (!auto_submitted.empty() && !auto_submitted.starts_with("no")) || precedence == "bulk" ||
      precedence == "junk" || precedence == "list" || precedence == "auto_reply" ||
      g_mime_object_get_header(mo, "X-Autoreply") != nullptr ||
      g_mime_object_get_header(mo, "X-Autorespond") != nullptr || IsAutoSubject(m.subject) ||
      (report && report_type == "disposition-notification");
  if (m.automatic == Automatic::kNo) {
    if (dsn) {
      m.automatic = Automatic::kDeliveryReport;
    } else if (auto_reply) {
      m.automatic = Automatic::kAutoReply;
    }
  }

  if (!has_sender && m.automatic != Automatic::kDeliveryReport)
    return unreadable("aucune adresse d'expéditeur");

  if (m.automatic == Automatic::kDeliveryReport) {
    const auto add = [&](const std::string& id) {
      if (!id.empty() && std::find(m.reported_message_ids.begin(), m.reported_message_ids.end(),
                                   id) == m.reported_message_ids.end()) {
        m.reported_message_ids.push_back(id);
      }
    };
    for (const Leaf& l : leaves) {
      if (!l.message) continue;
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(l.object));
      if (inner) add(MessageId(inner));
    }
    if (!headers_text.empty()) add(MessageIdInHeaders(headers_text));
    if (status_fields.empty()) {
      // A bounce in plain text: the original headers are often quoted in it.
      std::string_view b = m.body_text;
      const std::string lower = Lower(b);
      size_t at = 0;
      while ((at = lower.find("message-id:", at)) != std::string::npos) {
        const size_t end = b.find('\n', at);
        std::vector<std::string> ids;
        AddIds(ids,
               std::string(b.substr(at + 11, end == std::string_view::npos ? std::string_view::npos
                                                                           : end - at - 11)));
        for (const std::string& id : ids) add(id);
        at += 11;
        if (m.reported_message_ids.size() > 20) break;
      }
    }
    for (const std::string& id : m.refers_to) add(id);
    std::string status;
    for (const std::string& s : status_fields) {
      for (const auto& [name, value] : DsnFields(s)) {
        if (name == "action" && Lower(value).starts_with("failed")) m.delivery_failed = true;
        if (name == "status") {
          if (HasPermanentStatus(value) && TrimCopy(value).starts_with('5'))
            m.delivery_failed = true;
          if (status.empty()) status = OneLine(value);
        }
        if (name == "diagnostic-code" && m.diagnostic.empty()) {
          const size_t semi = value.find(';');
          m.diagnostic =
              OneLine(semi == std::string::npos ? value : value.substr(semi + 1)).substr(0, 500);
        }
      }
    }
    if (m.diagnostic.empty()) m.diagnostic = FirstCodeLine(m.body_text);
    if (m.diagnostic.empty()) m.diagnostic = status;
    if (status_fields.empty() && HasPermanentStatus(m.body_text.substr(0, 20000)))
      m.delivery_failed = true;
    if (status_fields.empty() && !m.diagnostic.empty()) {
      const std::string_view d = m.diagnostic;
      for (size_t i = 0; i + 3 < d.size(); ++i) {
        if (d[i] == '5' && std::isdigit(static_cast<unsigned char>(d[i + 1])) &&
            std::isdigit(static_cast<unsigned char>(d[i + 2])) &&
            (d[i + 3] == ' ' || d[i + 3] == '-') &&
            (i == 0 || !std::isalnum(static_cast<unsigned char>(d[i - 1])))) {
          m.delivery_failed = true;
        }
      }
    }
  }
  return m;
}

}  // namespace amiable::mail
