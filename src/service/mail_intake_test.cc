#include "service/mail_intake.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "service/case_service.h"
#include "service/internal_requests.h"
#include "service/mailbox_poller.h"
#include "store/store_test_util.h"
#include "web/upload.h"
#include "web/web_service.h"

namespace amiable::service {
namespace {

using std::chrono::sys_days;

std::string Msg(std::string headers, std::string body) {
  return headers + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                   "Content-Transfer-Encoding: 8bit\r\n\r\n" +
         body + "\r\n";
}

class MailIntakeTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-intake-test"));
    const Actor sys = Actor::System();
    ASSERT_TRUE(store_->UpsertOrganisme(sys, {"631", "Caf du Puy-de-Dôme", "metropole", "84", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(sys, {"031", "Caf de l'Allier", "metropole", "84", false}));
    // dir_ is empty on PostgreSQL: a folder of the test's own.
    files_dir_ = std::filesystem::temp_directory_path() /
                 ("amiable-intake-files-" + std::to_string(::getpid()));
    std::filesystem::remove_all(files_dir_);
    folder_ = std::make_unique<web::DocumentFolder>(files_dir_.string());
    files_ = std::make_unique<web::FolderFiles>(*folder_);
  }
  void TearDown() override {
    std::filesystem::remove_all(files_dir_);
    StoreEngineTest::TearDown();
  }
  MailIntake Intake(EmitterGuess g = {}) { return MailIntake(*store_, clock_, *files_, g); }

  FixedClock clock_{sys_days(std::chrono::year(2026) / 12 / 2) + std::chrono::hours(9)};
  std::filesystem::path files_dir_;
  std::unique_ptr<web::DocumentFolder> folder_;
  std::unique_ptr<web::FolderFiles> files_;
};

TEST_P(MailIntakeTest, ANewMessageBecomesACaseWithItsSenderAttachmentsAndAnAcknowledgement) {
  const std::string raw =
      "From: =?utf-8?q?Jeanne_Dupr=C3=A9?= <jeanne@example.org>\r\n"
      "To: mediation@caf.example\r\n"
      "Subject: =?utf-8?q?Contestation_d=27un_indu?=\r\n"
      "Date: Tue, 1 Dec 2026 18:00:00 +0100\r\n"
      "Message-ID: <m1@example.org>\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
      "Bonjour, je conteste l'indu de 300 €.\r\n"
      "--b\r\nContent-Type: application/octet-stream; name=\"avis.pdf\"\r\n"
      "Content-Disposition: attachment; filename=\"avis.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDw+PgplbmRvYmoKJSVFT0YK\r\n"
      "--b--\r\n";
  MailIntake intake = Intake();
  auto o = intake.TakeIn("631", raw, "import");
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->outcome, "case");
  EXPECT_EQ(o->message_id, "<m1@example.org>");
  EXPECT_EQ(o->folder, "archive");
  ASSERT_FALSE(o->reference.empty());

  CaseService svc(*store_, clock_, files_.get());
  auto d = svc.Get(Caller::System("test"), o->reference);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->c.channel, "courriel");
  EXPECT_EQ(d->c.emitter, "allocataire");
  EXPECT_EQ(d->c.received_on.ToString(), "2026-12-01");  // the Date header, in the fund's zone
  EXPECT_NE(d->c.description.find("Contestation d'un indu"), std::string::npos);
  EXPECT_NE(d->c.description.find("300 €"), std::string::npos);
  ASSERT_EQ(d->people.size(), 1u);
  EXPECT_EQ(d->people[0].name, "Jeanne Dupré");
  EXPECT_EQ(d->people[0].email, "jeanne@example.org");
  ASSERT_EQ(d->documents.size(), 2u);  // the .eml and the PDF
  bool pdf = false, eml = false;
  for (const DocumentMeta& doc : d->documents) {
    pdf |= doc.file_name == "avis.pdf" && doc.content_type == "application/pdf";
    eml |= doc.content_type == "message/rfc822";
  }
  EXPECT_TRUE(pdf);
  EXPECT_TRUE(eml);
  ASSERT_EQ(d->outbox.size(), 1u);
  EXPECT_EQ(d->outbox[0].recipient, "jeanne@example.org");
  EXPECT_EQ(d->outbox[0].in_reply_to, "<m1@example.org>");
  EXPECT_NE(d->outbox[0].subject.find(o->reference), std::string::npos);
  // The thread: the message received, then the acknowledgement.
  ASSERT_EQ(d->thread.size(), 2u);
  const ThreadEntry* in = d->thread[0].direction == "in" ? &d->thread[0] : &d->thread[1];
  EXPECT_EQ(in->subject, "Contestation d'un indu");
  EXPECT_EQ(in->from_name, "Jeanne Dupré");
  ASSERT_EQ(in->attachments.size(), 1u);
  EXPECT_EQ(in->attachments[0].file_name, "avis.pdf");
  EXPECT_NE(in->eml_document_id, 0);

