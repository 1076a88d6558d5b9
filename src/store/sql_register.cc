// SqlStore: the register of findings and recommendations (migration 20,
// store/report_data.h): the themes (shared by every fund), the items of a
// fund and year, their dated follow-ups.
//
// Authorization is in the queries: reads keep the funds the actor sees (the
// national role and administrators see every fund, a partner none); writes
// of an item find it among the funds the actor sees and need a role that
// writes the report (mediator, manager, administrator); themes are written
// by administrators and the national role. Values are checked here, once,
// with a French message naming the field. Every write is audited
// ("report.register_*") in its transaction.
#include <cctype>

#include "core/messages.h"
#include "core/recommendation.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {

namespace {

bool WritesRegister(const Actor& a) {
  return a.role == Role::kMediator || a.role == Role::kManager || a.role == Role::kAdministrator;
}

bool WritesThemes(const Actor& a) {
  return a.role == Role::kNational || a.role == Role::kAdministrator;
}

bool ReadsEveryFund(const Actor& a) {
  return a.all_funds || a.role == Role::kNational || a.role == Role::kAdministrator;
}

// " AND <column> IN (the actor's funds)" unless the actor reads every fund;
// nothing at all for a partner (" AND 1 = 0").
void RestrictToReadable(Query& q, std::string_view column, const Actor& actor) {
  if (actor.role == Role::kPartner) {
    q << " AND 1 = 0";
    return;
  }
  if (ReadsEveryFund(actor)) return;
  Actor only = actor;
  only.all_funds = false;
  q.RestrictFunds(column, only, {});
}

bool ValidThemeCode(std::string_view c) {
  if (c.empty() || c.size() > 40) return false;
  for (char ch : c) {
    if (!(std::islower(static_cast<unsigned char>(ch)) ||
          std::isdigit(static_cast<unsigned char>(ch)) || ch == '_')) {
      return false;
    }
  }
  return true;
}

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// The checks shared by Add and Update (the theme's existence is checked in
// the transaction).
Status CheckItem(const Recommendation& r) {
  if (!recommendation::Kinds().Contains(r.kind)) {
    return Fail(msg::Invalid("register.kind_unknown", "kind", {r.kind}));
  }
  if (!recommendation::Statuses().Contains(r.status)) {
    return Fail(msg::Invalid("register.status_unknown", "status", {r.status}));
  }
  if (Blank(r.text)) return Fail(msg::Invalid("register.text_required", "text"));
  if (r.text.size() > recommendation::kMaxText) {
    return Fail(msg::Invalid("register.text_too_long", "text",
                             {std::to_string(recommendation::kMaxText)}));
  }
  if (r.addressed_to.size() > recommendation::kMaxAddressedTo) {
    return Fail(msg::Invalid("register.addressed_to_too_long", "addressed_to",
                             {std::to_string(recommendation::kMaxAddressedTo)}));
  }
  if (r.position < 0) {
    return Fail(msg::Invalid("register.position_invalid", "position",
                             {std::to_string(r.position)}));
  }
  return {};
}

}  // namespace

// ---- Themes ----

