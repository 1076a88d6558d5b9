// TEMPORARY (replaced by wip-imap's secrets.h).
#pragma once
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include "core/error.h"
namespace amiable::mail {
inline Result<std::string> ReadSecret(std::string_view file, std::string_view env) {
  if (!env.empty()) {
    const char* v = std::getenv(std::string(env).c_str());
    if (!v) return Fail(Error::Invalid("variable absente", "password_env"));
    return std::string(v);
  }
  std::ifstream in{std::string(file)};
  std::string line;
  if (!std::getline(in, line)) return Fail(Error::Invalid("fichier illisible", "password_file"));
  return line;
}
}  // namespace amiable::mail
