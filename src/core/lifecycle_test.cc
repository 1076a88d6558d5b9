#include "core/lifecycle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace amiable {
namespace {

Date D(const char* iso) { return *Date::Parse(iso); }

const Date kToday = D("2025-01-31");
constexpr const char* kNow = "2025-01-31T10:00:00Z";

constexpr std::array<CaseState, 7> kAllStates = {
    CaseState::kReceived,   CaseState::kInadmissible, CaseState::kTakenInCharge,
    CaseState::kInProgress, CaseState::kOnHold,       CaseState::kAnswered,
    CaseState::kClosed,
};

// A consistent case in state `s`: the dates and values a case in that state
// has when it got there through the lifecycle.
Case CaseIn(CaseState s) {
  Case c;
  c.reference = "631-2025-0001";
  c.organisme = "631";
  c.received_on = D("2025-01-06");
  c.state = s;
  switch (s) {
    case CaseState::kReceived:
      break;
    case CaseState::kInadmissible:
      c.admissibility = "irrecevable";
      c.inadmissibility_reason = "absence_demarche_prealable";
      c.orientation = "Service prestations";
      c.answered_on = D("2025-01-08");
      c.closed_on = D("2025-01-08");
      break;
    case CaseState::kClosed:
      c.closed_on = D("2025-01-21");
      c.resolution = "revisee";
      c.cause = "erreur_liquidation";
      [[fallthrough]];
    case CaseState::kAnswered:
      c.answered_on = D("2025-01-20");
      c.response_modes = std::vector<std::string>{"courriel"};
      [[fallthrough]];
    case CaseState::kTakenInCharge:
    case CaseState::kInProgress:
    case CaseState::kOnHold:
      c.admissibility = "recevable";
      c.taken_in_charge_on = D("2025-01-07");
      c.assigned_to = "mdupont";
      break;
  }
  return c;
}

// Parameters that satisfy every guard of `event`.
std::map<std::string, std::string> ValidParams(const std::string& event) {
  if (event == "declare_inadmissible") {
    return {{"inadmissibility_reason", "absence_demarche_prealable"},
            {"orientation", "Service prestations"}};
  }
  if (event == "put_on_hold") return {{"reason", "Attente de la CRA du 12/02"}};
  if (event == "answer") return {{"response_modes", "courriel"}};
  if (event == "close") return {{"resolution", "confirmee"}, {"cause", "pas_erreur_caf"}};
  if (event == "reopen") return {{"reason", "Nouvel élément"}};
  if (event == "recuse") return {{"to", "jmartin"}, {"reason", "Lien avec le bailleur"}};
  return {};
}

EventRequest Req(std::string event, std::optional<Date> date = D("2025-01-22"),
                 std::map<std::string, std::string> params = {}, std::string actor = "mdupont") {
  return {std::move(event), date, std::move(params), std::move(actor)};
}

EventRequest ValidReq(const std::string& event) {
  return Req(event, D("2025-01-22"), ValidParams(event));
}

// Every field the lifecycle may touch, to check a refusal changes nothing.
std::string Snapshot(const Case& c) {
  auto opt = [](const auto& o) -> std::string {
    if (!o) return "-";
    if constexpr (std::is_same_v<std::decay_t<decltype(*o)>, Date>) {
      return o->ToString();
    } else {
      return std::string(*o);
    }
  };
  std::string modes = "-";
  if (c.response_modes) {
    modes.clear();
    for (const auto& m : *c.response_modes) modes += m + ",";
  }
  return std::string(StateCode(c.state)) + "|" + c.admissibility + "|" +
         opt(c.inadmissibility_reason) + "|" + opt(c.orientation) + "|" +
         opt(c.taken_in_charge_on) + "|" + opt(c.answered_on) + "|" + opt(c.closed_on) + "|" +
         opt(c.resolution) + "|" + opt(c.cause) + "|" + modes + "|" + c.assigned_to;
}

// ---- The table, written out independently of lifecycle.cc -----------------

struct Expected {
  const char* event;
  // One entry per state of kAllStates: the state reached, "=" for "stays",
  // nullptr for refused.
  std::array<const char*, 7> to;
};
// clang-format off
const char* const X = nullptr;  // refused
const Expected kExpected[] = {
  //                        received           inadmissible  taken_in_charge  in_progress  on_hold        answered  closed
  {"declare_inadmissible", {"inadmissible",    X,            X,               X,           X,             X,        X}},
  {"take_in_charge",       {"taken_in_charge", X,            X,               X,           X,             X,        X}},
  {"start_investigation",  {X,                 X,            "in_progress",   X,           X,             X,        X}},
  {"put_on_hold",          {X,                 X,            X,               "on_hold",   X,             X,        X}},
  {"resume",               {X,                 X,            X,               X,           "in_progress", X,        X}},
  {"answer",               {X,                 X,            "answered",      "answered",  "answered",    X,        X}},
  {"close",                {X,                 X,            X,               X,           X,             "closed", X}},
  {"reopen",               {X,                 "received",   X,               X,           X,             X,        "in_progress"}},
  {"recuse",               {"=",               X,            "=",             "=",         "=",           "=",      X}},
};
// clang-format on

TEST(LifecycleTableTest, EveryEventInEveryState) {
  for (const Expected& e : kExpected) {
    for (size_t i = 0; i < kAllStates.size(); ++i) {
      const CaseState from = kAllStates[i];
      SCOPED_TRACE(std::string(e.event) + " from " + StateCode(from));
      Case c = CaseIn(from);
      const std::string before = Snapshot(c);
      Result<CaseEvent> r = ApplyEvent(c, ValidReq(e.event), kToday, kNow);
      if (e.to[i] == nullptr) {
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Error::Code::kConflict);
        EXPECT_EQ(r.error().message_id, "event.not_allowed");
        EXPECT_NE(r.error().message.find(std::string("« ") + std::string(EventLabel(e.event)) +
                                         " » impossible : le dossier est à l'état « " +
                                         StateLabel(from) + " »"),
                  std::string::npos)
            << r.error().message;
        EXPECT_EQ(Snapshot(c), before) << "a refused event must not change the case";
      } else {
        ASSERT_TRUE(r) << r.error().message;
        const std::string to = std::string(e.to[i]) == "=" ? StateCode(from) : e.to[i];
        EXPECT_STREQ(StateCode(c.state), to.c_str());
        EXPECT_EQ(r->kind, e.event);
        EXPECT_EQ(r->actor, "mdupont");
        EXPECT_EQ(r->at, kNow);
        EXPECT_FALSE(r->detail.empty());
      }
    }
  }
}

