#include "mail/parse.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "mail/charset.h"

namespace amiable::mail {
namespace {

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Fixture(const std::string& name) {
  return ReadFile(std::filesystem::path(AMIABLE_SOURCE_DIR) / "tests/fixtures/mail" / name);
}

ReceivedMessage Parse(const std::string& raw) {
  auto r = ParseMessage(raw);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : ReceivedMessage{};
}

bool IsValidUtf8(const std::string& s) {
  return ValidUtf8(s) == s && s.find('\0') == std::string::npos;
}

void ExpectAllTextValid(const ReceivedMessage& m) {
  EXPECT_TRUE(IsValidUtf8(m.subject));
  EXPECT_TRUE(IsValidUtf8(m.from.name));
  EXPECT_TRUE(IsValidUtf8(m.from.address));
  EXPECT_TRUE(IsValidUtf8(m.body_text));
  EXPECT_TRUE(IsValidUtf8(m.message_id));
  EXPECT_TRUE(IsValidUtf8(m.diagnostic));
  EXPECT_EQ(m.body_text.find('\r'), std::string::npos);
  for (const auto& a : m.attachments) {
    EXPECT_FALSE(a.name.empty());
    EXPECT_TRUE(IsValidUtf8(a.name)) << a.name;
    EXPECT_EQ(a.name.find('/'), std::string::npos) << a.name;
    EXPECT_FALSE(a.extension.empty());
    EXPECT_FALSE(a.content_type.empty());
    EXPECT_FALSE(a.declared_type.empty());
  }
}

Instant Utc(int y, int mo, int d, int h, int mi, int s) {
  using namespace std::chrono;
  return Instant(sys_days(year(y) / month(mo) / day(d)).time_since_epoch() + hours(h) +
                 minutes(mi) + seconds(s));
}

// --- Hand-written fixtures (tests/fixtures/mail/) ---------------------------

TEST(ParseMessageTest, Latin1QuotedPrintableBodyAndFoldedQSubject) {
  const ReceivedMessage m = Parse(Fixture("latin1-qp.eml"));
  EXPECT_EQ(m.message_id, "<latin1-1@example.fr>");
  EXPECT_EQ(m.subject, "Réclamation concernant mon dossier d'allocation logement");
  EXPECT_EQ(m.from.name, "Hélène Dupré");
  EXPECT_EQ(m.from.address, "helene.dupre@example.fr");
  ASSERT_TRUE(m.date.has_value());
  EXPECT_EQ(*m.date, Utc(2026, 12, 1, 8, 30, 0));
  // Trailing spaces of a line go ("À bientôt,   "), CRLF becomes LF.
  EXPECT_EQ(m.body_text,
            "Bonjour,\n\nJe conteste la décision de la caisse concernant mon allocation.\nÀ "
            "bientôt,\nHélène Dupré");
  EXPECT_TRUE(m.attachments.empty());
  EXPECT_EQ(m.automatic, Automatic::kNo);
  EXPECT_TRUE(m.refers_to.empty());
}

TEST(ParseMessageTest, Windows1252BodyBSubjectSplitInsideACharacterAndReferences) {
  const ReceivedMessage m = Parse(Fixture("cp1252-8bit.eml"));
  // Angle brackets added to a bare Message-ID.
  EXPECT_EQ(m.message_id, "<cp1252-2@example.fr>");
  EXPECT_EQ(m.subject, "Demande de médiation – dossier n° 42 ; œuvre sociale");
  EXPECT_EQ(m.from.name, "Dupont, Jean");
  EXPECT_EQ(m.from.address, "jean.dupont@example.fr");
  EXPECT_EQ(m.body_text, "J’ai reçu un indu de 120 € ; l’œuvre sociale m’a renvoyé vers vous.\nÿ");
  // In-Reply-To first, then References, without the duplicate.
  EXPECT_EQ(m.refers_to, (std::vector<std::string>{"<outbox-7.xyz@amiable.example>",
                                                   "<first@example.fr>", "<other@example.fr>"}));
  ASSERT_TRUE(m.date.has_value());
  EXPECT_EQ(*m.date, Utc(2026, 12, 2, 8, 0, 0));
}

// Python's msg_35.txt: the blank line after the headers is missing; the
// first line that is not a field starts the body (not dropped).
TEST(ParseMessageTest, MissingBlankLineAfterHeadersStartsTheBody) {
  ReceivedMessage m = Parse(
      "From: aperson@dom.ain\nTo: bperson@dom.ain\nSubject: here's something\n"
      " interesting\ncounter to RFC 2822, there's no separating newline here\n");
  EXPECT_EQ(m.subject, "here's something interesting");
  EXPECT_EQ(m.body_text, "counter to RFC 2822, there's no separating newline here");
  ReceivedMessage crlf = Parse(
      "From x@y Tue Sep 11 00:05:05 2001\r\nFrom: a@b.example\r\nSubject : spaced\r\n"
      "Bonjour\r\nsuite\r\n");
  EXPECT_EQ(crlf.from.address, "a@b.example");
  EXPECT_EQ(crlf.subject, "spaced");
  EXPECT_EQ(crlf.body_text, "Bonjour\nsuite");
}

TEST(ParseMessageTest, Rfc2231NameWithContinuationsAndPathRemoved) {
  const ReceivedMessage m = Parse(Fixture("rfc2231-name.eml"));
  EXPECT_EQ(m.subject, "Pièces justificatives");  // raw UTF-8 in a header is read as such
  EXPECT_EQ(m.body_text, "Voici mon avis d'imposition.");
  ASSERT_EQ(m.attachments.size(), 1u);
  const ReceivedAttachment& a = m.attachments[0];
  EXPECT_EQ(a.name, "avis d'imposition 2025 — résumé.pdf");
  EXPECT_EQ(a.declared_type, "application/pdf");
  EXPECT_EQ(a.content_type, "application/pdf");
  EXPECT_EQ(a.extension, "pdf");
  EXPECT_TRUE(a.bytes.starts_with("%PDF-1.4\n"));
  EXPECT_TRUE(a.bytes.ends_with("%%EOF\n"));
}

TEST(ParseMessageTest, PdfDeclaredOctetStreamIsSniffedAndNamed) {
  const ReceivedMessage m = Parse(Fixture("pdf-octet-stream.eml"));
  EXPECT_EQ(m.message_id, "");
  EXPECT_EQ(m.body_text, "");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].name, "piece-jointe-1.pdf");
  EXPECT_EQ(m.attachments[0].declared_type, "application/octet-stream");
  EXPECT_EQ(m.attachments[0].content_type, "application/pdf");
  EXPECT_EQ(m.attachments[0].extension, "pdf");
  // The name stays as sent (path removed); the type is what the bytes are.
  EXPECT_EQ(m.attachments[1].name, "photo.pdf");
  EXPECT_EQ(m.attachments[1].content_type, "image/png");
  EXPECT_EQ(m.attachments[1].extension, "png");
}

