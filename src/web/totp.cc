#include "web/totp.h"

#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

#include <cctype>
#include <cstdlib>
#include <memory>

#include "core/text.h"
#include "web/auth.h"

namespace amiable::web {
namespace {

void EnsureLibs() {
  static const bool ok = [] { return sodium_init() >= 0 && oath_init() == OATH_OK; }();
  if (!ok) std::abort();
}

std::string DecodeBase32(std::string_view b32) {
  EnsureLibs();
  std::string clean;
  for (char c : b32) {
    if (c == ' ' || c == '=') continue;
    clean += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  char* out = nullptr;
  size_t n = 0;
  if (clean.empty() || oath_base32_decode(clean.data(), clean.size(), &out, &n) != OATH_OK) {
    return {};
  }
  std::string bytes(out, n);
  sodium_memzero(out, n);
  std::free(out);
  return bytes;
}

}  // namespace

std::string NewTotpSecret() {
  EnsureLibs();
  unsigned char bytes[20];
  randombytes_buf(bytes, sizeof bytes);
  char* out = nullptr;
  size_t n = 0;
  oath_base32_encode(reinterpret_cast<const char*>(bytes), sizeof bytes, &out, &n);
  sodium_memzero(bytes, sizeof bytes);
  std::string s(out, n);
  std::free(out);
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

std::string TotpCodeRaw(std::string_view secret, int64_t unix_seconds, int digits) {
  EnsureLibs();
  char otp[16] = {};
  if (oath_totp_generate(secret.data(), secret.size(), static_cast<time_t>(unix_seconds),
                         kTotpStepSeconds, 0, static_cast<unsigned>(digits), otp) != OATH_OK) {
    return {};
  }
  return otp;
}

std::string TotpCode(std::string_view secret_base32, int64_t step, int digits) {
  const std::string key = DecodeBase32(secret_base32);
  if (key.empty()) return {};
  return TotpCodeRaw(key, step * kTotpStepSeconds, digits);
}

std::optional<int64_t> MatchTotp(std::string_view secret_base32, std::string_view code,
                                 int64_t unix_seconds) {
  std::string digits;
  for (char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9') return std::nullopt;
    digits += c;
  }
  if (digits.size() != static_cast<size_t>(kTotpDigits)) return std::nullopt;
  const std::string key = DecodeBase32(secret_base32);
  if (key.empty()) return std::nullopt;
  const int64_t now_step = unix_seconds / kTotpStepSeconds;
  std::optional<int64_t> found;
  for (int64_t step = now_step - 1; step <= now_step + 1; ++step) {
    // Every candidate is computed and compared in constant time.
    const std::string expected = TotpCodeRaw(key, step * kTotpStepSeconds, kTotpDigits);
    if (ConstantTimeEquals(expected, digits) && !found) found = step;
  }
  return found;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32) {
  return "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account) +
         "?secret=" + std::string(secret_base32) + "&issuer=" + PercentEncode(issuer) +
         "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
}

std::string QrSvg(std::string_view text) {
  const std::string t(text);
  QRcode* qr = QRcode_encodeString(t.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!qr) return {};
  const int w = qr->width;
  const int size = w + 8;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(size) + " " + std::to_string(size) +
                    "\" width=\"" + std::to_string(size * 6) + "\" height=\"" +
                    std::to_string(size * 6) +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
                    "fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < w; ++y) {
    for (int x = 0; x < w; ++x) {
      if (qr->data[y * w + x] & 1) {
        svg += "M" + std::to_string(x + 4) + " " + std::to_string(y + 4) + "h1v1h-1z";
      }
    }
  }
  svg += "\"/></svg>";
  QRcode_free(qr);
  return svg;
}

std::vector<std::string> NewRecoveryCodes() {
  EnsureLibs();
  // 32 symbols: no o, i, l, 1 (look-alikes of 0 and of each other).
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz234567890";
  static_assert(kAlphabet.size() == 32);
  std::vector<std::string> out;
  for (int i = 0; i < kRecoveryCodes; ++i) {
    std::string code;
    for (int j = 0; j < 10; ++j) {
      if (j == 5) code += '-';
      code += kAlphabet[randombytes_uniform(32)];
    }
    out.push_back(std::move(code));
  }
  return out;
}

std::string HashRecoveryCode(std::string_view code) {
  std::string norm;
  for (char c : code) {
    if (c == ' ' || c == '-') continue;
    norm += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (norm.size() != 10) return {};
  return HashToken("recovery:" + norm);
}

}  // namespace amiable::web
