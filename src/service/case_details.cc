// Notes, people, documents and financial lines of a case.
#include <algorithm>

#include "core/messages.h"
#include "core/nomenclature.h"
#include "mail/parse.h"
#include "service/case_service.h"
#include "service/partner_service.h"
#include "service/internal.h"

namespace amiable::service {
namespace {

constexpr size_t kMaxNoteBytes = 20000;
constexpr size_t kMaxPersonFieldBytes = 500;
constexpr size_t kMaxDocumentBytes = 10u << 20;

std::string RoleLabel(PersonRole r) {
  switch (r) {
    case PersonRole::kBeneficiary:
      return "bénéficiaire";
    case PersonRole::kEmitter:
      return "émetteur";
    case PersonRole::kLandlord:
      return "bailleur";
  }
  return "personne";
}

}  // namespace

Status ValidatePerson(const Person& p) {
  if (p.name.find_first_not_of(" \t") == std::string::npos) {
    return Fail(msg::Invalid("person.name_required", "name"));
  }
  const std::pair<const char*, const std::string*> fields[] = {
      {"name", &p.name},   {"organisation", &p.organisation}, {"email", &p.email},
      {"phone", &p.phone}, {"address", &p.address},           {"function", &p.function}};
  for (const auto& [name, value] : fields) {
    if (value->size() > kMaxPersonFieldBytes) {
      return Fail(msg::Invalid("person.too_long", name, {name}));
    }
    for (unsigned char ch : *value) {
      if (ch < 0x20 && !(std::string_view(name) == "address" && ch == '\n')) {
        return Fail(msg::Invalid("person.too_long", name, {name}));
      }
    }
  }
  if (!p.email.empty()) {
    const size_t at = p.email.find('@');
    if (at == std::string::npos || at == 0 || p.email.find('.', at) == std::string::npos ||
        p.email.find(' ') != std::string::npos || p.email.back() == '.') {
      return Fail(msg::Invalid("person.email", "email", {p.email}));
    }
  }
  return {};
}

// ---- Notes --------------------------------------------------------------------

Status CaseService::AddNote(const Caller& who, std::string_view reference, std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  if (text.find_first_not_of(" \t\n") == std::string::npos) {
    return Fail(msg::Invalid("note.empty", "text"));
  }
  if (text.size() > kMaxNoteBytes) return Fail(msg::Invalid("note.too_long", "text"));
  auto c = WritableCase(who, reference, /*notes_only=*/true);
  if (!c) return Fail(c.error());
  // The store writes the note and its history row in one transaction.
  auto id = store_.AddNote(who.actor, reference, {0, who.name(), Now(), text});
  if (!id) return Fail(id.error());
  return {};
}

Status CaseService::RemoveNote(const Caller& who, std::string_view reference, int64_t note_id) {
  auto c = WritableCase(who, reference, /*notes_only=*/true);
  if (!c) return Fail(c.error());
  auto notes = store_.Notes(who.actor, reference);
  if (!notes) return Fail(notes.error());
  auto it = std::find_if(notes->begin(), notes->end(),
                         [&](const Note& n) { return n.id == note_id; });
  if (it == notes->end()) return Fail(msg::NotFound("note.not_found"));
  if (it->author != who.name() && !who.IsHierarchyOf(c->organisme)) {
    return Fail(msg::Forbidden("note.not_author"));
  }
  return store_.InTransaction([&]() -> Status {
    if (auto s = store_.RemoveNote(who.actor, reference, note_id); !s) return s;
    return Touch(who, reference, "note", "Note de " + it->author + " supprimée",
                 {{"note", it->text.substr(0, 200), ""}});
  });
}

// ---- People ---------------------------------------------------------------------

Status CaseService::SavePerson(const Caller& who, std::string_view reference, Person p) {
  if (auto s = ValidatePerson(p); !s) return s;
  auto c = WritableCase(who, reference, false);
  if (!c) return Fail(c.error());
  auto people = store_.People(who.actor, reference);
  if (!people) return Fail(people.error());
  const Person* old = nullptr;
  if (p.id != 0) {
    auto it = std::find_if(people->begin(), people->end(),
                           [&](const Person& x) { return x.id == p.id; });
    if (it == people->end()) return Fail(msg::NotFound("person.not_found"));
    old = &*it;
  }
  const std::string prefix = std::string("people.") + PersonRoleCode(p.role) + ".";
  std::vector<FieldChange> changes;
  auto diff = [&](const char* f, const std::string& before, const std::string& after) {
    if (before != after) changes.push_back({prefix + f, before, after});
  };
  const Person empty;
  const Person& b = old ? *old : empty;
  diff("name", b.name, p.name);
  diff("organisation", b.organisation, p.organisation);
  diff("function", b.function, p.function);
  diff("email", b.email, p.email);
  diff("phone", b.phone, p.phone);
  diff("address", b.address, p.address);
  if (old && old->role != p.role) changes.push_back({prefix + "role", PersonRoleCode(old->role), PersonRoleCode(p.role)});
  if (changes.empty()) return {};
  return store_.InTransaction([&]() -> Status {
    if (auto id = store_.SavePerson(who.actor, reference, p); !id) return Fail(id.error());
    return Touch(who, reference, "people",
                 std::string(old ? "Personne modifiée : " : "Personne ajoutée : ") +
                     RoleLabel(p.role),
                 std::move(changes));
  });
}

Status CaseService::RemovePerson(const Caller& who, std::string_view reference,
                                 int64_t person_id) {
  auto c = WritableCase(who, reference, false);
  if (!c) return Fail(c.error());
  auto people = store_.People(who.actor, reference);
  if (!people) return Fail(people.error());
  auto it = std::find_if(people->begin(), people->end(),
                         [&](const Person& x) { return x.id == person_id; });
  if (it == people->end()) return Fail(msg::NotFound("person.not_found"));
  return store_.InTransaction([&]() -> Status {
    if (auto s = store_.RemovePerson(who.actor, reference, person_id); !s) return s;
    return Touch(who, reference, "people", "Personne retirée : " + RoleLabel(it->role),
                 {{std::string("people.") + PersonRoleCode(it->role) + ".name", it->name, ""}});
  });
}

// ---- Documents ------------------------------------------------------------------

namespace {

// Bytes in memory behind ReceivedFile: kept through DocumentFiles::Save.
class BytesFile final : public ReceivedFile {
 public:
  BytesFile(const DocumentFiles& files, std::string_view bytes) : files_(files), bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  std::string_view head() const override { return bytes_; }
  std::string sha256_hex() const override { return files_.Sha256Hex(bytes_); }
  Result<std::string> Keep() override { return files_.Save(bytes_); }