TEST(ParseMessageTest, HtmlOnlyBodyTurnedIntoText) {
  const ReceivedMessage m = Parse(Fixture("html-only.eml"));
  EXPECT_EQ(m.subject, "Réclamation");
  EXPECT_EQ(m.from.name, "François Léger");
  EXPECT_EQ(m.body_text,
            "Bonjour Madame,\n\nMa demande porte sur l’indu de 450 €.\nMerci.\n\n- premier point\n"
            "- second & dernier\n\nVoir mon dossier (https://www.example.net/dossier) et "
            "https://www.example.net.\n\nFrançois");
  EXPECT_TRUE(m.attachments.empty());
}

TEST(ParseMessageTest, AlternativeKeepsThePlainTextAndTheInlineImageOnly) {
  const ReceivedMessage m = Parse(Fixture("alternative.eml"));
  EXPECT_EQ(m.refers_to, std::vector<std::string>{"<outbox-3.def@amiable.example>"});
  // format=flowed: the soft break is joined; the signature separator kept.
  EXPECT_EQ(m.body_text,
            "Merci pour votre réponse, je vous envoie les documents demain.\n\n--\nPaul");
  ASSERT_EQ(m.attachments.size(), 1u);  // the HTML twin is not an attachment
  EXPECT_EQ(m.attachments[0].name, "piece-jointe-1.gif");
  EXPECT_EQ(m.attachments[0].content_type, "image/gif");
  EXPECT_TRUE(m.attachments[0].bytes.starts_with("GIF89a"));
}

TEST(ParseMessageTest, InvitationKeepsItsCalendarAlternative) {
  const ReceivedMessage m = Parse(
      "From: a@example.fr\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n--a\r\n"
      "Content-Type: text/plain\r\n\r\nRendez-vous lundi.\r\n--a\r\nContent-Type: text/html\r\n\r\n"
      "<p>Rendez-vous lundi.</p>\r\n--a\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\n"
      "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n--a--\r\n");
  EXPECT_EQ(m.body_text, "Rendez-vous lundi.");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].name, "piece-jointe-1.ics");
  EXPECT_EQ(m.attachments[0].content_type, "text/calendar");
}

TEST(ParseMessageTest, ForwardedMessageIsOneEmlAttachment) {
  const ReceivedMessage m = Parse(Fixture("forwarded.eml"));
  EXPECT_EQ(m.body_text, "Je vous transmets ce message.");
  ASSERT_EQ(m.attachments.size(), 1u);
  const ReceivedAttachment& a = m.attachments[0];
  EXPECT_EQ(a.name, "Problème de versement.eml");
  EXPECT_EQ(a.declared_type, "message/rfc822");
  EXPECT_EQ(a.content_type, "message/rfc822");
  EXPECT_EQ(a.extension, "eml");
  EXPECT_NE(a.bytes.find("Message-ID: <orig-77@example.fr>"), std::string::npos);
  EXPECT_NE(a.bytes.find("Mon versement n'est pas arrive."), std::string::npos);
  // The forwarded message is not read as the body or as more attachments.
  EXPECT_EQ(m.body_text.find("versement"), std::string::npos);
  // Its raw text reads back as the same message.
  const ReceivedMessage inner = Parse(a.bytes);
  EXPECT_EQ(inner.message_id, "<orig-77@example.fr>");
  EXPECT_EQ(inner.subject, "Problème de versement");
}

