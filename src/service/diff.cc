// DiffCases and the list of report fields closing checks.
#include <functional>

#include "service/case_service.h"
#include "service/internal.h"

namespace amiable::service {
namespace {

std::string Opt(const std::optional<std::string>& v) { return v.value_or(""); }
std::string Opt(const std::optional<Date>& v) { return v ? v->ToString() : ""; }
std::string List(const std::optional<std::vector<std::string>>& v) {
  if (!v) return "";
  std::string out;
  for (const std::string& s : *v) out += (out.empty() ? "" : ",") + s;
  return v->empty() ? "(aucun)" : out;
}
std::string Financial(const std::optional<std::vector<FinancialLine>>& v) {
  if (!v) return "";
  std::string out;
  for (const FinancialLine& l : *v) {
    out += (out.empty() ? "" : ",") + l.kind + ":" + std::to_string(l.amount_cents);
  }
  return out;
}

using Getter = std::function<std::string(const Case&)>;
struct FieldGetter {
  const char* name;
  Getter get;
};

const std::vector<FieldGetter>& Getters() {
  static const std::vector<FieldGetter> kGetters = {
      {"reference", [](const Case& c) { return c.reference; }},
      {"organisme", [](const Case& c) { return c.organisme; }},
      {"received_on", [](const Case& c) { return c.received_on.ToString(); }},
      {"channel", [](const Case& c) { return Opt(c.channel); }},
      {"emitter", [](const Case& c) { return Opt(c.emitter); }},
      {"allocataire_number", [](const Case& c) { return Opt(c.allocataire_number); }},
      {"prior_step", [](const Case& c) { return Opt(c.prior_step); }},
      {"prior_step_on", [](const Case& c) { return Opt(c.prior_step_on); }},
      {"admissibility", [](const Case& c) { return c.admissibility; }},
      {"inadmissibility_reason", [](const Case& c) { return Opt(c.inadmissibility_reason); }},
      {"taken_in_charge_on", [](const Case& c) { return Opt(c.taken_in_charge_on); }},
      {"answered_on", [](const Case& c) { return Opt(c.answered_on); }},
      {"closed_on", [](const Case& c) { return Opt(c.closed_on); }},
      {"motives", [](const Case& c) { return List(c.motives); }},
      {"benefits", [](const Case& c) { return List(c.benefits); }},
      {"cause", [](const Case& c) { return Opt(c.cause); }},
      {"household", [](const Case& c) { return Opt(c.household); }},
      {"activity", [](const Case& c) { return Opt(c.activity); }},
      {"quotient_familial",
       [](const Case& c) {
         return c.quotient_familial ? std::to_string(*c.quotient_familial) : std::string();
       }},
      {"response_modes", [](const Case& c) { return List(c.response_modes); }},
      {"resolution", [](const Case& c) { return Opt(c.resolution); }},
      {"fraud",
       [](const Case& c) { return c.fraud ? std::string(*c.fraud ? "true" : "false") : ""; }},
      {"financial", [](const Case& c) { return Financial(c.financial); }},
      {"state", [](const Case& c) { return std::string(StateCode(c.state)); }},
      {"orientation", [](const Case& c) { return Opt(c.orientation); }},
      {"orientation_code", [](const Case& c) { return Opt(c.orientation_code); }},
      {"description", [](const Case& c) { return c.description; }},
      {"assigned_to", [](const Case& c) { return c.assigned_to; }},
  };
  return kGetters;
}

constexpr std::string_view kClosingFields[] = {
    "channel",  "emitter",           "prior_step",     "motives", "benefits", "household",
    "activity", "quotient_familial", "response_modes", "fraud",
};

}  // namespace

std::span<const std::string_view> ReportFieldsForClosing() { return kClosingFields; }

std::vector<std::string_view> EmptyFieldsForClosing(const Case& c) {
  std::vector<std::string_view> out;
  for (std::string_view f : kClosingFields) {
    const std::string v = FieldText(c, f);
    if (v.empty() || v == "(aucun)") out.push_back(f);
  }
  return out;
}

std::vector<FieldChange> DiffCases(const Case& before, const Case& after) {
  std::vector<FieldChange> out;
  for (const FieldGetter& g : Getters()) {
    std::string a = g.get(before);
    std::string b = g.get(after);
    if (a != b) out.push_back({g.name, std::move(a), std::move(b)});
  }
  return out;
}

std::string FieldText(const Case& c, std::string_view field) {
  for (const FieldGetter& g : Getters()) {
    if (g.name == field) return g.get(c);
  }
  return {};
}

}  // namespace amiable::service
