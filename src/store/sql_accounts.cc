// SqlStore: users, API tokens and browser sessions.
#include <algorithm>

#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {

// ---- Users and tokens ----
Result<int64_t> SqlStore::CreateUser(const User& u) {
  if (u.name.empty()) return Fail(msg::Invalid("store.user_name_required", "name"));
  int64_t id = 0;
  Status s = InTransaction([&]() -> Status {
    std::string role = RoleCode(u.role);
    std::string orgs = JoinCodes(u.organismes);
    int all = u.all_funds ? 1 : 0;
    int disabled = u.disabled ? 1 : 0;
    try {
      soci::indicator sso_ind = u.sso_subject.empty() ? soci::i_null : soci::i_ok;
      sql_ << "INSERT INTO users (name, display_name, password_hash, role, all_funds, organismes, "
              "disabled, email, sso_subject) VALUES (:n, :d, :p, :r, :a, :o, :x, :e, :s)",
          soci::use(u.name), soci::use(u.display_name), soci::use(u.password_hash), soci::use(role),
          soci::use(all), soci::use(orgs), soci::use(disabled), soci::use(u.email),
          soci::use(u.sso_subject, sso_ind);
    } catch (const std::exception& e) {
      Error err = DbError(e);
      if (err.code == Error::Code::kConflict) err.message = "user '" + u.name + "' already exists";
      return Fail(err);
    }
    long long lid = 0;
    sql_ << "SELECT id FROM users WHERE name = :n", soci::use(u.name), soci::into(lid);
    id = lid;
    return AuditNoTx(Actor::System(), "user.create", u.name);
  });
  if (!s) return Fail(s.error());
  return id;
}

