// SqlStore: received mail (migration 9), store/received_store.h.
#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {

namespace {

constexpr std::string_view kReceivedColumns =
    "r.id, r.organisme, r.message_id, r.sha256, coalesce(c.reference, ''), r.outcome, r.reason, "
    "r.reason_detail, r.subject, r.from_name, r.from_address, r.body_text, r.sent_at, "
    "r.received_at, r.automatic, r.source, r.raw_key, r.raw_size, r.quarantine_state, "
    "r.handled_by, r.handled_at, r.handled_reason, r.flagged";

constexpr std::string_view kReceivedFrom =
    " FROM received_messages r LEFT JOIN cases c ON c.id = r.case_id";

ReceivedMessageRow ReceivedFromRow(const soci::row& row) {
  ReceivedMessageRow r;
  size_t i = 0;
  r.id = GetInt(row, i++);
  r.organisme = GetString(row, i++);
  r.message_id = GetString(row, i++);
  r.sha256 = GetString(row, i++);
  r.case_reference = GetString(row, i++);
  r.outcome = GetString(row, i++);
  r.reason = GetString(row, i++);
  r.reason_detail = GetString(row, i++);
  r.subject = GetString(row, i++);
  r.from_name = GetString(row, i++);
  r.from_address = GetString(row, i++);
  r.body_text = GetString(row, i++);
  r.sent_at = GetString(row, i++);
  r.received_at = GetString(row, i++);
  r.automatic = GetString(row, i++);
  r.source = GetString(row, i++);
  r.raw_key = GetString(row, i++);
  r.raw_size = GetInt(row, i++);
  r.quarantine_state = GetString(row, i++);
  r.handled_by = GetString(row, i++);
  r.handled_at = GetString(row, i++);
  r.handled_reason = GetString(row, i++);
  r.flagged = GetInt(row, i++) != 0;
  return r;
}

}  // namespace

