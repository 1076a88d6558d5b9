#include "web/upload.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

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

}  // namespace
}  // namespace amiable::web
