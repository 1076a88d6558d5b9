// Who calls the case service: a signed-in user (page or API token), or a
// named system actor (the command line as "cli:<unix user>", the mail
// poller, the retention job). Resolved once per request by the adapter.
//
// Rules (issue 7, the table "who may do what"): a user passes the role rules
// of her role; a system actor passes every role rule but still goes through
// the store's visibility (it sees every fund) and the case rules (locking,
// parameters, dates). Every write names the caller in the history.
#ifndef AMIABLE_SERVICE_CALLER_H_
#define AMIABLE_SERVICE_CALLER_H_

#include <string>
#include <string_view>

#include "store/store.h"

namespace amiable::service {

struct Caller {
  User user;    // for a system actor: name only, administrator, all funds
  Actor actor;  // what the store authorizes with
  bool system = false;

  static Caller OfUser(const User& u);
  // "cli:<unix user>" (the login name of the process, "cli:inconnu" if none).
  static Caller Cli(std::string_view unix_user);
  static Caller System(std::string name);

  const std::string& name() const { return actor.user; }
  Role role() const { return user.role; }
  // True for a role that sees no case content (statistics, dpo, national).
  bool IsStatisticsReader() const { return !system && SeesNoCases(user.role); }
  // A manager who sees `organisme`, an administrator, or a system actor.
  bool IsHierarchyOf(std::string_view organisme) const;
};

// The login name of this process ($USER, else the password database).
std::string UnixUserName();

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_CALLER_H_
