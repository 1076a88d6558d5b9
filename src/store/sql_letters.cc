// SqlStore: letters (migration 12): template overrides, orientation lists,
// letters produced.
#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {

namespace {

Status SeeFund(const Actor& actor, const std::string& org) {
  if (!actor.CanSee(org)) {
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {org}));
  }
  return {};
}

LetterRecord ReadLetter(const soci::row& r) {
  LetterRecord l;
  l.id = GetInt(r, 0);
  l.case_id = GetInt(r, 1);
  l.kind = GetString(r, 2);
  l.mode = GetString(r, 3);
  l.subject = GetString(r, 4);
  l.body_text = GetString(r, 5);
  if (r.get_indicator(6) != soci::i_null) l.outbox_id = GetInt(r, 6);
  if (r.get_indicator(7) != soci::i_null) l.document_id = GetInt(r, 7);
  l.created_by = GetString(r, 8);
  l.created_at = GetString(r, 9);
  return l;
}

}  // namespace

Result<std::vector<LetterTemplateOverride>> SqlStore::LetterTemplates(const Actor& actor,
                                                                      std::string_view organisme) {
  std::string org(organisme);
  if (auto s = SeeFund(actor, org); !s) return Fail(s.error());
  try {
    std::vector<LetterTemplateOverride> out;
    soci::rowset<soci::row> rs =
        (sql_.prepare << "SELECT organisme, kind, subject, body, updated_by, updated_at "
                         "FROM letter_templates WHERE organisme = :o ORDER BY kind",
         soci::use(org));
    for (const soci::row& r : rs) {
      out.push_back({GetString(r, 0), GetString(r, 1), GetString(r, 2), GetString(r, 3),
                     GetString(r, 4), GetString(r, 5)});
    }
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::SaveLetterTemplate(const Actor& actor, const LetterTemplateOverride& t) {
  if (auto s = SeeFund(actor, t.organisme); !s) return s;
  return InTransaction([&]() -> Status {
    if (auto st = CheckOrganismeExists(t.organisme); !st) return st;
    std::string at = t.updated_at.empty() ? NowTimestamp() : t.updated_at;
    std::string by = t.updated_by.empty() ? actor.user : t.updated_by;
    sql_ << "DELETE FROM letter_templates WHERE organisme = :o AND kind = :k",
        soci::use(t.organisme), soci::use(t.kind);
    sql_ << "INSERT INTO letter_templates (organisme, kind, subject, body, updated_by, "
            "updated_at) VALUES (:o, :k, :s, :b, :u, :a)",
        soci::use(t.organisme), soci::use(t.kind), soci::use(t.subject), soci::use(t.body),
        soci::use(by), soci::use(at);
    return AuditNoTx(actor, "letter.template", t.organisme + "." + t.kind);
  });
}

Status SqlStore::ResetLetterTemplate(const Actor& actor, std::string_view organisme,
                                     std::string_view kind) {
  std::string org(organisme), k(kind);
  if (auto s = SeeFund(actor, org); !s) return s;
  return InTransaction([&]() -> Status {
    sql_ << "DELETE FROM letter_templates WHERE organisme = :o AND kind = :k", soci::use(org),
        soci::use(k);
    return AuditNoTx(actor, "letter.template_reset", org + "." + k);
  });
}

Result<std::vector<OrientationEntry>> SqlStore::Orientations(const Actor& actor,
                                                             std::string_view organisme) {
  std::string org(organisme);
  if (auto s = SeeFund(actor, org); !s) return Fail(s.error());
  try {
    std::vector<OrientationEntry> out;
    soci::rowset<soci::row> rs =
        (sql_.prepare << "SELECT organisme, code, label, position FROM orientations "
                         "WHERE organisme = :o ORDER BY position, code",
         soci::use(org));
    for (const soci::row& r : rs) {
      out.push_back(
          {GetString(r, 0), GetString(r, 1), GetString(r, 2), static_cast<int>(GetInt(r, 3))});
    }
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::SaveOrientation(const Actor& actor, const OrientationEntry& e) {
  if (auto s = SeeFund(actor, e.organisme); !s) return s;
  return InTransaction([&]() -> Status {
    if (auto st = CheckOrganismeExists(e.organisme); !st) return st;
    int pos = e.position;
    sql_ << "DELETE FROM orientations WHERE organisme = :o AND code = :c", soci::use(e.organisme),
        soci::use(e.code);
    sql_ << "INSERT INTO orientations (organisme, code, label, position) "
            "VALUES (:o, :c, :l, :p)",
        soci::use(e.organisme), soci::use(e.code), soci::use(e.label), soci::use(pos);
    return AuditNoTx(actor, "orientation.save", e.organisme + "." + e.code);
  });
}

Status SqlStore::RemoveOrientation(const Actor& actor, std::string_view organisme,
                                   std::string_view code) {
  std::string org(organisme), c(code);
  if (auto s = SeeFund(actor, org); !s) return s;
  return InTransaction([&]() -> Status {
    sql_ << "DELETE FROM orientations WHERE organisme = :o AND code = :c", soci::use(org),
        soci::use(c);
    return AuditNoTx(actor, "orientation.remove", org + "." + c);
  });
}

Result<int64_t> SqlStore::AddLetter(const Actor& actor, std::string_view reference,
                                    const LetterRecord& r) {
  int64_t out = 0;
  Status s = InTransaction([&]() -> Status {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    long long cid = *id, lid = 0;
    long long outbox = r.outbox_id.value_or(0), doc = r.document_id.value_or(0);
    indicator oi = r.outbox_id ? soci::i_ok : soci::i_null;
    indicator di = r.document_id ? soci::i_ok : soci::i_null;
    std::string at = r.created_at.empty() ? NowTimestamp() : r.created_at;
    std::string by = r.created_by.empty() ? actor.user : r.created_by;
    sql_ << "INSERT INTO letters (case_id, kind, mode, subject, body_text, outbox_id, "
            "document_id, created_by, created_at) VALUES (:c, :k, :m, :s, :b, :o, :d, :u, :a) "
            "RETURNING id",
        soci::use(cid), soci::use(r.kind), soci::use(r.mode), soci::use(r.subject),
        soci::use(r.body_text), soci::use(outbox, oi), soci::use(doc, di), soci::use(by),
        soci::use(at), soci::into(lid);
    out = lid;
    return AuditNoTx(actor, "case.letter", std::string(reference));
  });
  if (!s) return Fail(s.error());
  return out;
}

Result<std::vector<LetterRecord>> SqlStore::CaseLetters(const Actor& actor,
                                                        std::string_view reference) {
  auto letters = CaseDetails<LetterRecord>(
      actor, reference,
      "SELECT id, case_id, kind, mode, subject, body_text, outbox_id, document_id, created_by, "
      "created_at FROM letters WHERE case_id = ",
      &ReadLetter);
  if (!letters) return letters;
  for (LetterRecord& l : *letters) l.case_reference = std::string(reference);
  return letters;
}

}  // namespace amiable::sql
