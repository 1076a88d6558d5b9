// Role: the funds (organismes). Not restricted by actor: every user may
// know the list of funds and their calendars.
#ifndef AMIABLE_STORE_FUNDS_H_
#define AMIABLE_STORE_FUNDS_H_

#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/error.h"
#include "store/actor.h"

namespace amiable {

class FundDirectory {
 public:
  virtual ~FundDirectory() = default;

  // kInvalid (field "zone") on an unknown zone; creates or replaces.
  virtual Status UpsertOrganisme(const Actor& actor, const Organisme& o) = 0;
  virtual Result<std::vector<Organisme>> ListOrganismes() = 0;
  // kNotFound for an unknown code.
  virtual Result<Organisme> GetOrganisme(std::string_view code) = 0;
};

}  // namespace amiable

#endif  // AMIABLE_STORE_FUNDS_H_
