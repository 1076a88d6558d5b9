#include "service/partner_service.h"

#include <algorithm>
#include <set>

#include "core/messages.h"

namespace amiable::service {
namespace {

constexpr size_t kMaxBodyBytes = 20000;
constexpr size_t kMaxAttachmentBytes = 10u << 20;
constexpr size_t kMaxAttachments = 5;

std::string Trim(std::string s) {
  auto sp = [](unsigned char c) { return std::isspace(c); };
  while (!s.empty() && sp(s.back())) s.pop_back();
  size_t i = 0;
  while (i < s.size() && sp(s[i])) ++i;
  return s.substr(i);
}

bool IsPartner(const Caller& who) { return !who.system && who.role() == Role::kPartner; }

}  // namespace

OutboxMessage PartnerService::Notification(std::string_view recipient,
                                           std::string_view reference,
                                           std::string_view url_base, bool from_partner) {
  OutboxMessage m;
  m.kind = "partner_notification";
  m.recipient = std::string(recipient);
  // No name, number, situation or text of the message: the reference and a
  // link only (the reader signs in to read it).
  m.subject = from_partner ? "Nouveau message d'un partenaire sur un dossier"
                           : "Nouveau message du médiateur sur un dossier";
  std::string base(url_base);
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string link = base + (from_partner ? "/dossiers/" : "/partenaire/dossiers/") +
                           std::string(reference);
  m.body = std::string(from_partner ? "Un partenaire" : "Le médiateur") +
           " a déposé un message sur le dossier " + std::string(reference) +
           ".\n\nPour le lire, connectez-vous : " + link +
           "\n\nCe message automatique ne contient aucune donnée personnelle ; n'y répondez "
           "pas.\n";
  m.case_reference = std::string(reference);
  return m;
}

Status PartnerService::Grant(const Caller& who, std::string_view reference,
                             std::string_view partner) {
  if (IsPartner(who) || who.IsStatisticsReader()) return Fail(msg::Forbidden("partner.role"));
  auto u = store_.GetUser(partner);
  if (!u || u->role != Role::kPartner || u->disabled) {
    return Fail(msg::Invalid("partner.unknown", "partner", {std::string(partner)}));
  }
  return store_.GrantCaseAccess(who.actor, reference, partner, "partenaire");
}

Status PartnerService::Revoke(const Caller& who, std::string_view reference,
                              std::string_view partner) {
  if (IsPartner(who) || who.IsStatisticsReader()) return Fail(msg::Forbidden("partner.role"));
  auto u = store_.GetUser(partner);
  if (!u || u->role != Role::kPartner) {
    return Fail(msg::Invalid("partner.unknown", "partner", {std::string(partner)}));
  }
  return store_.RevokeCaseAccess(who.actor, reference, partner);
}

Result<std::vector<std::string>> PartnerService::Partners(const Caller& who,
                                                          std::string_view reference) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  PartnerStore* ps = AsPartnerStore(store_);
  if (!ps) return Fail(Error::Internal("no partner store"));
  return ps->CasePartners(who.actor, reference);
}

Result<std::vector<PartnerMessage>> PartnerService::Exchange(const Caller& who,
                                                             std::string_view reference) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  PartnerStore* ps = AsPartnerStore(store_);
  if (!ps) return Fail(Error::Internal("no partner store"));
  return ps->PartnerMessages(who.actor, reference);
}

Result<std::vector<DocumentMeta>> PartnerService::ExchangeDocuments(const Caller& who,
                                                                    std::string_view reference) {
  auto ex = Exchange(who, reference);
  if (!ex) return Fail(ex.error());
  std::set<int64_t> ids;
  for (const auto& m : *ex) ids.insert(m.document_ids.begin(), m.document_ids.end());
  auto docs = store_.Documents(who.actor, reference);
  if (!docs) return Fail(docs.error());
  std::vector<DocumentMeta> out;
  for (auto& d : *docs) {
    if (ids.count(d.id)) out.push_back(std::move(d));
  }
  return out;
}

