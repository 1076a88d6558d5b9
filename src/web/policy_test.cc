#include "web/policy.h"

#include <gtest/gtest.h>

#include <map>

namespace amiable::web {
namespace {

std::map<std::string, std::string> AsMap(
    const std::vector<std::pair<std::string_view, std::string_view>>& h) {
  std::map<std::string, std::string> m;
  for (const auto& [k, v] : h) m.emplace(k, v);
  return m;
}

TEST(PolicyTest, MachinePaths) {
  EXPECT_TRUE(IsMachinePath("/api/v1/cases"));
  EXPECT_TRUE(IsMachinePath("/healthz"));
  EXPECT_TRUE(IsMachinePath("/metrics"));
  EXPECT_FALSE(IsMachinePath("/apiary"));
  EXPECT_FALSE(IsMachinePath("/demande"));
  EXPECT_FALSE(IsMachinePath("/"));
}

TEST(PolicyTest, StrictHeadersEverywhere) {
  for (std::string_view path : {"/api/v1/cases", "/demande", "/healthz"}) {
    auto h = AsMap(SecurityHeaders(path, false));
    const std::string& csp = h["Content-Security-Policy"];
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << path;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(h["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(h["X-Frame-Options"], "DENY");
    EXPECT_EQ(h["Cache-Control"], "no-store");
    EXPECT_FALSE(h["Referrer-Policy"].empty());
    EXPECT_EQ(h.count("Strict-Transport-Security"), 0u);
  }
  EXPECT_EQ(AsMap(SecurityHeaders("/api/v1/cases", false))["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(AsMap(SecurityHeaders("/demande", false))["Referrer-Policy"], "same-origin");
}

TEST(PolicyTest, HstsOnlyBehindTls) {
  auto h = AsMap(SecurityHeaders("/", true));
  EXPECT_EQ(h["Strict-Transport-Security"], "max-age=31536000");
}

TEST(MetricsTest, CountsByClassAndHistogram) {
  Metrics m;
  m.Record(200, 0.0005);
  m.Record(201, 0.003);
  m.Record(404, 0.2);
  m.Record(503, 10.0);
  m.Record(99, -1);
  EXPECT_EQ(m.Count(2), 2u);
  EXPECT_EQ(m.Count(4), 1u);
  EXPECT_EQ(m.Count(5), 1u);
  EXPECT_EQ(m.Count(0), 1u);
  EXPECT_EQ(m.Total(), 5u);
  std::string text = m.Prometheus([](std::string& out) { out += "extra_gauge 1\n"; });
  EXPECT_NE(text.find("amiable_http_requests_total{class=\"2xx\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("amiable_http_requests_total{class=\"4xx\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("amiable_http_requests_total{class=\"other\"} 1\n"), std::string::npos);
  // 0.0005 and the clamped -1 fall in le=0.001; 0.003 in le=0.005; 10 s only in +Inf.
  EXPECT_NE(text.find("amiable_http_request_duration_seconds_bucket{le=\"0.001\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("amiable_http_request_duration_seconds_bucket{le=\"0.005\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("amiable_http_request_duration_seconds_bucket{le=\"5\"} 4\n"),
            std::string::npos);
  EXPECT_NE(text.find("amiable_http_request_duration_seconds_bucket{le=\"+Inf\"} 5\n"),
            std::string::npos);
  EXPECT_NE(text.find("amiable_http_request_duration_seconds_count 5\n"), std::string::npos);
  EXPECT_NE(text.find("amiable_http_request_duration_seconds_sum 10.203500\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("extra_gauge 1\n"), std::string::npos);
}

}  // namespace
}  // namespace amiable::web