TEST(LifecycleTableTest, AllowedEventsAreTheTableRows) {
  for (size_t i = 0; i < kAllStates.size(); ++i) {
    std::vector<std::string_view> expected;
    for (const Expected& e : kExpected) {
      if (e.to[i] != nullptr) expected.push_back(e.event);
    }
    EXPECT_EQ(AllowedEvents(CaseIn(kAllStates[i])), expected) << StateCode(kAllStates[i]);
  }
}

TEST(LifecycleTableTest, TableCoversEveryEventOfTheOracle) {
  std::vector<std::string_view> codes;
  for (const Expected& e : kExpected) codes.push_back(e.event);
  EXPECT_EQ(EventCodes(), codes);
  for (const Transition& t : Transitions()) {
    EXPECT_NE(t.from_mask, 0u) << t.event;
    EXPECT_FALSE(t.label.empty()) << t.event;
  }
}

TEST(LifecycleTableTest, RowsOfOneEventHaveDisjointFromStates) {
  auto rows = Transitions();
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t j = i + 1; j < rows.size(); ++j) {
      if (rows[i].event == rows[j].event) {
        EXPECT_EQ(rows[i].from_mask & rows[j].from_mask, 0u) << rows[i].event;
      }
    }
  }
}

// ---- Why refusals say why ----------------------------------------------------

