#include "intake/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace amiable {
namespace {

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvReader, Utf8SemicolonsWithBomAndCrlf) {
  const CsvTable t = ReadCsv("\xEF\xBB\xBF" "Date;Canal\r\n12/03/2025;Courriel\r\n");
  EXPECT_EQ(t.encoding, CsvEncoding::kUtf8);
  EXPECT_EQ(t.delimiter, ';');
  EXPECT_TRUE(t.errors.empty());
  EXPECT_EQ(t.records, (Rows{{"Date", "Canal"}, {"12/03/2025", "Courriel"}}));
}

TEST(CsvReader, Windows1252IsDetectedAndConverted) {
  // "Émetteur;Prestation\nRéclamation;Aides\x80" in Windows-1252 (0x80 is €).
  const CsvTable t = ReadCsv("\xC9metteur;Prestation\nR\xE9" "clamation;50\x80\n");
  EXPECT_EQ(t.encoding, CsvEncoding::kWindows1252);
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0][0], "Émetteur");
  EXPECT_EQ(t.records[1][0], "Réclamation");
  EXPECT_EQ(t.records[1][1], "50€");
}

TEST(CsvReader, GivenEncodingWins) {
  // Valid UTF-8 ("Ã©") read as Windows-1252 when told so.
  const CsvTable t = ReadCsv("\xC3\xA9\n", {CsvEncoding::kWindows1252, std::nullopt});
  ASSERT_EQ(t.records.size(), 1u);
  EXPECT_EQ(t.records[0][0], "Ã©");
  // Windows-1252 bytes read as UTF-8: a problem of their line.
  const CsvTable u = ReadCsv("a\nR\xE9sum\xE9\n", {CsvEncoding::kUtf8, std::nullopt});
  ASSERT_EQ(u.errors.size(), 1u);
  EXPECT_EQ(ToString(u.errors[0]),
            "ligne 2 : UTF-8 invalide : enregistrez le fichier en UTF-8, ou indiquez l'encodage "
            "windows-1252");
}

TEST(CsvReader, DelimiterDetectedFromTheHeader) {
  EXPECT_EQ(ReadCsv("a,b,c\n1;2,3\n").delimiter, ',');
  EXPECT_EQ(ReadCsv("a;b;c\n1,2;3\n").delimiter, ';');
  // Delimiters inside quotes do not count; a tie is ';'.
  EXPECT_EQ(ReadCsv("\"a,b,c\";d\n").delimiter, ';');
  EXPECT_EQ(ReadCsv("a\n").delimiter, ';');
  // Given, it wins.
  const CsvTable t = ReadCsv("a;b,c\n", {std::nullopt, ','});
  EXPECT_EQ(t.records, (Rows{{"a;b", "c"}}));
}

TEST(CsvReader, QuotedFieldsHoldDelimitersQuotesAndLineBreaks) {
  const CsvTable t = ReadCsv(
      "Nom;Note;Fin\r\n"
      "\"Dupont; Marie\";\"Appel du 3\r\nmars \"\"urgent\"\"\";x\r\n"
      "\"\";;\"\"\n");
  EXPECT_TRUE(t.errors.empty());
  EXPECT_EQ(t.records,
            (Rows{{"Nom", "Note", "Fin"},
                  {"Dupont; Marie", "Appel du 3\r\nmars \"urgent\"", "x"},
                  {"", "", ""}}));
  // Numbering follows the spreadsheet's records; physical lines the file.
  EXPECT_EQ(t.physical_lines, (std::vector<int>{1, 2, 4}));
}

TEST(CsvReader, LoneCrAndNoFinalLineBreak) {
  EXPECT_EQ(ReadCsv("a;b\r1;2").records, (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(ReadCsv("a;b\n\n1;2\n").records, (Rows{{"a", "b"}, {""}, {"1", "2"}}));
}

TEST(CsvReader, QuoteInsideAnUnquotedFieldIsKept) {
  EXPECT_EQ(ReadCsv("12\" TV;b\n").records, (Rows{{"12\" TV", "b"}}));
}

TEST(CsvReader, TextAfterAClosingQuoteIsAProblem) {
  const CsvTable t = ReadCsv("a;b\n\"x\"y;z\n");
  ASSERT_EQ(t.errors.size(), 1u);
  EXPECT_EQ(t.errors[0].line, 2);
  EXPECT_NE(t.errors[0].message.find("guillemet fermant"), std::string::npos);
}

TEST(CsvReader, AnOpenQuoteAtTheEndIsAProblem) {
  const CsvTable t = ReadCsv("a;b\n1;2\n3;\"jamais fermé\n4;5\n");
  ASSERT_EQ(t.errors.size(), 1u);
  EXPECT_EQ(t.errors[0].line, 3);
  EXPECT_EQ(t.errors[0].message,
            "guillemet ouvert jamais fermé : la fin du fichier tombe dans une cellule");
  EXPECT_EQ(t.records.size(), 3u);
}

TEST(CsvReader, EmptyInputAndArbitraryBytesNeverThrow) {
  EXPECT_TRUE(ReadCsv("").records.empty());
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  const CsvTable t = ReadCsv(bytes + bytes);
  EXPECT_FALSE(t.records.empty());
}

TEST(CsvReader, EncodingNames) {
  EXPECT_EQ(CsvEncodingFromName("UTF-8"), CsvEncoding::kUtf8);
  EXPECT_EQ(CsvEncodingFromName("windows-1252"), CsvEncoding::kWindows1252);
  EXPECT_EQ(CsvEncodingFromName("Latin1"), CsvEncoding::kWindows1252);
  EXPECT_EQ(CsvEncodingFromName("ebcdic"), std::nullopt);
  EXPECT_STREQ(CsvEncodingName(CsvEncoding::kWindows1252), "windows-1252");
}

}  // namespace
}  // namespace amiable
