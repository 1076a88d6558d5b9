// SaveFund: the administrator only; the region one of the 18 INSEE codes.
#include "service/funds.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amiable::service {
namespace {

class SaveFundTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-save-fund-test"));
  }
  static Caller As(Role r) {
    User u;
    u.name = "u";
    u.role = r;
    u.all_funds = true;
    return Caller::OfUser(u);
  }
};

TEST_F(SaveFundTest, RefusesAnUnknownRegionOnItsField) {
  const Caller admin = As(Role::kAdministrator);
  Organisme o{"631", "Caf du Puy-de-Dôme", "metropole", "ARA", false};
  auto s = SaveFund(*store_, admin, o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message_id, "admin.region_unknown");
  EXPECT_EQ(s.error().field, "region");
  EXPECT_NE(s.error().message.find("Région inconnue"), std::string::npos);
  EXPECT_FALSE(store_->GetOrganisme("631"));
  o.region = "84";
  EXPECT_TRUE(SaveFund(*store_, admin, o));
  EXPECT_EQ(store_->GetOrganisme("631")->region, "84");
  o.region = "";
  EXPECT_TRUE(SaveFund(*store_, admin, o)) << "a region may be unknown";
}

TEST_F(SaveFundTest, ChecksEveryFieldAndTheRole) {
  Organisme o{"631", "Caf", "metropole", "84", false};
  auto field = [&](Organisme x) {
    auto s = SaveFund(*store_, As(Role::kAdministrator), x);
    return s ? std::string() : s.error().field;
  };
  EXPECT_EQ(field({"63", "Caf", "metropole", "", false}), "code");
  EXPECT_EQ(field({"631", "", "metropole", "", false}), "name");
  EXPECT_EQ(field({"631", "Caf", "lune", "", false}), "zone");
  auto s = SaveFund(*store_, As(Role::kManager), o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Error::Code::kForbidden);
}

}  // namespace
}  // namespace amiable::service