TEST(ParseMessageTest, OpensmtpdBounceNamesTheOriginalMessage) {
  const ReceivedMessage m = Parse(Fixture("bounce-opensmtpd.eml"));
  EXPECT_EQ(m.automatic, Automatic::kDeliveryReport);
  EXPECT_EQ(m.from.address, "MAILER-DAEMON@mail.caf.example");
  EXPECT_EQ(m.reported_message_ids, std::vector<std::string>{"<outbox-12.abc@host>"});
  EXPECT_TRUE(m.delivery_failed);
  // No Diagnostic-Code: the line of the notification that carries the reply.
  EXPECT_EQ(m.diagnostic,
            "nobody@example.invalid: 550 5.1.1 <nobody@example.invalid>: Recipient address "
            "rejected: User unknown");
  EXPECT_TRUE(m.body_text.starts_with("Hi!\n\nThis is the MAILER-DAEMON"));
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].declared_type, "message/delivery-status");
  EXPECT_EQ(m.attachments[0].name, "piece-jointe-1.txt");
  EXPECT_EQ(m.attachments[1].declared_type, "text/rfc822-headers");
  EXPECT_EQ(m.attachments[1].content_type, "text/plain");
}

TEST(ParseMessageTest, OpensmtpdBounceAsOpensmtpd7WritesIt) {
  // multipart/mixed (not report), a boundary padded with spaces, and the
  // whole original message in the text/rfc822-headers part: only its header
  // block names the original.
  const ReceivedMessage m = Parse(Fixture("bounce-opensmtpd-mixed.eml"));
  EXPECT_EQ(m.automatic, Automatic::kDeliveryReport);
  EXPECT_EQ(m.subject, "Delivery status notification: failed");
  EXPECT_EQ(m.reported_message_ids, std::vector<std::string>{"<outbox-19.k2j3@amiable.example>"});
  EXPECT_TRUE(m.delivery_failed);
  EXPECT_EQ(m.diagnostic,
            "absent@example.invalid: 550 5.1.1 <absent@example.invalid>: Recipient address "
            "rejected: User unknown");
  EXPECT_TRUE(m.body_text.starts_with("    Hi!\n\n    This is the MAILER-DAEMON")) << m.body_text;
  ASSERT_EQ(m.attachments.size(), 2u);

  // The same report for a delivered message ("delivered" notification).
  std::string raw = Fixture("bounce-opensmtpd-mixed.eml");
  for (auto [from, to] :
       {std::pair<std::string, std::string>{"Action: failed", "Action: delivered"},
        {"Status: 5.1.1", "Status: 2.0.0"},
        {"550 5.1.1 <absent@example.invalid>: Recipient address rejected: User unknown",
         "250 Ok"}}) {
    for (size_t at; (at = raw.find(from)) != std::string::npos;) raw.replace(at, from.size(), to);
  }
  const ReceivedMessage ok = Parse(raw);
  EXPECT_EQ(ok.automatic, Automatic::kDeliveryReport);
  EXPECT_FALSE(ok.delivery_failed);
  EXPECT_EQ(ok.reported_message_ids, std::vector<std::string>{"<outbox-19.k2j3@amiable.example>"});
}

TEST(ParseMessageTest, PostfixBounceCarriesTheDiagnosticOnOneLine) {
  const ReceivedMessage m = Parse(Fixture("bounce-postfix.eml"));
  EXPECT_EQ(m.automatic, Automatic::kDeliveryReport);
  EXPECT_EQ(m.from.name, "Mail Delivery System");
  EXPECT_EQ(m.from.address, "MAILER-DAEMON@mx.caf.example");
  EXPECT_EQ(m.reported_message_ids, std::vector<std::string>{"<outbox-15.ghi@amiable.example>"});
  EXPECT_TRUE(m.delivery_failed);
  EXPECT_EQ(m.diagnostic,
            "550 5.1.1 <x@example.fr>: Recipient address rejected: User unknown in local recipient "
            "table");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[1].name, "[Ref. 631-2026-00015] Réponse.eml");
  EXPECT_EQ(m.attachments[1].content_type, "message/rfc822");
}

