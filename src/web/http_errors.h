// The one place where expected failures (core/error.h) become HTTP statuses
// and JSON error bodies. Every route of the API answers errors through here,
// so that a client always gets
//   {"error":{"code":"invalid","message_id":"close.resolution_required",
//             "message":"<French>","field":"..."}}
// (message_id: a key of core/messages.h, stable for programs; errors not yet
// keyed carry the generic key of their class, e.g. "error.invalid", and a
// message that starts with its French sentence).
// with the status of the code, and never a stack trace or a database message
// beyond Error::message.
//
// Pure functions, thread-safe; no HTTP library needed to use them.
#ifndef AMIABLE_WEB_HTTP_ERRORS_H_
#define AMIABLE_WEB_HTTP_ERRORS_H_

#include <string>
#include <string_view>

#include "core/error.h"

namespace amiable::web {

// kInvalid 400, kUnauthorized 401, kForbidden 403, kNotFound 404,
// kConflict 409, kTooLarge 413, kUnavailable 503, kInternal 500.
int HttpStatus(Error::Code code);

// The code string of the JSON body: "invalid", "unauthorized", "forbidden",
// "not_found", "conflict", "too_large", "unavailable", "internal".
const char* ErrorCodeName(Error::Code code);

// The JSON body of an error. "field" is present only when the error names
// one. Internal errors keep their generic message: details go to the log, not
// to the client (see PublicMessage).
std::string ErrorJson(const Error& e);

// The message shown to the client: e.message, except for kInternal, whose
// message may carry database details and becomes a generic sentence, and for
// an error without a catalogue key, shown as the French sentence of its class
// followed by "Détail : <its message>" (key error.detail).
std::string PublicMessage(const Error& e);

// A body that is not JSON at all gets a 415 (not an Error::Code: HTTP only).
inline constexpr int kUnsupportedMediaType = 415;
std::string UnsupportedMediaTypeJson(std::string_view expected);

}  // namespace amiable::web

#endif  // AMIABLE_WEB_HTTP_ERRORS_H_
