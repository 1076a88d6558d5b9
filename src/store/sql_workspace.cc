// SqlStore: the outbox and the label overrides (migration 2), the published
// years (migration 5).
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <random>

#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {

namespace {

constexpr std::string_view kOutboxColumns =
    "id, kind, recipient, subject, body, case_reference, created_at, sent_at, state, attempts, "
    "next_attempt_at, last_error, message_id, organisme, in_reply_to, body_html";

OutboxMessage OutboxFromRow(const soci::row& r) {
  OutboxMessage m;
  m.id = GetInt(r, 0);
  m.kind = GetString(r, 1);
  m.recipient = GetString(r, 2);
  m.subject = GetString(r, 3);
  m.body = GetString(r, 4);
  m.case_reference = GetString(r, 5);
  m.created_at = GetString(r, 6);
  m.sent_at = GetString(r, 7);
  m.state = GetString(r, 8);
  m.attempts = static_cast<int>(GetInt(r, 9));
  m.next_attempt_at = GetString(r, 10);
  m.last_error = GetString(r, 11);
  m.message_id = GetString(r, 12);
  m.organisme = GetString(r, 13);
  m.in_reply_to = GetString(r, 14);
  m.body_html = GetString(r, 15);
  return m;
}

std::string HostForMessageIds() {
  char buf[256] = {};
  std::string host;
  if (gethostname(buf, sizeof buf - 1) == 0) {
    for (const char* p = buf; *p; ++p) {
      const char c = *p;
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') host += c;
    }
  }
  while (!host.empty() && host.front() == '.') host.erase(0, 1);
  while (!host.empty() && host.back() == '.') host.pop_back();
  return host.empty() ? "amiable" : host;
}

}  // namespace

std::string NewOutboxMessageId(int64_t id) {
  static const std::string host = HostForMessageIds();
  std::random_device rd;
  const uint64_t r = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(r));
  return "<outbox-" + std::to_string(id) + "." + buf + "@" + host + ">";
}

void SqlStore::InsertOutboxNoTx(OutboxMessage& m, const std::string& reference) {
  auto fill = [&](std::string t) {
    if (reference.empty()) return t;
    for (size_t p = 0; (p = t.find("{reference}", p)) != std::string::npos; p += reference.size()) {
      t.replace(p, 11, reference);
    }
    return t;
  };
  m.subject = fill(m.subject);
  m.body = fill(m.body);
  m.body_html = fill(m.body_html);
  m.case_reference = reference;
  m.created_at = NowTimestamp();
  m.next_attempt_at = m.created_at;
  m.state = "queued";
  long long oid = 0;
  sql_ << "INSERT INTO outbox (kind, recipient, subject, body, case_reference, created_at, "
          "next_attempt_at, organisme, in_reply_to, body_html) "
          "VALUES (:k, :r, :s, :b, :c, :t, :n, :o, :i, :h) RETURNING id",
      soci::use(m.kind), soci::use(m.recipient), soci::use(m.subject), soci::use(m.body),
      soci::use(m.case_reference), soci::use(m.created_at), soci::use(m.next_attempt_at),
      soci::use(m.organisme), soci::use(m.in_reply_to), soci::use(m.body_html), soci::into(oid);
  m.id = oid;
  outbox_queued_ = true;
  m.message_id = NewOutboxMessageId(oid);
  sql_ << "UPDATE outbox SET message_id = :m WHERE id = :i", soci::use(m.message_id),
      soci::use(oid);
}

Result<OutboxMessage> SqlStore::QueueOutbox(const Actor& actor, OutboxMessage m) {
  if (m.recipient.empty()) return Fail(msg::Invalid("mail.recipient_required", "recipient"));
  std::string reference = m.case_reference;
  if (!reference.empty()) {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    if (m.organisme.empty()) {
      try {
        long long cid = *id;
        sql_ << "SELECT organisme FROM cases WHERE id = :i", soci::use(cid), soci::into(m.organisme);
      } catch (const std::exception& e) {
        return Fail(DbError(e));
      }
    }
  }
  Status s = InTransaction([&]() -> Status {
    InsertOutboxNoTx(m, reference);
    return AuditNoTx(actor, "outbox.queue", reference.empty() ? m.kind : reference);
  });
  if (!s) return Fail(s.error());
  return m;
}

