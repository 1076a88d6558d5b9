// The section « Demandes internes » of the case page (G@ci: questions to the
// fund's services) and its two forms: POST /dossiers/{ref}/demandes-internes
// (ask: service, question) and /dossiers/{ref}/demandes-internes/{id}/reponse
// (an answer recorded by hand: answered_on). Each form calls one function of
// service/internal_requests.h, which checks every rule; a refusal shows the
// case page again with the message tied to its field, success goes back to
// the case (PRG).
#include <httplib.h>

#include <algorithm>

#include "core/french_format.h"
#include "service/internal_requests.h"
#include "web/pages_internal.h"
#include "web/web_service.h"

namespace amiable::web::pages {
namespace {

constexpr std::string_view kAskForm = "internal_request";

std::string AnswerForm(int64_t id) { return "internal_answer:" + std::to_string(id); }

// has_err / err / err_id on `d` (every key always set: mustache looks a
// missing key up in the enclosing data).
void SetError(Data& d, const std::string& message, const std::string& id) {
  d.set("has_err", !message.empty());
  d.set("err", message);
  d.set("err_id", id + "-err");
}

std::string ErrorOf(const CasePageInput& in, std::string_view form, std::string_view field) {
  if (!in.refused || in.refused->form != form || in.refused->field != field) return "";
  return in.refused->message;
}

std::string Posted(const CasePageInput& in, std::string_view form, const char* field) {
  if (!in.refused || in.refused->form != form) return "";
  return Field(in.refused->posted, field);
}

std::string WorkingDaysText(int n) {
  return std::to_string(n) + (n > 1 ? " jours ouvrés" : " jour ouvré");
}

void Refuse(Env& env, Signed& who, Store& store, const std::string& ref, httplib::Response& res,
            const Error& e, std::string form, const Fields& posted) {
  if (e.code == Error::Code::kInternal || e.code == Error::Code::kUnavailable) {
    LogError("internal request form", e);
  }
  if (e.code == Error::Code::kNotFound && msg::KeyOf(e) == "case.not_found") {
    return SendErrorPage(env, res, 404, msg::Find("case.not_found"), &who);
  }
  CaseFormRefusal r;
  r.form = std::move(form);
  r.field = e.field;
  r.posted = posted;
  r.message = ErrorText(e);
  SendCasePage(env, who, store, ref, res, ErrorStatus(e), &r, nullptr);
}

void AskPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
             httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  WebService web(*env.ctx, store);
  service::InternalRequestService svc(store, web.clock());
  auto r =
      svc.Ask(service::Caller::OfUser(who.user), ref, Field(f, "service"), Field(f, "question"));
  if (!r) return Refuse(env, who, store, ref, res, r.error(), std::string(kAskForm), f);
  Redirect(res, WithFlash(CaseUrl(ref), true, "internal_request.sent"));
}

void AnswerPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                httplib::Response& res) {
  const std::string ref = req.matches[1];
  const std::string id_text = req.matches[2];
  const Fields f = FormFields(req);
  const int64_t id = id_text.size() <= 18 ? std::stoll(id_text) : 0;
  const std::string form = AnswerForm(id);
  const std::string day_text = Field(f, "answered_on");
  const std::optional<Date> day = Date::Parse(day_text);
  if (!day) {
    return Refuse(env, who, store, ref, res,
                  msg::Invalid("internal_request.answer_date", "answered_on", {day_text}), form, f);
  }
  WebService web(*env.ctx, store);
  service::InternalRequestService svc(store, web.clock());
  auto r = svc.RecordAnswer(service::Caller::OfUser(who.user), ref, id, *day, "");
  if (!r) return Refuse(env, who, store, ref, res, r.error(), form, f);
  Redirect(res, WithFlash(CaseUrl(ref), true, "internal_request.answer_recorded"));
}

}  // namespace

