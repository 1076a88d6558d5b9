// Expected failures travel as values: Result<T> is std::expected<T, Error>.
// The command line maps Error::Code to exit codes and the web layer to HTTP
// statuses, each in one place (cli/main.cc, web/http_errors.cc).
#ifndef AMIABLE_CORE_ERROR_H_
#define AMIABLE_CORE_ERROR_H_

#include <expected>
#include <string>
#include <utility>

namespace amiable {

struct Error {
  enum class Code {
    kInvalid,       // bad input: a field, a line, a value (HTTP 400)
    kUnauthorized,  // no or bad credentials (HTTP 401)
    kForbidden,     // authenticated but not allowed (HTTP 403)
    kNotFound,      // absent, or invisible to the acting user (HTTP 404)
    kConflict,      // a transition or uniqueness rule refuses (HTTP 409)
    kTooLarge,      // body or file over its cap (HTTP 413)
    kUnavailable,   // database or outside service down (HTTP 503)
    kInternal,      // a bug or an unexpected failure (HTTP 500)
  };
  Code code = Code::kInternal;
  std::string message;  // French or English, one line, says why
  std::string field;    // the offending field when there is one
  int line = 0;         // 1-based line of an input file, 0 when none
  // A key of the French message catalogue (service/messages.h), stable for
  // programs ("close.resolution_required"); empty for errors not yet keyed.
  std::string message_id;

  // Sets the catalogue key (and keeps `message`): Error::Invalid(...).Id("x").
  Error&& Id(std::string id) && {
    message_id = std::move(id);
    return std::move(*this);
  }

  static Error Invalid(std::string message, std::string field = {}) {
    return {Code::kInvalid, std::move(message), std::move(field), 0, {}};
  }
  static Error NotFound(std::string message) { return {Code::kNotFound, std::move(message), {}, 0, {}}; }
  static Error Conflict(std::string message, std::string field = {}) {
    return {Code::kConflict, std::move(message), std::move(field), 0, {}};
  }
  static Error Internal(std::string message) { return {Code::kInternal, std::move(message), {}, 0, {}}; }
  static Error Unavailable(std::string message) {
    return {Code::kUnavailable, std::move(message), {}, 0, {}};
  }
};

// "ligne N : champ : raison", the shape every input error takes on a terminal.
std::string ToString(const Error& e);

template <typename T>
using Result = std::expected<T, Error>;

// For operations that return nothing on success.
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(Error e) { return std::unexpected<Error>(std::move(e)); }

}  // namespace amiable

#endif  // AMIABLE_CORE_ERROR_H_
