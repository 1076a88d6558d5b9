// The audit trail on both engines: chained appends, what `audit verify`
// finds (an edited, a deleted and an inserted row, a cut tail), pruning
// behind a checkpoint, the dpo's reads, hashed search terms, concurrency.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "calendar/clock.h"
#include "store/audit_chain.h"
#include "store/audit_store.h"
#include "store/store_test_util.h"

namespace amiable {
namespace {

class AuditTrailTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    key_dir_ = std::filesystem::temp_directory_path() /
               ("amiable-audit-key-" + std::to_string(::getpid()));
    std::filesystem::remove_all(key_dir_);
    audit::SetKeyFile((key_dir_ / "audit.key").string());
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-audit-test"));
  }
  void TearDown() override {
    StoreEngineTest::TearDown();
    audit::SetKeyFile("");
    Store::UseClock(nullptr);
    std::filesystem::remove_all(key_dir_);
  }

  // Runs `sql` on the database behind the store's back (sqlite3 or psql).
  void Tamper(const std::string& sql) {
    std::string cmd;
    if (GetParam() == "sqlite") {
      cmd = "sqlite3 '" + url_.substr(7) + "' \"" + sql + "\"";
    } else {
      cmd = "psql -q '" + url_ + "' -c \"" + sql + "\" >/dev/null";
    }
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }

  void Append(int n, const std::string& action = "case.view") {
    const Actor alice = [] {
      Actor a = Actor::System("alice");
      a.role = Role::kMediator;
      return a;
    }();
    for (int i = 1; i <= n; ++i) {
      ASSERT_TRUE(store_->Audit(alice, action, "631-2025-" + std::to_string(1000 + i)));
    }
  }

  std::vector<std::string> Findings() {
    auto rep = trail().VerifyAudit();
    EXPECT_TRUE(rep) << (rep ? "" : ToString(rep.error()));
    std::vector<std::string> out;
    if (rep) {
      for (const auto& f : rep->findings) out.push_back(f.text);
    }
    return out;
  }

  AuditTrail& trail() { return *TrailOf(*store_); }

  std::filesystem::path key_dir_;
};

using Lines = std::vector<std::string>;

