// The light markup of the texts the mediator writes (editorials, the cells
// of the highlights table, commentaries, findings, plan; docs/report.md):
//
//   a blank line          separates paragraphs (lines of a paragraph join with a space)
//   "- ", "* ", "• "      starts a bullet (an indented line continues it)
//   "# ", "## ", "### "   starts a subheading
//   "> "                  a right-aligned signature line
//   **text**              bold, inside any of the above
//
// Pure functions of a string (no I/O, no locale, no global state), total on
// any input: whatever bytes come in, the output is well-formed for its
// target. Input is first made safe (Sanitize): invalid UTF-8 becomes U+FFFD,
// control characters other than tab and line feed are dropped, CR LF and CR
// become LF. Text is escaped for the target (& < > " ' in HTML and pango), so
// no markup of the target can be injected. "**" pairs left to right; an
// unpaired last "**" is printed as is.
#ifndef AMIABLE_REPORT_MARKUP_H_
#define AMIABLE_REPORT_MARKUP_H_

#include <string>
#include <string_view>
#include <vector>

namespace amiable::report::markup {

// A run of text, bold or not.
struct Span {
  std::string text;
  bool bold = false;
  bool operator==(const Span&) const = default;
};

struct MarkupBlock {
  enum class Kind { kParagraph, kBullets, kSubheading, kSignature };
  Kind kind = Kind::kParagraph;
  // The inline text (still holding its "**"), markers removed: one for a
  // paragraph, subheading or signature; one per item for bullets.
  std::vector<std::string> lines;
  bool operator==(const MarkupBlock&) const = default;
};

// `text` with invalid UTF-8 replaced by U+FFFD, control characters but \t
// and \n removed, line ends normalized to \n.
std::string Sanitize(std::string_view text);

// The blocks of a text (sanitized first). Empty for a blank text.
std::vector<MarkupBlock> ParseBlocks(std::string_view text);

// The spans of one line of inline text (sanitized first); adjacent spans of
// the same weight are merged, empty spans dropped.
std::vector<Span> ParseSpans(std::string_view inline_text);

// Inline text rendered with `open`/`close` around bold spans, the text
// escaped (XmlEscape): "<b>", "</b>" for pango, "<strong>" for HTML.
std::string InlineTo(std::string_view inline_text, std::string_view open, std::string_view close);

// A whole text as one pango markup string (a table cell): blocks on their own
// lines, a 3-point blank line between blocks, bullets as "• item",
// subheadings bold.
std::string ToPango(std::string_view text);

// A whole text as HTML: <p>, <ul><li>, <h4>, <p class="signature">,
// <strong>. Nothing else; every text escaped.
std::string ToHtml(std::string_view text);

// A whole text without markers (CSV, XLSX cells): blocks on their own
// lines, bullets as "• item", "**" removed (an unpaired one kept).
std::string ToPlain(std::string_view text);

}  // namespace amiable::report::markup

#endif  // AMIABLE_REPORT_MARKUP_H_
