#include "core/region.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/nomenclature.h"

namespace amiable {
namespace {

TEST(Region, TheEighteenInseeRegions) {
  const Nomenclature& r = nomenclature::Region();
  EXPECT_EQ(r.name, "region");
  ASSERT_EQ(r.entries.size(), 18u);
  struct {
    const char* code;
    const char* label;
  } expected[] = {
      {"01", "Guadeloupe"},
      {"02", "Martinique"},
      {"03", "Guyane"},
      {"04", "La Réunion"},
      {"06", "Mayotte"},
      {"11", "Île-de-France"},
      {"24", "Centre-Val de Loire"},
      {"27", "Bourgogne-Franche-Comté"},
      {"28", "Normandie"},
      {"32", "Hauts-de-France"},
      {"44", "Grand Est"},
      {"52", "Pays de la Loire"},
      {"53", "Bretagne"},
      {"75", "Nouvelle-Aquitaine"},
      {"76", "Occitanie"},
      {"84", "Auvergne-Rhône-Alpes"},
      {"93", "Provence-Alpes-Côte d'Azur"},
      {"94", "Corse"},
  };
  for (size_t i = 0; i < std::size(expected); ++i) {
    EXPECT_EQ(r.entries[i].code, expected[i].code);
    EXPECT_EQ(r.entries[i].label, expected[i].label);
  }
  int overseas = 0;
  for (const NomenclatureEntry& e : r.entries) overseas += e.code < std::string_view("10");
  EXPECT_EQ(overseas, 5);
  // Not an editable nomenclature of the administration page.
  EXPECT_EQ(nomenclature::Find("region"), nullptr);
}

TEST(Region, CheckRegionCode) {
  EXPECT_TRUE(CheckRegionCode(""));
  EXPECT_TRUE(CheckRegionCode("84"));
  EXPECT_TRUE(CheckRegionCode("04"));
  for (const char* bad : {"ARA", "4", "004", "05", "84 ", "Auvergne-Rhône-Alpes", "99"}) {
    const Status s = CheckRegionCode(bad, "--region");
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().code, Error::Code::kInvalid);
    EXPECT_EQ(s.error().field, "--region");
    EXPECT_EQ(s.error().message_id, "organisme.region_unknown");
    EXPECT_NE(s.error().message.find("amiable organisme regions"), std::string::npos);
    EXPECT_EQ(s.error().message.find('\n'), std::string::npos);
  }
  const Status ctl = CheckRegionCode("8\n4");
  ASSERT_FALSE(ctl);
  EXPECT_EQ(ctl.error().message.find('\n'), std::string::npos);
}

TEST(Region, SameRegion) {
  const Organisme puy{"631", "Caf du Puy-de-Dôme", "metropole", "84", false};
  const Organisme rhone{"691", "Caf du Rhône", "metropole", "84", false};
  const Organisme bas_rhin{"671", "Caf du Bas-Rhin", "alsace_moselle", "44", false};
  const Organisme unknown{"999", "Caf inconnue", "metropole", "", false};
  EXPECT_TRUE(SameRegion(puy, rhone));
  EXPECT_TRUE(SameRegion(puy, puy));
  EXPECT_FALSE(SameRegion(puy, bas_rhin));
  EXPECT_FALSE(SameRegion(puy, unknown));
  EXPECT_FALSE(SameRegion(unknown, unknown));
}

}  // namespace
}  // namespace amiable
