#include "mail/charset.h"

#include <cstdint>
#include <utility>

#include "core/text.h"

namespace amiable::mail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

void AppendCodePoint(std::string& out, uint32_t c) {
  if (c == 0) return;
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    out += kReplacement;
  } else if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Length of the well-formed UTF-8 sequence at s[i], 0 when there is none.
size_t SequenceLength(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n;
  uint32_t min;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, min = 0x80, cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, min = 0x800, cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool IsUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Windows-1252 0x80..0x9F; 0 where the code page leaves a hole.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::string FromCp1252(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  for (unsigned char c : s) {
    if (c >= 0x80 && c < 0xA0) {
      const uint16_t u = kCp1252High[c - 0x80];
      if (u == 0) {
        out += kReplacement;
      } else {
        AppendCodePoint(out, u);
      }
    } else {
      AppendCodePoint(out, c);
    }
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '"' || c == '\'') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

bool IsLatin1(const std::string& cs) {
  return cs == "iso-8859-1" || cs == "iso8859-1" || cs == "latin1" || cs == "latin-1" ||
         cs == "l1" || cs == "iso_8859-1" || cs == "windows-1252" || cs == "cp1252" ||
         cs == "x-cp1252" || cs == "iso-ir-100" || cs == "cp819" || cs == "ibm819";
}

bool IsUtf8Name(const std::string& cs) {
  return cs.empty() || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii" ||
         cs == "ansi_x3.4-1968" || cs == "unknown-8bit" || cs == "x-unknown" || cs == "default" ||
         cs == "x-user-defined";
}

// Through iconv (core/text.h); false when the charset is unknown to iconv.
bool Iconv(std::string_view bytes, const std::string& charset, std::string& out) {
  auto converted = IconvToUtf8(bytes, charset.c_str());
  if (!converted) return false;
  out = std::move(*converted);
  return true;
}

}  // namespace

std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = SequenceLength(s, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
    } else {
      if (!(n == 1 && s[i] == '\0')) out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string ToUtf8(std::string_view bytes, std::string_view charset) {
  const std::string cs = Lower(charset);
  if (IsLatin1(cs)) return FromCp1252(bytes);
  if (!IsUtf8Name(cs)) {
    std::string out;
    if (Iconv(bytes, cs, out)) return ValidUtf8(out);
  }
  if (IsUtf8(bytes)) return ValidUtf8(bytes);
  // Declared UTF-8 with a few bad bytes stays UTF-8; 8-bit text without a
  // (usable) charset is almost always Windows-1252.
  if (cs == "utf-8" || cs == "utf8") return ValidUtf8(bytes);
  return FromCp1252(bytes);
}

}  // namespace amiable::mail
