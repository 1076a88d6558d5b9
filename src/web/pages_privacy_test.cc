// The paragraphs of a fund's public text (pages_privacy.cc), without HTTP.
#include <gtest/gtest.h>

#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

TEST(PublicTextBlocksTest, ParagraphsAndHeadings) {
  List b = PublicTextBlocks("# Déclaration\r\n\r\nPremière ligne\nseconde ligne\n\n\n  \nFin <b>");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].get("heading")->string_value(), "Déclaration");
  EXPECT_EQ(b[0].get("text"), nullptr);
  EXPECT_EQ(b[1].get("text")->string_value(), "Première ligne\nseconde ligne");
  EXPECT_EQ(b[2].get("text")->string_value(), "Fin <b>");  // escaped by the template
  EXPECT_TRUE(PublicTextBlocks("").empty());
  EXPECT_TRUE(PublicTextBlocks("\n \n").empty());
}

}  // namespace
}  // namespace amiable::web::pages
