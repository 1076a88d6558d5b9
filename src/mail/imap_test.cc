// Against a real IMAP server (scripts/mail-start; scripts/test starts one
// as root): runs only when AMIABLE_TEST_IMAP_URL, AMIABLE_TEST_IMAP_USER and
// AMIABLE_TEST_IMAP_PASSWORD are set.
#include "mail/imap.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <cstdio>

namespace amiable::mail {
namespace {

TEST(ImapUtf7, EncodesFolderNames) {
  EXPECT_EQ(ToImapUtf7("INBOX"), "INBOX");
  EXPECT_EQ(ToImapUtf7("Archive amiable"), "Archive amiable");
  EXPECT_EQ(ToImapUtf7("A&B"), "A&-B");
  EXPECT_EQ(ToImapUtf7("Réclamations"), "R&AOk-clamations");
  EXPECT_EQ(ToImapUtf7("台北"), "&U,BTFw-");  // RFC 3501's example
  EXPECT_EQ(ToImapUtf7("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
}

TEST(ImapUidSet, CompressesRuns) {
  const std::vector<uint32_t> v{9, 1, 4, 7, 8, 8};
  EXPECT_EQ(UidSet(v), "1,4,7:9");
  EXPECT_EQ(UidSet(std::vector<uint32_t>{3}), "3");
}

template <typename T>
std::string Why(const Result<T>& r) {
  return r ? std::string() : r.error().message;
}

ImapSettings FromEnv() {
  ImapSettings s;
  const char* url = std::getenv("AMIABLE_TEST_IMAP_URL");
  const char* user = std::getenv("AMIABLE_TEST_IMAP_USER");
  const char* pw = std::getenv("AMIABLE_TEST_IMAP_PASSWORD");
  if (url && user && pw) {
    s.url = url;
    s.user = user;
    s.password = pw;
  }
  return s;
}

std::string Crlf(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
    out += s[i];
  }
  return out;
}

std::string Message(std::string_view subject, std::string_view body) {
  return "From: a@example.fr\r\nTo: b@example.fr\r\nSubject: " + std::string(subject) +
         "\r\nMessage-ID: <" + std::string(subject) + "@example.fr>\r\n\r\n" + std::string(body);
}

TEST(ImapServer, AppendListFetchMove) {
  ImapSettings s = FromEnv();
  if (s.url.empty()) GTEST_SKIP() << "AMIABLE_TEST_IMAP_URL not set";
  auto imap = NewCurlImapClient(s);
  const std::string folder = "Test " + std::to_string(std::time(nullptr)) + " é";
  { auto r_ = imap->Create(folder); ASSERT_TRUE(r_) << Why(r_) << "create"; }
  { auto r_ = imap->Create(folder); ASSERT_TRUE(r_) << Why(r_) << "create again is fine"; }
  auto before = imap->Uids(folder);
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_TRUE(before->empty());

  std::vector<std::string> msgs;
  msgs.push_back(Message("one", "Bonjour,\r\nligne seule\n\r\nmélange CRLF/LF — « é »\r\n"));
  msgs.push_back(Message("two", "court\r\n"));
  std::string big;
  while (big.size() < 2 * 1024 * 1024) big += "0123456789 ligne longue de test pour le volume\r\n";
  msgs.push_back(Message("three", big));
  for (const auto& m : msgs) {
    auto a = imap->Append(folder, m);
    ASSERT_TRUE(a) << a.error().message;
  }
  auto uids = imap->Uids(folder);
  ASSERT_TRUE(uids) << uids.error().message;
  ASSERT_EQ(uids->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    auto f = imap->Fetch(folder, (*uids)[i]);
    ASSERT_TRUE(f) << f.error().message;
    // A bare LF is not IMAP (RFC 3501 §4.3): the server gives it back as
    // CRLF; every other byte comes back as sent.
    EXPECT_EQ(*f, Crlf(msgs[i])) << "message " << i;
  }

  const std::string archive = "Archive amiable";
  { auto r_ = imap->Create(archive); ASSERT_TRUE(r_) << Why(r_); }
  const auto archived_before = imap->Uids(archive);
  ASSERT_TRUE(archived_before);
  const std::vector<uint32_t> two{(*uids)[0], (*uids)[2], 999999};  // an absent one too
  auto mv = imap->Move(folder, two, archive);
  ASSERT_TRUE(mv) << mv.error().message;
  auto left = imap->Uids(folder);
  ASSERT_TRUE(left);
  EXPECT_EQ(*left, std::vector<uint32_t>{(*uids)[1]});
  auto archived = imap->Uids(archive);
  ASSERT_TRUE(archived);
  EXPECT_EQ(archived->size(), archived_before->size() + 2);
  auto f = imap->Fetch(archive, archived->back());
  ASSERT_TRUE(f);
  EXPECT_EQ(*f, msgs[2]);
  // The one left still reads after the other folder was selected.
  auto f2 = imap->Fetch(folder, (*uids)[1]);
  ASSERT_TRUE(f2) << f2.error().message;
  EXPECT_EQ(*f2, msgs[1]);

  auto absent = imap->Fetch(folder, (*uids)[0]);
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, Error::Code::kNotFound);

  auto unknown = imap->Uids("Nulle part");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Error::Code::kNotFound);
  EXPECT_EQ(unknown.error().message_id, "mail.imap_no_folder");
  auto injected = imap->Create("X\r\nA1 DELETE INBOX");
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error().code, Error::Code::kInvalid);
  auto moved_nowhere = imap->Move(folder, std::vector<uint32_t>{(*uids)[1]}, "Nulle part");
  ASSERT_FALSE(moved_nowhere);
  // And the connection still works after the errors.
  auto again = imap->Uids(folder);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->size(), 1u);
}