TEST(ParseMessageTest, DelayedDeliveryIsAReportButNotAFailure) {
  std::string raw = Fixture("bounce-postfix.eml");
  for (auto [from, to] :
       {std::pair<std::string, std::string>{"Action: failed", "Action: delayed"},
        {"Status: 5.1.1", "Status: 4.4.1"},
        {"550 5.1.1 <x@example.fr>: Recipient address rejected:", "451 4.4.1 try again later:"}}) {
    for (size_t at; (at = raw.find(from)) != std::string::npos;) raw.replace(at, from.size(), to);
  }
  const ReceivedMessage m = Parse(raw);
  EXPECT_EQ(m.automatic, Automatic::kDeliveryReport);
  EXPECT_FALSE(m.delivery_failed);
  EXPECT_TRUE(m.diagnostic.starts_with("451 4.4.1 try again later:")) << m.diagnostic;
}

TEST(ParseMessageTest, PlainTextBounceFromMailerDaemon) {
  const ReceivedMessage m = Parse(
      "From: Mail Delivery Subsystem <mailer-daemon@example.org>\r\nSubject: Delivery Status "
      "Notification "
      "(Failure)\r\nIn-Reply-To: <outbox-21.q@amiable.example>\r\n\r\nDelivery to the following "
      "recipient "
      "failed permanently:\r\n\r\n     z@example.com\r\n\r\nThe error that the other server "
      "returned was:\r\n"
      "550 5.1.1 The email account that you tried to reach does not exist.\r\n\r\n----- Original "
      "message "
      "-----\r\n\r\nMessage-ID: <outbox-20.p@amiable.example>\r\nSubject: x\r\n");
  EXPECT_EQ(m.automatic, Automatic::kDeliveryReport);
  EXPECT_TRUE(m.delivery_failed);
  EXPECT_EQ(m.diagnostic, "550 5.1.1 The email account that you tried to reach does not exist.");
  EXPECT_EQ(m.reported_message_ids, (std::vector<std::string>{"<outbox-20.p@amiable.example>",
                                                              "<outbox-21.q@amiable.example>"}));
}

TEST(ParseMessageTest, OutOfOfficeIsAnAutoReply) {
  const ReceivedMessage m = Parse(Fixture("out-of-office.eml"));
  EXPECT_EQ(m.automatic, Automatic::kAutoReply);
  EXPECT_EQ(m.subject, "Réponse automatique\u00a0: [631-2026-00003] Votre demande");
  EXPECT_EQ(m.refers_to, std::vector<std::string>{"<outbox-3.def@amiable.example>"});
  EXPECT_EQ(m.body_text, "Je suis absente jusqu'au 4 janvier.");
  EXPECT_TRUE(m.reported_message_ids.empty());
  EXPECT_FALSE(m.delivery_failed);
}

TEST(ParseMessageTest, AutomaticByHeadersAndSubjects) {
  const auto automatic = [](const std::string& headers) {
    return Parse("From: a@example.fr\r\n" + headers + "\r\n\r\nx\r\n").automatic;
  };
  EXPECT_EQ(automatic("Subject: bonjour"), Automatic::kNo);
  EXPECT_EQ(automatic("Auto-Submitted: no"), Automatic::kNo);
  EXPECT_EQ(automatic("Auto-Submitted: auto-generated"), Automatic::kAutoReply);
  EXPECT_EQ(automatic("Precedence: bulk"), Automatic::kAutoReply);
  EXPECT_EQ(automatic("Precedence: junk"), Automatic::kAutoReply);
  EXPECT_EQ(automatic("Precedence: list"), Automatic::kAutoReply);
  EXPECT_EQ(automatic("Precedence: auto_reply"), Automatic::kAutoReply);
  EXPECT_EQ(automatic("X-Autoreply: yes"), Automatic::kAutoReply);
  EXPECT_EQ(automatic("X-Autorespond: yes"), Automatic::kAutoReply);
  EXPECT_EQ(automatic("Subject: Auto-Reply: vacances"), Automatic::kAutoReply);
  EXPECT_EQ(automatic("Subject: Automatic reply: RE: dossier"), Automatic::kAutoReply);
  EXPECT_EQ(automatic("Subject: Out of Office"), Automatic::kAutoReply);
  EXPECT_EQ(automatic("Subject: Absence"), Automatic::kAutoReply);
  EXPECT_EQ(automatic("Subject: Absence : retour le 4"), Automatic::kAutoReply);
  // A person writes this one.
  EXPECT_EQ(automatic("Subject: Absence de réponse de la caisse"), Automatic::kNo);
  EXPECT_EQ(automatic("X-Loop: amiable\r\nAuto-Submitted: auto-generated"), Automatic::kLoop);
  EXPECT_EQ(automatic("X-Loop: other-list@example.org"), Automatic::kNo);
}

TEST(ParseMessageTest, OwnMessageIsALoop) {
  const ReceivedMessage m = Parse(Fixture("loop.eml"));
  EXPECT_EQ(m.automatic, Automatic::kLoop);
  EXPECT_EQ(m.message_id, "<outbox-1.aaa@amiable.example>");
  EXPECT_FALSE(m.date.has_value());
}

