#include "web/case_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "intake/interchange.h"

namespace amiable::web {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

// Changed only by lifecycle events.
constexpr std::string_view kLifecycleKeys[] = {"admissibility", "inadmissibility_reason",
                                               "taken_in_charge_on", "answered_on", "closed_on"};

// What PATCH may change among the interchange fields.
constexpr std::string_view kPatchableKeys[] = {
    "channel",     "emitter",           "allocataire_number", "prior_step", "prior_step_on",
    "received_on", "motives",           "benefits",           "cause",      "household",
    "activity",    "quotient_familial", "response_modes",     "resolution", "fraud",
    "financial"};

bool In(std::span<const std::string_view> set, std::string_view key) {
  return std::find(set.begin(), set.end(), key) != set.end();
}

constexpr std::string_view kEventsHint =
    "ne change que par un événement du cycle de vie (POST /api/v1/cases/{reference}/events)";

// Refuses bodies nested deeper than kMaxJsonDepth before parsing them (the
// JSON library recurses when printing).
Status CheckDepth(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char ch : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (ch == '\\') {
        escaped = true;
      } else if (ch == '"') {
        in_string = false;
      }
      continue;
    }
    if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > kMaxJsonDepth) {
        return Fail(Error::Invalid(
            fmt::format("JSON nested too deeply (at most {} levels)", kMaxJsonDepth)));
      }
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return {};
}

// One JSON object: malformed JSON, a repeated key or another type is kInvalid.
Result<json> ParseObject(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Fail(Error::Invalid("empty body: a JSON object is expected"));
  }
  if (auto s = CheckDepth(body); !s) return Fail(s.error());
  std::vector<std::unordered_set<std::string>> keys;
  std::string duplicate;
  json::parser_callback_t cb = [&](int, json::parse_event_t ev, json& parsed) {
    switch (ev) {
      case json::parse_event_t::object_start:
        keys.emplace_back();
        break;
      case json::parse_event_t::object_end:
        if (!keys.empty()) keys.pop_back();
        break;
      case json::parse_event_t::key:
        if (!keys.empty() && !keys.back().insert(parsed.get<std::string>()).second &&
            duplicate.empty()) {
          duplicate = parsed.get<std::string>();
        }
        break;
      default:
        break;
    }
    return true;
  };
  json j;
  try {
    j = json::parse(body.begin(), body.end(), cb);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    return Fail(Error::Invalid("malformed JSON: " + what));
  }
  if (!duplicate.empty()) return Fail(Error::Invalid("key given twice", duplicate));
  if (!j.is_object()) return Fail(Error::Invalid("the body must be a JSON object"));
  return j;
}

// The first problem ParseCaseLine found, with the others in the message.
Error FromLineErrors(std::vector<Error> errors) {
  if (errors.empty()) return Error::Invalid("invalid case");
  Error first = errors.front();
  first.line = 0;
  if (errors.size() > 1) {
    for (size_t i = 1; i < errors.size(); ++i) {
      first.message += "; ";
      if (!errors[i].field.empty()) first.message += errors[i].field + ": ";
      first.message += errors[i].message;
    }
  }
  if (first.code != Error::Code::kInvalid) first.code = Error::Code::kInvalid;
  return first;
}

// Checks interchange fields with the import's rules. `obj` holds interchange
// keys only; a placeholder admissibility is supplied when none is decided yet.
Result<Case> ValidateInterchange(json obj) {
  if (!obj.contains("admissibility") || obj["admissibility"].is_null()) {
    obj["admissibility"] = "recevable";  // required by the format, not decided yet
  }
  std::string line = obj.dump(-1, ' ', false, json::error_handler_t::strict);
  auto parsed = ParseCaseLine(line, 1);
  if (!parsed) return Fail(FromLineErrors(std::move(parsed.error())));
  return std::move(*parsed);
}

// Copies the interchange fields a client may set (all but the lifecycle
// ones, reference and organisme) from `from` into `to`.
void CopyClassification(const Case& from, Case& to) {
  to.received_on = from.received_on;
  to.channel = from.channel;
  to.emitter = from.emitter;
  to.allocataire_number = from.allocataire_number;
  to.prior_step = from.prior_step;
  to.prior_step_on = from.prior_step_on;
  to.motives = from.motives;
  to.benefits = from.benefits;
  to.cause = from.cause;
  to.household = from.household;
  to.activity = from.activity;
  to.quotient_familial = from.quotient_familial;
  to.response_modes = from.response_modes;
  to.resolution = from.resolution;
  to.fraud = from.fraud;
  to.financial = from.financial;
}

