// The case interchange format: the field table, the text helpers and checks
// shared by the reader, and the public parse entry points. The line handler
// and ParseInto are in interchange_scan.cc, the writer in
// interchange_write.cc; interchange_internal.h lists what they share.
#include "intake/interchange.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <utility>

#include "core/messages.h"
#include "core/nomenclature.h"
#include "intake/interchange_internal.h"

namespace amiable {
namespace interchange_internal {

// ---------------------------------------------------------------------------
// Small text helpers.

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
// The fields of a line (FieldId, Kind and FieldSpec: interchange_internal.h).

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
    {"internal_requests", Kind::kInternalRequests, nullptr},
};

int FindField(std::string_view key) {
  for (int i = 0; i < kFieldCount; ++i) {
    if (kFields[i].name.size() == key.size() && kFields[i].name == key) return i;
  }
  return -1;
}

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

}  // namespace interchange_internal

using interchange_internal::IsBlank;
using interchange_internal::kFieldCount;
using interchange_internal::kFields;
using interchange_internal::ParseInto;
using interchange_internal::Shown;

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
