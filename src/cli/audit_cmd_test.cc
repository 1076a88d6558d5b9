// Files amiable writes are 0600 whatever the umask and an existing file's
// mode (backups, exports, reports, audit exports: cli/commands.h).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "cli/audit_cmd.h"
#include "service/audit_trail.h"

namespace amiable::cli {
namespace {

unsigned ModeOf(const std::string& p) {
  struct stat st{};
  EXPECT_EQ(::stat(p.c_str(), &st), 0);
  return st.st_mode & 0777;
}

TEST(PrivateFileTest, NewAndExistingFilesBecome0600) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("amiable-private-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const mode_t old = ::umask(022);
  const std::string fresh = (dir / "export.jsonl").string();
  auto f = CreatePrivateFile(fresh);
  ASSERT_TRUE(f);
  std::fputs("{}\n", *f);
  std::fclose(*f);
  EXPECT_EQ(ModeOf(fresh), 0600u);

  const std::string existing = (dir / "old.csv").string();
  { std::ofstream(existing) << "x"; }
  ASSERT_EQ(ModeOf(existing), 0644u);
  auto g = CreatePrivateFile(existing);
  ASSERT_TRUE(g);
  std::fclose(*g);
  EXPECT_EQ(ModeOf(existing), 0600u);
  EXPECT_EQ(std::filesystem::file_size(existing), 0u);
  ::umask(old);
  std::filesystem::remove_all(dir);
}

TEST(AuditDaysTest, LocalDaysOfTheZone) {
  AuditQuery q;
  // Paris in winter (UTC+1), La Réunion (UTC+4), Paris in summer (UTC+2).
  service::SetLocalDays(q, Date::Parse("2025-01-15"), Date::Parse("2025-01-15"), Zone::kMetropole);
  EXPECT_EQ(q.from_at, "2025-01-14T23:00:00Z");
  EXPECT_EQ(q.to_at, "2025-01-15T23:00:00Z");
  service::SetLocalDays(q, Date::Parse("2025-07-01"), Date::Parse("2025-07-31"), Zone::kMetropole);
  EXPECT_EQ(q.from_at, "2025-06-30T22:00:00Z");
  EXPECT_EQ(q.to_at, "2025-07-31T22:00:00Z");
  service::SetLocalDays(q, Date::Parse("2025-03-01"), std::nullopt, Zone::kReunion);
  EXPECT_EQ(q.from_at, "2025-02-28T20:00:00Z");
  EXPECT_EQ(q.to_at, "");
}

TEST(AuditDaysTest, JsonLine) {
  AuditEntry e{3, "2025-01-01T10:00:00Z", "alice", "case.view", "631-2025-0001"};
  EXPECT_EQ(service::AuditJsonLine(e),
            R"({"seq":3,"at":"2025-01-01T10:00:00Z","actor":"alice","action":"case.view",)"
            R"("object":"631-2025-0001"})");
}

}  // namespace
}  // namespace amiable::cli
