#include "report/markup.h"

#include <glib.h>

#include <cstdint>

#include "core/text.h"

namespace amiable::report::markup {
namespace {

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
  // NUL is a control like the others (glib would make it U+FFFD).
  std::string bytes(text);
  std::erase(bytes, '\0');
  gchar* valid = g_utf8_make_valid(bytes.data(), static_cast<gssize>(bytes.size()));
  std::string out;
  out.reserve(bytes.size());
  for (const gchar* p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
    const gunichar cp = g_utf8_get_char(p);
    if (cp == '\r') {
      if (p[1] != '\n') out += '\n';  // CR LF: the LF follows
    } else if (cp == '\n' || cp == '\t') {
      out += static_cast<char>(cp);
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFE ||
               cp == 0xFFFF) {
      continue;  // controls and non-characters: refused by GMarkup, meaningless in a report
    } else {
      char buf[6];
      out.append(buf, static_cast<size_t>(g_unichar_to_utf8(cp, buf)));
    }
  }
  g_free(valid);
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
    // Blocks apart by a third of a line (a 3-point blank line).
    if (!out.empty()) out += "\n<span size=\"3072\"> </span>\n";
    for (size_t i = 0; i < b.lines.size(); ++i) {
      const std::string& line = b.lines[i];
      if (i > 0) out += '\n';
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
