#include "figures/figures.h"

#include <algorithm>
#include <bit>
#include <nlohmann/json.hpp>

#include "core/nomenclature.h"
#include "figures/figures_cache.h"
#include "figures/frozen.h"
#include "store/store.h"

namespace amiable {

// ---------------------------------------------------------------------------
// Breakdown and YearFigures accessors.

int64_t Breakdown::Count(std::string_view code) const {
  for (const auto& [c, n] : counts) {
    if (c == code) return n;
  }
  return 0;
}

std::optional<double> Breakdown::Share(std::string_view code) const {
  const int64_t known = Known();
  if (known <= 0) return std::nullopt;
  return static_cast<double>(Count(code)) / static_cast<double>(known);
}

std::array<const Breakdown*, 11> YearFigures::ClosedBreakdowns() const {
  return {&by_channel,   &by_emitter,  &by_prior_step,   &by_cause,
          &by_household, &by_activity, &by_qf_bracket,   &by_resolution,
          &by_motive,    &by_benefit,  &by_response_mode};
}

const Breakdown* YearFigures::FindBreakdown(std::string_view name) const {
  if (name == by_inadmissibility_reason.name) return &by_inadmissibility_reason;
  for (const Breakdown* b : ClosedBreakdowns()) {
    if (b->name == name) return b;
  }
  return nullptr;
}

FinancialFigures YearFigures::Financial(std::string_view kind) const {
  for (const FinancialFigures& f : financial) {
    if (f.kind == kind) return f;
  }
  return {std::string(kind), 0, 0};
}

namespace {

// ---------------------------------------------------------------------------
// Accumulators: plain counters indexed by nomenclature position, so that the
// loop over cases does no allocation.

constexpr int kMaxCodes = 16;

// Code -> position in a nomenclature in constant time: a small open-addressing
// table keyed on the code's length and a few of its bytes, verified by one
// comparison. Codes beyond the counters' capacity (no default nomenclature
// has that many) are treated as absent.
class CodeIndex {
 public:
  explicit CodeIndex(const Nomenclature& nom) : nom_(&nom) {
    slots_.fill(-1);
    for (size_t i = 0; i < nom.entries.size() && i < kMaxCodes; ++i) {
      size_t h = Hash(nom.entries[i].code);
      while (slots_[h] >= 0) h = (h + 1) % kSlots;
      slots_[h] = static_cast<int8_t>(i);
    }
  }
  const Nomenclature& nomenclature() const { return *nom_; }
  // Position of `code`, -1 when it is not a code of the nomenclature.
  int Find(std::string_view code) const {
    for (size_t h = Hash(code);; h = (h + 1) % kSlots) {
      const int i = slots_[h];
      if (i < 0) return -1;
      if (nom_->entries[static_cast<size_t>(i)].code == code) return i;
    }
  }

 private:
  static constexpr size_t kSlots = 64;  // > 2 * kMaxCodes: probes stay short
  static size_t Hash(std::string_view s) {
    if (s.empty()) return 0;
    const auto b = [&](size_t i) { return static_cast<size_t>(static_cast<unsigned char>(s[i])); };
    return (s.size() * 31 + b(0) * 7 + b(s.size() / 2) * 13 + b(s.size() - 1)) % kSlots;
  }
  const Nomenclature* nom_;
  std::array<int8_t, kSlots> slots_;
};

struct Counter {
  explicit Counter(const Nomenclature& n) : index(n) {}
  CodeIndex index;
  std::array<int64_t, kMaxCodes> counts{};
  int64_t unknown = 0;
  int64_t population = 0;

  // A single-valued field: unknown when absent. A code that is not in the
  // nomenclature (impossible after validation) also counts as unknown.
  void AddOne(const std::optional<std::string>& v) {
    ++population;
    if (!v) {
      ++unknown;
      return;
    }
    const int i = index.Find(*v);
    if (i < 0) {
      ++unknown;
      return;
    }
    ++counts[static_cast<size_t>(i)];
  }
  void AddCode(std::string_view code) {
    ++population;
    const int i = index.Find(code);
    if (i < 0) {
      ++unknown;
      return;
    }
    ++counts[static_cast<size_t>(i)];
  }
  void AddUnknown() {
    ++population;
    ++unknown;
  }
  // A several-valued field: unknown when absent or empty (or when no listed
  // value is a known code); each distinct code counts once per case.
  void AddMany(const std::optional<std::vector<std::string>>& v) {
    ++population;
    if (!v || v->empty()) {
      ++unknown;
      return;
    }
    uint32_t seen = 0;
    for (const std::string& s : *v) {
      const int i = index.Find(s);
      if (i >= 0) seen |= 1u << i;
    }
    if (seen == 0) {
      ++unknown;
      return;
    }
    for (; seen != 0; seen &= seen - 1) ++counts[static_cast<size_t>(std::countr_zero(seen))];
  }

