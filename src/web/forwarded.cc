#include "web/forwarded.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace amiable::web {
namespace {

std::string_view Trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// "[::1]:80" and "1.2.3.4:5678", forms some proxies write: without the port.
std::string Bare(std::string_view text) {
  std::string s(Trim(text));
  if (s.size() > 2 && s.front() == '[') {
    const size_t close = s.find(']');
    return close == std::string::npos ? std::string() : s.substr(1, close - 1);
  }
  if (std::count(s.begin(), s.end(), ':') == 1) s = s.substr(0, s.find(':'));
  return s;
}

// An address as 16 bytes (IPv4 mapped into IPv6), or nothing.
std::optional<std::array<uint8_t, 16>> ParseIp(std::string_view text) {
  const std::string s = Bare(text);
  std::array<uint8_t, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool IsMappedV4(const std::array<uint8_t, 16>& a) {
  for (int i = 0; i < 10; ++i) {
    if (a[i] != 0) return false;
  }
  return a[10] == 0xff && a[11] == 0xff;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& entries) {
  TrustedProxies out;
  for (const std::string& raw : entries) {
    std::string_view e = Trim(raw);
    if (e.empty()) continue;
    std::string_view addr = e;
    int bits = -1;
    if (const size_t slash = e.find('/'); slash != std::string_view::npos) {
      addr = e.substr(0, slash);
      const std::string b(e.substr(slash + 1));
      if (b.empty() || b.size() > 3 || b.find_first_not_of("0123456789") != std::string::npos) {
        return std::unexpected(Error::Invalid("mandataire de confiance invalide : " + raw,
                                              "trusted_proxy"));
      }
      bits = std::stoi(b);
    }
    auto ip = ParseIp(addr);
    if (!ip) {
      return std::unexpected(
          Error::Invalid("mandataire de confiance invalide : " + raw, "trusted_proxy"));
    }
    const bool v4 = IsMappedV4(*ip) && addr.find(':') == std::string_view::npos;
    if (bits < 0) bits = v4 ? 32 : 128;
    if ((v4 && bits > 32) || bits > 128) {
      return std::unexpected(
          Error::Invalid("mandataire de confiance invalide : " + raw, "trusted_proxy"));
    }
    out.nets_.push_back(Net{*ip, v4 ? bits + 96 : bits});
  }
  return out;
}

Result<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  std::vector<std::string> entries;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = list.find(',', start);
    const size_t end = comma == std::string_view::npos ? list.size() : comma;
    entries.emplace_back(list.substr(start, end - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return Parse(entries);
}

bool TrustedProxies::Contains(std::string_view ip) const {
  auto a = ParseIp(ip);
  if (!a) return false;
  for (const Net& n : nets_) {
    int bits = n.bits;
    bool match = true;
    for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
      const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
      if (((*a)[i] & mask) != (n.addr[i] & mask)) {
        match = false;
        break;
      }
    }
    if (match) return true;
  }
  return false;
}

std::string ClientAddress(std::string_view peer, const std::vector<std::string>& forwarded,
                          const TrustedProxies& trusted) {
  std::string client(peer);
  if (trusted.empty() || forwarded.empty() || !trusted.Contains(peer)) return client;
  std::vector<std::string_view> hops;
  for (const std::string& value : forwarded) {
    size_t start = 0;
    for (;;) {
      const size_t comma = value.find(',', start);
      const std::string_view e =
          Trim(std::string_view(value).substr(start, comma == std::string::npos
                                                         ? std::string::npos
                                                         : comma - start));
      if (!e.empty()) hops.push_back(e);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!ParseIp(*it)) return client;  // garbage: keep the last good hop
    client = Bare(*it);
    if (!trusted.Contains(client)) return client;
  }
  return client;  // all trusted: the farthest one
}

}  // namespace amiable::web
