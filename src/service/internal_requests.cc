#include "service/internal_requests.h"

#include <algorithm>
#include <map>

#include "core/french_format.h"
#include "core/messages.h"

namespace amiable::service {

namespace {

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

bool Locked(const Case& c) {
  return c.state == CaseState::kClosed || c.state == CaseState::kInadmissible;
}

bool ValidServiceCode(std::string_view code) {
  if (code.empty() || code.size() > 40) return false;
  return std::all_of(code.begin(), code.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
  });
}

bool PlausibleAddress(std::string_view a) {
  const size_t at = a.find('@');
  if (a.size() > 254 || at == std::string_view::npos || at == 0 || a.back() == '.' ||
      a.find('.', at) == std::string_view::npos || a.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  return std::none_of(a.begin(), a.end(), [](char ch) {
    return static_cast<unsigned char>(ch) <= 0x20 || ch == '<' || ch == '>' || ch == ',' ||
           ch == ';' || ch == 0x7F;
  });
}

// The first `max` bytes of `s` cut at a character boundary.
std::string_view CutUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

std::string Trimmed(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
  const size_t b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::string InternalRequestService::Subject(std::string_view question) {
  // The first line, spaces collapsed, cut after a word near 60 bytes.
  std::string words;
  bool space = false;
  for (char ch : question.substr(0, question.find('\n'))) {
    if (ch == ' ' || ch == '\t' || ch == '\r') {
      space = !words.empty();
      continue;
    }
    if (space) words += ' ';
    space = false;
    words += ch;
  }
  constexpr size_t kMax = 60;
  if (words.size() > kMax || question.find('\n') != std::string_view::npos) {
    if (words.size() > kMax) {
      std::string_view cut = CutUtf8(words, kMax);
      const size_t last_space = cut.rfind(' ');
      if (last_space != std::string_view::npos && last_space > kMax / 2)
        cut = cut.substr(0, last_space);
      words = std::string(cut) + "…";
    }
  }
  return msg::Format("internal_request.subject", {"{reference}", words});
}

WorkCalendar InternalRequestService::CalendarOf(std::string_view organisme) {
  WorkCalendar cal;
  if (auto o = store_.GetOrganisme(organisme); o) {
    if (auto z = ZoneFromCode(o->zone)) cal.zone = *z;
    cal.whit_monday_worked = o->whit_monday_worked;
  }
  return cal;
}

InternalRequestStatus InternalRequestService::StatusOf(const InternalRequest& r, WorkCalendar cal,
                                                       Date today) const {
  InternalRequestStatus s;
  s.request = r;
  s.due_on = r.due_on ? *r.due_on : AddWorkingDays(cal, r.sent_on, kInternalRequestDueWorkingDays);
  const Date end = r.answered_on ? *r.answered_on : std::max(today, r.sent_on);
  s.working_days = std::max(0, WorkingDays(cal, r.sent_on, end));
  s.late = r.answered_on ? *r.answered_on > s.due_on : today > s.due_on;
  return s;
}

Status InternalRequestService::CheckRole(const Caller& who) const {
  if (who.system) return {};
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  if (who.role() != Role::kMediator && who.role() != Role::kManager) {
    return Fail(msg::Forbidden("internal_request.role"));
  }
  return {};
}

Result<InternalRequestStatus> InternalRequestService::Ask(const Caller& who,
                                                          std::string_view reference,
                                                          std::string_view service_code,
                                                          std::string question) {
  if (auto s = CheckRole(who); !s) return Fail(s.error());
  question = Trimmed(std::move(question));
  if (Blank(question)) return Fail(msg::Invalid("internal_request.question_required", "question"));
  if (question.size() > kMaxInternalQuestionBytes) {
    return Fail(msg::Invalid("internal_request.question_too_long", "question",
                             {std::to_string(kMaxInternalQuestionBytes)}));
  }
  auto c = store_.GetCase(who.actor, reference);
  if (!c) {
    if (c.error().code == Error::Code::kNotFound) return Fail(msg::NotFound("case.not_found"));
    return Fail(c.error());
  }
  if (Locked(*c)) return Fail(msg::Conflict("case.locked", "state"));
  auto services = store_.FundServices(c->organisme);
  if (!services) return Fail(services.error());
  auto it = std::find_if(services->begin(), services->end(),
                         [&](const FundService& s) { return s.code == service_code && s.active; });
  if (it == services->end()) {
    return Fail(
        msg::Invalid("internal_request.service_unknown", "service", {std::string(service_code)}));
  }
  const WorkCalendar cal = CalendarOf(c->organisme);
  const Date today = TodayIn(clock_, cal.zone);

  InternalRequest r;
  r.service_code = it->code;
  r.service_label = it->label;
  r.to_address = it->address;
  r.question = question;
  r.sent_on = today;
  r.due_on = AddWorkingDays(cal, today, kInternalRequestDueWorkingDays);
  r.created_by = who.name();
  r.created_at = IsoTimestamp(clock_.Now());
  int64_t id = 0;
  Status s = store_.InTransaction([&]() -> Status {
    OutboxMessage m;
    m.kind = "internal_request";
    m.recipient = it->address;
    m.subject = Subject(question);
    m.body = msg::Format("internal_request.body", {"{reference}", question});
    m.case_reference = std::string(reference);
    auto q = store_.QueueOutbox(who.actor, m);
    if (!q) return Fail(q.error());
    r.outbox_id = q->id;
    CaseEvent ev;
    ev.at = r.created_at;
    ev.actor = who.name();
    ev.kind = "internal_request";
    ev.detail = msg::Format("internal_request.event_asked",
                            {it->label, std::string(CutUtf8(question, 200))});
    ev.changes = {{"internal_requests", "", it->label + " (" + today.ToString() + ")"}};
    auto added = store_.AddInternalRequest(who.actor, reference, r, ev);
    if (!added) return Fail(added.error());
    id = *added;
    return {};
  });
  if (!s) return Fail(s.error());
  r.id = id;
  r.reference = c->reference;
  r.organisme = c->organisme;
  return StatusOf(r, cal, today);
}

Result<InternalRequestStatus> InternalRequestService::RecordAnswer(
    const Caller& who, std::string_view reference, int64_t request_id, Date answered_on,
    std::string_view answer_message_id) {
  if (auto s = CheckRole(who); !s) return Fail(s.error());
  auto rows = store_.CaseInternalRequests(who.actor, reference);
  if (!rows) {
    if (rows.error().code == Error::Code::kNotFound) return Fail(msg::NotFound("case.not_found"));
    return Fail(rows.error());
  }
  auto it = std::find_if(rows->begin(), rows->end(),
                         [&](const InternalRequest& r) { return r.id == request_id; });
  if (it == rows->end()) {
    return Fail(msg::NotFound("internal_request.not_found", {std::to_string(request_id)}));
  }
  const WorkCalendar cal = CalendarOf(it->organisme);
  const Date today = TodayIn(clock_, cal.zone);
  if (it->answered_on) {
    if (!answer_message_id.empty() && it->answer_message == answer_message_id) {
      return StatusOf(*it, cal, today);  // the same reply read again
    }
    return Fail(msg::Conflict("internal_request.already_answered", "answered_on",
                              {fr::ShortDate(*it->answered_on)}));
  }
  if (answered_on < it->sent_on) {
    return Fail(msg::Invalid("internal_request.answer_before_sent", "answered_on",
                             {fr::ShortDate(it->sent_on)}));
  }
  if (answered_on > today)
    return Fail(msg::Invalid("internal_request.answer_in_future", "answered_on"));
  CaseEvent ev;
  ev.at = IsoTimestamp(clock_.Now());
  ev.actor = who.name();
  ev.kind = "internal_request_answer";
  const std::string label = it->service_label.empty() ? "service" : it->service_label;
  ev.detail = msg::Format("internal_request.event_answered", {label, fr::ShortDate(answered_on)});
  ev.changes = {{"internal_requests.answered_on", "", answered_on.ToString()}};
  if (auto s = store_.AnswerInternalRequest(who.actor, reference, request_id, answered_on,
                                            answer_message_id, ev);
      !s) {
    return Fail(s.error());
  }
  InternalRequest r = *it;
  r.answered_on = answered_on;
  r.answer_message = std::string(answer_message_id);
  return StatusOf(r, cal, today);
}

Result<std::vector<InternalRequestStatus>> InternalRequestService::List(
    const Caller& who, std::string_view reference) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  auto rows = store_.CaseInternalRequests(who.actor, reference);
  if (!rows) {
    if (rows.error().code == Error::Code::kNotFound) return Fail(msg::NotFound("case.not_found"));
    return Fail(rows.error());
  }
  std::vector<InternalRequestStatus> out;
  if (rows->empty()) return out;
  const WorkCalendar cal = CalendarOf(rows->front().organisme);
  const Date today = TodayIn(clock_, cal.zone);
  for (const InternalRequest& r : *rows) out.push_back(StatusOf(r, cal, today));
  return out;
}

Result<std::vector<InternalRequestStatus>> InternalRequestService::Pending(const Caller& who,
                                                                           int limit) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  auto rows = store_.PendingInternalRequests(who.actor, limit);
  if (!rows) return Fail(rows.error());
  std::vector<InternalRequestStatus> out;
  std::map<std::string, WorkCalendar> calendars;
  for (const InternalRequest& r : *rows) {
    auto c = calendars.find(r.organisme);
    if (c == calendars.end()) c = calendars.emplace(r.organisme, CalendarOf(r.organisme)).first;
    out.push_back(StatusOf(r, c->second, TodayIn(clock_, c->second.zone)));
  }
  return out;
}

Status InternalRequestService::SaveService(const Caller& who, FundService s) {
  if (!who.IsHierarchyOf(s.organisme)) return Fail(msg::Forbidden("fund_service.role"));
  s.label = Trimmed(std::move(s.label));
  s.address = Trimmed(std::move(s.address));
  if (!ValidServiceCode(s.code)) return Fail(msg::Invalid("fund_service.code", "code", {s.code}));
  if (s.label.empty() || s.label.size() > 200) {
    return Fail(msg::Invalid("fund_service.label_required", "label"));
  }
  if (!PlausibleAddress(s.address)) {
    return Fail(msg::Invalid("fund_service.address", "address", {s.address}));
  }
  return store_.SaveFundService(who.actor, s);
}

Result<std::vector<FundService>> InternalRequestService::Services(const Caller& who,
                                                                  std::string_view organisme) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  if (!who.actor.CanSee(organisme)) {
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {std::string(organisme)}));
  }
  return store_.FundServices(organisme);
}

}  // namespace amiable::service