struct RefusalCase {
  const char* event;
  CaseState state;
  const char* message;
};

TEST(LifecycleRefusalTest, MessagesSayWhy) {
  const RefusalCase cases[] = {
      {"close", CaseState::kInProgress,
       "Action « Clôturer » impossible : le dossier est à l'état « En cours d'instruction » et il "
       "faut d'abord répondre."},
      {"close", CaseState::kClosed,
       "Action « Clôturer » impossible : le dossier est à l'état « Clôturée » et il est déjà clos."},
      {"take_in_charge", CaseState::kInadmissible,
       "Action « Prendre en charge » impossible : le dossier est à l'état « Hors médiation "
       "(clôturée) » et une demande irrecevable ne se prend pas en charge (rouvrez-la d'abord)."},
      {"start_investigation", CaseState::kReceived,
       "Action « Commencer l'instruction » impossible : le dossier est à l'état « Reçue, à "
       "examiner » et il doit d'abord être pris en charge."},
      {"recuse", CaseState::kClosed,
       "Action « Se déporter (conflit d'intérêts) » impossible : le dossier est à "
       "l'état « Clôturée » et un déport ne vaut que pour un dossier ouvert."},
  };
  for (const RefusalCase& rc : cases) {
    Case c = CaseIn(rc.state);
    auto r = ApplyEvent(c, ValidReq(rc.event), kToday, kNow);
    ASSERT_FALSE(r) << rc.event;
    EXPECT_EQ(r.error().code, Error::Code::kConflict);
    EXPECT_EQ(r.error().message, rc.message);
    EXPECT_EQ(r.error().message_id, "event.not_allowed");
  }
}

TEST(LifecycleRefusalTest, UnknownEventListsTheEventsAllowedNow) {
  Case c = CaseIn(CaseState::kReceived);
  auto r = ApplyEvent(c, Req("prendre_en_charge"), kToday, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Error::Code::kInvalid);
  EXPECT_EQ(r.error().field, "event");
  EXPECT_EQ(r.error().message,
            "Action inconnue « prendre_en_charge » ; possibles maintenant : declare_inadmissible, "
            "take_in_charge, recuse.");
}

TEST(LifecycleRefusalTest, ActorIsRequired) {
  Case c = CaseIn(CaseState::kReceived);
  auto r = ApplyEvent(c, Req("take_in_charge", D("2025-01-07"), {}, " "), kToday, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Error::Code::kInvalid);
  EXPECT_EQ(r.error().field, "actor");
}

// ---- Parameters ---------------------------------------------------------------

struct ParamCase {
  CaseState state;
  const char* event;
  std::map<std::string, std::string> params;
  Error::Code code;
  const char* field;
  const char* message_part;
};

