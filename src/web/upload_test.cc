#include "web/upload.h"

#include <gtest/gtest.h>
#include <algorithm>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace amiable::web {
namespace {

TEST(Upload, SniffsByContentNotByName) {
  EXPECT_EQ(SniffContentType("%PDF-1.7\n..."), "application/pdf");
  EXPECT_EQ(SniffContentType(std::string("\xff\xd8\xff\xe0", 4)), "image/jpeg");
  EXPECT_EQ(SniffContentType(std::string("\x89PNG\r\n\x1a\n\0\0", 10)), "image/png");
  EXPECT_FALSE(SniffContentType("MZ\x90\0"));  // an executable named .pdf
  EXPECT_FALSE(SniffContentType("<html>"));
  EXPECT_FALSE(SniffContentType(""));
  EXPECT_FALSE(SniffContentType("%PD"));
}

TEST(Upload, SafeFileNames) {
  EXPECT_EQ(SafeFileName("../../etc/passwd"), "passwd");
  EXPECT_EQ(SafeFileName("C:\\Users\\x\\avis.pdf"), "avis.pdf");
  EXPECT_EQ(SafeFileName("a\"b;c\r\n.pdf"), "a_b_c__.pdf");
  EXPECT_EQ(SafeFileName(""), "document");
  EXPECT_EQ(SafeFileName(".."), "document");
  std::string longname;
  for (int i = 0; i < 100; ++i) longname += "é";
  EXPECT_LE(SafeFileName(longname).size(), 120u);
}

TEST(Upload, FolderSavesUnderRandomNamesAndRefusesOtherKeys) {
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("amiable-upload-test-" + std::to_string(::getpid())))
                              .string();
  std::filesystem::remove_all(dir);
  DocumentFolder f(dir + "/docs");
  auto k1 = f.Save("%PDF-1 un");
  auto k2 = f.Save("%PDF-1 deux");
  ASSERT_TRUE(k1);
  ASSERT_TRUE(k2);
  EXPECT_NE(*k1, *k2);
  EXPECT_TRUE(DocumentFolder::ValidKey(*k1));
  EXPECT_EQ(*f.Read(*k1), "%PDF-1 un");
  EXPECT_FALSE(f.Read("../docs/" + *k1));
  EXPECT_FALSE(f.Read("0123456789abcdef0123456789abcdeg"));
  f.Remove(*k1);
  EXPECT_FALSE(f.Read(*k1));
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::filesystem::remove_all(dir);
}

std::string TestDir(const std::string& name) {
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("amiable-" + name + "-" + std::to_string(::getpid())))
                              .string();
  std::filesystem::remove_all(dir);
  return dir;
}

size_t FilesIn(const std::string& dir) {
  size_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); ++it) {
    ++n;
  }
  return n;
}

TEST(Upload, AnIncomingFileIsWrittenAsItArrivesAndKeptUnderItsKey) {
  const std::string dir = TestDir("incoming");
  DocumentFolder f(dir);
  auto in = f.Receive(1000);
  ASSERT_TRUE(in);
  IncomingFile& file = **in;
  EXPECT_TRUE(std::filesystem::exists(file.part_path()));
  EXPECT_TRUE(file.part_path().ends_with(".part"));
  ASSERT_TRUE(file.Append("%PDF-1.4 "));
  ASSERT_TRUE(file.Append("abc"));
  EXPECT_EQ(file.size(), 12u);
  EXPECT_EQ(file.head(), "%PDF-1.4 abc");
  EXPECT_EQ(file.sha256_hex(), Sha256Hex("%PDF-1.4 abc"));
  auto key = file.Keep();
  ASSERT_TRUE(key);
  EXPECT_TRUE(DocumentFolder::ValidKey(*key));
  EXPECT_FALSE(std::filesystem::exists(file.part_path()));
  in->reset();  // a kept file stays
  EXPECT_EQ(*f.Read(*key), "%PDF-1.4 abc");
  EXPECT_EQ(FilesIn(dir), 1u);
  std::filesystem::remove_all(dir);
}

TEST(Upload, AFileOverItsLimitIsCountedNotWrittenNeverKeptAndLeavesNothing) {
  const std::string dir = TestDir("overlimit");
  DocumentFolder f(dir);
  {
    auto in = f.Receive(10);
    ASSERT_TRUE(in);
    IncomingFile& file = **in;
    ASSERT_TRUE(file.Append("0123456789"));
    EXPECT_FALSE(file.over_limit());
    ASSERT_TRUE(file.Append(std::string(1 << 20, 'x')));
    EXPECT_TRUE(file.over_limit());
    EXPECT_EQ(file.size(), 10u + (1u << 20));
    EXPECT_EQ(std::filesystem::file_size(file.part_path()), 10u);  // written: the limit
    EXPECT_FALSE(file.Keep());
    EXPECT_EQ(FilesIn(dir), 1u);
  }
  EXPECT_EQ(FilesIn(dir), 0u);  // refused: no file left
  {
    auto in = f.Receive(100);
    ASSERT_TRUE(in);
    (*in)->Append("never kept");
  }
  EXPECT_EQ(FilesIn(dir), 0u);
  std::filesystem::remove_all(dir);
}