TEST(ParseMessageTest, WithoutFromTheReplyToIsTheSender) {
  const ReceivedMessage m = Parse(Fixture("no-from.eml"));
  EXPECT_EQ(m.from.name, "Renée");
  EXPECT_EQ(m.from.address, "renee@example.fr");
  EXPECT_EQ(m.body_text, "Un message sans champ From.");
  ASSERT_TRUE(m.date.has_value());  // no day name, no seconds
  EXPECT_EQ(*m.date, Utc(2026, 12, 9, 9, 0, 0));
  // Sender, then Reply-To, then Return-Path.
  EXPECT_EQ(Parse("Sender: s@example.fr\r\nReply-To: r@example.fr\r\n\r\nx").from.address,
            "s@example.fr");
  EXPECT_EQ(Parse("Return-Path: <p@example.fr>\r\n\r\nx").from.address, "p@example.fr");
}

TEST(ParseMessageTest, NoAddressAtAllIsUnreadable) {
  auto r = ParseMessage("To: mediation@caf.example\r\nSubject: qui ?\r\n\r\ncorps\r\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Error::Code::kInvalid);
  EXPECT_EQ(r.error().message_id, "mail.unreadable");
  EXPECT_EQ(r.error().message, "Message illisible : aucune adresse d'expéditeur.");
}

TEST(ParseMessageTest, MessageWithoutBody) {
  const ReceivedMessage m = Parse(Fixture("no-body.eml"));
  EXPECT_EQ(m.subject, "(rien)");
  EXPECT_EQ(m.from.address, "silence@example.fr");
  EXPECT_EQ(m.message_id, "<no-body-11@example.fr>");
  EXPECT_EQ(m.body_text, "");
  EXPECT_TRUE(m.attachments.empty());
}

TEST(ParseMessageTest, EmptyAndGarbageAreUnreadableWithAReason) {
  for (const auto& [raw, reason] : std::vector<std::pair<std::string, std::string>>{
           {Fixture("empty.eml"), "message vide"},
           {" \r\n\r\n\t", "message vide"},
           {Fixture("garbage.bin"), "aucun en-tête"},
           {"juste une phrase sans en-tête\n", "aucun en-tête"}}) {
    auto r = ParseMessage(raw);
    ASSERT_FALSE(r.has_value()) << reason;
    EXPECT_EQ(r.error().code, Error::Code::kInvalid);
    EXPECT_EQ(r.error().message_id, "mail.unreadable");
    EXPECT_EQ(r.error().message, "Message illisible : " + reason + ".");
  }
}

TEST(ParseMessageTest, BrokenInputNeverGivesInvalidUtf8) {
  // Bare LF, a NUL, bytes invalid in UTF-8 in headers and body, a declared
  // charset that does not exist, an encoded-word in an unknown charset.
  constexpr char kRaw[] =
      "From: =?x-unknown?q?J=E9r=F4me?= <j\xe9r@example.fr>\n"
      "Subject: caf\xe9 =?utf-8?b?w6k?= \xff\xfe\n"
      "Content-Type: text/plain; charset=no-such-charset\n\n"
      "ligne \xe9t\xe9\x00 fin\r\rsuite\n";
  const std::string raw(kRaw, sizeof kRaw - 1);
  const ReceivedMessage m = Parse(raw);
  ExpectAllTextValid(m);
  EXPECT_TRUE(m.subject.starts_with("café")) << m.subject;
  EXPECT_EQ(m.body_text, "ligne été fin\n\nsuite");
}

TEST(ParseMessageTest, DeepNestingAndHugeInputsStayBounded) {
  std::string deep = "From: a@example.fr\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n";
  for (int i = 0; i < 300; ++i) {
    deep += "--b" + std::to_string(i) + "\r\nContent-Type: multipart/mixed; boundary=b" +
            std::to_string(i + 1) + "\r\n\r\n";
  }
  deep += "--b300\r\nContent-Type: text/plain\r\n\r\nau fond\r\n";
  ExpectAllTextValid(Parse(deep));

  std::string big = "From: a@example.fr\r\nSubject: " + std::string(100000, 'x') +
                    "\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n";
  for (int i = 0; i < 2000; ++i)
    big += "--z\r\nContent-Type: application/octet-stream\r\n\r\nAAAA\r\n";
  big += "--z--\r\n";
  const auto start = std::chrono::steady_clock::now();
  const ReceivedMessage m = Parse(big);
  EXPECT_EQ(m.attachments.size(), 2000u);
  EXPECT_EQ(m.attachments.back().name, "piece-jointe-2000.bin");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ParseMessageTest, ThreadsParseAtOnce) {
  // The mail poller and the registration page may read at the same time.
  const std::string raw = Fixture("bounce-postfix.eml");
  std::vector<std::thread> threads;
  std::atomic<int> good = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto r = ParseMessage(raw);
        if (r && r->reported_message_ids.size() == 1 && r->delivery_failed) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 200);
}

