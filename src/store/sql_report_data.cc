// SqlStore: what the annual report stores beside the cases (migration 20,
// store/report_data.h): texts, aggregates, the figures cache, branding,
// context figures, deployment settings. The register is sql_register.cc.
#include <sodium.h>

#include <cctype>
#include <cstdio>

#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable {
ReportDataStore* ReportDataOf(Store& store) { return dynamic_cast<ReportDataStore*>(&store); }
}  // namespace amiable

namespace amiable::sql {

namespace {

bool WritesReport(const Actor& a) {
  return a.role == Role::kMediator || a.role == Role::kManager || a.role == Role::kAdministrator;
}

// Whether `actor` may write the report data of fund set `fund_set`
// ("631+671", "all").
bool MayWriteFundSet(const Actor& actor, std::string_view fund_set) {
  if (!WritesReport(actor)) return false;
  if (fund_set == "all") return actor.all_funds;
  size_t start = 0;
  while (start <= fund_set.size()) {
    size_t plus = fund_set.find('+', start);
    std::string_view code = fund_set.substr(start, plus == std::string_view::npos
                                                       ? std::string_view::npos
                                                       : plus - start);
    if (code.empty() || !actor.CanSee(code)) return false;
    if (plus == std::string_view::npos) break;
    start = plus + 1;
  }
  return true;
}

bool MayWriteNational(const Actor& a) {
  return a.role == Role::kNational || a.role == Role::kAdministrator;
}

std::optional<double> GetOptDouble(const soci::row& r, size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_double:
      return r.get<double>(i);
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return static_cast<double>(r.get<long long>(i));
    case soci::dt_unsigned_long_long:
      return static_cast<double>(r.get<unsigned long long>(i));
    case soci::dt_string:
      return std::stod(r.get<std::string>(i));
    default:
      return std::nullopt;
  }
}

std::optional<int64_t> GetOptInt64(const soci::row& r, size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return GetInt(r, i);
}

bool IsHexColour(std::string_view c) {
  if (c.size() != 7 || c[0] != '#') return false;
  for (char ch : c.substr(1)) {
    if (!std::isxdigit(static_cast<unsigned char>(ch))) return false;
  }
  return true;
}

// The type of an image from its first bytes: "image/png", "image/jpeg", "".
std::string SniffLogo(std::string_view b) {
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) {
    return "image/png";
  }
  if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF &&
      static_cast<unsigned char>(b[1]) == 0xD8 && static_cast<unsigned char>(b[2]) == 0xFF) {
    return "image/jpeg";
  }
  return "";
}

