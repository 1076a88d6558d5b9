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
// case, have no page.
#include <httplib.h>

#include <algorithm>
#include <functional>

#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

constexpr size_t kMaxText = 200;
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

std::string Trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

struct FieldError {
  std::string field;  // the input's id
  std::string message;
};

// The page; `f` and `errors` when a declaration was refused (status 400).
void InterestsPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res, const Fields* f,
                   const std::vector<FieldError>& errors) {
  Data d;
  d.set("title", "Mes liens d'intérêts");
  auto links = store.InterestLinks(who.user.name);
  if (!links) return SendErrorPage(env, res, 500, "Lecture impossible.", &who);
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
  Data err;
  List summary;
  for (const FieldError& e : errors) {
    err.set(e.field, e.message);
    Data s;
    s.set("field", e.field);
    s.set("message", e.message);
    summary.push_back(s);
  }
  d.set("err", err);
  d.set("errors", summary);
  d.set("has_errors", !summary.empty());
  if (!f) SetFlash(req, d);
  SendPage(env, res, "liens_interets", d, &who, errors.empty() ? 200 : 400);
}

void InterestsGet(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  InterestsPage(env, who, store, req, res, nullptr, {});
}

void InterestAddPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                     httplib::Response& res) {
  const Fields f = FormFields(req);
  std::vector<FieldError> errors;
  DeclaredInterest d;
  d.user = who.user.name;
  const std::string kind = Field(f, "kind");
  const Kind* k = nullptr;
  for (const Kind& candidate : kKinds) {
    if (kind == candidate.code) k = &candidate;
  }
  if (!k) errors.push_back({"il_kind", "Choisissez ce que désigne le lien."});
  const std::string value = Trimmed(Field(f, "value"));
  if (value.empty()) {
    errors.push_back({"il_value", "Indiquez le nom, la raison sociale ou le numéro d'allocataire."});
  } else if (value.size() > kMaxText) {
    errors.push_back({"il_value", "Le nom ou la raison sociale dépasse 200 caractères."});
  } else if (k && k->subject == InterestLink::Subject::kAllocataireNumber &&
             (value.size() != 7 || !std::all_of(value.begin(), value.end(), ::isdigit))) {
    errors.push_back({"il_value", "Le numéro d'allocataire compte 7 chiffres."});
  }
  const std::string relation = Trimmed(Field(f, "relation"));
  if (relation.empty()) {
    errors.push_back({"il_relation", "Précisez la nature du lien (ex. « conjoint », « associé »)."});
  } else if (relation.size() > kMaxText) {
    errors.push_back({"il_relation", "La nature du lien dépasse 200 caractères."});
  }
  const std::string organisme = Field(f, "organisme");
  if (!organisme.empty() && (!who.actor.CanSee(organisme) || !store.GetOrganisme(organisme))) {
    errors.push_back({"il_fund", "Choisissez une de vos Caf, ou « Toutes les Caf »."});
  }
  auto date = [&](const char* name, const char* id, const char* what) -> std::optional<Date> {
    const std::string text = Field(f, name);
    if (text.empty()) return std::nullopt;
    auto parsed = Date::Parse(text);
    if (!parsed) {
      errors.push_back({id, std::string("La date de ") + what + " est invalide (JJ/MM/AAAA)."});
    }
    return parsed;
  };
  d.started_on = date("started_on", "il_start", "début");
  d.link.ended_on = date("ended_on", "il_end", "fin");
  if (d.started_on && d.link.ended_on && *d.link.ended_on < *d.started_on) {
    errors.push_back({"il_end", "La date de fin précède la date de début."});
  }
  if (d.started_on && *d.started_on > env.ctx->Today()) {
    errors.push_back({"il_start", "La date de début est dans le futur."});
  }
  if (!errors.empty()) return InterestsPage(env, who, store, req, res, &f, errors);
  d.link.subject = k->subject;
  d.link.value = value;
  d.link.relation = relation;
  d.link.organisme = organisme;
  if (auto id = store.AddInterestLink(who.actor, d); !id) {
    return InterestsPage(env, who, store, req, res, &f,
                         {{"il_value", "Le lien n'a pas pu être enregistré."}});
  }
  Redirect(res, WithFlash(kUrl, true, "interest.added"));
}

void InterestRemovePost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                        httplib::Response& res) {
  const std::string id_text = Field(FormFields(req), "id");
  int64_t id = 0;
  if (id_text.empty() || id_text.size() > 18 ||
      !std::all_of(id_text.begin(), id_text.end(), ::isdigit)) {
    return SendErrorPage(env, res, 404, "Ce lien d'intérêts n'existe pas.", &who);
  }
  id = std::stoll(id_text);
  // Only one's own links: RemoveInterestLink itself takes any id.
  auto links = store.InterestLinks(who.user.name);
  if (!links) return SendErrorPage(env, res, 500, "Lecture impossible.", &who);
  if (std::none_of(links->begin(), links->end(),
                   [&](const DeclaredInterest& l) { return l.id == id; })) {
    return SendErrorPage(env, res, 404, "Ce lien d'intérêts n'existe pas.", &who);
  }
  if (auto s = store.RemoveInterestLink(who.actor, id); !s) {
    return SendErrorPage(env, res, 500, "Le lien n'a pas pu être retiré.", &who);
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
