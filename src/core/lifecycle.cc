#include "core/lifecycle.h"

#include <algorithm>
#include <string>
#include <utility>

#include "core/messages.h"
#include "core/nomenclature.h"
#include "core/text.h"

namespace amiable {
namespace {

constexpr uint32_t Bit(CaseState s) { return 1u << static_cast<int>(s); }

constexpr uint32_t kOpen = Bit(CaseState::kReceived) | Bit(CaseState::kTakenInCharge) |
                           Bit(CaseState::kInProgress) | Bit(CaseState::kOnHold) |
                           Bit(CaseState::kAnswered);
constexpr uint32_t kTakenOpen =
    Bit(CaseState::kTakenInCharge) | Bit(CaseState::kInProgress) | Bit(CaseState::kOnHold);

// A text parameter longer than this is refused.
constexpr size_t kMaxTextBytes = 4000;

using Kind = ParamSpec::Kind;

// ---- Parameters of each event -------------------------------------------

constexpr ParamSpec kDeclareInadmissibleParams[] = {
    {"inadmissibility_reason", "Motif d'irrecevabilité", Kind::kCode, true,
     "inadmissibility_reason"},
    {"orientation", "Orientation (service ou partenaire vers lequel la demande est orientée)",
     Kind::kText, true, ""},
};
constexpr ParamSpec kTakeInChargeParams[] = {
    {"assigned_to", "Médiateur en charge (par défaut : vous)", Kind::kUser, false, ""},
};
constexpr ParamSpec kPutOnHoldParams[] = {
    {"reason", "Motif de l'attente (commission, décision du conseil départemental…)", Kind::kText,
     true, ""},
};
constexpr ParamSpec kAnswerParams[] = {
    {"response_modes", "Modes de réponse", Kind::kCodeList, false, "response_mode"},
};
constexpr ParamSpec kCloseParams[] = {
    {"resolution", "Résolution", Kind::kCode, false, "resolution"},
    {"cause", "Cause (côté Caf)", Kind::kCode, false, "cause"},
};
constexpr ParamSpec kReopenParams[] = {
    {"reason", "Motif de la réouverture", Kind::kText, true, ""},
};
constexpr ParamSpec kRecuseParams[] = {
    {"to", "Médiateur à qui confier le dossier", Kind::kUser, true, ""},
    {"reason", "Motif du déport", Kind::kText, true, ""},
    // The "3 i" assessment (core/conflict.h), checked by the case service.
    {"interet", "Intérêt en cause (le lien)", Kind::kText, false, ""},
    {"interference", "Interférence (materielle, geographique, temporelle)", Kind::kText, false, ""},
    {"intensite", "Intensité (forte ou moderee)", Kind::kText, false, ""},
};

// ---- What a guard or an effect sees ---------------------------------------

struct Ctx {
  const EventRequest& r;
  Date date;

