// Reading one interchange line: LineParser, the SAX handler that validates a
// line as it is read, and ParseInto, which feeds it from FastScan
// (interchange_fast_scan.h) or, as a fallback, from nlohmann's parser.
#include <array>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/messages.h"
#include "core/nomenclature.h"
#include "intake/interchange.h"
#include "intake/interchange_fast_scan.h"
#include "intake/interchange_internal.h"

namespace amiable::interchange_internal {
namespace {

using Json = nlohmann::json;

// ---------------------------------------------------------------------------
// A JSON scalar as delivered by the SAX parser.
struct Scalar {
  enum Type { kNull, kBool, kNegative, kUnsigned, kFloat, kString } type = kNull;
  bool boolean = false;
  int64_t negative = 0;
  uint64_t unsigned_value = 0;
  std::string_view raw;         // the number's text, for kFloat
  std::string* text = nullptr;  // for kString, may be moved from
};

const char* TypeName(Scalar::Type t) {
  switch (t) {
    case Scalar::kNull:
      return "null";
    case Scalar::kBool:
      return "un booléen";
    case Scalar::kNegative:
    case Scalar::kUnsigned:
    case Scalar::kFloat:
      return "un nombre";
    case Scalar::kString:
      return "une chaîne";
  }
  return "une valeur";
}

// Names a field in an error: "channel", "motives[1]", "financial[0].kind",
// "internal_requests[0].sent_on".
// Built into a string only when an error is reported.
struct FieldRef {
  FieldRef() = default;
  FieldRef(std::string_view n) : name(n) {}  // NOLINT(google-explicit-constructor)
  FieldRef(std::string_view n, int i, std::string_view s) : name(n), index(i), sub(s) {}

  std::string_view name;
  int index = -1;
  std::string_view sub;

  std::string str() const {
    std::string out(name);
    if (index >= 0) out += "[" + std::to_string(index) + "]";
    if (!sub.empty()) {
      out += '.';
      out += sub;
    }
    return out;
  }
};

// Validates one line while nlohmann's SAX parser reads it: no JSON tree is
// built, values go straight into the Case. Problems are appended to `errors`
// in reading order; Finish() adds the checks that need the whole line.
class LineParser {
 public:
  LineParser(int line, Case* c, std::vector<Error>* errors)
      : line_(line), case_(c), errors_(errors), first_error_(errors->size()) {}

  // --- nlohmann SAX interface.
  bool null() { return OnScalar(Scalar{}); }
  bool boolean(bool v) {
    Scalar s;
    s.type = Scalar::kBool;
    s.boolean = v;
    return OnScalar(s);
  }
  bool number_integer(Json::number_integer_t v) {
    Scalar s;
    if (v >= 0) {
      s.type = Scalar::kUnsigned;
      s.unsigned_value = static_cast<uint64_t>(v);
    } else {
      s.type = Scalar::kNegative;
      s.negative = v;
    }
    return OnScalar(s);
  }
  bool number_unsigned(Json::number_unsigned_t v) {
    Scalar s;
    s.type = Scalar::kUnsigned;
    s.unsigned_value = v;
    return OnScalar(s);
  }
  bool number_float(Json::number_float_t, const std::string& raw) {
    Scalar s;
    s.type = Scalar::kFloat;
    s.raw = raw;
    return OnScalar(s);
  }
  bool string(std::string& v) {
    Scalar s;
    s.type = Scalar::kString;
    s.text = &v;
    return OnScalar(s);
  }
  bool binary(Json::binary_t&) { return true; }  // not produced by JSON text
  bool start_object(std::size_t) { return OnOpen(/*array=*/false); }
  bool start_array(std::size_t) { return OnOpen(/*array=*/true); }
  bool end_object() { return OnClose(); }
  bool end_array() { return OnClose(); }
  bool key(std::string& k) {
    if (at_ == At::kTop) {
      field_ = FindField(k);
      if (field_ < 0) {
        const std::string shown = Sanitized(k, 60);
        Add({shown}, "interchange.key_unknown");
      } else if (seen_[field_]) {
        Add({kFields[field_].name}, "interchange.key_twice");
        field_ = -1;
      } else {
        seen_[field_] = true;
      }
      at_ = At::kTopValue;
    } else if (at_ == At::kItem) {
      const bool financial = field_ == kFinancial;
      if (k == (financial ? "kind" : "sent_on")) {
        item_key_ = 0;
      } else if (k == (financial ? "amount_cents" : "answered_on")) {
        item_key_ = 1;
      } else {
        const std::string shown = Sanitized(k, 60);
        Add(Item(shown), "interchange.key_unknown");
        item_key_ = -1;
      }
      if (item_key_ >= 0) {
        if (item_seen_[item_key_]) {
          Add(Item(k), "interchange.key_twice");
          item_key_ = -1;
        } else {
          item_seen_[item_key_] = true;
        }
      }
      at_ = At::kItemValue;
    }
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) {
    errors_->resize(first_error_);  // what was read before is not meaningful
    case_->reference.clear();
    // nlohmann words its reason in English: the byte says where.
    Add({}, "interchange.json", {std::to_string(position)});
    json_ok_ = false;
    return false;
  }

