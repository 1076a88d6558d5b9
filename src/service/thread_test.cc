#include "service/thread.h"

#include <gtest/gtest.h>

namespace amiable::service {
namespace {

TEST(ThreadTest, MergesSentReceivedAndPostLettersInOrderWithTheirKinds) {
  std::vector<OutboxMessage> outbox(3);
  outbox[0].kind = "acknowledgement";
  outbox[0].created_at = "2026-12-01T09:00:00Z";
  outbox[0].sent_at = "2026-12-01T09:00:05Z";
  outbox[0].state = "sent";
  outbox[0].message_id = "<outbox-1.a@h>";
  outbox[1].kind = "internal_request";
  outbox[1].created_at = "2026-12-01T11:00:00Z";
  outbox[1].state = "queued";
  outbox[2].kind = "letter:answer";
  outbox[2].created_at = "2026-12-03T08:00:00Z";
  outbox[2].state = "failed";
  outbox[2].last_error = "550 5.1.1 user unknown";
  std::vector<ReceivedMessageRow> in(2);
  in[0].id = 7;
  in[0].received_at = "2026-12-01T08:59:00Z";
  in[0].subject = "Ma demande";
  in[0].document_keys = {"eml-key", "pdf-key"};
  in[0].documents.resize(2);
  in[0].documents[0].id = 10;
  in[0].documents[0].storage_key = "eml-key";
  in[0].documents[0].content_type = "message/rfc822";
  in[0].documents[1].id = 11;
  in[0].documents[1].storage_key = "pdf-key";
  in[0].documents[1].file_name = "avis.pdf";
  in[1].id = 8;
  in[1].received_at = "2026-12-02T10:00:00Z";
  in[1].reason = "intake.internal_answer";
  std::vector<LetterRecord> letters(2);
  letters[0].mode = "courrier";
  letters[0].subject = "Réponse";
  letters[0].created_at = "2026-12-04T10:00:00Z";
  letters[0].document_id = 12;
  letters[1].mode = "courriel";
  letters[1].outbox_id = 3;  // already the outbox row above
  std::vector<DocumentMeta> docs(1);
  docs[0].id = 12;
  docs[0].file_name = "reponse.pdf";

  auto t = BuildThread(outbox, in, letters, docs);
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0].direction, "in");
  EXPECT_EQ(t[0].eml_document_id, 10);
  ASSERT_EQ(t[0].attachments.size(), 1u);
  EXPECT_EQ(t[0].attachments[0].file_name, "avis.pdf");
  EXPECT_EQ(t[1].kind, "message");
  EXPECT_EQ(t[1].at, "2026-12-01T09:00:05Z");  // sent, not queued
  EXPECT_EQ(t[2].kind, "internal_request");
  EXPECT_EQ(t[2].direction, "out");
  EXPECT_EQ(t[3].kind, "internal_request");
  EXPECT_EQ(t[3].direction, "in");
  EXPECT_EQ(t[4].kind, "letter");
  EXPECT_EQ(t[4].state, "failed");
  EXPECT_EQ(t[5].kind, "letter");
  EXPECT_EQ(t[5].to, "courrier postal");
  EXPECT_EQ(t[5].state, "sent");
  ASSERT_EQ(t[5].attachments.size(), 1u);
  EXPECT_EQ(t[5].attachments[0].file_name, "reponse.pdf");
}

}  // namespace
}  // namespace amiable::service
