#include "report/aggregate.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "core/nomenclature.h"

namespace amiable::report {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kFormatVersion = 1;
constexpr const char* kFormatName = "amiable-aggregate";

// An error of the figures naming the key (core/messages.cc "aggregate.*").
Error Bad(std::string_view id, const std::string& key) { return msg::Invalid(id, key, {key}); }

Result<int64_t> Count(const Json& j, const std::string& key) {
  if (!j.is_number_integer() && !j.is_number_unsigned()) return Fail(Bad("aggregate.integer", key));
  const int64_t v = j.get<int64_t>();
  if (v < 0) return Fail(Bad("aggregate.integer", key));
  return v;
}

Result<std::optional<double>> Number(const Json& j, const std::string& key, bool is_rate) {
  if (j.is_null()) return std::optional<double>();
  if (!j.is_number()) return Fail(Bad("aggregate.number", key));
  const double v = j.get<double>();
  if (!std::isfinite(v) || v < 0 || (is_rate && v > 1.0 + 1e-9)) {
    return Fail(Bad(is_rate ? "aggregate.rate" : "aggregate.negative", key));
  }
  return std::optional<double>(v);
}

const Json* Field(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

Status ReadBreakdown(const Json& root, const Nomenclature& nom, int64_t population,
                     Breakdown* out) {
  const std::string key = "by_" + std::string(nom.name);
  out->name = std::string(nom.name);
  out->counts.clear();
  out->unknown = 0;
  out->population = population;
  const Json* b = Field(root, key.c_str());
  if (b == nullptr) {
    // Not given (a partial aggregate): every case of the population unknown,
    // so that no share is made up.
    for (const auto& e : nom.entries) out->counts.emplace_back(std::string(e.code), 0);
    out->unknown = population;
    return {};
  }
  if (!b->is_object()) return Fail(Bad("aggregate.object", key));
  for (const auto& e : nom.entries) {
    int64_t n = 0;
    if (const Json* v = Field(*b, std::string(e.code).c_str())) {
      auto c = Count(*v, key + "." + std::string(e.code));
      if (!c) return Fail(c.error());
      n = *c;
    }
    out->counts.emplace_back(std::string(e.code), n);
  }
  if (const Json* u = Field(*b, "unknown")) {
    auto c = Count(*u, key + ".unknown");
    if (!c) return Fail(c.error());
    out->unknown = *c;
  }
  return {};
}

bool SeveralValued(std::string_view name) {
  return name == "motive" || name == "benefit" || name == "response_mode";
}

}  // namespace

static Result<YearFigures> FiguresFromJsonValue(const Json& j) {
  if (!j.is_object()) return Fail(msg::Invalid("aggregate.figures_object", "figures"));
  YearFigures f;
  if (const Json* o = Field(j, "organismes")) {
    if (!o->is_array()) return Fail(Bad("aggregate.array", "organismes"));
    for (const Json& c : *o) {
      if (!c.is_string()) return Fail(Bad("aggregate.fund_codes", "organismes"));
      const std::string code = c.get<std::string>();
      if (code.size() > 8) return Fail(Bad("aggregate.fund_codes", "organismes"));
      f.organismes.push_back(code);
    }
  }
  const Json* year = Field(j, "year");
  if (year == nullptr || !year->is_number_integer()) return Fail(Bad("aggregate.year", "year"));
  f.year = year->get<int>();
  if (f.year < 1900 || f.year > 2199) return Fail(Bad("aggregate.year", "year"));
  if (const Json* a = Field(j, "as_of"); a != nullptr && a->is_string()) {
    auto d = Date::Parse(a->get<std::string>());
    if (!d) return Fail(Bad("aggregate.date", "as_of"));
    f.as_of = *d;
  }
  auto count = [&](const char* key, int64_t* out) -> Status {
    const Json* v = Field(j, key);
    if (v == nullptr) return {};
    auto c = Count(*v, key);
    if (!c) return Fail(c.error());
    *out = *c;
    return {};
  };
  auto rate = [&](const Json& obj, const char* key, const std::string& path, bool is_rate,
                  std::optional<double>* out) -> Status {
    const Json* v = Field(obj, key);
    if (v == nullptr) return {};
    auto r = Number(*v, path, is_rate);
    if (!r) return Fail(r.error());
    *out = *r;
    return {};
  };
  if (auto s = count("received", &f.received); !s) return Fail(s.error());
  if (auto s = count("inadmissible", &f.inadmissible); !s) return Fail(s.error());
  if (auto s = count("closed", &f.closed); !s) return Fail(s.error());
  if (const Json* m = Field(j, "monthly_received")) {
    if (!m->is_array() || m->size() != 12)
      return Fail(Bad("aggregate.months", "monthly_received"));
    for (size_t i = 0; i < 12; ++i) {
      auto c = Count((*m)[i], "monthly_received");
      if (!c) return Fail(c.error());
      f.monthly_received[i] = *c;
    }
  }
  if (auto s = rate(j, "inadmissible_rate", "inadmissible_rate", true, &f.inadmissible_rate); !s) {
    return Fail(s.error());
  }
  if (auto s = ReadBreakdown(j, nomenclature::InadmissibilityReason(), f.inadmissible,
                             &f.by_inadmissibility_reason);
      !s) {
    return Fail(s.error());
  }
  struct Named {
    const Nomenclature& nom;
    Breakdown* b;
  };
  const Named closed_breakdowns[] = {
      {nomenclature::Channel(), &f.by_channel},
      {nomenclature::Emitter(), &f.by_emitter},
      {nomenclature::PriorStep(), &f.by_prior_step},
      {nomenclature::Cause(), &f.by_cause},
      {nomenclature::Household(), &f.by_household},
      {nomenclature::Activity(), &f.by_activity},
      {nomenclature::QfBracket(), &f.by_qf_bracket},
      {nomenclature::Resolution(), &f.by_resolution},
      {nomenclature::Motive(), &f.by_motive},
      {nomenclature::Benefit(), &f.by_benefit},
      {nomenclature::ResponseMode(), &f.by_response_mode},
  };
  for (const Named& n : closed_breakdowns) {
    if (auto s = ReadBreakdown(j, n.nom, f.closed, n.b); !s) return Fail(s.error());
    if (!SeveralValued(n.b->name) && Field(j, ("by_" + n.b->name).c_str()) != nullptr) {
      int64_t sum = n.b->unknown;
      for (const auto& [code, c] : n.b->counts) sum += c;
      if (sum != f.closed) {
        return Fail(Bad("aggregate.sum", "by_" + n.b->name));
      }
    }
  }
  if (const Json* d = Field(j, "delays")) {
    if (!d->is_object()) return Fail(Bad("aggregate.object", "delays"));
    DelayFigures& df = f.delays;
    if (auto s = rate(*d, "take_charge_working_days_avg", "delays.take_charge_working_days_avg",
                      false, &df.take_charge_working_days_avg);
        !s) {
      return Fail(s.error());
    }
    if (auto s = rate(*d, "answer_working_days_avg", "delays.answer_working_days_avg", false,
                      &df.answer_working_days_avg);
        !s) {
      return Fail(s.error());
    }
    if (auto s = rate(*d, "answer_calendar_days_avg", "delays.answer_calendar_days_avg", false,
                      &df.answer_calendar_days_avg);
        !s) {
      return Fail(s.error());
    }
    if (auto s = rate(*d, "take_charge_within_target_rate", "delays.take_charge_within_target_rate",
                      true, &df.take_charge_within_target_rate);
        !s) {
      return Fail(s.error());
    }
  }
  for (int q = 0; q < 4; ++q) f.quarterly_take_charge[q].quarter = q + 1;
  if (const Json* qs = Field(j, "quarterly_take_charge")) {
    if (!qs->is_array() || qs->size() != 4) {
      return Fail(Bad("aggregate.quarters", "quarterly_take_charge"));
    }
    for (size_t i = 0; i < 4; ++i) {
      const Json& q = (*qs)[i];
      if (!q.is_object()) return Fail(Bad("aggregate.object", "quarterly_take_charge"));
      QuarterFigures& out = f.quarterly_take_charge[i];
      const std::string path = "quarterly_take_charge[" + std::to_string(i) + "]";
      for (auto [key, dst] : {std::pair<const char*, int64_t*>{"met", &out.met},
                              {"missed", &out.missed},
                              {"pending", &out.pending}}) {
        if (const Json* v = Field(q, key)) {
          auto c = Count(*v, path + "." + key);
          if (!c) return Fail(c.error());
          *dst = *c;
        }
      }
      if (auto s = rate(q, "rate", path + ".rate", true, &out.rate); !s) return Fail(s.error());
    }
  }
  const Nomenclature& kinds = nomenclature::FinancialKind();
  const Json* fin = Field(j, "financial");
  for (size_t i = 0; i < f.financial.size() && i < kinds.entries.size(); ++i) {
    FinancialFigures& out = f.financial[i];
    out.kind = std::string(kinds.entries[i].code);
    if (fin == nullptr || !fin->is_object()) continue;
    const Json* k = Field(*fin, out.kind.c_str());
    if (k == nullptr) continue;
    if (!k->is_object()) return Fail(Bad("aggregate.object", "financial." + out.kind));
    if (const Json* v = Field(*k, "count")) {
      auto c = Count(*v, "financial." + out.kind + ".count");
      if (!c) return Fail(c.error());
      out.count = *c;
    }
    if (const Json* v = Field(*k, "amount_cents")) {
      auto c = Count(*v, "financial." + out.kind + ".amount_cents");
      if (!c) return Fail(c.error());
      out.amount_cents = *c;
    }
  }
  if (auto s = rate(j, "fraud_rate", "fraud_rate", true, &f.fraud_rate); !s) return Fail(s.error());
  if (f.fraud_rate) f.fraud_cases = std::llround(*f.fraud_rate * static_cast<double>(f.closed));
  if (auto s = rate(j, "revision_rate", "revision_rate", true, &f.revision_rate); !s) {
    return Fail(s.error());
  }
  if (const Json* t = Field(j, "teleprocedure")) {
    if (!t->is_object()) return Fail(Bad("aggregate.object", "teleprocedure"));
    TeleprocedureFigures& tf = f.teleprocedure;
    if (const Json* v = Field(*t, "received")) {
      auto c = Count(*v, "teleprocedure.received");
      if (!c) return Fail(c.error());
      tf.received = *c;
    }
    if (const Json* v = Field(*t, "closed")) {
      auto c = Count(*v, "teleprocedure.closed");
      if (!c) return Fail(c.error());
      tf.closed = *c;
    }
    if (auto s = rate(*t, "inadmissible_rate", "teleprocedure.inadmissible_rate", true,
                      &tf.inadmissible_rate);
        !s) {
      return Fail(s.error());
    }
    if (auto s =
            rate(*t, "share_of_closed", "teleprocedure.share_of_closed", true, &tf.share_of_closed);
        !s) {
      return Fail(s.error());
    }
    if (auto s = rate(*t, "revision_rate", "teleprocedure.revision_rate", true, &tf.revision_rate);
        !s) {
      return Fail(s.error());
    }
    if (auto s =
            rate(*t, "take_charge_working_days_avg", "teleprocedure.take_charge_working_days_avg",
                 false, &tf.take_charge_working_days_avg);
        !s) {
      return Fail(s.error());
    }
    if (tf.inadmissible_rate) {
      tf.inadmissible = std::llround(*tf.inadmissible_rate * static_cast<double>(tf.received));
    }
  }
  if (const Json* t = Field(j, "internal_requests")) {
    if (!t->is_object()) return Fail(Bad("aggregate.object", "internal_requests"));
    InternalRequestFigures& ir = f.internal_requests;
    if (const Json* v = Field(*t, "sent")) {
      auto c = Count(*v, "internal_requests.sent");
      if (!c) return Fail(c.error());
      ir.sent = *c;
    }
    if (const Json* v = Field(*t, "answered")) {
      auto c = Count(*v, "internal_requests.answered");
      if (!c) return Fail(c.error());
      ir.answered = *c;
    }
    if (auto s = rate(*t, "answer_working_days_avg", "internal_requests.answer_working_days_avg",
                      false, &ir.answer_working_days_avg);
        !s) {
      return Fail(s.error());
    }
    ir.with_delay = ir.answer_working_days_avg ? ir.answered : 0;
  }
  return f;
}

Result<YearFigures> FiguresFromJson(std::string_view json) {
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Fail(msg::Invalid("aggregate.figures_json", "figures"));
  return FiguresFromJsonValue(j);
}

std::string AggregateToJson(const Aggregate& a) {
  Json j = Json::object();
  j["format"] = kFormatName;
  j["version"] = kFormatVersion;
  j["scope"] = AggregateScopeCode(a.scope);
  j["exported_on"] = a.exported_on;
  if (a.source == "typed") j["source"] = a.source;
  Json figures = Json::parse(FiguresToJson(a.figures));
  if (!a.given.empty()) {
    Json kept = Json::object();
    for (auto& [key, value] : figures.items()) {
      if (key == "organismes" || key == "year" || key == "as_of") {
        kept[key] = value;
      } else if (key == "delays" && a.given.count(key)) {
        Json d = Json::object();
        for (auto& [k, v] : value.items()) {
          if (a.given.count("delays." + k)) d[k] = v;
        }
        kept[key] = std::move(d);
      } else if (a.given.count(key)) {
        kept[key] = value;
      }
    }
    figures = std::move(kept);
  }
  j["figures"] = std::move(figures);
  return j.dump(1) + "\n";
}

Result<Aggregate> AggregateFromJson(std::string_view json) {
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(msg::Invalid("aggregate.not_object"));
  }
  for (const auto& [key, value] : j.items()) {
    if (key != "format" && key != "version" && key != "scope" && key != "exported_on" &&
        key != "source" && key != "figures") {
      return Fail(msg::Invalid("aggregate.unknown_key", key, {key}));
    }
  }
  const Json* format = Field(j, "format");
  if (format == nullptr || *format != kFormatName) {
    return Fail(msg::Invalid("aggregate.format", "format"));
  }
  const Json* version = Field(j, "version");
  if (version == nullptr || !version->is_number_integer() ||
      version->get<int>() != kFormatVersion) {
    return Fail(msg::Invalid("aggregate.version", "version"));
  }
  Aggregate a;
  const Json* scope = Field(j, "scope");
  if (scope == nullptr || !scope->is_string()) {
    return Fail(msg::Invalid("aggregate.scope_missing", "scope"));
  }
  auto s = AggregateScopeFromCode(scope->get<std::string>());
  if (!s) {
    return Fail(msg::Invalid("aggregate.scope", "scope"));
  }
  a.scope = *s;
  if (const Json* e = Field(j, "exported_on"); e != nullptr && e->is_string()) {
    if (!Date::Parse(e->get<std::string>())) {
      return Fail(msg::Invalid("aggregate.exported_on", "exported_on"));
    }
    a.exported_on = e->get<std::string>();
  }
  if (const Json* src = Field(j, "source")) {
    if (!src->is_string() || (*src != "imported" && *src != "typed")) {
      return Fail(msg::Invalid("aggregate.source", "source"));
    }
    a.source = src->get<std::string>();
  }
  const Json* figures = Field(j, "figures");
  if (figures == nullptr) return Fail(msg::Invalid("aggregate.figures_missing", "figures"));
  auto f = FiguresFromJsonValue(*figures);
  if (!f) return Fail(f.error());
  a.figures = std::move(*f);
  // The figures given: the keys present (a partial file gives only some).
  for (const auto& [key, value] : figures->items()) {
    if (key == "organismes" || key == "year" || key == "as_of") continue;
    a.given.insert(key);
    if (key == "delays" && value.is_object()) {
      for (const auto& [k, v] : value.items()) a.given.insert("delays." + k);
    }
  }
  if (a.given.empty()) return Fail(msg::Invalid("aggregate.nothing_given", "figures"));
  return a;
}

}  // namespace amiable::report