  // Checks that need the whole line: required fields and date order.
  void Finish() {
    if (!json_ok_ || !is_object_) return;
    for (int f : {kReference, kOrganisme, kReceivedOn, kAdmissibility}) {
      if (!present_[f]) Add({kFields[f].name}, "interchange.required");
    }
    CheckDateOrder();
    // Internal requests are sent on or after reception.
    const std::optional<Date> received = dates_[1];
    for (size_t i = 0; i < requests_.size(); ++i) {
      if (received && requests_[i].sent_on < *received) {
        Add({kFields[kInternalRequests].name, request_index_[i], "sent_on"},
            "interchange.date_before", {"received_on", received->ToString()});
      }
    }
    if (!requests_.empty()) case_->internal_requests = std::move(requests_);
  }

  bool ok() const { return errors_->size() == first_error_; }

 private:
  enum class At { kStart, kTop, kTopValue, kList, kItem, kItemValue, kEnd };

  // A problem of the line: the catalogue key of its reason and its arguments.
  void Add(const FieldRef& field, std::string_view key,
           std::initializer_list<std::string_view> args = {}) {
    Error e = msg::Invalid(key, field.str(), args);
    e.line = line_;
    errors_->push_back(std::move(e));
  }

  FieldRef ElementName() const { return {kFields[field_].name, index_, {}}; }
  FieldRef Item(std::string_view key) const { return {kFields[field_].name, index_, key}; }
  // The names of the two keys of an item of the current list field.
  std::string_view ItemKey(int k) const {
    if (field_ == kFinancial) return k == 0 ? "kind" : "amount_cents";
    return k == 0 ? "sent_on" : "answered_on";
  }
  Kind ItemKind(int k) const {
    if (field_ == kFinancial) return k == 0 ? Kind::kCode : Kind::kInteger;
    return Kind::kDate;
  }

  void NotObject(const char* what) { Add({}, "interchange.line_object", {what}); }

  bool OnScalar(const Scalar& v) {
    if (skip_ > 0) return true;
    switch (at_) {
      case At::kStart:
        NotObject(TypeName(v.type));
        at_ = At::kEnd;
        break;
      case At::kTopValue:
        if (field_ >= 0) TopValue(v);
        at_ = At::kTop;
        break;
      case At::kList:
        ListElement(v);
        ++index_;
        break;
      case At::kItemValue:
        if (item_key_ >= 0) ItemValue(v);
        at_ = At::kItem;
        break;
      default:
        break;
    }
    return true;
  }

  // Enters an object or a list; containers where none is expected are
  // reported and skipped whole.
  bool OnOpen(bool array) {
    if (skip_ > 0) {
      ++skip_;
      return true;
    }
    const char* what = array ? "une liste" : "un objet";
    switch (at_) {
      case At::kStart:
        if (array) {
          NotObject(what);
          Skip(At::kEnd);
        } else {
          is_object_ = true;
          at_ = At::kTop;
        }
        break;
      case At::kTopValue: {
        if (field_ < 0) {
          Skip(At::kTop);
          break;
        }
        const Kind kind = kFields[field_].kind;
        if (array &&
            (kind == Kind::kCodes || kind == Kind::kFinancial || kind == Kind::kInternalRequests)) {
          present_[field_] = true;
          if (kind == Kind::kCodes) {
            ListSlot(case_, field_)->emplace();
          } else if (kind == Kind::kFinancial) {
            case_->financial.emplace();
          }
          index_ = 0;
          list_index_.clear();
          at_ = At::kList;
        } else {
          WrongType({kFields[field_].name}, kind, what);
          Skip(At::kTop);
        }
        break;
      }
      case At::kList:
        if (!array && (field_ == kFinancial || field_ == kInternalRequests)) {
          item_seen_[0] = item_seen_[1] = false;
          item_state_[0] = item_state_[1] = kItemAbsent;
          item_kind_.clear();
          at_ = At::kItem;
        } else {
          WrongType(ElementName(),
                    kFields[field_].kind == Kind::kCodes ? Kind::kCode : kFields[field_].kind,
                    what);
          Skip(At::kList);
        }
        break;
      case At::kItemValue:
        if (item_key_ >= 0) {
          WrongType(Item(ItemKey(item_key_)), ItemKind(item_key_), what);
          item_state_[item_key_] = kItemInvalid;
        }
        Skip(At::kItem);
        break;
      default:
        Skip(at_);
        break;
    }
    return true;
  }