TEST_P(AuditTrailTest, IntactTrailVerifies) {
  Append(10);
  auto rep = trail().VerifyAudit();
  ASSERT_TRUE(rep);
  EXPECT_TRUE(rep->findings.empty());
  EXPECT_EQ(rep->rows, 10);
  // The key was created 0600 outside the database, the head beside it.
  struct stat st{};
  ASSERT_EQ(::stat((key_dir_ / "audit.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_FALSE(rep->head_file.empty());
  auto head = audit::ReadHead(rep->head_file);
  ASSERT_TRUE(head && *head);
  EXPECT_EQ((*head)->seq, 10);
}

TEST_P(AuditTrailTest, EditedRowIsNamed) {
  Append(10);
  Tamper("UPDATE audit_log SET object = '631-2025-9999' WHERE seq = 4");
  EXPECT_EQ(Findings(), Lines({"ligne 4 : modifiée"}));
}

TEST_P(AuditTrailTest, DeletedRowIsNamed) {
  Append(10);
  Tamper("DELETE FROM audit_log WHERE seq = 5");
  EXPECT_EQ(Findings(), Lines({"ligne 5 : manquante"}));
}

TEST_P(AuditTrailTest, InsertedRowIsNamed) {
  Append(10);
  // Make room after row 5 (two steps: seq is unique), then slip a row in
  // that links to row 5 as a forger without the key would.
  Tamper("UPDATE audit_log SET seq = seq + 1000 WHERE seq > 5");
  Tamper("UPDATE audit_log SET seq = seq - 999 WHERE seq > 1000");
  Tamper(
      "INSERT INTO audit_log (seq, at, actor, action, object, prev_hash, mac) "
      "SELECT 6, at, 'mallory', 'case.view', '631-2025-0666', mac, "
      "'00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff' "
      "FROM audit_log WHERE seq = 5");
  EXPECT_EQ(Findings(), Lines({"ligne 6 : insérée"}));
}

TEST_P(AuditTrailTest, RowAppendedPastTheHeadIsInserted) {
  Append(4);
  Tamper(
      "INSERT INTO audit_log (seq, at, actor, action, object, prev_hash, mac) "
      "SELECT 5, at, 'mallory', 'case.view', 'x', mac, mac FROM audit_log WHERE seq = 4");
  EXPECT_EQ(Findings(), Lines({"ligne 5 : insérée"}));
}

TEST_P(AuditTrailTest, CutTailIsFoundByTheHeadOutside) {
  Append(10);
  // A careful forger also rewinds the head row in the database.
  Tamper("DELETE FROM audit_log WHERE seq > 7");
  Tamper(
      "UPDATE audit_head SET seq = 7, hash = (SELECT mac FROM audit_log WHERE seq = 7)");
  EXPECT_EQ(Findings(), Lines({"lignes 8 à 10 : manquantes"}));
}

TEST_P(AuditTrailTest, LastRowCutIsNamed) {
  Append(3);
  Tamper("DELETE FROM audit_log WHERE seq = 3");
  Tamper("UPDATE audit_head SET seq = 2, hash = (SELECT mac FROM audit_log WHERE seq = 2)");
  EXPECT_EQ(Findings(), Lines({"ligne 3 : manquante"}));
}

TEST_P(AuditTrailTest, MissingHeadFileIsReported) {
  Append(3);
  auto rep = trail().VerifyAudit();
  ASSERT_TRUE(rep);
  std::filesystem::remove(rep->head_file);
  auto lines = Findings();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].starts_with("tête du journal absente hors de la base")) << lines[0];
}

TEST_P(AuditTrailTest, VerifyNeedsTheKey) {
  Append(2);
  std::filesystem::remove(key_dir_ / "audit.key");
  auto other = Store::Open(url_);  // a fresh object: no key in memory
  ASSERT_TRUE(other);
  auto rep = TrailOf(**other)->VerifyAudit();
  ASSERT_FALSE(rep);
  EXPECT_EQ(rep.error().message_id, "audit.key_missing");
}

TEST_P(AuditTrailTest, PruneWritesACheckpointThatVerificationStartsFrom) {
  FixedClock clock(NoonOf(*Date::Parse("2024-01-10")));
  Store::UseClock(&clock);
  Append(5);
  clock.Set(NoonOf(*Date::Parse("2025-06-01")));
  Append(5);
  auto n = trail().PruneAudit(Actor::System("cli:dpo"), "2025-01-01T00:00:00Z");
  ASSERT_TRUE(n) << ToString(n.error());
  EXPECT_EQ(*n, 5);
  auto rep = trail().VerifyAudit();
  ASSERT_TRUE(rep);
  EXPECT_TRUE(rep->findings.empty()) << rep->findings[0].text;
  EXPECT_EQ(rep->checkpoint_seq, 5);
  EXPECT_EQ(rep->rows, 6);  // 5 kept and the prune's own row
  // Nothing older is left: a second prune removes nothing.
  auto again = trail().PruneAudit(Actor::System("cli:dpo"), "2025-01-01T00:00:00Z");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  // Rows appended after the prune chain on; a forged checkpoint is named.
  Append(2);
  EXPECT_TRUE(Findings().empty());
  Tamper("UPDATE audit_checkpoints SET removed = 1");
  EXPECT_EQ(Findings(), Lines({"point de contrôle 5 : modifié"}));
}

TEST_P(AuditTrailTest, RowsBeforeTheChainAreSealedByTheFirstAppend) {
  // Rows written before migration 15, numbered by it but not yet hashed.
  Tamper(
      "INSERT INTO audit_log (seq, at, actor, action, object) VALUES "
      "(1, '2024-01-01T10:00:00Z', 'bob', 'case.view', '631-2024-0001'), "
      "(2, '2024-01-01T10:01:00Z', 'bob', 'case.update', '631-2024-0001')");
  Tamper("UPDATE audit_head SET seq = 2");
  Append(1);
  auto rep = trail().VerifyAudit();
  ASSERT_TRUE(rep);
  EXPECT_TRUE(rep->findings.empty());
  EXPECT_EQ(rep->rows, 3);
}

TEST_P(AuditTrailTest, SearchTermsAreKeptAsAKeyedHash) {
  Actor alice = Actor::System("alice");
  alice.role = Role::kMediator;
  ASSERT_TRUE(store_->Audit(alice, "case.search", "Dupont  Marie"));
  AuditQuery q;
  q.user = "alice";
  auto rows = trail().ListAudit(Actor::System(), q, nullptr);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].object.find("Dupont"), std::string::npos);
  EXPECT_TRUE((*rows)[0].object.starts_with("terme:"));
  auto h = trail().AuditTermHash(" dupont marie ");
  ASSERT_TRUE(h);
  EXPECT_EQ(*h, (*rows)[0].object);
}

