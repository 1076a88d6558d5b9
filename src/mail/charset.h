// Bytes to valid UTF-8 (the received-mail reader, parse.h, and HtmlToText).
// Pure, thread-safe.
#ifndef AMIABLE_MAIL_CHARSET_H_
#define AMIABLE_MAIL_CHARSET_H_

#include <string>
#include <string_view>

namespace amiable::mail {

// `s` with every byte that is not part of a well-formed UTF-8 sequence
// (overlong forms, surrogates and code points above U+10FFFF included)
// replaced by U+FFFD, and NUL dropped.
std::string ValidUtf8(std::string_view s);

// `bytes` in `charset` (a MIME charset name, any case) as valid UTF-8.
// No charset, us-ascii, an unknown charset or "utf-8": the bytes when they
// are UTF-8, else read as Windows-1252 (what 8-bit mail without a charset
// almost always is). ISO-8859-1 is read as its superset Windows-1252.
// Bytes invalid in the charset become U+FFFD.
std::string ToUtf8(std::string_view bytes, std::string_view charset);

}  // namespace amiable::mail

#endif  // AMIABLE_MAIL_CHARSET_H_
