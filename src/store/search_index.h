// Role: full-text search over cases.
#ifndef AMIABLE_STORE_SEARCH_INDEX_H_
#define AMIABLE_STORE_SEARCH_INDEX_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/error.h"
#include "store/actor.h"

namespace amiable {

class SearchIndex {
 public:
  virtual ~SearchIndex() = default;

  // Accent- and case-insensitive full-text search over reference,
  // allocataire number, people's names, description and notes (FTS5 on
  // SQLite, tsvector on PostgreSQL). Every word of `text` must match (as a
  // prefix); cases the actor may not see are never returned. Newest first;
  // `total` (optional) receives the number of matches. Empty text: no match.
  // Default: kInternal "not supported".
  virtual Result<std::vector<Case>> SearchCases(const Actor& actor, std::string_view text,
                                                int limit, int64_t* total);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_SEARCH_INDEX_H_
