// The lifecycle of a case: one declarative table of transitions
// (event, from-states, to-state, parameters, guard, effect), the way
// démarches-simplifiées declares its dossier states. Pure: no I/O, no clock
// (the caller passes `today` and the timestamp), no database.
//
// The table (see Transitions() for the data, lifecycle.cc for guards/effects):
//
//   event                 from                                  to
//   declare_inadmissible  received                              inadmissible
//   take_in_charge        received                              taken_in_charge
//   start_investigation   taken_in_charge                       in_progress
//   put_on_hold           in_progress                           on_hold
//   resume                on_hold                               in_progress
//   answer                taken_in_charge|in_progress|on_hold   answered
//   close                 answered                              closed
//   reopen                closed                                in_progress
//   reopen                inadmissible                          received
//   recuse                received|taken_in_charge|in_progress|
//                         on_hold|answered                      (same state)
//
// Choices written down here because they are a contract:
// - declare_inadmissible answers AND closes the request: answered_on and
//   closed_on are both set to the event date (the inadmissibility notice,
//   with its orientation, is the answer; domain.md §2: an inadmissible
//   request is still answered and oriented).
// - reopen of an inadmissible case returns it to `received`, unscreened:
//   admissibility becomes "", inadmissibility_reason, orientation,
//   answered_on and closed_on are cleared (the history keeps them).
//   reopen of a closed case clears closed_on only (answered_on, resolution
//   and cause stay; they may be changed when closing again).
// - answer adds the given response modes to those already on the case.
// - The event date defaults to `today`. It may not be after `today`, nor
//   before the latest date already on the case (reception, taking in charge,
//   answer, closing), so that received <= taken <= answered <= closed holds.
// - Parameters are strict: a parameter the event does not take is an error
//   (it catches typos that would otherwise be silently ignored).
// - Conflicts of interest are not checked here (the case does not carry the
//   mediator's declared links): see core/conflict.h, which the caller runs
//   before take_in_charge.
// - Whether `assigned_to` / `to` name existing users of the right fund is for
//   the caller (it has the store); here they only have to be non-empty.
//
// Thread safety: every function is reentrant; the table is immutable.
#ifndef AMIABLE_CORE_LIFECYCLE_H_
#define AMIABLE_CORE_LIFECYCLE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/date.h"
#include "core/error.h"

namespace amiable {

// What the caller asks: POST /api/v1/cases/{ref}/events with
// {"event": "...", "date": "YYYY-MM-DD", <params>...}.
struct EventRequest {
  std::string event;                          // an event code of the table
  std::optional<Date> date;                   // defaults to `today`
  std::map<std::string, std::string> params;  // see EventParams(event)
  std::string actor;                          // user name, must be non-empty
};

// One parameter an event takes.
struct ParamSpec {
  enum class Kind {
    kText,      // free text, trimmed, non-empty when given
    kCode,      // one code of `nomenclature`
    kCodeList,  // comma-separated codes of `nomenclature`, at least one
    kUser,      // a user name
  };
  std::string_view name;   // key in EventRequest::params
  std::string_view label;  // French, for forms
  Kind kind = Kind::kText;
  bool required = false;          // must be in the request
  std::string_view nomenclature;  // for kCode/kCodeList: nomenclature::Find name
};

// One row of the lifecycle table (descriptive part; guards and effects live
// in lifecycle.cc beside it).
struct Transition {
  std::string_view event;       // code used by the API
  std::string_view label;       // French label of the action
  uint32_t from_mask = 0;       // bit (1u << int(CaseState)) per from-state
  std::optional<CaseState> to;  // nullopt: stays in its state (recuse)
  std::span<const ParamSpec> params;

  bool AllowsFrom(CaseState s) const { return (from_mask >> static_cast<int>(s)) & 1u; }
};

// The whole table, in the order above. An event code may have several rows
// (reopen); their from-states never overlap.
std::span<const Transition> Transitions();

// Every distinct event code, in table order.
std::vector<std::string_view> EventCodes();

// French label of an event ("Prendre en charge"), or the code itself when
// unknown.
std::string_view EventLabel(std::string_view event);

// The parameters an event takes (union over its rows); empty when unknown.
std::span<const ParamSpec> EventParams(std::string_view event);

// The events that may be applied to `c` now, in table order: its state is a
// from-state of the event and no rule about the case alone refuses it (e.g.
// take_in_charge is not offered for an irrecevable case). An event listed
// here can still be refused for its parameters or its date.
std::vector<std::string_view> AllowedEvents(const Case& c);

// Applies `r` to `c`. On success mutates `c` (state and the fields the event
// sets) and returns the history row to append: kind = event code, actor =
// r.actor, at = now_timestamp, detail = French summary of what changed
// (e.g. "Prise en charge le 07/01/2025 par mdupont"). c.version is not
// touched (the store bumps it). On failure `c` is unchanged and the error is:
// - kInvalid, field "event": unknown event (the message lists the events
//   allowed now);
// - kInvalid, field "actor": empty actor;
// - kConflict: the event is not allowed from the case's state or a rule
//   refuses it; the message says why ("cannot 'close' a case in state
//   'in_progress': it must be answered first", "closing requires a
//   resolution"); field set when a missing case value is the reason;
// - kInvalid, field = parameter name: missing required parameter, unknown
//   parameter, unknown code, empty text;
// - kInvalid, field "date": date after `today` or before a date already on
//   the case.
Result<CaseEvent> ApplyEvent(Case& c, const EventRequest& r, Date today,
                             std::string_view now_timestamp);

}  // namespace amiable

#endif  // AMIABLE_CORE_LIFECYCLE_H_
