// Credentials: API token secrets and their hashes, and account passwords.
//
// - An API token secret is "amb_" followed by 43 URL-safe base64 characters
//   (32 random bytes from libsodium). Only its SHA-256 (lower-case hex of the
//   whole secret string) is stored (Store::CreateApiToken); the secret is shown
//   once at creation.
// - Passwords are hashed with argon2id at libsodium's INTERACTIVE limits
//   (about 64 ms and 64 MiB each). At most kMaxConcurrentPasswordHashes run at
//   once in the process; further callers wait, so that a burst of sign-ins
//   cannot exhaust memory.
//
// Thread safety: every function is thread-safe (libsodium is initialised once).
#ifndef AMIABLE_WEB_AUTH_H_
#define AMIABLE_WEB_AUTH_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace amiable::web {

inline constexpr std::string_view kTokenPrefix = "amb_";
inline constexpr int kMaxConcurrentPasswordHashes = 2;
// Sign-ins waiting for a hash slot beyond this are refused at once
// (TryVerifyPassword): worker threads are not all held by a flood of
// checks from many addresses.
inline constexpr int kMaxQueuedPasswordChecks = 16;
// Shorter passwords are refused by HashPassword (kInvalid, field "password");
// the whole policy is CheckPasswordPolicy (web/password_policy.h).
inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 1024;

// A fresh random token secret (see above).
std::string NewTokenSecret();

// Lower-case hex SHA-256 of `secret`: what the store keeps and looks up.
std::string HashToken(std::string_view secret);

// The token of an "Authorization: Bearer <token>" header value; empty when the
// value is not of that form (scheme is case-insensitive, one space or more).
std::string BearerToken(std::string_view authorization_header);

// Compares two strings in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// argon2id encoded hash ("$argon2id$v=19$m=65536,t=2,p=1$...") of `password`.
// kInvalid (field "password") when shorter than kMinPasswordLength or longer
// than kMaxPasswordLength; kInternal when out of memory.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `encoded_hash`; false for an empty or malformed
// hash (an account without password cannot sign in).
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);
// VerifyPassword, or nullopt at once when kMaxQueuedPasswordChecks checks
// are already waiting for a slot (the caller answers "try again later").
std::optional<bool> TryVerifyPassword(std::string_view encoded_hash, std::string_view password);

}  // namespace amiable::web

#endif  // AMIABLE_WEB_AUTH_H_
