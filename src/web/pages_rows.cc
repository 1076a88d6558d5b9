// The rows of the case lists (dashboard queues, « Mes dossiers », /dossiers,
// search): one builder, so that the late marker and the age mean the same
// everywhere.
#include "web/case_json.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {

std::string CaseUrl(const std::string& ref) { return "/dossiers/" + ref; }

std::string Excerpt(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

WorkCalendar RowContext::CalendarOf(const std::string& fund) const {
  auto it = calendars.find(fund);
  return it == calendars.end() ? WorkCalendar{} : it->second;
}

std::string RowContext::UserName(const std::string& user) const {
  if (user.empty()) return "—";
  auto it = user_names.find(user);
  return it == user_names.end() || it->second.empty() ? user : it->second;
}

RowContext LoadRowContext(Store& store, Date today) {
  RowContext rc;
  rc.today = today;
  if (auto orgs = store.ListOrganismes()) {
    for (const Organisme& o : *orgs) {
      rc.calendars[o.code] = CalendarOf(o);
      rc.fund_names[o.code] = o.code + " — " + o.name;
    }
  }
  if (auto users = store.ListUsers()) {
    for (const User& u : *users) rc.user_names[u.name] = u.display_name;
  }
  return rc;
}

void LoadNames(Store& store, const Actor& actor, const std::vector<Case>& cases, RowContext& rc) {
  std::vector<int64_t> ids;
  for (const Case& c : cases) {
    if (!rc.names.contains(c.id)) ids.push_back(c.id);
  }
  if (ids.empty()) return;
  if (auto names = store.BeneficiaryNames(actor, ids)) {
    for (auto& [id, n] : *names) rc.names[id] = std::move(n);
  }
}

bool IsLate(const Case& c, WorkCalendar cal, Date today) {
  auto dl = ComputeDeadline(c, cal, today);
  return dl && dl->status == "overdue";
}

std::optional<int> AgeInWorkingDays(const Case& c, WorkCalendar cal, Date today) {
  switch (c.state) {
    case CaseState::kTakenInCharge:
    case CaseState::kInProgress:
    case CaseState::kOnHold:
    case CaseState::kAnswered:
      break;
    default:
      return std::nullopt;
  }
  if (!InCalendarRange(c.received_on) || !InCalendarRange(today)) return std::nullopt;
  return today <= c.received_on ? 0 : WorkingDays(cal, c.received_on, today);
}

Data CaseRowView(const Case& c, const RowContext& rc) {
  const WorkCalendar cal = rc.CalendarOf(c.organisme);
  Data d;
  d.set("reference", c.reference);
  d.set("url", CaseUrl(c.reference));
  d.set("received_on", c.received_on.ToFrench());
  d.set("state", StateLabel(c.state));
  d.set("state_code", StateCode(c.state));
  d.set("organisme", c.organisme);
  {
    auto it = rc.fund_names.find(c.organisme);
    d.set("fund", it == rc.fund_names.end() ? c.organisme : it->second);
  }
  d.set("allocataire_number", c.allocataire_number.value_or("—"));
  auto it = rc.names.find(c.id);
  d.set("names", it == rc.names.end() ? std::string() : it->second);
  d.set("excerpt", Excerpt(c.description));
  d.set("assigned_to", rc.UserName(c.assigned_to));
  bool late = false;
  std::string deadline_on, days_left;
  if (auto dl = ComputeDeadline(c, cal, rc.today)) {
    if (dl->status == "overdue" || dl->status == "pending") {
      deadline_on = dl->take_charge_by.ToFrench();
      const int left = dl->working_days_left.value_or(0);
      late = dl->status == "overdue";
      days_left = late ? "en retard de " + std::to_string(-left) + " j. ouvré(s)"
                       : std::to_string(left) + " j. ouvré(s)";
    }
  }
  d.set("late", late);
  d.set("deadline_on", deadline_on);
  d.set("days_left", days_left);
  const auto age = AgeInWorkingDays(c, cal, rc.today);
  d.set("age", age ? std::to_string(*age) + " j. ouvré(s)" : std::string());
  return d;
}

}  // namespace amiable::web::pages
