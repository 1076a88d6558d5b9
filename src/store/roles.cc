// What the role interfaces define themselves: actors and roles, codes, and
// the "not supported" defaults that let a test fake skip a call.
#include <string>

#include "store/store.h"

namespace amiable {

bool Actor::CanSee(std::string_view organisme) const {
  if (all_funds) return true;
  for (const std::string& o : organismes) {
    if (o == organisme) return true;
  }
  return false;
}

Actor User::ToActor() const {
  Actor a;
  a.user = name;
  a.role = role;
  // The national pole sees the figures, reports and registers of every
  // fund (and no case: SeesNoCases), whatever funds its account names.
  a.all_funds = all_funds || role == Role::kNational;
  a.organismes = organismes;
  return a;
}

const char* RoleCode(Role r) {
  switch (r) {
    case Role::kMediator:
      return "mediator";
    case Role::kManager:
      return "manager";
    case Role::kAdministrator:
      return "administrator";
    case Role::kStatisticsReader:
      return "statistics";
    case Role::kDpo:
      return "dpo";
    case Role::kPartner:
      return "partner";
    case Role::kNational:
      return "national";
  }
  return "statistics";
}

std::optional<Role> RoleFromCode(std::string_view code) {
  for (Role r : kAllRoles) {
    if (code == RoleCode(r)) return r;
  }
  return std::nullopt;
}

namespace {
Error NotSupported(const char* what) {
  return Error::Internal(std::string(what) + ": not supported by this store");
}
}  // namespace

Result<std::unordered_map<int64_t, std::string>> CaseStore::BeneficiaryNames(
    const Actor&, std::span<const int64_t>) {
  return std::unordered_map<int64_t, std::string>{};  // stores without people (test fakes)
}

Result<std::string> CaseStore::SubmitCase(const Actor&, const Submission&) {
  return Fail(NotSupported("SubmitCase"));
}
Result<std::vector<Case>> SearchIndex::SearchCases(const Actor&, std::string_view, int, int64_t*) {
  return Fail(NotSupported("SearchCases"));
}
Status Accounts::CreateWebSession(const WebSession&) {
  return Fail(NotSupported("CreateWebSession"));
}
Result<WebSession> Accounts::GetWebSession(std::string_view, std::string_view) {
  return Fail(NotSupported("GetWebSession"));
}
Status Accounts::DeleteWebSession(std::string_view) {
  return Fail(NotSupported("DeleteWebSession"));
}
Result<OutboxMessage> WorkspaceStore::QueueOutbox(const Actor&, OutboxMessage) {
  return Fail(NotSupported("QueueOutbox"));
}
Result<std::vector<OutboxMessage>> WorkspaceStore::PendingOutbox(int) {
  return Fail(NotSupported("PendingOutbox"));
}
Result<std::vector<OutboxMessage>> WorkspaceStore::ClaimOutbox(std::string_view,
                                                               std::string_view, int) {
  return Fail(NotSupported("ClaimOutbox"));
}
Status WorkspaceStore::MarkOutboxSent(int64_t, std::string_view) {
  return Fail(NotSupported("MarkOutboxSent"));
}
Status WorkspaceStore::MarkOutboxFailed(int64_t, std::string_view, std::string_view, bool) {
  return Fail(NotSupported("MarkOutboxFailed"));
}
Result<std::vector<OutboxMessage>> WorkspaceStore::OutboxMessages(int) {
  return Fail(NotSupported("OutboxMessages"));
}
Result<std::vector<OutboxMessage>> WorkspaceStore::CaseOutbox(const Actor&, std::string_view) {
  return Fail(NotSupported("CaseOutbox"));
}
Result<std::vector<OutboxMessage>> WorkspaceStore::FailedOutbox(const Actor&, int) {
  return Fail(NotSupported("FailedOutbox"));
}
Result<std::vector<LabelOverride>> WorkspaceStore::LabelOverrides() {
  return Fail(NotSupported("LabelOverrides"));
}
Status WorkspaceStore::SetLabelOverride(const Actor&, const LabelOverride&) {
  return Fail(NotSupported("SetLabelOverride"));
}
Result<std::vector<User>> Accounts::ListUsers() { return Fail(NotSupported("ListUsers")); }
Result<int64_t> Interests::AddInterestLink(const Actor&, const DeclaredInterest&) {
  return Fail(NotSupported("AddInterestLink"));
}
Result<std::vector<DeclaredInterest>> Interests::InterestLinks(std::string_view) {
  return Fail(NotSupported("InterestLinks"));
}
Status Interests::RemoveInterestLink(const Actor&, int64_t) {
  return Fail(NotSupported("RemoveInterestLink"));
}
Status Interests::RecordRecusal(const Actor&, std::string_view, const Recusal&) {
  return Fail(NotSupported("RecordRecusal"));
}
Status Interests::UpdateCaseRecusing(const Actor&, const Case&, const CaseEvent&, const Recusal&) {
  return Fail(NotSupported("UpdateCaseRecusing"));
}
Status Interests::RecordRecusal(const Actor& actor, std::string_view reference,
                                std::string_view user, std::string_view reason) {
  Recusal r;
  r.case_reference = std::string(reference);
  r.user = std::string(user);
  r.reason = std::string(reason);
  return RecordRecusal(actor, reference, r);
}
Status Interests::UpdateCaseRecusing(const Actor& actor, const Case& c, const CaseEvent& event,
                                     std::string_view recused_user, std::string_view reason) {
  Recusal r;
  r.case_reference = c.reference;
  r.user = std::string(recused_user);
  r.reason = std::string(reason);
  return UpdateCaseRecusing(actor, c, event, r);
}
Status Interests::LiftRecusal(const Actor&, std::string_view, int64_t, std::string_view) {
  return Fail(NotSupported("LiftRecusal"));
}
Status Interests::GrantCaseAccess(const Actor&, std::string_view, std::string_view,
                                  std::string_view) {
  return Fail(NotSupported("GrantCaseAccess"));
}
Status Interests::RevokeCaseAccess(const Actor&, std::string_view, std::string_view) {
  return Fail(NotSupported("RevokeCaseAccess"));
}
Result<std::vector<std::string>> Interests::CaseAccessUsers(const Actor&, std::string_view) {
  return Fail(NotSupported("CaseAccessUsers"));
}
Status CaseStore::AppendEvent(const Actor&, std::string_view, const CaseEvent&) {
  return Fail(NotSupported("AppendEvent"));
}
Status CaseStore::RemoveNote(const Actor&, std::string_view, int64_t) {
  return Fail(NotSupported("RemoveNote"));
}
Status CaseStore::RemovePerson(const Actor&, std::string_view, int64_t) {
  return Fail(NotSupported("RemovePerson"));
}
Status CaseStore::RemoveDocument(const Actor&, std::string_view, int64_t) {
  return Fail(NotSupported("RemoveDocument"));
}
Status WorkspaceStore::PublishYear(const Actor&, std::string_view, int) {
  return Fail(NotSupported("PublishYear"));
}
Result<std::vector<int>> WorkspaceStore::PublishedYears(std::string_view) {
  return Fail(NotSupported("PublishedYears"));
}
Result<std::vector<PostPublicationChange>> WorkspaceStore::ChangesAfterPublication(const Actor&,
                                                                                   std::string_view,
                                                                                   int) {
  return Fail(NotSupported("ChangesAfterPublication"));
}
Result<std::vector<Recusal>> Interests::Recusals(const Actor&, std::string_view) {
  return Fail(NotSupported("Recusals"));
}

// Internal requests (G@ci, migration 11).
Result<std::vector<FundService>> InternalRequests::FundServices(std::string_view) {
  return Fail(NotSupported("FundServices"));
}
Status InternalRequests::SaveFundService(const Actor&, const FundService&) {
  return Fail(NotSupported("SaveFundService"));
}
Result<int64_t> InternalRequests::AddInternalRequest(const Actor&, std::string_view,
                                                     const InternalRequest&, const CaseEvent&) {
  return Fail(NotSupported("AddInternalRequest"));
}
Result<std::vector<InternalRequest>> InternalRequests::CaseInternalRequests(const Actor&,
                                                                            std::string_view) {
  return Fail(NotSupported("CaseInternalRequests"));
}
Status InternalRequests::AnswerInternalRequest(const Actor&, std::string_view, int64_t, Date,
                                               std::string_view, const CaseEvent&) {
  return Fail(NotSupported("AnswerInternalRequest"));
}
Result<std::vector<InternalRequest>> InternalRequests::PendingInternalRequests(const Actor&, int) {
  return Fail(NotSupported("PendingInternalRequests"));
}
Result<std::optional<std::pair<std::string, int64_t>>>
InternalRequests::InternalRequestByOutboxMessageId(std::string_view) {
  return Fail(NotSupported("InternalRequestByOutboxMessageId"));
}

const char* InterestSubjectCode(InterestLink::Subject s) {
  switch (s) {
    case InterestLink::Subject::kPerson:
      return "person";
    case InterestLink::Subject::kOrganisation:
      return "organisation";
    case InterestLink::Subject::kAllocataireNumber:
      return "allocataire";
  }
  return "person";
}

std::optional<InterestLink::Subject> InterestSubjectFromCode(std::string_view code) {
  for (auto s : {InterestLink::Subject::kPerson, InterestLink::Subject::kOrganisation,
                 InterestLink::Subject::kAllocataireNumber}) {
    if (code == InterestSubjectCode(s)) return s;
  }
  return std::nullopt;
}

// ---- ReceivedStore ----
Result<std::optional<ReceivedMessageRow>> ReceivedStore::FindReceived(std::string_view,
                                                                      std::string_view,
                                                                      std::string_view) {
  return Fail(NotSupported("FindReceived"));
}
Result<int64_t> ReceivedStore::InsertReceived(const Actor&, ReceivedMessageRow&) {
  return Fail(NotSupported("InsertReceived"));
}
Status ReceivedStore::UpdateReceived(const Actor&, const ReceivedMessageRow&) {
  return Fail(NotSupported("UpdateReceived"));
}
Result<std::optional<OutboxMessage>> ReceivedStore::OutboxByMessageId(std::string_view) {
  return Fail(NotSupported("OutboxByMessageId"));
}
Status ReceivedStore::MarkOutboxBounced(int64_t, std::string_view) {
  return Fail(NotSupported("MarkOutboxBounced"));
}
Result<std::optional<std::string>> ReceivedStore::CaseOfReceived(std::string_view,
                                                                 std::string_view) {
  return Fail(NotSupported("CaseOfReceived"));
}
Result<std::vector<ReceivedMessageRow>> ReceivedStore::CaseReceived(const Actor&,
                                                                    std::string_view) {
  return Fail(NotSupported("CaseReceived"));
}
Result<ReceivedMessageRow> ReceivedStore::GetReceived(const Actor&, int64_t) {
  return Fail(NotSupported("GetReceived"));
}
Result<std::vector<ReceivedMessageRow>> ReceivedStore::QuarantinedMessages(const Actor&, int) {
  return Fail(NotSupported("QuarantinedMessages"));
}
Result<std::vector<ReceivedMessageRow>> ReceivedStore::FlaggedMessages(const Actor&, int) {
  return Fail(NotSupported("FlaggedMessages"));
}
Status ReceivedStore::ClearFlag(const Actor&, int64_t) { return Fail(NotSupported("ClearFlag")); }
Result<bool> ReceivedStore::AcquireMailboxLease(std::string_view, std::string_view,
                                                std::string_view, std::string_view) {
  return Fail(NotSupported("AcquireMailboxLease"));
}
Status ReceivedStore::ReleaseMailboxLease(std::string_view, std::string_view) {
  return Fail(NotSupported("ReleaseMailboxLease"));
}

// Mail settings of a fund (mail_settings.h).
Result<std::vector<MailboxSettings>> MailSettingsStore::Mailboxes() {
  return Fail(NotSupported("Mailboxes"));
}
Result<std::optional<MailboxSettings>> MailSettingsStore::Mailbox(std::string_view) {
  return Fail(NotSupported("Mailbox"));
}
Status MailSettingsStore::SaveMailbox(const Actor&, const MailboxSettings&) {
  return Fail(NotSupported("SaveMailbox"));
}
Result<std::optional<SmtpFundSettings>> MailSettingsStore::Smtp(std::string_view) {
  return Fail(NotSupported("Smtp"));
}
Status MailSettingsStore::SaveSmtp(const Actor&, const SmtpFundSettings&) {
  return Fail(NotSupported("SaveSmtp"));
}
Result<std::vector<EmitterRule>> MailSettingsStore::EmitterRules(std::string_view) {
  return Fail(NotSupported("EmitterRules"));
}
Result<int64_t> MailSettingsStore::AddEmitterRule(const Actor&, EmitterRule) {
  return Fail(NotSupported("AddEmitterRule"));
}
Status MailSettingsStore::RemoveEmitterRule(const Actor&, int64_t) {
  return Fail(NotSupported("RemoveEmitterRule"));
}
Result<std::optional<std::string>> MailSettingsStore::GuessEmitter(std::string_view,
                                                                   std::string_view) {
  return Fail(NotSupported("GuessEmitter"));
}

// ---- Letters (letters_store.h) ----
Result<std::vector<LetterTemplateOverride>> LettersStore::LetterTemplates(const Actor&,
                                                                          std::string_view) {
  return Fail(NotSupported("LetterTemplates"));
}
Status LettersStore::SaveLetterTemplate(const Actor&, const LetterTemplateOverride&) {
  return Fail(NotSupported("SaveLetterTemplate"));
}
Status LettersStore::ResetLetterTemplate(const Actor&, std::string_view, std::string_view) {
  return Fail(NotSupported("ResetLetterTemplate"));
}
Result<std::vector<OrientationEntry>> LettersStore::Orientations(const Actor&, std::string_view) {
  return Fail(NotSupported("Orientations"));
}
Status LettersStore::SaveOrientation(const Actor&, const OrientationEntry&) {
  return Fail(NotSupported("SaveOrientation"));
}
Status LettersStore::RemoveOrientation(const Actor&, std::string_view, std::string_view) {
  return Fail(NotSupported("RemoveOrientation"));
}
Result<int64_t> LettersStore::AddLetter(const Actor&, std::string_view, const LetterRecord&) {
  return Fail(NotSupported("AddLetter"));
}
Result<std::vector<LetterRecord>> LettersStore::CaseLetters(const Actor&, std::string_view) {
  return Fail(NotSupported("CaseLetters"));
}

}  // namespace amiable
