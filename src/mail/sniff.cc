// SniffType (parse.h): the type of an attachment by what it holds, so that a
// document is downloaded with an extension that matches its content.
#include <string>
#include <string_view>

#include "mail/parse.h"

namespace amiable::mail {
namespace {

// Every type SniffType names but the text ones, with its extensions (the
// usual one first): the one table of types and extensions, which downloads
// also read (ExtensionOfType, HasExtensionOf).
struct TypeExt {
  std::string_view type;
  std::string_view ext;
};
constexpr TypeExt kTypes[] = {
    {"application/pdf", "pdf"},
    {"image/png", "png"},
    {"image/jpeg", "jpg"},
    {"image/jpeg", "jpeg"},
    {"image/jpeg", "jpe"},
    {"image/gif", "gif"},
    {"image/bmp", "bmp"},
    {"image/tiff", "tif"},
    {"image/tiff", "tiff"},
    {"image/webp", "webp"},
    {"image/heic", "heic"},
    {"image/heic", "heif"},
    {"video/mp4", "mp4"},
    {"application/vnd.oasis.opendocument.text", "odt"},
    {"application/vnd.oasis.opendocument.spreadsheet", "ods"},
    {"application/vnd.oasis.opendocument.presentation", "odp"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
    {"application/zip", "zip"},
    {"application/msword", "doc"},
    {"application/vnd.ms-excel", "xls"},
    {"application/vnd.ms-powerpoint", "ppt"},
    {"application/vnd.ms-outlook", "msg"},
    {"application/rtf", "rtf"},
    {"application/gzip", "gz"},
    {"application/x-7z-compressed", "7z"},
    {"audio/mpeg", "mp3"},
    {"audio/ogg", "ogg"},
    {"message/rfc822", "eml"},
    {"application/octet-stream", "bin"},
};

// The type and its usual extension, from kTypes.
SniffedType Of(std::string_view type) {
  for (const TypeExt& t : kTypes) {
    if (t.type == type) return {std::string(t.type), std::string(t.ext)};
  }
  return {"application/octet-stream", "bin"};
}

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
      if (kind.starts_with("text")) return Of("application/vnd.oasis.opendocument.text");
      if (kind.starts_with("spreadsheet"))
        return Of("application/vnd.oasis.opendocument.spreadsheet");
      if (kind.starts_with("presentation"))
        return Of("application/vnd.oasis.opendocument.presentation");
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
      return Of("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    }
    if (entry.starts_with("xl/")) {
      return Of("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }
    if (entry.starts_with("ppt/")) {
      return Of("application/vnd.openxmlformats-officedocument.presentationml.presentation");
    }
  }
  return Of("application/zip");
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

std::string_view ExtensionOfType(std::string_view content_type) {
  const std::string type = Lower(content_type.substr(0, content_type.find(';')));
  for (const TypeExt& t : kTypes) {
    if (t.type == type) return t.ext;
  }
  for (const TextType& t : kTextTypes) {
    if (t.type == type) return t.ext;
  }
  if (type == "text/x-vcard") return "vcf";
  return "bin";
}

bool HasExtensionOf(std::string_view name, std::string_view content_type) {
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 >= name.size()) return false;
  const std::string ext = Lower(name.substr(dot + 1));
  const std::string type = Lower(content_type.substr(0, content_type.find(';')));
  for (const TypeExt& t : kTypes) {
    if (t.type == type && t.ext == ext) return true;
  }
  for (const TextType& t : kTextTypes) {
    if (t.type == type && t.ext == ext) return true;
  }
  return false;
}

std::string NameWithExtensionOf(std::string_view name, std::string_view content_type) {
  std::string out(name.empty() ? std::string_view("document") : name);
  if (HasExtensionOf(out, content_type)) return out;
  const size_t dot = out.rfind('.');
  if (dot != std::string::npos && dot > 0) {
    const std::string_view ext = std::string_view(out).substr(dot + 1);
    bool letters = false, plain = !ext.empty() && ext.size() <= 5;
    for (char c : ext) {
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      letters = letters || letter;
      plain = plain && (letter || (c >= '0' && c <= '9'));
    }
    if (plain && letters) out.resize(dot);
  }
  out += '.';
  out += ExtensionOfType(content_type);
  return out;
}

SniffedType SniffType(std::string_view b, std::string_view declared_in, std::string_view name) {
  const std::string declared = Lower(declared_in.substr(0, declared_in.find(';')));
  const std::string_view head = b.substr(0, std::min<size_t>(b.size(), 1024));
  if (head.find("%PDF-") != std::string_view::npos) return Of("application/pdf");
  if (At(b, 0, "\x89PNG\r\n\x1a\n")) return Of("image/png");
  if (At(b, 0, "\xFF\xD8\xFF")) return Of("image/jpeg");
  if (At(b, 0, "GIF87a") || At(b, 0, "GIF89a")) return Of("image/gif");
  if (At(b, 0, "BM") && b.size() >= 26 && b.substr(6, 4) == std::string_view("\0\0\0\0", 4)) {
    return Of("image/bmp");
  }
  if (At(b, 0, std::string_view("II*\0", 4)) || At(b, 0, std::string_view("MM\0*", 4))) {
    return Of("image/tiff");
  }
  if (At(b, 0, "RIFF") && At(b, 8, "WEBP")) return Of("image/webp");
  if (At(b, 4, "ftyp")) {
    if (At(b, 8, "heic") || At(b, 8, "heix") || At(b, 8, "mif1")) return Of("image/heic");
    return Of("video/mp4");
  }
  if (At(b, 0, "PK\x03\x04") || At(b, 0, "PK\x05\x06")) return Zip(b);
  if (At(b, 0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    if (Contains(b, Utf16("WordDocument"))) return Of("application/msword");
    if (Contains(b, Utf16("Workbook")) || Contains(b, Utf16("Book")))
      return Of("application/vnd.ms-excel");
    if (Contains(b, Utf16("PowerPoint Document"))) return Of("application/vnd.ms-powerpoint");
    if (Contains(b, Utf16("__substg1.0_"))) return Of("application/vnd.ms-outlook");
    return Of("application/octet-stream");
  }
  if (At(b, 0, "{\\rtf")) return Of("application/rtf");
  if (At(b, 0, "\x1F\x8B")) return Of("application/gzip");
  if (At(b, 0, "7z\xBC\xAF\x27\x1C")) return Of("application/x-7z-compressed");
  if (At(b, 0, "ID3") || At(b, 0, "\xFF\xFB")) return Of("audio/mpeg");
  if (At(b, 0, "OggS")) return Of("audio/ogg");
  const bool headers_only =
      declared == "text/rfc822-headers" || declared == "message/global-headers";
  if (!headers_only && LooksLikeMail(b, declared == "message/rfc822" ? 1 : 2))
    return Of("message/rfc822");

  // Text: the name's extension, else the declared type.
  if (!LooksLikeText(b)) return Of("application/octet-stream");
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
  return Of("application/octet-stream");
}

}  // namespace amiable::mail