TEST(LifecycleParamTest, BadParametersAreRefused) {
  const ParamCase cases[] = {
      {CaseState::kReceived,
       "declare_inadmissible",
       {{"orientation", "CCAS"}},
       Error::Code::kInvalid,
       "inadmissibility_reason",
       "demande le paramètre « inadmissibility_reason »"},
      {CaseState::kReceived,
       "declare_inadmissible",
       {{"inadmissibility_reason", "absence_demarche_prealable"}},
       Error::Code::kInvalid,
       "orientation",
       "demande le paramètre « orientation »"},
      {CaseState::kReceived,
       "declare_inadmissible",
       {{"inadmissibility_reason", "absence_demarche_prealable"}, {"orientation", "  \t"}},
       Error::Code::kInvalid,
       "orientation",
       "ne peut pas être vide"},
      {CaseState::kReceived,
       "declare_inadmissible",
       {{"inadmissibility_reason", "pas_de_reclamation"}, {"orientation", "CCAS"}},
       Error::Code::kInvalid,
       "inadmissibility_reason",
       "Code « pas_de_reclamation » inconnu pour Motif d'irrecevabilité"},
      {CaseState::kReceived,
       "take_in_charge",
       {{"assignee", "jmartin"}},
       Error::Code::kInvalid,
       "assignee",
       "Paramètre inconnu « assignee » pour « take_in_charge » (acceptés : assigned_to)."},
      {CaseState::kTakenInCharge,
       "start_investigation",
       {{"reason", "x"}},
       Error::Code::kInvalid,
       "reason",
       "(acceptés : aucun)"},
      {CaseState::kInProgress,
       "put_on_hold",
       {},
       Error::Code::kInvalid,
       "reason",
       "demande le paramètre « reason »"},
      {CaseState::kInProgress,
       "answer",
       {{"response_modes", "courriel,fax"}},
       Error::Code::kInvalid,
       "response_modes",
       "Code « fax » inconnu"},
      {CaseState::kInProgress,
       "answer",
       {{"response_modes", "courriel,,telephone"}},
       Error::Code::kInvalid,
       "response_modes",
       "Code «  » inconnu"},
      {CaseState::kInProgress,
       "answer",
       {},
       Error::Code::kConflict,
       "response_modes",
       "Répondre demande au moins un mode de réponse"},
      {CaseState::kAnswered,
       "close",
       {{"cause", "pas_erreur_caf"}},
       Error::Code::kConflict,
       "resolution",
       "Clore demande une résolution"},
      {CaseState::kAnswered,
       "close",
       {{"resolution", "confirmee"}},
       Error::Code::kConflict,
       "cause",
       "Clore demande une cause"},
      {CaseState::kAnswered,
       "close",
       {{"resolution", "annulee"}, {"cause", "pas_erreur_caf"}},
       Error::Code::kInvalid,
       "resolution",
       "Code « annulee » inconnu pour Résolution"},
      {CaseState::kAnswered,
       "close",
       {{"resolution", "confirmee"}, {"cause", "erreur"}},
       Error::Code::kInvalid,
       "cause",
       "Code « erreur » inconnu pour Cause"},
      {CaseState::kClosed, "reopen", {}, Error::Code::kInvalid, "reason", "demande le paramètre « reason »"},
      {CaseState::kInadmissible,
       "reopen",
       {{"reason", ""}},
       Error::Code::kInvalid,
       "reason",
       "ne peut pas être vide"},
      {CaseState::kInProgress,
       "recuse",
       {{"reason", "lien"}},
       Error::Code::kInvalid,
       "to",
       "demande le paramètre « to »"},
      {CaseState::kInProgress,
       "recuse",
       {{"to", "jmartin"}},
       Error::Code::kInvalid,
       "reason",
       "demande le paramètre « reason »"},
      {CaseState::kInProgress,
       "recuse",
       {{"to", "mdupont"}, {"reason", "lien"}},
       Error::Code::kInvalid,
       "to",
       "un autre médiateur que mdupont"},
      {CaseState::kInProgress,
       "put_on_hold",
       {{"reason", std::string(4001, 'x')}},
       Error::Code::kInvalid,
       "reason",
       "trop long"},
  };
  for (const ParamCase& pc : cases) {
    SCOPED_TRACE(std::string(pc.event) + " " + pc.message_part);
    Case c = CaseIn(pc.state);
    c.response_modes.reset();
    if (pc.state == CaseState::kAnswered) {
      c.resolution.reset();
      c.cause.reset();
    }
    const std::string before = Snapshot(c);
    auto r = ApplyEvent(c, Req(pc.event, D("2025-01-22"), pc.params), kToday, kNow);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, pc.code);
    EXPECT_EQ(r.error().field, pc.field);
    EXPECT_NE(r.error().message.find(pc.message_part), std::string::npos) << r.error().message;
    EXPECT_EQ(Snapshot(c), before);
  }
}