Result<std::vector<OutboxMessage>> SqlStore::OutboxWhere(std::string_view condition,
                                                         std::string value) {
  try {
    std::vector<OutboxMessage> out;
    Query q;
    q << "SELECT " << kOutboxColumns << " FROM outbox WHERE " << condition;
    q.Bind(std::move(value)) << " ORDER BY id";
    Fetch(q, [&](const soci::row& r) {
      out.push_back(OutboxFromRow(r));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<OutboxMessage>> SqlStore::PendingOutbox(int limit) {
  try {
    std::vector<OutboxMessage> out;
    std::string sql = "SELECT " + std::string(kOutboxColumns) +
                      " FROM outbox WHERE state = 'queued' ORDER BY id";
    if (limit > 0) sql += " LIMIT " + std::to_string(limit);
    soci::rowset<soci::row> rs = (sql_.prepare << sql);
    for (const soci::row& r : rs) out.push_back(OutboxFromRow(r));
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<OutboxMessage>> SqlStore::OutboxMessages(int limit) {
  try {
    std::vector<OutboxMessage> out;
    std::string sql = "SELECT " + std::string(kOutboxColumns) + " FROM outbox ORDER BY id";
    if (limit > 0) sql += " LIMIT " + std::to_string(limit);
    soci::rowset<soci::row> rs = (sql_.prepare << sql);
    for (const soci::row& r : rs) out.push_back(OutboxFromRow(r));
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<OutboxMessage>> SqlStore::CaseOutbox(const Actor& actor,
                                                        std::string_view reference) {
  auto id = VisibleCaseId(actor, reference);
  if (!id) return Fail(id.error());
  try {
    std::vector<OutboxMessage> out;
    Query q;
    q << "SELECT " << kOutboxColumns << " FROM outbox WHERE case_reference = ";
    q.Bind(std::string(reference)) << " ORDER BY id";
    Fetch(q, [&](const soci::row& r) {
      out.push_back(OutboxFromRow(r));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<OutboxMessage>> SqlStore::FailedOutbox(const Actor& actor, int limit) {
  try {
    std::vector<OutboxMessage> out;
    Query q;
    q << "SELECT " << kOutboxColumns << " FROM outbox WHERE state = ";
    q.Bind("failed") << " AND case_reference IN (SELECT c.reference FROM cases c WHERE 1=1";
    q.RestrictCases(actor, {}, HasGrants(actor)) << ") ORDER BY id DESC";
    if (limit > 0) q << " LIMIT " << std::to_string(limit);
    Fetch(q, [&](const soci::row& r) {
      out.push_back(OutboxFromRow(r));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<OutboxMessage>> SqlStore::ClaimOutbox(std::string_view now,
                                                         std::string_view lease_until, int limit) {
  if (limit <= 0) return Fail(Error::Invalid("limit must be positive"));
  std::vector<OutboxMessage> out;
  Status s = InTransaction([&]() -> Status {
    const std::string n(now), until(lease_until);
    // The rows to take: locked by this transaction on PostgreSQL, skipping
    // those another claim holds; SQLite's write lock (InTransaction) makes
    // the select and the update below one step for every other writer.
    std::string pick =
        "SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= :n1 "
        "AND claimed_until <= :n2 ORDER BY id LIMIT " +
        std::to_string(limit);
    if (postgres_) pick += " FOR UPDATE SKIP LOCKED";
    std::vector<long long> ids;
    {
      soci::rowset<soci::row> rs = (sql_.prepare << pick, soci::use(n), soci::use(n));
      for (const soci::row& r : rs) ids.push_back(GetInt(r, 0));
    }
    for (long long id : ids) {
      // Conditional: a row another sender took meanwhile (SQLite, another
      // process between our select and this update) is left to it.
      soci::statement st =
          (sql_.prepare << "UPDATE outbox SET claimed_until = :u, attempts = attempts + 1 "
                           "WHERE id = :i AND state = 'queued' AND claimed_until <= :n",
           soci::use(until), soci::use(id), soci::use(n));
      st.execute(true);
      if (st.get_affected_rows() != 1) continue;
      soci::rowset<soci::row> rs =
          (sql_.prepare << "SELECT " + std::string(kOutboxColumns) + " FROM outbox WHERE id = :i",
           soci::use(id));
      for (const soci::row& r : rs) out.push_back(OutboxFromRow(r));
    }
    return {};
  });
  if (!s) return Fail(s.error());
  return out;
}

Status SqlStore::MarkOutboxSent(int64_t id, std::string_view at) {
  return InTransaction([&]() -> Status {
    long long lid = id;
    const std::string a(at);
    soci::statement st = (sql_.prepare << "UPDATE outbox SET state = 'sent', sent_at = :a, "
                                          "claimed_until = '', last_error = '' WHERE id = :i",
                          soci::use(a), soci::use(lid));
    st.execute(true);
    if (st.get_affected_rows() == 0) return Fail(Error::NotFound("outbox " + std::to_string(id)));
    return {};
  });
}

Status SqlStore::MarkOutboxFailed(int64_t id, std::string_view error,
                                  std::string_view next_attempt_at, bool give_up) {
  return InTransaction([&]() -> Status {
    long long lid = id;
    const std::string e(error), next(next_attempt_at), state(give_up ? "failed" : "queued");
    soci::statement st =
        (sql_.prepare << "UPDATE outbox SET state = :s, last_error = :e, next_attempt_at = :n, "
                         "claimed_until = '' WHERE id = :i AND state <> 'sent'",
         soci::use(state), soci::use(e), soci::use(next), soci::use(lid));
    st.execute(true);
    if (st.get_affected_rows() == 0) return Fail(Error::NotFound("outbox " + std::to_string(id)));
    return {};
  });
}

Result<std::vector<LabelOverride>> SqlStore::LabelOverrides() {
  try {
    std::vector<LabelOverride> out;
    soci::rowset<soci::row> rs =
        (sql_.prepare << "SELECT nomenclature, code, label FROM "
                         "nomenclature_labels ORDER BY nomenclature, code");
    for (const soci::row& r : rs)
      out.push_back({GetString(r, 0), GetString(r, 1), GetString(r, 2)});
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::SetLabelOverride(const Actor& actor, const LabelOverride& o) {
  return InTransaction([&]() -> Status {
    sql_ << "DELETE FROM nomenclature_labels WHERE nomenclature = :n AND code = :c",
        soci::use(o.nomenclature), soci::use(o.code);
    if (!o.label.empty()) {
      sql_ << "INSERT INTO nomenclature_labels (nomenclature, code, label) VALUES (:n, :c, :l)",
          soci::use(o.nomenclature), soci::use(o.code), soci::use(o.label);
    }
    return AuditNoTx(actor, "nomenclature.label", o.nomenclature + "." + o.code);
  });
}

// ---- Published years (migration 5) ----

Status SqlStore::PublishYear(const Actor& actor, std::string_view organisme, int year) {
  std::string org(organisme);
  if (!actor.CanSee(org))
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {org}));
  if (year < 1900 || year > 2199) {
    return Fail(msg::Invalid("publish.year", "year", {std::to_string(year)}));
  }
  return InTransaction([&]() -> Status {
    if (auto st = CheckOrganismeExists(org); !st) return st;
    int n = 0;
    sql_ << "SELECT COUNT(*) FROM published_years WHERE organisme = :o AND year = :y",
        soci::use(org), soci::use(year), soci::into(n);
    if (n) {
      return Fail(msg::Conflict("publish.already", "year", {std::to_string(year), org}));
    }
    std::string now = NowTimestamp();
    sql_ << "INSERT INTO published_years (organisme, year, published_at, by_user) "
            "VALUES (:o, :y, :t, :b)",
        soci::use(org), soci::use(year), soci::use(now), soci::use(actor.user);
    return AuditNoTx(actor, "year.publish", org + " " + std::to_string(year));
  });
}

Result<std::vector<int>> SqlStore::PublishedYears(std::string_view organisme) {
  try {
    std::vector<int> out;
    Query q;
    q << "SELECT year FROM published_years WHERE organisme = ";
    q.Bind(std::string(organisme)) << " ORDER BY year";
    Fetch(q, [&](const soci::row& r) {
      out.push_back(static_cast<int>(GetInt(r, 0)));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<PostPublicationChange>> SqlStore::ChangesAfterPublication(
    const Actor& actor, std::string_view organisme, int year) {
  try {
    std::vector<PostPublicationChange> out;
    Query q;
    q << "SELECT e.id, e.at, e.actor, e.kind, e.detail, e.changes, e.published_year, "
         "c.reference FROM case_events e JOIN cases c ON c.id = e.case_id "
         "WHERE e.published_year = ";
    q.Bind(std::to_string(year)) << " AND c.organisme = ";
    q.Bind(std::string(organisme));
    q.RestrictCases(actor, {}, HasGrants(actor));
    q << " ORDER BY e.at DESC, e.id DESC";
    Fetch(q, [&](const soci::row& r) {
      out.push_back({GetString(r, 7), ReadEvent(r)});
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

}  // namespace amiable::sql
