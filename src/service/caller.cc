#include "service/caller.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace amiable::service {

Caller Caller::OfUser(const User& u) {
  Caller c;
  c.user = u;
  c.user.password_hash.clear();
  c.actor = u.ToActor();
  return c;
}

Caller Caller::System(std::string name) {
  Caller c;
  c.system = true;
  c.actor = Actor::System(name);
  c.user.name = std::move(name);
  c.user.display_name = c.user.name;
  c.user.role = Role::kAdministrator;
  c.user.all_funds = true;
  return c;
}

Caller Caller::Cli(std::string_view unix_user) {
  return System("cli:" + (unix_user.empty() ? std::string("inconnu") : std::string(unix_user)));
}

bool Caller::IsHierarchyOf(std::string_view organisme) const {
  if (system || user.role == Role::kAdministrator) return true;
  return user.role == Role::kManager && actor.CanSee(organisme);
}

std::string UnixUserName() {
  if (const char* u = std::getenv("USER"); u != nullptr && *u != '\0') return u;
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  return {};
}

}  // namespace amiable::service
