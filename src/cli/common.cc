#include <cstdio>

#include "cli/commands.h"
#include "store/store.h"

namespace amiable::cli {

int Report(const Error& e) {
  std::fprintf(stderr, "amiable: %s\n", ToString(e).c_str());
  switch (e.code) {
    case Error::Code::kInvalid:
    case Error::Code::kTooLarge:
      return 2;
    case Error::Code::kNotFound:
      return 3;
    case Error::Code::kConflict:
      return 4;
    case Error::Code::kUnavailable:
      return 5;
    default:
      return 1;
  }
}

std::unique_ptr<Store> OpenStore(Globals& g) {
  auto s = Store::Open(g.db_url.empty() ? Store::DefaultUrl() : g.db_url);
  if (!s) {
    g.exit_code = Report(s.error());
    return nullptr;
  }
  return std::move(*s);
}

}  // namespace amiable::cli