TEST_P(AuditTrailTest, ReadsFilterByDaysUserAndCase) {
  FixedClock clock(NoonOf(*Date::Parse("2025-03-03")));
  Store::UseClock(&clock);
  Actor alice = Actor::System("alice"), bob = Actor::System("bob");
  ASSERT_TRUE(store_->Audit(alice, "case.view", "631-2025-0001"));
  ASSERT_TRUE(store_->Audit(bob, "document.read", "631-2025-0001 12"));
  clock.Set(NoonOf(*Date::Parse("2025-03-05")));
  ASSERT_TRUE(store_->Audit(alice, "case.view", "631-2025-00012"));
  ASSERT_TRUE(store_->Audit(alice, "case.recusal", "631-2025-0001 bob"));

  AuditQuery q;
  int64_t total = 0;
  q.from_at = "2025-03-03T00:00:00Z";
  q.to_at = "2025-03-04T00:00:00Z";
  auto day = trail().ListAudit(Actor::System(), q, &total);
  ASSERT_TRUE(day);
  EXPECT_EQ(total, 2);
  EXPECT_EQ((*day)[0].seq, 2);  // newest first

  AuditQuery c;
  c.case_ref = "631-2025-0001";  // not 631-2025-00012
  std::vector<int64_t> seqs;
  ASSERT_TRUE(trail().ScanAudit(Actor::System(), c, [&](const AuditEntry& e) {
    seqs.push_back(e.seq);
    return true;
  }));
  EXPECT_EQ(seqs, (std::vector<int64_t>{1, 2, 4}));

  AuditQuery u;
  u.user = "bob";
  auto b = trail().ListAudit(Actor::System(), u, &total);
  ASSERT_TRUE(b);
  EXPECT_EQ(total, 1);

  Actor dpo = Actor::System("dpo");
  dpo.role = Role::kDpo;
  EXPECT_TRUE(trail().ListAudit(dpo, u, nullptr));
  Actor mediator = Actor::System("m");
  mediator.role = Role::kMediator;
  auto refused = trail().ListAudit(mediator, u, nullptr);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Error::Code::kForbidden);
}

TEST_P(AuditTrailTest, ConcurrentWritersKeepOneChain) {
  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto s = Store::Open(url_);
      if (!s) {
        ++failures;
        return;
      }
      for (int i = 0; i < kEach; ++i) {
        Status st = (*s)->InTransaction([&]() -> Status {
          if (auto a = (*s)->Audit(Actor::System("t" + std::to_string(t)), "case.view", "x");
              !a) {
            return a;
          }
          return (*s)->Audit(Actor::System("t" + std::to_string(t)), "case.view", "y");
        });
        if (!st) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto rep = trail().VerifyAudit();
  ASSERT_TRUE(rep);
  EXPECT_TRUE(rep->findings.empty()) << rep->findings[0].text;
  EXPECT_EQ(rep->rows, kThreads * kEach * 2);
}

// The append rate (docs/benchmarks.md, « Journal d'audit »): run with
// --gtest_also_run_disabled_tests --gtest_filter='*AppendRate*'.
TEST_P(AuditTrailTest, DISABLED_AppendRate) {
  const Actor a = Actor::System("bench");
  auto rate = [&](int batches, int per_batch) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int b = 0; b < batches; ++b) {
      Status s = store_->InTransaction([&]() -> Status {
        for (int i = 0; i < per_batch; ++i) {
          if (auto r = store_->Audit(a, "case.view", "631-2026-00001"); !r) return r;
        }
        return {};
      });
      EXPECT_TRUE(s);
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return batches * per_batch / secs;
  };
  std::printf("engine=%s batch=100 appends/s=%.0f\n", GetParam().c_str(), rate(100, 100));
  std::printf("engine=%s batch=1 appends/s=%.0f\n", GetParam().c_str(), rate(300, 1));
  auto t0 = std::chrono::steady_clock::now();
  auto rep = trail().VerifyAudit();
  ASSERT_TRUE(rep);
  EXPECT_TRUE(rep->findings.empty());
  std::printf("engine=%s verify rows=%lld rows/s=%.0f\n", GetParam().c_str(),
              static_cast<long long>(rep->rows),
              rep->rows / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditTrailTest, ::testing::Values("sqlite", "postgresql"));

// The pure verifier, without a database.
TEST(AuditChainTest, DefaultKeyFileIsBesideTheSqliteFile) {
  audit::SetKeyFile("");
  if (std::getenv("AMIABLE_AUDIT_KEY_FILE")) GTEST_SKIP() << "key file set by the environment";
  EXPECT_EQ(audit::KeyFileFor("sqlite:/srv/amiable/amiable.db"), "/srv/amiable/audit.key");
  EXPECT_EQ(audit::KeyFileFor("/srv/x/a.db"), "/srv/x/audit.key");
  EXPECT_EQ(audit::HeadFileFor("/srv/x/audit.key", "ab12"), "/srv/x/audit-head-ab12");
}

TEST(AuditChainTest, TermHashIgnoresCaseAndSpacing) {
  audit::Key k{};
  k[0] = 7;
  EXPECT_EQ(audit::TermHash(k, "Dupont Marie"), audit::TermHash(k, "  dupont   marie"));
  EXPECT_NE(audit::TermHash(k, "dupont"), audit::TermHash(k, "durand"));
  audit::Key other{};
  EXPECT_NE(audit::TermHash(k, "dupont"), audit::TermHash(other, "dupont"));
}

}  // namespace
}  // namespace amiable
