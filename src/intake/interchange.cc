#include "intake/interchange.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "core/messages.h"
#include "core/nomenclature.h"

namespace amiable {
namespace {

using Json = nlohmann::json;

constexpr size_t kNpos = std::string_view::npos;

// ---------------------------------------------------------------------------
// Small text helpers.

// The 0-based offset of the first byte that does not start a well-formed
// UTF-8 sequence (no overlong forms, no surrogates, <= U+10FFFF), or kNpos.
size_t FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {  // ASCII fast path
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c == 0xE0) {
      len = 3;
      lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      len = 3;
    } else if (c == 0xED) {
      len = 3;
      hi = 0x9F;
    } else if (c == 0xF0) {
      len = 4;
      lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      len = 4;
    } else if (c == 0xF4) {
      len = 4;
      hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return kNpos;
}

// Text of the input made safe for a one-line message: control characters
// escaped, cut after `max` bytes on a character boundary (with "…").
// Input is valid UTF-8.
std::string Sanitized(std::string_view s, size_t max) {
  size_t cut = s.size();
  if (cut > max) {
    cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  }
  std::string out;
  out.reserve(cut + 4);
  for (size_t i = 0; i < cut; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (cut < s.size()) out += "…";
  return out;
}

// A value as shown inside a message: quoted and sanitized.
std::string Shown(std::string_view s) { return "« " + Sanitized(s, 40) + " »"; }

bool AllDigits(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// The fields of a line.

enum FieldId : int {
  kReference,
  kOrganisme,
  kReceivedOn,
  kChannel,
  kEmitter,
  kAllocataireNumber,
  kPriorStep,
  kPriorStepOn,
  kAdmissibility,
  kInadmissibilityReason,
  kTakenInChargeOn,
  kAnsweredOn,
  kClosedOn,
  kMotives,
  kBenefits,
  kCause,
  kHousehold,
  kActivity,
  kQuotientFamilial,
  kResponseModes,
  kResolution,
  kFraud,
  kFinancial,
  kFieldCount,
};

enum class Kind : uint8_t { kText, kCode, kDate, kCodes, kInteger, kBool, kFinancial };

struct FieldSpec {
  std::string_view name;
  Kind kind;
  const Nomenclature& (*nomenclature)();  // for kCode and kCodes
};

// In canonical order (domain.md §7), indexed by FieldId.
constexpr FieldSpec kFields[kFieldCount] = {
    {"reference", Kind::kText, nullptr},
    {"organisme", Kind::kText, nullptr},
    {"received_on", Kind::kDate, nullptr},
    {"channel", Kind::kCode, &nomenclature::Channel},
    {"emitter", Kind::kCode, &nomenclature::Emitter},
    {"allocataire_number", Kind::kText, nullptr},
    {"prior_step", Kind::kCode, &nomenclature::PriorStep},
    {"prior_step_on", Kind::kDate, nullptr},
    {"admissibility", Kind::kCode, &nomenclature::Admissibility},
    {"inadmissibility_reason", Kind::kCode, &nomenclature::InadmissibilityReason},
    {"taken_in_charge_on", Kind::kDate, nullptr},
    {"answered_on", Kind::kDate, nullptr},
    {"closed_on", Kind::kDate, nullptr},
    {"motives", Kind::kCodes, &nomenclature::Motive},
    {"benefits", Kind::kCodes, &nomenclature::Benefit},
    {"cause", Kind::kCode, &nomenclature::Cause},
    {"household", Kind::kCode, &nomenclature::Household},
    {"activity", Kind::kCode, &nomenclature::Activity},
    {"quotient_familial", Kind::kInteger, nullptr},
    {"response_modes", Kind::kCodes, &nomenclature::ResponseMode},
    {"resolution", Kind::kCode, &nomenclature::Resolution},
    {"fraud", Kind::kBool, nullptr},
    {"financial", Kind::kFinancial, nullptr},
};

int FindField(std::string_view key) {
  for (int i = 0; i < kFieldCount; ++i) {
    if (kFields[i].name.size() == key.size() && kFields[i].name == key) return i;
  }
  return -1;
}

// Dates in the order they must respect.
constexpr int kDateOrder[] = {kPriorStepOn, kReceivedOn, kTakenInChargeOn, kAnsweredOn, kClosedOn};
constexpr int kDateCount = 5;

int DateSlot(int field) {
  for (int i = 0; i < kDateCount; ++i) {
    if (kDateOrder[i] == field) return i;
  }
  return -1;
}

std::optional<std::string>* CodeSlot(Case* c, int field) {
  switch (field) {
    case kChannel:
      return &c->channel;
    case kEmitter:
      return &c->emitter;
    case kPriorStep:
      return &c->prior_step;
    case kInadmissibilityReason:
      return &c->inadmissibility_reason;
    case kCause:
      return &c->cause;
    case kHousehold:
      return &c->household;
    case kActivity:
      return &c->activity;
    case kResolution:
      return &c->resolution;
    default:
      return nullptr;
  }
}

std::optional<std::vector<std::string>>* ListSlot(Case* c, int field) {
  switch (field) {
    case kMotives:
      return &c->motives;
    case kBenefits:
      return &c->benefits;
    case kResponseModes:
      return &c->response_modes;
    default:
      return nullptr;
  }
}

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

// Names a field in an error: "channel", "motives[1]", "financial[0].kind".
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
      if (k == "kind") {
        item_key_ = 0;
      } else if (k == "amount_cents") {
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
  FieldRef Item(std::string_view key) const { return {"financial", index_, key}; }

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
        if (array && (kind == Kind::kCodes || kind == Kind::kFinancial)) {
          present_[field_] = true;
          if (kind == Kind::kCodes) {
            ListSlot(case_, field_)->emplace();
          } else {
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
        if (!array && field_ == kFinancial) {
          item_seen_[0] = item_seen_[1] = false;
          item_state_[0] = item_state_[1] = kItemAbsent;
          item_kind_.clear();
          at_ = At::kItem;
        } else {
          WrongType(ElementName(),
                    kFields[field_].kind == Kind::kCodes ? Kind::kCode : Kind::kFinancial, what);
          Skip(At::kList);
        }
        break;
      case At::kItemValue:
        if (item_key_ >= 0) {
          WrongType(Item(item_key_ == 0 ? "kind" : "amount_cents"),
                    item_key_ == 0 ? Kind::kCode : Kind::kInteger, what);
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
    if (v.type != Scalar::kString) {
      WrongType(name, Kind::kDate, TypeName(v.type));
      return;
    }
    const std::string& s = *v.text;
    const bool shape = s.size() == 10 && s[4] == '-' && s[7] == '-' &&
                       AllDigits(std::string_view(s).substr(0, 4), 4) &&
                       AllDigits(std::string_view(s).substr(5, 2), 2) &&
                       AllDigits(std::string_view(s).substr(8, 2), 2);
    if (!shape) {
      Add(name, "interchange.date_shape", {Shown(s)});
      return;
    }
    const std::optional<Date> d = Date::Parse(s);
    if (!d) {
      Add(name, "interchange.date_impossible", {Shown(s)});
      return;
    }
    dates_[DateSlot(field_)] = *d;
  }

  void ListElement(const Scalar& v) {
    if (field_ == kFinancial) {
      WrongType(ElementName(), Kind::kFinancial, TypeName(v.type));
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
    if (v.type == Scalar::kNull) return;  // reported missing by FinishItem
    item_state_[item_key_] = kItemInvalid;
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
};

// A scanner for the JSON that interchange files are made of (no escapes in
// strings, integers of at most 18 digits, nesting up to 32), delivering the
// same SAX events as nlohmann's parser, several times faster. It accepts only
// valid JSON; on anything else, valid or not, it returns false and the line
// is read again by nlohmann's parser, which also words the syntax errors.
// Requires valid UTF-8.
template <typename Handler>
bool FastScan(std::string_view s, Handler* h, std::string* scratch) {
  const char* p = s.data();
  const char* const end = p + s.size();
  char stack[32];
  int depth = 0;
  auto skip_ws = [&] {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  };
  // Reads a string at p (which is '"') into *scratch.
  auto read_string = [&]() -> bool {
    const char* q = ++p;
    while (q < end) {
      const unsigned char c = static_cast<unsigned char>(*q);
      if (c == '"') break;
      if (c == '\\' || c < 0x20) return false;
      ++q;
    }
    if (q == end) return false;
    scratch->assign(p, q);
    p = q + 1;
    return true;
  };
  enum class Next { kValue, kKey, kAfterValue };
  Next next = Next::kValue;
  for (;;) {
    switch (next) {
      case Next::kValue: {
        skip_ws();
        if (p == end) return false;
        const char c = *p;
        if (c == '{' || c == '[') {
          if (depth == static_cast<int>(sizeof stack)) return false;
          ++p;
          skip_ws();
          if (c == '{') {
            h->start_object(static_cast<std::size_t>(-1));
            if (p < end && *p == '}') {
              ++p;
              h->end_object();
              next = Next::kAfterValue;
            } else {
              stack[depth++] = c;
              next = Next::kKey;
            }
          } else {
            h->start_array(static_cast<std::size_t>(-1));
            if (p < end && *p == ']') {
              ++p;
              h->end_array();
              next = Next::kAfterValue;
            } else {
              stack[depth++] = c;
              next = Next::kValue;
            }
          }
          break;
        }
        if (c == '"') {
          if (!read_string()) return false;
          h->string(*scratch);
        } else if (c == 't' || c == 'f' || c == 'n') {
          const std::string_view rest(p, static_cast<size_t>(end - p));
          if (rest.starts_with("true")) {
            h->boolean(true);
            p += 4;
          } else if (rest.starts_with("false")) {
            h->boolean(false);
            p += 5;
          } else if (rest.starts_with("null")) {
            h->null();
            p += 4;
          } else {
            return false;
          }
        } else if (c == '-' || (c >= '0' && c <= '9')) {
          const bool negative = c == '-';
          if (negative) ++p;
          const char* digits = p;
          if (p < end && *p == '0') {
            ++p;
          } else if (p < end && *p >= '1' && *p <= '9') {
            while (p < end && *p >= '0' && *p <= '9') ++p;
          } else {
            return false;
          }
          if (p < end && (*p == '.' || *p == 'e' || *p == 'E')) return false;
          if (p - digits > 18) return false;
          int64_t v = 0;
          for (const char* d = digits; d < p; ++d) v = v * 10 + (*d - '0');
          if (negative) {
            h->number_integer(-v);
          } else {
            h->number_unsigned(static_cast<uint64_t>(v));
          }
        } else {
          return false;
        }
        next = Next::kAfterValue;
        break;
      }
      case Next::kKey:
        skip_ws();
        if (p == end || *p != '"' || !read_string()) return false;
        h->key(*scratch);
        skip_ws();
        if (p == end || *p != ':') return false;
        ++p;
        next = Next::kValue;
        break;
      case Next::kAfterValue:
        skip_ws();
        if (depth == 0) return p == end;
        if (p == end) return false;
        if (*p == ',') {
          ++p;
          next = stack[depth - 1] == '{' ? Next::kKey : Next::kValue;
        } else if (*p == '}' && stack[depth - 1] == '{') {
          ++p;
          --depth;
          h->end_object();
        } else if (*p == ']' && stack[depth - 1] == '[') {
          ++p;
          --depth;
          h->end_array();
        } else {
          return false;
        }
        break;
    }
  }
}

// Parses `line` into *c; returns false when problems were appended to
// *errors. c->reference is set whenever the reference itself is valid.
bool ParseInto(std::string_view line, int line_number, Case* c, std::vector<Error>* errors,
               std::string* scratch, bool fast = true) {
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

// ---------------------------------------------------------------------------
// Writing.

void AppendString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
      ++i;
    } else if (c < 0x20) {
      switch (c) {
        case '\n':
          out->append("\\n");
          break;
        case '\r':
          out->append("\\r");
          break;
        case '\t':
          out->append("\\t");
          break;
        case '\b':
          out->append("\\b");
          break;
        case '\f':
          out->append("\\f");
          break;
        default:
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
      }
      ++i;
    } else if (c < 0x80) {
      out->push_back(static_cast<char>(c));
      ++i;
    } else {
      // Copy a well-formed sequence; replace a malformed byte by U+FFFD so
      // that the output is always valid UTF-8.
      const size_t bad = FindInvalidUtf8(s.substr(i, 4));
      size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      if (bad == 0 || (bad != kNpos && bad < len) || i + len > s.size()) {
        out->append("\xEF\xBF\xBD");
        ++i;
      } else {
        out->append(s.substr(i, len));
        i += len;
      }
    }
  }
  out->push_back('"');
}

void AppendDate(std::string* out, Date d) {
  char buf[10];
  int y = d.year();
  const int m = d.month();
  const int day = d.day();
  for (int k = 3; k >= 0; --k) {
    buf[k] = static_cast<char>('0' + y % 10);
    y /= 10;
  }
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + m / 10);
  buf[6] = static_cast<char>('0' + m % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + day / 10);
  buf[9] = static_cast<char>('0' + day % 10);
  out->push_back('"');
  out->append(buf, 10);
  out->push_back('"');
}

void AppendKey(std::string* out, std::string_view key) {
  out->append(",\"");
  out->append(key);
  out->append("\":");
}

void Put(std::string* out, std::string_view key, const std::optional<std::string>& v) {
  if (!v) return;
  AppendKey(out, key);
  AppendString(out, *v);
}

void Put(std::string* out, std::string_view key, const std::optional<Date>& v) {
  if (!v) return;
  AppendKey(out, key);
  AppendDate(out, *v);
}

void Put(std::string* out, std::string_view key, const std::optional<std::vector<std::string>>& v) {
  if (!v) return;
  AppendKey(out, key);
  out->push_back('[');
  for (size_t i = 0; i < v->size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendString(out, (*v)[i]);
  }
  out->push_back(']');
}

}  // namespace

std::expected<Case, std::vector<Error>> ParseCaseLine(std::string_view line, int line_number) {
  Case c;
  std::vector<Error> errors;
  std::string scratch;
  if (!ParseInto(line, line_number, &c, &errors, &scratch))
    return std::unexpected(std::move(errors));
  return c;
}

std::expected<Case, std::vector<Error>> ParseCaseLineReference(std::string_view line,
                                                               int line_number) {
  Case c;
  std::vector<Error> errors;
  std::string scratch;
  if (!ParseInto(line, line_number, &c, &errors, &scratch, /*fast=*/false)) {
    return std::unexpected(std::move(errors));
  }
  return c;
}

std::string SerializeCase(const Case& c) {
  std::string out;
  out.reserve(512);
  out.append("{\"reference\":");
  AppendString(&out, c.reference);
  AppendKey(&out, "organisme");
  AppendString(&out, c.organisme);
  AppendKey(&out, "received_on");
  AppendDate(&out, c.received_on);
  Put(&out, "channel", c.channel);
  Put(&out, "emitter", c.emitter);
  Put(&out, "allocataire_number", c.allocataire_number);
  Put(&out, "prior_step", c.prior_step);
  Put(&out, "prior_step_on", c.prior_step_on);
  if (!c.admissibility.empty()) {
    AppendKey(&out, "admissibility");
    AppendString(&out, c.admissibility);
  }
  Put(&out, "inadmissibility_reason", c.inadmissibility_reason);
  Put(&out, "taken_in_charge_on", c.taken_in_charge_on);
  Put(&out, "answered_on", c.answered_on);
  Put(&out, "closed_on", c.closed_on);
  Put(&out, "motives", c.motives);
  Put(&out, "benefits", c.benefits);
  Put(&out, "cause", c.cause);
  Put(&out, "household", c.household);
  Put(&out, "activity", c.activity);
  if (c.quotient_familial) {
    AppendKey(&out, "quotient_familial");
    out.append(std::to_string(*c.quotient_familial));
  }
  Put(&out, "response_modes", c.response_modes);
  Put(&out, "resolution", c.resolution);
  if (c.fraud) {
    AppendKey(&out, "fraud");
    out.append(*c.fraud ? "true" : "false");
  }
  if (c.financial) {
    AppendKey(&out, "financial");
    out.push_back('[');
    for (size_t i = 0; i < c.financial->size(); ++i) {
      const FinancialLine& f = (*c.financial)[i];
      if (i > 0) out.push_back(',');
      out.append("{\"kind\":");
      AppendString(&out, f.kind);
      out.append(",\"amount_cents\":");
      out.append(std::to_string(f.amount_cents));
      out.push_back('}');
    }
    out.push_back(']');
  }
  out.push_back('}');
  return out;
}

bool SameInterchangeFields(const Case& a, const Case& b) {
  auto same_financial = [](const std::optional<std::vector<FinancialLine>>& x,
                           const std::optional<std::vector<FinancialLine>>& y) {
    if (x.has_value() != y.has_value()) return false;
    if (!x) return true;
    if (x->size() != y->size()) return false;
    for (size_t i = 0; i < x->size(); ++i) {
      if ((*x)[i].kind != (*y)[i].kind || (*x)[i].amount_cents != (*y)[i].amount_cents)
        return false;
    }
    return true;
  };
  return a.reference == b.reference && a.organisme == b.organisme &&
         a.received_on == b.received_on && a.channel == b.channel && a.emitter == b.emitter &&
         a.allocataire_number == b.allocataire_number && a.prior_step == b.prior_step &&
         a.prior_step_on == b.prior_step_on && a.admissibility == b.admissibility &&
         a.inadmissibility_reason == b.inadmissibility_reason &&
         a.taken_in_charge_on == b.taken_in_charge_on && a.answered_on == b.answered_on &&
         a.closed_on == b.closed_on && a.motives == b.motives && a.benefits == b.benefits &&
         a.cause == b.cause && a.household == b.household && a.activity == b.activity &&
         a.quotient_familial == b.quotient_familial && a.response_modes == b.response_modes &&
         a.resolution == b.resolution && a.fraud == b.fraud &&
         same_financial(a.financial, b.financial);
}

ParsedFile ParseCaseStream(std::istream& in) {
  ParsedFile out;
  // References of lines that have one but are invalid otherwise: they still
  // count for duplicates, so that one run reports every problem.
  std::vector<std::pair<std::string, int>> invalid_refs;
  std::string line;
  std::string scratch;
  int number = 0;
  try {
    // A seekable stream (a file) gives its size: reserving for lines of 128
    // bytes or more avoids moving cases as the vector grows. The memory
    // reserved beyond what is used is never touched.
    const std::streampos at = in.tellg();
    if (at != std::streampos(-1) && in.seekg(0, std::ios::end)) {
      const std::streamoff size = in.tellg() - at;
      in.seekg(at);
      if (size > 0) {
        const size_t estimate = static_cast<size_t>(size / 128) + 1;
        out.cases.reserve(std::min<size_t>(estimate, 1 << 22));
        out.lines.reserve(std::min<size_t>(estimate, 1 << 22));
      }
    }
    in.clear();
    while (std::getline(in, line)) {
      ++number;
      std::string_view v = line;
      if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
      if (IsBlank(v)) continue;
      if (v.size() > kMaxLineBytes) {
        Error e = msg::Invalid("interchange.line_too_long", {},
                               {std::to_string(v.size()), std::to_string(kMaxLineBytes)});
        e.line = number;
        out.errors.push_back(std::move(e));
        continue;
      }
      Case c;
      if (ParseInto(v, number, &c, &out.errors, &scratch)) {
        out.cases.push_back(std::move(c));
        out.lines.push_back(number);
      } else if (!c.reference.empty()) {
        invalid_refs.emplace_back(std::move(c.reference), number);
      }
    }
    if (in.bad()) {
      out.errors.push_back(msg::Make(Error::Code::kUnavailable, "interchange.read"));
    }

    // Duplicate references: every occurrence after the first is an error.
    struct Ref {
      std::string_view reference;
      int line;
      int case_index;  // -1 for an invalid line
    };
    std::vector<Ref> refs;
    refs.reserve(out.cases.size() + invalid_refs.size());
    for (size_t i = 0; i < out.cases.size(); ++i) {
      refs.push_back({out.cases[i].reference, out.lines[i], static_cast<int>(i)});
    }
    for (const auto& [reference, l] : invalid_refs) refs.push_back({reference, l, -1});
    std::sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) {
      return a.reference != b.reference ? a.reference < b.reference : a.line < b.line;
    });
    std::vector<bool> drop;
    bool any_duplicate = false;
    for (size_t i = 1; i < refs.size(); ++i) {
      if (refs[i].reference != refs[i - 1].reference) continue;
      size_t first = i - 1;
      while (first > 0 && refs[first - 1].reference == refs[i].reference) --first;
      Error e = msg::Invalid("interchange.reference_twice", "reference",
                             {Shown(refs[i].reference), std::to_string(refs[first].line)});
      e.line = refs[i].line;
      out.errors.push_back(std::move(e));
      if (refs[i].case_index >= 0) {
        if (drop.empty()) drop.resize(out.cases.size());
        drop[static_cast<size_t>(refs[i].case_index)] = true;
      }
      any_duplicate = true;
    }
    if (any_duplicate) {
      refs.clear();  // views into the cases moved below
      size_t kept = 0;
      for (size_t i = 0; i < out.cases.size(); ++i) {
        if (!drop.empty() && drop[i]) continue;
        if (kept != i) {
          out.cases[kept] = std::move(out.cases[i]);
          out.lines[kept] = out.lines[i];
        }
        ++kept;
      }
      out.cases.resize(kept);
      out.lines.resize(kept);
      std::stable_sort(out.errors.begin(), out.errors.end(),
                       [](const Error& a, const Error& b) { return a.line < b.line; });
    }
  } catch (const std::exception&) {  // allocation failure or a stream set to throw
    out.errors.push_back(msg::Make(Error::Code::kUnavailable, "interchange.read"));
  }
  return out;
}

std::span<const std::string_view> InterchangeKeys() {
  static const std::array<std::string_view, kFieldCount> keys = [] {
    std::array<std::string_view, kFieldCount> k{};
    for (int i = 0; i < kFieldCount; ++i) k[static_cast<size_t>(i)] = kFields[i].name;
    return k;
  }();
  return keys;
}

}  // namespace amiable
