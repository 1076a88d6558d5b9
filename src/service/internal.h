// Helpers shared by the service's source files (not a public contract).
#ifndef AMIABLE_SERVICE_INTERNAL_H_
#define AMIABLE_SERVICE_INTERNAL_H_

#include <string>
#include <string_view>

#include "core/case.h"
#include "core/error.h"

namespace amiable::service {

// The text value of a field of `c` by name, as DiffCases shows it.
std::string FieldText(const Case& c, std::string_view field);
// The rules of a person of a case: a name, bounded fields, a plausible email.
Status ValidatePerson(const Person& p);

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_INTERNAL_H_
