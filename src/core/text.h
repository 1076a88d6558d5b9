// Small helpers over user-typed text.
#ifndef AMIABLE_CORE_TEXT_H_
#define AMIABLE_CORE_TEXT_H_

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

}  // namespace amiable

#endif  // AMIABLE_CORE_TEXT_H_
