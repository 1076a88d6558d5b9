#include "web/forwarded.h"

#include <gtest/gtest.h>

namespace amiable::web {
namespace {

TrustedProxies Trust(std::string_view list) {
  auto t = TrustedProxies::Parse(list);
  EXPECT_TRUE(t.has_value()) << list;
  return t ? *t : TrustedProxies{};
}

TEST(ForwardedTest, ParsesAddressesAndNetworks) {
  const TrustedProxies t = Trust("127.0.0.1, 10.0.0.0/8,::1,fd00::/8");
  EXPECT_TRUE(t.Contains("127.0.0.1"));
  EXPECT_FALSE(t.Contains("127.0.0.2"));
  EXPECT_TRUE(t.Contains("10.200.3.4"));
  EXPECT_FALSE(t.Contains("11.0.0.1"));
  EXPECT_TRUE(t.Contains("::1"));
  EXPECT_TRUE(t.Contains("fd12::7"));
  EXPECT_FALSE(t.Contains("fe80::1"));
  EXPECT_TRUE(t.Contains("::ffff:10.1.1.1"));  // IPv4-mapped counts as IPv4
  EXPECT_FALSE(t.Contains("not an address"));
  EXPECT_FALSE(TrustedProxies::Parse("127.0.0.1,bogus").has_value());
  EXPECT_FALSE(TrustedProxies::Parse("10.0.0.0/33").has_value());
  EXPECT_FALSE(TrustedProxies::Parse("10.0.0.0/x").has_value());
  EXPECT_TRUE(Trust("").empty());
}

TEST(ForwardedTest, IgnoresTheHeaderFromAnUntrustedPeer) {
  const TrustedProxies t = Trust("10.0.0.1");
  EXPECT_EQ(ClientAddress("192.0.2.9", {"203.0.113.7"}, t), "192.0.2.9");
  EXPECT_EQ(ClientAddress("192.0.2.9", {"203.0.113.7"}, TrustedProxies{}), "192.0.2.9");
}

TEST(ForwardedTest, TakesTheRightmostUntrustedEntryFromATrustedPeer) {
  const TrustedProxies t = Trust("10.0.0.1,10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.1", {"203.0.113.7"}, t), "203.0.113.7");
  // A client's forged entries lie left of what the proxy appended.
  EXPECT_EQ(ClientAddress("10.0.0.1", {"1.1.1.1, 203.0.113.7"}, t), "203.0.113.7");
  // Proxies in a chain are skipped; several headers are one list.
  EXPECT_EQ(ClientAddress("10.0.0.1", {"6.6.6.6, 203.0.113.7", "10.0.0.2"}, t), "203.0.113.7");
  EXPECT_EQ(ClientAddress("10.0.0.1", {"[2001:db8::5]:4711"}, t), "2001:db8::5");
  EXPECT_EQ(ClientAddress("10.0.0.1", {"203.0.113.7:5555"}, t), "203.0.113.7");
}

TEST(ForwardedTest, FallsBackToTheNearestGoodHop) {
  const TrustedProxies t = Trust("10.0.0.1,10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.1", {}, t), "10.0.0.1");
  EXPECT_EQ(ClientAddress("10.0.0.1", {"unknown"}, t), "10.0.0.1");
  EXPECT_EQ(ClientAddress("10.0.0.1", {"203.0.113.7, garbage, 10.0.0.2"}, t), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.1", {"10.0.0.2"}, t), "10.0.0.2");  // all trusted
  EXPECT_EQ(ClientAddress("10.0.0.1", {" , "}, t), "10.0.0.1");
}

}  // namespace
}  // namespace amiable::web