Result<std::optional<ReceivedMessageRow>> SqlStore::FindReceived(std::string_view organisme,
                                                                 std::string_view message_id,
                                                                 std::string_view sha256) {
  try {
    std::optional<ReceivedMessageRow> out;
    Query q;
    q << "SELECT " << kReceivedColumns << kReceivedFrom << " WHERE r.organisme = ";
    q.Bind(std::string(organisme)) << " AND r.message_id = ";
    q.Bind(std::string(message_id)) << " AND r.sha256 = ";
    q.Bind(std::string(sha256));
    Fetch(q, [&](const soci::row& r) {
      out = ReceivedFromRow(r);
      return false;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

void SqlStore::LinkReceivedDocumentsNoTx(int64_t received_id, const std::vector<std::string>& keys,
                                         int first_position) {
  long long rid = received_id;
  for (size_t i = 0; i < keys.size(); ++i) {
    int pos = first_position + static_cast<int>(i);
    sql_ << "INSERT INTO received_documents (received_id, position, storage_key) "
            "VALUES (:r, :p, :k)",
        soci::use(rid), soci::use(pos), soci::use(keys[i]);
  }
}

Result<int64_t> SqlStore::InsertReceived(const Actor& actor, ReceivedMessageRow& r) {
  if (!actor.CanSee(r.organisme)) {
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {r.organisme}));
  }
  Status s = InTransaction([&]() -> Status {
    int dup = 0;
    sql_ << "SELECT COUNT(*) FROM received_messages WHERE organisme = :o AND message_id = :m "
            "AND sha256 = :h",
        soci::use(r.organisme), soci::use(r.message_id), soci::use(r.sha256), soci::into(dup);
    if (dup) return Fail(msg::Conflict("intake.duplicate"));
    soci::indicator case_ind = soci::i_null;
    long long case_id = 0;
    if (!r.case_reference.empty()) {
      case_id = CaseId(r.case_reference);
      if (case_id == 0) {
        return Fail(msg::NotFound("case.not_found", {r.case_reference}));
      }
      case_ind = soci::i_ok;
    }
    if (r.received_at.empty()) r.received_at = NowTimestamp();
    long long size = r.raw_size, id = 0;
    int flagged = r.flagged ? 1 : 0;
    sql_ << "INSERT INTO received_messages (organisme, message_id, sha256, case_id, outcome, "
            "reason, reason_detail, subject, from_name, from_address, body_text, sent_at, "
            "received_at, automatic, source, raw_key, raw_size, quarantine_state, flagged) "
            "VALUES (:o, :m, :h, :c, :out, :r, :rd, :s, :fn, :fa, :b, :sa, :ra, :a, :src, :k, "
            ":z, :q, :f) RETURNING id",
        soci::use(r.organisme), soci::use(r.message_id), soci::use(r.sha256),
        soci::use(case_id, case_ind), soci::use(r.outcome), soci::use(r.reason),
        soci::use(r.reason_detail), soci::use(r.subject), soci::use(r.from_name),
        soci::use(r.from_address), soci::use(r.body_text), soci::use(r.sent_at),
        soci::use(r.received_at), soci::use(r.automatic), soci::use(r.source),
        soci::use(r.raw_key), soci::use(size), soci::use(r.quarantine_state), soci::use(flagged),
        soci::into(id);
    r.id = id;
    LinkReceivedDocumentsNoTx(id, r.document_keys, 0);
    return AuditNoTx(actor, "mail.receive", std::to_string(id));
  });
  if (!s) return Fail(s.error());
  return r.id;
}

Status SqlStore::UpdateReceived(const Actor& actor, const ReceivedMessageRow& r) {
  return InTransaction([&]() -> Status {
    auto current = GetReceived(actor, r.id);
    if (!current) return Fail(current.error());
    soci::indicator case_ind = soci::i_null;
    long long case_id = 0, rid = r.id;
    if (!r.case_reference.empty()) {
      case_id = CaseId(r.case_reference);
      if (case_id == 0) return Fail(msg::NotFound("case.not_found", {r.case_reference}));
      case_ind = soci::i_ok;
    }
    int flagged = r.flagged ? 1 : 0;
    std::string at = r.handled_at.empty() ? NowTimestamp() : r.handled_at;
    sql_ << "UPDATE received_messages SET outcome = :o, case_id = :c, reason = :r, "
            "reason_detail = :rd, quarantine_state = :q, handled_by = :b, handled_at = :t, "
            "handled_reason = :hr, flagged = :f WHERE id = :i",
        soci::use(r.outcome), soci::use(case_id, case_ind), soci::use(r.reason),
        soci::use(r.reason_detail), soci::use(r.quarantine_state), soci::use(actor.user),
        soci::use(at), soci::use(r.handled_reason), soci::use(flagged), soci::use(rid);
    int have = 0;
    sql_ << "SELECT COUNT(*) FROM received_documents WHERE received_id = :i", soci::use(rid),
        soci::into(have);
    if (r.document_keys.size() > static_cast<size_t>(have)) {
      std::vector<std::string> more(r.document_keys.begin() + have, r.document_keys.end());
      LinkReceivedDocumentsNoTx(r.id, more, have);
    }
    return AuditNoTx(actor, "mail.received.update", std::to_string(r.id));
  });
}

Result<std::optional<OutboxMessage>> SqlStore::OutboxByMessageId(std::string_view message_id) {
  if (message_id.empty()) return std::optional<OutboxMessage>();
  auto rows = OutboxWhere("message_id = ", std::string(message_id));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return std::optional<OutboxMessage>();
  return std::optional<OutboxMessage>(rows->front());
}

Status SqlStore::MarkOutboxBounced(int64_t id, std::string_view error) {
  return InTransaction([&]() -> Status {
    long long lid = id;
    const std::string e(error);
    soci::statement st =
        (sql_.prepare << "UPDATE outbox SET state = 'failed', last_error = :e, "
                         "next_attempt_at = '', claimed_until = '' WHERE id = :i",
         soci::use(e), soci::use(lid));
    st.execute(true);
    if (st.get_affected_rows() == 0) return Fail(Error::NotFound("outbox " + std::to_string(id)));
    return {};
  });
}

Result<std::optional<std::string>> SqlStore::CaseOfReceived(std::string_view organisme,
                                                            std::string_view message_id) {
  if (message_id.empty()) return std::optional<std::string>();
  try {
    std::optional<std::string> out;
    Query q;
    q << "SELECT c.reference FROM received_messages r JOIN cases c ON c.id = r.case_id "
         "WHERE r.organisme = ";
    q.Bind(std::string(organisme)) << " AND r.message_id = ";
    q.Bind(std::string(message_id)) << " ORDER BY r.id LIMIT 1";
    Fetch(q, [&](const soci::row& r) {
      out = GetString(r, 0);
      return false;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::LoadReceivedDocuments(std::vector<ReceivedMessageRow>& rows) {
  for (ReceivedMessageRow& r : rows) {
    Query q;
    q << "SELECT d.id, d.file_name, d.content_type, d.size_bytes, d.storage_key, d.sha256, "
         "d.uploaded_by, d.uploaded_at, x.storage_key FROM received_documents x "
         "LEFT JOIN documents d ON d.storage_key = x.storage_key WHERE x.received_id = ";
    q.Bind(std::to_string(r.id)) << " ORDER BY x.position";
    Fetch(q, [&](const soci::row& row) {
      r.document_keys.push_back(GetString(row, 8));
      if (GetInt(row, 0) != 0) r.documents.push_back(ReadDocument(row));
      return true;
    });
  }
  return {};
}

Result<std::vector<ReceivedMessageRow>> SqlStore::CaseReceived(const Actor& actor,
                                                               std::string_view reference) {
  auto id = VisibleCaseId(actor, reference);
  if (!id) return Fail(id.error());
  try {
    std::vector<ReceivedMessageRow> out;
    Query q;
    q << "SELECT " << kReceivedColumns << kReceivedFrom << " WHERE r.case_id = ";
    q.Bind(std::to_string(*id)) << " ORDER BY r.id";
    Fetch(q, [&](const soci::row& r) {
      out.push_back(ReceivedFromRow(r));
      return true;
    });
    if (auto s = LoadReceivedDocuments(out); !s) return Fail(s.error());
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<ReceivedMessageRow> SqlStore::GetReceived(const Actor& actor, int64_t id) {
  try {
    std::vector<ReceivedMessageRow> out;
    Query q;
    q << "SELECT " << kReceivedColumns << kReceivedFrom << " WHERE r.id = ";
    q.Bind(std::to_string(id));
    q.RestrictFunds("r.organisme", actor, {});
    Fetch(q, [&](const soci::row& r) {
      out.push_back(ReceivedFromRow(r));
      return false;
    });
    if (out.empty()) return Fail(msg::NotFound("intake.not_found", {std::to_string(id)}));
    if (auto s = LoadReceivedDocuments(out); !s) return Fail(s.error());
    return std::move(out.front());
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<ReceivedMessageRow>> SqlStore::QuarantinedMessages(const Actor& actor,
                                                                      int limit) {
  try {
    std::vector<ReceivedMessageRow> out;
    Query q;
    q << "SELECT " << kReceivedColumns << kReceivedFrom << " WHERE r.quarantine_state = ";
    q.Bind("open");
    q.RestrictFunds("r.organisme", actor, {});
    q << " ORDER BY r.id DESC";
    if (limit > 0) q << " LIMIT " << std::to_string(limit);
    Fetch(q, [&](const soci::row& r) {
      out.push_back(ReceivedFromRow(r));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<ReceivedMessageRow>> SqlStore::FlaggedMessages(const Actor& actor, int limit) {
  try {
    std::vector<ReceivedMessageRow> out;
    Query q;
    q << "SELECT " << kReceivedColumns << kReceivedFrom << " WHERE r.flagged = 1";
    q << " AND r.case_id IN (SELECT c.id FROM cases c WHERE 1=1";
    q.RestrictCases(actor, {}, HasGrants(actor)) << ") ORDER BY r.id DESC";
    if (limit > 0) q << " LIMIT " << std::to_string(limit);
    Fetch(q, [&](const soci::row& r) {
      out.push_back(ReceivedFromRow(r));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::ClearFlag(const Actor& actor, int64_t id) {
  return InTransaction([&]() -> Status {
    auto row = GetReceived(actor, id);
    if (!row) return Fail(row.error());
    if (!row->case_reference.empty()) {
      if (auto v = VisibleCaseId(actor, row->case_reference); !v) return Fail(v.error());
    }
    long long rid = id;
    sql_ << "UPDATE received_messages SET flagged = 0 WHERE id = :i", soci::use(rid);
    return AuditNoTx(actor, "mail.received.seen", std::to_string(id));
  });
}

Result<bool> SqlStore::AcquireMailboxLease(std::string_view organisme, std::string_view owner,
                                           std::string_view now, std::string_view until) {
  bool got = false;
  Status s = InTransaction([&]() -> Status {
    std::string o(organisme), w(owner), n(now), u(until);
    soci::statement st =
        (sql_.prepare << "UPDATE mailbox_leases SET owner = :w, until = :u "
                         "WHERE organisme = :o AND (owner = :w2 OR until <= :n)",
         soci::use(w), soci::use(u), soci::use(o), soci::use(w), soci::use(n));
    st.execute(true);
    if (st.get_affected_rows() > 0) {
      got = true;
      return {};
    }
    int exists = 0;
    sql_ << "SELECT COUNT(*) FROM mailbox_leases WHERE organisme = :o", soci::use(o),
        soci::into(exists);
    if (exists) return {};
    // Two pollers inserting at once: the loser's transaction fails on the
    // primary key (kConflict) and it simply has no lease this time.
    sql_ << "INSERT INTO mailbox_leases (organisme, owner, until) VALUES (:o, :w, :u)",
        soci::use(o), soci::use(w), soci::use(u);
    got = true;
    return {};
  });
  if (!s) {
    if (s.error().code == Error::Code::kConflict) return false;
    return Fail(s.error());
  }
  return got;
}

Status SqlStore::ReleaseMailboxLease(std::string_view organisme, std::string_view owner) {
  try {
    std::string o(organisme), w(owner);
    sql_ << "DELETE FROM mailbox_leases WHERE organisme = :o AND owner = :w", soci::use(o),
        soci::use(w);
    return {};
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

}  // namespace amiable::sql
