// SqlStore: the lifecycle of accounts and API tokens (store/account_admin.h,
// migration 19).
#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {
namespace {

ApiTokenInfo ReadToken(const soci::row& r) {
  ApiTokenInfo t;
  t.id = GetInt(r, 0);
  t.user = GetString(r, 1);
  t.label = GetString(r, 2);
  t.created_at = GetString(r, 3);
  t.last_used_at = GetString(r, 4);
  t.revoked_at = GetString(r, 5);
  return t;
}

constexpr std::string_view kTokenSelect =
    "SELECT t.id, u.name, t.label, t.created_at, t.last_used_at, t.revoked_at "
    "FROM api_tokens t JOIN users u ON u.id = t.user_id";

}  // namespace

Result<std::vector<ApiTokenInfo>> SqlStore::ListApiTokens(std::string_view user) {
  try {
    Query q;
    q << kTokenSelect;
    if (!user.empty()) {
      q << " WHERE u.name = ";
      q.Bind(std::string(user));
    }
    q << " ORDER BY t.id";
    std::vector<ApiTokenInfo> out;
    Fetch(q, [&](const soci::row& r) {
      out.push_back(ReadToken(r));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<ApiTokenInfo> SqlStore::GetApiToken(int64_t id) {
  try {
    Query q;
    q << kTokenSelect << " WHERE t.id = CAST(";
    q.Bind(std::to_string(id)) << " AS BIGINT)";
    std::optional<ApiTokenInfo> t = FetchOne(q, &ReadToken);
    if (!t) return Fail(msg::NotFound("store.token_unknown", {std::to_string(id)}));
    return std::move(*t);
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::RevokeApiToken(const Actor& actor, int64_t id) {
  return InTransaction([&]() -> Status {
    auto t = GetApiToken(id);
    if (!t) return Fail(t.error());
    if (!t->revoked_at.empty()) {
      return Fail(msg::Conflict("store.token_revoked", "id", {std::to_string(id)}));
    }
    long long lid = id;
    std::string now = NowTimestamp();
    sql_ << "UPDATE api_tokens SET revoked_at = :t WHERE id = :i AND revoked_at IS NULL",
        soci::use(now), soci::use(lid);
    return AuditNoTx(actor, "token.revoke", std::to_string(id) + " " + t->user);
  });
}

Status SqlStore::SetUserPassword(const Actor& actor, std::string_view user,
                                 std::string_view password_hash, std::string_view keep_session) {
  return InTransaction([&]() -> Status {
    auto u = GetUser(user);
    if (!u) return Fail(u.error());
    std::string n(user), h(password_hash), keep(keep_session);
    sql_ << "UPDATE users SET password_hash = :h, failed_attempts = 0, locked_until = '' "
            "WHERE name = :n",
        soci::use(h), soci::use(n);
    // Whoever knew the old password is signed out (but the one changing it).
    sql_ << "DELETE FROM web_sessions WHERE user_name = :n AND id_hash <> :k", soci::use(n),
        soci::use(keep);
    return AuditNoTx(actor, "user.password", n);
  });
}

Status SqlStore::SetUserDisabled(const Actor& actor, std::string_view user, bool disabled) {
  return InTransaction([&]() -> Status {
    auto u = GetUser(user);
    if (!u) return Fail(u.error());
    std::string n(user);
    int x = disabled ? 1 : 0;
    sql_ << "UPDATE users SET disabled = :x WHERE name = :n", soci::use(x), soci::use(n);
    if (disabled) sql_ << "DELETE FROM web_sessions WHERE user_name = :n", soci::use(n);
    return AuditNoTx(actor, disabled ? "user.disable" : "user.enable", n);
  });
}

Status SqlStore::SetUserEmail(const Actor& actor, std::string_view user, std::string_view email) {
  return InTransaction([&]() -> Status {
    auto u = GetUser(user);
    if (!u) return Fail(u.error());
    std::string n(user), e(email);
    sql_ << "UPDATE users SET email = :e WHERE name = :n", soci::use(e), soci::use(n);
    return AuditNoTx(actor, "user.email", n);
  });
}

Result<std::map<std::string, std::string>> SqlStore::LastSignIns() {
  try {
    Query q;
    q << "SELECT name, last_sign_in_at FROM users WHERE last_sign_in_at IS NOT NULL";
    std::map<std::string, std::string> out;
    Fetch(q, [&](const soci::row& r) {
      out[GetString(r, 0)] = GetString(r, 1);
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

void SqlStore::TouchApiToken(int64_t id, const std::string& last_used_at, const std::string& now) {
  // "2025-03-03T10:04": the minute. A write a minute at most per token.
  if (last_used_at.size() >= 16 && now.size() >= 16 &&
      last_used_at.compare(0, 16, now, 0, 16) == 0) {
    return;
  }
  const std::string minute = now.substr(0, 16) + ":00Z";
  try {
    InTransaction([&]() -> Status {
      long long lid = id;
      sql_ << "UPDATE api_tokens SET last_used_at = :t WHERE id = :i", soci::use(minute),
          soci::use(lid);
      return {};
    });
  } catch (const std::exception&) {
    // Best effort: a busy database never refuses a valid token.
  }
}

}  // namespace amiable::sql
