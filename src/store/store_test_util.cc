#include "store/store_test_util.h"

#include <unistd.h>

#include <cstdlib>

namespace amiable {

std::string TestPgUrl() {
  const char* u = std::getenv("AMIABLE_TEST_PG_URL");
  return u ? u : "";
}

void OpenTestStore(const std::string& engine, const std::string& name, const std::string& file,
                   std::filesystem::path& dir, std::string& url, std::unique_ptr<Store>& store) {
  if (engine == "postgresql") {
    url = TestPgUrl();
    if (url.empty()) GTEST_FAIL() << "AMIABLE_TEST_PG_URL is not set (run scripts/test)";
    const std::string cmd = "psql -q '" + url +
                            "' -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' "
                            ">/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "cannot reset the PostgreSQL schema";
  } else {
    dir = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    url = "sqlite:" + (dir / file).string();
  }
  auto s = Store::Open(url);
  ASSERT_TRUE(s) << ToString(s.error());
  store = std::move(*s);
}

void CloseTestStore(std::filesystem::path& dir, std::unique_ptr<Store>& store) {
  store.reset();
  if (!dir.empty()) std::filesystem::remove_all(dir);
}

Case TestCase(std::string reference, std::string org, std::string received_on) {
  Case c;
  c.reference = std::move(reference);
  c.organisme = std::move(org);
  c.received_on = *Date::Parse(received_on);
  c.admissibility = "recevable";
  return c;
}

}  // namespace amiable