TEST(LifecycleParamTest, EventParamsDescribeTheForms) {
  auto names = [](std::string_view event) {
    std::vector<std::string_view> out;
    for (const ParamSpec& p : EventParams(event)) out.push_back(p.name);
    return out;
  };
  using V = std::vector<std::string_view>;
  EXPECT_EQ(names("declare_inadmissible"), (V{"inadmissibility_reason", "orientation"}));
  EXPECT_EQ(names("take_in_charge"), (V{"assigned_to"}));
  EXPECT_EQ(names("start_investigation"), V{});
  EXPECT_EQ(names("put_on_hold"), (V{"reason"}));
  EXPECT_EQ(names("resume"), V{});
  EXPECT_EQ(names("answer"), (V{"response_modes"}));
  EXPECT_EQ(names("close"), (V{"resolution", "cause"}));
  EXPECT_EQ(names("reopen"), (V{"reason"}));
  EXPECT_EQ(names("recuse"), (V{"to", "reason", "interet", "interference", "intensite"}));
  EXPECT_EQ(names("nope"), V{});
  EXPECT_EQ(EventLabel("take_in_charge"), "Prendre en charge");
  EXPECT_EQ(EventLabel("close"), "Clôturer");
  EXPECT_EQ(EventLabel("nope"), "nope");
}

// ---- Dates ---------------------------------------------------------------------

struct DateCase {
  CaseState state;
  const char* event;
  std::optional<const char*> date;  // nullopt: no date given (today)
  bool ok;
  const char* message_part;
};

TEST(LifecycleDateTest, DatesFollowTheSteps) {
  const DateCase cases[] = {
      // Taking in charge: not before reception, not after today; same day is fine.
      {CaseState::kReceived, "take_in_charge", "2025-01-05", false, "antérieure à la date de réception"},
      {CaseState::kReceived, "take_in_charge", "2025-01-06", true, ""},
      {CaseState::kReceived, "take_in_charge", "2025-01-31", true, ""},
      {CaseState::kReceived, "take_in_charge", "2025-02-01", false, "dans le futur"},
      {CaseState::kReceived, "take_in_charge", std::nullopt, true, ""},
      {CaseState::kReceived, "declare_inadmissible", "2025-01-01", false, "antérieure à la date de réception"},
      // Answer: not before the taking in charge.
      {CaseState::kInProgress, "answer", "2025-01-06", false,
       "antérieure à la date de prise en charge du dossier (07/01/2025)"},
      {CaseState::kInProgress, "answer", "2025-01-07", true, ""},
      {CaseState::kTakenInCharge, "start_investigation", "2025-01-06", false,
       "antérieure à la date de prise en charge"},
      {CaseState::kInProgress, "put_on_hold", "2025-01-06", false, "antérieure à la date de prise en charge"},
      // Closing: not before the answer.
      {CaseState::kAnswered, "close", "2025-01-19", false, "antérieure à la date de réponse du dossier"},
      {CaseState::kAnswered, "close", "2025-01-20", true, ""},
      {CaseState::kAnswered, "close", "2025-02-03", false, "dans le futur"},
      // Reopening: not before the closing.
      {CaseState::kClosed, "reopen", "2025-01-20", false, "antérieure à la date de clôture"},
      {CaseState::kClosed, "reopen", "2025-01-21", true, ""},
      {CaseState::kInadmissible, "reopen", "2025-01-07", false, "antérieure à la date de clôture"},
      {CaseState::kAnswered, "recuse", "2025-01-10", false, "antérieure à la date de réponse"},
  };
  for (const DateCase& dc : cases) {
    SCOPED_TRACE(std::string(dc.event) + " on " + (dc.date ? *dc.date : "today"));
    Case c = CaseIn(dc.state);
    std::optional<Date> date;
    if (dc.date) date = D(*dc.date);
    auto r = ApplyEvent(c, Req(dc.event, date, ValidParams(dc.event)), kToday, kNow);
    if (dc.ok) {
      EXPECT_TRUE(r) << r.error().message;
    } else {
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, Error::Code::kInvalid);
      EXPECT_EQ(r.error().field, "date");
      EXPECT_NE(r.error().message.find(dc.message_part), std::string::npos) << r.error().message;
    }
  }
}

TEST(LifecycleDateTest, MissingDateMeansToday) {
  Case c = CaseIn(CaseState::kReceived);
  ASSERT_TRUE(ApplyEvent(c, Req("take_in_charge", std::nullopt), kToday, kNow));
  EXPECT_EQ(c.taken_in_charge_on, kToday);
}

