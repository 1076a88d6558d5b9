// HtmlToText (parse.h): a small tolerant scanner, not an HTML parser; it
// only needs to turn the HTML part of a mail into something a person reads.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "mail/charset.h"
#include "mail/parse.h"

namespace amiable::mail {
namespace {

char LowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool StartsWithNoCase(std::string_view s, size_t at, std::string_view prefix) {
  if (at + prefix.size() > s.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (LowerChar(s[at + i]) != prefix[i]) return false;
  }
  return true;
}

// Position of `needle` (lowercase) in `s` from `from`, case-insensitive.
size_t FindNoCase(std::string_view s, std::string_view needle, size_t from) {
  if (needle.empty()) return from;
  for (size_t i = from; i + needle.size() <= s.size(); ++i) {
    if (LowerChar(s[i]) == needle[0] && StartsWithNoCase(s, i, needle)) return i;
  }
  return std::string_view::npos;
}

void AppendCodePoint(std::string& out, uint32_t c) {
  if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
  if (c < 0x80) {
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

struct NamedEntity {
  std::string_view name;
  uint32_t code;
};

// The entities mail clients write, French letters first.
constexpr NamedEntity kEntities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", ' '},      {"eacute", 0xE9},  {"egrave", 0xE8},  {"ecirc", 0xEA},   {"euml", 0xEB},
    {"agrave", 0xE0},   {"acirc", 0xE2},   {"auml", 0xE4},    {"aacute", 0xE1},  {"ccedil", 0xE7},
    {"icirc", 0xEE},    {"iuml", 0xEF},    {"iacute", 0xED},  {"igrave", 0xEC},  {"ocirc", 0xF4},
    {"ouml", 0xF6},     {"oacute", 0xF3},  {"ograve", 0xF2},  {"ugrave", 0xF9},  {"ucirc", 0xFB},
    {"uuml", 0xFC},     {"uacute", 0xFA},  {"yuml", 0xFF},    {"ntilde", 0xF1},  {"oelig", 0x153},
    {"aelig", 0xE6},    {"szlig", 0xDF},   {"Eacute", 0xC9},  {"Egrave", 0xC8},  {"Ecirc", 0xCA},
    {"Euml", 0xCB},     {"Agrave", 0xC0},  {"Acirc", 0xC2},   {"Auml", 0xC4},    {"Ccedil", 0xC7},
    {"Icirc", 0xCE},    {"Iuml", 0xCF},    {"Ocirc", 0xD4},   {"Ouml", 0xD6},    {"Ugrave", 0xD9},
    {"Ucirc", 0xDB},    {"Uuml", 0xDC},    {"OElig", 0x152},  {"AElig", 0xC6},   {"laquo", 0xAB},
    {"raquo", 0xBB},    {"euro", 0x20AC},  {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122},
    {"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"ldquo", 0x201C},  {"rdquo", 0x201D}, {"sbquo", 0x201A}, {"bdquo", 0x201E}, {"bull", 0x2022},
    {"middot", 0xB7},   {"deg", 0xB0},     {"times", 0xD7},   {"divide", 0xF7},  {"sect", 0xA7},
    {"para", 0xB6},     {"shy", 0},        {"zwnj", 0},       {"zwj", 0},        {"thinsp", ' '},
    {"ensp", ' '},      {"emsp", ' '},     {"iexcl", 0xA1},   {"iquest", 0xBF},  {"pound", 0xA3},
    {"cent", 0xA2},     {"yen", 0xA5},     {"ordf", 0xAA},    {"ordm", 0xBA},    {"sup2", 0xB2},
    {"frac12", 0xBD},   {"frac14", 0xBC},  {"plusmn", 0xB1},  {"micro", 0xB5},   {"rarr", 0x2192},
    {"larr", 0x2190},   {"nbhy", 0x2011},
};

// Windows-1252 meanings of &#128;..&#159;, as browsers read them.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

// Decodes the entity at s[i] == '&' into `out`; returns the length read,
// 0 when it is not an entity (the '&' is then kept as is).
size_t DecodeEntity(std::string_view s, size_t i, std::string& out) {
  size_t j = i + 1;
  if (j < s.size() && s[j] == '#') {
    ++j;
    const bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
    if (hex) ++j;
    const size_t start = j;
    uint32_t v = 0;
    while (j < s.size() && j - start < 8) {
      const char c = s[j];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (hex && c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        break;
      }
      v = v * (hex ? 16 : 10) + d;
      ++j;
    }
    if (j == start) return 0;
    if (j < s.size() && s[j] == ';') ++j;
    if (v >= 0x80 && v < 0xA0) v = kCp1252High[v - 0x80];
    if (v == 0xA0) v = ' ';
    AppendCodePoint(out, v);
    return j - i;
  }
  size_t k = j;
  while (k < s.size() && k - j < 10 &&
         ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
          (s[k] >= '0' && s[k] <= '9'))) {
    ++k;
  }
  const std::string_view name = s.substr(j, k - j);
  for (const NamedEntity& e : kEntities) {
    if (e.name == name) {
      if (e.code != 0) AppendCodePoint(out, e.code);
      if (k < s.size() && s[k] == ';') ++k;
      return k - i;
    }
  }
  return 0;
}

std::string Decoded(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '&') {
      const size_t n = DecodeEntity(s, i, out);
      if (n > 0) {
        i += n;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

bool IsBlock(std::string_view t) {
  static constexpr std::string_view kBlocks[] = {
      "p",        "div",   "h1",         "h2",         "h3",      "h4",      "h5",
      "h6",       "ul",    "ol",         "li",         "table",   "tr",      "thead",
      "tbody",    "tfoot", "blockquote", "pre",        "section", "article", "header",
      "footer",   "hr",    "address",    "dl",         "dt",      "dd",      "form",
      "fieldset", "nav",   "aside",      "main",       "figure",  "center",  "title",
      "body",     "html",  "caption",    "figcaption", "details", "summary", "option"};
  return std::find(std::begin(kBlocks), std::end(kBlocks), t) != std::end(kBlocks);
}

bool IsParagraph(std::string_view t) {
  return t == "p" || t == "h1" || t == "h2" || t == "h3" || t == "h4" || t == "h5" || t == "h6" ||
         t == "table" || t == "blockquote" || t == "ul" || t == "ol" || t == "pre" || t == "hr";
}

class Writer {
 public:
  // A line break (1) or a blank line (2) before the next text.
  void Break(int level) { pending_ = std::max(pending_, level); }
  void LineBreak() {
    out_ += '\n';
    pending_ = 0;
    space_ = false;
  }
  void Space() { space_ = true; }
  void Text(std::string_view t, bool pre) {
    for (char c : t) {
      if (pre) {
        if (c == '\r') continue;
        Flush();
        out_ += c;
        continue;
      }
      if (IsSpace(c)) {
        space_ = true;
        continue;
      }
      Flush();
      if (space_ && !out_.empty() && out_.back() != '\n' && out_.back() != ' ') out_ += ' ';
      space_ = false;
      out_ += c;
    }
  }
  void Raw(std::string_view t) {
    Flush();
    if (space_ && !out_.empty() && out_.back() != '\n' && out_.back() != ' ') out_ += ' ';
    space_ = false;
    out_ += t;
  }
  std::string& out() { return out_; }

 private:
  void Flush() {
    if (pending_ > 0 && !out_.empty()) {
      while (!out_.empty() && out_.back() == ' ') out_.pop_back();
      int have = 0;
      for (size_t i = out_.size(); i > 0 && out_[i - 1] == '\n' && have < 2; --i) ++have;
      for (int k = have; k < pending_; ++k) out_ += '\n';
      space_ = false;
    }
    pending_ = 0;
  }
  std::string out_;
  int pending_ = 0;
  bool space_ = false;
};

// The value of attribute `name` in the tag text `tag` (after the tag name).
std::string Attribute(std::string_view tag, std::string_view name) {
  size_t i = 0;
  while (i < tag.size()) {
    while (i < tag.size() && (IsSpace(tag[i]) || tag[i] == '/')) ++i;
    const size_t ns = i;
    while (i < tag.size() && !IsSpace(tag[i]) && tag[i] != '=' && tag[i] != '/') ++i;
    std::string n;
    for (size_t k = ns; k < i; ++k) n += LowerChar(tag[k]);
    while (i < tag.size() && IsSpace(tag[i])) ++i;
    std::string value;
    if (i < tag.size() && tag[i] == '=') {
      ++i;
      while (i < tag.size() && IsSpace(tag[i])) ++i;
      if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
        const char q = tag[i++];
        const size_t vs = i;
        while (i < tag.size() && tag[i] != q) ++i;
        value = tag.substr(vs, i - vs);
        if (i < tag.size()) ++i;
      } else {
        const size_t vs = i;
        while (i < tag.size() && !IsSpace(tag[i])) ++i;
        value = tag.substr(vs, i - vs);
      }
    }
    if (n == name) return Decoded(value);
    if (i == ns) ++i;
  }
  return {};
}

std::string TrimSpaces(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

std::string Finish(std::string_view text) {
  // Trailing spaces of each line go, runs of blank lines shrink to one, and
  // the text starts and ends with something.
  std::string out;
  size_t blank = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty()) {
      ++blank;
    } else {
      if (!out.empty()) out += blank > 0 ? "\n\n" : "\n";
      out += line;
      blank = 0;
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  Writer w;
  int pre = 0;
  struct Link {
    size_t at;
    std::string href;
  };
  std::vector<Link> links;
  bool head_unclosed = false;  // no "</head" after some point: never search again
  size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '&') {
      std::string e;
      const size_t n = DecodeEntity(html, i, e);
      if (n > 0) {
        w.Text(e, pre > 0);
        i += n;
        continue;
      }
      w.Text("&", pre > 0);
      ++i;
      continue;
    }
    if (c != '<') {
      const size_t next = std::min(html.find_first_of("<&", i), html.size());
      w.Text(html.substr(i, next - i), pre > 0);
      i = next;
      continue;
    }
    // A comment, a declaration or a tag.
    if (html.compare(i, 4, "<!--") == 0) {
      const size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    const size_t ns = i + 1;
    const bool closing = ns < html.size() && html[ns] == '/';
    size_t j = closing ? ns + 1 : ns;
    const size_t name_start = j;
    while (j < html.size() &&
           ((html[j] >= 'a' && html[j] <= 'z') || (html[j] >= 'A' && html[j] <= 'Z') ||
            (html[j] >= '0' && html[j] <= '9') || html[j] == ':' || html[j] == '-')) {
      ++j;
    }
    if (j == name_start && !(ns < html.size() && (html[ns] == '!' || html[ns] == '?'))) {
      w.Text("<", pre > 0);  // a lone '<' in text
      ++i;
      continue;
    }
    std::string name;
    for (size_t k = name_start; k < j; ++k) name += LowerChar(html[k]);
    // The end of the tag: the first '>' outside quotes.
    size_t k = j;
    char quote = 0;
    while (k < html.size() && k - j < 4096) {
      if (quote) {
        if (html[k] == quote) quote = 0;
      } else if (html[k] == '"' || html[k] == '\'') {
        quote = html[k];
      } else if (html[k] == '>') {
        break;
      }
      ++k;
    }
    if (k >= html.size() || html[k] != '>') {
      // An unterminated quote: retry without honouring quotes, else stop.
      k = html.find('>', j);
      if (k == std::string_view::npos) break;
    }
    const std::string_view attrs = html.substr(j, k - j);
    i = k + 1;
    if (name.empty()) continue;  // <!DOCTYPE ...>, <?xml ...?>
    if (!closing && (name == "script" || name == "style" || name == "head" || name == "noscript" ||
                     name == "template" || name == "xml" || name == "o:p")) {
      if (name == "o:p" || (name == "head" && head_unclosed)) continue;
      const size_t end = FindNoCase(html, "</" + name, i);
      if (end == std::string_view::npos) {
        if (name != "head") break;
        head_unclosed = true;  // a head never closed: keep reading
        continue;
      }
      const size_t gt = html.find('>', end);
      i = gt == std::string_view::npos ? html.size() : gt + 1;
      continue;
    }
    if (name == "br") {
      w.LineBreak();
    } else if (name == "li" && !closing) {
      w.Break(1);
      w.Raw("- ");
    } else if (name == "td" || name == "th") {
      if (!closing) w.Space();
    } else if (name == "pre") {
      w.Break(2);
      pre = closing ? std::max(0, pre - 1) : pre + 1;
    } else if (name == "a") {
      if (!closing) {
        links.push_back({w.out().size(), TrimSpaces(Attribute(attrs, "href"))});
      } else if (!links.empty()) {
        Link l = std::move(links.back());
        links.pop_back();
        const std::string text =
            TrimSpaces(std::string_view(w.out()).substr(std::min(l.at, w.out().size())));
        std::string href = l.href;
        std::string bare = href;
        if (StartsWithNoCase(bare, 0, "mailto:")) bare = bare.substr(7);
        const bool useful =
            !href.empty() && href[0] != '#' && !StartsWithNoCase(href, 0, "javascript:");
        const auto strip = [](std::string s) {
          for (std::string_view p : {"https://", "http://"}) {
            if (StartsWithNoCase(s, 0, p)) s = s.substr(p.size());
          }
          while (!s.empty() && s.back() == '/') s.pop_back();
          return s;
        };
        if (useful && strip(text) != strip(bare) && text != bare) {
          if (text.empty()) {
            w.Raw(bare);
          } else {
            w.Space();
            w.Raw("(" + bare + ")");
          }
        }
      }
    } else if (IsBlock(name)) {
      w.Break(IsParagraph(name) ? 2 : 1);
    }
  }
  return ValidUtf8(Finish(w.out()));
}

}  // namespace amiable::mail
