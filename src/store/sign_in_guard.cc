// The "not supported" defaults of the SignInGuard role (store/sign_in_guard.h),
// so that a test fake implements only what its code under test calls.
#include "store/sign_in_guard.h"

namespace amiable {
namespace {
Error NotSupported(const char* what) {
  return Error::Internal(std::string(what) + ": not supported by this store");
}
}  // namespace

Result<AttemptCount> SignInGuard::CountAttempt(std::string_view, std::string_view,
                                               std::string_view, std::string_view) {
  return Fail(NotSupported("CountAttempt"));
}
Result<AttemptCount> SignInGuard::PeekAttempts(std::string_view, std::string_view) {
  return Fail(NotSupported("PeekAttempts"));
}
Status SignInGuard::ReleaseAttempt(std::string_view) { return Fail(NotSupported("ReleaseAttempt")); }
Status SignInGuard::ForgetAttempts(std::string_view) { return Fail(NotSupported("ForgetAttempts")); }
Result<bool> SignInGuard::MarkNotified(std::string_view) { return Fail(NotSupported("MarkNotified")); }
Result<int64_t> SignInGuard::ClearAttemptsOfUser(std::string_view) {
  return Fail(NotSupported("ClearAttemptsOfUser"));
}
Status SignInGuard::PruneAttempts(std::string_view) { return Fail(NotSupported("PruneAttempts")); }
Result<SessionSeen> SignInGuard::TouchWebSession(std::string_view, std::string_view,
                                                 std::string_view, std::string_view) {
  return Fail(NotSupported("TouchWebSession"));
}
Status SignInGuard::SetSessionNeedsSecondFactor(std::string_view, bool) {
  return Fail(NotSupported("SetSessionNeedsSecondFactor"));
}
Result<std::optional<SecondFactor>> SignInGuard::GetSecondFactor(std::string_view) {
  return Fail(NotSupported("GetSecondFactor"));
}
Status SignInGuard::SavePendingSecondFactor(std::string_view, std::string_view, std::string_view) {
  return Fail(NotSupported("SavePendingSecondFactor"));
}
Status SignInGuard::ConfirmSecondFactor(std::string_view, int64_t, const std::vector<std::string>&,
                                        std::string_view) {
  return Fail(NotSupported("ConfirmSecondFactor"));
}
Result<bool> SignInGuard::UseTotpStep(std::string_view, int64_t) {
  return Fail(NotSupported("UseTotpStep"));
}
Result<bool> SignInGuard::UseRecoveryCode(std::string_view, std::string_view, std::string_view) {
  return Fail(NotSupported("UseRecoveryCode"));
}
Result<int64_t> SignInGuard::RecoveryCodesLeft(std::string_view) {
  return Fail(NotSupported("RecoveryCodesLeft"));
}
Status SignInGuard::DeleteSecondFactor(std::string_view) {
  return Fail(NotSupported("DeleteSecondFactor"));
}

}  // namespace amiable
