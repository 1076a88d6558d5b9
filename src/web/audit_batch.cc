#include "web/audit_batch.h"

#include <map>
#include <utility>

namespace amiable::web {

bool MayBatch(const AuditRead& r) {
  return !r.object.empty() && r.object.find(' ') == std::string::npos &&
         r.object.size() < kMaxObjectChars && !r.action.ends_with(".search") &&
         !r.action.starts_with("signin.");
}

std::vector<AuditRead> CompactReads(std::vector<AuditRead> reads) {
  std::vector<AuditRead> out;
  out.reserve(reads.size());
  // (user, action) -> index in `out` of the row being filled.
  std::map<std::pair<std::string, std::string>, size_t> open;
  for (AuditRead& r : reads) {
    if (!MayBatch(r)) {
      out.push_back(std::move(r));
      continue;
    }
    auto key = std::make_pair(r.actor.user, r.action);
    auto it = open.find(key);
    if (it != open.end()) {
      std::string& obj = out[it->second].object;
      if (obj.size() + 1 + r.object.size() <= kMaxObjectChars) {
        obj += ' ';
        obj += r.object;
        continue;
      }
    }
    open[std::move(key)] = out.size();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace amiable::web
