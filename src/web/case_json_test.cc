#include "web/case_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/messages.h"

namespace amiable::web {
namespace {

const Date kToday = Date::FromCivil(2025, 3, 3);

Case Received() {
  auto r = ParseCreateBody(
      R"({"reference":"631-2025-00001","organisme":"631","received_on":"2025-01-06",
          "channel":"courriel","motives":["absence_paiement"],"description":"Texte"})",
      kToday, "");
  EXPECT_TRUE(r) << r.error().message;
  r->c.version = 3;
  return r->c;
}

TEST(CreateBodyTest, MinimalCaseIsReceivedAndUnscreened) {
  auto r = ParseCreateBody(R"({"organisme":"631","received_on":"2025-01-06"})", kToday, "");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->reference_given);
  EXPECT_EQ(r->c.reference, "");
  EXPECT_EQ(r->c.organisme, "631");
  EXPECT_EQ(r->c.received_on, Date::FromCivil(2025, 1, 6));
  EXPECT_EQ(r->c.admissibility, "");
  EXPECT_EQ(r->c.state, CaseState::kReceived);
}

TEST(CreateBodyTest, DefaultsFundAndReceptionDay) {
  auto r = ParseCreateBody(R"({"channel":"courrier","people":[{"role":"beneficiary",
      "name":"Jeanne Martin","email":"j@example.org"}]})",
                           kToday, "974");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->c.organisme, "974");
  EXPECT_EQ(r->c.received_on, kToday);
  ASSERT_EQ(r->people.size(), 1u);
  EXPECT_EQ(r->people[0].name, "Jeanne Martin");
  EXPECT_EQ(r->people[0].role, PersonRole::kBeneficiary);
}

TEST(CreateBodyTest, KeepsGivenReferenceAndDescription) {
  Case c = Received();
  EXPECT_EQ(c.reference, "631-2025-00001");
  EXPECT_EQ(c.description, "Texte");
  ASSERT_TRUE(c.motives);
  EXPECT_EQ(c.motives->at(0), "absence_paiement");
}

struct BadBody {
  const char* body;
  const char* field;       // "" when the error names no field
  const char* message_id;  // the catalogue key of the refusal
};

class CreateBodyErrorTest : public testing::TestWithParam<BadBody> {};

