// Comparison figures typed by hand: `amiable aggregate set` and the
// workspace's météo form, for the few numbers the national body publishes
// (the national pole's and all funds' delays and counts, or a fund's own
// figures of a year before it used amiable) when no aggregate file exists.
//
// A typed aggregate is an Aggregate with source "typed" whose `given` lists
// the figures typed; the others are not given (n.d. in the report). Typing
// again for the same (scope, funds, year) merges: the figures typed replace
// theirs, the others stay. An imported aggregate of the same key is replaced
// by the typed one (a file and typed numbers are not mixed in one column).
//
// Contracts: errors are values, kInvalid with the catalogue key and the
// field named (`field` = the TypedFigures member); store errors as they
// come. Pure except PutTypedAggregate (one read and one write of `store`).
#ifndef AMIABLE_REPORT_TYPED_AGGREGATE_H_
#define AMIABLE_REPORT_TYPED_AGGREGATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "report/report_store.h"

namespace amiable::report {

struct TypedFigures {
  std::optional<double> take_charge_working_days;  // delays.take_charge_working_days_avg
  std::optional<double> answer_working_days;       // delays.answer_working_days_avg
  std::optional<double> answer_calendar_days;      // delays.answer_calendar_days_avg
  std::optional<int64_t> closed;
  std::optional<int64_t> inadmissible;
  bool Empty() const {
    return !take_charge_working_days && !answer_working_days && !answer_calendar_days &&
           !closed && !inadmissible;
  }
};

// The figures as typed: "" is not given; decimals with ',' or '.', counts
// with spaces between thousands (core/french_parse.h).
struct TypedFiguresText {
  std::string take_charge_working_days;
  std::string answer_working_days;
  std::string answer_calendar_days;
  std::string closed;
  std::string inadmissible;
};

// The French label of a member of TypedFigures ("take_charge_working_days"
// -> "Délai de prise en charge (jours ouvrés)"); the member's name otherwise.
std::string TypedFigureLabel(std::string_view member);

// kInvalid "report.typed_number" / "report.typed_count" naming the field.
Result<TypedFigures> ParseTypedFigures(const TypedFiguresText& t);

// The typed figures of an aggregate (those it gives).
TypedFigures TypedFiguresOf(const Aggregate& a);

// The aggregate of the typed figures, typed on `on`. kInvalid
// "report.typed_nothing" when no figure is given, "report.typed_organisme"
// for the fund scope without funds, "report.year_invalid" for a year outside
// the calendar.
Result<Aggregate> TypedAggregate(AggregateScope scope, int year,
                                 std::vector<std::string> organismes, const TypedFigures& t,
                                 Date on);

// `typed` over `existing` of the same key: merged when `existing` is typed,
// `typed` alone otherwise.
Aggregate MergeTyped(const std::optional<Aggregate>& existing, const Aggregate& typed);

// Reads the aggregate of typed's key, merges, stores; the stored aggregate.
// `replaced_import`, when given, is set when an imported aggregate was replaced.
Result<Aggregate> PutTypedAggregate(AggregateStore& store, const Aggregate& typed,
                                    bool* replaced_import = nullptr);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_TYPED_AGGREGATE_H_
