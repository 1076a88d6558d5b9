#include "web/policy.h"

#include <fmt/format.h>

#include <cmath>

namespace amiable::web {

bool IsMachinePath(std::string_view path) {
  return path.starts_with("/api/") || path == "/api" || path == "/healthz" || path == "/metrics";
}

std::vector<std::pair<std::string_view, std::string_view>> SecurityHeaders(std::string_view path,
                                                                           bool behind_tls) {
  const bool machine = IsMachinePath(path);
  std::vector<std::pair<std::string_view, std::string_view>> h = {
      {"Content-Security-Policy",
       "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
       "object-src 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", machine ? "no-referrer" : "same-origin"},
      {"Cache-Control", "no-store"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
  };
  if (behind_tls) h.emplace_back("Strict-Transport-Security", "max-age=31536000");
  return h;
}

void Metrics::Record(int status, double seconds) {
  const int cls = status / 100;
  by_class_[(cls >= 1 && cls <= 5) ? cls : 0].fetch_add(1, std::memory_order_relaxed);
  if (!(seconds >= 0)) seconds = 0;  // also catches NaN
  size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  if (i < kBuckets.size()) buckets_[i].fetch_add(1, std::memory_order_relaxed);
  duration_ns_sum_.fetch_add(static_cast<uint64_t>(std::llround(seconds * 1e9)),
                             std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

uint64_t Metrics::Count(int status_class) const {
  if (status_class < 1 || status_class > 5) return by_class_[0].load(std::memory_order_relaxed);
  return by_class_[status_class].load(std::memory_order_relaxed);
}

uint64_t Metrics::Total() const { return count_.load(std::memory_order_relaxed); }

std::string Metrics::Prometheus(const std::function<void(std::string&)>& extra) const {
  std::string out;
  out +=
      "# HELP amiable_http_requests_total HTTP requests answered, by status class.\n"
      "# TYPE amiable_http_requests_total counter\n";
  static constexpr const char* kClass[] = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
  for (int c = 1; c <= 5; ++c) {
    out += fmt::format("amiable_http_requests_total{{class=\"{}\"}} {}\n", kClass[c], Count(c));
  }
  if (uint64_t other = Count(0)) {
    out += fmt::format("amiable_http_requests_total{{class=\"other\"}} {}\n", other);
  }
  out +=
      "# HELP amiable_http_request_duration_seconds Time from the request's headers to its "
      "response.\n"
      "# TYPE amiable_http_request_duration_seconds histogram\n";
  // Read count first: the buckets are then at least as large, so +Inf stays
  // consistent with the cumulative buckets under concurrent updates.
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += fmt::format("amiable_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                       kBuckets[i], cumulative);
  }
  uint64_t count = count_.load(std::memory_order_relaxed);
  if (count < cumulative) count = cumulative;
  out += fmt::format("amiable_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", count);
  out += fmt::format("amiable_http_request_duration_seconds_sum {:.6f}\n",
                     static_cast<double>(duration_ns_sum_.load(std::memory_order_relaxed)) / 1e9);
  out += fmt::format("amiable_http_request_duration_seconds_count {}\n", count);
  if (extra) extra(out);
  return out;
}

}  // namespace amiable::web