TEST_P(CreateBodyErrorTest, Refused) {
  const BadBody& b = GetParam();
  auto r = ParseCreateBody(b.body, kToday, "");
  ASSERT_FALSE(r) << b.body;
  EXPECT_EQ(r.error().code, Error::Code::kInvalid);
  EXPECT_EQ(r.error().field, b.field) << r.error().message;
  EXPECT_EQ(r.error().message_id, b.message_id) << r.error().message;
  EXPECT_NE(msg::Find(r.error().message_id), nullptr) << r.error().message_id;
  EXPECT_FALSE(r.error().message.empty());
  EXPECT_EQ(r.error().line, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, CreateBodyErrorTest,
    testing::Values(
        BadBody{"{\"organisme\":", "", "api.json_malformed"}, BadBody{"", "", "api.body_empty"},
        BadBody{"[1,2]", "", "api.body_object"},
        BadBody{R"({"organisme":"631","colour":"blue"})", "colour", "api.field_unknown"},
        BadBody{R"({"organisme":"631","organisme":"632"})", "organisme", "api.key_twice"},
        BadBody{R"({"organisme":"631","closed_on":"2025-01-08"})", "closed_on",
                "api.field_lifecycle"},
        BadBody{R"({"organisme":"631","admissibility":"recevable"})", "admissibility",
                "api.field_lifecycle"},
        BadBody{R"({"organisme":"631","channel":"pigeon"})", "channel", "interchange.code_unknown"},
        BadBody{R"({"organisme":"631","received_on":"2025-02-30"})", "received_on",
                "interchange.date_impossible"},
        BadBody{R"({"organisme":"631","received_on":"2030-01-02"})", "received_on",
                "case.received_on_future"},
        BadBody{R"({"organisme":"631","description":12})", "description", "api.field_string"},
        BadBody{R"({"organisme":"631","people":[{"name":"X"}]})", "people[0].role",
                "api.person_role_required"},
        BadBody{R"({"organisme":"631","people":[{"role":"cousin"}]})", "people[0].role",
                "person.role_unknown"},
        BadBody{R"({"organisme":"631","people":[{"role":"emitter","age":3}]})", "people[0].age",
                "api.field_unknown"},
        BadBody{"{\"organisme\":\"631\",\"channel\":\"\xff\"}", "", "api.json_malformed"},
        BadBody{"{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
                "]]]}",
                "", "api.json_too_deep"}));

TEST(CreateBodyTest, MalformedJsonSaysWhereInFrench) {
  auto r = ParseCreateBody("{\"organisme\":", kToday, "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "JSON mal formé à la ligne 1, colonne 14.");
}

TEST(CreateBodyTest, MissingFundIsNamed) {
  auto r = ParseCreateBody(R"({"channel":"courriel"})", kToday, "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "organisme") << r.error().message;
}

TEST(PatchBodyTest, ChangesClassification) {
  Case c = Received();
  auto r = ApplyPatchBody(
      R"({"version":3,"channel":"courrier","motives":["absence_paiement"],
          "benefits":["logement","rsa"],"household":"isole","description":"Nouveau"})",
      c);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->version, 3);
  EXPECT_EQ(r->changed,
            (std::vector<std::string>{"benefits", "channel", "description", "household"}));
  EXPECT_EQ(c.channel, "courrier");
  EXPECT_EQ(c.household, "isole");
  EXPECT_EQ(c.description, "Nouveau");
  EXPECT_EQ(c.state, CaseState::kReceived);
  EXPECT_EQ(c.admissibility, "");
  EXPECT_EQ(c.version, 3);
}

TEST(PatchBodyTest, NullClears) {
  Case c = Received();
  auto r = ApplyPatchBody(R"({"channel":null,"cause":null})", c);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->changed, std::vector<std::string>{"channel"});
  EXPECT_FALSE(c.channel);
}

TEST(PatchBodyTest, RefusalsLeaveCaseUnchanged) {
  const char* bodies[][2] = {
      {R"({"reference":"x"})", "reference"},
      {R"({"organisme":"632"})", "organisme"},
      {R"({"taken_in_charge_on":"2025-01-07"})", "taken_in_charge_on"},
      {R"({"channel":"courrier","nope":1})", "nope"},
      {R"({"channel":"courrier","household":"castle"})", "household"},
      {R"({"version":"3"})", "version"},
      {R"({"prior_step_on":"2025-02-01"})", ""},  // after the reception: date order
  };
  for (const auto& [body, field] : bodies) {
    Case c = Received();
    auto r = ApplyPatchBody(body, c);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, Error::Code::kInvalid);
    if (*field) {
      EXPECT_EQ(r.error().field, field) << body << ": " << r.error().message;
    }
    EXPECT_EQ(c.channel, "courriel") << body;
  }
}

TEST(EventBodyTest, ParamsAndLists) {
  auto r = ParseEventBody(
      R"({"event":"answer","date":"2025-01-20","version":4,"response_modes":["courriel","telephone"]})",
      "alice");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->request.event, "answer");
  EXPECT_EQ(r->request.actor, "alice");
  EXPECT_EQ(r->request.date, Date::FromCivil(2025, 1, 20));
  EXPECT_EQ(r->version, 4);
  EXPECT_EQ(r->request.params.at("response_modes"), "courriel,telephone");
}

