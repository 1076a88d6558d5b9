#include "report/report_store.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "report/aggregate.h"

namespace amiable::report {
namespace fs = std::filesystem;

const char* TextSectionCode(TextSection s) {
  switch (s) {
    case TextSection::kEditorial:
      return "editorial";
    case TextSection::kHighlights:
      return "highlights";
    case TextSection::kFindings:
      return "findings";
    case TextSection::kPlan:
      return "plan";
    case TextSection::kDirectorEditorial:
      return "editorial_director";
    case TextSection::kDirectorSignature:
      return "signature_director";
    case TextSection::kMediatorSignature:
      return "signature_mediator";
    case TextSection::kIntroMediation:
      return "intro_mediation";
    case TextSection::kIntroWho:
      return "intro_who";
    case TextSection::kIntroNot:
      return "intro_not";
    case TextSection::kIntroConflict:
      return "intro_conflict";
    case TextSection::kCommentaries:
      return "commentaries";
    case TextSection::kFraudFocus:
      return "fraud_focus";
  }
  return "";
}

const char* TextSectionTitle(TextSection s) {
  switch (s) {
    case TextSection::kEditorial:
      return "Le mot de la médiation";
    case TextSection::kHighlights:
      return "Les temps forts de l'année";
    case TextSection::kFindings:
      return "Constats et préconisations";
    case TextSection::kPlan:
      return "Bilan et plan de travail";
    case TextSection::kDirectorEditorial:
      return "Éditorial du directeur";
    case TextSection::kDirectorSignature:
      return "Signature du directeur";
    case TextSection::kMediatorSignature:
      return "Signature du médiateur";
    case TextSection::kIntroMediation:
      return "Qu'est-ce que la médiation administrative ?";
    case TextSection::kIntroWho:
      return "Qui peut saisir la médiation, et comment ?";
    case TextSection::kIntroNot:
      return "Ce que la médiation n'est pas";
    case TextSection::kIntroConflict:
      return "Conflit d'intérêts et déport";
    case TextSection::kCommentaries:
      return "Commentaires des chiffres";
    case TextSection::kFraudFocus:
      return "Focus fraude : l'analyse du médiateur";
  }
  return "";
}

std::optional<TextSection> TextSectionFromCode(std::string_view code) {
  for (TextSection s : kAllTextSections) {
    if (code == TextSectionCode(s)) return s;
  }
  return std::nullopt;
}

const char* AggregateScopeCode(AggregateScope s) {
  switch (s) {
    case AggregateScope::kFund:
      return "fund";
    case AggregateScope::kAllFunds:
      return "all_funds";
    case AggregateScope::kNationalPole:
      return "national_pole";
  }
  return "";
}

const char* AggregateScopeLabel(AggregateScope s) {
  switch (s) {
    case AggregateScope::kFund:
      return "Caf";
    case AggregateScope::kAllFunds:
      return "Ensemble des Caf";
    case AggregateScope::kNationalPole:
      return "Pôle national (Cnaf)";
  }
  return "";
}

std::optional<AggregateScope> AggregateScopeFromCode(std::string_view code) {
  for (AggregateScope s :
       {AggregateScope::kFund, AggregateScope::kAllFunds, AggregateScope::kNationalPole}) {
    if (code == AggregateScopeCode(s)) return s;
  }
  if (code == "cnaf") return AggregateScope::kNationalPole;  // the reference's name
  return std::nullopt;
}

std::string FundSetKey(std::vector<std::string> organismes) {
  std::sort(organismes.begin(), organismes.end());
  organismes.erase(std::unique(organismes.begin(), organismes.end()), organismes.end());
  if (organismes.empty()) return "all";
  std::string key;
  for (const std::string& o : organismes) {
    if (!key.empty()) key += '+';
    key += o;
  }
  return key;
}

Result<std::vector<Highlight>> ParseHighlights(std::string_view text) {
  std::vector<Highlight> rows;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return rows;
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array()) {
    return Fail(Error::Invalid("highlights: a JSON array of {theme, period, actions} expected"));
  }
  for (const auto& r : j) {
    if (!r.is_object()) return Fail(Error::Invalid("highlights: object expected"));
    Highlight h;
    for (const auto& [key, value] : r.items()) {
      if (!value.is_string()) return Fail(Error::Invalid("highlights: " + key + ": text expected"));
      if (key == "theme") {
        h.theme = value.get<std::string>();
      } else if (key == "period") {
        h.period = value.get<std::string>();
      } else if (key == "actions") {
        h.actions = value.get<std::string>();
      } else {
        return Fail(Error::Invalid("highlights: unknown key \"" + key + "\"", key));
      }
    }
    rows.push_back(std::move(h));
  }
  return rows;
}

std::string HighlightsToJson(std::span<const Highlight> rows) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const Highlight& h : rows) {
    j.push_back({{"theme", h.theme}, {"period", h.period}, {"actions", h.actions}});
  }
  return j.dump(1);
}

namespace {

bool SafeKey(std::string_view key) {
  if (key.empty() || key.size() > 200) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
           c == '_' || c == '-';
  });
}

