#include "core/french_format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace amiable {
namespace {

const std::string kNnbsp = "\u202F";
const std::string kNbsp = "\u00A0";

TEST(French, Counts) {
  struct {
    int64_t in;
    std::string out;
  } cases[] = {
      {0, "0"},
      {7, "7"},
      {999, "999"},
      {1000, "1" + kNnbsp + "000"},
      {1234, "1" + kNnbsp + "234"},
      {24579, "24" + kNnbsp + "579"},
      {12888188, "12" + kNnbsp + "888" + kNnbsp + "188"},
      {-56, "-56"},
      {-1234, "-1" + kNnbsp + "234"},
  };
  for (const auto& c : cases) EXPECT_EQ(fr::Count(c.in), c.out) << c.in;
}

TEST(French, Euros) {
  EXPECT_EQ(fr::Euros(12812006), "128" + kNnbsp + "120,06" + kNbsp + "€");
  EXPECT_EQ(fr::Euros(26700), "267,00" + kNbsp + "€");
  EXPECT_EQ(fr::Euros(5), "0,05" + kNbsp + "€");
  EXPECT_EQ(fr::Euros(0), "0,00" + kNbsp + "€");
  EXPECT_EQ(fr::Euros(2671062), "26" + kNnbsp + "710,62" + kNbsp + "€");
  EXPECT_EQ(fr::Euros(-73170), "-731,70" + kNbsp + "€");
}

TEST(French, PercentagesAndDays) {
  EXPECT_EQ(fr::PercentOfFraction(0.3566), "35,7" + kNnbsp + "%");
  EXPECT_EQ(fr::PercentOfFraction(0.357), "35,7" + kNnbsp + "%");
  EXPECT_EQ(fr::PercentOfFraction(1.0), "100,0" + kNnbsp + "%");
  EXPECT_EQ(fr::PercentOfFraction(0.0), "0,0" + kNnbsp + "%");
  EXPECT_EQ(fr::PercentOfFraction(0.00049), "0,0" + kNnbsp + "%");
  EXPECT_EQ(fr::PercentOfFraction(0.0005), "0,1" + kNnbsp + "%");  // half away from zero
  EXPECT_EQ(fr::PercentOfFraction(std::nullopt), "n.d.");
  EXPECT_EQ(fr::Days(1.65), "1,65" + kNbsp + "j");
  EXPECT_EQ(fr::Days(17.17), "17,17" + kNbsp + "j");
  EXPECT_EQ(fr::Days(std::nullopt), "n.d.");
  EXPECT_EQ(fr::Decimal(1234.5, 1), "1" + kNnbsp + "234,5");
  EXPECT_EQ(fr::Change(0.2364), "+23,6" + kNnbsp + "%");
  EXPECT_EQ(fr::Change(-0.1), "-10,0" + kNnbsp + "%");
  EXPECT_EQ(fr::Change(std::nullopt), "n.d.");
}

TEST(French, Dates) {
  EXPECT_EQ(fr::ShortDate(Date::FromCivil(2026, 11, 26)), "26/11/2026");
  EXPECT_EQ(fr::ShortDate(Date::FromCivil(2025, 1, 6)), "06/01/2025");
  EXPECT_EQ(fr::LongDate(Date::FromCivil(2025, 3, 1)), "1er mars 2025");
  EXPECT_EQ(fr::MonthName(8), "août");
  EXPECT_EQ(fr::CapitalizedMonthName(2), "Février");
}

TEST(French, Spaces) {
  EXPECT_EQ(fr::Spaces("voir « Qualité » : oui ; non ?"),
            "voir «" + kNbsp + "Qualité" + kNbsp + "»" + kNbsp + ":" + " oui" + kNbsp +
                "; non" + kNbsp + "?");
  EXPECT_EQ(fr::Spaces("a b"), "a b");
}


// Percent(num, den) rounds half away from zero on the exact ratio.
TEST(French, PercentOfExactRatios) {
  struct {
    int64_t num, den;
    int decimals;
    std::string out;
  } cases[] = {
      {247, 2000, 1, "12,4"},  // 12,35 % exactly: half up (a double gives 12,349999…)
      {247, 2000, 2, "12,35"},
      {1, 8, 0, "13"},  // 12,5 %
      {1, 8, 1, "12,5"},
      {3, 8, 0, "38"},  // 37,5 %
      {1, 3, 1, "33,3"},
      {2, 3, 1, "66,7"},
      {1, 3, 0, "33"},
      {2, 3, 0, "67"},
      {1, 6, 2, "16,67"},
      {0, 5, 1, "0,0"},
      {5, 5, 1, "100,0"},
      {1, 2000, 1, "0,1"},  // 0,05 % exactly
      {1, 2001, 1, "0,0"},  // just under 0,05 %
      {1235, 10000, 1, "12,4"},
      {12345, 100000, 2, "12,35"},
      {3, 2, 0, "150"},
      {-1, 8, 0, "-13"},  // half away from zero
      {1, -8, 0, "-13"},
      {123456789, 1000, 0, "12" + kNnbsp + "345" + kNnbsp + "679"},
      {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::max(), 1, "100,0"},
      {std::numeric_limits<int64_t>::max() / 2, std::numeric_limits<int64_t>::max(), 1, "50,0"},
      {1'000'000'000'001, 2'000'000'000'000, 1, "50,0"},
      {999'999'999'999, 8'000'000'000'000, 0, "12"},  // 12,4999… %
  };
  for (const auto& c : cases) {
    EXPECT_EQ(fr::Percent(c.num, c.den, c.decimals), c.out + kNnbsp + "%")
        << c.num << "/" << c.den << " at " << c.decimals;
  }
}

TEST(French, PercentOfEmptyDenominatorIsNotAvailable) {
  EXPECT_EQ(fr::Percent(0, 0), "n.d.");
  EXPECT_EQ(fr::Percent(3, 0, 0), "n.d.");
}

TEST(French, RoundRatio) {
  EXPECT_EQ(fr::RoundRatio(247, 2000, 3), 124);
  EXPECT_EQ(fr::RoundRatio(1, 8, 2), 13);
  EXPECT_EQ(fr::RoundRatio(7, 2, 0), 4);
  EXPECT_EQ(fr::RoundRatio(-7, 2, 0), -4);
  EXPECT_EQ(fr::RoundRatio(5, 3, 18), 1'666'666'666'666'666'667);
}

// The double overload agrees with the exact one for every ratio of counts of
// a fund's year (denominators up to 2 000 here), at 0, 1 and 2 decimals.
TEST(French, FractionOverloadAgreesWithExactRatios) {
  for (int64_t den = 1; den <= 2000; ++den) {
    for (int64_t num = 0; num <= den; ++num) {
      for (int decimals = 0; decimals <= 2; ++decimals) {
        const double f = static_cast<double>(num) / static_cast<double>(den);
        ASSERT_EQ(fr::PercentOfFraction(f, decimals), fr::Percent(num, den, decimals))
            << num << "/" << den << " at " << decimals;
      }
    }
  }
}

TEST(French, FixedFromScaled) {
  EXPECT_EQ(fr::FixedFromScaled(-123456, 2), "-1" + kNnbsp + "234,56");
  EXPECT_EQ(fr::FixedFromScaled(5, 3), "0,005");
  EXPECT_EQ(fr::FixedFromScaled(std::numeric_limits<int64_t>::min(), 0),
            "-9" + kNnbsp + "223" + kNnbsp + "372" + kNnbsp + "036" + kNnbsp + "854" + kNnbsp +
                "775" + kNnbsp + "808");
}

TEST(French, PointChange) {
  EXPECT_EQ(fr::PointChange(0.051), "+5,1" + kNbsp + "pts");
  EXPECT_EQ(fr::PointChange(0.0), "0,0" + kNbsp + "pts");
  EXPECT_EQ(fr::PointChange(std::nullopt), "n.d.");
}

}  // namespace
}  // namespace amiable