TEST(EventBodyTest, Refusals) {
  EXPECT_EQ(ParseEventBody(R"({"date":"2025-01-20"})", "a").error().field, "event");
  EXPECT_EQ(ParseEventBody(R"({"event":"close","date":"20/01/2025"})", "a").error().field, "date");
  EXPECT_EQ(ParseEventBody(R"({"event":"close","actor":"bob"})", "a").error().field, "actor");
  EXPECT_EQ(ParseEventBody(R"({"event":"close","resolution":3})", "a").error().field, "resolution");
}

TEST(DeadlineTest, EightWorkingDays) {
  Case c = Received();  // Monday 2025-01-06, metropole
  WorkCalendar cal;
  auto d = ComputeDeadline(c, cal, Date::FromCivil(2025, 1, 16));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->take_charge_by, Date::FromCivil(2025, 1, 16));
  EXPECT_EQ(d->status, "pending");
  EXPECT_EQ(d->working_days_left, 0);
  d = ComputeDeadline(c, cal, Date::FromCivil(2025, 1, 17));
  EXPECT_EQ(d->status, "overdue");
  EXPECT_EQ(d->working_days_left, -1);
  d = ComputeDeadline(c, cal, Date::FromCivil(2025, 1, 6));
  EXPECT_EQ(d->working_days_left, 8);
  c.taken_in_charge_on = Date::FromCivil(2025, 1, 17);
  EXPECT_EQ(ComputeDeadline(c, cal, kToday)->status, "missed");
  c.taken_in_charge_on = Date::FromCivil(2025, 1, 7);
  d = ComputeDeadline(c, cal, kToday);
  EXPECT_EQ(d->status, "met");
  EXPECT_FALSE(d->working_days_left);
  c.admissibility = "irrecevable";
  EXPECT_EQ(ComputeDeadline(c, cal, kToday)->status, "not_applicable");
}