Result<std::string> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(p, ec)) return std::string();
    return Fail(Error::Internal("cannot read " + p.string()));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteFileAtomically(const fs::path& p, std::string_view data) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec)
    return Fail(Error::Internal("cannot create " + p.parent_path().string() + ": " + ec.message()));
  const fs::path tmp = p.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Fail(Error::Internal("cannot write " + tmp.string()));
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) return Fail(Error::Internal("cannot write " + tmp.string()));
  }
  fs::rename(tmp, p, ec);
  if (ec) return Fail(Error::Internal("cannot rename to " + p.string() + ": " + ec.message()));
  return {};
}

}  // namespace

Result<std::string> FileReportStore::GetText(std::string_view fund_set, int year, TextSection s) {
  if (!SafeKey(fund_set)) return Fail(Error::Invalid("bad fund set key", "organismes"));
  return ReadFile(fs::path(dir_) / "texts" / std::string(fund_set) / std::to_string(year) /
                  (std::string(TextSectionCode(s)) + ".txt"));
}

Status FileReportStore::PutText(std::string_view fund_set, int year, TextSection s,
                                std::string_view text) {
  if (!SafeKey(fund_set)) return Fail(Error::Invalid("bad fund set key", "organismes"));
  if (year < 1900 || year > 2199) return Fail(Error::Invalid("year out of range", "year"));
  if (auto ok = CheckText(s, text); !ok) return ok;
  const fs::path p = fs::path(dir_) / "texts" / std::string(fund_set) / std::to_string(year) /
                     (std::string(TextSectionCode(s)) + ".txt");
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    std::error_code ec;
    fs::remove(p, ec);
    return {};
  }
  return WriteFileAtomically(p, text);
}

namespace {
fs::path AggregatePath(const std::string& dir, AggregateScope scope, int year,
                       const std::vector<std::string>& organismes) {
  std::string name = AggregateScopeCode(scope);
  if (scope == AggregateScope::kFund) name += "-" + FundSetKey(organismes);
  name += "-" + std::to_string(year) + ".json";
  return fs::path(dir) / "aggregates" / name;
}
}  // namespace

Status FileReportStore::PutAggregate(const Aggregate& a) {
  if (a.scope == AggregateScope::kFund && !SafeKey(FundSetKey(a.figures.organismes))) {
    return Fail(Error::Invalid("bad fund codes", "organismes"));
  }
  return WriteFileAtomically(AggregatePath(dir_, a.scope, a.figures.year, a.figures.organismes),
                             AggregateToJson(a));
}

Result<std::optional<Aggregate>> FileReportStore::FindAggregate(
    AggregateScope scope, int year, std::vector<std::string> organismes) {
  const fs::path p = AggregatePath(dir_, scope, year, organismes);
  auto text = ReadFile(p);
  if (!text) return Fail(text.error());
  if (text->empty()) return std::optional<Aggregate>();
  auto a = AggregateFromJson(*text);
  if (!a) return Fail(Error::Internal(p.string() + ": " + a.error().message));
  return std::optional<Aggregate>(std::move(*a));
}

namespace {
// FNV-1a, for short file names from arbitrary keys.
uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string CacheStem(std::string_view slot) {
  std::string stem;
  for (char c : slot) stem += SafeKey(std::string_view(&c, 1)) ? c : '_';
  return stem;
}
}  // namespace

std::optional<YearFigures> FileReportStore::GetCachedFigures(std::string_view slot,
                                                             std::string_view key) {
  if (key.empty()) return std::nullopt;
  char name[32];
  std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(Fnv1a(key)));
  const fs::path p = fs::path(dir_) / "cache" / (CacheStem(slot) + "-" + name + ".json");
  auto text = ReadFile(p);
  if (!text || text->empty()) return std::nullopt;
  // The first line holds the full key (hash collisions).
  const size_t nl = text->find('\n');
  if (nl == std::string::npos || std::string_view(*text).substr(0, nl) != key) return std::nullopt;
  auto f = FiguresFromJson(std::string_view(*text).substr(nl + 1));
  if (!f) return std::nullopt;
  return std::move(*f);
}

void FileReportStore::PutCachedFigures(std::string_view slot, std::string_view key,
                                       const YearFigures& f) {
  if (key.empty() || key.find('\n') != std::string_view::npos) return;
  const std::string stem = CacheStem(slot);
  const fs::path dir = fs::path(dir_) / "cache";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string n = e.path().filename().string();
    if (n.starts_with(stem + "-")) fs::remove(e.path(), ec);
  }
  char name[32];
  std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(Fnv1a(key)));
  (void)WriteFileAtomically(dir / (stem + "-" + name + ".json"),
                            std::string(key) + "\n" + FiguresToJson(f));
}

std::string DefaultReportDir(std::string_view db_url) {
  if (const char* env = std::getenv("AMIABLE_REPORT_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  std::string_view url = db_url;
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) return "var/report";
  if (url.starts_with("sqlite:")) url.remove_prefix(7);
  if (url.empty()) return "var/report";
  return std::string(url) + ".report";
}

}  // namespace amiable::report