// --- Python's email test suite ----------------------------------------------

constexpr const char* kPythonData = "/usr/lib/python3.11/test/test_email/data";

std::string PythonMessage(const std::string& name) {
  return ReadFile(std::filesystem::path(kPythonData) / name);
}

TEST(ParsePythonCorpusTest, All47MessagesParseWithoutCrash) {
  if (!std::filesystem::is_directory(kPythonData)) GTEST_SKIP() << kPythonData << " is missing";
  int files = 0, parsed = 0;
  for (const auto& e : std::filesystem::directory_iterator(kPythonData)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with("msg_") || !name.ends_with(".txt")) continue;
    ++files;
    auto r = ParseMessage(ReadFile(e.path()));
    if (r) {
      ++parsed;
      ExpectAllTextValid(*r);
    } else {
      EXPECT_EQ(r.error().message_id, "mail.unreadable") << name;
    }
  }
  EXPECT_EQ(files, 47);
  // The unreadable ones have no header or no sender address at all
  // (msg_11, 18, 19, 37, 38, 39, 40).
  EXPECT_EQ(parsed, 40);
}

TEST(ParsePythonCorpusTest, SimpleMessages) {
  if (!std::filesystem::is_directory(kPythonData)) GTEST_SKIP();
  const ReceivedMessage m = Parse(PythonMessage("msg_01.txt"));
  EXPECT_EQ(m.message_id, "<15090.61304.110929.45684@aaa.zzz.org>");
  EXPECT_EQ(m.subject, "This is a test message");
  EXPECT_EQ(m.from.name, "John X. Doe");
  EXPECT_EQ(m.from.address, "bbb@ddd.com");
  EXPECT_EQ(m.body_text, "Hi,\n\nDo you like this message?\n\n-Me");
  // "Content-Type: text" (no subtype) is still the text body.
  EXPECT_TRUE(
      Parse(PythonMessage("msg_14.txt")).body_text.starts_with("Hi,\n\nI'm sorry but I'm using"));
  // The long subject of msg_27, unfolded.
  EXPECT_TRUE(Parse(PythonMessage("msg_27.txt")).subject.ends_with("123456789 more text"));
}

TEST(ParsePythonCorpusTest, AttachmentsAreNamedAndSniffed) {
  if (!std::filesystem::is_directory(kPythonData)) GTEST_SKIP();
  ReceivedMessage m = Parse(PythonMessage("msg_07.txt"));
  EXPECT_EQ(m.subject, "Here is your dingus fish");
  EXPECT_EQ(m.from.name, "Barry");
  EXPECT_EQ(m.from.address, "barry@digicool.com");
  EXPECT_TRUE(m.body_text.starts_with("Hi there,\n\nThis is the dingus fish.")) << m.body_text;
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].name, "dingusfish.gif");
  EXPECT_EQ(m.attachments[0].content_type, "image/gif");
  EXPECT_TRUE(m.attachments[0].bytes.starts_with("GIF8"));
  EXPECT_EQ(m.attachments[0].bytes.size(), 3512u);

  m = Parse(PythonMessage("msg_22.txt"));
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].name, "wibble.JPG");
  EXPECT_EQ(m.attachments[1].name, "wibble2.JPG");
  EXPECT_EQ(m.attachments[1].content_type, "image/jpeg");
  EXPECT_EQ(m.attachments[1].extension, "jpg");

  // Declared application/riscos, the bytes are a BMP.
  m = Parse(PythonMessage("msg_26.txt"));
  EXPECT_EQ(m.body_text, "Simple email with attachment.");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].name, "clock.bmp");
  EXPECT_EQ(m.attachments[0].declared_type, "application/riscos");
  EXPECT_EQ(m.attachments[0].content_type, "image/bmp");

  // multipart/signed: the signed text is the body, the signature a file.
  m = Parse(PythonMessage("msg_45.txt"));
  EXPECT_EQ(m.body_text, "This is the signed contents.");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].name, "signature.asc");
}

TEST(ParsePythonCorpusTest, ForwardedAndDigestMessages) {
  if (!std::filesystem::is_directory(kPythonData)) GTEST_SKIP();
  ReceivedMessage m = Parse(PythonMessage("msg_02.txt"));
  EXPECT_EQ(m.subject, "Ppp digest, Vol 1 #2 - 5 msgs");
  EXPECT_TRUE(m.body_text.starts_with("Send Ppp mailing list submissions to"));
  ASSERT_EQ(m.attachments.size(), 5u);  // multipart/digest: each part a message
  EXPECT_EQ(m.attachments[0].name, "[Ppp] testing #1.eml");
  EXPECT_EQ(m.attachments[1].name, "message-2.eml");  // that one has no Subject
  for (const auto& a : m.attachments) EXPECT_EQ(a.content_type, "message/rfc822");

  m = Parse(PythonMessage("msg_06.txt"));
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].name, "testing.eml");

  m = Parse(PythonMessage("msg_46.txt"));
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].name, "GroupwiseForwardingTest.eml");
}

