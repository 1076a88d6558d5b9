// Response policies shared by every route: the security headers and the
// Prometheus metrics. Pure (no HTTP library), thread-safe.
#ifndef AMIABLE_WEB_POLICY_H_
#define AMIABLE_WEB_POLICY_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace amiable::web {

// True for the machine endpoints: /api/..., /healthz, /metrics.
bool IsMachinePath(std::string_view path);

// The headers every response carries unless the route set its own value for
// that header (a page may relax Cache-Control for a static asset, never the
// others by accident: the route has to set the header explicitly).
//   Content-Security-Policy  default-src 'self'; frame-ancestors 'none'; ...
//                            (no inline scripts or styles)
//   X-Content-Type-Options   nosniff
//   X-Frame-Options          DENY
//   Referrer-Policy          no-referrer (machine paths), same-origin (pages)
//   Cache-Control            no-store
//   Cross-Origin-Opener-Policy / -Resource-Policy  same-origin
//   Permissions-Policy       camera=(), microphone=(), geolocation=()
//   Strict-Transport-Security when `behind_tls` (served through HTTPS)
std::vector<std::pair<std::string_view, std::string_view>> SecurityHeaders(std::string_view path,
                                                                           bool behind_tls);

// Request counters for /metrics (Prometheus text format 0.0.4). Lock-free.
class Metrics {
 public:
  // Upper bounds (seconds) of the duration histogram buckets; +Inf is implied.
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  5.0};

  // Counts one answered request: its status class (1xx..5xx) and duration.
  void Record(int status, double seconds);

  // The exposition text. `extra` may append gauges (e.g. the store pool).
  std::string Prometheus(const std::function<void(std::string&)>& extra = {}) const;

  uint64_t Count(int status_class) const;  // status_class 1..5
  uint64_t Total() const;

 private:
  std::array<std::atomic<uint64_t>, 6> by_class_{};               // [0] = other
  std::array<std::atomic<uint64_t>, kBuckets.size()> buckets_{};  // non-cumulative
  std::atomic<uint64_t> duration_ns_sum_{0};
  std::atomic<uint64_t> count_{0};
};

}  // namespace amiable::web

#endif  // AMIABLE_WEB_POLICY_H_
