// The dashboard and the list of cases, built from plain data (no HTTP, no
// store), and rendered with the real templates where the marker matters.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

const Date kToday = Date::FromCivil(2026, 3, 16);  // a Monday

Case MakeCase(int64_t id, std::string ref, Date received, CaseState state) {
  Case c;
  c.id = id;
  c.reference = std::move(ref);
  c.organisme = "631";
  c.received_on = received;
  c.state = state;
  c.description = "Demande";
  if (state != CaseState::kReceived) {
    c.admissibility = "recevable";
    c.taken_in_charge_on = received + 1;
    c.assigned_to = "marie";
  }
  return c;
}

RowContext Context() {
  RowContext rc;
  rc.today = kToday;
  rc.user_names["marie"] = "Marie Médiatrice";
  return rc;
}

std::string ReadTemplate(const std::string& name) {
  std::ifstream in(std::string(AMIABLE_SOURCE_DIR) + "/web/templates/" + name + ".mustache");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Render(const std::string& text, Data& d) { return kainjow::mustache::mustache(text).render(d); }

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) ++n;
  return n;
}

DashboardInput Sample() {
  DashboardInput in;
  in.user = "marie";
  // Received four weeks ago, never taken: late. Received today: not late.
  in.received = {MakeCase(1, "631-2026-00001", Date::FromCivil(2026, 2, 16), CaseState::kReceived),
                 MakeCase(2, "631-2026-00002", kToday, CaseState::kReceived)};
  // Taken in charge long after reception, in progress: never late.
  Case old = MakeCase(3, "631-2026-00003", Date::FromCivil(2026, 1, 5), CaseState::kInProgress);
  old.taken_in_charge_on = Date::FromCivil(2026, 2, 20);
  in.in_progress = {{old}, 1};
  in.mine = {{old}, 1};
  in.answered = {{MakeCase(4, "631-2026-00004", Date::FromCivil(2026, 1, 2), CaseState::kAnswered)}, 1};
  return in;
}

TEST(DashboardViewTest, MarksLateOnlyCasesNotTakenInChargePastTheirDeadline) {
  Data d = DashboardView(Sample(), Context());
  EXPECT_EQ(d.get("late_count")->string_value(), "1");
  Data queues_only;
  queues_only.set("queues", *d.get("queues"));
  queues_only.set("mine", *d.get("mine"));
  const std::string marks = Render(
      "{{#mine}}{{#rows}}{{reference}}={{#late}}L{{/late}};{{/rows}}{{/mine}}|"
      "{{#queues}}{{#rows}}{{reference}}={{#late}}L{{/late}};{{/rows}}{{/queues}}",
      queues_only);
  EXPECT_EQ(marks,
            "631-2026-00003=;|631-2026-00001=L;631-2026-00002=;631-2026-00003=;631-2026-00004=;");
}

TEST(DashboardViewTest, TheTemplateMarksOneRowLate) {
  // The whole page data: a row must not inherit a "late" of the page.
  Data d = DashboardView(Sample(), Context());
  const std::string html = Render(ReadTemplate("tableau"), d);
  EXPECT_EQ(Count(html, "<tr class=\"late\">"), 1u) << html;
  EXPECT_NE(html.find("1 demande(s) en retard"), std::string::npos);
  EXPECT_NE(html.find("Mes dossiers"), std::string::npos);
}

TEST(DashboardViewTest, MineShowsTheAgeInWorkingDays) {
  Data d = DashboardView(Sample(), Context());
  Data mine;
  mine.set("mine", *d.get("mine"));
  // 5 January to 16 March 2026: 50 working days (no public holiday between).
  EXPECT_EQ(Render("{{#mine}}{{count}}:{{#rows}}{{age}}/{{assigned_to}}{{/rows}}{{/mine}}", mine),
            "1:50 j. ouvré(s)/Marie Médiatrice");
}

TEST(RowTest, AgeOnlyForCasesInProgress) {
  const WorkCalendar cal;
  Case c = MakeCase(1, "631-2026-00001", Date::FromCivil(2026, 3, 2), CaseState::kInProgress);
  EXPECT_EQ(AgeInWorkingDays(c, cal, kToday), 10);
  c.state = CaseState::kClosed;
  EXPECT_EQ(AgeInWorkingDays(c, cal, kToday), std::nullopt);
  c.state = CaseState::kReceived;
  EXPECT_EQ(AgeInWorkingDays(c, cal, kToday), std::nullopt);
  EXPECT_TRUE(IsLate(MakeCase(1, "x", Date::FromCivil(2026, 2, 16), CaseState::kReceived), cal, kToday));
  EXPECT_FALSE(IsLate(MakeCase(1, "x", Date::FromCivil(2026, 2, 16), CaseState::kInProgress), cal,
                      kToday));
}