Result<User> SqlStore::GetUser(std::string_view name) {
  try {
    Query q;
    q << "SELECT " << kUserColumns << " FROM users u WHERE u.name = ";
    q.Bind(std::string(name));
    std::optional<User> u = FetchOne(q, &ReadUser);
    if (!u) return Fail(msg::NotFound("store.user_unknown", {name}));
    return std::move(*u);
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::UpdateUser(const User& u) {
  return InTransaction([&]() -> Status {
    std::string role = RoleCode(u.role);
    std::string orgs = JoinCodes(u.organismes);
    int all = u.all_funds ? 1 : 0;
    int disabled = u.disabled ? 1 : 0;
    int failed = u.failed_attempts;
    soci::indicator sso_ind = u.sso_subject.empty() ? soci::i_null : soci::i_ok;
    sql_ << "UPDATE users SET display_name = :d, password_hash = :p, role = :r, all_funds = :a, "
            "organismes = :o, failed_attempts = :f, locked_until = :l, disabled = :x, "
            "email = :e, sso_subject = :s WHERE name = :n",
        soci::use(u.display_name), soci::use(u.password_hash), soci::use(role), soci::use(all),
        soci::use(orgs), soci::use(failed), soci::use(u.locked_until), soci::use(disabled),
        soci::use(u.email), soci::use(u.sso_subject, sso_ind), soci::use(u.name);
    return Status{};
  });
}

Status SqlStore::CreateApiToken(std::string_view user, std::string_view token_hash,
                                std::string_view label) {
  auto u = GetUser(user);
  if (!u) return Fail(u.error());
  return InTransaction([&]() -> Status {
    long long uid = u->id;
    std::string h(token_hash), l(label), now = NowTimestamp();
    sql_ << "INSERT INTO api_tokens (user_id, token_hash, label, created_at) "
            "VALUES (:u, :h, :l, :t)",
        soci::use(uid), soci::use(h), soci::use(l), soci::use(now);
    return AuditNoTx(Actor::System(), "token.create", std::string(user));
  });
}

Result<User> SqlStore::UserForTokenHash(std::string_view token_hash) {
  try {
    Query q;
    // A revoked token (migration 19) is as unknown as a wrong one.
    q << "SELECT " << kUserColumns
      << ", t.id, t.last_used_at FROM users u JOIN api_tokens t ON t.user_id = u.id "
         "WHERE t.revoked_at IS NULL AND t.token_hash = ";
    q.Bind(std::string(token_hash));
    std::optional<User> found;
    int64_t token_id = 0;
    std::string last_used;
    Fetch(q, [&](const soci::row& r) {
      found = ReadUser(r);
      const size_t n = std::count(kUserColumns.begin(), kUserColumns.end(), ',') + 1;
      token_id = GetInt(r, n);
      last_used = GetString(r, n + 1);
      return false;
    });
    if (!found) {
      return Fail(Error{Error::Code::kUnauthorized, "invalid API token", {}, 0, {}});
    }
    User u = std::move(*found);
    if (u.disabled) return Fail(Error{Error::Code::kUnauthorized, "user disabled", {}, 0, {}});
    TouchApiToken(token_id, last_used, NowTimestamp());
    return u;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::CreateWebSession(const WebSession& w) {
  return InTransaction([&]() -> Status {
    sql_ << "INSERT INTO web_sessions (id_hash, user_name, csrf_token, created_at, expires_at) "
            "VALUES (:h, :u, :c, :t, :e)",
        soci::use(w.id_hash), soci::use(w.user), soci::use(w.csrf_token), soci::use(w.created_at),
        soci::use(w.expires_at);
    // The account's last sign-in (migration 19: the administration's list).
    sql_ << "UPDATE users SET last_sign_in_at = :t WHERE name = :u", soci::use(w.created_at),
        soci::use(w.user);
    // Expired sessions go away as new ones come.
    std::string now = NowTimestamp();
    sql_ << "DELETE FROM web_sessions WHERE expires_at < :n", soci::use(now);
    return Status{};
  });
}

Result<WebSession> SqlStore::GetWebSession(std::string_view id_hash, std::string_view now) {
  try {
    Query q;
    q << "SELECT id_hash, user_name, csrf_token, created_at, expires_at FROM web_sessions "
         "WHERE id_hash = ";
    q.Bind(std::string(id_hash)) << " AND expires_at > ";
    q.Bind(std::string(now));
    // A disabled account has no session (account_admin.h), whatever its
    // caller checks.
    q << " AND NOT EXISTS (SELECT 1 FROM users d WHERE d.name = web_sessions.user_name AND "
         "d.disabled <> 0)";
    std::optional<WebSession> found;
    Fetch(q, [&](const soci::row& r) {
      found = WebSession{GetString(r, 0), GetString(r, 1), GetString(r, 2), GetString(r, 3),
                         GetString(r, 4)};
      return false;
    });
    if (!found) return Fail(msg::NotFound("store.session_unknown"));
    return std::move(*found);
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::DeleteWebSession(std::string_view id_hash) {
  try {
    std::string h(id_hash);
    sql_ << "DELETE FROM web_sessions WHERE id_hash = :h", soci::use(h);
    return {};
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<User>> SqlStore::ListUsers() {
  try {
    std::vector<User> out;
    soci::rowset<soci::row> rs =
        (sql_.prepare << "SELECT " << kUserColumns << " FROM users u ORDER BY u.name");
    for (const soci::row& r : rs) out.push_back(ReadUser(r));
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

User SqlStore::ReadUser(const soci::row& r) {
  User u;
  u.id = GetInt(r, 0);
  u.name = GetString(r, 1);
  u.display_name = GetString(r, 2);
  u.password_hash = GetString(r, 3);
  u.role = RoleFromCode(GetString(r, 4)).value_or(Role::kStatisticsReader);
  u.all_funds = GetInt(r, 5) != 0;
  u.organismes = SplitCodes(GetString(r, 6));
  u.failed_attempts = static_cast<int>(GetInt(r, 7));
  u.locked_until = GetString(r, 8);
  u.disabled = GetInt(r, 9) != 0;
  u.email = GetString(r, 10);
  u.sso_subject = GetString(r, 11);
  return u;
}

}  // namespace amiable::sql
