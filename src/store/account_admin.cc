// The "not supported" defaults of AccountAdmin (store/account_admin.h), so
// that a test fake may skip them.
#include "store/account_admin.h"

#include <string>

namespace amiable {
namespace {

Error NotSupported(std::string_view what) {
  return Error::Internal(std::string(what) + ": not supported by this store");
}

}  // namespace

Result<std::vector<ApiTokenInfo>> AccountAdmin::ListApiTokens(std::string_view) {
  return Fail(NotSupported("ListApiTokens"));
}
Result<ApiTokenInfo> AccountAdmin::GetApiToken(int64_t) {
  return Fail(NotSupported("GetApiToken"));
}
Status AccountAdmin::RevokeApiToken(const Actor&, int64_t) {
  return Fail(NotSupported("RevokeApiToken"));
}
Status AccountAdmin::SetUserPassword(const Actor&, std::string_view, std::string_view,
                                     std::string_view) {
  return Fail(NotSupported("SetUserPassword"));
}
Status AccountAdmin::SetUserDisabled(const Actor&, std::string_view, bool) {
  return Fail(NotSupported("SetUserDisabled"));
}
Status AccountAdmin::SetUserEmail(const Actor&, std::string_view, std::string_view) {
  return Fail(NotSupported("SetUserEmail"));
}
Result<std::map<std::string, std::string>> AccountAdmin::LastSignIns() {
  return Fail(NotSupported("LastSignIns"));
}

}  // namespace amiable
