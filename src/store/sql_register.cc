// SqlStore: the register of findings and recommendations (migration 20,
// store/report_data.h). Not yet written: every call answers "not supported".
#include "store/sql_store_internal.h"

namespace amiable::sql {

namespace {
std::unexpected<Error> NotYet() { return Fail(Error::Internal("register: not yet written")); }
}  // namespace

Result<std::vector<RecommendationTheme>> SqlStore::RecommendationThemes() { return NotYet(); }
Status SqlStore::UpsertRecommendationTheme(const Actor&, const RecommendationTheme&) {
  return NotYet();
}
Result<int64_t> SqlStore::AddRecommendation(const Actor&, const Recommendation&) {
  return NotYet();
}
Status SqlStore::UpdateRecommendation(const Actor&, const Recommendation&) { return NotYet(); }
Status SqlStore::DeleteRecommendation(const Actor&, int64_t) { return NotYet(); }
Result<int64_t> SqlStore::AddRecommendationFollowUp(const Actor&, int64_t,
                                                    const RecommendationFollowUp&) {
  return NotYet();
}
Result<std::vector<Recommendation>> SqlStore::Recommendations(const Actor&,
                                                              const RecommendationFilter&) {
  return NotYet();
}

}  // namespace amiable::sql
