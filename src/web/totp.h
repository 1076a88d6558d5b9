// The second factor: TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits)
// computed with liboath, its QR code (libqrencode, drawn as SVG), and the
// recovery codes.
//
// - A secret is 20 random bytes (libsodium), kept and shown as base32
//   (RFC 4648, without padding), the form authenticator apps read.
// - A code is accepted at the current step or one step either side
//   (clock drift); the caller stores the step accepted and refuses any step
//   not later than it (replay: store/sign_in_guard.h UseTotpStep).
// - Recovery codes: kRecoveryCodes codes "xxxxx-xxxxx" of 10 characters
//   from a 32-letter alphabet without look-alikes (50 bits each); only
//   HashRecoveryCode of each is stored; input is matched case-insensitively,
//   spaces and dashes ignored.
//
// Thread safety: every function is thread-safe.
#ifndef AMIABLE_WEB_TOTP_H_
#define AMIABLE_WEB_TOTP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amiable::web {

inline constexpr int kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;
inline constexpr int kRecoveryCodes = 10;

// A fresh secret, base32 (32 characters).
std::string NewTotpSecret();

// The code of `secret_base32` at time step `step` (unix_seconds / 30), with
// `digits` digits; "" when the secret is not valid base32.
std::string TotpCode(std::string_view secret_base32, int64_t step, int digits = kTotpDigits);
// Same with the RFC 6238 test key given as raw bytes (tests).
std::string TotpCodeRaw(std::string_view secret_bytes, int64_t unix_seconds, int digits);

// The step (of now-1, now, now+1) at which `code` is right, or nullopt.
std::optional<int64_t> MatchTotp(std::string_view secret_base32, std::string_view code,
                                 int64_t unix_seconds);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&... (key URI format).
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32);

// An SVG image (black modules on white, 4-module quiet zone) of the QR code
// of `text`; "" when it cannot be encoded.
std::string QrSvg(std::string_view text);

// kRecoveryCodes fresh codes, as shown to the user.
std::vector<std::string> NewRecoveryCodes();
// Lower-case hex SHA-256 of the normalised code ("" when it cannot be one).
std::string HashRecoveryCode(std::string_view code);

}  // namespace amiable::web

#endif  // AMIABLE_WEB_TOTP_H_
