// Role: what the web workspace keeps beside the cases (migration 2): the
// outbox and the label overrides of the nomenclatures. Defaults answer
// kInternal "not supported" so that test fakes need not implement them.
#ifndef AMIABLE_STORE_WORKSPACE_STORE_H_
#define AMIABLE_STORE_WORKSPACE_STORE_H_

#include <string>
#include <vector>

#include "core/error.h"
#include "store/actor.h"
#include "store/case_store.h"

namespace amiable {

// A French label replacing a nomenclature's default (codes never change).
struct LabelOverride {
  std::string nomenclature;
  std::string code;
  std::string label;
};

class WorkspaceStore {
 public:
  virtual ~WorkspaceStore() = default;

  // Messages waiting to be sent, oldest first.
  virtual Result<std::vector<OutboxMessage>> PendingOutbox(int limit);

  // Label overrides of the nomenclatures; an empty label removes one.
  virtual Result<std::vector<LabelOverride>> LabelOverrides();
  virtual Status SetLabelOverride(const Actor& actor, const LabelOverride& o);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_WORKSPACE_STORE_H_
