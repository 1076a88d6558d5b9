#include "mail/secrets.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "core/messages.h"

namespace amiable::mail {

Result<std::string> ReadSecret(std::string_view password_file, std::string_view password_env) {
  if (!password_file.empty()) {
    const std::string path(password_file);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return Fail(msg::Invalid("secrets.file_unreadable", "password_file",
                               {path, std::strerror(errno)}));
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
      std::fprintf(stderr,
                   "level=warn msg=\"fichier de mot de passe lisible par d'autres "
                   "utilisateurs (chmod 600 conseillé)\" file=%s\n",
                   path.c_str());
    }
    std::string line;
    std::getline(in, line);
    const size_t b = line.find_first_not_of(" \t\r\n");
    const size_t e = line.find_last_not_of(" \t\r\n");
    if (b == std::string::npos) return Fail(msg::Invalid("secrets.file_empty", "password_file", {path}));
    return line.substr(b, e - b + 1);
  }
  if (!password_env.empty()) {
    const std::string name(password_env);
    const char* v = std::getenv(name.c_str());
    if (v == nullptr || *v == '\0') {
      return Fail(msg::Invalid("secrets.env_unset", "password_env", {name}));
    }
    return std::string(v);
  }
  return Fail(msg::Invalid("secrets.none", "password_file"));
}

}  // namespace amiable::mail
