#include "core/date.h"

#include <gtest/gtest.h>

namespace amiable {
namespace {

TEST(DateTest, ParsesAndPrintsIso) {
  auto d = Date::Parse("2025-01-06");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year(), 2025);
  EXPECT_EQ(d->month(), 1);
  EXPECT_EQ(d->day(), 6);
  EXPECT_EQ(d->iso_weekday(), 1);  // a Monday
  EXPECT_EQ(d->ToString(), "2025-01-06");
  EXPECT_EQ(d->ToFrench(), "06/01/2025");
}

TEST(DateTest, RefusesMalformedAndImpossibleDates) {
  for (const char* bad : {"2025-02-29", "2025-13-01", "2025-1-06", "06/01/2025", "", "2025-01-06x",
                          "0000-01-01", "2025-04-31", "２０２５-01-01"}) {
    EXPECT_FALSE(Date::Parse(bad)) << bad;
  }
  EXPECT_TRUE(Date::Parse("2024-02-29"));
  EXPECT_TRUE(Date::Parse("2000-02-29"));
  EXPECT_FALSE(Date::Parse("1900-02-29"));
}

TEST(DateTest, ParsesTypedIsoOrFrenchDates) {
  EXPECT_EQ(Date::ParseTyped("2025-01-07"), Date::FromCivil(2025, 1, 7));
  EXPECT_EQ(Date::ParseTyped("07/01/2025"), Date::FromCivil(2025, 1, 7));
  for (const char* bad : {"29/02/2025", "7/1/2025", "07-01-2025", "07/01/25", "", "2025/01/07"}) {
    EXPECT_FALSE(Date::ParseTyped(bad)) << bad;
  }
}

TEST(DateTest, ArithmeticRoundTripsOverCenturies) {
  Date d = *Date::Parse("1899-12-31");
  for (int i = 0; i < 110000; ++i) {
    Date e = d + i;
    EXPECT_EQ(Date::Parse(e.ToString()), e);
  }
  EXPECT_EQ(*Date::Parse("2025-03-01") - *Date::Parse("2025-02-28"), 1);
}

}  // namespace
}  // namespace amiable
