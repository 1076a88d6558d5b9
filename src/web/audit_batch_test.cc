// The audit of reads kept compact (web/audit_batch.h): bursts of reads by
// the same user of the same kind become one row; through AuditLog on both
// engines, the chain verifies, a case is found in a batched row, and the
// rows written grow by far less than one per read.
#include "web/audit_batch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "store/audit_chain.h"
#include "store/audit_store.h"
#include "store/store_test_util.h"
#include "web/routes.h"

namespace amiable::web {
namespace {

Actor User(const std::string& name) {
  Actor a = Actor::System(name);
  a.role = Role::kMediator;
  return a;
}

TEST(AuditBatchTest, OneRowPerUserAndKindInABurst) {
  std::vector<AuditRead> reads = {
      {User("alice"), "case.view", "631-2025-00001"}, {User("bob"), "case.view", "631-2025-00002"},
      {User("alice"), "case.view", "631-2025-00003"}, {User("alice"), "case.read", "631-2025-00004"},
      {User("alice"), "case.view", "631-2025-00001"},
  };
  const auto rows = CompactReads(reads);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].actor.user, "alice");
  EXPECT_EQ(rows[0].action, "case.view");
  EXPECT_EQ(rows[0].object, "631-2025-00001 631-2025-00003 631-2025-00001");
  EXPECT_EQ(rows[1].object, "631-2025-00002");
  EXPECT_EQ(rows[2].action, "case.read");
}

TEST(AuditBatchTest, SearchesSignInsAndObjectsWithSpacesStayAlone) {
  std::vector<AuditRead> reads = {
      {User("alice"), "case.search", "dupont"}, {User("alice"), "case.search", "martin"},
      {User("alice"), "signin.failure", "alice"}, {User("alice"), "signin.failure", "alice"},
      {User("alice"), "document.read", "631-2025-00001 12"},
      {User("alice"), "document.read", "631-2025-00001 13"},
      {User("alice"), "case.view", ""}, {User("alice"), "case.view", ""},
  };
  EXPECT_EQ(CompactReads(reads).size(), reads.size());
}

TEST(AuditBatchTest, ARowIsBounded) {
  std::vector<AuditRead> reads;
  for (int i = 0; i < 1000; ++i) {
    reads.push_back({User("alice"), "case.view", "631-2025-" + std::to_string(10000 + i)});
  }
  const auto rows = CompactReads(reads);
  ASSERT_GT(rows.size(), 1u);
  size_t objects = 0;
  for (const AuditRead& r : rows) {
    EXPECT_LE(r.object.size(), kMaxObjectChars);
    objects += static_cast<size_t>(std::count(r.object.begin(), r.object.end(), ' ')) + 1;
  }
  EXPECT_EQ(objects, reads.size());  // every read is in a row
  EXPECT_LE(rows.size(), 1000 * 15 / kMaxObjectChars + 1);
}

class AuditLogBatchTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    key_dir_ = std::filesystem::temp_directory_path() /
               ("amiable-audit-batch-key-" + std::to_string(::getpid()));
    std::filesystem::remove_all(key_dir_);
    audit::SetKeyFile((key_dir_ / "audit.key").string());
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-audit-batch"));
  }
  void TearDown() override {
    StoreEngineTest::TearDown();
    audit::SetKeyFile("");
    std::filesystem::remove_all(key_dir_);
  }
  std::filesystem::path key_dir_;
};

TEST_P(AuditLogBatchTest, ABurstOfReadsIsOneChainedRowFoundByCase) {
  auto pool = StorePool::Open(url_);
  ASSERT_TRUE(pool) << ToString(pool.error());
  {
    AuditLog log(pool->get());
    for (int i = 0; i < 300; ++i) {
      log.Record(User("alice"), "case.view", "631-2025-" + std::to_string(10000 + i));
    }
    log.Record(User("bob"), "case.view", "631-2025-10007");
    log.Flush();
  }
  AuditTrail& trail = *TrailOf(*store_);
  int64_t total = 0;
  AuditQuery all;
  all.limit = 1000;
  auto rows = trail.ListAudit(Actor::System(), all, &total);
  ASSERT_TRUE(rows);
  EXPECT_LE(total, 6);  // alice's 300 reads in two rows (three if a flush cut the burst), bob's alone
  EXPECT_GE(total, 2);
  // A case read in the middle of a burst, at its end, and alone.
  for (const std::string ref : {"631-2025-10007", "631-2025-10299", "631-2025-10000"}) {
    AuditQuery q;
    q.case_ref = ref;
    int64_t n = 0;
    auto found = trail.ListAudit(Actor::System(), q, &n);
    ASSERT_TRUE(found);
    EXPECT_GE(n, 1) << ref;
    for (const AuditEntry& e : *found) EXPECT_NE(e.object.find(ref), std::string::npos);
  }
  AuditQuery none;
  none.case_ref = "631-2025-1000";  // a prefix of every reference read: none of them
  int64_t n = 0;
  ASSERT_TRUE(trail.ListAudit(Actor::System(), none, &n));
  EXPECT_EQ(n, 0);
  auto rep = trail.VerifyAudit();
  ASSERT_TRUE(rep) << ToString(rep.error());
  EXPECT_TRUE(rep->findings.empty());
  EXPECT_EQ(rep->rows, total);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditLogBatchTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace amiable::web