// The logo is kept as base64 text (one column type on both engines).
std::string ToBase64(std::string_view in) {
  std::string out(sodium_base64_ENCODED_LEN(in.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(in.data()),
                    in.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string FromBase64(std::string_view in) {
  std::string out(in.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), in.data(),
                        in.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "";
  }
  out.resize(len);
  return out;
}

}  // namespace

// ---- Texts ----

Result<std::optional<ReportTextRow>> SqlStore::GetReportText(std::string_view fund_set, int year,
                                                             std::string_view section) {
  std::string fs(fund_set), sec(section);
  try {
    ReportTextRow t;
    sql_ << "SELECT fund_set, year, section, body, updated_by, updated_at FROM report_texts "
            "WHERE fund_set = :f AND year = :y AND section = :s",
        soci::use(fs), soci::use(year), soci::use(sec), soci::into(t.fund_set),
        soci::into(t.year), soci::into(t.section), soci::into(t.body), soci::into(t.updated_by),
        soci::into(t.updated_at);
    if (!sql_.got_data()) return std::optional<ReportTextRow>();
    return std::optional<ReportTextRow>(std::move(t));
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::PutReportText(const Actor& actor, const ReportTextRow& row) {
  if (!MayWriteFundSet(actor, row.fund_set)) {
    return Fail(msg::Forbidden("store.report_forbidden", {row.fund_set}));
  }
  return InTransaction([&]() -> Status {
    sql_ << "DELETE FROM report_texts WHERE fund_set = :f AND year = :y AND section = :s",
        soci::use(row.fund_set), soci::use(row.year), soci::use(row.section);
    if (!row.body.empty()) {
      std::string now = NowTimestamp();
      sql_ << "INSERT INTO report_texts (fund_set, year, section, body, updated_by, updated_at) "
              "VALUES (:f, :y, :s, :b, :u, :a)",
          soci::use(row.fund_set), soci::use(row.year), soci::use(row.section),
          soci::use(row.body), soci::use(actor.user), soci::use(now);
    }
    return AuditNoTx(actor, "report.text",
                     row.fund_set + " " + std::to_string(row.year) + " " + row.section);
  });
}

Result<std::vector<ReportTextRow>> SqlStore::ReportTexts(std::string_view fund_set, int year) {
  try {
    std::vector<ReportTextRow> out;
    Query q;
    q << "SELECT fund_set, year, section, body, updated_by, updated_at FROM report_texts "
         "WHERE fund_set = ";
    q.Bind(std::string(fund_set));
    q << " AND year = ";
    q.Bind(std::to_string(year));
    q << " ORDER BY section";
    Fetch(q, [&](const soci::row& r) {
      out.push_back({GetString(r, 0), static_cast<int>(GetInt(r, 1)), GetString(r, 2),
                     GetString(r, 3), GetString(r, 4), GetString(r, 5)});
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

// ---- Aggregates ----

Status SqlStore::PutAggregateRow(const Actor& actor, const AggregateRow& row) {
  if (row.scope == "fund") {
    if (!MayWriteFundSet(actor, row.fund_set)) {
      return Fail(msg::Forbidden("store.report_forbidden", {row.fund_set}));
    }
  } else if (!MayWriteNational(actor)) {
    return Fail(msg::Forbidden("store.report_national_forbidden"));
  }
  return InTransaction([&]() -> Status {
    sql_ << "DELETE FROM report_aggregates WHERE scope = :s AND fund_set = :f AND year = :y",
        soci::use(row.scope), soci::use(row.fund_set), soci::use(row.year);
    std::string now = NowTimestamp();
    sql_ << "INSERT INTO report_aggregates (scope, fund_set, year, source, body, updated_by, "
            "updated_at) VALUES (:s, :f, :y, :src, :b, :u, :a)",
        soci::use(row.scope), soci::use(row.fund_set), soci::use(row.year), soci::use(row.source),
        soci::use(row.body), soci::use(actor.user), soci::use(now);
    return AuditNoTx(actor, "report.aggregate",
                     row.scope + " " + row.fund_set + " " + std::to_string(row.year));
  });
}

namespace {
AggregateRow ReadAggregateRow(const soci::row& r) {
  return {GetString(r, 0), GetString(r, 1), static_cast<int>(GetInt(r, 2)),
          GetString(r, 3), GetString(r, 4), GetString(r, 5),
          GetString(r, 6)};
}
constexpr std::string_view kAggregateColumns =
    "SELECT scope, fund_set, year, source, body, updated_by, updated_at FROM report_aggregates ";
}  // namespace

Result<std::optional<AggregateRow>> SqlStore::FindAggregateRow(std::string_view scope,
                                                               std::string_view fund_set,
                                                               int year) {
  try {
    Query q;
    q << kAggregateColumns << "WHERE scope = ";
    q.Bind(std::string(scope));
    q << " AND fund_set = ";
    q.Bind(std::string(fund_set));
    q << " AND year = ";
    q.Bind(std::to_string(year));
    return FetchOne(q, &ReadAggregateRow);
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<AggregateRow>> SqlStore::AggregateRows(int year) {
  try {
    std::vector<AggregateRow> out;
    Query q;
    q << kAggregateColumns;
    if (year) {
      q << "WHERE year = ";
      q.Bind(std::to_string(year));
    }
    q << " ORDER BY year, scope, fund_set";
    Fetch(q, [&](const soci::row& r) {
      out.push_back(ReadAggregateRow(r));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::DeleteAggregateRow(const Actor& actor, std::string_view scope,
                                    std::string_view fund_set, int year) {
  std::string s(scope), f(fund_set);
  if (s == "fund") {
    if (!MayWriteFundSet(actor, f)) return Fail(msg::Forbidden("store.report_forbidden", {f}));
  } else if (!MayWriteNational(actor)) {
    return Fail(msg::Forbidden("store.report_national_forbidden"));
  }
  return InTransaction([&]() -> Status {
    sql_ << "DELETE FROM report_aggregates WHERE scope = :s AND fund_set = :f AND year = :y",
        soci::use(s), soci::use(f), soci::use(year);
    return AuditNoTx(actor, "report.aggregate_delete", s + " " + f + " " + std::to_string(year));
  });
}

// ---- Figures cache ----

std::optional<std::string> SqlStore::GetCachedFiguresJson(std::string_view slot,
                                                          std::string_view key) {
  std::string s(slot), k(key);
  try {
    std::string body;
    sql_ << "SELECT body FROM report_cache WHERE slot = :s AND cache_key = :k", soci::use(s),
        soci::use(k), soci::into(body);
    if (!sql_.got_data()) return std::nullopt;
    return body;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void SqlStore::PutCachedFiguresJson(std::string_view slot, std::string_view key,
                                    std::string_view body) {
  std::string s(slot), k(key), b(body);
  (void)InTransaction([&]() -> Status {
    sql_ << "DELETE FROM report_cache WHERE slot = :s", soci::use(s);
    sql_ << "INSERT INTO report_cache (slot, cache_key, body) VALUES (:s, :k, :b)", soci::use(s),
        soci::use(k), soci::use(b);
    return {};
  });
}

Result<std::string> SqlStore::DataVersion() {
  // Every write of a case adds a history row (case_events) or changes the
  // case's version; deletes (purge) lower the counts. The four numbers
  // together change whenever the cases may have.
  try {
    long long events = 0, max_event = 0, cases = 0, versions = 0;
    sql_ << "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM case_events", soci::into(events),
        soci::into(max_event);
    sql_ << "SELECT COUNT(*), COALESCE(SUM(version), 0) FROM cases", soci::into(cases),
        soci::into(versions);
    return std::to_string(events) + "." + std::to_string(max_event) + "." +
           std::to_string(cases) + "." + std::to_string(versions);
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

// ---- Branding ----

Result<std::optional<FundBranding>> SqlStore::GetBranding(std::string_view organisme) {
  std::string org(organisme);
  try {
    FundBranding b;
    std::string logo64;
    sql_ << "SELECT organisme, logo_type, logo, colour, updated_by, updated_at FROM fund_branding "
            "WHERE organisme = :o",
        soci::use(org), soci::into(b.organisme), soci::into(b.logo_type), soci::into(logo64),
        soci::into(b.colour), soci::into(b.updated_by), soci::into(b.updated_at);
    if (!sql_.got_data()) return std::optional<FundBranding>();
    b.logo = FromBase64(logo64);
    return std::optional<FundBranding>(std::move(b));
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::PutBranding(const Actor& actor, const FundBranding& b) {
  // The fund's image: its managers and the administrators, not its mediators.
  if (actor.role == Role::kMediator) return Fail(msg::Forbidden("branding.role"));
  if (!MayWriteFundSet(actor, b.organisme)) {
    return Fail(msg::Forbidden("store.report_forbidden", {b.organisme}));
  }
  std::string type;
  if (!b.logo.empty()) {
    if (b.logo.size() > kMaxLogoBytes) {
      return Fail(msg::Invalid("store.logo_size", "logo", {std::to_string(kMaxLogoBytes / 1024)}));
    }
    type = SniffLogo(b.logo);
    if (type.empty()) return Fail(msg::Invalid("store.logo_type", "logo"));
  }
  if (!b.colour.empty() && !IsHexColour(b.colour)) {
    return Fail(msg::Invalid("store.colour", "colour"));
  }
  return InTransaction([&]() -> Status {
    if (auto s = CheckOrganismeExists(b.organisme); !s) return s;
    sql_ << "DELETE FROM fund_branding WHERE organisme = :o", soci::use(b.organisme);
    std::string now = NowTimestamp();
    std::string logo64 = ToBase64(b.logo);
    sql_ << "INSERT INTO fund_branding (organisme, logo_type, logo, colour, updated_by, "
            "updated_at) VALUES (:o, :t, :l, :c, :u, :a)",
        soci::use(b.organisme), soci::use(type), soci::use(logo64), soci::use(b.colour),
        soci::use(actor.user), soci::use(now);
    return AuditNoTx(actor, "report.branding", b.organisme);
  });
}

// ---- Context figures ----

Result<std::optional<ContextFigures>> SqlStore::GetContextFigures(std::string_view fund_set,
                                                                  int year) {
  try {
    Query q;
    q << "SELECT fund_set, year, beneficiaries, national_beneficiaries, all_funds_requests, "
         "complaints, complaints_within_10_days_rate, complaints_mean_days, source, updated_by, "
         "updated_at FROM context_figures WHERE fund_set = ";
    q.Bind(std::string(fund_set));
    q << " AND year = ";
    q.Bind(std::to_string(year));
    return FetchOne(q, [](const soci::row& r) {
      ContextFigures c;
      c.fund_set = GetString(r, 0);
      c.year = static_cast<int>(GetInt(r, 1));
      c.beneficiaries = GetOptInt64(r, 2);
      c.national_beneficiaries = GetOptInt64(r, 3);
      c.all_funds_requests = GetOptInt64(r, 4);
      c.complaints = GetOptInt64(r, 5);
      c.complaints_within_10_days_rate = GetOptDouble(r, 6);
      c.complaints_mean_days = GetOptDouble(r, 7);
      c.source = GetString(r, 8);
      c.updated_by = GetString(r, 9);
      c.updated_at = GetString(r, 10);
      return c;
    });
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::PutContextFigures(const Actor& actor, const ContextFigures& c) {
  if (!MayWriteFundSet(actor, c.fund_set) && !MayWriteNational(actor)) {
    return Fail(msg::Forbidden("store.report_forbidden", {c.fund_set}));
  }
  if (c.year < 1900 || c.year > 2199) {
    return Fail(msg::Invalid("store.year_invalid", "year", {std::to_string(c.year)}));
  }
  struct Named {
    const char* field;
    const std::optional<int64_t>& v;
  };
  for (const Named& n : {Named{"beneficiaries", c.beneficiaries},
                         Named{"national_beneficiaries", c.national_beneficiaries},
                         Named{"all_funds_requests", c.all_funds_requests},
                         Named{"complaints", c.complaints}}) {
    if (n.v && *n.v < 0) return Fail(msg::Invalid("store.context_negative", n.field, {n.field}));
  }
  if (c.complaints_within_10_days_rate &&
      (*c.complaints_within_10_days_rate < 0 || *c.complaints_within_10_days_rate > 1)) {
    return Fail(msg::Invalid("store.context_rate", "complaints_within_10_days_rate",
                             {"complaints_within_10_days_rate"}));
  }
  if (c.complaints_mean_days && *c.complaints_mean_days < 0) {
    return Fail(msg::Invalid("store.context_negative", "complaints_mean_days",
                             {"complaints_mean_days"}));
  }
  return InTransaction([&]() -> Status {
    sql_ << "DELETE FROM context_figures WHERE fund_set = :f AND year = :y",
        soci::use(c.fund_set), soci::use(c.year);
    auto ind = [](const auto& o) { return o ? soci::i_ok : soci::i_null; };
    long long b = c.beneficiaries.value_or(0), nb = c.national_beneficiaries.value_or(0),
              afr = c.all_funds_requests.value_or(0), cp = c.complaints.value_or(0);
    double rate = c.complaints_within_10_days_rate.value_or(0),
           days = c.complaints_mean_days.value_or(0);
    soci::indicator ib = ind(c.beneficiaries), inb = ind(c.national_beneficiaries),
                    iafr = ind(c.all_funds_requests), icp = ind(c.complaints),
                    irate = ind(c.complaints_within_10_days_rate),
                    idays = ind(c.complaints_mean_days);
    std::string now = NowTimestamp();
    sql_ << "INSERT INTO context_figures (fund_set, year, beneficiaries, national_beneficiaries, "
            "all_funds_requests, complaints, complaints_within_10_days_rate, "
            "complaints_mean_days, source, updated_by, updated_at) "
            "VALUES (:f, :y, :b, :nb, :afr, :cp, :rate, :days, :src, :u, :a)",
        soci::use(c.fund_set), soci::use(c.year), soci::use(b, ib), soci::use(nb, inb),
        soci::use(afr, iafr), soci::use(cp, icp), soci::use(rate, irate), soci::use(days, idays),
        soci::use(c.source), soci::use(actor.user), soci::use(now);
    return AuditNoTx(actor, "report.context", c.fund_set + " " + std::to_string(c.year));
  });
}

// ---- Deployment settings ----

Result<std::optional<std::string>> SqlStore::GetSetting(std::string_view key) {
  std::string k(key);
  try {
    std::string v;
    sql_ << "SELECT value FROM deployment_settings WHERE setting = :k", soci::use(k),
        soci::into(v);
    if (!sql_.got_data()) return std::optional<std::string>();
    return std::optional<std::string>(std::move(v));
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::SetSetting(const Actor& actor, std::string_view key, std::string_view value) {
  if (actor.role != Role::kAdministrator || !actor.all_funds) {
    return Fail(msg::Forbidden("store.setting_forbidden"));
  }
  std::string k(key), v(value);
  return InTransaction([&]() -> Status {
    sql_ << "DELETE FROM deployment_settings WHERE setting = :k", soci::use(k);
    if (!v.empty()) {
      sql_ << "INSERT INTO deployment_settings (setting, value) VALUES (:k, :v)", soci::use(k),
          soci::use(v);
    }
    return AuditNoTx(actor, "report.setting", k + "=" + v);
  });
}

}  // namespace amiable::sql
