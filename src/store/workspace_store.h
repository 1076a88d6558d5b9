// Role: what the web workspace keeps beside the cases (migrations 2, 5):
// the outbox, the label overrides of the nomenclatures, the published
// years. Defaults answer kInternal "not supported" so that test fakes need
// not implement them.
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

// A history row, of a case of a published year, that changed it after
// publication (CaseEvent::published_year).
struct PostPublicationChange {
  std::string reference;
  CaseEvent event;
};

class WorkspaceStore {
 public:
  virtual ~WorkspaceStore() = default;

  // Messages waiting to be sent, oldest first.
  virtual Result<std::vector<OutboxMessage>> PendingOutbox(int limit);

  // Label overrides of the nomenclatures; an empty label removes one.
  virtual Result<std::vector<LabelOverride>> LabelOverrides();
  virtual Status SetLabelOverride(const Actor& actor, const LabelOverride& o);

  // Published years (migration 5): a manager marks a fund's year as
  // published; later changes to its figures need a confirmation (the
  // service's rule) and are listed by ChangesAfterPublication.
  // PublishYear: kInvalid "organisme" for a fund unknown or not seen by the
  // actor, kInvalid "year" out of 1900..2199, kConflict if already published.
  virtual Status PublishYear(const Actor& actor, std::string_view organisme, int year);
  // The published years of a fund, ascending (none: empty).
  virtual Result<std::vector<int>> PublishedYears(std::string_view organisme);
  // The history rows with published_year == year of the cases of the fund
  // that the actor sees, newest first.
  virtual Result<std::vector<PostPublicationChange>> ChangesAfterPublication(
      const Actor& actor, std::string_view organisme, int year);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_WORKSPACE_STORE_H_
