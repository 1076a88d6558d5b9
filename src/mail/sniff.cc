// SniffType (parse.h): the type of an attachment by what it holds, so that a
// document is downloaded with an extension that matches its content.
#include <string>
#include <string_view>

#include "mail/parse.h"

namespace amiable::mail {
namespace {

bool At(std::string_view b, size_t at, std::string_view magic) {
  return b.size() >= at + magic.size() && b.substr(at, magic.size()) == magic;
}

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// UTF-16LE spelling of an ASCII name, as OLE directories store it.
std::string Utf16(std::string_view s) {
  std::string out;
  for (char c : s) {
    out += c;
    out += '\0';
  }
  return out;
}

bool Contains(std::string_view b, std::string_view needle) {
  return b.find(needle) != std::string_view::npos;
}

SniffedType Zip(std::string_view b) {
  // OpenDocument: the first entry, stored, is "mimetype" holding the type.
  if (At(b, 30, "mimetype")) {
    constexpr std::string_view kOdf = "application/vnd.oasis.opendocument.";
    const std::string_view head = b.substr(0, std::min<size_t>(b.size(), 200));
    const size_t at = head.find(kOdf);
    if (at != std::string_view::npos) {
      const std::string_view kind = head.substr(at + kOdf.size());
      if (kind.starts_with("text")) return {"application/vnd.oasis.opendocument.text", "odt"};
      if (kind.starts_with("spreadsheet"))
        return {"application/vnd.oasis.opendocument.spreadsheet", "ods"};
      if (kind.starts_with("presentation"))
        return {"application/vnd.oasis.opendocument.presentation", "odp"};
    }
  }
  // Office Open XML: by the entry names of the local headers and the
  // central directory (a signature inside compressed data is unlikely, and
  // at worst names a zip a document).
  const auto u16 = [&](size_t at) {
    return static_cast<size_t>(static_cast<unsigned char>(b[at])) |
           static_cast<size_t>(static_cast<unsigned char>(b[at + 1])) << 8;
  };
  size_t pos = 0;
  for (int seen = 0; seen < 4096; ++seen) {
    pos = b.find("PK", pos);
    if (pos == std::string_view::npos || pos + 46 > b.size()) break;
    std::string_view entry;
    if (b[pos + 2] == '\x03' && b[pos + 3] == '\x04') {
      entry = b.substr(pos + 30, std::min(u16(pos + 26), b.size() - pos - 30));
    } else if (b[pos + 2] == '\x01' && b[pos + 3] == '\x02') {
      entry = b.substr(pos + 46, std::min(u16(pos + 28), b.size() - pos - 46));
    }
    pos += 2;
    if (entry.starts_with("word/")) {
      return {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"};
    }
    if (entry.starts_with("xl/")) {
      return {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"};
    }
    if (entry.starts_with("ppt/")) {
      return {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"};
    }
  }
  return {"application/zip", "zip"};
}

// A header block: "Name: value" lines up to a blank line, naming at least
// `needed` of the headers every mail has.
bool LooksLikeMail(std::string_view b, int needed) {
  static constexpr std::string_view kKnown[] = {
      "from",         "to", "subject",  "date",         "message-id", "received",    "return-path",
      "mime-version", "cc", "reply-to", "content-type", "sender",     "delivered-to"};
  size_t i = 0;
  if (b.starts_with("From ")) i = std::min(b.size(), b.find('\n') + 1);  // mbox separator
  int known = 0, lines = 0;
  while (i < b.size() && lines < 200) {
    size_t end = b.find('\n', i);
    if (end == std::string_view::npos) end = b.size();
    std::string_view line = b.substr(i, end - i);
    if (line.ends_with('\r')) line.remove_suffix(1);
    i = end + 1;
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') {
      if (lines == 0) return false;
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return false;
    for (char c : line.substr(0, colon)) {
      if (c <= ' ' || c > '~') return false;
    }
    ++lines;
    const std::string name = Lower(line.substr(0, colon));
    for (std::string_view k : kKnown) {
      if (name == k) ++known;
    }
  }
  return known >= needed;
}

struct TextType {
  std::string_view ext;
  std::string_view type;
};
constexpr TextType kTextTypes[] = {
    {"txt", "text/plain"},
    {"text", "text/plain"},
    {"log", "text/plain"},
    {"html", "text/html"},
    {"htm", "text/html"},
    {"csv", "text/csv"},
    {"ics", "text/calendar"},
    {"vcf", "text/vcard"},
    {"xml", "text/xml"},
    {"md", "text/markdown"},
    {"tsv", "text/tab-separated-values"},
};

bool LooksLikeText(std::string_view b) {
  const std::string_view head = b.substr(0, std::min<size_t>(b.size(), 8192));
  return head.find('\0') == std::string_view::npos;
}

}  // namespace

SniffedType SniffType(std::string_view b, std::string_view declared_in, std::string_view name) {
  const std::string declared = Lower(declared_in.substr(0, declared_in.find(';')));
  const std::string_view head = b.substr(0, std::min<size_t>(b.size(), 1024));
  if (head.find("%PDF-") != std::string_view::npos) return {"application/pdf", "pdf"};
  if (At(b, 0, "\x89PNG\r\n\x1a\n")) return {"image/png", "png"};
  if (At(b, 0, "\xFF\xD8\xFF")) return {"image/jpeg", "jpg"};
  if (At(b, 0, "GIF87a") || At(b, 0, "GIF89a")) return {"image/gif", "gif"};
  if (At(b, 0, "BM") && b.size() >= 26 && b.substr(6, 4) == std::string_view("\0\0\0\0", 4)) {
    return {"image/bmp", "bmp"};
  }
  if (At(b, 0, std::string_view("II*\0", 4)) || At(b, 0, std::string_view("MM\0*", 4))) {
    return {"image/tiff", "tif"};
  }
  if (At(b, 0, "RIFF") && At(b, 8, "WEBP")) return {"image/webp", "webp"};
  if (At(b, 4, "ftyp")) {
    if (At(b, 8, "heic") || At(b, 8, "heix") || At(b, 8, "mif1")) return {"image/heic", "heic"};
    return {"video/mp4", "mp4"};
  }
  if (At(b, 0, "PK\x03\x04") || At(b, 0, "PK\x05\x06")) return Zip(b);
  if (At(b, 0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    if (Contains(b, Utf16("WordDocument"))) return {"application/msword", "doc"};
    if (Contains(b, Utf16("Workbook")) || Contains(b, Utf16("Book")))
      return {"application/vnd.ms-excel", "xls"};
    if (Contains(b, Utf16("PowerPoint Document"))) return {"application/vnd.ms-powerpoint", "ppt"};
    if (Contains(b, Utf16("__substg1.0_"))) return {"application/vnd.ms-outlook", "msg"};
    return {"application/octet-stream", "bin"};
  }
  if (At(b, 0, "{\\rtf")) return {"application/rtf", "rtf"};
  if (At(b, 0, "\x1F\x8B")) return {"application/gzip", "gz"};
  if (At(b, 0, "7z\xBC\xAF\x27\x1C")) return {"application/x-7z-compressed", "7z"};
  if (At(b, 0, "ID3") || At(b, 0, "\xFF\xFB")) return {"audio/mpeg", "mp3"};
  if (At(b, 0, "OggS")) return {"audio/ogg", "ogg"};
  const bool headers_only =
      declared == "text/rfc822-headers" || declared == "message/global-headers";
  if (!headers_only && LooksLikeMail(b, declared == "message/rfc822" ? 1 : 2))
    return {"message/rfc822", "eml"};

  // Text: the name's extension, else the declared type.
  if (!LooksLikeText(b)) return {"application/octet-stream", "bin"};
  std::string base(name.substr(
      name.find_last_of("/\\") == std::string_view::npos ? 0 : name.find_last_of("/\\") + 1));
  const size_t dot = base.rfind('.');
  if (dot != std::string::npos) {
    const std::string ext = Lower(base.substr(dot + 1));
    for (const TextType& t : kTextTypes) {
      if (ext == t.ext)
        return {std::string(t.type),
                std::string(t.ext == "text" || t.ext == "log" ? "txt" : t.ext)};
    }
  }
  // Delivery reports and their header blocks read as text.
  if (declared.starts_with("message/") || declared == "text/rfc822-headers")
    return {"text/plain", "txt"};
  if (declared.starts_with("text/")) {
    for (const TextType& t : kTextTypes) {
      if (declared == t.type) return {declared, std::string(t.ext == "htm" ? "html" : t.ext)};
    }
    if (declared == "text/x-vcard") return {"text/vcard", "vcf"};
    return {"text/plain", "txt"};
  }
  return {"application/octet-stream", "bin"};
}

}  // namespace amiable::mail
