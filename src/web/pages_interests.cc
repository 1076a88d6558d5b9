// The signed-in user's declaration of interest links ("Mes liens
// d'intérêts", core/conflict.h), as `amiable user interest` does on the
// command line:
//   GET  /liens-interets             the user's links and the add form
//   POST /liens-interets             declare a link (values kept on error)
//   POST /liens-interets/supprimer   remove one of the user's own links
//
// A user only ever reads and changes their own links: the user name comes
// from the session, never from the form, and a removal of another user's
// link is "not found". CSRF on every POST; statistics readers, who take no
// case, have no page. Every post calls one function of the case service
// (DeclareInterest, RemoveInterest), which checks the rules; a refusal is
// shown at its field.
#include <httplib.h>

#include <algorithm>
#include <functional>

#include "service/case_service.h"
#include "web/pages_internal.h"
#include "web/web_service.h"

namespace amiable::web::pages {
namespace {

constexpr const char* kUrl = "/liens-interets";

// The kinds `amiable user interest add --kind` accepts, with their labels.
struct Kind {
  const char* code;
  const char* label;
  InterestLink::Subject subject;
};
constexpr Kind kKinds[] = {
    {"landlord", "Un bailleur (personne)", InterestLink::Subject::kPerson},
    {"beneficiary", "Un allocataire (personne)", InterestLink::Subject::kPerson},
    {"person", "Une autre personne", InterestLink::Subject::kPerson},
    {"organisation", "Une organisation (société, association, bailleur social…)",
     InterestLink::Subject::kOrganisation},
    {"allocataire", "Un numéro d'allocataire", InterestLink::Subject::kAllocataireNumber},
};

const char* SubjectLabel(InterestLink::Subject s) {
  switch (s) {
    case InterestLink::Subject::kPerson: return "Personne";
    case InterestLink::Subject::kOrganisation: return "Organisation";
    case InterestLink::Subject::kAllocataireNumber: return "Numéro d'allocataire";
  }
  return "";
}


struct FieldError {
  std::string field;  // the input's id
  std::string message;
};

// The page; `f` and `errors` when a declaration was refused (status 400).
void InterestsPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res, const Fields* f,
                   const std::vector<FieldError>& errors, int status = 400) {
  Data d;
  d.set("title", "Mes liens d'intérêts");
  WebService svc(*env.ctx, store);
  auto links = svc->InterestLinks(service::Caller::OfUser(who.user), who.user.name);
  if (!links) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  std::map<std::string, std::string> fund_names;
  List funds;
  const std::string chosen_fund = f ? Field(*f, "organisme") : "";
  if (auto orgs = store.ListOrganismes()) {
    for (const Organisme& o : *orgs) {
      fund_names[o.code] = o.code + " — " + o.name;
      if (!who.actor.CanSee(o.code)) continue;
      Data od;
      od.set("code", o.code);
      od.set("label", o.code + " — " + o.name);
      od.set("selected", chosen_fund == o.code);
      funds.push_back(od);
    }
  }
  List rows;
  for (const DeclaredInterest& l : *links) {
    Data r;
    r.set("id", std::to_string(l.id));
    r.set("kind", SubjectLabel(l.link.subject));
    r.set("value", l.link.value);
    r.set("relation", l.link.relation);
    auto it = fund_names.find(l.link.organisme);
    r.set("fund", l.link.organisme.empty()
                      ? std::string("Toutes")
                      : (it != fund_names.end() ? it->second : l.link.organisme));
    r.set("started_on", l.started_on ? FrenchDate(l.started_on) : std::string("—"));
    r.set("ended_on", l.link.ended_on ? FrenchDate(l.link.ended_on) : std::string("en cours"));
    rows.push_back(r);
  }
  d.set("links", rows);
  d.set("has_links", !rows.empty());
  d.set("funds", funds);
  const std::string chosen_kind = f ? Field(*f, "kind") : "";
  List kinds;
  for (const Kind& k : kKinds) {
    Data kd;
    kd.set("code", k.code);
    kd.set("label", k.label);
    kd.set("selected", chosen_kind == k.code);
    kinds.push_back(kd);
  }
  d.set("kinds", kinds);
  if (f) {
    Data v;
    for (const char* k : {"value", "relation", "started_on", "ended_on"}) v.set(k, Field(*f, k));
    d.set("v", v);
  }
  SetFieldErrors(d, errors);
  if (!f) SetFlash(req, d);
  SendPage(env, res, "liens_interets", d, &who, errors.empty() ? 200 : status);
}

void InterestsGet(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  InterestsPage(env, who, store, req, res, nullptr, {});
}

// The input of a field the service names.
std::string InputOf(const std::string& field) {
  if (field == "kind") return "il_kind";
  if (field == "relation") return "il_relation";
  if (field == "organisme") return "il_fund";
  if (field == "started_on") return "il_start";
  if (field == "ended_on") return "il_end";
  return "il_value";
}

void InterestAddPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                     httplib::Response& res) {
  const Fields f = FormFields(req);
  auto refused = [&](const Error& e) {
    InterestsPage(env, who, store, req, res, &f, {{InputOf(e.field), ErrorText(e)}},
                  ErrorStatus(e));
  };
  DeclaredInterest d;
  d.user = who.user.name;
  const std::string kind = Field(f, "kind");
  const Kind* k = nullptr;
  for (const Kind& candidate : kKinds) {
    if (kind == candidate.code) k = &candidate;
  }
  if (!k) return refused(msg::Invalid("interest.subject_unknown", "kind", {kind}));
  d.link.subject = k->subject;
  d.link.value = Field(f, "value");
  d.link.relation = Field(f, "relation");
  d.link.organisme = Field(f, "organisme");
  // Reading the dates is the page's; what they must be is the service's.
  for (auto [name, into] : {std::pair{"started_on", &d.started_on},
                            std::pair{"ended_on", &d.link.ended_on}}) {
    const std::string text = Field(f, name);
    if (text.empty()) continue;
    *into = Date::Parse(text);
    if (!*into) return refused(msg::Invalid("case.bad_date", name));
  }
  WebService svc(*env.ctx, store);
  if (auto id = svc->DeclareInterest(service::Caller::OfUser(who.user), d); !id) {
    return refused(id.error());
  }
  Redirect(res, WithFlash(kUrl, true, "interest.added"));
}

void InterestRemovePost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                        httplib::Response& res) {
  const std::string id_text = Field(FormFields(req), "id");
  if (id_text.empty() || id_text.size() > 18 ||
      !std::all_of(id_text.begin(), id_text.end(), ::isdigit)) {
    return SendErrorPage(env, res, 404, msg::Find("interest.not_found"), &who);
  }
  WebService svc(*env.ctx, store);
  // Only one's own links: the user is the session's, never the form's.
  if (auto s = svc->RemoveInterest(service::Caller::OfUser(who.user), who.user.name,
                                   std::stoll(id_text));
      !s) {
    return SendErrorPage(env, res, ErrorStatus(s.error()), ErrorText(s.error()), &who);
  }
  Redirect(res, WithFlash(kUrl, true, "interest.removed"));
}

}  // namespace

void RegisterInterestRoutes(httplib::Server& server, Env& env) {
  server.Get(kUrl, Guarded(env, Need::kCases, InterestsGet));
  server.Post(kUrl, Guarded(env, Need::kCases, InterestAddPost));
  server.Post(std::string(kUrl) + "/supprimer", Guarded(env, Need::kCases, InterestRemovePost));
}

}  // namespace amiable::web::pages