Result<std::string> TextField(const json& v, std::string_view name, size_t max_bytes) {
  if (v.is_null()) return std::string();
  if (!v.is_string()) return Fail(Error::Invalid("must be a string", std::string(name)));
  std::string s = v.get<std::string>();
  if (s.size() > max_bytes) {
    return Fail(
        Error::Invalid(fmt::format("too long (at most {} bytes)", max_bytes), std::string(name)));
  }
  return s;
}

std::optional<PersonRole> PersonRoleFromCode(std::string_view code) {
  for (PersonRole r : {PersonRole::kBeneficiary, PersonRole::kEmitter, PersonRole::kLandlord}) {
    if (code == PersonRoleCode(r)) return r;
  }
  return std::nullopt;
}

Result<std::vector<Person>> ParsePeople(const json& v) {
  std::vector<Person> people;
  if (v.is_null()) return people;
  if (!v.is_array()) return Fail(Error::Invalid("must be a list of people", "people"));
  if (v.size() > 20) return Fail(Error::Invalid("at most 20 people", "people"));
  for (size_t i = 0; i < v.size(); ++i) {
    const json& p = v[i];
    const std::string where = fmt::format("people[{}]", i);
    if (!p.is_object()) return Fail(Error::Invalid("must be an object", where));
    Person person;
    bool has_role = false;
    for (const auto& [key, value] : p.items()) {
      const std::string field = where + "." + key;
      if (key == "role") {
        if (!value.is_string()) return Fail(Error::Invalid("must be a string", field));
        auto role = PersonRoleFromCode(value.get<std::string>());
        if (!role) {
          return Fail(Error::Invalid("unknown role (beneficiary, emitter or landlord)", field));
        }
        person.role = *role;
        has_role = true;
        continue;
      }
      std::string* target = key == "name"           ? &person.name
                            : key == "organisation" ? &person.organisation
                            : key == "email"        ? &person.email
                            : key == "phone"        ? &person.phone
                            : key == "address"      ? &person.address
                            : key == "function"     ? &person.function
                                                    : nullptr;
      if (target == nullptr) return Fail(Error::Invalid("unknown field", field));
      auto text = TextField(value, field, kMaxPersonFieldBytes);
      if (!text) return Fail(text.error());
      *target = std::move(*text);
    }
    if (!has_role) return Fail(Error::Invalid("missing role", where + ".role"));
    people.push_back(std::move(person));
  }
  return people;
}

// The interchange fields of a case as JSON (absent ones left out).
json InterchangeJson(const Case& c) { return json::parse(SerializeCase(c)); }

ojson DeadlineJson(const std::optional<Deadline>& d) {
  if (!d) return nullptr;
  ojson j;
  j["take_charge_by"] = d->take_charge_by.ToString();
  j["status"] = std::string(d->status);
  j["working_days_left"] = d->working_days_left ? ojson(*d->working_days_left) : ojson(nullptr);
  return j;
}

ojson CaseObject(const CaseView& v) {
  const Case& c = *v.c;
  const json fields = InterchangeJson(c);
  ojson j;
  for (std::string_view key : InterchangeKeys()) {
    auto it = fields.find(std::string(key));
    j[std::string(key)] = it == fields.end() ? ojson(nullptr) : ojson(*it);
  }
  j["state"] = StateCode(c.state);
  j["state_label"] = StateLabel(c.state);
  j["version"] = c.version;
  j["description"] = c.description;
  j["orientation"] = c.orientation ? ojson(*c.orientation) : ojson(nullptr);
  j["assigned_to"] = c.assigned_to.empty() ? ojson(nullptr) : ojson(c.assigned_to);
  j["deadline"] = DeadlineJson(v.deadline);
  if (v.allowed_events) {
    ojson events = ojson::array();
    for (std::string_view e : *v.allowed_events) {
      ojson ev;
      ev["event"] = std::string(e);
      ev["label"] = std::string(EventLabel(e));
      ojson params = ojson::array();
      for (const ParamSpec& p : EventParams(e)) {
        ojson ps;
        ps["name"] = std::string(p.name);
        ps["label"] = std::string(p.label);
        ps["required"] = p.required;
        if (!p.nomenclature.empty()) ps["nomenclature"] = std::string(p.nomenclature);
        params.push_back(std::move(ps));
      }
      ev["params"] = std::move(params);
      events.push_back(std::move(ev));
    }
    j["allowed_events"] = std::move(events);
  }
  if (v.people) {
    ojson people = ojson::array();
    for (const Person& p : *v.people) {
      ojson pj;
      pj["role"] = PersonRoleCode(p.role);
      pj["name"] = p.name;
      pj["organisation"] = p.organisation;
      pj["email"] = p.email;
      pj["phone"] = p.phone;
      pj["address"] = p.address;
      pj["function"] = p.function;
      people.push_back(std::move(pj));
    }
    j["people"] = std::move(people);
  }
  if (v.history) {
    ojson history = ojson::array();
    for (const CaseEvent& e : *v.history) {
      ojson ej;
      ej["at"] = e.at;
      ej["actor"] = e.actor;
      ej["kind"] = e.kind;
      ej["detail"] = e.detail;
      ojson changes = ojson::array();
      for (const FieldChange& ch : e.changes) {
        ojson cj;
        cj["field"] = ch.field;
        cj["old"] = ch.old_value;
        cj["new"] = ch.new_value;
        changes.push_back(std::move(cj));
      }
      ej["changes"] = std::move(changes);
      if (e.published_year != 0) ej["published_year"] = e.published_year;
      history.push_back(std::move(ej));
    }
    j["history"] = std::move(history);
  }
  return j;
}