TEST(Upload, DownloadNamesTakeTheSniffedTypesExtension) {
  EXPECT_EQ(DownloadName("x.html", "image/png"), "x.png");  // the polyglot
  EXPECT_EQ(DownloadName("facture.pdf", "image/png"), "facture.png");
  EXPECT_EQ(DownloadName("scan", "application/pdf"), "scan.pdf");
  EXPECT_EQ(DownloadName("photo.JPEG", "image/jpeg"), "photo.JPEG");
  EXPECT_EQ(DownloadName("relevé 12.03", "application/pdf"), "relevé 12.03.pdf");
  EXPECT_EQ(DownloadName("M. Dupont", "application/pdf"), "M. Dupont.pdf");
  EXPECT_EQ(DownloadName("../a.svg", "image/png"), "a.png");
}

using std::chrono::hours;
using std::chrono::minutes;

TEST(Upload, OrphansAreOldTemporaryFilesAndOldFilesWithoutARow) {
  const auto now = std::chrono::system_clock::now();
  const std::string with_row = "0123456789abcdef0123456789abcdef";
  const std::string no_row = "fedcba9876543210fedcba9876543210";
  const std::string young = "00000000000000000000000000000001";
  const std::vector<FolderEntry> entries = {
      {with_row, now - hours(48)},            // a row: kept, however old
      {no_row, now - hours(2)},                // no row, old: orphan
      {young, now - minutes(59)},              // no row, younger than an hour: kept
      {no_row + ".part", now - hours(2)},      // an interrupted upload
      {young + ".part", now - minutes(10)},    // an upload in progress
      {with_row + ".tmp", now - hours(3)},     // an interrupted Save
      {"README", now - hours(100)},            // another name: never touched
      {"0123.part", now - hours(100)},
      {no_row + ".partial", now - hours(100)},
  };
  const std::vector<std::string> rows = {with_row};
  std::vector<std::string> got = FindOrphanFiles(entries, rows, now);
  std::sort(got.begin(), got.end());
  std::vector<std::string> want = {with_row + ".tmp", no_row, no_row + ".part"};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
  // Exactly an hour old is old enough; a file dated in the future is young.
  EXPECT_EQ(FindOrphanFiles(std::vector<FolderEntry>{{no_row, now - hours(1)}}, {}, now).size(), 1u);
  EXPECT_TRUE(FindOrphanFiles(std::vector<FolderEntry>{{no_row, now + hours(1)}}, {}, now).empty());
}

class FakeKeys : public DocumentKeys {
 public:
  std::optional<std::vector<std::string>> keys;
  Result<std::vector<std::string>> ReferencedStorageKeys() override {
    if (!keys) return Fail(Error::Internal("down"));
    return *keys;
  }
};

TEST(Upload, TheSweepRemovesOrphansOnlyAndNothingWhenTheRowsCannotBeRead) {
  const std::string dir = TestDir("sweep");
  DocumentFolder f(dir);
  auto kept = f.Save("%PDF-1 kept");
  auto orphan = f.Save("%PDF-1 orphan");
  ASSERT_TRUE(kept && orphan);
  auto part = f.Receive(100);
  ASSERT_TRUE(part);
  const std::string part_path = (*part)->part_path();
  FakeKeys keys;
  // Now: every file is young, nothing goes.
  keys.keys = std::vector<std::string>{*kept};
  EXPECT_EQ(*SweepOrphanFiles(f, keys, std::chrono::system_clock::now()), 0u);
  // Two hours later: the orphan and the temporary file go, the file with its row stays.
  const auto later = std::chrono::system_clock::now() + hours(2);
  FakeKeys down;
  EXPECT_FALSE(SweepOrphanFiles(f, down, later));
  EXPECT_EQ(FilesIn(dir), 3u);
  EXPECT_EQ(*SweepOrphanFiles(f, keys, later), 2u);
  EXPECT_TRUE(f.Read(*kept));
  EXPECT_FALSE(f.Read(*orphan));
  EXPECT_FALSE(std::filesystem::exists(part_path));
  // A folder not created yet is empty.
  DocumentFolder none(dir + "/none");
  EXPECT_EQ(*SweepOrphanFiles(none, keys, later), 0u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace amiable::web