  // The same bytes again: ignored, to be moved to the archive.
  auto again = intake.TakeIn("631", raw, "imap");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->outcome, "ignored");
  EXPECT_EQ(again->reason, "intake.duplicate");
  EXPECT_EQ(again->reference, o->reference);
  EXPECT_EQ(again->folder, "archive");
  // The same Message-ID with other bytes (a broken sender): another message.
  auto other = intake.TakeIn("631", raw + "P.S.\r\n", "imap");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->outcome, "case");
  EXPECT_NE(other->reference, o->reference);
}

TEST_P(MailIntakeTest, RepliesJoinTheirCaseAndBouncesMarkTheMessageFailed) {
  MailIntake intake = Intake();
  auto first = intake.TakeIn(
      "631", Msg("From: jeanne@example.org\r\nSubject: Ma demande\r\nMessage-ID: <a@x>\r\n", "Texte"),
      "imap");
  ASSERT_TRUE(first);
  auto out = store_->CaseOutbox(Actor::System(), first->reference);
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 1u);
  const std::string ack_id = (*out)[0].message_id;

  // A reply to the acknowledgement.
  auto reply = intake.TakeIn("631",
                             Msg("From: jeanne@example.org\r\nSubject: Re: enregistrée\r\n"
                                 "Message-ID: <b@x>\r\nIn-Reply-To: " +
                                     ack_id + "\r\n",
                                 "Voici mon avis"),
                             "imap");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->outcome, "thread");
  EXPECT_EQ(reply->reference, first->reference);
  EXPECT_EQ(reply->reason, "intake.reply_to_sent");

  // A reply to that reply (References only): the same thread.
  auto third = intake.TakeIn("631",
                             Msg("From: jeanne@example.org\r\nSubject: encore\r\n"
                                 "Message-ID: <c@x>\r\nReferences: <zz@y> <b@x>\r\n",
                                 "suite"),
                             "imap");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->outcome, "thread");
  EXPECT_EQ(third->reference, first->reference);

  // A bounce of the acknowledgement, which the relay had accepted (a bounce
  // comes after): a thread entry, and the message failed.
  ASSERT_TRUE(store_->MarkOutboxSent((*out)[0].id, "2026-12-01T10:00:00Z"));
  std::string bounce =
      "From: MAILER-DAEMON@mx.example\r\nTo: mediation@caf.example\r\n"
      "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn1@mx>\r\n"
      "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n"
      "--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
      "--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
      "Final-Recipient: rfc822; jeanne@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
      "Diagnostic-Code: smtp; 550 5.1.1 <jeanne@example.org>: user unknown\r\n"
      "--r\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: " +
      ack_id + "\r\nSubject: x\r\n--r--\r\n";
  auto b = intake.TakeIn("631", bounce, "imap");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->outcome, "thread");
  EXPECT_EQ(b->reference, first->reference);
  out = store_->CaseOutbox(Actor::System(), first->reference);
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)[0].state, "failed");
  EXPECT_NE((*out)[0].last_error.find("5.1.1"), std::string::npos);
  // No acknowledgement was queued for the replies nor the bounce.
  EXPECT_EQ(out->size(), 1u);
}

