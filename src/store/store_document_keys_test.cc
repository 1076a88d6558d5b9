// ReferencedStorageKeys (store/document_keys.h): every key of the document
// folder that a row refers to, for the orphan sweep. SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/document_keys.h"
#include "store/store_test_util.h"

namespace amiable {
namespace {

class StoreDocumentKeysTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-store-keys-test"));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"631", "Caf A", "metropole", "", false}));
  }
};

TEST_P(StoreDocumentKeysTest, DocumentsReceivedMessagesAndTheirAttachments) {
  auto* keys = dynamic_cast<DocumentKeys*>(store_.get());
  ASSERT_NE(keys, nullptr);
  auto none = keys->ReferencedStorageKeys();
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE(store_->CreateCase(Actor::System(), TestCase("631-K", "631", "2025-03-03"), {}));
  ASSERT_TRUE(store_->AddDocument(Actor::System(), "631-K",
                                  {0, "scan.pdf", "application/pdf", 3, "doc-key", "abc", "m", ""}));
  ReceivedMessageRow r;
  r.organisme = "631";
  r.message_id = "<k@example.org>";
  r.sha256 = "s";
  r.outcome = "quarantine";
  r.quarantine_state = "open";
  r.received_at = "2025-03-03T10:00:00Z";
  r.raw_key = "raw-key";
  r.document_keys = {"attached-key", "doc-key"};
  ASSERT_TRUE(store_->InsertReceived(Actor::System(), r));
  auto got = keys->ReferencedStorageKeys();
  ASSERT_TRUE(got);
  std::vector<std::string> sorted = *got;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"attached-key", "doc-key", "raw-key"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreDocumentKeysTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable
