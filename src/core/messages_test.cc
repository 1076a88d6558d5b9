#include "core/messages.h"

#include <gtest/gtest.h>

#include <set>

namespace amiable::msg {
namespace {

TEST(MessagesTest, KeysAreUniqueAndWellFormed) {
  std::set<std::string_view> seen;
  for (const Entry& e : All()) {
    EXPECT_TRUE(seen.insert(e.id).second) << "duplicate key " << e.id;
    EXPECT_NE(e.id.find('.'), std::string_view::npos) << e.id;
    for (char ch : e.id) EXPECT_TRUE(islower(ch) || ch == '.' || ch == '_') << e.id;
    EXPECT_FALSE(e.text.empty()) << e.id;
  }
}

TEST(MessagesTest, FindAndFormat) {
  EXPECT_STREQ(Find("close.resolution_required"), "Clore demande une résolution.");
  EXPECT_EQ(Find("nope.nothing"), nullptr);
  EXPECT_EQ(Format("user.wrong_fund", {"mdupont", "631"}),
            "« mdupont » ne traite pas les dossiers de la Caf 631.");
  Error e = Conflict("case.locked");
  EXPECT_EQ(e.code, Error::Code::kConflict);
  EXPECT_EQ(e.message_id, "case.locked");
  EXPECT_EQ(KeyOf(Error::Invalid("x")), "error.invalid");
  EXPECT_NE(Find(KeyOf(Error::Internal("x"))), nullptr);
}

}  // namespace
}  // namespace amiable::msg