TEST_P(MailIntakeTest, AReferenceNamedJoinsTheCaseAClosedCaseIsFlaggedNotReopened) {
  MailIntake intake = Intake();
  auto first = intake.TakeIn(
      "631", Msg("From: a@example.org\r\nSubject: Demande\r\nMessage-ID: <r1@x>\r\n", "Texte"),
      "imap");
  ASSERT_TRUE(first);
  auto named = intake.TakeIn("631",
                             Msg("From: b@example.org\r\nSubject: Dossier " + first->reference +
                                     "\r\nMessage-ID: <r2@x>\r\n",
                                 "Complément"),
                             "imap");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->outcome, "thread");
  EXPECT_EQ(named->reference, first->reference);
  EXPECT_EQ(named->reason, "intake.reference_named");
  // In the body, for another fund: not this fund's case, so a new case there.
  auto elsewhere = intake.TakeIn(
      "031",
      Msg("From: b@example.org\r\nSubject: Suite\r\nMessage-ID: <r3@x>\r\n",
          "Voir le dossier " + first->reference + "."),
      "imap");
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->outcome, "case");
  EXPECT_TRUE(elsewhere->reference.starts_with("031-"));

  // Close the case by the store, then write to it: it stays closed, flagged.
  auto c = store_->GetCase(Actor::System(), first->reference);
  ASSERT_TRUE(c);
  Case closed = *c;
  closed.state = CaseState::kClosed;
  CaseEvent ev;
  ev.at = "2026-12-02T09:00:00Z";
  ev.actor = "test";
  ev.kind = "close";
  ASSERT_TRUE(store_->UpdateCase(Actor::System(), closed, ev));
  auto late = intake.TakeIn("631",
                            Msg("From: a@example.org\r\nSubject: Re " + first->reference +
                                    "\r\nMessage-ID: <r4@x>\r\n",
                                "Merci"),
                            "imap");
  ASSERT_TRUE(late);
  EXPECT_EQ(late->outcome, "thread");
  auto after = store_->GetCase(Actor::System(), first->reference);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->state, CaseState::kClosed);
  auto flagged = intake.Flagged(Caller::System("test"), 0);
  ASSERT_TRUE(flagged);
  ASSERT_EQ(flagged->size(), 1u);
  EXPECT_EQ((*flagged)[0].case_reference, first->reference);
  ASSERT_TRUE(intake.MarkSeen(Caller::System("test"), (*flagged)[0].id));
  EXPECT_TRUE(intake.Flagged(Caller::System("test"), 0)->empty());
}

TEST_P(MailIntakeTest, QuarantineHoldsWhatCannotBePlacedUntilRetriedTurnedIntoACaseOrDiscarded) {
  MailIntake intake = Intake();
  auto ooo = intake.TakeIn("631",
                           Msg("From: x@example.org\r\nSubject: Absence du bureau\r\n"
                               "Auto-Submitted: auto-replied\r\nMessage-ID: <o1@x>\r\n",
                               "Je suis absente."),
                           "imap");
  ASSERT_TRUE(ooo);
  EXPECT_EQ(ooo->outcome, "quarantine");
  EXPECT_EQ(ooo->reason, "intake.automatic_unattached");
  EXPECT_EQ(ooo->folder, "quarantine");
  auto empty = intake.TakeIn("631", "", "imap");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->outcome, "quarantine");
  EXPECT_EQ(empty->reason, "intake.unreadable");
  // The same empty message again is recognised (and stays in quarantine).
  auto empty2 = intake.TakeIn("631", "", "imap");
  ASSERT_TRUE(empty2);
  EXPECT_EQ(empty2->outcome, "ignored");
  EXPECT_EQ(empty2->folder, "quarantine");

  const Caller who = Caller::System("test");
  auto q = intake.Quarantine(who, 0);
  ASSERT_TRUE(q);
  ASSERT_EQ(q->size(), 2u);
  // Retrying the auto-reply: still unattached.
  auto r = intake.Retry(who, ooo->row_id);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->outcome, "quarantine");
  // A case by hand; then it leaves the quarantine.
  auto c = intake.CreateCase(who, ooo->row_id);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->outcome, "case");
  EXPECT_FALSE(c->reference.empty());
  auto out = store_->CaseOutbox(Actor::System(), c->reference);
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->empty());  // no acknowledgement to an automatic message
  EXPECT_FALSE(intake.CreateCase(who, ooo->row_id));  // not twice
  // Discarding needs a reason.
  auto d = intake.Discard(who, empty->row_id, " ");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().message_id, "intake.discard_reason");
  ASSERT_TRUE(intake.Discard(who, empty->row_id, "Message vide"));
  EXPECT_TRUE(intake.Quarantine(who, 0)->empty());
  // A statistics reader may not see the quarantine.
  User u;
  u.name = "stat";
  u.role = Role::kStatisticsReader;
  EXPECT_FALSE(intake.Quarantine(Caller::OfUser(u), 0));
}

