// Who acts on the store: a user with a role and the funds they see.
#ifndef AMIABLE_STORE_ACTOR_H_
#define AMIABLE_STORE_ACTOR_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amiable {

// kDpo: the data-protection officer (the audit trail, no case content).
// kPartner: a partner body's agent (Défenseur des droits delegate, another
//   body's mediator, a social service): only the cases it created or that a
//   mediator granted it (case_access), whatever its funds.
// kNational: the national pole (figures, reports and registers of every
//   fund, no case content).
enum class Role {
  kMediator,
  kManager,
  kAdministrator,
  kStatisticsReader,
  kDpo,
  kPartner,
  kNational
};
// "mediator", "manager", "administrator", "statistics", "dpo", "partner",
// "national"
const char* RoleCode(Role r);
std::optional<Role> RoleFromCode(std::string_view code);
// Every role, in the order above (lists, selects, tests).
inline constexpr Role kAllRoles[] = {Role::kMediator,         Role::kManager, Role::kAdministrator,
                                     Role::kStatisticsReader, Role::kDpo,     Role::kPartner,
                                     Role::kNational};
// True for the roles that never see a case's content (statistics, dpo,
// national): every case query of theirs is empty.
inline bool SeesNoCases(Role r) {
  return r == Role::kStatisticsReader || r == Role::kDpo || r == Role::kNational;
}

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
