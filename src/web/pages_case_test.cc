// The case page's view: labels instead of codes, the mediator's name, the
// deadline and the actions of the state.
#include <gtest/gtest.h>

#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

std::string Render(const std::string& text, const Data& d) {
  Data copy = d;
  return kainjow::mustache::mustache(text).render(copy);
}

CasePageInput Closed() {
  CasePageInput in;
  in.today = Date::FromCivil(2026, 3, 16);
  in.user = "marie";
  in.c.reference = "631-2026-00007";
  in.c.organisme = "631";
  in.c.received_on = Date::FromCivil(2026, 2, 2);
  in.c.admissibility = "recevable";
  in.c.taken_in_charge_on = Date::FromCivil(2026, 2, 3);
  in.c.answered_on = Date::FromCivil(2026, 3, 2);
  in.c.closed_on = Date::FromCivil(2026, 3, 3);
  in.c.state = CaseState::kClosed;
  in.c.resolution = "revisee";
  in.c.cause = "erreur_liquidation";
  in.c.assigned_to = "marie";
  in.assigned_to_name = "Marie Médiatrice";
  in.organisme_label = "631 — Caf du Puy-de-Dôme";
  Person p;
  p.role = PersonRole::kLandlord;
  p.name = "SCI Les Tilleuls";
  in.people = {p};
  return in;
}

TEST(CasePageViewTest, ShowsLabelsAndNamesNotCodes) {
  Data d = CasePageView(Closed(), Labels());
  EXPECT_EQ(d.get("state")->string_value(), "Clôturée");
  EXPECT_EQ(d.get("assigned_to")->string_value(), "Marie Médiatrice");
  EXPECT_EQ(d.get("organisme")->string_value(), "631 — Caf du Puy-de-Dôme");
  EXPECT_EQ(d.get("resolution")->string_value(),
            std::string(nomenclature::Resolution().Label("revisee")));
  EXPECT_NE(d.get("resolution")->string_value(), "revisee");
  EXPECT_EQ(Render("{{#people}}{{role}}: {{name}}{{/people}}", d), "Bailleur: SCI Les Tilleuls");
  // Taken in charge the day after reception: met, not late; closed: no age.
  EXPECT_TRUE(d.get("overdue")->is_false());
  EXPECT_EQ(d.get("age"), nullptr);
}

TEST(CasePageViewTest, CorrespondenceShowsEachMessageWithItsStateInFrench) {
  CasePageInput in = Closed();
  OutboxMessage m;
  m.recipient = "jeanne@example.org";
  m.subject = "Votre demande 631-2026-00007";
  m.created_at = "2026-02-02T09:15:00Z";
  m.state = "queued";
  std::vector<OutboxMessage> outbox = {m, m, m, m};
  outbox[1].attempts = 2;
  outbox[1].last_error = "connexion refusée";
  outbox[2].state = "sent";
  outbox[2].sent_at = "2026-02-02T09:16:00Z";
  outbox[3].state = "failed";
  outbox[3].last_error = "550 5.1.1 no such user";
  ReceivedMessageRow r;
  r.id = 9;
  r.received_at = "2026-02-03T08:00:00Z";
  r.subject = "Re: Votre demande";
  r.from_name = "Jeanne";
  r.from_address = "jeanne@example.org";
  r.body_text = "Merci <b>";
  in.thread = service::BuildThread(outbox, {r});
  Data d = CasePageView(in, Labels());
  EXPECT_TRUE(d.get("has_mail")->is_true());
  EXPECT_EQ(Render("{{#mail}}{{at}}|{{who}}|{{subject}}|{{{state}}}|{{retry}}|{{body}};{{/mail}}", d),
            "02/02/2026 10:15|jeanne@example.org|Votre demande 631-2026-00007|en attente d'envoi||;"
            "02/02/2026 10:15|jeanne@example.org|Votre demande 631-2026-00007|en attente d'envoi|"
            "2 tentatives, dernière erreur : connexion refusée|;"
            "02/02/2026 10:15|jeanne@example.org|Votre demande 631-2026-00007|"
            "échec : 550 5.1.1 no such user||;"
            "02/02/2026 10:16|jeanne@example.org|Votre demande 631-2026-00007|envoyé||;"
            "03/02/2026 09:00|Jeanne &lt;jeanne@example.org&gt;|Re: Votre demande|reçu||Merci &lt;b&gt;;");
  // Times are local to the fund's zone: summer time in metropolitan France,
  // UTC+4 in La Réunion.
  std::vector<OutboxMessage> summer = {m};
  summer[0].created_at = "2026-07-01T10:00:00Z";
  in.thread = service::BuildThread(summer, {});
  EXPECT_EQ(Render("{{#mail}}{{at}}{{/mail}}", CasePageView(in, Labels())), "01/07/2026 12:00");
  in.calendar.zone = Zone::kReunion;
  EXPECT_EQ(Render("{{#mail}}{{at}}{{/mail}}", CasePageView(in, Labels())), "01/07/2026 14:00");
  in.calendar.zone = Zone::kMetropole;
  in.thread.clear();
  EXPECT_TRUE(CasePageView(in, Labels()).get("has_mail")->is_false());
}