// ---- Effects, event by event --------------------------------------------------

TEST(LifecycleEffectTest, DeclareInadmissibleAnswersAndClosesTheRequest) {
  Case c = CaseIn(CaseState::kReceived);
  auto r = ApplyEvent(c,
                      Req("declare_inadmissible", D("2025-01-08"),
                          {{"inadmissibility_reason", "absence_demarche_prealable"},
                           {"orientation", " Service prestations de la Caf "}}),
                      kToday, kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(c.state, CaseState::kInadmissible);
  EXPECT_EQ(c.admissibility, "irrecevable");
  EXPECT_EQ(c.inadmissibility_reason, "absence_demarche_prealable");
  EXPECT_EQ(c.orientation, "Service prestations de la Caf");
  EXPECT_EQ(c.answered_on, D("2025-01-08"));
  EXPECT_EQ(c.closed_on, D("2025-01-08"));
  EXPECT_FALSE(c.taken_in_charge_on);
  EXPECT_EQ(r->detail,
            "Déclarée irrecevable (hors médiation) le 08/01/2025 par mdupont — motif : Absence de "
            "démarche préalable ; orientation : Service prestations de la Caf");
  EXPECT_EQ(InferState(c), CaseState::kInadmissible);
}

TEST(LifecycleEffectTest, TakeInChargeAssignsTheActorByDefault) {
  Case c = CaseIn(CaseState::kReceived);
  auto r = ApplyEvent(c, Req("take_in_charge", D("2025-01-07")), kToday, kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(c.state, CaseState::kTakenInCharge);
  EXPECT_EQ(c.admissibility, "recevable");
  EXPECT_EQ(c.taken_in_charge_on, D("2025-01-07"));
  EXPECT_EQ(c.assigned_to, "mdupont");
  EXPECT_EQ(r->detail, "Prise en charge le 07/01/2025 par mdupont");
}

TEST(LifecycleEffectTest, TakeInChargeForAnotherMediator) {
  Case c = CaseIn(CaseState::kReceived);
  auto r =
      ApplyEvent(c, Req("take_in_charge", D("2025-01-07"), {{"assigned_to", "jmartin"}}, "chef"),
                 kToday, kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(c.assigned_to, "jmartin");
  EXPECT_EQ(r->actor, "chef");
  EXPECT_EQ(r->detail, "Prise en charge le 07/01/2025 par jmartin (attribution par chef)");
}

TEST(LifecycleEffectTest, AnIrrecevableCaseCannotBeTakenInCharge) {
  // E.g. imported inconsistently, or screened by another tool: received but irrecevable.
  Case c = CaseIn(CaseState::kReceived);
  c.admissibility = "irrecevable";
  EXPECT_EQ(AllowedEvents(c), (std::vector<std::string_view>{"declare_inadmissible", "recuse"}));
  auto r = ApplyEvent(c, Req("take_in_charge", D("2025-01-07")), kToday, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Error::Code::kConflict);
  EXPECT_EQ(r.error().message_id, "take_in_charge.inadmissible");
  EXPECT_EQ(c.state, CaseState::kReceived);
  EXPECT_FALSE(c.taken_in_charge_on);
}

TEST(LifecycleEffectTest, HoldAndResumeKeepTheDates) {
  Case c = CaseIn(CaseState::kInProgress);
  auto hold = ApplyEvent(c, Req("put_on_hold", D("2025-01-10"), {{"reason", "Attente de la CRA"}}),
                         kToday, kNow);
  ASSERT_TRUE(hold);
  EXPECT_EQ(c.state, CaseState::kOnHold);
  EXPECT_EQ(hold->detail, "Mise en attente le 10/01/2025 par mdupont : Attente de la CRA");
  auto resume = ApplyEvent(c, Req("resume", D("2025-01-15")), kToday, kNow);
  ASSERT_TRUE(resume);
  EXPECT_EQ(c.state, CaseState::kInProgress);
  EXPECT_EQ(resume->detail, "Reprise de l'instruction le 15/01/2025 par mdupont");
  EXPECT_EQ(c.taken_in_charge_on, D("2025-01-07"));
  EXPECT_FALSE(c.answered_on);
}

TEST(LifecycleEffectTest, AnswerMergesResponseModes) {
  Case c = CaseIn(CaseState::kOnHold);
  c.response_modes = std::vector<std::string>{"telephone"};
  auto r = ApplyEvent(
      c, Req("answer", D("2025-01-20"), {{"response_modes", "courriel, telephone,courriel"}}),
      kToday, kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(c.state, CaseState::kAnswered);
  EXPECT_EQ(c.answered_on, D("2025-01-20"));
  EXPECT_EQ(*c.response_modes, (std::vector<std::string>{"telephone", "courriel"}));
  EXPECT_EQ(r->detail, "Réponse envoyée le 20/01/2025 par mdupont (Téléphone, Courriel)");
}

TEST(LifecycleEffectTest, AnswerUsesTheResponseModeAlreadyOnTheCase) {
  Case c = CaseIn(CaseState::kTakenInCharge);
  c.response_modes = std::vector<std::string>{"courrier"};
  auto r = ApplyEvent(c, Req("answer", D("2025-01-20")), kToday, kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*c.response_modes, std::vector<std::string>{"courrier"});
  // An empty list on the case is no response mode.
  Case d = CaseIn(CaseState::kTakenInCharge);
  d.response_modes = std::vector<std::string>{};
  EXPECT_FALSE(ApplyEvent(d, Req("answer", D("2025-01-20")), kToday, kNow));
}

TEST(LifecycleEffectTest, CloseTakesResolutionAndCauseFromTheEventOrTheCase) {
  Case c = CaseIn(CaseState::kAnswered);
  c.resolution = "confirmee";
  c.cause = "pas_erreur_caf";
  auto r = ApplyEvent(c, Req("close", D("2025-01-21"), {{"resolution", "revisee"}}), kToday, kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(c.state, CaseState::kClosed);
  EXPECT_EQ(c.closed_on, D("2025-01-21"));
  EXPECT_EQ(c.resolution, "revisee");
  EXPECT_EQ(c.cause, "pas_erreur_caf");
  EXPECT_EQ(r->detail,
            "Clôturée le 21/01/2025 par mdupont — résolution : Décision révisée ; cause : Pas "
            "d'erreur Caf");
  EXPECT_EQ(InferState(c), CaseState::kClosed);
}

TEST(LifecycleEffectTest, ReopenAClosedCaseKeepsItsAnswer) {
  Case c = CaseIn(CaseState::kClosed);
  auto r =
      ApplyEvent(c, Req("reopen", D("2025-01-25"), {{"reason", "Pièce nouvelle"}}), kToday, kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(c.state, CaseState::kInProgress);
  EXPECT_FALSE(c.closed_on);
  EXPECT_EQ(c.answered_on, D("2025-01-20"));
  EXPECT_EQ(c.resolution, "revisee");
  EXPECT_EQ(r->detail, "Rouverte le 25/01/2025 par mdupont : Pièce nouvelle");
  // A second answer may not predate the first one.
  EXPECT_FALSE(ApplyEvent(c, Req("answer", D("2025-01-19")), kToday, kNow));
  ASSERT_TRUE(ApplyEvent(c, Req("answer", D("2025-01-27")), kToday, kNow));
  ASSERT_TRUE(ApplyEvent(c, Req("close", D("2025-01-28")), kToday, kNow));
  EXPECT_EQ(c.closed_on, D("2025-01-28"));
}

TEST(LifecycleEffectTest, ReopenAnInadmissibleCaseUndoesTheScreening) {
  Case c = CaseIn(CaseState::kInadmissible);
  auto r = ApplyEvent(c, Req("reopen", D("2025-01-10"), {{"reason", "Réclamation retrouvée"}}),
                      kToday, kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(c.state, CaseState::kReceived);
  EXPECT_EQ(c.admissibility, "");
  EXPECT_FALSE(c.inadmissibility_reason);
  EXPECT_FALSE(c.orientation);
  EXPECT_FALSE(c.answered_on);
  EXPECT_FALSE(c.closed_on);
  EXPECT_EQ(InferState(c), CaseState::kReceived);
  EXPECT_NE(r->detail.find("décision d'irrecevabilité annulée"), std::string::npos);
  auto take = ApplyEvent(c, Req("take_in_charge", D("2025-01-10")), kToday, kNow);
  ASSERT_TRUE(take) << take.error().message;
  EXPECT_EQ(c.admissibility, "recevable");
}

TEST(LifecycleEffectTest, RecuseHandsTheCaseOverWithoutChangingItsState) {
  Case c = CaseIn(CaseState::kInProgress);
  auto r = ApplyEvent(
      c,
      Req("recuse", D("2025-01-09"), {{"to", "jmartin"}, {"reason", "Bailleur de l'allocataire"}}),
      kToday, kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(c.state, CaseState::kInProgress);
  EXPECT_EQ(c.assigned_to, "jmartin");
  EXPECT_EQ(r->detail, "Déport de mdupont vers jmartin le 09/01/2025 : Bailleur de l'allocataire");
}

TEST(LifecycleEffectTest, RecuseOrderedByTheHierarchy) {
  Case c = CaseIn(CaseState::kTakenInCharge);
  auto r =
      ApplyEvent(c, Req("recuse", D("2025-01-09"), {{"to", "jmartin"}, {"reason", "Lien"}}, "chef"),
                 kToday, kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->detail,
            "Déport de mdupont vers jmartin le 09/01/2025 (à la demande de chef) : Lien");
}

TEST(LifecycleEffectTest, RecuseBeforeAssignmentIsFromTheActor) {
  Case c = CaseIn(CaseState::kReceived);
  auto r = ApplyEvent(c, Req("recuse", D("2025-01-06"), {{"to", "jmartin"}, {"reason", "Lien"}}),
                      kToday, kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(c.assigned_to, "jmartin");
  EXPECT_EQ(r->detail, "Déport de mdupont vers jmartin le 06/01/2025 : Lien");
}

TEST(LifecycleScenarioTest, AWholeCase) {
  Case c = CaseIn(CaseState::kReceived);
  struct Step {
    EventRequest req;
    CaseState after;
  };
  const Step steps[] = {
      {Req("take_in_charge", D("2025-01-07")), CaseState::kTakenInCharge},
      {Req("start_investigation", D("2025-01-08")), CaseState::kInProgress},
      {Req("put_on_hold", D("2025-01-09"), {{"reason", "CRA du 15/01"}}), CaseState::kOnHold},
      {Req("resume", D("2025-01-16")), CaseState::kInProgress},
      {Req("answer", D("2025-01-20"), {{"response_modes", "courriel"}}), CaseState::kAnswered},
      {Req("close", D("2025-01-21"), {{"resolution", "revisee"}, {"cause", "erreur_liquidation"}}),
       CaseState::kClosed},
  };
  std::vector<std::string> kinds;
  for (const Step& s : steps) {
    auto r = ApplyEvent(c, s.req, kToday, kNow);
    ASSERT_TRUE(r) << s.req.event << ": " << r.error().message;
    EXPECT_EQ(c.state, s.after);
    kinds.push_back(r->kind);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"take_in_charge", "start_investigation", "put_on_hold",
                                             "resume", "answer", "close"}));
  EXPECT_EQ(c.taken_in_charge_on, D("2025-01-07"));
  EXPECT_EQ(c.answered_on, D("2025-01-20"));
  EXPECT_EQ(c.closed_on, D("2025-01-21"));
  EXPECT_EQ(InferState(c), CaseState::kClosed);
  EXPECT_EQ(AllowedEvents(c), std::vector<std::string_view>{"reopen"});
}

}  // namespace
}  // namespace amiable
