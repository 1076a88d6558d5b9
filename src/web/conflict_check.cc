#include "web/conflict_check.h"

namespace amiable::web {
namespace {

std::string Param(const EventRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? std::string() : it->second;
}

}  // namespace

Result<ConflictAssessment> AssessMediator(Store& store, const Actor& actor, const Case& c,
                                          const std::string& mediator, Date today) {
  auto links = store.InterestLinks(mediator);
  if (!links) return Fail(links.error());
  if (links->empty()) return AssessConflict(c, {}, {}, today);
  auto people = store.People(actor, c.reference);
  if (!people) return Fail(people.error());
  std::vector<InterestLink> declared;
  declared.reserve(links->size());
  for (const DeclaredInterest& d : *links) declared.push_back(d.link);
  return AssessConflict(c, *people, declared, today);
}

Status CheckConflicts(Store& store, const Actor& actor, const Case& c, const EventRequest& r,
                      Date today) {
  std::string incoming;  // who the event puts in charge
  std::string field;
  if (r.event == "take_in_charge") {
    field = "assigned_to";
    incoming = Param(r, field);
    if (incoming.empty()) incoming = r.actor;
  } else if (r.event == "recuse") {
    field = "to";
    incoming = Param(r, field);
  } else {
    return {};
  }
  if (incoming.empty()) return {};  // the lifecycle reports the missing parameter
  auto recusals = store.Recusals(actor, c.reference);
  if (!recusals) return Fail(recusals.error());
  for (const Recusal& rec : *recusals) {
    if (rec.user == incoming) {
      return Fail(Error::Invalid(incoming + " s'est déporté de ce dossier le " +
                                     rec.at.substr(0, 10) + " : confiez-le à un autre médiateur",
                                 field));
    }
  }
  if (r.event != "take_in_charge") return {};
  auto a = AssessMediator(store, actor, c, incoming, today);
  if (!a) return Fail(a.error());
  if (!a->recusal_suggested) return {};
  std::string msg = "conflit d'intérêts de " + incoming + " : " + a->summary;
  for (const ConflictFinding& f : a->findings) {
    if (f.intensity == Intensity::kStrong) msg += " " + f.explanation;
  }
  msg += " Le dossier doit être confié à un autre médiateur (déport : événement 'recuse').";
  return Fail(Error::Conflict(msg, field));
}

Status SaveEvent(Store& store, const Actor& actor, const Case& before, const Case& after,
                 const EventRequest& r, const CaseEvent& event) {
  if (r.event != "recuse") return store.UpdateCase(actor, after, event);
  const std::string recused = before.assigned_to.empty() ? r.actor : before.assigned_to;
  return store.UpdateCaseRecusing(actor, after, event, recused, Param(r, "reason"));
}

}  // namespace amiable::web
