// Writing the interchange format: SerializeCase, the canonical writer, and
// SameInterchangeFields.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intake/interchange.h"
#include "intake/interchange_internal.h"

namespace amiable {
namespace {

using interchange_internal::FindInvalidUtf8;
using interchange_internal::kNpos;

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
  if (c.internal_requests && !c.internal_requests->empty()) {
    AppendKey(&out, "internal_requests");
    out.push_back('[');
    for (size_t i = 0; i < c.internal_requests->size(); ++i) {
      const InternalRequestDates& r = (*c.internal_requests)[i];
      if (i > 0) out.push_back(',');
      out.append("{\"sent_on\":");
      AppendDate(&out, r.sent_on);
      out.append(",\"answered_on\":");
      if (r.answered_on) {
        AppendDate(&out, *r.answered_on);
      } else {
        out.append("null");
      }
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
         same_financial(a.financial, b.financial) && a.internal_requests == b.internal_requests;
}

}  // namespace amiable
