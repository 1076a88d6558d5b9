// Who acts on the store: a user with a role and the funds they see.
#ifndef AMIABLE_STORE_ACTOR_H_
#define AMIABLE_STORE_ACTOR_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amiable {

enum class Role { kMediator, kManager, kAdministrator, kStatisticsReader };
const char* RoleCode(Role r);  // "mediator", "manager", "administrator", "statistics"
std::optional<Role> RoleFromCode(std::string_view code);

// Who acts. The command line acts as System() (all funds).
struct Actor {
  std::string user = "system";
  Role role = Role::kAdministrator;
  bool all_funds = true;                // sees every fund
  std::vector<std::string> organismes;  // the funds seen when !all_funds

  static Actor System(std::string name = "system") {
    Actor a;
    a.user = std::move(name);
    return a;
  }
  bool CanSee(std::string_view organisme) const;
};

}  // namespace amiable

#endif  // AMIABLE_STORE_ACTOR_H_