  Breakdown ToBreakdown() const {
    const Nomenclature& nom = index.nomenclature();
    Breakdown b;
    b.name = std::string(nom.name);
    b.counts.reserve(nom.entries.size());
    for (size_t i = 0; i < nom.entries.size() && i < kMaxCodes; ++i) {
      b.counts.emplace_back(std::string(nom.entries[i].code), counts[i]);
    }
    b.unknown = unknown;
    b.population = population;
    return b;
  }
};

std::optional<double> Ratio(int64_t num, int64_t den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

bool InRange(Date d) {
  static const Date kFirst = Date::FromCivil(kFirstCalendarYear, 1, 1);
  static const Date kLast = Date::FromCivil(kLastCalendarYear, 12, 31);
  return kFirst <= d && d <= kLast;
}

// Working days from a to b with the fund's calendar, or nullopt when the
// interval is a data error (b before a) or outside the calendar's years.
std::optional<int> WorkingDelay(WorkCalendar cal, Date a, Date b) {
  if (b < a || !InRange(a) || !InRange(b)) return std::nullopt;
  return WorkingDays(cal, a, b);
}

bool IsTeleprocedure(const Case& c) { return c.channel && *c.channel == "teleprocedure"; }

}  // namespace

// ---------------------------------------------------------------------------
// The definitions (domain.md §5; docs/figures.md says the same in prose).

YearFigures ComputeFigures(std::span<const Case> cases,
                           const std::map<std::string, WorkCalendar>& calendar_of_fund,
                           std::vector<std::string> organismes, int year, Date as_of) {
  namespace nom = nomenclature;
  YearFigures f;
  if (organismes.empty()) {
    for (const auto& [code, cal] : calendar_of_fund) organismes.push_back(code);
  }
  std::sort(organismes.begin(), organismes.end());
  organismes.erase(std::unique(organismes.begin(), organismes.end()), organismes.end());
  f.organismes = organismes;
  f.year = year;
  f.as_of = as_of;

  // The funds taken, with their calendars; others are skipped.
  std::map<std::string_view, WorkCalendar> taken;
  for (const std::string& o : f.organismes) {
    auto it = calendar_of_fund.find(o);
    if (it != calendar_of_fund.end()) taken.emplace(it->first, it->second);
  }

  Counter reason(nom::InadmissibilityReason());
  Counter tele_reason(nom::InadmissibilityReason());
  Counter channel(nom::Channel()), emitter(nom::Emitter()), prior_step(nom::PriorStep()),
      cause(nom::Cause()), household(nom::Household()), activity(nom::Activity()),
      qf(nom::QfBracket()), resolution(nom::Resolution()), motive(nom::Motive()),
      benefit(nom::Benefit()), response_mode(nom::ResponseMode());
  const Nomenclature& kinds = nom::FinancialKind();
  const CodeIndex kind_index(kinds);
  const int revisee = resolution.index.Find("revisee");

  // Year bounds and the month of each day of the year, so that the loop
  // compares day numbers instead of converting dates.
  const Date first = Date::FromCivil(year, 1, 1);
  const Date last = Date::FromCivil(year, 12, 31);
  const auto in_year = [first, last](Date d) { return first <= d && d <= last; };
  std::array<int8_t, 366> month_of_day{};
  for (int m = 1, doy = 0; m <= 12; ++m) {
    for (int k = 0; k < DaysInMonth(year, m); ++k)
      month_of_day[static_cast<size_t>(doy++)] = static_cast<int8_t>(m - 1);
  }

  int64_t take_sum = 0, answer_wd_sum = 0, answer_cd_sum = 0;
  int64_t tele_inadmissible = 0, tele_take_sum = 0;
  int64_t internal_wd_sum = 0;
  for (int q = 0; q < 4; ++q) f.quarterly_take_charge[static_cast<size_t>(q)].quarter = q + 1;
  for (size_t k = 0; k < f.financial.size() && k < kinds.entries.size(); ++k) {
    f.financial[k].kind = std::string(kinds.entries[k].code);
  }

  // The last fund seen: cases usually come grouped by fund.
  std::string_view last_fund;
  bool last_taken = false;
  WorkCalendar cal;

  for (const Case& c : cases) {
    if (c.organisme != last_fund || last_fund.empty()) {
      auto it = taken.find(c.organisme);
      last_taken = it != taken.end();
      if (last_taken) {
        last_fund = it->first;
        cal = it->second;
      } else {
        last_fund = {};
      }
    }
    if (!last_taken) continue;

    const bool admissible = c.admissibility == "recevable";
    const bool inadmissible = c.admissibility == "irrecevable";

    // Received in Y.
    if (in_year(c.received_on)) {
      const bool tele = IsTeleprocedure(c);
      const int month = month_of_day[static_cast<size_t>(c.received_on - first)];
      ++f.received;
      ++f.monthly_received[static_cast<size_t>(month)];
      if (tele) ++f.teleprocedure.received;
      if (inadmissible) {
        ++f.inadmissible;
        reason.AddOne(c.inadmissibility_reason);
        if (tele) {
          ++tele_inadmissible;
          tele_reason.AddOne(c.inadmissibility_reason);
        }
      }
      // Quarterly indicator over admissible cases received in the quarter.
      if (admissible) {
        QuarterFigures& q = f.quarterly_take_charge[static_cast<size_t>(month / 3)];
        if (c.taken_in_charge_on) {
          const auto d = WorkingDelay(cal, c.received_on, *c.taken_in_charge_on);
          if (!d) {
            ++q.pending;  // unusable date: cannot be judged
          } else if (*d <= kTakeChargeTargetWorkingDays) {
            ++q.met;
          } else {
            ++q.missed;
          }
        } else if (as_of < c.received_on) {
          ++q.pending;
        } else {
          const auto d = WorkingDelay(cal, c.received_on, as_of);
          if (d && *d > kTakeChargeTargetWorkingDays) {
            ++q.missed;
          } else if (!d && as_of.year() > kLastCalendarYear) {
            ++q.missed;  // as_of beyond the calendar: certainly more than 8 days
          } else {
            ++q.pending;
          }
        }
      }
    }

    // Internal requests sent in Y, whatever the case's dates.
    if (c.internal_requests) {
      for (const InternalRequestDates& r : *c.internal_requests) {
        if (!in_year(r.sent_on)) continue;
        ++f.internal_requests.sent;
        if (!r.answered_on || as_of < *r.answered_on) continue;
        ++f.internal_requests.answered;
        if (const auto d = WorkingDelay(cal, r.sent_on, *r.answered_on)) {
          ++f.internal_requests.with_delay;
          internal_wd_sum += *d;
        }
      }
    }

    // The study population S: admissible and closed in Y.
    if (!admissible || !c.closed_on || !in_year(*c.closed_on)) continue;
    ++f.closed;
    const bool tele = IsTeleprocedure(c);
    channel.AddOne(c.channel);
    emitter.AddOne(c.emitter);
    prior_step.AddOne(c.prior_step);
    cause.AddOne(c.cause);
    household.AddOne(c.household);
    activity.AddOne(c.activity);
    if (c.quotient_familial) {
      qf.AddCode(QfBracketOf(*c.quotient_familial));
    } else {
      qf.AddUnknown();
    }
    resolution.AddOne(c.resolution);
    motive.AddMany(c.motives);
    benefit.AddMany(c.benefits);
    response_mode.AddMany(c.response_modes);

    if (c.taken_in_charge_on) {
      if (const auto d = WorkingDelay(cal, c.received_on, *c.taken_in_charge_on)) {
        ++f.delays.with_take_charge;
        take_sum += *d;
        if (*d <= kTakeChargeTargetWorkingDays) ++f.delays.within_target;
        if (tele) {
          ++f.teleprocedure.with_take_charge;
          tele_take_sum += *d;
        }
      }
    }
    if (c.answered_on) {
      if (const auto d = WorkingDelay(cal, c.received_on, *c.answered_on)) {
        ++f.delays.with_answer;
        answer_wd_sum += *d;
        answer_cd_sum += *c.answered_on - c.received_on;
      }
    }
    if (c.financial) {
      for (const FinancialLine& line : *c.financial) {
        const int k = kind_index.Find(line.kind);
        if (k < 0 || static_cast<size_t>(k) >= f.financial.size()) continue;
        ++f.financial[static_cast<size_t>(k)].count;
        f.financial[static_cast<size_t>(k)].amount_cents += line.amount_cents;
      }
    }
    if (c.fraud.value_or(false)) ++f.fraud_cases;
    if (tele) {
      ++f.teleprocedure.closed;
      if (c.resolution) {
        const int r = resolution.index.Find(*c.resolution);
        if (r >= 0) {
          ++f.teleprocedure.with_resolution;
          if (r == revisee) ++f.teleprocedure.revised;
        }
      }
    }
  }

  f.inadmissible_rate = Ratio(f.inadmissible, f.received);
  f.by_inadmissibility_reason = reason.ToBreakdown();
  f.by_channel = channel.ToBreakdown();
  f.by_emitter = emitter.ToBreakdown();
  f.by_prior_step = prior_step.ToBreakdown();
  f.by_cause = cause.ToBreakdown();
  f.by_household = household.ToBreakdown();
  f.by_activity = activity.ToBreakdown();
  f.by_qf_bracket = qf.ToBreakdown();
  f.by_resolution = resolution.ToBreakdown();
  f.by_motive = motive.ToBreakdown();
  f.by_benefit = benefit.ToBreakdown();
  f.by_response_mode = response_mode.ToBreakdown();

  DelayFigures& d = f.delays;
  if (d.with_take_charge > 0) {
    d.take_charge_working_days_avg = static_cast<double>(take_sum) / d.with_take_charge;
  }
  if (d.with_answer > 0) {
    d.answer_working_days_avg = static_cast<double>(answer_wd_sum) / d.with_answer;
    d.answer_calendar_days_avg = static_cast<double>(answer_cd_sum) / d.with_answer;
  }
  d.take_charge_within_target_rate = Ratio(d.within_target, d.with_take_charge);

  for (QuarterFigures& q : f.quarterly_take_charge) q.rate = Ratio(q.met, q.met + q.missed);

  if (f.internal_requests.with_delay > 0) {
    f.internal_requests.answer_working_days_avg =
        static_cast<double>(internal_wd_sum) / f.internal_requests.with_delay;
  }

  f.fraud_rate = Ratio(f.fraud_cases, f.closed);
  f.revision_rate = f.by_resolution.Share("revisee");

  TeleprocedureFigures& t = f.teleprocedure;
  t.inadmissible = tele_inadmissible;
  t.by_inadmissibility_reason = tele_reason.ToBreakdown();
  t.inadmissible_rate = Ratio(t.inadmissible, t.received);
  t.share_of_closed = Ratio(t.closed, f.closed);
  t.revision_rate = Ratio(t.revised, t.with_resolution);
  if (t.with_take_charge > 0) {
    t.take_charge_working_days_avg = static_cast<double>(tele_take_sum) / t.with_take_charge;
  }
  return f;
}

Result<FiguresRequest> PrepareFigures(Store& store, std::vector<std::string> organismes,
                                      int year, Date as_of) {
  if (year < kFirstCalendarYear || year > kLastCalendarYear) {
    return Fail(Error::Invalid("année hors du calendrier (" + std::to_string(kFirstCalendarYear) +
                                   "-" + std::to_string(kLastCalendarYear) +
                                   ") : " + std::to_string(year),
                               "year"));
  }
  if (!InRange(as_of)) {
    return Fail(Error::Invalid("date de calcul hors du calendrier : " + as_of.ToString(), "as_of"));
  }
  auto funds = store.ListOrganismes();
  if (!funds) return Fail(funds.error());
  FiguresRequest r;
  for (const Organisme& o : *funds) {
    const auto zone = ZoneFromCode(o.zone);
    if (!zone) {
      return Fail(Error::Internal("zone inconnue pour l'organisme " + o.code + " : " + o.zone));
    }
    r.calendars.emplace(o.code, WorkCalendar{*zone, o.whit_monday_worked});
  }
  for (const std::string& o : organismes) {
    if (!r.calendars.contains(o)) return Fail(Error::NotFound("organisme inconnu : " + o));
  }
  if (organismes.empty()) {
    for (const auto& [code, cal] : r.calendars) organismes.push_back(code);
  }
  std::sort(organismes.begin(), organismes.end());
  organismes.erase(std::unique(organismes.begin(), organismes.end()), organismes.end());
  r.organismes = std::move(organismes);
  return r;
}

Result<YearFigures> RecomputeFigures(Store& store, std::vector<std::string> organismes, int year,
                                     Date as_of) {
  auto r = PrepareFigures(store, std::move(organismes), year, as_of);
  if (!r) return Fail(r.error());
  std::vector<Case> cases;
  const Status st = store.ForEachCaseInPeriod(r->organismes, Date::FromCivil(year, 1, 1),
                                              Date::FromCivil(year, 12, 31),
                                              [&cases](Case& c) { cases.push_back(std::move(c)); });
  if (!st) return Fail(st.error());
  // A fund's year frozen before a purge is served frozen (figures/frozen.h):
  // this is the one place the figures of a fund and year are read from.
  auto frozen = FrozenRowsOf(store, year);
  if (!frozen) return Fail(frozen.error());
  return FiguresWithFrozen(cases, r->calendars, *frozen, std::move(r->organismes), year, as_of);
}

// ---------------------------------------------------------------------------
// JSON (domain.md §8).

namespace {

using Json = nlohmann::ordered_json;

Json Opt(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json BreakdownJson(const Breakdown& b) {
  Json j = Json::object();
  for (const auto& [code, n] : b.counts) j[code] = n;
  j["unknown"] = b.unknown;
  return j;
}

}  // namespace

std::string FiguresToJson(const YearFigures& f) {
  Json j = Json::object();
  j["organismes"] = f.organismes;
  j["year"] = f.year;
  j["as_of"] = f.as_of.ToString();
  j["received"] = f.received;
  j["monthly_received"] = f.monthly_received;
  j["inadmissible"] = f.inadmissible;
  j["inadmissible_rate"] = Opt(f.inadmissible_rate);
  j["by_" + f.by_inadmissibility_reason.name] = BreakdownJson(f.by_inadmissibility_reason);
  j["closed"] = f.closed;
  for (const Breakdown* b : f.ClosedBreakdowns()) j["by_" + b->name] = BreakdownJson(*b);
  j["delays"] = {
      {"take_charge_working_days_avg", Opt(f.delays.take_charge_working_days_avg)},
      {"answer_working_days_avg", Opt(f.delays.answer_working_days_avg)},
      {"answer_calendar_days_avg", Opt(f.delays.answer_calendar_days_avg)},
      {"take_charge_within_target_rate", Opt(f.delays.take_charge_within_target_rate)},
  };
  Json quarters = Json::array();
  for (const QuarterFigures& q : f.quarterly_take_charge) {
    quarters.push_back({{"quarter", q.quarter},
                        {"met", q.met},
                        {"missed", q.missed},
                        {"pending", q.pending},
                        {"rate", Opt(q.rate)}});
  }
  j["quarterly_take_charge"] = std::move(quarters);
  Json fin = Json::object();
  for (const FinancialFigures& k : f.financial) {
    fin[k.kind] = {{"count", k.count}, {"amount_cents", k.amount_cents}};
  }
  j["financial"] = std::move(fin);
  j["fraud_rate"] = Opt(f.fraud_rate);
  j["revision_rate"] = Opt(f.revision_rate);
  const TeleprocedureFigures& t = f.teleprocedure;
  j["teleprocedure"] = {
      {"received", t.received},
      {"inadmissible_rate", Opt(t.inadmissible_rate)},
      {"closed", t.closed},
      {"share_of_closed", Opt(t.share_of_closed)},
      {"revision_rate", Opt(t.revision_rate)},
      {"take_charge_working_days_avg", Opt(t.take_charge_working_days_avg)},
  };
  j["internal_requests"] = {
      {"sent", f.internal_requests.sent},
      {"answered", f.internal_requests.answered},
      {"answer_working_days_avg", Opt(f.internal_requests.answer_working_days_avg)},
  };
  return j.dump(1);
}

}  // namespace amiable