  bool OnClose() {
    if (skip_ > 0) {
      if (--skip_ == 0) {
        at_ = resume_;
        if (at_ == At::kList) ++index_;
      }
      return true;
    }
    switch (at_) {
      case At::kList:
        at_ = At::kTop;
        break;
      case At::kItem:
        FinishItem();
        at_ = At::kList;
        ++index_;
        break;
      case At::kTop:
        at_ = At::kEnd;
        break;
      default:
        break;
    }
    return true;
  }

  void Skip(At resume) {
    skip_ = 1;
    resume_ = resume;
  }

  void WrongType(const FieldRef& field, Kind kind, const char* got) {
    std::string_view expected;
    switch (kind) {
      case Kind::kText:
        expected = "interchange.type_text";
        break;
      case Kind::kCode:
        expected = "interchange.type_code";
        break;
      case Kind::kDate:
        expected = "interchange.type_date";
        break;
      case Kind::kCodes:
        expected = "interchange.type_codes";
        break;
      case Kind::kInteger:
        expected = "interchange.type_integer";
        break;
      case Kind::kBool:
        expected = "interchange.type_bool";
        break;
      case Kind::kFinancial:
        expected = "interchange.type_financial";
        break;
      case Kind::kInternalRequests:
        expected = "interchange.type_internal_requests";
        break;
    }
    Add(field, expected, {got});
  }

  // Validates a non-negative integer; on success stores it in *out.
  bool Integer(const FieldRef& field, const Scalar& v, int64_t* out) {
    switch (v.type) {
      case Scalar::kUnsigned:
        if (v.unsigned_value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          Add(field, "interchange.too_large");
          return false;
        }
        *out = static_cast<int64_t>(v.unsigned_value);
        return true;
      case Scalar::kNegative:
        Add(field, "interchange.negative", {std::to_string(v.negative)});
        return false;
      case Scalar::kFloat:
        Add(field, "interchange.not_integer", {v.raw});
        return false;
      default:
        WrongType(field, Kind::kInteger, TypeName(v.type));
        return false;
    }
  }

  // Validates a code of `n`; on success returns true.
  bool Code(const FieldRef& field, const Scalar& v, const Nomenclature& n) {
    if (v.type != Scalar::kString) {
      WrongType(field, Kind::kCode, TypeName(v.type));
      return false;
    }
    if (!n.Contains(*v.text)) {
      Add(field, "interchange.code_unknown", {Shown(*v.text), n.name});
      return false;
    }
    return true;
  }

  void TopValue(const Scalar& v) {
    if (v.type == Scalar::kNull) return;  // null is absent
    present_[field_] = true;
    const FieldSpec& spec = kFields[field_];
    const FieldRef name{spec.name};
    switch (spec.kind) {
      case Kind::kText:
        Text(name, v);
        break;
      case Kind::kCode:
        if (Code(name, v, spec.nomenclature())) {
          if (field_ == kAdmissibility) {
            case_->admissibility = std::move(*v.text);
          } else {
            *CodeSlot(case_, field_) = std::move(*v.text);
          }
        }
        break;
      case Kind::kDate:
        DateValue(name, v);
        break;
      case Kind::kInteger: {
        int64_t n = 0;
        if (Integer(name, v, &n)) case_->quotient_familial = n;
        break;
      }
      case Kind::kBool:
        if (v.type == Scalar::kBool) {
          case_->fraud = v.boolean;
        } else {
          WrongType(name, Kind::kBool, TypeName(v.type));
        }
        break;
      case Kind::kCodes:
      case Kind::kFinancial:
      case Kind::kInternalRequests:
        WrongType(name, spec.kind, TypeName(v.type));
        break;
    }
  }

