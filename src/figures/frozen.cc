#include "figures/frozen.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "core/nomenclature.h"

namespace amiable {

namespace {

using Json = nlohmann::ordered_json;

Json Opt(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }
std::optional<double> OptOf(const Json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<double>();
}

Json BreakdownState(const Breakdown& b) {
  Json counts = Json::array();
  for (const auto& [code, n] : b.counts) counts.push_back(Json::array({code, n}));
  return {{"name", b.name}, {"counts", counts}, {"unknown", b.unknown},
          {"population", b.population}};
}

Breakdown BreakdownOf(const Json& j) {
  Breakdown b;
  b.name = j.at("name").get<std::string>();
  for (const Json& c : j.at("counts")) {
    b.counts.emplace_back(c.at(0).get<std::string>(), c.at(1).get<int64_t>());
  }
  b.unknown = j.at("unknown").get<int64_t>();
  b.population = j.at("population").get<int64_t>();
  return b;
}

// The breakdowns of a YearFigures, by member, in one fixed order.
std::array<Breakdown YearFigures::*, 12> BreakdownMembers() {
  return {&YearFigures::by_inadmissibility_reason, &YearFigures::by_channel,
          &YearFigures::by_emitter,                &YearFigures::by_prior_step,
          &YearFigures::by_cause,                  &YearFigures::by_household,
          &YearFigures::by_activity,               &YearFigures::by_qf_bracket,
          &YearFigures::by_resolution,             &YearFigures::by_motive,
          &YearFigures::by_benefit,                &YearFigures::by_response_mode};
}

// As figures.cc computes every rate.
std::optional<double> Ratio(int64_t num, int64_t den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

// The integer sum an average of n values was computed from.
int64_t SumOf(const std::optional<double>& avg, int64_t n) {
  if (!avg || n == 0) return 0;
  return std::llround(*avg * static_cast<double>(n));
}

std::optional<double> Avg(int64_t sum, int64_t n) {
  if (n <= 0) return std::nullopt;
  return static_cast<double>(sum) / n;
}

void AddBreakdown(Breakdown& into, const Breakdown& b) {
  if (into.name.empty()) into.name = b.name;
  for (const auto& [code, n] : b.counts) {
    auto it = std::find_if(into.counts.begin(), into.counts.end(),
                           [&](const auto& p) { return p.first == code; });
    if (it == into.counts.end()) {
      into.counts.emplace_back(code, n);
    } else {
      it->second += n;
    }
  }
  into.unknown += b.unknown;
  into.population += b.population;
}

// A breakdown of `population` cases none of which has a value.
Breakdown UnknownBreakdown(const Nomenclature& nom, int64_t population) {
  Breakdown b;
  b.name = std::string(nom.name);
  for (const auto& e : nom.entries) b.counts.emplace_back(std::string(e.code), 0);
  b.unknown = population;
  b.population = population;
  return b;
}

}  // namespace

std::string FrozenStateToJson(const YearFigures& f) {
  Json j = Json::object();
  j["format"] = "amiable-frozen-figures";
  j["version"] = 1;
  j["organismes"] = f.organismes;
  j["year"] = f.year;
  j["as_of"] = f.as_of.ToString();
  j["received"] = f.received;
  j["monthly_received"] = f.monthly_received;
  j["inadmissible"] = f.inadmissible;
  j["inadmissible_rate"] = Opt(f.inadmissible_rate);
  j["closed"] = f.closed;
  Json bds = Json::array();
  for (auto m : BreakdownMembers()) bds.push_back(BreakdownState(f.*m));
  j["breakdowns"] = std::move(bds);
  const DelayFigures& d = f.delays;
  j["delays"] = {{"take_charge_working_days_avg", Opt(d.take_charge_working_days_avg)},
                 {"answer_working_days_avg", Opt(d.answer_working_days_avg)},
                 {"answer_calendar_days_avg", Opt(d.answer_calendar_days_avg)},
                 {"take_charge_within_target_rate", Opt(d.take_charge_within_target_rate)},
                 {"with_take_charge", d.with_take_charge},
                 {"with_answer", d.with_answer},
                 {"within_target", d.within_target}};
  Json quarters = Json::array();
  for (const QuarterFigures& q : f.quarterly_take_charge) {
    quarters.push_back({{"quarter", q.quarter},
                        {"met", q.met},
                        {"missed", q.missed},
                        {"pending", q.pending},
                        {"rate", Opt(q.rate)}});
  }
  j["quarterly_take_charge"] = std::move(quarters);
  Json fin = Json::array();
  for (const FinancialFigures& k : f.financial) {
    fin.push_back({{"kind", k.kind}, {"count", k.count}, {"amount_cents", k.amount_cents}});
  }
  j["financial"] = std::move(fin);
  j["fraud_cases"] = f.fraud_cases;
  j["fraud_rate"] = Opt(f.fraud_rate);
  j["revision_rate"] = Opt(f.revision_rate);
  const TeleprocedureFigures& t = f.teleprocedure;
  j["teleprocedure"] = {{"received", t.received},
                        {"inadmissible", t.inadmissible},
                        {"inadmissible_rate", Opt(t.inadmissible_rate)},
                        {"closed", t.closed},
                        {"share_of_closed", Opt(t.share_of_closed)},
                        {"revised", t.revised},
                        {"with_resolution", t.with_resolution},
                        {"revision_rate", Opt(t.revision_rate)},
                        {"with_take_charge", t.with_take_charge},
                        {"take_charge_working_days_avg", Opt(t.take_charge_working_days_avg)},
                        {"by_inadmissibility_reason", BreakdownState(t.by_inadmissibility_reason)}};
  const InternalRequestFigures& ir = f.internal_requests;
  j["internal_requests"] = {{"sent", ir.sent},
                            {"answered", ir.answered},
                            {"with_delay", ir.with_delay},
                            {"answer_working_days_avg", Opt(ir.answer_working_days_avg)}};
  return j.dump();
}

Result<YearFigures> FrozenStateFromJson(std::string_view json) {
  try {
    const Json j = Json::parse(json);
    if (j.at("format") != "amiable-frozen-figures" || j.at("version") != 1) {
      return Fail(Error::Invalid("frozen figures: unknown format"));
    }
    YearFigures f;
    f.organismes = j.at("organismes").get<std::vector<std::string>>();
    f.year = j.at("year").get<int>();
    auto as_of = Date::Parse(j.at("as_of").get<std::string>());
    if (!as_of) return Fail(Error::Invalid("frozen figures: as_of"));
    f.as_of = *as_of;
    f.received = j.at("received").get<int64_t>();
    const Json& monthly = j.at("monthly_received");
    for (size_t i = 0; i < 12; ++i) f.monthly_received[i] = monthly.at(i).get<int64_t>();
    f.inadmissible = j.at("inadmissible").get<int64_t>();
    f.inadmissible_rate = OptOf(j.at("inadmissible_rate"));
    f.closed = j.at("closed").get<int64_t>();
    const Json& bds = j.at("breakdowns");
    const auto members = BreakdownMembers();
    if (bds.size() != members.size()) return Fail(Error::Invalid("frozen figures: breakdowns"));
    for (size_t i = 0; i < members.size(); ++i) f.*members[i] = BreakdownOf(bds.at(i));
    const Json& d = j.at("delays");
    f.delays.take_charge_working_days_avg = OptOf(d.at("take_charge_working_days_avg"));
    f.delays.answer_working_days_avg = OptOf(d.at("answer_working_days_avg"));
    f.delays.answer_calendar_days_avg = OptOf(d.at("answer_calendar_days_avg"));
    f.delays.take_charge_within_target_rate = OptOf(d.at("take_charge_within_target_rate"));
    f.delays.with_take_charge = d.at("with_take_charge").get<int64_t>();
    f.delays.with_answer = d.at("with_answer").get<int64_t>();
    f.delays.within_target = d.at("within_target").get<int64_t>();
    const Json& qs = j.at("quarterly_take_charge");
    for (size_t i = 0; i < 4; ++i) {
      QuarterFigures& q = f.quarterly_take_charge[i];
      q.quarter = qs.at(i).at("quarter").get<int>();
      q.met = qs.at(i).at("met").get<int64_t>();
      q.missed = qs.at(i).at("missed").get<int64_t>();
      q.pending = qs.at(i).at("pending").get<int64_t>();
      q.rate = OptOf(qs.at(i).at("rate"));
    }
    const Json& fin = j.at("financial");
    for (size_t i = 0; i < f.financial.size(); ++i) {
      f.financial[i].kind = fin.at(i).at("kind").get<std::string>();
      f.financial[i].count = fin.at(i).at("count").get<int64_t>();
      f.financial[i].amount_cents = fin.at(i).at("amount_cents").get<int64_t>();
    }
    f.fraud_cases = j.at("fraud_cases").get<int64_t>();
    f.fraud_rate = OptOf(j.at("fraud_rate"));
    f.revision_rate = OptOf(j.at("revision_rate"));
    const Json& t = j.at("teleprocedure");
    TeleprocedureFigures& tf = f.teleprocedure;
    tf.received = t.at("received").get<int64_t>();
    tf.inadmissible = t.at("inadmissible").get<int64_t>();
    tf.inadmissible_rate = OptOf(t.at("inadmissible_rate"));
    tf.closed = t.at("closed").get<int64_t>();
    tf.share_of_closed = OptOf(t.at("share_of_closed"));
    tf.revised = t.at("revised").get<int64_t>();
    tf.with_resolution = t.at("with_resolution").get<int64_t>();
    tf.revision_rate = OptOf(t.at("revision_rate"));
    tf.with_take_charge = t.at("with_take_charge").get<int64_t>();
    tf.take_charge_working_days_avg = OptOf(t.at("take_charge_working_days_avg"));
    if (t.contains("by_inadmissibility_reason")) {
      tf.by_inadmissibility_reason = BreakdownOf(t.at("by_inadmissibility_reason"));
    } else {
      // Frozen before the online form's reasons were kept: every reason unknown.
      tf.by_inadmissibility_reason = UnknownBreakdown(nomenclature::InadmissibilityReason(),
                                                      tf.inadmissible);
    }
    const Json& ir = j.at("internal_requests");
    f.internal_requests.sent = ir.at("sent").get<int64_t>();
    f.internal_requests.answered = ir.at("answered").get<int64_t>();
    f.internal_requests.with_delay = ir.at("with_delay").get<int64_t>();
    f.internal_requests.answer_working_days_avg = OptOf(ir.at("answer_working_days_avg"));
    return f;
  } catch (const std::exception& e) {
    return Fail(Error::Invalid(std::string("frozen figures: ") + e.what()));
  }
}

YearFigures MergeFigures(std::span<const YearFigures> parts, std::vector<std::string> organismes,
                         int year, Date as_of) {
  YearFigures f;
  if (parts.size() == 1) f = parts[0];
  std::sort(organismes.begin(), organismes.end());
  organismes.erase(std::unique(organismes.begin(), organismes.end()), organismes.end());
  f.organismes = std::move(organismes);
  f.year = year;
  f.as_of = as_of;
  if (parts.size() == 1) return f;

  int64_t take_sum = 0, answer_wd_sum = 0, answer_cd_sum = 0, tele_take_sum = 0,
          internal_sum = 0;
  for (size_t q = 0; q < 4; ++q) f.quarterly_take_charge[q].quarter = static_cast<int>(q) + 1;
  for (const YearFigures& p : parts) {
    f.received += p.received;
    for (size_t m = 0; m < 12; ++m) f.monthly_received[m] += p.monthly_received[m];
    f.inadmissible += p.inadmissible;
    f.closed += p.closed;
    for (auto m : BreakdownMembers()) AddBreakdown(f.*m, p.*m);
    f.delays.with_take_charge += p.delays.with_take_charge;
    f.delays.with_answer += p.delays.with_answer;
    f.delays.within_target += p.delays.within_target;
    take_sum += SumOf(p.delays.take_charge_working_days_avg, p.delays.with_take_charge);
    answer_wd_sum += SumOf(p.delays.answer_working_days_avg, p.delays.with_answer);
    answer_cd_sum += SumOf(p.delays.answer_calendar_days_avg, p.delays.with_answer);
    for (size_t q = 0; q < 4; ++q) {
      f.quarterly_take_charge[q].met += p.quarterly_take_charge[q].met;
      f.quarterly_take_charge[q].missed += p.quarterly_take_charge[q].missed;
      f.quarterly_take_charge[q].pending += p.quarterly_take_charge[q].pending;
    }
    for (size_t k = 0; k < f.financial.size(); ++k) {
      if (f.financial[k].kind.empty()) f.financial[k].kind = p.financial[k].kind;
      f.financial[k].count += p.financial[k].count;
      f.financial[k].amount_cents += p.financial[k].amount_cents;
    }
    f.fraud_cases += p.fraud_cases;
    const TeleprocedureFigures& t = p.teleprocedure;
    f.teleprocedure.received += t.received;
    f.teleprocedure.inadmissible += t.inadmissible;
    f.teleprocedure.closed += t.closed;
    f.teleprocedure.revised += t.revised;
    f.teleprocedure.with_resolution += t.with_resolution;
    f.teleprocedure.with_take_charge += t.with_take_charge;
    tele_take_sum += SumOf(t.take_charge_working_days_avg, t.with_take_charge);
    AddBreakdown(f.teleprocedure.by_inadmissibility_reason, t.by_inadmissibility_reason);
    f.internal_requests.sent += p.internal_requests.sent;
    f.internal_requests.answered += p.internal_requests.answered;
    f.internal_requests.with_delay += p.internal_requests.with_delay;
    internal_sum +=
        SumOf(p.internal_requests.answer_working_days_avg, p.internal_requests.with_delay);
  }
  f.inadmissible_rate = Ratio(f.inadmissible, f.received);
  DelayFigures& d = f.delays;
  d.take_charge_working_days_avg = Avg(take_sum, d.with_take_charge);
  d.answer_working_days_avg = Avg(answer_wd_sum, d.with_answer);
  d.answer_calendar_days_avg = Avg(answer_cd_sum, d.with_answer);
  d.take_charge_within_target_rate = Ratio(d.within_target, d.with_take_charge);
  for (QuarterFigures& q : f.quarterly_take_charge) q.rate = Ratio(q.met, q.met + q.missed);
  f.internal_requests.answer_working_days_avg =
      Avg(internal_sum, f.internal_requests.with_delay);
  f.fraud_rate = Ratio(f.fraud_cases, f.closed);
  f.revision_rate = f.by_resolution.Share("revisee");
  TeleprocedureFigures& t = f.teleprocedure;
  t.inadmissible_rate = Ratio(t.inadmissible, t.received);
  t.share_of_closed = Ratio(t.closed, f.closed);
  t.revision_rate = Ratio(t.revised, t.with_resolution);
  t.take_charge_working_days_avg = Avg(tele_take_sum, t.with_take_charge);
  return f;
}

Result<std::vector<FrozenFiguresRow>> FrozenRowsOf(Store& store, int year) {
  PrivacyStore* p = PrivacyOf(store);
  if (p == nullptr) return std::vector<FrozenFiguresRow>();
  return p->FrozenFigures(year);
}

Result<YearFigures> FiguresWithFrozen(std::span<const Case> cases,
                                      const std::map<std::string, WorkCalendar>& calendar_of_fund,
                                      std::span<const FrozenFiguresRow> frozen,
                                      std::vector<std::string> organismes, int year, Date as_of) {
  if (organismes.empty()) {
    for (const auto& [code, cal] : calendar_of_fund) organismes.push_back(code);
  }
  std::sort(organismes.begin(), organismes.end());
  organismes.erase(std::unique(organismes.begin(), organismes.end()), organismes.end());
  std::vector<YearFigures> parts;
  std::vector<std::string> live;
  for (const std::string& o : organismes) {
    auto it = std::find_if(frozen.begin(), frozen.end(), [&](const FrozenFiguresRow& r) {
      return r.organisme == o && r.year == year;
    });
    if (it == frozen.end()) {
      live.push_back(o);
      continue;
    }
    auto f = FrozenStateFromJson(it->state_json);
    if (!f) return Fail(f.error());
    parts.push_back(std::move(*f));
  }
  if (parts.empty()) return ComputeFigures(cases, calendar_of_fund, organismes, year, as_of);
  if (!live.empty()) {
    parts.insert(parts.begin(), ComputeFigures(cases, calendar_of_fund, live, year, as_of));
  }
  return MergeFigures(parts, std::move(organismes), year, as_of);
}

}  // namespace amiable