TEST_P(MailIntakeTest, TheEmitterIsGuessedFromTheSendersAddress) {
  MailIntake intake = Intake([](std::string_view org, std::string_view address) {
    return address.ends_with("@defenseurdesdroits.fr") && org == "631"
               ? std::optional<std::string>("defenseur_droits")
               : std::nullopt;
  });
  auto o = intake.TakeIn("631",
                         Msg("From: Délégué <delegue@defenseurdesdroits.fr>\r\n"
                             "Subject: Saisine\r\nMessage-ID: <d1@x>\r\n",
                             "Texte"),
                         "imap");
  ASSERT_TRUE(o);
  auto d = CaseService(*store_, clock_).Get(Caller::System("t"), o->reference);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->c.emitter, "defenseur_droits");
  ASSERT_EQ(d->people.size(), 1u);
  EXPECT_EQ(d->people[0].role, PersonRole::kEmitter);
}

TEST_P(MailIntakeTest, ABatchSharesOneTransactionAndFallsBackOneByOne) {
  MailIntake intake = Intake();
  std::vector<std::string> raws;
  for (int i = 0; i < 5; ++i) {
    raws.push_back(Msg("From: p" + std::to_string(i) + "@example.org\r\nSubject: S" +
                           std::to_string(i) + "\r\nMessage-ID: <batch" + std::to_string(i) +
                           "@x>\r\n",
                       "Texte"));
  }
  raws.push_back(raws[0]);  // a duplicate inside the batch
  auto out = TakeInBatch(*store_, intake, "631", raws, "imap");
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->size(), 6u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ((*out)[i].outcome, "case");
  EXPECT_EQ((*out)[5].outcome, "ignored");
}

TEST_P(MailIntakeTest, TheServicesAnswerByMailAnswersTheInternalRequest) {
  MailIntake intake = Intake();
  auto first = intake.TakeIn(
      "631", Msg("From: a@example.org\r\nSubject: Demande\r\nMessage-ID: <ir1@x>\r\n", "Texte"),
      "imap");
  ASSERT_TRUE(first);
  const Caller sys = Caller::System("test");
  InternalRequestService irs(*store_, clock_);
  ASSERT_TRUE(irs.SaveService(sys, {"631", "prestations", "Service prestations",
                                    "prestations@caf.example", true}));
  auto asked = irs.Ask(sys, first->reference, "prestations", "Quel est le montant de l'indu ?");
  ASSERT_TRUE(asked) << asked.error().message;
  auto out = store_->CaseOutbox(Actor::System(), first->reference);
  ASSERT_TRUE(out);
  std::string ask_id;
  for (const OutboxMessage& m : *out) {
    if (m.kind == "internal_request") ask_id = m.message_id;
  }
  ASSERT_FALSE(ask_id.empty());
  auto answer = intake.TakeIn("631",
                              Msg("From: prestations@caf.example\r\nSubject: Re: demande\r\n"
                                  "Message-ID: <ir2@x>\r\nIn-Reply-To: " + ask_id + "\r\n",
                                  "L'indu est de 312 €."),
                              "imap");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->outcome, "thread");
  EXPECT_EQ(answer->reason, "intake.internal_answer");
  auto list = irs.List(sys, first->reference);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  ASSERT_TRUE((*list)[0].request.answered_on.has_value());
  EXPECT_EQ((*list)[0].request.answer_message, "<ir2@x>");
  auto d = CaseService(*store_, clock_).Get(sys, first->reference);
  ASSERT_TRUE(d);
  int internal = 0;
  for (const ThreadEntry& e : d->thread) internal += e.kind == "internal_request";
  EXPECT_EQ(internal, 2);  // the question out, the answer in
}

TEST(FindCaseReferencesTest, FindsReferencesNotPartsOfLongerNumbers) {
  EXPECT_EQ(FindCaseReferences("Re: dossier 631-2025-00012, suite"),
            std::vector<std::string>{"631-2025-00012"});
  EXPECT_EQ(FindCaseReferences("x 1631-2025-00012 et 631-2025-000123"), std::vector<std::string>{});
  EXPECT_EQ(FindCaseReferences("(974-2026-00001)/631-2025-00002"),
            (std::vector<std::string>{"974-2026-00001", "631-2025-00002"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, MailIntakeTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace amiable::service