TEST(CaseJsonTest, EveryKeyPresent) {
  Case c = Received();
  std::vector<std::string_view> allowed = {"take_in_charge"};
  std::vector<CaseEvent> history = {{1, "2025-01-06T10:00:00Z", "alice", "create", "Créée"}};
  CaseView v;
  v.c = &c;
  v.deadline = ComputeDeadline(c, WorkCalendar{}, kToday);
  v.allowed_events = &allowed;
  v.history = &history;
  auto j = nlohmann::json::parse(CaseJson(v));
  for (const char* key : {"reference",
                          "organisme",
                          "received_on",
                          "channel",
                          "emitter",
                          "allocataire_number",
                          "prior_step",
                          "prior_step_on",
                          "admissibility",
                          "inadmissibility_reason",
                          "taken_in_charge_on",
                          "answered_on",
                          "closed_on",
                          "motives",
                          "benefits",
                          "cause",
                          "household",
                          "activity",
                          "quotient_familial",
                          "response_modes",
                          "resolution",
                          "fraud",
                          "financial",
                          "state",
                          "version",
                          "deadline",
                          "allowed_events",
                          "history"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_FALSE(j.contains("people"));
  EXPECT_EQ(j["reference"], "631-2025-00001");
  EXPECT_TRUE(j["admissibility"].is_null());
  EXPECT_EQ(j["state"], "received");
  EXPECT_EQ(j["version"], 3);
  EXPECT_EQ(j["deadline"]["take_charge_by"], "2025-01-16");
  EXPECT_EQ(j["deadline"]["status"], "overdue");
  EXPECT_EQ(j["allowed_events"][0]["event"], "take_in_charge");
  EXPECT_EQ(j["history"][0]["actor"], "alice");
}

TEST(CaseJsonTest, ThreadShowsEachOutgoingMessageWithItsState) {
  Case c = Received();
  std::vector<OutboxMessage> outbox(2);
  outbox[0].kind = "acknowledgement";
  outbox[0].recipient = "jeanne@example.org";
  outbox[0].subject = "Votre demande 631-2025-00001";
  outbox[0].created_at = "2025-01-06T10:00:00Z";
  outbox[0].sent_at = "2025-01-06T10:00:02Z";
  outbox[0].state = "sent";
  outbox[0].attempts = 1;
  outbox[0].message_id = "<outbox-1.abc@h>";
  outbox[1] = outbox[0];
  outbox[1].sent_at = "";
  outbox[1].state = "failed";
  outbox[1].attempts = 5;
  outbox[1].last_error = "550 5.1.1 no such user";
  CaseView v;
  v.c = &c;
  auto bare = nlohmann::json::parse(CaseJson(v));
  EXPECT_FALSE(bare.contains("thread"));  // lists do not carry it
  const auto thread = service::BuildThread(outbox, {});
  v.thread = &thread;
  auto j = nlohmann::json::parse(CaseJson(v));
  ASSERT_EQ(j["thread"].size(), 2u);
  // Oldest first: the failed one was queued before the other was sent.
  const auto& m = j["thread"][1];
  EXPECT_EQ(m["direction"], "out");
  EXPECT_EQ(m["kind"], "message");
  EXPECT_EQ(m["at"], "2025-01-06T10:00:02Z");
  EXPECT_EQ(m["subject"], "Votre demande 631-2025-00001");
  EXPECT_EQ(m["to"], "jeanne@example.org");
  EXPECT_EQ(m["state"], "sent");
  EXPECT_EQ(m["attempts"], 1);
  EXPECT_TRUE(m["error"].is_null());
  EXPECT_EQ(m["message_id"], "<outbox-1.abc@h>");
  EXPECT_EQ(j["thread"][0]["at"], "2025-01-06T10:00:00Z");
  EXPECT_EQ(j["thread"][0]["state"], "failed");
  EXPECT_EQ(j["thread"][0]["error"], "550 5.1.1 no such user");
}

TEST(QueryTest, ListFilters) {
  auto f = ParseListQuery({{"organisme", "631"},
                           {"organisme", "974"},
                           {"state", "received"},
                           {"year", "2025"},
                           {"overdue", "true"},
                           {"limit", "10"},
                           {"offset", "20"}},
                          kToday);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->organismes, (std::vector<std::string>{"631", "974"}));
  EXPECT_EQ(f->state, CaseState::kReceived);
  EXPECT_EQ(f->year, 2025);
  EXPECT_TRUE(f->overdue_only);
  EXPECT_EQ(f->limit, 10);
  EXPECT_EQ(f->offset, 20);
  EXPECT_EQ(f->today, kToday);
  auto d = ParseListQuery({}, kToday);
  EXPECT_EQ(d->limit, 50);
  EXPECT_EQ(d->offset, 0);
  EXPECT_EQ(ParseListQuery({{"state", "sleeping"}}, kToday).error().field, "state");
  EXPECT_EQ(ParseListQuery({{"limit", "0"}}, kToday).error().field, "limit");
  EXPECT_EQ(ParseListQuery({{"limit", "501"}}, kToday).error().field, "limit");
  EXPECT_EQ(ParseListQuery({{"offset", "-1"}}, kToday).error().field, "offset");
  EXPECT_EQ(ParseListQuery({{"year", "20x5"}}, kToday).error().field, "year");
  EXPECT_EQ(ParseListQuery({{"organisme", "63"}}, kToday).error().field, "organisme");
  EXPECT_EQ(ParseListQuery({{"sort", "asc"}}, kToday).error().field, "sort");
}

TEST(QueryTest, StatsDefaults) {
  auto q = ParseStatsQuery({}, kToday);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->year, 2025);
  EXPECT_EQ(q->as_of, kToday);
  q = ParseStatsQuery(
      {{"year", "2024"}, {"organisme", "974"}, {"organisme", "631"}, {"as_of", "2025-01-31"}},
      kToday);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->organismes, (std::vector<std::string>{"631", "974"}));
  EXPECT_EQ(q->as_of, Date::FromCivil(2025, 1, 31));
  EXPECT_EQ(ParseStatsQuery({{"as_of", "yesterday"}}, kToday).error().field, "as_of");
}

}  // namespace
}  // namespace amiable::web
