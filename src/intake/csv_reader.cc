// The CSV tokenizer (no Debian CSV library is installed: docs/decisions/0009-csv-import.md).
#include "intake/csv_reader.h"

#include <string>
#include <utility>

#include "core/messages.h"
#include "core/text.h"
#include "intake/online_form.h"

namespace amiable {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

bool IsUtf8(std::string_view s) { return intake::Utf8Length(s).has_value(); }

// Windows-1252 to UTF-8 with iconv(3) (core/text.h); the five bytes the
// code page leaves undefined become U+FFFD.
std::string FromWindows1252(std::string_view bytes) {
  if (auto out = IconvToUtf8(bytes, "WINDOWS-1252")) return std::move(*out);
  std::string ascii;  // glibc always has it; keep the ASCII
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) < 0x80) {
      ascii += c;
    } else {
      ascii += kReplacement;
    }
  }
  return ascii;
}

// The delimiter seen most often outside quotes in the first record.
char DetectDelimiter(std::string_view text) {
  size_t semicolons = 0, commas = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && (c == '\n' || c == '\r')) {
      break;
    } else if (!quoted && c == ';') {
      ++semicolons;
    } else if (!quoted && c == ',') {
      ++commas;
    }
  }
  return commas > semicolons ? ',' : ';';
}

Error Problem(int line, std::string_view key, std::initializer_list<std::string_view> args = {}) {
  Error e = msg::Invalid(key, {}, args);
  e.line = line;
  return e;
}

}  // namespace

const char* CsvEncodingName(CsvEncoding e) {
  return e == CsvEncoding::kUtf8 ? "utf-8" : "windows-1252";
}

std::optional<CsvEncoding> CsvEncodingFromName(std::string_view name) {
  std::string n;
  for (char c : name) n += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (n == "utf-8" || n == "utf8") return CsvEncoding::kUtf8;
  if (n == "windows-1252" || n == "cp1252" || n == "latin1" || n == "latin-1" ||
      n == "iso-8859-1" || n == "iso-8859-15") {
    return CsvEncoding::kWindows1252;
  }
  return std::nullopt;
}

CsvTable ReadCsv(std::string_view bytes, const CsvOptions& options) {
  CsvTable t;
  if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
  t.encoding = options.encoding ? *options.encoding
                                : (IsUtf8(bytes) ? CsvEncoding::kUtf8 : CsvEncoding::kWindows1252);
  std::string converted;
  std::string_view text = bytes;
  if (t.encoding == CsvEncoding::kWindows1252) {
    converted = FromWindows1252(bytes);
    text = converted;
  }
  t.delimiter = options.delimiter ? *options.delimiter : DetectDelimiter(text);

  std::vector<std::string> record;
  std::string cell;
  bool quoted_cell = false;  // the current cell began with a quote
  bool in_quotes = false;
  bool after_quote = false;  // a closing quote was just read
  bool record_bad = false;   // a problem was reported for this record
  int physical = 1;          // the file's line
  int record_start = 1;
  const auto line_no = [&] { return static_cast<int>(t.records.size()) + 1; };
  const auto end_cell = [&] {
    if (t.encoding == CsvEncoding::kUtf8 && !record_bad && !IsUtf8(cell)) {
      t.errors.push_back(Problem(line_no(), "csv.encoding"));
      record_bad = true;
    }
    record.push_back(std::move(cell));
    cell.clear();
    quoted_cell = in_quotes = after_quote = false;
  };
  const auto end_record = [&] {
    end_cell();
    t.records.push_back(std::move(record));
    t.physical_lines.push_back(record_start);
    record.clear();
    record_bad = false;
  };
  size_t i = 0;
  const size_t n = text.size();
  for (; i < n; ++i) {
    if (t.records.size() >= kMaxCsvRecords) {
      t.errors.push_back(Problem(line_no(), "csv.too_many_records",
                                 {std::to_string(kMaxCsvRecords)}));
      return t;
    }
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < n && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          in_quotes = false;
          after_quote = true;
        }
      } else {
        if (c == '\n' || (c == '\r' && !(i + 1 < n && text[i + 1] == '\n'))) ++physical;
        cell += c;
      }
    } else if (c == t.delimiter) {
      end_cell();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
      end_record();
      ++physical;
      record_start = physical;
    } else if (after_quote) {
      if (!record_bad) {
        t.errors.push_back(Problem(line_no(), "csv.after_quote"));
        record_bad = true;
      }
      cell += c;
    } else if (c == '"' && cell.empty() && !quoted_cell) {
      quoted_cell = in_quotes = true;
    } else {
      cell += c;
    }
    if (cell.size() > kMaxCsvCellBytes) {
      t.errors.push_back(Problem(line_no(), "csv.cell_too_long",
                                 {std::to_string(kMaxCsvCellBytes)}));
      return t;
    }
  }
  if (in_quotes) {
    t.errors.push_back(Problem(line_no(), "csv.open_quote"));
    end_record();
  } else if (!cell.empty() || !record.empty() || quoted_cell || after_quote) {
    end_record();  // a last record without a line break
  }
  return t;
}

}  // namespace amiable
