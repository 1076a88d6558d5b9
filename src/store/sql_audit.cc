// SqlStore: the audit trail (store/audit_store.h): appending chained rows in
// the writer's transaction, the head row and the head file, verification,
// pruning behind a checkpoint, reading for the data-protection officer.
#include <cstdio>

#include "core/messages.h"
#include "store/audit_chain.h"
#include "store/audit_head_writer.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {
namespace {

bool MayReadTrail(const Actor& a) {
  return a.role == Role::kDpo || a.role == Role::kAdministrator;
}

audit::Row ReadRow(const soci::row& r) {
  audit::Row out;
  out.seq = GetInt(r, 0);
  out.at = GetString(r, 1);
  out.actor = GetString(r, 2);
  out.action = GetString(r, 3);
  out.object = GetString(r, 4);
  out.prev_hash = GetString(r, 5);
  out.mac = GetString(r, 6);
  return out;
}

constexpr const char* kRowColumns = "seq, at, actor, action, object, prev_hash, mac";

}  // namespace

SqlStore::~SqlStore() {
  audit_insert_.reset();
  cache_.clear();
  // A closed store's heads are on disk: its folder may be removed or copied.
  if (audit_key_) audit::FlushHeads();
}

Result<audit::Key> SqlStore::AuditKey(bool create) {
  if (audit_key_) return *audit_key_;
  auto k = audit::LoadKey(audit_key_file_, create);
  if (!k) return Fail(k.error());
  audit_key_ = *k;
  return *k;
}

