// Query helpers of the SOCI store (sql_store_internal.h).
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {

namespace {
std::atomic<const Clock*> g_clock{nullptr};
}  // namespace

std::string NowTimestamp() {
  const Clock* c = g_clock.load(std::memory_order_acquire);
  return IsoTimestamp((c != nullptr ? *c : SystemClock()).Now());
}

void UseClockForTimestamps(const Clock* clock) { g_clock.store(clock, std::memory_order_release); }

namespace {
std::atomic<void (*)()> g_outbox_hook{nullptr};
}  // namespace
void SetOutboxQueuedHook(void (*fn)()) { g_outbox_hook.store(fn, std::memory_order_release); }
void NotifyOutboxQueued() {
  if (auto fn = g_outbox_hook.load(std::memory_order_acquire)) fn();
}

std::string JoinCodes(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    out += v[i];
  }
  return out;
}

std::vector<std::string> SplitCodes(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    out.emplace_back(s.substr(start, comma == std::string_view::npos ? s.npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

Error DbError(const std::exception& e) {
  std::string msg = e.what();
  if (msg.find("UNIQUE constraint") != std::string::npos ||
      msg.find("duplicate key") != std::string::npos) {
    return msg::Conflict("store.duplicate");
  }
  if (msg.find("FOREIGN KEY") != std::string::npos ||
      msg.find("foreign key") != std::string::npos) {
    return msg::Invalid("store.dangling");
  }
  return Error::Internal("database: " + msg);
}

int64_t GetInt(const soci::row& r, size_t i, int64_t def) {
  if (r.get_indicator(i) == soci::i_null) return def;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<int64_t>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<int64_t>(r.get<double>(i));
    case soci::dt_string:
      return std::strtoll(r.get<std::string>(i).c_str(), nullptr, 10);
    default:
      return def;
  }
}

std::optional<std::string> GetOptString(const soci::row& r, size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return r.get<std::string>(i);
}

std::string GetString(const soci::row& r, size_t i) {
  if (r.get_indicator(i) == soci::i_null) return {};
  return r.get<std::string>(i);
}

std::optional<Date> GetOptDate(const soci::row& r, size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return Date::Parse(r.get<std::string>(i));
}

std::optional<std::vector<std::string>> GetOptList(const soci::row& r, size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return SplitCodes(r.get<std::string>(i));
}

std::string SelectedColumns(Columns mode) {
  if (mode == Columns::kAll) return std::string(kCaseColumns);
  static const std::string_view kKeptForDates[] = {"c.id",
                                                   "c.reference",
                                                   "c.organisme",
                                                   "c.received_on",
                                                   "c.admissibility",
                                                   "c.inadmissibility_reason",
                                                   "c.taken_in_charge_on",
                                                   "c.answered_on",
                                                   "c.closed_on",
                                                   "c.state"};
  std::string out;
  std::string_view cols = kCaseColumns;
  while (!cols.empty()) {
    const size_t comma = cols.find(',');
    std::string_view col = cols.substr(0, comma);
    bool keep = true;
    if (mode == Columns::kInterchange) {
      keep = col != "c.description";
    } else {
      keep = std::find(std::begin(kKeptForDates), std::end(kKeptForDates), col) !=
             std::end(kKeptForDates);
    }
    if (!out.empty()) out += ", ";
    out += keep ? std::string(col) : std::string("CAST(NULL AS TEXT)");
    cols = comma == std::string_view::npos ? std::string_view() : cols.substr(comma + 2);
  }
  return out;
}

Case ReadCase(const soci::row& r) {
  Case c;
  c.id = GetInt(r, 0);
  c.reference = GetString(r, 1);
  c.organisme = GetString(r, 2);
  c.received_on = Date::Parse(GetString(r, 3)).value_or(Date());
  c.channel = GetOptString(r, 4);
  c.emitter = GetOptString(r, 5);
  c.allocataire_number = GetOptString(r, 6);
  c.prior_step = GetOptString(r, 7);
  c.prior_step_on = GetOptDate(r, 8);
  c.admissibility = GetString(r, 9);
  c.inadmissibility_reason = GetOptString(r, 10);
  c.taken_in_charge_on = GetOptDate(r, 11);
  c.answered_on = GetOptDate(r, 12);
  c.closed_on = GetOptDate(r, 13);
  c.motives = GetOptList(r, 14);
  c.benefits = GetOptList(r, 15);
  c.cause = GetOptString(r, 16);
  c.household = GetOptString(r, 17);
  c.activity = GetOptString(r, 18);
  if (r.get_indicator(19) != soci::i_null) c.quotient_familial = GetInt(r, 19);
  c.response_modes = GetOptList(r, 20);
  c.resolution = GetOptString(r, 21);
  if (r.get_indicator(22) != soci::i_null) c.fraud = GetInt(r, 22) != 0;
  if (r.get_indicator(23) != soci::i_null) c.financial.emplace();
  c.state = StateFromCode(GetString(r, 24)).value_or(CaseState::kReceived);
  c.orientation = GetOptString(r, 25);
  c.description = GetString(r, 26);
  c.assigned_to = GetString(r, 27);
  c.version = GetInt(r, 28);
  c.orientation_code = GetOptString(r, 29);
  return c;
}

std::optional<std::string> OptDate(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return d->ToString();
}
std::optional<std::string> OptList(const std::optional<std::vector<std::string>>& v) {
  if (!v) return std::nullopt;
  return JoinCodes(*v);
}

std::string ChangesToJson(const std::vector<FieldChange>& changes) {
  nlohmann::json a = nlohmann::json::array();
  for (const FieldChange& c : changes) {
    a.push_back({{"field", c.field}, {"old", c.old_value}, {"new", c.new_value}});
  }
  return a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<FieldChange> ChangesFromJson(std::string_view json) {
  std::vector<FieldChange> out;
  nlohmann::json a = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!a.is_array()) return out;
  for (const nlohmann::json& c : a) {
    if (!c.is_object()) continue;
    auto str = [&](const char* key) {
      auto it = c.find(key);
      return it != c.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    out.push_back({str("field"), str("old"), str("new")});
  }
  return out;
}

}  // namespace amiable::sql