std::string Dump(const ojson& j) {
  // Stored text is valid UTF-8; replace rather than throw if it ever is not.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<int> ParseInt(std::string_view text, std::string_view field, int min, int max) {
  int v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty()) {
    return Fail(Error::Invalid("must be an integer", std::string(field)));
  }
  if (v < min || v > max) {
    return Fail(
        Error::Invalid(fmt::format("must be between {} and {}", min, max), std::string(field)));
  }
  return v;
}

Status CheckOrganismeCode(std::string_view code, std::string_view field) {
  if (code.size() != 3 ||
      !std::all_of(code.begin(), code.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return Fail(Error::Invalid("an organisme code has 3 digits", std::string(field)));
  }
  return {};
}

Result<std::optional<int64_t>> VersionField(const json& v) {
  if (v.is_null()) return std::optional<int64_t>();
  if (!v.is_number_integer()) return Fail(Error::Invalid("must be an integer", "version"));
  return std::optional<int64_t>(v.get<int64_t>());
}

}  // namespace

Result<CreateRequest> ParseCreateBody(std::string_view body, Date today,
                                      std::string_view default_organisme) {
  auto parsed = ParseObject(body);
  if (!parsed) return Fail(parsed.error());
  CreateRequest out;
  std::string description;
  json fields = json::object();
  for (const auto& [key, value] : parsed->items()) {
    if (key == "description") {
      auto text = TextField(value, key, kMaxDescriptionBytes);
      if (!text) return Fail(text.error());
      description = std::move(*text);
    } else if (key == "people") {
      auto people = ParsePeople(value);
      if (!people) return Fail(people.error());
      out.people = std::move(*people);
    } else if (In(kLifecycleKeys, key)) {
      if (!value.is_null()) return Fail(Error::Invalid(std::string(kEventsHint), key));
    } else if (In(InterchangeKeys(), key)) {
      if (!value.is_null()) fields[key] = value;
    } else {
      return Fail(Error::Invalid("unknown field", key));
    }
  }
  out.reference_given = fields.contains("reference");
  if (!out.reference_given) fields["reference"] = "pending";  // replaced by the caller
  if (!fields.contains("organisme") && !default_organisme.empty()) {
    fields["organisme"] = std::string(default_organisme);
  }
  if (!fields.contains("received_on")) fields["received_on"] = today.ToString();
  auto c = ValidateInterchange(std::move(fields));
  if (!c) return Fail(c.error());
  if (c->received_on > today) {
    return Fail(Error::Invalid("the reception date cannot be in the future", "received_on"));
  }
  out.c = std::move(*c);
  if (!out.reference_given) out.c.reference.clear();
  out.c.admissibility.clear();
  out.c.state = CaseState::kReceived;
  out.c.description = std::move(description);
  return out;
}

Result<PatchResult> ApplyPatchBody(std::string_view body, Case& c) {
  auto parsed = ParseObject(body);
  if (!parsed) return Fail(parsed.error());
  PatchResult out;
  json fields = InterchangeJson(c);
  std::optional<std::string> description;
  for (const auto& [key, value] : parsed->items()) {
    if (key == "version") {
      auto v = VersionField(value);
      if (!v) return Fail(v.error());
      out.version = *v;
    } else if (key == "description") {
      auto text = TextField(value, key, kMaxDescriptionBytes);
      if (!text) return Fail(text.error());
      if (*text != c.description) out.changed.push_back(key);
      description = std::move(*text);
    } else if (key == "reference" || key == "organisme") {
      return Fail(Error::Invalid("cannot be changed", key));
    } else if (In(kLifecycleKeys, key)) {
      return Fail(Error::Invalid(std::string(kEventsHint), key));
    } else if (In(kPatchableKeys, key)) {
      auto it = fields.find(key);
      const bool had = it != fields.end();
      if (value.is_null()) {
        if (had) {
          fields.erase(it);
          out.changed.push_back(key);
        }
      } else if (!had || *it != value) {
        fields[key] = value;
        out.changed.push_back(key);
      }
    } else {
      return Fail(Error::Invalid("unknown field", key));
    }
  }
  auto merged = ValidateInterchange(std::move(fields));
  if (!merged) return Fail(merged.error());
  CopyClassification(*merged, c);
  if (description) c.description = std::move(*description);
  return out;
}

