// A CSV file saved from a spreadsheet, as rows of UTF-8 cells (RFC 4180).
//
// ReadCsv is a pure function of the bytes (no I/O, no locale; a fuzz target
// may call it on anything): it never throws and never reads outside `bytes`.
//
// - Encoding: UTF-8 or Windows-1252 (what French spreadsheets save as
//   « CSV (séparateur : point-virgule) »). Unless given, the bytes are UTF-8
//   when they are valid UTF-8, else Windows-1252, converted with iconv(3).
//   A leading UTF-8 byte-order mark is dropped. Given as UTF-8, invalid
//   bytes are a problem of their line.
// - Delimiter: `;` or `,`. Unless given, the one that appears more often
//   outside quotes in the first record (the header); `;` on a tie (the
//   French default).
// - Records: fields separated by the delimiter, records by LF, CRLF or a
//   lone CR; a field in double quotes may hold delimiters, line breaks and
//   "" (one quote). Unquoted fields are taken as they are (a quote inside one
//   is kept). After a closing quote only the delimiter or the end of the
//   record may follow; a quote left open at the end of the file is a
//   problem. Records whose cells are all empty are kept (the converter
//   skips them) so that numbering stays the spreadsheet's.
// - Numbering: record N is line N of the spreadsheet (the header is line 1),
//   whatever line breaks quoted cells hold; `physical_lines[i]` is the line
//   of the file where record i starts, for messages about the file itself.
// - Caps: at most kMaxCsvRecords records and kMaxCsvCellBytes per cell
//   (beyond: a problem, reading stops).
#ifndef AMIABLE_INTAKE_CSV_READER_H_
#define AMIABLE_INTAKE_CSV_READER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace amiable {

inline constexpr size_t kMaxCsvRecords = 200000;
inline constexpr size_t kMaxCsvCellBytes = 64 * 1024;

enum class CsvEncoding { kUtf8, kWindows1252 };
// "utf-8", "windows-1252".
const char* CsvEncodingName(CsvEncoding e);
// From "utf-8"/"utf8"/"windows-1252"/"cp1252"/"latin1"... (any case).
std::optional<CsvEncoding> CsvEncodingFromName(std::string_view name);

struct CsvOptions {
  std::optional<CsvEncoding> encoding;  // none: detected
  std::optional<char> delimiter;        // ';' or ','; none: detected
};

struct CsvTable {
  CsvEncoding encoding = CsvEncoding::kUtf8;  // as given or detected
  char delimiter = ';';                       // as given or detected
  std::vector<std::vector<std::string>> records;  // records[0] is the header; UTF-8 cells
  std::vector<int> physical_lines;                // where each record starts in the file
  // Problems of the file itself (open quote, text after a closing quote,
  // invalid UTF-8 when UTF-8 was given, caps), each with its line (the
  // record's number) and a French reason; the records before them are kept.
  std::vector<Error> errors;
};

// Reads `bytes` as a CSV file. Never throws.
CsvTable ReadCsv(std::string_view bytes, const CsvOptions& options = {});

}  // namespace amiable

#endif  // AMIABLE_INTAKE_CSV_READER_H_
