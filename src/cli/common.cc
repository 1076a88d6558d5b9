#include <cstdio>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "store/store.h"

namespace amiable::cli {

int Report(const Error& e) {
  // One line, whatever the message (database drivers answer on several).
  std::string line = ToString(e);
  for (char& ch : line) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  std::fprintf(stderr, "amiable: %s\n", line.c_str());
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

Date TodayForFunds(const Clock& clock, Store* store, const std::vector<std::string>& organismes) {
  Zone zone = Zone::kMetropole;
  if (store != nullptr && !organismes.empty()) {
    if (auto all = store->ListOrganismes()) {
      std::optional<Zone> shared;
      bool same = true;
      for (const std::string& code : organismes) {
        std::optional<Zone> z;
        for (const Organisme& o : *all) {
          if (o.code == code) z = ZoneFromCode(o.zone);
        }
        if (!z || (shared && *shared != *z)) {
          same = false;
          break;
        }
        shared = z;
      }
      if (same && shared) zone = *shared;
    }
  }
  return TodayIn(clock, zone);
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
