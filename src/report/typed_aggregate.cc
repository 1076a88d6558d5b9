#include "report/typed_aggregate.h"

#include <algorithm>

#include "calendar/calendar.h"
#include "core/french_parse.h"
#include "core/messages.h"
#include "core/text.h"

namespace amiable::report {
namespace {

constexpr const char* kTakeCharge = "delays.take_charge_working_days_avg";
constexpr const char* kAnswerWorking = "delays.answer_working_days_avg";
constexpr const char* kAnswerCalendar = "delays.answer_calendar_days_avg";

Status Decimal(const std::string& text, const char* member, std::optional<double>* out) {
  const std::string t = Trim(text);
  if (t.empty()) return {};
  auto v = fr::ParseDecimal(t);
  if (!v) return Fail(msg::Invalid("report.typed_number", member, {TypedFigureLabel(member), t}));
  *out = *v;
  return {};
}

Status Count(const std::string& text, const char* member, std::optional<int64_t>* out) {
  const std::string t = Trim(text);
  if (t.empty()) return {};
  auto v = fr::ParseCount(t);
  if (!v) return Fail(msg::Invalid("report.typed_count", member, {TypedFigureLabel(member), t}));
  *out = *v;
  return {};
}

// Sets the figures `t` gives into `a` (figures and `given`).
void Apply(const TypedFigures& t, Aggregate* a) {
  DelayFigures& d = a->figures.delays;
  auto delay = [&](const std::optional<double>& v, std::optional<double>* dst, const char* key) {
    if (!v) return;
    *dst = *v;
    a->given.insert("delays");
    a->given.insert(key);
  };
  delay(t.take_charge_working_days, &d.take_charge_working_days_avg, kTakeCharge);
  delay(t.answer_working_days, &d.answer_working_days_avg, kAnswerWorking);
  delay(t.answer_calendar_days, &d.answer_calendar_days_avg, kAnswerCalendar);
  if (t.closed) {
    a->figures.closed = *t.closed;
    a->given.insert("closed");
  }
  if (t.inadmissible) {
    a->figures.inadmissible = *t.inadmissible;
    a->given.insert("inadmissible");
  }
}

}  // namespace

std::string TypedFigureLabel(std::string_view member) {
  if (member == "take_charge_working_days") return "Délai de prise en charge (jours ouvrés)";
  if (member == "answer_working_days") return "Délai de réponse (jours ouvrés)";
  if (member == "answer_calendar_days") return "Délai de réponse (jours calendaires)";
  if (member == "closed") return "Dossiers clos";
  if (member == "inadmissible") return "Demandes hors médiation";
  return std::string(member);
}

Result<TypedFigures> ParseTypedFigures(const TypedFiguresText& t) {
  TypedFigures out;
  if (auto s = Decimal(t.take_charge_working_days, "take_charge_working_days",
                       &out.take_charge_working_days);
      !s) {
    return Fail(s.error());
  }
  if (auto s = Decimal(t.answer_working_days, "answer_working_days", &out.answer_working_days);
      !s) {
    return Fail(s.error());
  }
  if (auto s = Decimal(t.answer_calendar_days, "answer_calendar_days", &out.answer_calendar_days);
      !s) {
    return Fail(s.error());
  }
  if (auto s = Count(t.closed, "closed", &out.closed); !s) return Fail(s.error());
  if (auto s = Count(t.inadmissible, "inadmissible", &out.inadmissible); !s) {
    return Fail(s.error());
  }
  return out;
}

TypedFigures TypedFiguresOf(const Aggregate& a) {
  TypedFigures t;
  const DelayFigures& d = a.figures.delays;
  if (a.Gives(kTakeCharge)) t.take_charge_working_days = d.take_charge_working_days_avg;
  if (a.Gives(kAnswerWorking)) t.answer_working_days = d.answer_working_days_avg;
  if (a.Gives(kAnswerCalendar)) t.answer_calendar_days = d.answer_calendar_days_avg;
  if (a.Gives("closed")) t.closed = a.figures.closed;
  if (a.Gives("inadmissible")) t.inadmissible = a.figures.inadmissible;
  return t;
}

Result<Aggregate> TypedAggregate(AggregateScope scope, int year,
                                 std::vector<std::string> organismes, const TypedFigures& t,
                                 Date on) {
  if (year <= kFirstCalendarYear || year > kLastCalendarYear) {
    return Fail(msg::Invalid("report.year_invalid", "year"));
  }
  if (t.Empty()) return Fail(msg::Invalid("report.typed_nothing", "figures"));
  std::sort(organismes.begin(), organismes.end());
  organismes.erase(std::unique(organismes.begin(), organismes.end()), organismes.end());
  if (scope == AggregateScope::kFund && organismes.empty()) {
    return Fail(msg::Invalid("report.typed_organisme", "organisme"));
  }
  Aggregate a;
  a.scope = scope;
  a.source = "typed";
  a.exported_on = on.ToString();
  a.figures.year = year;
  a.figures.as_of = on;
  if (scope == AggregateScope::kFund) a.figures.organismes = std::move(organismes);
  Apply(t, &a);
  return a;
}

Aggregate MergeTyped(const std::optional<Aggregate>& existing, const Aggregate& typed) {
  if (!existing || existing->source != "typed" || existing->given.empty()) return typed;
  Aggregate out = *existing;
  out.exported_on = typed.exported_on;
  out.figures.as_of = typed.figures.as_of;
  Apply(TypedFiguresOf(typed), &out);
  return out;
}

Result<Aggregate> PutTypedAggregate(AggregateStore& store, const Aggregate& typed,
                                    bool* replaced_import) {
  auto existing = store.FindAggregate(typed.scope, typed.figures.year, typed.figures.organismes);
  if (!existing) return Fail(existing.error());
  if (replaced_import != nullptr) {
    *replaced_import = existing->has_value() && (*existing)->source != "typed";
  }
  Aggregate merged = MergeTyped(*existing, typed);
  if (auto s = store.PutAggregate(merged); !s) return Fail(s.error());
  return merged;
}

}  // namespace amiable::report
