#include "mail/message.h"

#include <gtest/gtest.h>

#include <sstream>

namespace amiable::mail {
namespace {

Instant At(long long s) { return Instant(std::chrono::seconds(s)); }

TEST(MailMessageTest, AsciiSubjectStaysPlainOtherIsEncodedInWholeCharacters) {
  EXPECT_EQ(EncodeHeaderText("Demande 631-2025-00001", 7), "Demande 631-2025-00001");
  EXPECT_EQ(EncodeHeaderText("é", 7), "=?UTF-8?B?w6k=?=");
  // "=?" in plain text would read as an encoded-word: encoded too.
  EXPECT_TRUE(EncodeHeaderText("a =?b", 7).starts_with("=?UTF-8?B?"));
  // A header cannot be injected.
  EXPECT_EQ(EncodeHeaderText("a\r\nBcc: x@y", 7), "a  Bcc: x@y");
  const std::string long_subject =
      "Votre demande de médiation 631-2025-00001 est enregistrée — accusé de réception "
      "élémentaire, très très long, à plier sur plusieurs lignes";
  const std::string e = EncodeHeaderText(long_subject, 7);
  std::istringstream in(e);
  std::string line;
  size_t first = 0, n = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    EXPECT_LE(line.size() + (n == 0 ? 9 : 0), 76u) << line;
    if (n == 0) first = line.size();
    ++n;
  }
  EXPECT_GT(n, 1u);
  EXPECT_GT(first, 0u);
}

TEST(MailMessageTest, QuotedPrintableEncodesUtf8AndBreaksLongLines) {
  EXPECT_EQ(QuotedPrintable("Référence\n"), "R=C3=A9f=C3=A9rence\r\n");
  EXPECT_EQ(QuotedPrintable("a = b \nc"), "a =3D b=20\r\nc\r\n");
  EXPECT_EQ(QuotedPrintable(".\n"), "=2E\r\n");
  const std::string lng(200, 'x');
  const std::string q = QuotedPrintable(lng);
  std::istringstream in(q);
  std::string line, joined;
  while (std::getline(in, line)) {
    ASSERT_TRUE(line.ends_with("\r"));
    line.pop_back();
    EXPECT_LE(line.size(), 76u);
    if (line.ends_with("=")) line.pop_back();
    joined += line;
  }
  EXPECT_EQ(joined, lng);
}

TEST(MailMessageTest, DateIsRfc5322InUtc) {
  EXPECT_EQ(Rfc5322Date(At(0)), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(Rfc5322Date(At(1741082400)), "Tue, 04 Mar 2025 10:00:00 +0000");
}

TEST(MailMessageTest, MessageHasTheHeadersAndTheStableMessageId) {
  OutgoingMail m;
  m.from = "Médiateur Caf <mediateur@caf.example>";
  m.to = "zoe@example.org";
  m.subject = "Votre demande de médiation 631-2025-00001 est enregistrée";
  m.body = "Bonjour,\n\nRéférence 631-2025-00001.\n";
  m.message_id = "<outbox-7.0123456789abcdef@host>";
  m.date = At(1741082400);
  m.automatic = true;
  const std::string s = BuildMessage(m);
  EXPECT_NE(s.find("From: =?UTF-8?B?"), std::string::npos) << s;
  EXPECT_NE(s.find(" <mediateur@caf.example>\r\n"), std::string::npos);
  EXPECT_NE(s.find("To: zoe@example.org\r\n"), std::string::npos);
  EXPECT_NE(s.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(s.find("Date: Tue, 04 Mar 2025 10:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(s.find("Message-ID: <outbox-7.0123456789abcdef@host>\r\n"), std::string::npos);
  EXPECT_NE(s.find("Auto-Submitted: auto-generated\r\n"), std::string::npos);
  EXPECT_NE(s.find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(s.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(s.find("Content-Transfer-Encoding: quoted-printable\r\n\r\nBonjour,\r\n\r\nR=C3=A9f"),
            std::string::npos);
  // Only CRLF line ends.
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') ASSERT_TRUE(i > 0 && s[i - 1] == '\r') << i;
  }
  EXPECT_EQ(AddressOf(m.from), "mediateur@caf.example");
  EXPECT_EQ(AddressOf(" a@b.fr "), "a@b.fr");
}

TEST(MailMessageTest, ReplyHeadersLoopMarkAndHtmlAlternative) {
  OutgoingMail m;
  m.from = "Médiation CAF <mediation@caf.fr>";
  m.to = "a@b.fr";
  m.subject = "Réponse";
  m.body = "Bonjour,\nvoici.\n";
  m.message_id = "<outbox-7.ab@amiable>";
  m.reply_to = "contact@caf.fr";
  m.in_reply_to = "<x1@b.fr>";
  std::string t = BuildMessage(m);
  EXPECT_NE(t.find("Reply-To: contact@caf.fr\r\n"), std::string::npos);
  EXPECT_NE(t.find("In-Reply-To: <x1@b.fr>\r\nReferences: <x1@b.fr>\r\n"), std::string::npos);
  EXPECT_EQ(t.find("X-Loop"), std::string::npos);  // not automatic
  EXPECT_EQ(t.find("Auto-Submitted"), std::string::npos);
  EXPECT_EQ(t.find("multipart"), std::string::npos);
  m.automatic = true;
  m.body_html = "<p>Bonjour,</p><p>voici.</p>";
  t = BuildMessage(m);
  EXPECT_NE(t.find("Auto-Submitted: auto-generated\r\nX-Loop: amiable\r\n"), std::string::npos);
  const std::string b = "=_amiable_outbox7abamiable";
  EXPECT_NE(t.find("Content-Type: multipart/alternative; boundary=\"" + b + "\"\r\n"),
            std::string::npos);
  const size_t plain = t.find("--" + b + "\r\nContent-Type: text/plain; charset=utf-8");
  const size_t html = t.find("--" + b + "\r\nContent-Type: text/html; charset=utf-8");
  ASSERT_NE(plain, std::string::npos);
  ASSERT_NE(html, std::string::npos);
  EXPECT_LT(plain, html);
  EXPECT_NE(t.find("<p>Bonjour,</p><p>voici.</p>\r\n--" + b + "--\r\n"), std::string::npos);
  EXPECT_TRUE(t.ends_with("--" + b + "--\r\n"));
}

}  // namespace
}  // namespace amiable::mail
