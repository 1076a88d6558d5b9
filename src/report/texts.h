// The mediator's texts of a report beyond plain markup: the signature lines,
// the commentaries under the figures sections, the default texts of the
// introduction pages, the check every store runs before writing a text, and
// the reading of every text of a fund set and year (report/report_store.h
// ReportTextStore) into MediatorTexts (report/assemble.h).
#ifndef AMIABLE_REPORT_TEXTS_H_
#define AMIABLE_REPORT_TEXTS_H_

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"
#include "report/assemble.h"
#include "report/report_store.h"

namespace amiable::report {

// A signature stored as "name\ntitle": the first line the name, the second
// the title; more lines, or a line over kMaxSignatureLine bytes, are refused
// by CheckText. ParseSignature is total (extra lines join the title).
inline constexpr size_t kMaxSignatureLine = 200;
Signature ParseSignature(std::string_view text);
std::string SignatureToText(const Signature& s);  // "" when both are empty

// The figures sections that take a commentary, in the order of the report.
struct CommentedSection {
  std::string_view id;     // Section::id of the report: "requests", "channel"...
  std::string_view label;  // French, for the editor: "Les modes de saisine"
};
std::span<const CommentedSection> CommentedSections();
bool IsCommentedSection(std::string_view id);

// The commentaries as stored: a JSON object {"<section id>": "<text>"}, only
// ids of CommentedSections and string values (kInvalid otherwise). Empty
// texts are dropped when writing; "" parses to an empty map.
Result<std::map<std::string, std::string>> ParseCommentaries(std::string_view json);
std::string CommentariesToJson(const std::map<std::string, std::string>& c);  // "" when empty

// The default French text of an introduction page (kIntroMediation, kIntroWho,
// kIntroNot, kIntroConflict), printed when the fund stored none; "" for the
// other sections.
std::string_view DefaultText(TextSection s);
bool HasDefaultText(TextSection s);

// Every text of a fund set and year, as stored (intro pages "" when the
// default applies). Errors of the store as they come; kInvalid for stored
// highlights or commentaries that do not parse.
Result<MediatorTexts> ReadMediatorTexts(ReportTextStore& store, std::string_view fund_set,
                                        int year);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_TEXTS_H_
