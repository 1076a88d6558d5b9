#include "web/case_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "core/messages.h"
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
        return Fail(msg::Invalid("api.json_too_deep", {}, {std::to_string(kMaxJsonDepth)}));
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
    return Fail(msg::Invalid("api.body_empty"));
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
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ...":
    // the place is kept, the (English) reason is not.
    const std::string what = e.what();
    std::string line = "1";
    std::string column = std::to_string(e.byte);
    auto number_after = [&what](std::string_view label) -> std::string {
      const size_t p = what.find(label);
      if (p == std::string::npos) return {};
      size_t q = p + label.size();
      size_t r = q;
      while (r < what.size() && what[r] >= '0' && what[r] <= '9') ++r;
      return what.substr(q, r - q);
    };
    if (std::string l = number_after("line "); !l.empty()) line = std::move(l);
    if (std::string c = number_after("column "); !c.empty()) column = std::move(c);
    return Fail(msg::Invalid("api.json_malformed", {}, {line, column}));
  }
  if (!duplicate.empty()) return Fail(msg::Invalid("api.key_twice", duplicate, {duplicate}));
  if (!j.is_object()) return Fail(msg::Invalid("api.body_object"));
  return j;
}

// The first problem ParseCaseLine found, with the others in the message.
Error FromLineErrors(std::vector<Error> errors) {
  if (errors.empty()) return msg::Invalid("api.case_invalid");
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
  if (!v.is_string()) return Fail(msg::Invalid("api.field_string", std::string(name), {name}));
  std::string s = v.get<std::string>();
  if (s.size() > max_bytes) {
    return Fail(
        msg::Invalid("api.field_too_long", std::string(name), {name, std::to_string(max_bytes)}));
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
  if (!v.is_array()) return Fail(msg::Invalid("api.people_list", "people"));
  if (v.size() > 20) return Fail(msg::Invalid("api.people_max", "people", {"20"}));
  for (size_t i = 0; i < v.size(); ++i) {
    const json& p = v[i];
    const std::string where = fmt::format("people[{}]", i);
    if (!p.is_object()) return Fail(msg::Invalid("api.field_object", where, {where}));
    Person person;
    bool has_role = false;
    for (const auto& [key, value] : p.items()) {
      const std::string field = where + "." + key;
      if (key == "role") {
        if (!value.is_string()) return Fail(msg::Invalid("api.field_string", field, {field}));
        auto role = PersonRoleFromCode(value.get<std::string>());
        if (!role) {
          return Fail(msg::Invalid("person.role_unknown", field, {value.get<std::string>()}));
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
      if (target == nullptr) return Fail(msg::Invalid("api.field_unknown", field, {field}));
      auto text = TextField(value, field, kMaxPersonFieldBytes);
      if (!text) return Fail(text.error());
      *target = std::move(*text);
    }
    if (!has_role) return Fail(msg::Invalid("api.person_role_required", where + ".role"));
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

ojson InternalRequestObject(const service::InternalRequestStatus& s, bool with_reference) {
  const InternalRequest& r = s.request;
  ojson j;
  j["id"] = r.id;
  if (with_reference) j["reference"] = r.reference;
  j["service"] = r.service_code;
  j["service_label"] = r.service_label;
  j["question"] = r.question;
  j["sent_on"] = r.sent_on.ToString();
  j["due_on"] = s.due_on.ToString();
  j["answered_on"] = r.answered_on ? ojson(r.answered_on->ToString()) : ojson(nullptr);
  j["working_days"] = s.working_days;
  j["late"] = s.late;
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
  j["orientation_code"] = c.orientation_code ? ojson(*c.orientation_code) : ojson(nullptr);
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
  if (v.internal_requests) {
    ojson list = ojson::array();
    for (const service::InternalRequestStatus& r : *v.internal_requests) {
      list.push_back(InternalRequestObject(r, false));
    }
    j["internal_requests"] = std::move(list);
  }
  if (v.thread) {
    // issue 8, item 6. "at": sent (else queued) for outgoing messages, taken
    // in for incoming ones; "state" and "error" for outgoing ones only.
    ojson thread = ojson::array();
    for (const service::ThreadEntry& e : *v.thread) {
      ojson mj;
      mj["direction"] = e.direction;
      mj["kind"] = e.kind;
      mj["at"] = e.at;
      mj["subject"] = e.subject;
      if (e.direction == "in") {
        ojson from;
        from["name"] = e.from_name;
        from["address"] = e.from_address;
        mj["from"] = std::move(from);
      } else {
        mj["from"] = nullptr;
        mj["to"] = e.to;
      }
      mj["body_text"] = e.body_text;
      ojson atts = ojson::array();
      for (const DocumentMeta& d : e.attachments) {
        ojson aj;
        aj["name"] = d.file_name;
        aj["content_type"] = d.content_type;
        aj["size"] = d.size_bytes;
        aj["document_id"] = d.id;
        atts.push_back(std::move(aj));
      }
      mj["attachments"] = std::move(atts);
      mj["state"] = e.state.empty() ? ojson(nullptr) : ojson(e.state);
      mj["error"] = e.error.empty() ? ojson(nullptr) : ojson(e.error);
      if (e.direction == "out") mj["attempts"] = e.attempts;
      mj["message_id"] = e.message_id;
      if (e.direction == "in") {
        mj["automatic"] = e.automatic.empty() ? ojson(nullptr) : ojson(e.automatic);
        mj["eml_document_id"] = e.eml_document_id ? ojson(e.eml_document_id) : ojson(nullptr);
        mj["flagged"] = e.flagged;
      }
      thread.push_back(std::move(mj));
    }
    j["thread"] = std::move(thread);
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
    return Fail(msg::Invalid("api.field_integer", std::string(field), {field}));
  }
  if (v < min || v > max) {
    return Fail(msg::Invalid("api.field_range", std::string(field),
                             {field, std::to_string(min), std::to_string(max)}));
  }
  return v;
}

Status CheckOrganismeCode(std::string_view code, std::string_view field) {
  if (code.size() != 3 ||
      !std::all_of(code.begin(), code.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return Fail(msg::Invalid("api.organisme_code", std::string(field), {code}));
  }
  return {};
}

Result<std::optional<int64_t>> VersionField(const json& v) {
  if (v.is_null()) return std::optional<int64_t>();
  if (!v.is_number_integer())
    return Fail(msg::Invalid("api.field_integer", "version", {"version"}));
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
      if (!value.is_null()) return Fail(msg::Invalid("api.field_lifecycle", key, {key}));
    } else if (In(InterchangeKeys(), key)) {
      if (!value.is_null()) fields[key] = value;
    } else {
      return Fail(msg::Invalid("api.field_unknown", key, {key}));
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
    return Fail(msg::Invalid("case.received_on_future", "received_on"));
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
      return Fail(msg::Invalid("api.field_readonly", key, {key}));
    } else if (In(kLifecycleKeys, key)) {
      return Fail(msg::Invalid("api.field_lifecycle", key, {key}));
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
      return Fail(msg::Invalid("api.field_unknown", key, {key}));
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
      if (!value.is_boolean()) return Fail(msg::Invalid("api.field_boolean", key, {key}));
      out.guard.confirm_published = value.get<bool>();
    } else if (key == "reference" || key == "organisme") {
      return Fail(msg::Invalid("api.field_readonly", key, {key}));
    } else if (In(kLifecycleKeys, key)) {
      return Fail(msg::Invalid("api.field_lifecycle", key, {key}));
    } else if (key == "financial") {
      return Fail(msg::Invalid("api.financial_route", key));
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
        if (!item.is_string()) return Fail(msg::Invalid("api.field_codes", key, {key}));
        joined += (joined.empty() ? "" : ",") + item.get<std::string>();
      }
      // An empty list is "none" (not unknown): kept as an explicit empty list.
      out.fields.emplace_back(key, value.empty() ? std::string() : joined);
    } else {
      return Fail(msg::Invalid("api.field_value_type", key, {key}));
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
        return Fail(msg::Invalid("api.event_code", "event"));
      }
      out.request.event = value.get<std::string>();
      has_event = true;
    } else if (key == "date") {
      if (value.is_null()) continue;
      std::optional<Date> d;
      if (value.is_string()) d = Date::Parse(value.get<std::string>());
      if (!d) return Fail(msg::Invalid("api.field_date", "date", {"date"}));
      out.request.date = d;
    } else if (key == "version") {
      auto v = VersionField(value);
      if (!v) return Fail(v.error());
      out.version = *v;
    } else if (key == "actor") {
      return Fail(msg::Invalid("api.actor_given", "actor"));
    } else if (key == "confirm_published") {
      if (!value.is_boolean()) return Fail(msg::Invalid("api.field_boolean", key, {key}));
      out.confirm_published = value.get<bool>();
    } else if (key == "confirm_unknown") {
      if (!value.is_array()) return Fail(msg::Invalid("api.field_names", key, {key}));
      for (const json& item : value) {
        if (!item.is_string()) return Fail(msg::Invalid("api.field_names", key, {key}));
        out.confirm_unknown.push_back(item.get<std::string>());
      }
    } else if (value.is_null()) {
      continue;
    } else if (value.is_string()) {
      out.request.params[key] = value.get<std::string>();
    } else if (value.is_array()) {
      std::string joined;
      for (const json& item : value) {
        if (!item.is_string()) return Fail(msg::Invalid("api.field_codes", key, {key}));
        if (!joined.empty()) joined += ',';
        joined += item.get<std::string>();
      }
      out.request.params[key] = std::move(joined);
    } else {
      return Fail(msg::Invalid("api.param_type", key, {key}));
    }
  }
  if (!has_event) return Fail(msg::Invalid("api.event_required", "event"));
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

std::string InternalRequestJson(const service::InternalRequestStatus& r, bool with_reference) {
  return Dump(InternalRequestObject(r, with_reference));
}

std::string InternalRequestListJson(std::span<const service::InternalRequestStatus> items,
                                    bool with_reference) {
  ojson list = ojson::array();
  for (const auto& r : items) list.push_back(InternalRequestObject(r, with_reference));
  return Dump(ojson{{"items", std::move(list)}});
}

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
      if (!s) return Fail(msg::Invalid("api.state_unknown", key, {value}));
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
        return Fail(msg::Invalid("api.field_boolean", key, {key}));
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
      return Fail(msg::Invalid("api.query_unknown", key, {key}));
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
      if (!d) return Fail(msg::Invalid("api.field_date", key, {key}));
      q.as_of = *d;
    } else {
      return Fail(msg::Invalid("api.query_unknown", key, {key}));
    }
  }
  std::sort(q.organismes.begin(), q.organismes.end());
  return q;
}

}  // namespace amiable::web
