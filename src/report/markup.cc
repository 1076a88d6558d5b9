#include "report/markup.h"

#include <cstdint>

#include "core/text.h"

namespace amiable::report::markup {
namespace {

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

constexpr uint32_t kReplacement = 0xFFFD;

// Decodes one code point at s[*i], advancing *i; kReplacement (advancing one
// byte) for an invalid, overlong, surrogate or truncated sequence.
uint32_t Next(std::string_view s, size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  int n = 0;
  uint32_t cp = 0;
  uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 1, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 2, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 3, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++*i;
    return kReplacement;
  }
  if (*i + static_cast<size_t>(n) >= s.size()) {  // truncated
    ++*i;
    return kReplacement;
  }
  for (int k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + static_cast<size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return kReplacement;
  }
  *i += static_cast<size_t>(n) + 1;
  return cp;
}

// The positions of the "**" that open or close a bold span: paired left to
// right, an unpaired last one left out.
std::vector<size_t> Stars(std::string_view s) {
  std::vector<size_t> at;
  for (size_t p = s.find("**"); p != std::string_view::npos; p = s.find("**", p + 2)) {
    at.push_back(p);
  }
  if (at.size() % 2 == 1) at.pop_back();
  return at;
}

std::vector<Span> SpansOfSafe(std::string_view s) {
  std::vector<Span> out;
  auto add = [&](std::string_view text, bool bold) {
    if (text.empty()) return;
    if (!out.empty() && out.back().bold == bold) {
      out.back().text += text;
    } else {
      out.push_back({std::string(text), bold});
    }
  };
  const std::vector<size_t> stars = Stars(s);
  size_t pos = 0;
  for (size_t k = 0; k < stars.size(); ++k) {
    add(s.substr(pos, stars[k] - pos), k % 2 == 1);
    pos = stars[k] + 2;
  }
  add(s.substr(pos), false);
  return out;
}

std::string InlineOfSafe(std::string_view s, std::string_view open, std::string_view close) {
  std::string out;
  for (const Span& sp : SpansOfSafe(s)) {
    if (sp.bold) out += open;
    out += XmlEscape(sp.text);
    if (sp.bold) out += close;
  }
  return out;
}

bool StartsBullet(std::string_view body) {
  return body.starts_with("- ") || body.starts_with("* ") || body.starts_with("• ") ||
         body == "-" || body == "•";
}

std::vector<MarkupBlock> BlocksOfSafe(std::string_view text) {
  std::vector<MarkupBlock> out;
  std::string para;
  std::vector<std::string> bullets;
  auto flush_para = [&] {
    if (para.empty()) return;
    out.push_back({MarkupBlock::Kind::kParagraph, {std::move(para)}});
    para.clear();
  };
  auto flush_bullets = [&] {
    if (bullets.empty()) return;
    out.push_back({MarkupBlock::Kind::kBullets, std::move(bullets)});
    bullets.clear();
  };
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    size_t indent = 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    const std::string_view body = line.substr(indent);
    if (body.empty()) {
      flush_para();
      flush_bullets();
      continue;
    }
    auto rest = [&](std::string_view b) {
      const size_t sp = b.find(' ');
      if (sp == std::string_view::npos) return std::string();
      std::string_view r = b.substr(sp + 1);
      while (!r.empty() && (r.front() == ' ' || r.front() == '\t')) r.remove_prefix(1);
      return std::string(r);
    };
    if (body.starts_with("# ") || body.starts_with("## ") || body.starts_with("### ")) {
      flush_para();
      flush_bullets();
      std::string h = rest(body);
      if (!h.empty()) out.push_back({MarkupBlock::Kind::kSubheading, {std::move(h)}});
    } else if (StartsBullet(body)) {
      flush_para();
      bullets.push_back(rest(body));
    } else if (body.starts_with("> ") || body == ">") {
      flush_para();
      flush_bullets();
      out.push_back({MarkupBlock::Kind::kSignature, {rest(body)}});
    } else if (!bullets.empty() && indent > 0) {
      bullets.back() += (bullets.back().empty() ? "" : " ") + std::string(body);
    } else {
      flush_bullets();
      if (!para.empty()) para += ' ';
      para += body;
    }
  }
  flush_para();
  flush_bullets();
  // Bullets with no text are no bullets.
  std::vector<MarkupBlock> kept;
  for (MarkupBlock& b : out) {
    if (b.kind == MarkupBlock::Kind::kBullets) {
      std::vector<std::string> items;
      for (std::string& i : b.lines) {
        if (!i.empty()) items.push_back(std::move(i));
      }
      if (items.empty()) continue;
      b.lines = std::move(items);
    }
    kept.push_back(std::move(b));
  }
  return kept;
}

}  // namespace