Result<std::vector<RecommendationTheme>> SqlStore::RecommendationThemes() {
  try {
    std::vector<RecommendationTheme> out;
    Query q;
    q << "SELECT code, label, position, active FROM recommendation_themes ORDER BY position, code";
    Fetch(q, [&](const soci::row& r) {
      out.push_back({GetString(r, 0), GetString(r, 1), static_cast<int>(GetInt(r, 2)),
                     GetInt(r, 3) != 0});
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::UpsertRecommendationTheme(const Actor& actor, const RecommendationTheme& t) {
  if (!WritesThemes(actor)) return Fail(msg::Forbidden("register.themes_forbidden"));
  if (!ValidThemeCode(t.code)) return Fail(msg::Invalid("register.theme_code", "code", {t.code}));
  if (Blank(t.label)) return Fail(msg::Invalid("register.theme_label_required", "label"));
  if (t.position < 0) {
    return Fail(msg::Invalid("register.position_invalid", "position",
                             {std::to_string(t.position)}));
  }
  return InTransaction([&]() -> Status {
    int active = t.active ? 1 : 0;
    sql_ << "DELETE FROM recommendation_themes WHERE code = :c", soci::use(t.code);
    sql_ << "INSERT INTO recommendation_themes (code, label, position, active) "
            "VALUES (:c, :l, :p, :a)",
        soci::use(t.code), soci::use(t.label), soci::use(t.position), soci::use(active);
    return AuditNoTx(actor, "report.register_theme", t.code);
  });
}

// ---- Items ----

Result<int64_t> SqlStore::AddRecommendation(const Actor& actor, const Recommendation& r) {
  if (!WritesRegister(actor) || !actor.CanSee(r.organisme)) {
    return Fail(msg::Forbidden("store.report_forbidden", {r.organisme}));
  }
  if (r.year < 1900 || r.year > 2199) {
    return Fail(msg::Invalid("store.year_invalid", "year", {std::to_string(r.year)}));
  }
  if (auto s = CheckItem(r); !s) return Fail(s.error());
  long long id = 0;
  Status s = InTransaction([&]() -> Status {
    if (auto c = CheckOrganismeExists(r.organisme); !c) return c;
    int themes = 0;
    sql_ << "SELECT COUNT(*) FROM recommendation_themes WHERE code = :c AND active = 1",
        soci::use(r.theme), soci::into(themes);
    if (!themes) return Fail(msg::Invalid("register.theme_unknown", "theme", {r.theme}));
    int position = r.position;
    if (position == 0) {
      sql_ << "SELECT COALESCE(MAX(position), 0) + 1 FROM recommendations "
              "WHERE organisme = :o AND year = :y",
          soci::use(r.organisme), soci::use(r.year), soci::into(position);
    }
    std::string now = NowTimestamp();
    sql_ << "INSERT INTO recommendations (organisme, year, kind, theme, text, addressed_to, "
            "status, position, created_by, created_at, updated_at) "
            "VALUES (:o, :y, :k, :t, :x, :a, :s, :p, :u, :c, :m) RETURNING id",
        soci::use(r.organisme), soci::use(r.year), soci::use(r.kind), soci::use(r.theme),
        soci::use(r.text), soci::use(r.addressed_to), soci::use(r.status), soci::use(position),
        soci::use(actor.user), soci::use(now), soci::use(now), soci::into(id);
    return AuditNoTx(actor, "report.register_add",
                     r.organisme + " " + std::to_string(r.year) + " #" + std::to_string(id));
  });
  if (!s) return Fail(s.error());
  return static_cast<int64_t>(id);
}

namespace {
struct ItemKey {
  std::string organisme;
  int year = 0;
};

// The fund and year of item `id` when the actor may write it: kForbidden
// when the actor's role does not write the register, kNotFound when the
// item does not exist among the actor's own funds.
Result<ItemKey> WritableItem(SqlStore& store, const Actor& actor, int64_t id) {
  if (!WritesRegister(actor)) return Fail(msg::Forbidden("register.write_forbidden"));
  Query q;
  q << "SELECT organisme, year FROM recommendations WHERE id = ";
  q.Bind(std::to_string(id));
  q.RestrictFunds("organisme", actor, {});
  auto key = store.FetchOne(q, [](const soci::row& r) {
    return ItemKey{GetString(r, 0), static_cast<int>(GetInt(r, 1))};
  });
  if (!key) return Fail(msg::NotFound("register.item_unknown", {std::to_string(id)}));
  return *key;
}
}  // namespace

Status SqlStore::UpdateRecommendation(const Actor& actor, const Recommendation& r) {
  if (auto s = CheckItem(r); !s) return s;
  return InTransaction([&]() -> Status {
    auto key = WritableItem(*this, actor, r.id);
    if (!key) return Fail(key.error());
    int themes = 0;
    sql_ << "SELECT COUNT(*) FROM recommendation_themes WHERE code = :c", soci::use(r.theme),
        soci::into(themes);
    if (!themes) return Fail(msg::Invalid("register.theme_unknown", "theme", {r.theme}));
    long long id = r.id;
    std::string now = NowTimestamp();
    sql_ << "UPDATE recommendations SET kind = :k, theme = :t, text = :x, addressed_to = :a, "
            "status = :s, position = :p, updated_at = :m WHERE id = :i",
        soci::use(r.kind), soci::use(r.theme), soci::use(r.text), soci::use(r.addressed_to),
        soci::use(r.status), soci::use(r.position), soci::use(now), soci::use(id);
    return AuditNoTx(actor, "report.register_update",
                     key->organisme + " " + std::to_string(key->year) + " #" +
                         std::to_string(r.id));
  });
}

Status SqlStore::DeleteRecommendation(const Actor& actor, int64_t id) {
  return InTransaction([&]() -> Status {
    auto key = WritableItem(*this, actor, id);
    if (!key) return Fail(key.error());
    long long lid = id;
    // Both engines: the follow-ups first (SQLite enforces ON DELETE CASCADE
    // only with foreign keys switched on).
    sql_ << "DELETE FROM recommendation_follow_ups WHERE recommendation_id = :i", soci::use(lid);
    sql_ << "DELETE FROM recommendations WHERE id = :i", soci::use(lid);
    return AuditNoTx(actor, "report.register_delete",
                     key->organisme + " " + std::to_string(key->year) + " #" +
                         std::to_string(id));
  });
}

Result<int64_t> SqlStore::AddRecommendationFollowUp(const Actor& actor, int64_t id,
                                                    const RecommendationFollowUp& f) {
  if (!recommendation::Statuses().Contains(f.status)) {
    return Fail(msg::Invalid("register.status_unknown", "status", {f.status}));
  }
  const std::optional<Date> on = Date::ParseTyped(f.on);
  if (!on) return Fail(msg::Invalid("register.follow_up_date", "on", {f.on}));
  if (f.note.size() > recommendation::kMaxText) {
    return Fail(msg::Invalid("register.text_too_long", "note",
                             {std::to_string(recommendation::kMaxText)}));
  }
  long long fid = 0;
  Status s = InTransaction([&]() -> Status {
    auto key = WritableItem(*this, actor, id);
    if (!key) return Fail(key.error());
    if (f.year < key->year || f.year > 2199) {
      return Fail(msg::Invalid("register.follow_up_year", "year",
                               {std::to_string(f.year), std::to_string(key->year)}));
    }
    long long lid = id;
    std::string now = NowTimestamp();
    std::string on_s = on->ToString();
    sql_ << "INSERT INTO recommendation_follow_ups (recommendation_id, year, on_date, status, "
            "note, author, at) VALUES (:r, :y, :d, :s, :n, :u, :a) RETURNING id",
        soci::use(lid), soci::use(f.year), soci::use(on_s), soci::use(f.status),
        soci::use(f.note), soci::use(actor.user), soci::use(now), soci::into(fid);
    sql_ << "UPDATE recommendations SET status = :s, updated_at = :m WHERE id = :i",
        soci::use(f.status), soci::use(now), soci::use(lid);
    return AuditNoTx(actor, "report.register_follow_up",
                     key->organisme + " " + std::to_string(key->year) + " #" +
                         std::to_string(id) + " " + std::to_string(f.year) + " " + f.status);
  });
  if (!s) return Fail(s.error());
  return static_cast<int64_t>(fid);
}

namespace {
// The WHERE clause (without "WHERE") of the items of `f` the actor reads,
// over the table named "r".
void ItemFilter(Query& q, const Actor& actor, const RecommendationFilter& f) {
  q << "1 = 1";
  RestrictToReadable(q, "r.organisme", actor);
  if (!f.organismes.empty()) q.RestrictFunds("r.organisme", Actor::System(), f.organismes);
  if (f.year_from) {
    q << " AND r.year >= ";
    q.Bind(std::to_string(*f.year_from));
  }
  if (f.year_to) {
    q << " AND r.year <= ";
    q.Bind(std::to_string(*f.year_to));
  }
  if (!f.theme.empty()) {
    q << " AND r.theme = ";
    q.Bind(f.theme);
  }
}
}  // namespace

Result<std::vector<Recommendation>> SqlStore::Recommendations(const Actor& actor,
                                                              const RecommendationFilter& f) {
  try {
    std::vector<Recommendation> out;
    Query q;
    q << "SELECT r.id, r.organisme, r.year, r.kind, r.theme, r.text, r.addressed_to, r.status, "
         "r.position, r.created_by, r.created_at, r.updated_at FROM recommendations r WHERE ";
    ItemFilter(q, actor, f);
    q << " ORDER BY r.organisme, r.year, r.position, r.id";
    std::unordered_map<int64_t, size_t> index;
    Fetch(q, [&](const soci::row& row) {
      Recommendation r;
      r.id = GetInt(row, 0);
      r.organisme = GetString(row, 1);
      r.year = static_cast<int>(GetInt(row, 2));
      r.kind = GetString(row, 3);
      r.theme = GetString(row, 4);
      r.text = GetString(row, 5);
      r.addressed_to = GetString(row, 6);
      r.status = GetString(row, 7);
      r.position = static_cast<int>(GetInt(row, 8));
      r.created_by = GetString(row, 9);
      r.created_at = GetString(row, 10);
      r.updated_at = GetString(row, 11);
      index[r.id] = out.size();
      out.push_back(std::move(r));
      return true;
    });
    if (out.empty()) return out;
    Query fq;
    fq << "SELECT u.recommendation_id, u.id, u.year, u.on_date, u.status, u.note, u.author, u.at "
          "FROM recommendation_follow_ups u JOIN recommendations r ON r.id = u.recommendation_id "
          "WHERE ";
    ItemFilter(fq, actor, f);
    fq << " ORDER BY u.recommendation_id, u.year, u.on_date, u.id";
    Fetch(fq, [&](const soci::row& row) {
      auto it = index.find(GetInt(row, 0));
      if (it == index.end()) return true;
      out[it->second].follow_ups.push_back({GetInt(row, 1), static_cast<int>(GetInt(row, 2)),
                                            GetString(row, 3), GetString(row, 4),
                                            GetString(row, 5), GetString(row, 6),
                                            GetString(row, 7)});
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

}  // namespace amiable::sql