 private:
  const DocumentFiles& files_;
  std::string_view bytes_;
};

}  // namespace

Result<DocumentMeta> CaseService::AddDocument(const Caller& who, std::string_view reference,
                                              std::string_view file_name,
                                              std::string_view bytes) {
  if (files_ == nullptr) return Fail(Error::Internal("no document folder configured"));
  BytesFile file(*files_, bytes);
  return AddDocument(who, reference, file_name, file);
}

Result<DocumentMeta> CaseService::AddDocument(const Caller& who, std::string_view reference,
                                              std::string_view file_name, ReceivedFile& file) {
  if (files_ == nullptr) return Fail(Error::Internal("no document folder configured"));
  auto c = WritableCase(who, reference, false);
  if (!c) return Fail(c.error());
  if (file.size() == 0) return Fail(msg::Invalid("document.empty", "file"));
  if (file.size() > kMaxDocumentBytes) {
    return Fail(msg::Make(Error::Code::kTooLarge, "document.too_large", "file", {"10 Mo"}));
  }
  auto type = files_->Sniff(file.head());
  if (!type) return Fail(msg::Invalid("document.type", "file"));
  auto key = file.Keep();
  if (!key) return Fail(msg::Make(Error::Code::kInternal, "document.store_failed", "file"));
  DocumentMeta m;
  m.file_name = mail::NameWithExtensionOf(file_name.empty() ? "document" : file_name, *type);
  m.content_type = *type;
  m.size_bytes = static_cast<int64_t>(file.size());
  m.storage_key = *key;
  m.sha256 = file.sha256_hex();
  m.uploaded_by = who.name();
  m.uploaded_at = Now();
  // The store writes the row and its history entry in one transaction.
  Status s = store_.AddDocument(who.actor, reference, m);
  if (!s) {
    files_->Remove(*key);
    return Fail(s.error());
  }
  return m;
}

Result<DocumentMeta> CaseService::Document(const Caller& who, std::string_view reference,
                                           int64_t document_id) {
  auto c = GetCase(who, reference);
  if (!c) return Fail(c.error());
  // A partner downloads only the documents of the exchange.
  auto docs = !who.system && who.role() == Role::kPartner
                  ? PartnerService(store_, clock_, files_, "").ExchangeDocuments(who, reference)
                  : store_.Documents(who.actor, reference);
  if (!docs) return Fail(docs.error());
  for (DocumentMeta& d : *docs) {
    if (d.id == document_id) return std::move(d);
  }
  return Fail(msg::NotFound("document.not_found"));
}

Status CaseService::RemoveDocument(const Caller& who, std::string_view reference,
                                   int64_t document_id) {
  auto c = WritableCase(who, reference, false);
  if (!c) return Fail(c.error());
  auto d = Document(who, reference, document_id);
  if (!d) return Fail(d.error());
  // The file stays in the folder (the history names it; backups keep it).
  return store_.InTransaction([&]() -> Status {
    if (auto s = store_.RemoveDocument(who.actor, reference, document_id); !s) return s;
    return Touch(who, reference, "document", "Document supprimé : " + d->file_name,
                 {{"documents", d->file_name, ""}});
  });
}

// ---- Financial lines ---------------------------------------------------------------

Result<Case> CaseService::AddFinancialLine(const Caller& who, std::string_view reference,
                                           const FinancialLine& line, const WriteGuard& g) {
  if (!nomenclature::FinancialKind().Contains(line.kind)) {
    return Fail(msg::Invalid("financial.kind_required", "kind"));
  }
  if (line.amount_cents <= 0) return Fail(msg::Invalid("financial.amount", "amount_cents"));
  auto c = WritableCase(who, reference, false);
  if (!c) return Fail(c.error());
  Case u = *c;
  if (!u.financial) u.financial.emplace();
  u.financial->push_back(line);
  CaseEvent ev;
  ev.kind = "update";
  ev.detail = "Ligne financière ajoutée : " +
              std::string(nomenclature::FinancialKind().Label(line.kind));
  if (auto s = SaveCase(who, *c, u, ev, g); !s) return Fail(s.error());
  return GetCase(who, reference);
}

Result<Case> CaseService::RemoveFinancialLine(const Caller& who, std::string_view reference,
                                              size_t index, const WriteGuard& g) {
  auto c = WritableCase(who, reference, false);
  if (!c) return Fail(c.error());
  if (!c->financial || index >= c->financial->size()) {
    return Fail(msg::NotFound("financial.not_found"));
  }
  Case u = *c;
  const FinancialLine removed = (*u.financial)[index];
  u.financial->erase(u.financial->begin() + static_cast<long>(index));
  CaseEvent ev;
  ev.kind = "update";
  ev.detail = "Ligne financière supprimée : " +
              std::string(nomenclature::FinancialKind().Label(removed.kind));
  if (auto s = SaveCase(who, *c, u, ev, g); !s) return Fail(s.error());
  return GetCase(who, reference);
}

}  // namespace amiable::service
