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