Status SqlStore::AuditLoadHeadNoTx() {
  if (audit_tx_.loaded) return {};
  auto key = AuditKey(true);
  if (!key) return Fail(key.error());
  std::string chain_id, hash;
  long long seq = 0;
  indicator ind = soci::i_null;
  sql_ << (postgres_ ? "SELECT chain_id, seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                     : "SELECT chain_id, seq, hash FROM audit_head WHERE id = 1"),
      soci::into(chain_id, ind), soci::into(seq), soci::into(hash);
  if (!sql_.got_data()) {
    sql_ << "INSERT INTO audit_head (id, chain_id, seq, hash) VALUES (1, '', 0, '')";
    chain_id.clear();
    hash.clear();
    seq = 0;
  }
  if (chain_id.empty()) {
    // First keyed append: seal the rows numbered by migration 15.
    chain_id = audit::NewChainId();
    std::vector<audit::Row> rows;
    Fetch(Query() << "SELECT " << kRowColumns << " FROM audit_log WHERE seq IS NOT NULL ORDER BY seq",
          [&](const soci::row& r) {
            rows.push_back(ReadRow(r));
            return true;
          });
    hash = audit::GenesisHash();
    seq = 0;
    for (audit::Row& r : rows) {
      r.prev_hash = hash;
      r.mac = audit::RowMac(*key, r);
      long long s = r.seq;
      sql_ << "UPDATE audit_log SET prev_hash = :p, mac = :m WHERE seq = :s", soci::use(r.prev_hash),
          soci::use(r.mac), soci::use(s);
      hash = r.mac;
      seq = r.seq;
    }
    audit_tx_.dirty = true;
  }
  audit_tx_.loaded = true;
  audit_tx_.chain_id = chain_id;
  audit_tx_.seq = seq;
  audit_tx_.hash = hash;
  return {};
}

Status SqlStore::AuditNoTx(const Actor& actor, std::string_view action, std::string_view object) {
  if (tx_depth_ == 0) {
    return InTransaction([&] { return AuditNoTx(actor, action, object); });
  }
  if (auto s = AuditLoadHeadNoTx(); !s) return s;
  audit::Row& r = audit_row_;
  r.seq = audit_tx_.seq + 1;
  r.at = NowTimestamp();
  r.actor = actor.user;
  r.action = std::string(action);
  r.object = action.ends_with(".search") ? audit::TermHash(*audit_key_, object)
                                         : std::string(object);
  r.prev_hash = audit_tx_.hash;
  r.mac = audit::RowMac(*audit_key_, r);
  audit_seq_ = r.seq;
  if (!audit_insert_) {
    audit_insert_ = std::make_unique<soci::statement>(
        (sql_.prepare << "INSERT INTO audit_log (seq, at, actor, action, object, prev_hash, mac) "
                         "VALUES (:s, :t, :u, :a, :o, :p, :m)",
         soci::use(audit_seq_), soci::use(r.at), soci::use(r.actor), soci::use(r.action),
         soci::use(r.object), soci::use(r.prev_hash), soci::use(r.mac)));
  }
  try {
    audit_insert_->execute(true);
  } catch (...) {
    audit_insert_.reset();  // never reuse a statement left in an unknown state
    throw;
  }
  audit_tx_.seq = r.seq;
  audit_tx_.hash = r.mac;
  audit_tx_.dirty = true;
  return {};
}

Status SqlStore::AuditBeforeCommit() {
  if (!audit_tx_.dirty) return {};
  try {
    long long seq = audit_tx_.seq;
    sql_ << "UPDATE audit_head SET chain_id = :c, seq = :s, hash = :h WHERE id = 1",
        soci::use(audit_tx_.chain_id), soci::use(seq), soci::use(audit_tx_.hash);
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
  return {};
}

void SqlStore::AuditAfterCommit(bool committed) {
  AuditTx tx = std::move(audit_tx_);
  audit_tx_ = AuditTx();
  if (!committed || !tx.dirty || !audit_key_) return;
  audit::Head h{tx.chain_id, tx.seq, tx.hash, ""};
  h.mac = audit::HeadMac(*audit_key_, h);
  audit::PublishHead(audit::HeadFileFor(audit_key_file_, tx.chain_id), h);
}

Result<AuditVerifyReport> SqlStore::VerifyAudit() {
  audit::FlushHeads();  // what this process committed is in the head file
  AuditVerifyReport rep;
  rep.key_file = audit_key_file_;
  auto key = AuditKey(false);
  if (!key) return Fail(key.error());
  try {
    std::string chain_id, db_hash;
    long long db_seq = 0;
    sql_ << "SELECT chain_id, seq, hash FROM audit_head WHERE id = 1", soci::into(chain_id),
        soci::into(db_seq), soci::into(db_hash);
    if (!sql_.got_data() || chain_id.empty()) {
      // Nothing sealed yet (no append since migration 15).
      return rep;
    }
    rep.head_file = audit::HeadFileFor(audit_key_file_, chain_id);
    std::vector<audit::Finding> extra;
    // Where to start: the latest checkpoint.
    int64_t start_seq = 0;
    std::string start_hash = audit::GenesisHash();
    Fetch(Query() << "SELECT seq, hash, at, removed, mac FROM audit_checkpoints ORDER BY seq DESC",
          [&](const soci::row& r) {
            audit::Checkpoint c{GetInt(r, 0), GetString(r, 1), GetString(r, 2), GetInt(r, 3),
                                GetString(r, 4)};
            if (audit::CheckpointMac(*key, c) != c.mac) {
              extra.push_back({audit::Finding::Kind::kCheckpointModified, c.seq, c.seq});
            }
            start_seq = c.seq;
            start_hash = c.hash;
            return false;
          });
    // The highest head known: the file outside, or the database's row.
    int64_t tail_seq = db_seq;
    std::string tail_hash = db_hash;
    auto file = audit::ReadHead(rep.head_file);
    if (!file) {
      extra.push_back({audit::Finding::Kind::kHeadModified, 0, 0});
    } else if (!*file) {
      extra.push_back({audit::Finding::Kind::kHeadMissing, 0, 0});
    } else if (audit::HeadMac(*key, **file) != (*file)->mac || (*file)->chain_id != chain_id) {
      extra.push_back({audit::Finding::Kind::kHeadModified, 0, 0});
    } else if ((*file)->seq >= tail_seq) {
      tail_seq = (*file)->seq;
      tail_hash = (*file)->hash;
    }
    rep.checkpoint_seq = start_seq;
    audit::ChainVerifier v(*key, start_seq, start_hash, tail_seq, tail_hash);
    Fetch(Query() << "SELECT " << kRowColumns << " FROM audit_log WHERE seq IS NOT NULL ORDER BY seq",
          [&](const soci::row& r) {
            v.Add(ReadRow(r));
            return true;
          });
    std::vector<audit::Finding> found = v.Finish();
    rep.rows = v.rows();
    for (const audit::Finding& f : extra) {
      rep.findings.push_back({f.seq, audit::FindingText(f, rep.head_file)});
    }
    for (const audit::Finding& f : found) {
      rep.findings.push_back({f.seq, audit::FindingText(f, rep.head_file)});
    }
    // Rows without a number were never appended by amiable.
    Fetch(Query() << "SELECT id FROM audit_log WHERE seq IS NULL ORDER BY id",
          [&](const soci::row& r) {
            rep.findings.push_back(
                {0, msg::Format("audit.finding_inserted_unnumbered", {std::to_string(GetInt(r, 0))})});
            return true;
          });
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
  return rep;
}

Result<int64_t> SqlStore::PruneAudit(const Actor& actor, std::string_view before_at) {
  int64_t removed = 0;
  Status s = InTransaction([&]() -> Status {
    if (auto h = AuditLoadHeadNoTx(); !h) return h;
    const std::string before(before_at);
    long long first_kept = 0;
    indicator ind = soci::i_null;
    sql_ << "SELECT MIN(seq) FROM audit_log WHERE seq IS NOT NULL AND at >= :b", soci::use(before),
        soci::into(first_kept, ind);
    long long last = ind == soci::i_ok ? first_kept - 1 : audit_tx_.seq;
    long long cp = 0;
    indicator cind = soci::i_null;
    sql_ << "SELECT MAX(seq) FROM audit_checkpoints", soci::into(cp, cind);
    if (cind != soci::i_ok) cp = 0;
    if (last <= cp) return {};
    std::string hash;
    indicator hind = soci::i_null;
    sql_ << "SELECT mac FROM audit_log WHERE seq = :s", soci::use(last), soci::into(hash, hind);
    if (!sql_.got_data() || hind != soci::i_ok) {
      return Fail(msg::Invalid("audit.prune_gap", "", {std::to_string(last)}));
    }
    soci::statement del = (sql_.prepare << "DELETE FROM audit_log WHERE seq <= :s", soci::use(last));
    del.execute(true);
    removed = static_cast<int64_t>(del.get_affected_rows());
    audit::Checkpoint c{last, hash, NowTimestamp(), removed, ""};
    c.mac = audit::CheckpointMac(*audit_key_, c);
    long long lr = removed;
    sql_ << "INSERT INTO audit_checkpoints (seq, hash, at, removed, mac) VALUES (:s, :h, :t, :r, :m)",
        soci::use(last), soci::use(c.hash), soci::use(c.at), soci::use(lr), soci::use(c.mac);
    return AuditNoTx(actor, "audit.prune", std::to_string(last));
  });
  if (!s) return Fail(s.error());
  return removed;
}

namespace {

void AuditWhere(Query& q, const AuditQuery& f) {
  q << " WHERE seq IS NOT NULL";
  if (!f.from_at.empty()) {
    q << " AND at >= ";
    q.Bind(f.from_at);
  }
  if (!f.to_at.empty()) {
    q << " AND at < ";
    q.Bind(f.to_at);
  }
  if (!f.user.empty()) {
    q << " AND actor = ";
    q.Bind(f.user);
  }
  if (!f.case_ref.empty()) {
    q << " AND (object = ";
    q.Bind(f.case_ref);
    q << " OR object LIKE ";
    q.Bind(f.case_ref + " %");
    q << " OR object LIKE ";
    q.Bind(f.case_ref + "/%");
    // A row of a burst of reads lists its objects separated by spaces
    // (web/audit_batch.h): the case anywhere in the list.
    q << " OR object LIKE ";
    q.Bind("% " + f.case_ref);
    q << " OR object LIKE ";
    q.Bind("% " + f.case_ref + " %");
    q << " OR object LIKE ";
    q.Bind("% " + f.case_ref + "/%");
    q << ")";
  }
}

AuditEntry ReadEntry(const soci::row& r) {
  return AuditEntry{GetInt(r, 0), GetString(r, 1), GetString(r, 2), GetString(r, 3),
                    GetString(r, 4)};
}

}  // namespace

Result<std::vector<AuditEntry>> SqlStore::ListAudit(const Actor& actor, const AuditQuery& f,
                                                    int64_t* total) {
  if (!MayReadTrail(actor)) return Fail(msg::Forbidden("audit.forbidden"));
  try {
    std::vector<AuditEntry> out;
    if (total) {
      Query c;
      c << "SELECT COUNT(*) FROM audit_log";
      AuditWhere(c, f);
      Fetch(c, [&](const soci::row& r) {
        *total = GetInt(r, 0);
        return false;
      });
    }
    Query q;
    q << "SELECT seq, at, actor, action, object FROM audit_log";
    AuditWhere(q, f);
    q << " ORDER BY seq DESC LIMIT " << std::to_string(std::max(1, f.limit)) << " OFFSET "
      << std::to_string(std::max<int64_t>(0, f.offset));
    Fetch(q, [&](const soci::row& r) {
      out.push_back(ReadEntry(r));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::ScanAudit(const Actor& actor, const AuditQuery& f,
                           const std::function<bool(const AuditEntry&)>& fn) {
  if (!MayReadTrail(actor)) return Fail(msg::Forbidden("audit.forbidden"));
  try {
    Query q;
    q << "SELECT seq, at, actor, action, object FROM audit_log";
    AuditWhere(q, f);
    q << " ORDER BY seq";
    bool go = true;
    Fetch(q, [&](const soci::row& r) {
      if (go) go = fn(ReadEntry(r));
      return true;
    });
    return {};
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::string> SqlStore::AuditTermHash(std::string_view terms) {
  auto key = AuditKey(false);
  if (!key) return Fail(key.error());
  return audit::TermHash(*key, terms);
}

}  // namespace amiable::sql

namespace amiable {

AuditTrail* TrailOf(Store& store) { return dynamic_cast<AuditTrail*>(&store); }

}  // namespace amiable
