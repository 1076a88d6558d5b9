#include "report/context_figures.h"

#include <cmath>

#include "core/french_format.h"
#include "core/french_parse.h"
#include "core/messages.h"
#include "core/text.h"

namespace amiable::report {
namespace {

Status ApplyCount(const std::string& text, const char* member, bool empty_clears,
                  std::optional<int64_t>* out) {
  const std::string t = Trim(text);
  if (t.empty()) {
    if (empty_clears) out->reset();
    return {};
  }
  auto v = fr::ParseCount(t);
  if (!v) return Fail(msg::Invalid("report.typed_count", member, {ContextFieldLabel(member), t}));
  *out = *v;
  return {};
}

Status ApplyNumber(const std::string& text, const char* member, bool percent, bool empty_clears,
                   std::optional<double>* out) {
  const std::string t = Trim(text);
  if (t.empty()) {
    if (empty_clears) out->reset();
    return {};
  }
  auto v = percent ? fr::ParsePercent(t) : fr::ParseDecimal(t);
  if (!v) {
    return Fail(msg::Invalid(percent ? "report.typed_percent" : "report.typed_number", member,
                             {ContextFieldLabel(member), t}));
  }
  *out = *v;
  return {};
}

// "94,34" from 0.9434; "5,9" from 5.9: the decimals needed, at most 4.
std::string Plain(double v) {
  std::string s = fr::Decimal(v, 4);
  while (s.ends_with("0")) s.pop_back();
  if (s.ends_with(",")) s.pop_back();
  return s;
}

}  // namespace

std::string ContextFieldLabel(std::string_view member) {
  if (member == "beneficiaries") return "Allocataires de la Caf au 30 juin";
  if (member == "national_beneficiaries") return "Allocataires de l'ensemble des Caf au 30 juin";
  if (member == "all_funds_requests") return "Demandes de médiation de l'ensemble des Caf";
  if (member == "complaints") return "Réclamations de premier niveau reçues par la Caf";
  if (member == "complaints_within_10_days") return "Part des réclamations traitées en 10 jours";
  if (member == "complaints_mean_days") return "Délai moyen de traitement des réclamations (jours)";
  if (member == "source") return "Source";
  return std::string(member);
}

Result<ContextFigures> ApplyContextText(ContextFigures c, const ContextText& t,
                                        bool empty_clears) {
  if (auto s = ApplyCount(t.beneficiaries, "beneficiaries", empty_clears, &c.beneficiaries); !s) {
    return Fail(s.error());
  }
  if (auto s = ApplyCount(t.national_beneficiaries, "national_beneficiaries", empty_clears,
                          &c.national_beneficiaries);
      !s) {
    return Fail(s.error());
  }
  if (auto s = ApplyCount(t.all_funds_requests, "all_funds_requests", empty_clears,
                          &c.all_funds_requests);
      !s) {
    return Fail(s.error());
  }
  if (auto s = ApplyCount(t.complaints, "complaints", empty_clears, &c.complaints); !s) {
    return Fail(s.error());
  }
  if (auto s = ApplyNumber(t.complaints_within_10_days, "complaints_within_10_days", true,
                           empty_clears, &c.complaints_within_10_days_rate);
      !s) {
    return Fail(s.error());
  }
  if (auto s = ApplyNumber(t.complaints_mean_days, "complaints_mean_days", false, empty_clears,
                           &c.complaints_mean_days);
      !s) {
    return Fail(s.error());
  }
  if (t.source) {
    std::string src = Trim(*t.source);
    if (src.size() > kMaxContextSource) {
      return Fail(msg::Invalid("report.context_source", "source",
                               {std::to_string(kMaxContextSource)}));
    }
    if (!src.empty() || empty_clears) c.source = std::move(src);
  }
  return c;
}

ContextText ContextTextOf(const ContextFigures& c) {
  ContextText t;
  auto count = [](const std::optional<int64_t>& v) { return v ? fr::Count(*v) : std::string(); };
  t.beneficiaries = count(c.beneficiaries);
  t.national_beneficiaries = count(c.national_beneficiaries);
  t.all_funds_requests = count(c.all_funds_requests);
  t.complaints = count(c.complaints);
  if (c.complaints_within_10_days_rate) {
    t.complaints_within_10_days = Plain(*c.complaints_within_10_days_rate * 100.0);
  }
  if (c.complaints_mean_days) t.complaints_mean_days = Plain(*c.complaints_mean_days);
  t.source = c.source;
  return t;
}

bool HasContextFigures(const ContextFigures& c) {
  return c.beneficiaries || c.national_beneficiaries || c.all_funds_requests || c.complaints ||
         c.complaints_within_10_days_rate || c.complaints_mean_days;
}

}  // namespace amiable::report
