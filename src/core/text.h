// Small helpers over user-typed text.
#ifndef AMIABLE_CORE_TEXT_H_
#define AMIABLE_CORE_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

namespace amiable {

// `s` without its leading and trailing white space (std::isspace: space,
// \t \n \v \f \r).
std::string Trim(std::string_view s);

// `s` with & < > " ' replaced by their entities: safe as text or as an
// attribute value in HTML, XML (SVG) and pango markup.
std::string XmlEscape(std::string_view s);

// Percent-encoding (RFC 3986): every byte but the unreserved characters
// (letters, digits, - . _ ~) becomes %XX (upper-case hex). For URL query
// values and otpauth labels.
std::string PercentEncode(std::string_view s);

// `s` reduced for comparing labels a person typed: lower case, the accents
// of French (Latin-1 and Latin Extended-A letters: é è ê ë à â ä î ï ô ö ù û
// ü ÿ ç, and œ æ as oe ae) dropped, the typographic apostrophe ’ as ', runs
// of white space (and no-break spaces) as one space, trimmed. "  Accueil
// PHYSIQUE " and "accueil physique" fold alike, so do "Réclamation" and
// "reclamation". Other bytes are kept as they are. Input should be UTF-8.
std::string FoldForMatch(std::string_view s);

// `bytes` in `charset` (an iconv(3) name: "WINDOWS-1252", "ISO-8859-15"...)
// converted to UTF-8 with glibc's iconv; a byte without a character becomes
// U+FFFD. nullopt when iconv does not know the charset.
std::optional<std::string> IconvToUtf8(std::string_view bytes, const char* charset);

}  // namespace amiable

#endif  // AMIABLE_CORE_TEXT_H_
