// SqlStore: what a mediator keeps with a case (notes, people, documents)
// and submissions from the public form.
#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {

Result<std::unordered_map<int64_t, std::string>> SqlStore::BeneficiaryNames(
    const Actor& actor, std::span<const int64_t> case_ids) {
  std::unordered_map<int64_t, std::string> out;
  if (case_ids.empty()) return out;
  try {
    Query q;
    // CROSS JOIN keeps SQLite from scanning every case of the fund (its
    // planner prefers the organisme index); PostgreSQL plans it as a join.
    q << "SELECT p.case_id, p.name FROM people p CROSS JOIN cases c "
         "WHERE c.id = p.case_id AND p.role = 'beneficiary' AND p.name <> '' "
         "AND p.case_id IN (";
    for (size_t i = 0; i < case_ids.size(); ++i) {
      if (i) q << ",";
      q.Bind(std::to_string(case_ids[i]));
    }
    q << ")";
    q.RestrictCases(actor, {}, HasGrants(actor));
    q << " ORDER BY p.case_id, p.id";
    Fetch(q, [&](const soci::row& r) {
      std::string& names = out[GetInt(r, 0)];
      if (!names.empty()) names += ", ";
      names += GetString(r, 1);
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Note SqlStore::ReadNote(const soci::row& r) {
  return {GetInt(r, 0), GetString(r, 1), GetString(r, 2), GetString(r, 3)};
}

Person SqlStore::ReadPerson(const soci::row& r) {
  Person p;
  p.id = GetInt(r, 0);
  const std::string role = GetString(r, 1);
  p.role = role == "emitter"    ? PersonRole::kEmitter
           : role == "landlord" ? PersonRole::kLandlord
                                : PersonRole::kBeneficiary;
  p.name = GetString(r, 2);
  p.organisation = GetString(r, 3);
  p.email = GetString(r, 4);
  p.phone = GetString(r, 5);
  p.address = GetString(r, 6);
  p.function = GetString(r, 7);
  return p;
}

DocumentMeta SqlStore::ReadDocument(const soci::row& r) {
  return {GetInt(r, 0),    GetString(r, 1), GetString(r, 2), GetInt(r, 3),
          GetString(r, 4), GetString(r, 5), GetString(r, 6), GetString(r, 7)};
}

// ---- Details ----
// Inserts and returns the new row's id (RETURNING: PostgreSQL, SQLite >= 3.35).
Result<int64_t> SqlStore::AddNote(const Actor& actor, std::string_view reference,
                                  const Note& note) {
  int64_t note_id = 0;
  Status s = InTransaction([&]() -> Status {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    long long lid = *id, nid = 0;
    std::string at = note.created_at.empty() ? NowTimestamp() : note.created_at;
    sql_ << "INSERT INTO notes (case_id, author, created_at, text) VALUES (:c, :a, :t, :x) "
            "RETURNING id",
        soci::use(lid), soci::use(note.author), soci::use(at), soci::use(note.text),
        soci::into(nid);
    note_id = nid;
    if (auto s = InsertEventNoTx(*id, {0, at, actor.user, "note", "Note ajoutée"}); !s) return s;
    return AuditNoTx(actor, "case.note", std::string(reference));
  });
  if (!s) return Fail(s.error());
  return note_id;
}

Result<std::vector<Note>> SqlStore::Notes(const Actor& actor, std::string_view reference) {
  return CaseDetails<Note>(
      actor, reference,
      "SELECT id, author, created_at, text FROM notes WHERE case_id = ", &ReadNote);
}

Result<int64_t> SqlStore::SavePerson(const Actor& actor, std::string_view reference,
                                     const Person& p) {
  int64_t person_id = p.id;
  Status s = InTransaction([&]() -> Status {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    long long lid = *id;
    std::string role = PersonRoleCode(p.role);
    if (p.id) {
      if (auto st = CheckDetailOfCase("people", p.id, *id, "person"); !st) return st;
      long long pid = p.id;
      sql_ << "UPDATE people SET role = :r, name = :n, organisation = :o, email = :e, "
              "phone = :p, address = :a, function = :f WHERE id = :id AND case_id = :c",
          soci::use(role), soci::use(p.name), soci::use(p.organisation), soci::use(p.email),
          soci::use(p.phone), soci::use(p.address), soci::use(p.function), soci::use(pid),
          soci::use(lid);
    } else {
      long long pid = 0;
      sql_ << "INSERT INTO people (case_id, role, name, organisation, email, phone, address, "
              "function) VALUES (:c, :r, :n, :o, :e, :p, :a, :f) RETURNING id",
          soci::use(lid), soci::use(role), soci::use(p.name), soci::use(p.organisation),
          soci::use(p.email), soci::use(p.phone), soci::use(p.address), soci::use(p.function),
          soci::into(pid);
      person_id = pid;
    }
    return AuditNoTx(actor, "case.person", std::string(reference));
  });
  if (!s) return Fail(s.error());
  return person_id;
}

Result<std::vector<Person>> SqlStore::People(const Actor& actor, std::string_view reference) {
  return CaseDetails<Person>(actor, reference,
                             "SELECT id, role, name, organisation, email, phone, address, "
                             "function FROM people WHERE case_id = ",
                             &ReadPerson);
}

Status SqlStore::AddDocument(const Actor& actor, std::string_view reference,
                             const DocumentMeta& d) {
  return InTransaction([&]() -> Status {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    long long lid = *id;
    long long size = d.size_bytes;
    std::string at = d.uploaded_at.empty() ? NowTimestamp() : d.uploaded_at;
    sql_ << "INSERT INTO documents (case_id, file_name, content_type, size_bytes, storage_key, "
            "sha256, uploaded_by, uploaded_at) VALUES (:c, :f, :t, :s, :k, :h, :u, :a)",
        soci::use(lid), soci::use(d.file_name), soci::use(d.content_type), soci::use(size),
        soci::use(d.storage_key), soci::use(d.sha256), soci::use(d.uploaded_by), soci::use(at);
    if (auto s = InsertEventNoTx(
            *id, {0, at, actor.user, "document", "Document ajouté : " + d.file_name});
        !s) {
      return s;
    }
    return AuditNoTx(actor, "case.document", std::string(reference));
  });
}

// kNotFound unless row `row_id` of `table` belongs to case `case_id`.
Status SqlStore::CheckDetailOfCase(std::string_view table, int64_t row_id, int64_t case_id,
                                   std::string_view what) {
  long long rid = row_id, cid = case_id;
  int n = 0;
  sql_ << "SELECT COUNT(*) FROM " + std::string(table) + " WHERE id = :i AND case_id = :c",
      soci::use(rid), soci::use(cid), soci::into(n);
  if (!n) {
    return Fail(msg::NotFound("store.detail_unknown", {what, std::to_string(row_id)}));
  }
  return {};
}

Status SqlStore::RemoveDetail(const Actor& actor, std::string_view reference,
                              std::string_view table, int64_t row_id, std::string_view what) {
  return InTransaction([&]() -> Status {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    if (auto st = CheckDetailOfCase(table, row_id, *id, what); !st) return st;
    long long rid = row_id;
    sql_ << "DELETE FROM " + std::string(table) + " WHERE id = :i", soci::use(rid);
    return AuditNoTx(actor, "case." + std::string(what) + ".remove",
                     std::string(reference) + " " + std::to_string(row_id));
  });
}

Status SqlStore::RemoveNote(const Actor& actor, std::string_view reference, int64_t note_id) {
  return RemoveDetail(actor, reference, "notes", note_id, "note");
}
Status SqlStore::RemovePerson(const Actor& actor, std::string_view reference, int64_t person_id) {
  return RemoveDetail(actor, reference, "people", person_id, "person");
}
Status SqlStore::RemoveDocument(const Actor& actor, std::string_view reference,
                                int64_t document_id) {
  return RemoveDetail(actor, reference, "documents", document_id, "document");
}

Result<std::vector<DocumentMeta>> SqlStore::Documents(const Actor& actor,
                                                      std::string_view reference) {
  return CaseDetails<DocumentMeta>(actor, reference,
                                   "SELECT id, file_name, content_type, size_bytes, storage_key, "
                                   "sha256, uploaded_by, uploaded_at FROM documents "
                                   "WHERE case_id = ",
                                   &ReadDocument);
}

// ---- Web workspace (migration 2) ----
Result<std::string> SqlStore::SubmitCase(const Actor& actor, const Submission& sub) {
  if (!actor.CanSee(sub.c.organisme)) {
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {sub.c.organisme}));
  }
  // PostgreSQL: two first submissions of a fund's year may both insert its
  // counter row; the loser gets a conflict and simply tries again.
  for (int attempt = 0;; ++attempt) {
    std::string reference;
    Status s = InTransaction([&]() -> Status {
      if (auto st = CheckOrganismeExists(sub.c.organisme); !st) return st;
      Case c = sub.c;
      if (c.reference.empty()) {
        auto ref = NextReferenceNoTx(c.organisme, c.received_on.year());
        if (!ref) return Fail(ref.error());
        c.reference = *ref;
      }
      reference = c.reference;
      if (auto st = InsertCaseNoTx(c); !st) return st;
      const int64_t id = CaseId(c.reference);
      {
        // Who created it: a partner sees the cases it created (migration 17).
        long long lid = id;
        sql_ << "UPDATE cases SET created_by = :u WHERE id = :i", soci::use(actor.user),
            soci::use(lid);
      }
      if (auto st = InsertFinancialNoTx(id, c); !st) return st;
      if (auto st = InsertEventNoTx(id, sub.event); !st) return st;
      long long lid = id;
      for (const Person& p : sub.people) {
        std::string role = PersonRoleCode(p.role);
        sql_ << "INSERT INTO people (case_id, role, name, organisation, email, phone, address, "
                "function) VALUES (:c, :r, :n, :o, :e, :p, :a, :f)",
            soci::use(lid), soci::use(role), soci::use(p.name), soci::use(p.organisation),
            soci::use(p.email), soci::use(p.phone), soci::use(p.address), soci::use(p.function);
      }
      for (const DocumentMeta& d : sub.documents) {
        long long size = d.size_bytes;
        std::string at = d.uploaded_at.empty() ? NowTimestamp() : d.uploaded_at;
        sql_ << "INSERT INTO documents (case_id, file_name, content_type, size_bytes, "
                "storage_key, sha256, uploaded_by, uploaded_at) "
                "VALUES (:c, :f, :t, :s, :k, :h, :u, :a)",
            soci::use(lid), soci::use(d.file_name), soci::use(d.content_type), soci::use(size),
            soci::use(d.storage_key), soci::use(d.sha256), soci::use(d.uploaded_by), soci::use(at);
      }
      if (sub.acknowledgement) {
        OutboxMessage m = *sub.acknowledgement;
        if (m.organisme.empty()) m.organisme = sub.c.organisme;
        InsertOutboxNoTx(m, reference);
      }
      return AuditNoTx(actor, "case.submit", reference);
    });
    if (s) return reference;
    if (s.error().code == Error::Code::kConflict && sub.c.reference.empty() && attempt < 3 &&
        tx_depth_ == 0) {  // nested: the outer transaction is doomed
      continue;
    }
    return Fail(s.error());
  }
}

// The next free reference of a fund's year, from its counter (created
// from the number of cases already there); skips references taken by
// other means (imports, the API). Inside a transaction.
Result<std::string> SqlStore::NextReferenceNoTx(const std::string& organisme, int year) {
  long long last = 0;
  indicator ind = soci::i_null;
  sql_ << std::string(
              "SELECT last_number FROM reference_counters WHERE organisme = :o AND "
              "year = :y") +
              (postgres_ ? " FOR UPDATE" : ""),
      soci::use(organisme), soci::use(year), soci::into(last, ind);
  const bool have = sql_.got_data() && ind == soci::i_ok;
  if (!have) {
    std::string from = Date::FromCivil(year, 1, 1).ToString();
    std::string to = Date::FromCivil(year, 12, 31).ToString();
    long long n = 0;
    sql_ << "SELECT COUNT(*) FROM cases WHERE organisme = :o AND received_on BETWEEN :f AND :t",
        soci::use(organisme), soci::use(from), soci::use(to), soci::into(n);
    last = n;
  }
  std::string ref;
  for (int guard = 0; guard < 100000; ++guard) {
    ++last;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s-%04d-%05lld", organisme.c_str(), year, last);
    ref = buf;
    int taken = 0;
    sql_ << "SELECT COUNT(*) FROM cases WHERE reference = :r", soci::use(ref), soci::into(taken);
    if (!taken) break;
  }
  if (have) {
    sql_ << "UPDATE reference_counters SET last_number = :l WHERE organisme = :o AND year = :y",
        soci::use(last), soci::use(organisme), soci::use(year);
  } else {
    try {
      sql_ << "INSERT INTO reference_counters (organisme, year, last_number) VALUES (:o, :y, :l)",
          soci::use(organisme), soci::use(year), soci::use(last);
    } catch (const std::exception& e) {
      return Fail(msg::Conflict("store.counter_busy"));
    }
  }
  return ref;
}

}  // namespace amiable::sql

namespace amiable {
ReferenceCounter* ReferenceCounterOf(Store& store) {
  return dynamic_cast<ReferenceCounter*>(&store);
}
}  // namespace amiable

namespace amiable::sql {

// Reserves `count` references for an import (store/reference_counter.h).
Result<std::vector<std::string>> SqlStore::ReserveReferences(const Actor& actor,
                                                             const std::string& organisme,
                                                             int year, int count) {
  if (actor.role != Role::kManager && actor.role != Role::kAdministrator) {
    return Fail(msg::Forbidden("import.role"));
  }
  if (!actor.CanSee(organisme)) {
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {organisme}));
  }
  std::vector<std::string> refs;
  Status s = InTransaction([&]() -> Status {
    if (auto st = CheckOrganismeExists(organisme); !st) return st;
    for (int i = 0; i < count; ++i) {
      auto ref = NextReferenceNoTx(organisme, year);
      if (!ref) return Fail(ref.error());
      refs.push_back(std::move(*ref));
    }
    return {};
  });
  if (!s) return Fail(s.error());
  return refs;
}

}  // namespace amiable::sql