Result<int64_t> PartnerService::Post(const Caller& who, std::string_view reference,
                                     std::string body,
                                     const std::vector<PartnerAttachment>& attachments) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  PartnerStore* ps = AsPartnerStore(store_);
  if (!ps) return Fail(Error::Internal("no partner store"));
  body = Trim(std::move(body));
  if (body.empty()) return Fail(msg::Invalid("partner.body_required", "body"));
  if (body.size() > kMaxBodyBytes) return Fail(msg::Invalid("partner.body_too_long", "body"));
  if (attachments.size() > kMaxAttachments) {
    return Fail(msg::Invalid("partner.too_many_files", "file", {std::to_string(kMaxAttachments)}));
  }
  auto c = store_.GetCase(who.actor, reference);
  if (!c) return Fail(c.error());
  if (!attachments.empty() && files_ == nullptr) {
    return Fail(Error::Internal("no document folder configured"));
  }
  // The files first (durable before the rows that name them); removed if
  // the transaction fails.
  std::vector<DocumentMeta> metas;
  auto cleanup = [&] {
    for (const auto& m : metas) files_->Remove(m.storage_key);
  };
  for (const auto& a : attachments) {
    if (a.bytes.empty()) continue;
    if (a.bytes.size() > kMaxAttachmentBytes) {
      cleanup();
      return Fail(msg::Make(Error::Code::kTooLarge, "document.too_large", "file", {"10 Mo"}));
    }
    auto type = files_->Sniff(a.bytes);
    if (!type) {
      cleanup();
      return Fail(msg::Invalid("document.type", "file"));
    }
    auto key = files_->Save(a.bytes);
    if (!key) {
      cleanup();
      return Fail(msg::Make(Error::Code::kInternal, "document.store_failed", "file"));
    }
    DocumentMeta m;
    m.file_name = a.file_name.empty() ? "document" : a.file_name;
    m.content_type = *type;
    m.size_bytes = static_cast<int64_t>(a.bytes.size());
    m.storage_key = *key;
    m.sha256 = files_->Sha256Hex(a.bytes);
    m.uploaded_by = who.name();
    m.uploaded_at = IsoTimestamp(clock_.Now());
    metas.push_back(std::move(m));
  }
  const bool from_partner = IsPartner(who);
  int64_t id = 0;
  Status s = store_.InTransaction([&]() -> Status {
    PartnerMessage pm;
    pm.from_partner = from_partner;
    pm.body = body;
    pm.at = IsoTimestamp(clock_.Now());
    for (const auto& m : metas) {
      if (auto st = store_.AddDocument(who.actor, reference, m); !st) return st;
    }
    if (!metas.empty()) {
      auto docs = store_.Documents(who.actor, reference);
      if (!docs) return Fail(docs.error());
      for (const auto& m : metas) {
        for (const auto& d : *docs) {
          if (d.storage_key == m.storage_key) pm.document_ids.push_back(d.id);
        }
      }
    }
    auto mid = ps->AddPartnerMessage(who.actor, reference, pm);
    if (!mid) return Fail(mid.error());
    id = *mid;
    // Notifications: addresses read as the system (a partner does not see
    // the accounts), links only.
    std::vector<std::string> recipients;
    if (from_partner) {
      if (!c->assigned_to.empty()) {
        if (auto u = store_.GetUser(c->assigned_to); u && !u->disabled && !u->email.empty()) {
          recipients.push_back(u->email);
        }
      }
    } else {
      auto partners = ps->CasePartners(Actor::System(), reference);
      if (!partners) return Fail(partners.error());
      for (const auto& p : *partners) {
        if (auto u = store_.GetUser(p); u && !u->email.empty()) recipients.push_back(u->email);
      }
    }
    for (const auto& r : recipients) {
      auto q = store_.QueueOutbox(Actor::System(who.name()),
                                  Notification(r, reference, url_base_, from_partner));
      if (!q) return Fail(q.error());
    }
    return {};
  });
  if (!s) {
    cleanup();
    return Fail(s.error());
  }
  return id;
}

}  // namespace amiable::service
