// SqlStore: retention and data-subject rights (migration 16): retention
// settings, anonymising and purging closed cases, files left to delete,
// frozen figures, public texts of a fund (store/privacy_store.h).
#include <set>

#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable {
PrivacyStore* PrivacyOf(Store& store) { return dynamic_cast<PrivacyStore*>(&store); }
}  // namespace amiable

namespace amiable::sql {

namespace {

// Executes `sql` with the case id bound as :id; returns the rows affected.
int64_t ExecForCase(soci::session& s, const std::string& sql, long long id) {
  soci::statement st = (s.prepare << sql, soci::use(id, "id"));
  st.execute(true);
  return st.get_affected_rows();
}

RetentionCase ReadRetentionCase(const soci::row& r) {
  RetentionCase c;
  c.id = GetInt(r, 0);
  c.reference = GetString(r, 1);
  c.organisme = GetString(r, 2);
  c.received_on = Date::Parse(GetString(r, 3)).value_or(Date());
  c.closed_on = GetOptDate(r, 4);
  c.anonymised_on = GetOptDate(r, 5);
  return c;
}

constexpr std::string_view kRetentionColumns =
    "c.id, c.reference, c.organisme, c.received_on, c.closed_on, c.anonymised_on";

}  // namespace

Result<std::optional<int>> SqlStore::RetentionYears(std::string_view organisme) {
  std::string org(organisme);
  try {
    if (auto s = CheckOrganismeExists(org); !s) return Fail(s.error());
    int years = 0;
    indicator ind = soci::i_null;
    sql_ << "SELECT years FROM retention_settings WHERE organisme = :o", soci::use(org),
        soci::into(years, ind);
    if (!sql_.got_data() || ind == soci::i_null) return std::optional<int>();
    return std::optional<int>(years);
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::SetRetentionYears(const Actor& actor, std::string_view organisme,
                                   std::optional<int> years) {
  std::string org(organisme);
  return InTransaction([&]() -> Status {
    if (auto s = CheckOrganismeExists(org); !s) return s;
    sql_ << "DELETE FROM retention_settings WHERE organisme = :o", soci::use(org);
    if (years) {
      int y = *years;
      std::string now = NowTimestamp();
      sql_ << "INSERT INTO retention_settings (organisme, years, updated_by, updated_at) "
              "VALUES (:o, :y, :u, :a)",
          soci::use(org), soci::use(y), soci::use(actor.user), soci::use(now);
    }
    return AuditNoTx(actor, "privacy.retention",
                     org + " " + (years ? std::to_string(*years) : std::string("-")));
  });
}

Result<std::vector<RetentionCase>> SqlStore::CasesToAnonymise(std::string_view organisme,
                                                              Date before, int limit) {
  try {
    // A closed case by its closing date; an inadmissible one without a
    // closing date by its answer, else its reception.
    Query q;
    q << "SELECT " << kRetentionColumns
      << " FROM cases c WHERE c.anonymised_on IS NULL AND c.organisme = ";
    q.Bind(std::string(organisme));
    q << " AND ((c.state = 'closed' AND c.closed_on IS NOT NULL AND c.closed_on < ";
    q.Bind(before.ToString());
    q << ") OR (c.state = 'inadmissible' AND coalesce(c.closed_on, c.answered_on, c.received_on) < ";
    q.Bind(before.ToString());
    q << ")) ORDER BY coalesce(c.closed_on, c.answered_on, c.received_on), c.reference LIMIT "
      << std::to_string(std::max(1, limit));
    std::vector<RetentionCase> out;
    Fetch(q, [&](const soci::row& r) {
      out.push_back(ReadRetentionCase(r));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<AnonymiseResult> SqlStore::AnonymiseCase(const Actor& actor, int64_t case_id, Date on) {
  if (!postgres_ && tx_depth_ == 0) {
    // Deleted rows are overwritten with zeros, not left in free pages.
    try {
      sql_ << "PRAGMA secure_delete = ON";
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }
  AnonymiseResult res;
  Status s = InTransaction([&]() -> Status {
    long long id = case_id;
    std::string reference, state, anonymised;
    indicator anon_ind = soci::i_null;
    sql_ << "SELECT reference, state, anonymised_on FROM cases WHERE id = :id", soci::use(id),
        soci::into(reference), soci::into(state), soci::into(anonymised, anon_ind);
    if (!sql_.got_data()) return Fail(msg::NotFound("case.not_found"));
    if (anon_ind != soci::i_null) return Fail(Error::Conflict("already anonymised", "case"));
    if (state != "closed" && state != "inadmissible") {
      return Fail(Error::Conflict("case not closed: " + reference, "case"));
    }

    // The stored files, recorded before their rows go.
    std::set<std::string> keys;
    for (const char* select :
         {"SELECT storage_key FROM documents WHERE case_id = :id",
          "SELECT raw_key FROM received_messages WHERE raw_key <> '' AND case_id = :id",
          "SELECT d.storage_key FROM received_documents d JOIN received_messages m "
          "ON m.id = d.received_id WHERE m.case_id = :id"}) {
      soci::rowset<soci::row> rs = (sql_.prepare << select, soci::use(id, "id"));
      for (const soci::row& r : rs) keys.insert(GetString(r, 0));
    }
    const std::string now = NowTimestamp();
    for (const std::string& k : keys) {
      int n = 0;
      sql_ << "SELECT COUNT(*) FROM privacy_pending_files WHERE storage_key = :k", soci::use(k),
          soci::into(n);
      if (n == 0) {
        sql_ << "INSERT INTO privacy_pending_files (storage_key, queued_at) VALUES (:k, :a)",
            soci::use(k), soci::use(now);
      }
      res.file_keys.push_back(k);
    }

    res.people = ExecForCase(sql_, "DELETE FROM people WHERE case_id = :id", id);
    res.notes = ExecForCase(sql_, "DELETE FROM notes WHERE case_id = :id", id);
    res.letters = ExecForCase(sql_, "DELETE FROM letters WHERE case_id = :id", id);
    // The exchange with partners (migration 17): free text.
    res.messages += ExecForCase(sql_, "DELETE FROM partner_messages WHERE case_id = :id", id);
    res.documents = ExecForCase(sql_, "DELETE FROM documents WHERE case_id = :id", id);
    ExecForCase(sql_,
                "DELETE FROM received_documents WHERE received_id IN "
                "(SELECT id FROM received_messages WHERE case_id = :id)",
                id);
    res.messages = ExecForCase(
        sql_,
        "UPDATE received_messages SET subject = '', from_name = '', from_address = '', "
        "body_text = '', reason_detail = '', handled_reason = '', raw_key = '', raw_size = 0 "
        "WHERE case_id = :id",
        id);
    {
      // Outgoing messages: blanked; one still queued is given up (it has no
      // recipient any more).
      soci::statement st =
          (sql_.prepare << "UPDATE outbox SET recipient = '', subject = '', body = '', "
                           "body_html = '', last_error = '', "
                           "state = CASE WHEN state = 'queued' THEN 'failed' ELSE state END "
                           "WHERE case_reference = :r",
           soci::use(reference));
      st.execute(true);
      res.messages += st.get_affected_rows();
    }
    res.events = ExecForCase(
        sql_, "UPDATE case_events SET detail = '', changes = '[]' WHERE case_id = :id", id);
    ExecForCase(sql_,
                "UPDATE internal_requests SET question = '', to_address = '' WHERE case_id = :id",
                id);
    ExecForCase(sql_,
                "UPDATE case_recusals SET reason = '', lift_reason = '', interest = '' "
                "WHERE case_id = :id",
                id);
    ExecForCase(sql_, "UPDATE case_access SET reason = '' WHERE case_id = :id", id);
    {
      std::string day = on.ToString();
      sql_ << "UPDATE cases SET allocataire_number = NULL, description = '', anonymised_on = :d, "
              "version = version + 1, updated_at = :u WHERE id = :id",
          soci::use(day, "d"), soci::use(now, "u"), soci::use(id, "id");
    }
    CaseEvent ev{0, now, actor.user, "anonymisation",
                 "Données personnelles supprimées (durée de conservation échue)"};
    if (auto st = InsertEventNoTx(case_id, ev); !st) return st;
    return AuditNoTx(actor, "privacy.anonymise", reference);
  });
  if (!s) return Fail(s.error());
  return res;
}

Result<std::vector<std::string>> SqlStore::PendingFileKeys(int limit) {
  try {
    Query q;
    q << "SELECT storage_key FROM privacy_pending_files ORDER BY storage_key LIMIT "
      << std::to_string(std::max(1, limit));
    std::vector<std::string> out;
    Fetch(q, [&](const soci::row& r) {
      out.push_back(GetString(r, 0));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::ForgetPendingFile(std::string_view key) {
  std::string k(key);
  return InTransaction([&]() -> Status {
    sql_ << "DELETE FROM privacy_pending_files WHERE storage_key = :k", soci::use(k);
    return {};
  });
}

void SqlStore::ScrubFreedSpace() {
  if (postgres_) return;
  try {
    sql_ << "PRAGMA secure_delete = ON";
    // Merging the full-text index drops the deleted entries' terms.
    sql_ << "INSERT INTO case_search (case_search) VALUES ('optimize')";
    sql_ << "PRAGMA wal_checkpoint(TRUNCATE)";
  } catch (const std::exception&) {
    // Best effort: the data is already gone from every table.
  }
}

Result<std::vector<RetentionCase>> SqlStore::AnonymisedCases(std::string_view organisme) {
  try {
    Query q;
    q << "SELECT " << kRetentionColumns << " FROM cases c WHERE c.anonymised_on IS NOT NULL";
    if (!organisme.empty()) {
      q << " AND c.organisme = ";
      q.Bind(std::string(organisme));
    }
    q << " ORDER BY c.organisme, c.reference";
    std::vector<RetentionCase> out;
    std::unordered_map<int64_t, size_t> index;
    Fetch(q, [&](const soci::row& r) {
      RetentionCase c = ReadRetentionCase(r);
      std::set<int> years{c.received_on.year()};
      if (c.closed_on) years.insert(c.closed_on->year());
      c.years.assign(years.begin(), years.end());
      index[c.id] = out.size();
      out.push_back(std::move(c));
      return true;
    });
    // The years of their internal requests (sent), which count in those years.
    Query w;
    w << " FROM cases c WHERE c.anonymised_on IS NOT NULL";
    if (!organisme.empty()) {
      w << " AND c.organisme = ";
      w.Bind(std::string(organisme));
    }
    for (auto& [cid, dates] : InternalDatesOf(w)) {
      auto it = index.find(cid);
      if (it == index.end()) continue;
      RetentionCase& c = out[it->second];
      std::set<int> years(c.years.begin(), c.years.end());
      for (const InternalRequestDates& d : dates) years.insert(d.sent_on.year());
      c.years.assign(years.begin(), years.end());
    }
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::DeleteAnonymisedCase(const Actor& actor, int64_t case_id) {
  if (!postgres_ && tx_depth_ == 0) {
    try {
      sql_ << "PRAGMA secure_delete = ON";
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }
  return InTransaction([&]() -> Status {
    long long id = case_id;
    std::string reference;
    indicator anon_ind = soci::i_null;
    std::string anonymised;
    sql_ << "SELECT reference, anonymised_on FROM cases WHERE id = :id", soci::use(id),
        soci::into(reference), soci::into(anonymised, anon_ind);
    if (!sql_.got_data()) return Fail(msg::NotFound("case.not_found"));
    if (anon_ind == soci::i_null) return Fail(Error::Conflict("not anonymised", "case"));
    ExecForCase(sql_,
                "DELETE FROM received_documents WHERE received_id IN "
                "(SELECT id FROM received_messages WHERE case_id = :id)",
                id);
    ExecForCase(sql_, "DELETE FROM received_messages WHERE case_id = :id", id);
    sql_ << "DELETE FROM outbox WHERE case_reference = :r", soci::use(reference);
    ExecForCase(sql_, "DELETE FROM cases WHERE id = :id", id);
    return AuditNoTx(actor, "privacy.purge", reference);
  });
}

Result<std::vector<FrozenFiguresRow>> SqlStore::FrozenFigures(int year) {
  try {
    std::vector<FrozenFiguresRow> out;
    soci::rowset<soci::row> rs =
        (sql_.prepare << "SELECT organisme, year, figures_json, state_json, frozen_at "
                         "FROM frozen_figures WHERE year = :y ORDER BY organisme",
         soci::use(year));
    for (const soci::row& r : rs) {
      out.push_back({GetString(r, 0), static_cast<int>(GetInt(r, 1)), GetString(r, 2),
                     GetString(r, 3), GetString(r, 4)});
    }
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<std::pair<std::string, int>>> SqlStore::FrozenFundYears() {
  try {
    std::vector<std::pair<std::string, int>> out;
    soci::rowset<soci::row> rs = (sql_.prepare << "SELECT organisme, year FROM frozen_figures "
                                                  "ORDER BY year, organisme");
    for (const soci::row& r : rs) out.emplace_back(GetString(r, 0), static_cast<int>(GetInt(r, 1)));
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::optional<FrozenFiguresRow>> SqlStore::FrozenFiguresOf(std::string_view organisme,
                                                                  int year) {
  auto all = FrozenFigures(year);
  if (!all) return Fail(all.error());
  for (FrozenFiguresRow& r : *all) {
    if (r.organisme == organisme) return std::optional<FrozenFiguresRow>(std::move(r));
  }
  return std::optional<FrozenFiguresRow>();
}

Status SqlStore::FreezeFigures(const Actor& actor, const FrozenFiguresRow& row) {
  return InTransaction([&]() -> Status {
    if (auto s = CheckOrganismeExists(row.organisme); !s) return s;
    int n = 0;
    int year = row.year;
    sql_ << "SELECT COUNT(*) FROM frozen_figures WHERE organisme = :o AND year = :y",
        soci::use(row.organisme), soci::use(year), soci::into(n);
    if (n) return Fail(Error::Conflict("figures already frozen", "year"));
    std::string at = row.frozen_at.empty() ? NowTimestamp() : row.frozen_at;
    sql_ << "INSERT INTO frozen_figures (organisme, year, figures_json, state_json, frozen_at) "
            "VALUES (:o, :y, :f, :s, :a)",
        soci::use(row.organisme), soci::use(year), soci::use(row.figures_json),
        soci::use(row.state_json), soci::use(at);
    return AuditNoTx(actor, "privacy.freeze", row.organisme + " " + std::to_string(year));
  });
}

Result<std::optional<PublicText>> SqlStore::GetPublicText(std::string_view organisme,
                                                          std::string_view kind) {
  std::string org(organisme), k(kind);
  try {
    PublicText t;
    sql_ << "SELECT organisme, kind, text, updated_by, updated_at FROM public_texts "
            "WHERE organisme = :o AND kind = :k",
        soci::use(org), soci::use(k), soci::into(t.organisme), soci::into(t.kind),
        soci::into(t.text), soci::into(t.updated_by), soci::into(t.updated_at);
    if (!sql_.got_data()) return std::optional<PublicText>();
    return std::optional<PublicText>(std::move(t));
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::SavePublicText(const Actor& actor, const PublicText& t) {
  if (!actor.CanSee(t.organisme)) {
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {t.organisme}));
  }
  return InTransaction([&]() -> Status {
    if (auto s = CheckOrganismeExists(t.organisme); !s) return s;
    sql_ << "DELETE FROM public_texts WHERE organisme = :o AND kind = :k",
        soci::use(t.organisme), soci::use(t.kind);
    if (!t.text.empty()) {
      std::string now = t.updated_at.empty() ? NowTimestamp() : t.updated_at;
      std::string by = t.updated_by.empty() ? actor.user : t.updated_by;
      sql_ << "INSERT INTO public_texts (organisme, kind, text, updated_by, updated_at) "
              "VALUES (:o, :k, :t, :b, :a)",
          soci::use(t.organisme), soci::use(t.kind), soci::use(t.text), soci::use(by),
          soci::use(now);
    }
    return AuditNoTx(actor, "privacy.public_text", t.organisme + "." + t.kind);
  });
}

}  // namespace amiable::sql