TEST(CasePageViewTest, InternalRequestsShowTheirDelayAndLateness) {
  CasePageInput in = Closed();
  in.c.state = CaseState::kInProgress;
  in.c.closed_on.reset();
  in.locked = false;
  service::InternalRequestStatus answered;
  answered.request.id = 3;
  answered.request.service_label = "Service prestations";
  answered.request.question = "Montant de l'indu ?";
  answered.request.sent_on = Date::FromCivil(2026, 3, 2);
  answered.request.answered_on = Date::FromCivil(2026, 3, 4);
  answered.due_on = Date::FromCivil(2026, 3, 9);
  answered.working_days = 2;
  service::InternalRequestStatus waiting = answered;
  waiting.request.id = 4;
  waiting.request.answered_on.reset();
  waiting.working_days = 10;
  waiting.late = true;
  in.internal_requests = {answered, waiting};
  in.services = {{"631", "prestations", "Service prestations", "p@example.org", true}};
  Data d = CasePageView(in, Labels());
  EXPECT_EQ(Render("{{#ir}}{{pending}}|{{#rows}}{{id}}:{{service}}:{{sent_on}}:{{due_on}}:"
                   "{{status}}:{{#late}}late{{/late}};{{/rows}}{{/ir}}",
                   d),
            "1|3:Service prestations:02/03/2026:09/03/2026:réponse reçue le 04/03/2026 (2 jours "
            "ouvrés):;4:Service prestations:02/03/2026:09/03/2026:en attente depuis 10 jours "
            "ouvrés:late;");
  EXPECT_EQ(Render("{{#ir}}{{#may_ask}}ask{{/may_ask}}{{#services}}{{code}}{{/services}}{{/ir}}", d),
            "askprestations");
  // A closed case lists its requests but offers no new one.
  in.locked = true;
  EXPECT_EQ(Render("{{#ir}}{{#may_ask}}ask{{/may_ask}}{{#has_rows}}rows{{/has_rows}}{{/ir}}",
                   CasePageView(in, Labels())),
            "rows");
  // A refused question is shown again with its message tied to the field.
  in.locked = false;
  CaseFormRefusal r;
  r.form = "internal_request";
  r.field = "question";
  r.message = "Écrivez la question posée au service.";
  r.posted = {{"service", "prestations"}, {"question", " "}};
  in.refused = &r;
  Data refused = CasePageView(in, Labels());
  EXPECT_EQ(Render("{{#ir}}{{#open}}open{{/open}}|{{#e_question}}{{err}}|{{err_id}}{{/e_question}}"
                   "|{{#services}}{{#selected}}{{code}}{{/selected}}{{/services}}{{/ir}}",
                   refused),
            "open|Écrivez la question posée au service.|ir-question-err|prestations");
}

TEST(CasePageViewTest, AReceivedCaseHasItsDeadlineAndSuggestion) {
  CasePageInput in = Closed();
  in.c.state = CaseState::kReceived;
  in.c.admissibility.clear();
  in.c.taken_in_charge_on.reset();
  in.c.answered_on.reset();
  in.c.closed_on.reset();
  in.c.resolution.reset();
  in.c.cause.reset();
  Data d = CasePageView(in, Labels());
  EXPECT_TRUE(d.get("overdue")->is_true());  // six weeks after reception
  EXPECT_EQ(d.get("deadline_status")->string_value(), "en retard");
  EXPECT_NE(d.get("suggestion"), nullptr);
  EXPECT_NE(Render("{{#actions}}{{event}},{{/actions}}", d).find("take_in_charge,"),
            std::string::npos);
}

}  // namespace
}  // namespace amiable::web::pages