Result<EditBody> ParseEditBody(std::string_view body) {
  auto parsed = ParseObject(body);
  if (!parsed) return Fail(parsed.error());
  EditBody out;
  for (const auto& [key, value] : parsed->items()) {
    if (key == "version") {
      auto v = VersionField(value);
      if (!v) return Fail(v.error());
      out.guard.version = *v;
    } else if (key == "confirm_published") {
      if (!value.is_boolean()) return Fail(Error::Invalid("doit valoir true ou false", key));
      out.guard.confirm_published = value.get<bool>();
    } else if (key == "reference" || key == "organisme") {
      return Fail(Error::Invalid("ne se modifie pas après l'enregistrement", key));
    } else if (In(kLifecycleKeys, key)) {
      return Fail(Error::Invalid(std::string(kEventsHint), key));
    } else if (key == "financial") {
      return Fail(Error::Invalid(
          "les lignes financières se modifient par /api/v1/cases/{reference}/financial", key));
    } else if (value.is_null()) {
      out.fields.emplace_back(key, "");
    } else if (value.is_string()) {
      out.fields.emplace_back(key, value.get<std::string>());
    } else if (value.is_boolean()) {
      out.fields.emplace_back(key, value.get<bool>() ? "true" : "false");
    } else if (value.is_number_integer()) {
      out.fields.emplace_back(key, std::to_string(value.get<int64_t>()));
    } else if (value.is_array()) {
      std::string joined;
      for (const json& item : value) {
        if (!item.is_string()) return Fail(Error::Invalid("doit être une liste de codes", key));
        joined += (joined.empty() ? "" : ",") + item.get<std::string>();
      }
      // An empty list is "none" (not unknown): kept as an explicit empty list.
      out.fields.emplace_back(key, value.empty() ? std::string() : joined);
    } else {
      return Fail(Error::Invalid("type de valeur inattendu", key));
    }
  }
  return out;
}

Result<EventBody> ParseEventBody(std::string_view body, std::string actor) {
  auto parsed = ParseObject(body);
  if (!parsed) return Fail(parsed.error());
  EventBody out;
  out.request.actor = std::move(actor);
  bool has_event = false;
  for (const auto& [key, value] : parsed->items()) {
    if (key == "event") {
      if (!value.is_string() || value.get<std::string>().empty()) {
        return Fail(Error::Invalid("must be an event code", "event"));
      }
      out.request.event = value.get<std::string>();
      has_event = true;
    } else if (key == "date") {
      if (value.is_null()) continue;
      std::optional<Date> d;
      if (value.is_string()) d = Date::Parse(value.get<std::string>());
      if (!d) return Fail(Error::Invalid("must be a date YYYY-MM-DD", "date"));
      out.request.date = d;
    } else if (key == "version") {
      auto v = VersionField(value);
      if (!v) return Fail(v.error());
      out.version = *v;
    } else if (key == "actor") {
      return Fail(Error::Invalid("the actor is the authenticated user", "actor"));
    } else if (key == "confirm_published") {
      if (!value.is_boolean()) return Fail(Error::Invalid("doit valoir true ou false", key));
      out.confirm_published = value.get<bool>();
    } else if (key == "confirm_unknown") {
      if (!value.is_array()) return Fail(Error::Invalid("doit être une liste de champs", key));
      for (const json& item : value) {
        if (!item.is_string()) return Fail(Error::Invalid("doit être une liste de champs", key));
        out.confirm_unknown.push_back(item.get<std::string>());
      }
    } else if (value.is_null()) {
      continue;
    } else if (value.is_string()) {
      out.request.params[key] = value.get<std::string>();
    } else if (value.is_array()) {
      std::string joined;
      for (const json& item : value) {
        if (!item.is_string()) return Fail(Error::Invalid("must be a list of codes", key));
        if (!joined.empty()) joined += ',';
        joined += item.get<std::string>();
      }
      out.request.params[key] = std::move(joined);
    } else {
      return Fail(Error::Invalid("must be a string or a list of strings", key));
    }
  }
  if (!has_event) return Fail(Error::Invalid("missing event", "event"));
  return out;
}

