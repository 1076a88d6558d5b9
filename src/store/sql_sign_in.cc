// The sign-in guard over SOCI (store/sign_in_guard.h): failure counters,
// session idle time, TOTP secrets and recovery codes.
#include <algorithm>
#include <cctype>

#include "store/sql_store_internal.h"

namespace amiable::sql {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

Result<AttemptCount> SqlStore::CountAttempt(std::string_view key, std::string_view user_name,
                                            std::string_view now,
                                            std::string_view new_window_end) {
  try {
    const std::string k(key), u = Lower(user_name), n(now), end(new_window_end);
    long long count = 0;
    AttemptCount out;
    // One statement: the row's old values are read and written under the
    // row's lock (PostgreSQL) or the database's write lock (SQLite).
    sql_ << "INSERT INTO sign_in_attempts (counter_key, user_name, failures, window_end, "
            "notified_at) VALUES (:k, :u, 1, :e, '') "
            "ON CONFLICT (counter_key) DO UPDATE SET "
            "failures = CASE WHEN sign_in_attempts.window_end <= :n1 THEN 1 "
            "ELSE sign_in_attempts.failures + 1 END, "
            "notified_at = CASE WHEN sign_in_attempts.window_end <= :n2 THEN '' "
            "ELSE sign_in_attempts.notified_at END, "
            "window_end = CASE WHEN sign_in_attempts.window_end <= :n3 THEN excluded.window_end "
            "ELSE sign_in_attempts.window_end END "
            "RETURNING failures, window_end, notified_at",
        soci::use(k), soci::use(u), soci::use(end), soci::use(n), soci::use(n), soci::use(n),
        soci::into(count), soci::into(out.window_end), soci::into(out.notified_at);
    out.count = count;
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<AttemptCount> SqlStore::PeekAttempts(std::string_view key, std::string_view now) {
  try {
    Query q;
    q << "SELECT failures, window_end, notified_at FROM sign_in_attempts WHERE counter_key = ";
    q.Bind(std::string(key)) << " AND window_end > ";
    q.Bind(std::string(now));
    AttemptCount out;
    Fetch(q, [&](const soci::row& r) {
      out.count = GetInt(r, 0);
      out.window_end = GetString(r, 1);
      out.notified_at = GetString(r, 2);
      return false;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::ReleaseAttempt(std::string_view key) {
  try {
    const std::string k(key);
    sql_ << "UPDATE sign_in_attempts SET failures = failures - 1 "
            "WHERE counter_key = :k AND failures > 0",
        soci::use(k);
    return {};
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::ForgetAttempts(std::string_view key) {
  try {
    const std::string k(key);
    sql_ << "DELETE FROM sign_in_attempts WHERE counter_key = :k", soci::use(k);
    return {};
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<bool> SqlStore::MarkNotified(std::string_view key) {
  try {
    const std::string k(key);
    soci::statement st =
        (sql_.prepare << "UPDATE sign_in_attempts SET notified_at = window_end "
                         "WHERE counter_key = :k AND notified_at <> window_end",
         soci::use(k));
    st.execute(true);
    return st.get_affected_rows() > 0;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<int64_t> SqlStore::ClearAttemptsOfUser(std::string_view user_name) {
  try {
    const std::string u = Lower(user_name);
    soci::statement st =
        (sql_.prepare << "DELETE FROM sign_in_attempts WHERE user_name = :u", soci::use(u));
    st.execute(true);
    return static_cast<int64_t>(st.get_affected_rows());
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::PruneAttempts(std::string_view now) {
  try {
    const std::string n(now);
    sql_ << "DELETE FROM sign_in_attempts WHERE window_end < :n", soci::use(n);
    return {};
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<SessionSeen> SqlStore::TouchWebSession(std::string_view id_hash, std::string_view now,
                                              std::string_view idle_cutoff,
                                              std::string_view touch_before) {
  try {
    const std::string h(id_hash);
    Query q;
    q << "SELECT CASE WHEN last_seen = '' THEN created_at ELSE last_seen END, "
         "needs_second_factor FROM web_sessions WHERE id_hash = ";
    q.Bind(h);
    std::optional<std::pair<std::string, bool>> found;
    Fetch(q, [&](const soci::row& r) {
      found.emplace(GetString(r, 0), GetInt(r, 1) != 0);
      return false;
    });
    SessionSeen out;
    if (!found) return out;
    if (found->first < idle_cutoff) {
      sql_ << "DELETE FROM web_sessions WHERE id_hash = :h", soci::use(h);
      return out;
    }
    out.alive = true;
    out.needs_second_factor = found->second;
    if (found->first < touch_before) {
      const std::string n(now);
      sql_ << "UPDATE web_sessions SET last_seen = :n WHERE id_hash = :h", soci::use(n),
          soci::use(h);
    }
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::SetSessionNeedsSecondFactor(std::string_view id_hash, bool needs) {
  try {
    const std::string h(id_hash);
    int v = needs ? 1 : 0;
    sql_ << "UPDATE web_sessions SET needs_second_factor = :v WHERE id_hash = :h", soci::use(v),
        soci::use(h);
    return {};
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::optional<SecondFactor>> SqlStore::GetSecondFactor(std::string_view user_name) {
  try {
    Query q;
    q << "SELECT user_name, secret, confirmed, last_step, created_at FROM second_factors "
         "WHERE user_name = ";
    q.Bind(Lower(user_name));
    std::optional<SecondFactor> out;
    Fetch(q, [&](const soci::row& r) {
      out = SecondFactor{GetString(r, 0), GetString(r, 1), GetInt(r, 2) != 0, GetInt(r, 3, -1),
                         GetString(r, 4)};
      return false;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::SavePendingSecondFactor(std::string_view user_name, std::string_view secret,
                                         std::string_view now) {
  return InTransaction([&]() -> Status {
    const std::string u = Lower(user_name), s(secret), n(now);
    int confirmed = 0;
    indicator ind = soci::i_null;
    sql_ << "SELECT confirmed FROM second_factors WHERE user_name = :u", soci::use(u),
        soci::into(confirmed, ind);
    if (sql_.got_data() && ind == soci::i_ok && confirmed != 0) {
      return Fail(Error::Conflict("second factor already confirmed"));
    }
    sql_ << "DELETE FROM second_factors WHERE user_name = :u", soci::use(u);
    sql_ << "INSERT INTO second_factors (user_name, secret, confirmed, last_step, created_at) "
            "VALUES (:u, :s, 0, -1, :n)",
        soci::use(u), soci::use(s), soci::use(n);
    return Status{};
  });
}

Status SqlStore::ConfirmSecondFactor(std::string_view user_name, int64_t step,
                                     const std::vector<std::string>& recovery_hashes,
                                     std::string_view now) {
  return InTransaction([&]() -> Status {
    const std::string u = Lower(user_name);
    long long st = step;
    soci::statement up =
        (sql_.prepare << "UPDATE second_factors SET confirmed = 1, last_step = :s "
                         "WHERE user_name = :u AND confirmed = 0",
         soci::use(st), soci::use(u));
    up.execute(true);
    if (up.get_affected_rows() == 0) return Fail(Error::NotFound("pending second factor"));
    sql_ << "DELETE FROM recovery_codes WHERE user_name = :u", soci::use(u);
    for (const std::string& h : recovery_hashes) {
      sql_ << "INSERT INTO recovery_codes (user_name, code_hash, used_at) VALUES (:u, :h, '')",
          soci::use(u), soci::use(h);
    }
    (void)now;
    return Status{};
  });
}

Result<bool> SqlStore::UseTotpStep(std::string_view user_name, int64_t step) {
  try {
    const std::string u = Lower(user_name);
    long long s = step;
    soci::statement st =
        (sql_.prepare << "UPDATE second_factors SET last_step = :s "
                         "WHERE user_name = :u AND confirmed = 1 AND last_step < :s2",
         soci::use(s), soci::use(u), soci::use(s));
    st.execute(true);
    return st.get_affected_rows() > 0;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<bool> SqlStore::UseRecoveryCode(std::string_view user_name, std::string_view code_hash,
                                       std::string_view now) {
  try {
    const std::string u = Lower(user_name), h(code_hash), n(now);
    soci::statement st =
        (sql_.prepare << "UPDATE recovery_codes SET used_at = :n "
                         "WHERE user_name = :u AND code_hash = :h AND used_at = ''",
         soci::use(n), soci::use(u), soci::use(h));
    st.execute(true);
    return st.get_affected_rows() > 0;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<int64_t> SqlStore::RecoveryCodesLeft(std::string_view user_name) {
  try {
    const std::string u = Lower(user_name);
    long long n = 0;
    sql_ << "SELECT COUNT(*) FROM recovery_codes WHERE user_name = :u AND used_at = ''",
        soci::use(u), soci::into(n);
    return static_cast<int64_t>(n);
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::DeleteSecondFactor(std::string_view user_name) {
  return InTransaction([&]() -> Status {
    const std::string u = Lower(user_name);
    sql_ << "DELETE FROM second_factors WHERE user_name = :u", soci::use(u);
    sql_ << "DELETE FROM recovery_codes WHERE user_name = :u", soci::use(u);
    return Status{};
  });
}

}  // namespace amiable::sql
