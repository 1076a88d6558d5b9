#include "core/french_parse.h"

#include <gtest/gtest.h>

namespace amiable::fr {
namespace {

TEST(FrenchParse, DecimalTakesCommaOrPoint) {
  EXPECT_DOUBLE_EQ(*ParseDecimal("5,12"), 5.12);
  EXPECT_DOUBLE_EQ(*ParseDecimal("5.12"), 5.12);
  EXPECT_DOUBLE_EQ(*ParseDecimal("22,80"), 22.8);
  EXPECT_DOUBLE_EQ(*ParseDecimal(" 7 "), 7.0);
  EXPECT_DOUBLE_EQ(*ParseDecimal("24 579,5"), 24579.5);
  EXPECT_DOUBLE_EQ(*ParseDecimal("24\u202F579"), 24579.0);
  EXPECT_DOUBLE_EQ(*ParseDecimal("1\u00A0234.25"), 1234.25);
  EXPECT_DOUBLE_EQ(*ParseDecimal(",5"), 0.5);
  EXPECT_DOUBLE_EQ(*ParseDecimal("5,"), 5.0);
}

TEST(FrenchParse, DecimalRefusesWhatIsNotAPlainNumber) {
  for (const char* bad : {"", " ", ",", "1.234,5", "1,2,3", "-2", "+2", "5e3", "abc", "5 j",
                          "inf", "nan", "0x10"}) {
    EXPECT_FALSE(ParseDecimal(bad).has_value()) << bad;
  }
}

TEST(FrenchParse, CountTakesGroupedDigitsOnly) {
  EXPECT_EQ(*ParseCount("24 579"), 24579);
  EXPECT_EQ(*ParseCount("12\u202F888\u202F188"), 12888188);
  EXPECT_EQ(*ParseCount("0"), 0);
  for (const char* bad : {"", "5,0", "5.5", "-1", "1e3", "99999999999999999999", "x"}) {
    EXPECT_FALSE(ParseCount(bad).has_value()) << bad;
  }
}

TEST(FrenchParse, PercentWithOrWithoutSign) {
  EXPECT_DOUBLE_EQ(*ParsePercent("87,5"), 0.875);
  EXPECT_DOUBLE_EQ(*ParsePercent("87,5 %"), 0.875);
  EXPECT_DOUBLE_EQ(*ParsePercent("87,5\u202F%"), 0.875);
  EXPECT_DOUBLE_EQ(*ParsePercent("94.34%"), 0.9434);
  EXPECT_DOUBLE_EQ(*ParsePercent("100"), 1.0);
  EXPECT_DOUBLE_EQ(*ParsePercent("0 %"), 0.0);
  for (const char* bad : {"", "%", "100,1", "101 %", "-5 %", "5 %%", "cinq"}) {
    EXPECT_FALSE(ParsePercent(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace amiable::fr