std::string Sanitize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const uint32_t cp = Next(text, &i);
    if (cp == '\r') {
      if (i < text.size() && text[i] == '\n') continue;  // CR LF: the LF follows
      out += '\n';
    } else if (cp == '\n' || cp == '\t') {
      out += static_cast<char>(cp);
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFE ||
               cp == 0xFFFF) {
      continue;  // controls and non-characters: refused by GMarkup, meaningless in a report
    } else {
      AppendUtf8(out, cp);
    }
  }
  return out;
}

std::vector<MarkupBlock> ParseBlocks(std::string_view text) {
  return BlocksOfSafe(Sanitize(text));
}

std::vector<Span> ParseSpans(std::string_view inline_text) {
  return SpansOfSafe(Sanitize(inline_text));
}

std::string InlineTo(std::string_view inline_text, std::string_view open, std::string_view close) {
  return InlineOfSafe(Sanitize(inline_text), open, close);
}

std::string ToPango(std::string_view text) {
  std::string out;
  for (const MarkupBlock& b : ParseBlocks(text)) {
    for (const std::string& line : b.lines) {
      if (!out.empty()) out += '\n';
      switch (b.kind) {
        case MarkupBlock::Kind::kBullets:
          out += "• " + InlineOfSafe(line, "<b>", "</b>");
          break;
        case MarkupBlock::Kind::kSubheading:
          out += "<b>" + InlineOfSafe(line, "", "") + "</b>";
          break;
        case MarkupBlock::Kind::kSignature:
          out += "<i>" + InlineOfSafe(line, "<b>", "</b>") + "</i>";
          break;
        case MarkupBlock::Kind::kParagraph:
          out += InlineOfSafe(line, "<b>", "</b>");
          break;
      }
    }
  }
  return out;
}

std::string ToHtml(std::string_view text) {
  std::string out;
  for (const MarkupBlock& b : ParseBlocks(text)) {
    switch (b.kind) {
      case MarkupBlock::Kind::kParagraph:
        out += "<p>" + InlineOfSafe(b.lines[0], "<strong>", "</strong>") + "</p>";
        break;
      case MarkupBlock::Kind::kBullets:
        out += "<ul>";
        for (const std::string& i : b.lines) {
          out += "<li>" + InlineOfSafe(i, "<strong>", "</strong>") + "</li>";
        }
        out += "</ul>";
        break;
      case MarkupBlock::Kind::kSubheading:
        out += "<h4>" + InlineOfSafe(b.lines[0], "", "") + "</h4>";
        break;
      case MarkupBlock::Kind::kSignature:
        out += "<p class=\"signature\">" + InlineOfSafe(b.lines[0], "<strong>", "</strong>") +
               "</p>";
        break;
    }
  }
  return out;
}

std::string ToPlain(std::string_view text) {
  std::string out;
  for (const MarkupBlock& b : ParseBlocks(text)) {
    for (const std::string& line : b.lines) {
      if (!out.empty()) out += '\n';
      if (b.kind == MarkupBlock::Kind::kBullets) out += "• ";
      for (const Span& s : SpansOfSafe(line)) out += s.text;
    }
  }
  return out;
}

}  // namespace amiable::report::markup
