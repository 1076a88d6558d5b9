#include "intake/online_form.h"

#include <gtest/gtest.h>

#include "core/messages.h"

namespace amiable::intake {
namespace {

const Date kToday = *Date::Parse("2025-03-10");

OnlineFormInput Good() {
  OnlineFormInput in;
  in.emitter = "allocataire";
  in.allocataire_number = "123 45 67";
  in.last_name = "Lefèvre";
  in.first_name = "Zoé";
  in.email = "zoe@example.org";
  in.prior_complaint = "oui";
  in.prior_complaint_on = "2025-02-01";
  in.prior_complaint_reference = "REC-42";
  in.benefits = {"logement", "rsa", "logement"};
  in.description = "Mon aide au logement n'est plus versée depuis février.\r\nMerci.";
  in.consent = true;
  return in;
}

TEST(OnlineForm, AValidRequestBecomesAReceivedOnlineCase) {
  OnlineFormResult r = ValidateOnlineForm(Good(), "631", kToday);
  ASSERT_TRUE(r.ok()) << r.errors.front().field << ": " << r.errors.front().message;
  EXPECT_EQ(r.c.organisme, "631");
  EXPECT_EQ(r.c.received_on, kToday);
  EXPECT_EQ(r.c.channel, "teleprocedure");
  EXPECT_EQ(r.c.emitter, "allocataire");
  EXPECT_EQ(r.c.allocataire_number, "1234567");
  EXPECT_EQ(r.c.prior_step, "reclamation");
  EXPECT_EQ(r.c.prior_step_on, Date::Parse("2025-02-01"));
  EXPECT_EQ(r.c.benefits, (std::vector<std::string>{"logement", "rsa"}));
  EXPECT_EQ(r.c.state, CaseState::kReceived);
  EXPECT_EQ(r.c.description.find('\r'), std::string::npos);
  EXPECT_NE(r.c.description.find("REC-42"), std::string::npos);
  ASSERT_EQ(r.people.size(), 1u);
  EXPECT_EQ(r.people[0].name, "Zoé Lefèvre");
  EXPECT_EQ(r.people[0].email, "zoe@example.org");
  EXPECT_EQ(r.acknowledgement_email, "zoe@example.org");
}

TEST(OnlineForm, AThirdPartyIsRecordedAsEmitter) {
  OnlineFormInput in = Good();
  in.emitter = "tiers";
  in.prior_complaint = "non";
  in.prior_complaint_on = "";
  OnlineFormResult r = ValidateOnlineForm(in, "631", kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.ErrorOf("requester_name"));
  in.requester_name = "Paul Martin";
  in.requester_organisation = "CCAS";
  r = ValidateOnlineForm(in, "631", kToday);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.c.prior_step, "aucune");
  ASSERT_EQ(r.people.size(), 2u);
  EXPECT_EQ(r.people[1].role, PersonRole::kEmitter);
  EXPECT_EQ(r.people[1].email, "zoe@example.org");
  EXPECT_TRUE(r.people[0].email.empty());
}

struct BadCase {
  const char* field;
  void (*spoil)(OnlineFormInput&);
};

TEST(OnlineForm, EachRuleNamesItsField) {
  const BadCase cases[] = {
      {"emitter", [](OnlineFormInput& i) { i.emitter = ""; }},
      {"emitter", [](OnlineFormInput& i) { i.emitter = "service_interne"; }},
      {"allocataire_number", [](OnlineFormInput& i) { i.allocataire_number = "123456"; }},
      {"allocataire_number", [](OnlineFormInput& i) { i.allocataire_number = "12345678"; }},
      {"allocataire_number", [](OnlineFormInput& i) { i.allocataire_number = "12a4567"; }},
      {"last_name", [](OnlineFormInput& i) { i.last_name = "  "; }},
      {"first_name", [](OnlineFormInput& i) { i.first_name = ""; }},
      {"email", [](OnlineFormInput& i) { i.email = "pas-une-adresse"; }},
      {"email", [](OnlineFormInput& i) { i.email = ""; }},
      {"phone", [](OnlineFormInput& i) { i.phone = "12"; }},
      {"prior_complaint", [](OnlineFormInput& i) { i.prior_complaint = ""; }},
      {"prior_complaint_on", [](OnlineFormInput& i) { i.prior_complaint_on = ""; }},
      {"prior_complaint_on", [](OnlineFormInput& i) { i.prior_complaint_on = "2025-02-30"; }},
      {"prior_complaint_on", [](OnlineFormInput& i) { i.prior_complaint_on = "2025-03-11"; }},
      {"benefits", [](OnlineFormInput& i) { i.benefits = {"retraite"}; }},
      {"description", [](OnlineFormInput& i) { i.description = "Trop court"; }},
      {"description", [](OnlineFormInput& i) { i.description = std::string(5001, 'a'); }},
      {"description", [](OnlineFormInput& i) { i.description += "\x01"; }},
      {"last_name", [](OnlineFormInput& i) { i.last_name = "\xff\xfe"; }},
      {"last_name", [](OnlineFormInput& i) { i.last_name = std::string(101, 'x'); }},
      {"consent", [](OnlineFormInput& i) { i.consent = false; }},
  };
  for (const BadCase& b : cases) {
    OnlineFormInput in = Good();
    b.spoil(in);
    OnlineFormResult r = ValidateOnlineForm(in, "631", kToday);
    EXPECT_FALSE(r.ok()) << b.field;
    const FieldError* e = r.ErrorOf(b.field);
    ASSERT_NE(e, nullptr) << b.field;
    EXPECT_FALSE(e->message.empty());
    // The text is the catalogue's, under a "form." key.
    EXPECT_TRUE(e->message_id.starts_with("form.")) << e->message_id;
    ASSERT_NE(msg::Find(e->message_id), nullptr) << e->message_id;
    if (e->message_id != "form.too_long" && e->message_id != "form.description_short" &&
        e->message_id != "form.description_long") {
      EXPECT_EQ(e->message, msg::Find(e->message_id)) << b.field;
    }
    EXPECT_EQ(r.errors.size(), 1u) << b.field << " then " << r.errors.back().field;
  }
}

TEST(OnlineForm, DescriptionLengthCountsCharactersNotBytes) {
  OnlineFormInput in = Good();
  in.description = "éééééééééééééééééééé";  // 20 characters, 40 bytes
  EXPECT_TRUE(ValidateOnlineForm(in, "631", kToday).ok());
  in.description = "ééééééééééééééééééé";
  EXPECT_FALSE(ValidateOnlineForm(in, "631", kToday).ok());
  std::string big;
  for (int i = 0; i < 5000; ++i) big += "é";
  in.description = big;
  EXPECT_TRUE(ValidateOnlineForm(in, "631", kToday).ok());
}

TEST(OnlineForm, FrenchDatesAndPhonesAreAccepted) {
  OnlineFormInput in = Good();
  in.prior_complaint_on = "01/02/2025";
  in.phone = "04.73.00.00.00";
  OnlineFormResult r = ValidateOnlineForm(in, "631", kToday);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.c.prior_step_on, Date::Parse("2025-02-01"));
  in.phone = "+262 262 00 00 00";
  EXPECT_TRUE(ValidateOnlineForm(in, "631", kToday).ok());
}

TEST(OnlineForm, TheHoneypotFlagsSpam) {
  OnlineFormInput in = Good();
  in.honeypot = "http://spam.example";
  OnlineFormResult r = ValidateOnlineForm(in, "631", kToday);
  EXPECT_TRUE(r.spam);
  EXPECT_FALSE(r.ok());
}

TEST(OnlineForm, Utf8Length) {
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("é€😀"), 3u);
  EXPECT_FALSE(Utf8Length("\xc0\xaf"));      // overlong
  EXPECT_FALSE(Utf8Length("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(Utf8Length("\xe2\x82"));      // truncated
}

}  // namespace
}  // namespace amiable::intake