  // The trimmed value of a parameter, nullopt when absent.
  std::optional<std::string> Param(std::string_view name) const;
};

std::optional<std::string> Ctx::Param(std::string_view name) const {
  auto it = r.params.find(std::string(name));
  if (it == r.params.end()) return std::nullopt;
  return Trim(it->second);
}

// Splits "a, b,c" into codes, dropping duplicates; empty items are kept as ""
// so that validation can refuse them.
std::vector<std::string> SplitCodes(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    std::string item =
        Trim(s.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(std::move(item));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string Labels(const Nomenclature& n, const std::vector<std::string>& codes) {
  std::string out;
  for (const std::string& code : codes) {
    if (!out.empty()) out += ", ";
    out += n.Label(code);
  }
  return out;
}

std::string By(const Ctx& x) { return " par " + x.r.actor; }
std::string On(const Ctx& x) { return " le " + x.date.ToFrench(); }

// ---- Guards and effects, one pair per row ----------------------------------
// A precondition looks at the case alone (AllowedEvents uses it); a guard
// also sees the request. Parameters are already validated against their
// ParamSpec when a guard runs. Effects cannot fail.

using Pre = Status (*)(const Case&);
using Guard = Status (*)(const Case&, const Ctx&);
using Effect = std::string (*)(Case&, const Ctx&);

Status NotIrrecevable(const Case& c) {
  if (c.admissibility == "irrecevable") {
    return Fail(msg::Conflict("take_in_charge.inadmissible", "admissibility"));
  }
  return {};
}

std::string DeclareInadmissible(Case& c, const Ctx& x) {
  const std::string reason = *x.Param("inadmissibility_reason");
  c.admissibility = "irrecevable";
  c.inadmissibility_reason = reason;
  c.orientation = *x.Param("orientation");
  c.answered_on = x.date;
  c.closed_on = x.date;
  return "Déclarée irrecevable (hors médiation)" + On(x) + By(x) +
         " — motif : " + std::string(nomenclature::InadmissibilityReason().Label(reason)) +
         " ; orientation : " + *c.orientation;
}

std::string TakeInCharge(Case& c, const Ctx& x) {
  const std::optional<std::string> given = x.Param("assigned_to");
  c.admissibility = "recevable";
  c.inadmissibility_reason.reset();
  c.taken_in_charge_on = x.date;
  c.assigned_to = given ? *given : x.r.actor;
  std::string detail = "Prise en charge" + On(x) + " par " + c.assigned_to;
  if (c.assigned_to != x.r.actor) detail += " (attribution par " + x.r.actor + ")";
  return detail;
}

std::string StartInvestigation(Case&, const Ctx& x) {
  return "Instruction commencée" + On(x) + By(x);
}

std::string PutOnHold(Case&, const Ctx& x) {
  return "Mise en attente" + On(x) + By(x) + " : " + *x.Param("reason");
}

std::string Resume(Case&, const Ctx& x) { return "Reprise de l'instruction" + On(x) + By(x); }

Status HasResponseMode(const Case& c, const Ctx& x) {
  if (x.Param("response_modes")) return {};
  if (c.response_modes && !c.response_modes->empty()) return {};
  return Fail(msg::Conflict("answer.response_mode_required", "response_modes"));
}

std::string Answer(Case& c, const Ctx& x) {
  if (auto given = x.Param("response_modes")) {
    if (!c.response_modes) c.response_modes.emplace();
    for (std::string& code : SplitCodes(*given)) {
      if (std::find(c.response_modes->begin(), c.response_modes->end(), code) ==
          c.response_modes->end()) {
        c.response_modes->push_back(std::move(code));
      }
    }
  }
  c.answered_on = x.date;
  return "Réponse envoyée" + On(x) + By(x) + " (" +
         Labels(nomenclature::ResponseMode(), *c.response_modes) + ")";
}

Status HasResolutionAndCause(const Case& c, const Ctx& x) {
  if (!x.Param("resolution") && !c.resolution) {
    return Fail(msg::Conflict("close.resolution_required", "resolution"));
  }
  if (!x.Param("cause") && !c.cause) {
    return Fail(msg::Conflict("close.cause_required", "cause"));
  }
  return {};
}

std::string Close(Case& c, const Ctx& x) {
  if (auto v = x.Param("resolution")) c.resolution = *v;
  if (auto v = x.Param("cause")) c.cause = *v;
  c.closed_on = x.date;
  return "Clôturée" + On(x) + By(x) +
         " — résolution : " + std::string(nomenclature::Resolution().Label(*c.resolution)) +
         " ; cause : " + std::string(nomenclature::Cause().Label(*c.cause));
}

std::string ReopenClosed(Case& c, const Ctx& x) {
  c.closed_on.reset();
  return "Rouverte" + On(x) + By(x) + " : " + *x.Param("reason");
}

std::string ReopenInadmissible(Case& c, const Ctx& x) {
  c.admissibility.clear();
  c.inadmissibility_reason.reset();
  c.orientation.reset();
  c.orientation_code.reset();
  c.answered_on.reset();
  c.closed_on.reset();
  return "Rouverte" + On(x) + By(x) +
         " (décision d'irrecevabilité annulée, à réexaminer) : " + *x.Param("reason");
}

// The mediator who hands the case over: the one assigned, else the actor.
std::string RecusingMediator(const Case& c, const Ctx& x) {
  return c.assigned_to.empty() ? x.r.actor : c.assigned_to;
}

Status RecuseToSomeoneElse(const Case& c, const Ctx& x) {
  if (*x.Param("to") == RecusingMediator(c, x)) {
    return Fail(msg::Invalid("recuse.same_mediator", "to", {RecusingMediator(c, x)}));
  }
  return {};
}

std::string Recuse(Case& c, const Ctx& x) {
  const std::string from = RecusingMediator(c, x);
  c.assigned_to = *x.Param("to");
  std::string detail = "Déport de " + from + " vers " + c.assigned_to + On(x);
  if (from != x.r.actor) detail += " (à la demande de " + x.r.actor + ")";
  return detail + " : " + *x.Param("reason");
}

// ---- The table --------------------------------------------------------------

struct Row {
  Transition t;
  Pre pre;      // may be null
  Guard guard;  // may be null
  Effect effect;
};

// clang-format off
constexpr Row kRows[] = {
  // {{event, label, from-states, to-state, params}, precondition, guard, effect}
  {{"declare_inadmissible", "Déclarer hors médiation (irrecevable)",
    Bit(CaseState::kReceived), CaseState::kInadmissible, kDeclareInadmissibleParams},
   nullptr, nullptr, DeclareInadmissible},
  {{"take_in_charge", "Prendre en charge",
    Bit(CaseState::kReceived), CaseState::kTakenInCharge, kTakeInChargeParams},
   NotIrrecevable, nullptr, TakeInCharge},
  {{"start_investigation", "Commencer l'instruction",
    Bit(CaseState::kTakenInCharge), CaseState::kInProgress, {}},
   nullptr, nullptr, StartInvestigation},
  {{"put_on_hold", "Mettre en attente (commission)",
    Bit(CaseState::kInProgress), CaseState::kOnHold, kPutOnHoldParams},
   nullptr, nullptr, PutOnHold},
  {{"resume", "Reprendre l'instruction",
    Bit(CaseState::kOnHold), CaseState::kInProgress, {}},
   nullptr, nullptr, Resume},
  {{"answer", "Enregistrer la réponse",
    kTakenOpen, CaseState::kAnswered, kAnswerParams},
   nullptr, HasResponseMode, Answer},
  {{"close", "Clôturer",
    Bit(CaseState::kAnswered), CaseState::kClosed, kCloseParams},
   nullptr, HasResolutionAndCause, Close},
  {{"reopen", "Rouvrir",
    Bit(CaseState::kClosed), CaseState::kInProgress, kReopenParams},
   nullptr, nullptr, ReopenClosed},
  {{"reopen", "Rouvrir",
    Bit(CaseState::kInadmissible), CaseState::kReceived, kReopenParams},
   nullptr, nullptr, ReopenInadmissible},
  {{"recuse", "Se déporter (conflit d'intérêts)",
    kOpen, std::nullopt, kRecuseParams},
   nullptr, RecuseToSomeoneElse, Recuse},
};
// clang-format on

// Why an event is refused in a state, first match wins; the fallbacks for
// terminal states come after.
struct Refusal {
  std::string_view event;
  uint32_t states;
  std::string_view why;
};
constexpr Refusal kRefusals[] = {
    {"declare_inadmissible", kTakenOpen | Bit(CaseState::kAnswered),
     "il a déjà été pris en charge comme recevable."},
    {"declare_inadmissible", Bit(CaseState::kInadmissible), "il est déjà déclaré irrecevable."},
    {"take_in_charge", kTakenOpen | Bit(CaseState::kAnswered), "il est déjà pris en charge."},
    {"take_in_charge", Bit(CaseState::kInadmissible),
     "une demande irrecevable ne se prend pas en charge (rouvrez-la d'abord)."},
    {"start_investigation", Bit(CaseState::kReceived), "il doit d'abord être pris en charge."},
    {"start_investigation",
     Bit(CaseState::kInProgress) | Bit(CaseState::kOnHold) | Bit(CaseState::kAnswered),
     "l'instruction a déjà commencé."},
    {"put_on_hold", Bit(CaseState::kReceived) | Bit(CaseState::kTakenInCharge),
     "l'instruction doit d'abord commencer."},
    {"put_on_hold", Bit(CaseState::kOnHold), "il est déjà en attente."},
    {"put_on_hold", Bit(CaseState::kAnswered), "la réponse a déjà été envoyée."},
    {"resume", kOpen, "seul un dossier en attente peut reprendre."},
    {"answer", Bit(CaseState::kReceived), "il doit d'abord être pris en charge."},
    {"answer", Bit(CaseState::kAnswered), "la réponse a déjà été envoyée."},
    {"close", kOpen, "il faut d'abord répondre."},
    {"close", Bit(CaseState::kClosed), "il est déjà clos."},
    {"reopen", kOpen, "seul un dossier clos ou irrecevable se rouvre."},
    {"recuse", Bit(CaseState::kClosed) | Bit(CaseState::kInadmissible),
     "un déport ne vaut que pour un dossier ouvert."},
};

std::string_view WhyNot(std::string_view event, CaseState s) {
  for (const Refusal& r : kRefusals) {
    if (r.event == event && (r.states & Bit(s))) return r.why;
  }
  if (s == CaseState::kClosed) return "le dossier est clos (rouvrez-le d'abord).";
  if (s == CaseState::kInadmissible) return "la demande a été déclarée irrecevable (rouvrez-la d'abord).";
  return "cette action ne s'applique pas dans cet état.";
}

const Row* FindRow(std::string_view event, CaseState s) {
  for (const Row& row : kRows) {
    if (row.t.event == event && row.t.AllowsFrom(s)) return &row;
  }
  return nullptr;
}

const Row* FindAnyRow(std::string_view event) {
  for (const Row& row : kRows) {
    if (row.t.event == event) return &row;
  }
  return nullptr;
}

std::string JoinViews(const std::vector<std::string_view>& v) {
  std::string out;
  for (std::string_view s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

Status CheckParams(const Transition& t, const EventRequest& r) {
  for (const auto& [name, value] : r.params) {
    bool known = false;
    for (const ParamSpec& p : t.params) known = known || p.name == name;
    if (!known) {
      std::vector<std::string_view> accepted;
      for (const ParamSpec& p : t.params) accepted.push_back(p.name);
      return Fail(msg::Invalid("event.param_unknown", name,
                               {name, t.event, accepted.empty() ? "aucun" : JoinViews(accepted)}));
    }
  }
  for (const ParamSpec& p : t.params) {
    const std::string name(p.name);
    auto it = r.params.find(name);
    if (it == r.params.end()) {
      if (p.required) {
        return Fail(msg::Invalid("event.param_required", name, {name, t.event}));
      }
      continue;
    }
    const std::string value = Trim(it->second);
    if (value.empty()) return Fail(msg::Invalid("event.param_empty", name, {name}));
    if (value.size() > kMaxTextBytes) {
      return Fail(msg::Invalid("event.param_too_long", name, {name, std::to_string(kMaxTextBytes)}));
    }
    if (p.kind == Kind::kCode || p.kind == Kind::kCodeList) {
      const Nomenclature* n = nomenclature::Find(p.nomenclature);
      std::vector<std::string> codes =
          p.kind == Kind::kCode ? std::vector<std::string>{value} : SplitCodes(value);
      for (const std::string& code : codes) {
        if (n == nullptr || !n->Contains(code)) {
          std::string known;
          if (n != nullptr) {
            for (const NomenclatureEntry& e : n->entries) {
              if (!known.empty()) known += ", ";
              known += e.code;
            }
          }
          return Fail(msg::Invalid("event.code_unknown", name, {p.label, code, known}));
        }
      }
    }
  }
  return {};
}

// The date must not be in the future nor before the latest step on the case.
Status CheckDate(const Case& c, Date date, Date today) {
  if (date > today) {
    return Fail(msg::Invalid("event.date_future", "date", {date.ToFrench(), today.ToFrench()}));
  }
  struct Step {
    const char* name;
    std::optional<Date> on;
  };
  const Step steps[] = {{"date de clôture", c.closed_on},
                        {"date de réponse", c.answered_on},
                        {"date de prise en charge", c.taken_in_charge_on},
                        {"date de réception", c.received_on}};
  for (const Step& s : steps) {
    if (s.on && date < *s.on) {
      return Fail(
          msg::Invalid("event.date_before", "date", {date.ToFrench(), s.name, s.on->ToFrench()}));
    }
  }
  return {};
}

}  // namespace

std::span<const Transition> Transitions() {
  static const std::vector<Transition> table = [] {
    std::vector<Transition> t;
    for (const Row& row : kRows) t.push_back(row.t);
    return t;
  }();
  return table;
}

std::vector<std::string_view> EventCodes() {
  std::vector<std::string_view> out;
  for (const Row& row : kRows) {
    if (std::find(out.begin(), out.end(), row.t.event) == out.end()) out.push_back(row.t.event);
  }
  return out;
}

std::string_view EventLabel(std::string_view event) {
  const Row* row = FindAnyRow(event);
  return row ? row->t.label : event;
}

std::span<const ParamSpec> EventParams(std::string_view event) {
  const Row* row = FindAnyRow(event);
  return row ? row->t.params : std::span<const ParamSpec>();
}

std::vector<std::string_view> AllowedEvents(const Case& c) {
  std::vector<std::string_view> out;
  for (const Row& row : kRows) {
    if (!row.t.AllowsFrom(c.state)) continue;
    if (row.pre && !row.pre(c)) continue;
    if (std::find(out.begin(), out.end(), row.t.event) == out.end()) out.push_back(row.t.event);
  }
  return out;
}

Result<CaseEvent> ApplyEvent(Case& c, const EventRequest& r, Date today,
                             std::string_view now_timestamp) {
  if (FindAnyRow(r.event) == nullptr) {
    return Fail(msg::Invalid("event.unknown", "event", {r.event, JoinViews(AllowedEvents(c))}));
  }
  if (Trim(r.actor).empty()) return Fail(msg::Invalid("event.actor_required", "actor"));
  const Row* row = FindRow(r.event, c.state);
  if (row == nullptr) {
    return Fail(msg::Conflict("event.not_allowed", "",
                              {EventLabel(r.event), StateLabel(c.state), WhyNot(r.event, c.state)}));
  }
  if (row->pre) {
    if (Status s = row->pre(c); !s) return Fail(s.error());
  }
  if (Status s = CheckParams(row->t, r); !s) return Fail(s.error());
  const Date date = r.date.value_or(today);
  if (Status s = CheckDate(c, date, today); !s) return Fail(s.error());
  const Ctx ctx{r, date};
  if (row->guard) {
    if (Status s = row->guard(c, ctx); !s) return Fail(s.error());
  }

  CaseEvent ev;
  ev.at = std::string(now_timestamp);
  ev.actor = r.actor;
  ev.kind = r.event;
  ev.detail = row->effect(c, ctx);
  if (row->t.to) c.state = *row->t.to;
  return ev;
}

}  // namespace amiable