TEST(ImapServer, BadPasswordIsFrenchWithoutThePassword) {
  ImapSettings s = FromEnv();
  if (s.url.empty()) GTEST_SKIP() << "AMIABLE_TEST_IMAP_URL not set";
  s.password = "mauvais-secret-42";
  auto imap = NewCurlImapClient(s);
  auto r = imap->Uids("INBOX");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Error::Code::kUnavailable);
  EXPECT_EQ(r.error().message_id, "mail.imap_failed");
  EXPECT_NE(r.error().message.find("Boîte aux lettres inaccessible"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(r.error().message.find("mauvais-secret-42"), std::string::npos) << r.error().message;
}

TEST(ImapServer, UnreachableServer) {
  if (FromEnv().url.empty()) GTEST_SKIP() << "AMIABLE_TEST_IMAP_URL not set";
  ImapSettings s{"imap://127.0.0.1:1", "u", "p", 5};
  auto r = NewCurlImapClient(s)->Uids("INBOX");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Error::Code::kUnavailable);
}

// The figure of the intake benchmark: fetches of small messages on one
// connection (AMIABLE_TEST_IMAP_BENCH=N appends and fetches N).
TEST(ImapServer, FetchRate) {
  ImapSettings s = FromEnv();
  const char* n_env = std::getenv("AMIABLE_TEST_IMAP_BENCH");
  if (s.url.empty() || n_env == nullptr) GTEST_SKIP() << "AMIABLE_TEST_IMAP_BENCH not set";
  const int n = std::atoi(n_env);
  auto imap = NewCurlImapClient(s);
  const std::string folder = "Bench " + std::to_string(std::time(nullptr));
  { auto r_ = imap->Create(folder); ASSERT_TRUE(r_) << Why(r_); }
  for (int i = 0; i < n; ++i) {
    { auto r_ = imap->Append(folder, Message("m" + std::to_string(i), "petit message\r\n")); ASSERT_TRUE(r_) << Why(r_); }
  }
  auto t0 = std::chrono::steady_clock::now();
  auto uids = imap->Uids(folder);
  ASSERT_TRUE(uids);
  ASSERT_EQ(uids->size(), static_cast<size_t>(n));
  size_t bytes = 0;
  for (uint32_t u : *uids) {
    auto f = imap->Fetch(folder, u);
    ASSERT_TRUE(f);
    bytes += f->size();
  }
  auto t1 = std::chrono::steady_clock::now();
  { auto r_ = imap->Move(folder, *uids, "INBOX"); ASSERT_TRUE(r_) << Why(r_); }
  auto t2 = std::chrono::steady_clock::now();
  const double fetch_s = std::chrono::duration<double>(t1 - t0).count();
  const double move_s = std::chrono::duration<double>(t2 - t1).count();
  std::printf("imap fetch: %d messages (%zu bytes) in %.3f s = %.0f/s; one move %.3f s\n", n, bytes,
              fetch_s, n / fetch_s, move_s);
}

}  // namespace
}  // namespace amiable::mail
