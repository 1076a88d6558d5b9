// Letters from templates (issue 8, item 3): the kinds of letter a mediator
// sends, the default French templates that ship with the product, the data
// model a letter is rendered from, and rendering to an email (text and HTML).
// letters/pdf.h lays the same letter out as a PDF.
//
// Templates are kainjow mustache (logic-less). A letter kind has a subject
// and a body; the body may include the reusable blocks as partials
// ({{> opening}}, {{> closing}}). The signature, the letterhead and the place
// of the date line are blocks too, laid out by the renderer (the signature
// below the body, the letterhead at the top of the PDF).
//
// Escaping: the HTML rendering escapes every variable ({{x}}); the text
// rendering (email text part, PDF) escapes nothing. A template that uses
// {{{x}}} or {{& x}} gets the raw value in both, so the HTML part is built
// from the text rendering, escaped, never from raw template output.
//
// Pure: no I/O, thread-safe (each call parses its own templates).
#ifndef AMIABLE_LETTERS_TEMPLATES_H_
#define AMIABLE_LETTERS_TEMPLATES_H_

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/date.h"
#include "core/error.h"

namespace amiable::letters {

struct KindInfo {
  std::string_view code;   // "acknowledgement", ..., "opening", ...
  std::string_view label;  // French
  bool is_letter = true;   // false: a block (no subject)
};

// The letters then the blocks, in display order:
//   acknowledgement (accusé de réception), admissibility (notification de
//   recevabilité), inadmissibility (irrecevabilité avec orientation),
//   intermediate (notification intermédiaire), answer (réponse);
//   blocks opening, closing, signature, letterhead (one line each of the
//   fund's letterhead), place (the town of the date line, may be empty).
std::span<const KindInfo> Kinds();
const KindInfo* FindKind(std::string_view code);

struct TemplateText {
  std::string subject;  // empty for blocks
  std::string body;
};

// The default French template of `code` (empty when unknown).
TemplateText DefaultTemplate(std::string_view code);

// The templates of one fund: the defaults with its overrides.
class TemplateSet {
 public:
  TemplateSet();  // the defaults
  // Replaces `code` (an unknown code is ignored).
  void Override(std::string_view code, TemplateText t);
  const TemplateText& Get(std::string_view code) const;
  bool IsOverridden(std::string_view code) const { return overridden_.count(std::string(code)); }

 private:
  std::map<std::string, TemplateText> by_code_;
  std::map<std::string, bool> overridden_;
};

// Whether `text` is a valid template: nullopt, or a kInvalid error on
// `field` whose French message names the fault and its line and column
// (1-based), e.g. « La section « x » n'est pas fermée (ligne 3, colonne 5) ».
// A partial other than opening, closing and signature is refused.
std::optional<Error> CheckTemplate(std::string_view text, std::string field);

// A financial line as a letter shows it.
struct AmountLine {
  std::string label;   // "Rappel", "Indu annulé"...
  std::string amount;  // "128 120,06 €"
};

// What a letter may say: built from a case by the service (LetterDataFor)
// and by tests. Every value is display text, already formatted in French.
struct LetterData {
  std::string reference;
  std::string received_on;  // "12 mars 2025"
  std::string today;        // "2 décembre 2026"
  std::string deadline;     // the 8th working day after reception, long
  std::string fund_code;
  std::string fund_name;       // "Caf du Puy-de-Dôme"
  std::string requester_name;  // the emitter when one is named, else the beneficiary
  // Postal lines (name excluded): the person's address by lines, or at its
  // commas when it was typed on one line.
  std::vector<std::string> requester_address;
  std::string requester_email;
  std::string allocataire_number;
  std::string mediator_name;
  std::string orientation;  // the label
  std::string orientation_code;
  std::string inadmissibility_reason;  // label
  std::string waiting_for;             // what the case waits on (intermediate notification)
  std::string response;                // the answer's text, typed by the mediator
  std::vector<AmountLine> amounts;
  std::string amounts_total;  // "" when no line
};

// Builds the display data of a case. `people`: the case's; `mediator`: the
// display name of the mediator in charge ("" : none yet); `deadline`: the
// take-in-charge deadline (calendar/).
LetterData LetterDataFor(const Case& c, const Organisme& fund, const std::vector<Person>& people,
                         std::string mediator, Date today, std::optional<Date> deadline);

// The variables a template may use, with a French description (the editing
// page lists them).
struct Variable {
  std::string_view name;  // "reference", "#amounts"...
  std::string_view description;
};
std::span<const Variable> Variables();

// A letter rendered.
struct Rendered {
  std::string kind;
  std::string subject;                  // text, one line
  std::string body_text;                // the body with the blocks, paragraphs by blank lines
  std::string signature;                // the signature block, text
  std::vector<std::string> letterhead;  // lines
  std::string place;                    // "" or "Clermont-Ferrand"
  std::string today;                    // "2 décembre 2026"
  std::string reference;
  std::string recipient_name;
  std::vector<std::string> recipient_address;

  // The email text part: body, then the signature.
  std::string EmailText() const;
  // The email HTML part: the same text escaped, paragraphs and line breaks.
  std::string EmailHtml() const;
  // "Clermont-Ferrand, le 2 décembre 2026" or "Le 2 décembre 2026".
  std::string DateLine() const;
};

// Renders `kind` (a letter kind) of `set` with `d`. `edited` replaces the
// template's subject and/or body (a mediator's edit of the rendered text:
// it is rendered again, so it may still hold {{variables}}). Errors:
// kInvalid "letter.template_unknown", or the template's fault (CheckTemplate).
Result<Rendered> Render(const TemplateSet& set, std::string_view kind, const LetterData& d,
                        const std::optional<std::string>& edited_subject = std::nullopt,
                        const std::optional<std::string>& edited_body = std::nullopt);

}  // namespace amiable::letters

#endif  // AMIABLE_LETTERS_TEMPLATES_H_