TEST(ParsePythonCorpusTest, DeliveryReports) {
  if (!std::filesystem::is_directory(kPythonData)) GTEST_SKIP();
  ReceivedMessage m = Parse(PythonMessage("msg_16.txt"));
  EXPECT_EQ(m.automatic, Automatic::kDeliveryReport);
  EXPECT_EQ(m.from.address, "postmaster@ucla.edu");
  EXPECT_TRUE(m.delivery_failed);
  EXPECT_NE(std::find(m.reported_message_ids.begin(), m.reported_message_ids.end(),
                      "<002001c144a6$8752e060$56104586@oxy.edu>"),
            m.reported_message_ids.end());

  // "From: MAILER DAEMON <>": no address, still a usable report.
  m = Parse(PythonMessage("msg_43.txt"));
  EXPECT_EQ(m.automatic, Automatic::kDeliveryReport);
  EXPECT_EQ(m.from.address, "");
  EXPECT_EQ(m.from.name, "MAILER DAEMON");
  EXPECT_TRUE(m.delivery_failed);
  EXPECT_TRUE(m.diagnostic.starts_with("550 5.7.1 Message content rejected")) << m.diagnostic;

  // A report whose boundary is cut: the text before it is the body.
  m = Parse(PythonMessage("msg_25.txt"));
  EXPECT_EQ(m.automatic, Automatic::kDeliveryReport);
  EXPECT_NE(m.body_text.find("The original message was received at"), std::string::npos);
}

// --- SniffType, HtmlToText, charsets ---------------------------------------

