// The one catalogue of the messages people read (issue 7, item 2). Every
// refusal that reaches a person — a page, an API `message`, a CLI error —
// is the French text of a stable key ("close.resolution_required"); programs
// read the key (`message_id` in the API), people read the text.
//
// Texts may hold placeholders {0}, {1}... filled in order by Format/Make.
// Keys are lowercase, dot-separated, never renamed once published (they are
// part of the API contract, docs/api.md lists them).
//
// Pure and thread-safe: the table is immutable.
#ifndef AMIABLE_CORE_MESSAGES_H_
#define AMIABLE_CORE_MESSAGES_H_

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"

namespace amiable::msg {

struct Entry {
  std::string_view id;
  std::string_view text;  // French
};

// Every entry, sorted by id.
std::span<const Entry> All();

// The French text of `id`, or nullptr when the key is unknown (pages ignore
// unknown keys: a URL never prints text of its own).
const char* Find(std::string_view id);

// The text of `id` with {0}, {1}... replaced by `args`; an unknown key gives
// "Erreur : <id>" (a bug, caught by the catalogue test).
std::string Format(std::string_view id, std::initializer_list<std::string_view> args = {});

// An error of `code` carrying key `id`, its formatted text and `field`.
Error Make(Error::Code code, std::string_view id, std::string field = {},
           std::initializer_list<std::string_view> args = {});
inline Error Invalid(std::string_view id, std::string field = {},
                     std::initializer_list<std::string_view> args = {}) {
  return Make(Error::Code::kInvalid, id, std::move(field), args);
}
inline Error Conflict(std::string_view id, std::string field = {},
                      std::initializer_list<std::string_view> args = {}) {
  return Make(Error::Code::kConflict, id, std::move(field), args);
}
inline Error Forbidden(std::string_view id, std::initializer_list<std::string_view> args = {}) {
  return Make(Error::Code::kForbidden, id, {}, args);
}
inline Error NotFound(std::string_view id, std::initializer_list<std::string_view> args = {}) {
  return Make(Error::Code::kNotFound, id, {}, args);
}

// The key an error should be shown by: its message_id, else a generic key
// of its class ("error.invalid", "error.conflict"...).
std::string_view KeyOf(const Error& e);

}  // namespace amiable::msg

#endif  // AMIABLE_CORE_MESSAGES_H_