  void Text(const FieldRef& name, const Scalar& v) {
    if (v.type != Scalar::kString) {
      WrongType(name, Kind::kText, TypeName(v.type));
      return;
    }
    std::string& s = *v.text;
    switch (field_) {
      case kReference: {
        if (s.empty()) {
          Add(name, "interchange.empty");
          return;
        }
        if (s.size() > kMaxReferenceBytes) {
          Add(name, "interchange.too_long",
              {std::to_string(s.size()), std::to_string(kMaxReferenceBytes)});
          return;
        }
        for (char c : s) {
          if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
            Add(name, "interchange.control");
            return;
          }
        }
        case_->reference = std::move(s);
        return;
      }
      case kOrganisme:
        if (!AllDigits(s, 3)) {
          Add(name, "interchange.organisme", {Shown(s)});
          return;
        }
        case_->organisme = std::move(s);
        return;
      case kAllocataireNumber:
        if (!AllDigits(s, 7)) {
          Add(name, "interchange.allocataire_number", {Shown(s)});
          return;
        }
        case_->allocataire_number = std::move(s);
        return;
      default:
        return;
    }
  }

  void DateValue(const FieldRef& name, const Scalar& v) {
    if (const std::optional<Date> d = ParseDate(name, v)) dates_[DateSlot(field_)] = *d;
  }

  // Validates a date; reports the problem and returns nullopt when it is not one.
  std::optional<Date> ParseDate(const FieldRef& name, const Scalar& v) {
    if (v.type != Scalar::kString) {
      WrongType(name, Kind::kDate, TypeName(v.type));
      return std::nullopt;
    }
    const std::string& s = *v.text;
    const bool shape = s.size() == 10 && s[4] == '-' && s[7] == '-' &&
                       AllDigits(std::string_view(s).substr(0, 4), 4) &&
                       AllDigits(std::string_view(s).substr(5, 2), 2) &&
                       AllDigits(std::string_view(s).substr(8, 2), 2);
    if (!shape) {
      Add(name, "interchange.date_shape", {Shown(s)});
      return std::nullopt;
    }
    const std::optional<Date> d = Date::Parse(s);
    if (!d) Add(name, "interchange.date_impossible", {Shown(s)});
    return d;
  }

  void ListElement(const Scalar& v) {
    if (field_ == kFinancial || field_ == kInternalRequests) {
      WrongType(ElementName(), kFields[field_].kind, TypeName(v.type));
      return;
    }
    const FieldRef name = ElementName();
    if (!Code(name, v, kFields[field_].nomenclature())) return;
    std::vector<std::string>& list = **ListSlot(case_, field_);
    for (size_t i = 0; i < list.size(); ++i) {
      if (list[i] == *v.text) {
        Add(name, "interchange.code_twice",
            {Shown(*v.text),
             std::string(kFields[field_].name) + "[" + std::to_string(list_index_[i]) + "]"});
        return;
      }
    }
    list.push_back(std::move(*v.text));
    list_index_.push_back(index_);
  }

  void ItemValue(const Scalar& v) {
    if (v.type == Scalar::kNull) return;  // reported missing by FinishItem (or unanswered)
    item_state_[item_key_] = kItemInvalid;
    if (field_ == kInternalRequests) {
      if (const std::optional<Date> d = ParseDate(Item(ItemKey(item_key_)), v)) {
        item_dates_[item_key_] = *d;
        item_state_[item_key_] = kItemValid;
      }
      return;
    }
    if (item_key_ == 0) {
      if (Code(Item("kind"), v, nomenclature::FinancialKind())) {
        item_kind_ = std::move(*v.text);
        item_state_[0] = kItemValid;
      }
    } else {
      if (Integer(Item("amount_cents"), v, &item_amount_)) item_state_[1] = kItemValid;
    }
  }

  void FinishItem() {
    if (field_ == kInternalRequests) {
      // answered_on absent or null: not answered yet.
      if (item_state_[0] == kItemAbsent) Add(Item("sent_on"), "interchange.required");
      if (item_state_[0] != kItemValid || item_state_[1] == kItemInvalid) return;
      InternalRequestDates d{item_dates_[0], std::nullopt};
      if (item_state_[1] == kItemValid) {
        if (item_dates_[1] < item_dates_[0]) {
          Add(Item("answered_on"), "interchange.date_before",
              {Item("sent_on").str(), item_dates_[0].ToString()});
          return;
        }
        d.answered_on = item_dates_[1];
      }
      requests_.push_back(d);
      request_index_.push_back(index_);
      return;
    }
    if (item_state_[0] == kItemAbsent) Add(Item("kind"), "interchange.required");
    if (item_state_[1] == kItemAbsent) Add(Item("amount_cents"), "interchange.required");
    if (item_state_[0] == kItemValid && item_state_[1] == kItemValid) {
      case_->financial->push_back(FinancialLine{std::move(item_kind_), item_amount_});
    }
  }

