#include "web/http_errors.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/messages.h"

namespace amiable::web {
namespace {

TEST(HttpErrorsTest, EveryCodeHasItsStatusAndName) {
  struct Row {
    Error::Code code;
    int status;
    const char* name;
  };
  const Row rows[] = {
      {Error::Code::kInvalid, 400, "invalid"},
      {Error::Code::kUnauthorized, 401, "unauthorized"},
      {Error::Code::kForbidden, 403, "forbidden"},
      {Error::Code::kNotFound, 404, "not_found"},
      {Error::Code::kConflict, 409, "conflict"},
      {Error::Code::kTooLarge, 413, "too_large"},
      {Error::Code::kUnavailable, 503, "unavailable"},
      {Error::Code::kInternal, 500, "internal"},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(HttpStatus(r.code), r.status) << r.name;
    EXPECT_STREQ(ErrorCodeName(r.code), r.name);
  }
}

TEST(HttpErrorsTest, BodyHasCodeMessageAndField) {
  auto j = nlohmann::json::parse(ErrorJson(Error::Invalid("unknown code 'x'", "channel")));
  EXPECT_EQ(j["error"]["code"], "invalid");
  EXPECT_EQ(j["error"]["message"], "Valeur refusée. Détail : unknown code 'x'");
  EXPECT_EQ(j["error"]["field"], "channel");
  EXPECT_EQ(j["error"]["message_id"], "error.invalid");
}

TEST(HttpErrorsTest, KeyedMessageIsShownAsIs) {
  auto j =
      nlohmann::json::parse(ErrorJson(msg::Invalid("api.field_unknown", "colour", {"colour"})));
  EXPECT_EQ(j["error"]["message_id"], "api.field_unknown");
  EXPECT_EQ(j["error"]["message"], "Champ inconnu « colour ».");
  EXPECT_EQ(j["error"]["field"], "colour");
}

TEST(HttpErrorsTest, FieldLeftOutWhenNone) {
  auto j = nlohmann::json::parse(ErrorJson(Error::NotFound("no case '631-2025-00001'")));
  EXPECT_EQ(j["error"]["code"], "not_found");
  EXPECT_FALSE(j["error"].contains("field"));
}

TEST(HttpErrorsTest, InternalDetailsAreNotShown) {
  Error e = Error::Internal("SQLITE_CORRUPT at sql_store.cc:123 SELECT secret FROM users");
  e.field = "password_hash";
  std::string body = ErrorJson(e);
  EXPECT_EQ(body.find("SQLITE"), std::string::npos);
  EXPECT_EQ(body.find("password_hash"), std::string::npos);
  auto j = nlohmann::json::parse(body);
  EXPECT_EQ(j["error"]["code"], "internal");
  EXPECT_EQ(j["error"]["message_id"], "error.internal");
  EXPECT_EQ(j["error"]["message"], msg::Format("error.internal"));
}

TEST(HttpErrorsTest, InvalidUtf8InFieldDoesNotThrow) {
  std::string body = ErrorJson(Error::Invalid("unknown field", std::string("a\xff", 2)));
  EXPECT_TRUE(nlohmann::json::accept(body));
}

TEST(HttpErrorsTest, UnsupportedMediaType) {
  auto j = nlohmann::json::parse(UnsupportedMediaTypeJson("application/json"));
  EXPECT_EQ(j["error"]["code"], "unsupported_media_type");
  EXPECT_EQ(j["error"]["field"], "Content-Type");
}

}  // namespace
}  // namespace amiable::web
