// DbReportStore: the report's texts and aggregates in the database
// (store/report_data.h), and the one-time import of a legacy report
// directory (ImportReportFiles).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include "core/messages.h"
#include "report/aggregate.h"
#include "report/report_store.h"
#include "store/report_data.h"
#include "store/store.h"

namespace amiable::report {
namespace fs = std::filesystem;

namespace {

bool Blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Fund set keys are what FundSetKey() makes: codes and '+', or "all".
bool SafeFundSet(std::string_view key) {
  if (key.empty() || key.size() > 200) return false;
  for (char c : key) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '+' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string FundSetOf(AggregateScope scope, const std::vector<std::string>& organismes) {
  return scope == AggregateScope::kFund ? FundSetKey(organismes) : std::string("all");
}

Result<Aggregate> FromRow(const AggregateRow& row) {
  auto a = AggregateFromJson(row.body);
  if (!a) {
    return Fail(Error::Internal("report_aggregates " + row.scope + " " + row.fund_set + " " +
                                std::to_string(row.year) + ": " + a.error().message));
  }
  a->source = row.source.empty() ? "imported" : row.source;
  return std::move(*a);
}

}  // namespace

Result<std::string> DbReportStore::GetText(std::string_view fund_set, int year, TextSection s) {
  if (!SafeFundSet(fund_set)) return Fail(msg::Invalid("report.fund_set_invalid", "organismes"));
  auto row = data_.GetReportText(fund_set, year, TextSectionCode(s));
  if (!row) return Fail(row.error());
  return *row ? std::move((*row)->body) : std::string();
}

Status DbReportStore::PutText(std::string_view fund_set, int year, TextSection s,
                              std::string_view text) {
  if (!SafeFundSet(fund_set)) return Fail(msg::Invalid("report.fund_set_invalid", "organismes"));
  if (year < 1900 || year > 2199) {
    return Fail(msg::Invalid("store.year_invalid", "year", {std::to_string(year)}));
  }
  if (auto ok = CheckText(s, text); !ok) return ok;  // report/texts.cc
  ReportTextRow row;
  row.fund_set = std::string(fund_set);
  row.year = year;
  row.section = TextSectionCode(s);
  if (!Blank(text)) row.body = std::string(text);  // empty: the row is removed
  return data_.PutReportText(actor_, row);
}

Status DbReportStore::PutAggregate(const Aggregate& a) {
  const std::string fund_set = FundSetOf(a.scope, a.figures.organismes);
  if (!SafeFundSet(fund_set)) return Fail(msg::Invalid("report.fund_set_invalid", "organismes"));
  if (a.source != "imported" && a.source != "typed") {
    return Fail(msg::Invalid("report.aggregate_source", "source", {a.source}));
  }
  AggregateRow row;
  row.scope = AggregateScopeCode(a.scope);
  row.fund_set = fund_set;
  row.year = a.figures.year;
  row.source = a.source;
  row.body = AggregateToJson(a);
  return data_.PutAggregateRow(actor_, row);
}

Result<std::optional<Aggregate>> DbReportStore::FindAggregate(AggregateScope scope, int year,
                                                              std::vector<std::string> organismes) {
  auto row = data_.FindAggregateRow(AggregateScopeCode(scope), FundSetOf(scope, organismes), year);
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<Aggregate>();
  auto a = FromRow(**row);
  if (!a) return Fail(a.error());
  return std::optional<Aggregate>(std::move(*a));
}

Result<std::vector<Aggregate>> DbReportStore::ListAggregates(int year) {
  auto rows = data_.AggregateRows(year);
  if (!rows) return Fail(rows.error());
  std::vector<Aggregate> out;
  for (const AggregateRow& r : *rows) {
    auto a = FromRow(r);
    if (!a) return Fail(a.error());
    out.push_back(std::move(*a));
  }
  return out;
}

Status DbReportStore::DeleteAggregate(AggregateScope scope, int year,
                                      std::vector<std::string> organismes) {
  return data_.DeleteAggregateRow(actor_, AggregateScopeCode(scope), FundSetOf(scope, organismes),
                                  year);
}

std::optional<YearFigures> DbReportStore::GetCachedFigures(std::string_view slot,
                                                           std::string_view key) {
  if (key.empty()) return std::nullopt;
  auto body = data_.GetCachedFiguresJson(slot, key);
  if (!body) return std::nullopt;
  auto f = FiguresFromJson(*body);
  if (!f) return std::nullopt;
  return std::move(*f);
}

void DbReportStore::PutCachedFigures(std::string_view slot, std::string_view key,
                                     const YearFigures& f) {
  if (key.empty()) return;
  data_.PutCachedFiguresJson(slot, key, FiguresToJson(f));
}

std::string DbReportStore::DataToken() {
  auto v = data_.DataVersion();
  return v ? "v" + *v : std::string();
}

// ---- Legacy report directories ----

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// The texts of DIR/texts/<fund set>/<year>/<section>.txt into the database.
Status ImportTexts(ReportDataStore& data, const Actor& actor, const fs::path& dir,
                   FileReportStore& files, ReportFilesImport& out) {
  std::error_code ec;
  const fs::path root = dir / "texts";
  if (!fs::is_directory(root, ec)) return {};
  for (const auto& set : fs::directory_iterator(root, ec)) {
    const std::string fund_set = set.path().filename().string();
    if (!set.is_directory() || !SafeFundSet(fund_set)) continue;
    for (const auto& y : fs::directory_iterator(set.path(), ec)) {
      const std::string year_name = y.path().filename().string();
      if (!y.is_directory() || !AllDigits(year_name) || year_name.size() != 4) continue;
      const int year = std::stoi(year_name);
      for (TextSection s : kAllTextSections) {
        const fs::path file = y.path() / (std::string(TextSectionCode(s)) + ".txt");
        if (!fs::exists(file, ec)) continue;
        auto text = files.GetText(fund_set, year, s);
        if (!text) {
          return Fail(msg::Invalid("report.import_file_invalid", "fichier",
                                   {file.string(), text.error().message}));
        }
        if (Blank(*text)) continue;
        if (s == TextSection::kHighlights) {
          if (auto rows = ParseHighlights(*text); !rows) {
            return Fail(msg::Invalid("report.import_file_invalid", "fichier",
                                     {file.string(), rows.error().message}));
          }
        }
        auto existing = data.GetReportText(fund_set, year, TextSectionCode(s));
        if (!existing) return Fail(existing.error());
        if (*existing) {
          ++out.kept;
          continue;
        }
        ReportTextRow row{fund_set, year, TextSectionCode(s), std::move(*text), "", ""};
        if (auto st = data.PutReportText(actor, row); !st) return st;
        ++out.texts;
      }
    }
  }
  if (ec) return Fail(msg::Invalid("report.import_dir_unreadable", "dossier", {root.string()}));
  return {};
}

// The aggregates of DIR/aggregates/*.json into the database (source
// "imported": they came from aggregate files).
Status ImportAggregates(ReportDataStore& data, const Actor& actor, const fs::path& dir,
                        ReportFilesImport& out) {
  std::error_code ec;
  const fs::path root = dir / "aggregates";
  if (!fs::is_directory(root, ec)) return {};
  for (const auto& e : fs::directory_iterator(root, ec)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    std::ifstream in(e.path(), std::ios::binary);
    if (!in) {
      return Fail(msg::Invalid("report.import_file_unreadable", "fichier", {e.path().string()}));
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    auto a = AggregateFromJson(ss.str());
    if (!a) {
      return Fail(msg::Invalid("report.import_file_invalid", "fichier",
                               {e.path().string(), a.error().message}));
    }
    const std::string scope = AggregateScopeCode(a->scope);
    const std::string fund_set = FundSetOf(a->scope, a->figures.organismes);
    auto existing = data.FindAggregateRow(scope, fund_set, a->figures.year);
    if (!existing) return Fail(existing.error());
    if (*existing) {
      ++out.kept;
      continue;
    }
    a->source = "imported";
    AggregateRow row{scope, fund_set, a->figures.year, "imported", AggregateToJson(*a), "", ""};
    if (auto st = data.PutAggregateRow(actor, row); !st) return st;
    ++out.aggregates;
  }
  if (ec) return Fail(msg::Invalid("report.import_dir_unreadable", "dossier", {root.string()}));
  return {};
}

}  // namespace

Result<ReportFilesImport> ImportReportFiles(Store& store, const Actor& actor,
                                            const std::string& dir_name) {
  ReportFilesImport out;
  fs::path dir(dir_name);
  while (dir.has_relative_path() && dir.filename().empty()) dir = dir.parent_path();  // "x/"
  std::error_code ec;
  if (dir_name.empty() || !fs::is_directory(dir, ec)) return out;
  out.found = true;
  ReportDataStore* data = ReportDataOf(store);
  if (data == nullptr) return Fail(Error::Internal("report data store: not supported"));
  FileReportStore files(dir.string());
  if (auto st = store.InTransaction([&]() -> Status {
        if (auto s = ImportTexts(*data, actor, dir, files, out); !s) return s;
        return ImportAggregates(*data, actor, dir, out);
      });
      !st) {
    return Fail(st.error());
  }
  // Done once: the directory is set aside (kept, for a look or a rollback).
  for (int n = 1; n < 100; ++n) {
    fs::path target = dir.string() + ".imported" + (n == 1 ? "" : "." + std::to_string(n));
    if (fs::exists(target, ec)) continue;
    fs::rename(dir, target, ec);
    if (ec) {
      out.rename_error = ec.message();
    } else {
      out.renamed_to = target.string();
    }
    return out;
  }
  out.rename_error = "too many " + dir.string() + ".imported.* directories";
  return out;
}

}  // namespace amiable::report