void LoadInternalRequests(Env& env, Store& store, const service::Caller& caller,
                          std::string_view reference, std::string_view organisme,
                          CasePageInput& in) {
  WebService web(*env.ctx, store);
  service::InternalRequestService svc(store, web.clock());
  if (auto list = svc.List(caller, reference)) in.internal_requests = std::move(*list);
  if (auto services = svc.Services(caller, organisme)) {
    for (FundService& s : *services) {
      if (s.active) in.services.push_back(std::move(s));
    }
  }
}

void InternalRequestsView(const CasePageInput& in, Data& d) {
  List rows;
  int pending = 0;
  for (const service::InternalRequestStatus& s : in.internal_requests) {
    const InternalRequest& r = s.request;
    Data rd;
    rd.set("id", std::to_string(r.id));
    rd.set("service",
           r.service_label.empty() ? std::string("Service non précisé (import)") : r.service_label);
    rd.set("question", r.question);
    rd.set("has_question", !r.question.empty());
    rd.set("sent_on", fr::ShortDate(r.sent_on));
    rd.set("due_on", fr::ShortDate(s.due_on));
    rd.set("late", s.late);
    rd.set("answered", r.answered_on.has_value());
    if (r.answered_on) {
      rd.set("status", "réponse reçue le " + fr::ShortDate(*r.answered_on) + " (" +
                           WorkingDaysText(s.working_days) + ")");
    } else {
      ++pending;
      rd.set("status", "en attente depuis " + WorkingDaysText(s.working_days));
    }
    const std::string form = AnswerForm(r.id);
    const std::string posted = Posted(in, form, "answered_on");
    rd.set("answer_value", posted.empty() ? in.today.ToString() : posted);
    rd.set("answer_min", r.sent_on.ToString());
    rd.set("answer_max", in.today.ToString());
    rd.set("open", in.refused && in.refused->form == form);
    Data er;
    SetError(er, in.refused && in.refused->form == form ? in.refused->message : "",
             "ir-answer-" + std::to_string(r.id));
    rd.set("e_answer", er);
    rows.push_back(rd);
  }
  Data ir;
  ir.set("rows", rows);
  ir.set("has_rows", !rows.empty());
  ir.set("pending", std::to_string(pending));
  ir.set("may_answer", !in.internal_requests.empty());
  // The form to ask: only on a case still open, when the fund has services.
  ir.set("may_ask", !in.locked && !in.services.empty());
  ir.set("no_services", !in.locked && in.services.empty());
  List options;
  const std::string chosen = Posted(in, kAskForm, "service");
  for (const FundService& s : in.services) {
    Data o;
    o.set("code", s.code);
    o.set("label", s.label + " (" + s.address + ")");
    o.set("selected", s.code == chosen);
    options.push_back(o);
  }
  ir.set("services", options);
  ir.set("question_value", Posted(in, kAskForm, "question"));
  ir.set("open", in.refused && in.refused->form == kAskForm);
  Data es, eq;
  SetError(es, ErrorOf(in, kAskForm, "service"), "ir-service");
  // A refusal of the form that names no field of it shows under the question.
  std::string q_err = ErrorOf(in, kAskForm, "question");
  if (q_err.empty() && in.refused && in.refused->form == kAskForm &&
      in.refused->field != "service") {
    q_err = in.refused->message;
  }
  SetError(eq, q_err, "ir-question");
  ir.set("e_service", es);
  ir.set("e_question", eq);
  ir.set("due_days", std::to_string(service::kInternalRequestDueWorkingDays));
  d.set("ir", ir);
}

void RegisterInternalRequestFormRoutes(httplib::Server& server, Env& env) {
  const std::string ref = kCaseRoute;
  server.Post(ref + "/demandes-internes", Guarded(env, Need::kCases, AskPost));
  server.Post(ref + R"(/demandes-internes/([0-9]{1,18})/reponse)",
              Guarded(env, Need::kCases, AnswerPost));
}

}  // namespace amiable::web::pages