  void CheckDateOrder() {
    static constexpr int kReceived = 1;  // index of received_on in kDateOrder
    bool reported[kDateCount] = {};
    auto name = [](int slot) { return kFields[kDateOrder[slot]].name; };
    // received_on is the anchor: compare it first, then the nearest others.
    static constexpr int kCandidates[] = {1, 0, 2, 3};
    for (int j = 0; j < kDateCount; ++j) {
      if (!dates_[j]) continue;
      for (int i : kCandidates) {
        if (i >= j || !dates_[i] || *dates_[i] <= *dates_[j]) continue;
        if (j == kReceived) {  // prior_step_on after received_on: the prior step is wrong
          if (!reported[i]) {
            Add({name(i)}, "interchange.date_after_received", {dates_[j]->ToString()});
            reported[i] = true;
          }
        } else if (!reported[j]) {
          Add({name(j)}, "interchange.date_before", {name(i), dates_[i]->ToString()});
          reported[j] = true;
        }
        break;
      }
    }
    if (dates_[0]) case_->prior_step_on = dates_[0];
    if (dates_[1]) case_->received_on = *dates_[1];
    if (dates_[2]) case_->taken_in_charge_on = dates_[2];
    if (dates_[3]) case_->answered_on = dates_[3];
    if (dates_[4]) case_->closed_on = dates_[4];
  }

  const int line_;
  Case* case_;
  std::vector<Error>* errors_;
  const size_t first_error_;

  At at_ = At::kStart;
  At resume_ = At::kStart;
  int skip_ = 0;  // depth inside a container being skipped
  bool json_ok_ = true;
  bool is_object_ = false;
  int field_ = -1;                           // the top-level field being read, -1 when ignored
  int index_ = 0;                            // index in the current list
  std::array<bool, kFieldCount> seen_{};     // key appeared
  std::array<bool, kFieldCount> present_{};  // key appeared with a non-null value
  std::optional<Date> dates_[kDateCount];
  std::vector<int> list_index_;  // list positions of the codes kept so far

  // The financial line being read.
  enum ItemState : uint8_t { kItemAbsent, kItemValid, kItemInvalid };
  int item_key_ = -1;  // 0 kind, 1 amount_cents, -1 ignored
  bool item_seen_[2] = {};
  ItemState item_state_[2] = {};
  std::string item_kind_;
  int64_t item_amount_ = 0;
  Date item_dates_[2];  // the internal request being read: sent_on, answered_on

  // The internal requests read so far, and their positions in the list.
  std::vector<InternalRequestDates> requests_;
  std::vector<int> request_index_;
};

}  // namespace

// Parses `line` into *c; returns false when problems were appended to
// *errors. c->reference is set whenever the reference itself is valid.
bool ParseInto(std::string_view line, int line_number, Case* c, std::vector<Error>* errors,
               std::string* scratch, bool fast) {
  const size_t before = errors->size();
  const size_t bad = FindInvalidUtf8(line);
  if (bad != kNpos) {
    Error e = msg::Invalid("interchange.encoding", {}, {std::to_string(bad + 1)});
    e.line = line_number;
    errors->push_back(std::move(e));
    return false;
  }
  if (fast) {
    LineParser handler(line_number, c, errors);
    if (FastScan(line, &handler, scratch)) {
      handler.Finish();
      return errors->size() == before;
    }
  }
  errors->resize(before);
  *c = Case{};
  LineParser parser(line_number, c, errors);
  try {
    const bool parsed = Json::sax_parse(line.begin(), line.end(), &parser);
    if (parsed) parser.Finish();
  } catch (const std::exception&) {  // not expected from the SAX parser
    errors->resize(before);
    c->reference.clear();
    Error err = msg::Invalid("interchange.json", {}, {"0"});
    err.line = line_number;
    errors->push_back(std::move(err));
  }
  return errors->size() == before;
}

}  // namespace amiable::interchange_internal
