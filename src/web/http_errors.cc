#include "web/http_errors.h"

#include <nlohmann/json.hpp>

#include "core/messages.h"

namespace amiable::web {

int HttpStatus(Error::Code code) {
  switch (code) {
    case Error::Code::kInvalid:
      return 400;
    case Error::Code::kUnauthorized:
      return 401;
    case Error::Code::kForbidden:
      return 403;
    case Error::Code::kNotFound:
      return 404;
    case Error::Code::kConflict:
      return 409;
    case Error::Code::kTooLarge:
      return 413;
    case Error::Code::kUnavailable:
      return 503;
    case Error::Code::kInternal:
      return 500;
  }
  return 500;
}

const char* ErrorCodeName(Error::Code code) {
  switch (code) {
    case Error::Code::kInvalid:
      return "invalid";
    case Error::Code::kUnauthorized:
      return "unauthorized";
    case Error::Code::kForbidden:
      return "forbidden";
    case Error::Code::kNotFound:
      return "not_found";
    case Error::Code::kConflict:
      return "conflict";
    case Error::Code::kTooLarge:
      return "too_large";
    case Error::Code::kUnavailable:
      return "unavailable";
    case Error::Code::kInternal:
      return "internal";
  }
  return "internal";
}

std::string PublicMessage(const Error& e) {
  // Internal errors may carry database details: those go to the log only.
  if (e.code == Error::Code::kInternal || e.message.empty()) return msg::Format(msg::KeyOf(e));
  if (e.message_id.empty()) {
    // Not keyed yet (a message of the store): the French sentence of its
    // class first, its own words as a detail.
    return msg::Format("error.detail", {msg::Format(msg::KeyOf(e)), e.message});
  }
  return e.message;
}

std::string ErrorJson(const Error& e) {
  nlohmann::ordered_json inner;
  inner["code"] = ErrorCodeName(e.code);
  inner["message_id"] = e.code == Error::Code::kInternal ? "error.internal" : msg::KeyOf(e);
  inner["message"] = PublicMessage(e);
  if (!e.field.empty() && e.code != Error::Code::kInternal) inner["field"] = e.field;
  nlohmann::ordered_json body;
  body["error"] = std::move(inner);
  // Replace invalid UTF-8 (a field name echoed from input) instead of throwing.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string UnsupportedMediaTypeJson(std::string_view expected) {
  nlohmann::ordered_json inner;
  inner["code"] = "unsupported_media_type";
  inner["message_id"] = "api.media_type";
  inner["message"] = msg::Format("api.media_type", {expected});
  inner["field"] = "Content-Type";
  nlohmann::ordered_json body;
  body["error"] = std::move(inner);
  return body.dump();
}

}  // namespace amiable::web
