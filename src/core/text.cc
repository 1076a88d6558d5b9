#include "core/text.h"

#include <iconv.h>

#include <cctype>
#include <cerrno>
#include <cstdint>

namespace amiable {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

// The base letters of U+00C0..U+00FF (lower case; 0 for the multiplication
// and division signs and the letters without one: they are kept).
constexpr char kLatin1Base[64 + 1] =
    "aaaaaaaceeeeiiii"   // À..Ï
    "dnooooo\0ouuuuyts"  // Ð..ß (× kept, Þ→t, ß→s)
    "aaaaaaaceeeeiiii"   // à..ï
    "dnooooo\0ouuuuyty";  // ð..ÿ (÷ kept)

void AppendFolded(std::string& out, uint32_t cp, std::string_view raw) {
  if (cp < 0x80) {
    out += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
  } else if (cp >= 0xC0 && cp <= 0xFF && kLatin1Base[cp - 0xC0] != '\0') {
    if (cp == 0xC6 || cp == 0xE6) {
      out += "ae";
    } else if (cp == 0xDF) {
      out += "ss";
    } else {
      out += kLatin1Base[cp - 0xC0];
    }
  } else if (cp == 0x152 || cp == 0x153) {
    out += "oe";
  } else if (cp == 0x178) {
    out += 'y';
  } else if (cp == 0x2019 || cp == 0x2018) {
    out += '\'';
  } else {
    out.append(raw);
  }
}

}  // namespace

std::string FoldForMatch(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t n = 1;
    if (c >= 0xC2 && c <= 0xDF && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      n = 3;
    }
    const bool is_space = (cp < 0x80 && std::isspace(static_cast<int>(cp))) || cp == 0xA0 ||
                          cp == 0x202F || cp == 0x2009;
    if (is_space) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      AppendFolded(out, cp, s.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::optional<std::string> IconvToUtf8(std::string_view bytes, const char* charset) {
  iconv_t cd = iconv_open("UTF-8", charset);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  char buf[4096];
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  while (in_left > 0) {
    char* o = buf;
    size_t o_left = sizeof buf;
    const size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    out.append(buf, static_cast<size_t>(o - buf));
    if (r != static_cast<size_t>(-1) || errno == E2BIG) continue;
    // EILSEQ, or EINVAL (a sequence cut at the end): one byte replaced.
    out += "\xEF\xBF\xBD";
    ++in;
    --in_left;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
  }
  char* o = buf;
  size_t o_left = sizeof buf;
  iconv(cd, nullptr, nullptr, &o, &o_left);
  out.append(buf, static_cast<size_t>(o - buf));
  iconv_close(cd);
  return out;
}

}  // namespace amiable
