// The client's address behind trusted reverse proxies (X-Forwarded-For).
// Pure functions, no HTTP library types: the server applies them to every
// request before any handler runs (req.remote_addr).
//
// Rule: when the socket's peer is a trusted proxy, the client is the
// rightmost X-Forwarded-For entry that is not itself a trusted proxy (each
// proxy appends the address it received the request from, so only the
// entries right of the first untrusted one were written by proxies we trust;
// what lies left of it is whatever the client sent). Otherwise, and when the
// header is absent, X-Forwarded-For is ignored: the client is the peer. An
// entry that is not an IP address stops the walk at the last good address.
#ifndef AMIABLE_WEB_FORWARDED_H_
#define AMIABLE_WEB_FORWARDED_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace amiable::web {

class TrustedProxies {
 public:
  // A comma-separated list of addresses or networks: "127.0.0.1",
  // "10.0.0.0/8", "::1", "fd00::/8". Fails on an entry that is neither.
  static Result<TrustedProxies> Parse(std::string_view list);
  static Result<TrustedProxies> Parse(const std::vector<std::string>& entries);

  bool empty() const { return nets_.empty(); }
  // ip: a textual IPv4 or IPv6 address (IPv4-mapped IPv6 counts as IPv4).
  bool Contains(std::string_view ip) const;

 private:
  struct Net {
    std::array<uint8_t, 16> addr{};  // IPv4 as IPv4-mapped IPv6
    int bits = 128;
  };
  std::vector<Net> nets_;
};

// The client's address. forwarded: every X-Forwarded-For header value of the
// request, in order (they are joined as one comma-separated list).
std::string ClientAddress(std::string_view peer, const std::vector<std::string>& forwarded,
                          const TrustedProxies& trusted);

}  // namespace amiable::web

#endif  // AMIABLE_WEB_FORWARDED_H_