TEST(ParseSniffTest, MagicBytesFirst) {
  struct Case {
    std::string bytes, declared, name, type, ext;
  };
  const std::string ole =
      std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(100, '\0');
  const auto u16 = [](std::string s) {
    std::string o;
    for (char c : s) o += std::string{c, '\0'};
    return o;
  };
  const std::string zip_head = std::string("PK\x03\x04", 4) + std::string(22, '\0');
  const auto zip_entry = [&](const std::string& name) {
    return zip_head + std::string{static_cast<char>(name.size()), '\0', '\0', '\0'} + name + "data";
  };
  const std::vector<Case> cases = {
      {"%PDF-1.7 ...", "application/octet-stream", "", "application/pdf", "pdf"},
      {"\r\n\r\n%PDF-1.3", "text/plain", "a.txt", "application/pdf", "pdf"},
      {"\x89PNG\r\n\x1a\nxxxx", "image/jpeg", "a.jpg", "image/png", "png"},
      {"\xFF\xD8\xFF\xE0xx", "application/octet-stream", "", "image/jpeg", "jpg"},
      {"GIF87a....", "", "", "image/gif", "gif"},
      {std::string("BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00", 14) + std::string(20, 'x'),
       "", "", "image/bmp", "bmp"},
      {std::string("II*\0xxxx", 8), "", "", "image/tiff", "tif"},
      {std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16), "", "", "image/webp", "webp"},
      {zip_entry("word/document.xml"), "application/zip", "a.zip",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
      {zip_entry("[Content_Types].xml") + zip_entry("xl/workbook.xml"), "", "",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
      {zip_entry("ppt/presentation.xml"), "", "",
       "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
      {zip_entry("mimetype") + "application/vnd.oasis.opendocument.text", "", "",
       "application/vnd.oasis.opendocument.text", "odt"},
      {zip_entry("mimetype") + "application/vnd.oasis.opendocument.spreadsheet", "", "",
       "application/vnd.oasis.opendocument.spreadsheet", "ods"},
      {zip_entry("photos/a.jpg"), "", "", "application/zip", "zip"},
      {ole + u16("WordDocument"), "", "", "application/msword", "doc"},
      {ole + u16("Workbook"), "", "", "application/vnd.ms-excel", "xls"},
      {"{\\rtf1\\ansi", "", "", "application/rtf", "rtf"},
      {"From: a@b\r\nSubject: x\r\n\r\nbody", "application/octet-stream", "", "message/rfc822",
       "eml"},
      {"Subject: x\r\n\r\nbody", "message/rfc822", "", "message/rfc822", "eml"},
      {"name;amount\n1;2\n", "application/octet-stream", "liste.CSV", "text/csv", "csv"},
      {"<p>x</p>", "text/html", "", "text/html", "html"},
      {"plain words", "text/plain", "", "text/plain", "txt"},
      {"plain words", "text/x-unknown", "", "text/plain", "txt"},
      // A declared binary type or a name is not believed without the bytes.
      {"plain words", "application/pdf", "a.pdf", "application/octet-stream", "bin"},
      {std::string("MZ\x90\0", 4), "text/plain", "a.txt", "application/octet-stream", "bin"},
      {"", "", "", "application/octet-stream", "bin"},
  };
  for (const Case& c : cases) {
    const SniffedType t = SniffType(c.bytes, c.declared, c.name);
    EXPECT_EQ(t.content_type, c.type)
        << c.name << " " << c.declared << " " << c.bytes.substr(0, 12);
    EXPECT_EQ(t.extension, c.ext) << c.type;
  }
}

TEST(ParseHtmlTest, BlocksListsEntitiesAndLinks) {
  EXPECT_EQ(
      HtmlToText("<html><head><title>t</title><style>p{}</style></head><body>"
                 "<script>var x = '<p>';</script><p>Un&nbsp;&amp;&#233;&#xE9;&eacute;&hellip;</p>"
                 "<div>deux<br>trois<br/>quatre</div><ol><li>a</li><li>b</li></ol>"
                 "<p><a href=\"http://x.fr/y\">lien</a> <a href='mailto:m@x.fr'>m@x.fr</a> "
                 "<a href=\"#top\">haut</a></p></body></html>"),
      "Un &ééé…\n\ndeux\ntrois\nquatre\n\n- a\n- b\n\nlien (http://x.fr/y) m@x.fr haut");
  EXPECT_EQ(HtmlToText("  beaucoup \n\n  d'espaces\t ici  "), "beaucoup d'espaces ici");
  EXPECT_EQ(HtmlToText("<pre>  garde\n    ceci</pre>"), "  garde\n    ceci");
  EXPECT_EQ(HtmlToText("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"),
            "a b\nc");
  EXPECT_EQ(HtmlToText("a < b &unknown; &#146; <!-- note --> c"), "a < b &unknown; ’ c");
  // A head that never closes does not swallow the text.
  EXPECT_EQ(HtmlToText("<head><p>texte"), "texte");
  // Unterminated tags and scripts end the text, without a hang.
  EXPECT_EQ(HtmlToText("avant <a href=\"x"), "avant");
  EXPECT_EQ(HtmlToText("avant<script>jamais fermé"), "avant");
  EXPECT_EQ(HtmlToText(""), "");
}

TEST(ParseCharsetTest, ToUtf8) {
  EXPECT_EQ(ToUtf8("caf\xe9", "iso-8859-1"), "café");
  EXPECT_EQ(ToUtf8("\x80 \x92", "windows-1252"), "€ ’");
  EXPECT_EQ(ToUtf8("\x80 \x92", ""), "€ ’");      // no charset, not UTF-8
  EXPECT_EQ(ToUtf8("café", "us-ascii"), "café");  // really UTF-8
  EXPECT_EQ(ToUtf8("caf\xe9", "UTF-8"), "caf\xEF\xBF\xBD");
  EXPECT_EQ(ToUtf8("\xa4", "iso-8859-15"), "€");
  EXPECT_EQ(ToUtf8("\xc1", "koi8-r"), "а");
  EXPECT_EQ(ToUtf8(std::string("\xff\xfe"
                               "a\0",
                               4),
                   "utf-16"),
            "a");
  EXPECT_EQ(ToUtf8("caf\xe9", "x-no-such"), "café");
  EXPECT_EQ(ValidUtf8("a\xc0\xaf"
                      "b\xed\xa0\x80"
                      "c\xf4\x90\x80\x80"),
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
            "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(SniffTest, NamesTakeTheExtensionOfTheirType) {
  EXPECT_EQ(NameWithExtensionOf("x.html", "image/png"), "x.png");
  EXPECT_EQ(NameWithExtensionOf("facture.pdf", "image/png"), "facture.png");
  EXPECT_EQ(NameWithExtensionOf("scan", "application/pdf"), "scan.pdf");
  EXPECT_EQ(NameWithExtensionOf("photo.jpeg", "image/jpeg"), "photo.jpeg");
  EXPECT_EQ(NameWithExtensionOf("SCAN.PDF", "application/pdf"), "SCAN.PDF");
  EXPECT_EQ(NameWithExtensionOf("notes.log", "text/plain"), "notes.log");
  EXPECT_EQ(NameWithExtensionOf("relevé 12.03", "application/pdf"), "relevé 12.03.pdf");
  EXPECT_EQ(NameWithExtensionOf("M. Dupont", "application/pdf"), "M. Dupont.pdf");
  EXPECT_EQ(NameWithExtensionOf("a.b.exe", "image/jpeg"), "a.b.jpg");
  EXPECT_EQ(NameWithExtensionOf(".html", "image/png"), ".html.png");
  EXPECT_EQ(NameWithExtensionOf("", "application/pdf"), "document.pdf");
  EXPECT_EQ(NameWithExtensionOf("x.html", "application/x-unknown"), "x.bin");
}

}  // namespace
}  // namespace amiable::mail