TEST(CaseListQueryTest, ReadsKnownValuesAndIgnoresTheRest) {
  Fields f{{"etat", "closed"}, {"annee", "2025"}, {"mediateur", "marie"}, {"retard", "1"},
           {"page", "3"}};
  CaseListQuery q = ParseCaseListQuery(f);
  EXPECT_EQ(q.state, CaseState::kClosed);
  EXPECT_EQ(q.year, 2025);
  EXPECT_EQ(q.mediator, "marie");
  EXPECT_TRUE(q.late);
  EXPECT_EQ(q.page, 3);
  EXPECT_EQ(CaseListQueryString(q, 1), "etat=closed&annee=2025&mediateur=marie&retard=1");
  CaseListQuery bad = ParseCaseListQuery({{"etat", "<b>"}, {"annee", "20x5"}, {"page", "-2"}});
  EXPECT_FALSE(bad.state);
  EXPECT_FALSE(bad.year);
  EXPECT_EQ(bad.page, 1);
}

TEST(CaseListViewTest, PagesKeepTheFilters) {
  CaseListInput in;
  in.query.state = CaseState::kClosed;
  in.query.page = 2;
  in.total = 120;
  in.cases = {MakeCase(5, "631-2025-00005", Date::FromCivil(2025, 6, 2), CaseState::kClosed)};
  in.mediators = {{"marie", "Marie Médiatrice"}};
  in.first_year = 2020;
  in.last_year = 2026;
  Data d = CaseListView(in, Context());
  EXPECT_EQ(d.get("pages")->string_value(), "3");
  EXPECT_TRUE(d.get("has_prev")->is_true());
  EXPECT_TRUE(d.get("has_next")->is_true());
  EXPECT_EQ(d.get("next_url")->string_value(), "/dossiers?etat=closed&page=3");
  EXPECT_EQ(d.get("prev_url")->string_value(), "/dossiers?etat=closed");
  const std::string html = Render(ReadTemplate("dossiers"), d);
  EXPECT_NE(html.find("<option value=\"closed\" selected>Clôturée"), std::string::npos) << html;
  EXPECT_NE(html.find("631-2025-00005"), std::string::npos);
  EXPECT_EQ(Count(html, "class=\"late\""), 0u);
}

}  // namespace
}  // namespace amiable::web::pages

namespace amiable::web::pages {
namespace {

TEST(DashboardViewTest, AFailedMessageFlagsItsCase) {
  DashboardInput in = Sample();
  Data none = DashboardView(in, Context());
  EXPECT_EQ(Render(ReadTemplate("tableau"), none).find("Envoi en échec"), std::string::npos);
  OutboxMessage m;
  m.case_reference = "631-2026-00004";
  m.recipient = "jeanne@example.org";
  m.subject = "Votre demande 631-2026-00004";
  m.state = "failed";
  m.last_error = "550 5.1.1 no such user";
  in.failed_mail = {m};
  Data d = DashboardView(in, Context());
  const std::string html = Render(ReadTemplate("tableau"), d);
  EXPECT_EQ(Count(html, "Envoi en échec"), 1u) << html;
  EXPECT_NE(html.find("href=\"/dossiers/631-2026-00004#correspondance\""), std::string::npos)
      << html;
  EXPECT_NE(html.find("550 5.1.1 no such user"), std::string::npos);
}

TEST(DashboardViewTest, InternalRequestsAwaitingAnAnswer) {
  DashboardInput in = Sample();
  Data none = DashboardView(in, Context());
  EXPECT_EQ(Render(ReadTemplate("tableau"), none).find("Demandes internes en attente"),
            std::string::npos);
  service::InternalRequestStatus a;
  a.request.reference = "631-2026-00004";
  a.request.service_label = "Service prestations";
  a.request.sent_on = Date::FromCivil(2026, 3, 2);
  a.due_on = Date::FromCivil(2026, 3, 9);
  a.working_days = 10;
  a.late = true;
  service::InternalRequestStatus b = a;
  b.request.reference = "631-2026-00005";
  b.request.service_label = "Service contrôle";
  b.request.sent_on = Date::FromCivil(2026, 3, 13);
  b.due_on = Date::FromCivil(2026, 3, 20);
  b.working_days = 1;
  b.late = false;
  in.pending_requests = {a, b};
  Data d = DashboardView(in, Context());
  const std::string html = Render(ReadTemplate("tableau"), d);
  EXPECT_NE(html.find("Demandes internes en attente <span class=\"count\">(2, dont 1 en retard)"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("href=\"/dossiers/631-2026-00004#demandes-internes\""), std::string::npos);
  EXPECT_NE(html.find("Service contrôle"), std::string::npos);
  EXPECT_NE(html.find("02/03/2026"), std::string::npos);
  EXPECT_NE(html.find("09/03/2026 <strong class=\"badge late\">En retard</strong>"),
            std::string::npos);
  EXPECT_NE(html.find("10 jours ouvrés"), std::string::npos);
  EXPECT_NE(html.find("1 jour ouvré<"), std::string::npos);
}

}  // namespace
}  // namespace amiable::web::pages
