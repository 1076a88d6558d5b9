// The mediator's words where the reference report has them: the editorials
// (director, mediator) with their signatures, the introduction pages (their
// default text when the fund wrote none), a commentary at the end of each
// figures section, the mediator's analysis in the fraud focus, the findings
// and the plan (signed by the mediator).
#include <algorithm>

#include "report/assemble_internal.h"
#include "report/markup.h"
#include "report/texts.h"

namespace amiable::report::assemble_internal {
namespace {

bool Blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

void AppendMarkup(Section& s, std::string_view text) {
  for (Block& b : ParseLightMarkup(text)) s.blocks.push_back(std::move(b));
}

// The signature lines, right-aligned: the name in bold, then the title.
void AppendSignature(Section& s, const Signature& sig) {
  auto line = [&](std::string text) {
    Block b;
    b.kind = Block::Kind::kSignature;
    b.text = std::move(text);
    s.blocks.push_back(std::move(b));
  };
  if (!sig.name.empty()) line("**" + sig.name + "**");
  if (!sig.title.empty()) line(sig.title);
}

}  // namespace

void Assembler::MediatorText(std::string id, std::string title, const std::string& text) {
  if (Blank(text)) return;
  Section& s = NewSection(std::move(id), std::move(title), 1);
  AppendMarkup(s, text);
}

void Assembler::Editorials() {
  const MediatorTexts& t = in_.texts;
  const bool director = !Blank(t.director_editorial);
  const bool mediator = !Blank(t.editorial);
  if (!director && !mediator) return;
  Chapter("editorials", "Éditos", "");
  if (director) {
    Section& s = NewSection("editorial_director", "L'éditorial du directeur", 2);
    AppendMarkup(s, t.director_editorial);
    AppendSignature(s, t.director_signature);
  }
  if (mediator) {
    Section& s = NewSection("editorial", "Le mot de la médiation", 2);
    AppendMarkup(s, t.editorial);
    AppendSignature(s, t.mediator_signature);
  }
}

void Assembler::Introduction() {
  const MediatorTexts& t = in_.texts;
  Chapter("introduction", "Introduction", "");
  const std::pair<TextSection, const std::string*> pages[] = {
      {TextSection::kIntroMediation, &t.intro_mediation},
      {TextSection::kIntroWho, &t.intro_who},
      {TextSection::kIntroNot, &t.intro_not},
      {TextSection::kIntroConflict, &t.intro_conflict},
  };
  for (const auto& [section, stored] : pages) {
    Section& s = NewSection(TextSectionCode(section), TextSectionTitle(section), 2);
    AppendMarkup(s, Blank(*stored) ? DefaultText(section) : std::string_view(*stored));
  }
}

void Assembler::Commentaries() {
  for (Section& s : m_.sections) {
    if (s.id == "fraud") {
      if (!Blank(in_.texts.fraud_focus)) AppendMarkup(s, in_.texts.fraud_focus);
      continue;
    }
    if (!IsCommentedSection(s.id)) continue;
    auto it = in_.texts.commentaries.find(s.id);
    if (it != in_.texts.commentaries.end() && !Blank(it->second)) AppendMarkup(s, it->second);
  }
}

void Assembler::Plan() {
  const std::string& text = in_.texts.plan;
  if (Blank(text)) return;
  Section& s = NewSection("plan", "Bilan " + Y(y_) + ", perspectives et plan de travail " +
                                      Y(y_ + 1), 1);
  AppendMarkup(s, text);
  AppendSignature(s, in_.texts.mediator_signature);
}

}  // namespace amiable::report::assemble_internal

namespace amiable::report {

std::vector<Block> ParseLightMarkup(std::string_view text) {
  std::vector<Block> out;
  for (markup::MarkupBlock& mb : markup::ParseBlocks(text)) {
    Block b;
    using K = markup::MarkupBlock::Kind;
    b.kind = mb.kind == K::kBullets      ? Block::Kind::kBullets
             : mb.kind == K::kSubheading ? Block::Kind::kSubheading
             : mb.kind == K::kSignature  ? Block::Kind::kSignature
                                         : Block::Kind::kParagraph;
    if (mb.kind == K::kBullets) {
      b.items = std::move(mb.lines);
    } else {
      b.text = std::move(mb.lines[0]);
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace amiable::report
