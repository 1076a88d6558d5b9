// Test fixtures over a real store (compiled into amiable_tests only, see
// CMakeLists.txt: *_test_util.cc). A suite derives from StoreEngineTest to
// run on SQLite and PostgreSQL (INSTANTIATE_TEST_SUITE_P with
// ::testing::Values("sqlite", "postgresql")), or from SqliteStoreTest for a
// SQLite file only, and opens the store first thing in its SetUp:
//   ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-my-test"));
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/store.h"

namespace amiable {

// The PostgreSQL server scripts/test starts (AMIABLE_TEST_PG_URL), "" if none.
std::string TestPgUrl();

// Opens a store on `engine` ("sqlite" or "postgresql") into `url` and
// `store`: PostgreSQL at TestPgUrl() with its public schema reset (a failure
// when it is not set), SQLite at `file` in a fresh folder `dir`, the temporary
// directory's `name`-<pid>. Reports failures through gtest assertions.
void OpenTestStore(const std::string& engine, const std::string& name, const std::string& file,
                   std::filesystem::path& dir, std::string& url, std::unique_ptr<Store>& store);

// Closes `store` and removes `dir` (if any).
void CloseTestStore(std::filesystem::path& dir, std::unique_ptr<Store>& store);

// A received, admissible case of `org`.
Case TestCase(std::string reference, std::string org, std::string received_on);

template <class Base>
class WithTestStore : public Base {
 protected:
  void OpenStore(const std::string& engine, const std::string& name,
                 const std::string& file = "test.db") {
    OpenTestStore(engine, name, file, dir_, url_, store_);
  }
  void TearDown() override { CloseTestStore(dir_, store_); }

  std::filesystem::path dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

// On the engine of the test's parameter.
class StoreEngineTest : public WithTestStore<::testing::TestWithParam<std::string>> {
 protected:
  void OpenStore(const std::string& name, const std::string& file = "test.db") {
    WithTestStore::OpenStore(GetParam(), name, file);
  }
};

// On a SQLite file.
class SqliteStoreTest : public WithTestStore<::testing::Test> {
 protected:
  void OpenStore(const std::string& name, const std::string& file = "test.db") {
    WithTestStore::OpenStore("sqlite", name, file);
  }
};

}  // namespace amiable
