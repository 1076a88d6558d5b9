#include <algorithm>
#include <cmath>

#include "core/french_format.h"
#include "report/assemble_internal.h"

namespace amiable::report::assemble_internal {

void Assembler::MediatorText(std::string id, std::string title, const std::string& text) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return;
  Section& s = NewSection(std::move(id), std::move(title), 1);
  for (Block& b : ParseLightMarkup(text)) s.blocks.push_back(std::move(b));
}

}  // namespace amiable::report::assemble_internal

namespace amiable::report {

std::vector<Block> ParseLightMarkup(std::string_view text) {
  std::vector<Block> out;
  std::string para;
  std::vector<std::string> bullets;
  auto flush = [&] {
    if (!para.empty()) {
      Block b;
      b.kind = Block::Kind::kParagraph;
      b.text = std::move(para);
      out.push_back(std::move(b));
      para.clear();
    }
    if (!bullets.empty()) {
      Block b;
      b.kind = Block::Kind::kBullets;
      b.items = std::move(bullets);
      out.push_back(std::move(b));
      bullets.clear();
    }
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    size_t indent = 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    std::string_view body = line.substr(indent);
    if (body.empty()) {
      flush();
      if (end == text.size()) break;
      continue;
    }
    if (body.starts_with("# ") || body.starts_with("## ") || body.starts_with("### ")) {
      flush();
      Block b;
      b.kind = Block::Kind::kSubheading;
      b.text = std::string(body.substr(body.find(' ') + 1));
      out.push_back(std::move(b));
    } else if (body.starts_with("- ") || body.starts_with("* ") || body.starts_with("• ")) {
      if (!para.empty()) {
        std::vector<std::string> keep = std::move(bullets);
        bullets.clear();
        flush();
        bullets = std::move(keep);
      }
      bullets.push_back(std::string(body.substr(body.find(' ') + 1)));
    } else if (body.starts_with("> ") || body == ">") {
      flush();
      Block b;
      b.kind = Block::Kind::kSignature;
      b.text = std::string(body.size() > 2 ? body.substr(2) : "");
      out.push_back(std::move(b));
    } else if (!bullets.empty() && indent > 0) {
      bullets.back() += " " + std::string(body);  // continuation of a bullet
    } else {
      if (!bullets.empty()) flush();
      if (!para.empty()) para += ' ';
      para += body;
    }
    if (end == text.size()) break;
  }
  flush();
  return out;
}

}  // namespace amiable::report
