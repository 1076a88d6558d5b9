// The national report's routes (pages_national.cc): /rapport/national and
// /rapport/national/telecharger, for the national role and administrators
// (report::MayReadNationalReport; the others get 403). Internal to src/web.
#ifndef AMIABLE_WEB_PAGES_NATIONAL_H_
#define AMIABLE_WEB_PAGES_NATIONAL_H_

namespace httplib {
class Server;
}

namespace amiable::web::pages {

struct Env;
void RegisterNationalRoutes(httplib::Server& server, Env& env);

}  // namespace amiable::web::pages

#endif  // AMIABLE_WEB_PAGES_NATIONAL_H_