WorkCalendar CalendarOf(const Organisme& o) {
  WorkCalendar cal;
  if (auto z = ZoneFromCode(o.zone)) cal.zone = *z;
  cal.whit_monday_worked = o.whit_monday_worked;
  return cal;
}

std::optional<Deadline> ComputeDeadline(const Case& c, WorkCalendar cal, Date today) {
  if (!InCalendarRange(c.received_on)) return std::nullopt;
  Deadline d;
  d.take_charge_by = TakeChargeDeadline(cal, c.received_on);
  if (c.admissibility == "irrecevable" || c.state == CaseState::kInadmissible) {
    d.status = "not_applicable";
    return d;
  }
  if (c.taken_in_charge_on) {
    d.status = *c.taken_in_charge_on <= d.take_charge_by ? "met" : "missed";
    return d;
  }
  if (!InCalendarRange(today)) {
    d.status = "pending";
    return d;
  }
  const int elapsed = today <= c.received_on ? 0 : WorkingDays(cal, c.received_on, today);
  d.working_days_left = kTakeChargeTargetWorkingDays - elapsed;
  d.status = elapsed > kTakeChargeTargetWorkingDays ? "overdue" : "pending";
  return d;
}

std::string CaseJson(const CaseView& v) { return Dump(CaseObject(v)); }

std::string CaseListJson(std::span<const CaseView> items, int64_t total, int limit, int offset) {
  ojson j;
  ojson list = ojson::array();
  for (const CaseView& v : items) list.push_back(CaseObject(v));
  j["items"] = std::move(list);
  j["total"] = total;
  j["limit"] = limit;
  j["offset"] = offset;
  return Dump(j);
}

std::string UserJson(const User& u) {
  ojson j;
  j["name"] = u.name;
  j["display_name"] = u.display_name;
  j["role"] = RoleCode(u.role);
  j["all_funds"] = u.all_funds;
  j["organismes"] = u.organismes;
  return Dump(j);
}

Result<CaseFilter> ParseListQuery(const QueryParams& params, Date today) {
  CaseFilter f;
  f.today = today;
  f.limit = 50;
  f.offset = 0;
  for (const auto& [key, value] : params) {
    if (key == "organisme") {
      if (auto s = CheckOrganismeCode(value, key); !s) return Fail(s.error());
      if (std::find(f.organismes.begin(), f.organismes.end(), value) == f.organismes.end()) {
        f.organismes.push_back(value);
      }
    } else if (key == "state") {
      auto s = StateFromCode(value);
      if (!s) return Fail(Error::Invalid("unknown state", key));
      f.state = s;
    } else if (key == "year") {
      auto y = ParseInt(value, key, kFirstCalendarYear, kLastCalendarYear);
      if (!y) return Fail(y.error());
      f.year = *y;
    } else if (key == "overdue") {
      if (value == "true" || value == "1") {
        f.overdue_only = true;
      } else if (value == "false" || value == "0") {
        f.overdue_only = false;
      } else {
        return Fail(Error::Invalid("must be true or false", key));
      }
    } else if (key == "limit") {
      auto n = ParseInt(value, key, 1, kMaxListLimit);
      if (!n) return Fail(n.error());
      f.limit = *n;
    } else if (key == "offset") {
      auto n = ParseInt(value, key, 0, 1 << 30);
      if (!n) return Fail(n.error());
      f.offset = *n;
    } else {
      return Fail(Error::Invalid("unknown query parameter", key));
    }
  }
  return f;
}

Result<StatsQuery> ParseStatsQuery(const QueryParams& params, Date today) {
  StatsQuery q;
  q.year = today.year();
  q.as_of = today;
  for (const auto& [key, value] : params) {
    if (key == "organisme") {
      if (auto s = CheckOrganismeCode(value, key); !s) return Fail(s.error());
      if (std::find(q.organismes.begin(), q.organismes.end(), value) == q.organismes.end()) {
        q.organismes.push_back(value);
      }
    } else if (key == "year") {
      auto y = ParseInt(value, key, kFirstCalendarYear, kLastCalendarYear);
      if (!y) return Fail(y.error());
      q.year = *y;
    } else if (key == "as_of") {
      auto d = Date::Parse(value);
      if (!d) return Fail(Error::Invalid("must be a date YYYY-MM-DD", key));
      q.as_of = *d;
    } else {
      return Fail(Error::Invalid("unknown query parameter", key));
    }
  }
  std::sort(q.organismes.begin(), q.organismes.end());
  return q;
}

}  // namespace amiable::web
