// Conflicts of interest, recusal (déport), the receiving mediators, and the
// publication of a year.
#include <algorithm>

#include "core/messages.h"
#include "service/case_service.h"

namespace amiable::service {
namespace {

// May `who` manage the interest links of `user`?
Status MayManageLinksOf(Store& store, const Caller& who, std::string_view user) {
  if (who.system || who.role() == Role::kAdministrator) return {};
  if (who.name() == user && who.role() != Role::kStatisticsReader) return {};
  if (who.role() == Role::kManager) {
    auto u = store.GetUser(user);
    if (!u) return Fail(msg::Invalid("user.unknown", "user", {user}));
    for (const std::string& o : u->organismes) {
      if (who.actor.CanSee(o)) return {};
    }
  }
  return Fail(msg::Forbidden("interest.not_yours"));
}

}  // namespace

Result<int64_t> CaseService::DeclareInterest(const Caller& who, DeclaredInterest d) {
  if (d.user.empty()) d.user = who.name();
  if (auto s = MayManageLinksOf(store_, who, d.user); !s) return Fail(s.error());
  auto trim = [](std::string& t) {
    const size_t b = t.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return t.clear();
    t = t.substr(b, t.find_last_not_of(" \t\r\n") - b + 1);
  };
  trim(d.link.value);
  trim(d.link.relation);
  constexpr size_t kMaxLinkText = 200;
  if (d.link.value.empty()) return Fail(msg::Invalid("interest.value_required", "value"));
  if (d.link.value.size() > kMaxLinkText) {
    return Fail(msg::Invalid("interest.too_long", "value", {"200"}));
  }
  if (d.link.subject == InterestLink::Subject::kAllocataireNumber &&
      (d.link.value.size() != 7 ||
       !std::all_of(d.link.value.begin(), d.link.value.end(),
                    [](unsigned char ch) { return ch >= '0' && ch <= '9'; }))) {
    return Fail(msg::Invalid("case.allocataire_number", "value"));
  }
  if (d.link.relation.empty()) {
    return Fail(msg::Invalid("interest.relation_required", "relation"));
  }
  if (d.link.relation.size() > kMaxLinkText) {
    return Fail(msg::Invalid("interest.too_long", "relation", {"200"}));
  }
  if (!d.link.organisme.empty() &&
      (!who.actor.CanSee(d.link.organisme) || !store_.GetOrganisme(d.link.organisme))) {
    return Fail(msg::Invalid("interest.organisme", "organisme", {d.link.organisme}));
  }
  const Date today = TodayIn(clock_, Zone::kMetropole);
  if (d.started_on && *d.started_on > today) {
    return Fail(msg::Invalid("interest.start_future", "started_on"));
  }
  if (d.started_on && d.link.ended_on && *d.link.ended_on < *d.started_on) {
    return Fail(msg::Invalid("interest.end_before_start", "ended_on"));
  }
  if (d.declared_at.empty()) d.declared_at = Now();
  return store_.AddInterestLink(who.actor, d);
}

Result<std::vector<DeclaredInterest>> CaseService::InterestLinks(const Caller& who,
                                                                 std::string_view user) {
  const std::string name = user.empty() ? who.name() : std::string(user);
  if (auto s = MayManageLinksOf(store_, who, name); !s) return Fail(s.error());
  return store_.InterestLinks(name);
}

Status CaseService::RemoveInterest(const Caller& who, std::string_view user, int64_t id) {
  const std::string name = user.empty() ? who.name() : std::string(user);
  if (auto s = MayManageLinksOf(store_, who, name); !s) return s;
  auto links = store_.InterestLinks(name);
  if (!links) return Fail(links.error());
  const bool mine = std::any_of(links->begin(), links->end(),
                                [&](const DeclaredInterest& d) { return d.id == id; });
  if (!mine) return Fail(msg::NotFound("interest.not_found"));
  return store_.RemoveInterestLink(who.actor, id);
}

Result<ConflictAssessment> CaseService::Assess(const Caller& who, std::string_view reference,
                                               std::string mediator) {
  auto d = Partial(who, reference, /*people=*/true, /*recusals=*/false);
  if (!d) return Fail(d.error());
  return Assess(who, *d, std::move(mediator));
}

Result<ConflictAssessment> CaseService::Assess(const Caller& who, const CaseDetails& d,
                                               std::string mediator) {
  if (mediator.empty()) mediator = who.name();
  auto links = store_.InterestLinks(mediator);
  if (!links) return Fail(links.error());
  if (links->empty()) return AssessConflict(d.c, {}, {}, d.today);
  std::vector<InterestLink> declared;
  declared.reserve(links->size());
  for (const DeclaredInterest& l : *links) declared.push_back(l.link);
  return AssessConflict(d.c, d.people, declared, d.today);
}

Result<std::vector<User>> CaseService::ReceivingMediators(const Caller& who,
                                                          std::string_view reference) {
  auto d = Partial(who, reference, /*people=*/false, /*recusals=*/true);
  if (!d) return Fail(d.error());
  auto funds = store_.ListOrganismes();
  if (!funds) return Fail(funds.error());
  auto users = store_.ListUsers();
  if (!users) return Fail(users.error());
  return ReceivingMediators(who, *d, *users, *funds);
}

std::vector<User> CaseService::ReceivingMediators(const Caller& who, const CaseDetails& d,
                                                  std::span<const User> users,
                                                  std::span<const Organisme> funds) {
  const Case& c = d.c;
  std::vector<std::string> region_funds;  // the case's fund and those of its region
  for (const Organisme& o : funds) {
    if (o.code == c.organisme || (!d.fund.region.empty() && o.region == d.fund.region)) {
      region_funds.push_back(o.code);
    }
  }
  std::vector<std::string> excluded;
  excluded.push_back(c.assigned_to.empty() ? who.name() : c.assigned_to);
  for (const Recusal& r : d.recusals) {
    if (r.lifted_at.empty()) excluded.push_back(r.user);
  }
  std::vector<User> out;
  for (const User& u : users) {
    if (u.disabled || u.role != Role::kMediator) continue;
    if (std::find(excluded.begin(), excluded.end(), u.name) != excluded.end()) continue;
    const Actor a = u.ToActor();
    const bool eligible = std::any_of(region_funds.begin(), region_funds.end(),
                                      [&](const std::string& o) { return a.CanSee(o); });
    if (!eligible) continue;
    out.push_back(u);
    out.back().password_hash.clear();
  }
  std::sort(out.begin(), out.end(), [&](const User& a, const User& b) {
    // Mediators of the case's own fund first, then by name.
    const bool ao = a.ToActor().CanSee(c.organisme), bo = b.ToActor().CanSee(c.organisme);
    if (ao != bo) return ao;
    return a.name < b.name;
  });
  return out;
}

Status CaseService::LiftRecusal(const Caller& who, std::string_view reference,
                                int64_t recusal_id, std::string reason) {
  auto c = GetCase(who, reference);
  if (!c) return Fail(c.error());
  if (!who.IsHierarchyOf(c->organisme)) return Fail(msg::Forbidden("role.manager_required"));
  if (reason.find_first_not_of(" \t\n") == std::string::npos) {
    return Fail(msg::Invalid("recuse.lift_reason_required", "reason"));
  }
  auto recusals = store_.Recusals(who.actor, reference);
  if (!recusals) return Fail(recusals.error());
  auto it = std::find_if(recusals->begin(), recusals->end(),
                         [&](const Recusal& r) { return r.id == recusal_id; });
  if (it == recusals->end()) {
    return Fail(msg::NotFound("recuse.not_found", {std::to_string(recusal_id)}));
  }
  if (!it->lifted_at.empty()) return Fail(msg::Conflict("recuse.already_lifted"));
  return store_.InTransaction([&]() -> Status {
    if (auto s = store_.LiftRecusal(who.actor, reference, recusal_id, reason); !s) return s;
    return Touch(who, reference, "recusal_lifted",
                 "Déport de " + it->user + " levé par " + who.name() + " : " + reason,
                 {{"recusal." + it->user, "déporté", "levé"}});
  });
}

Status CaseService::PublishYear(const Caller& who, std::string_view organisme, int year) {
  if (!who.IsHierarchyOf(organisme)) return Fail(msg::Forbidden("role.manager_required"));
  if (year < 2000 || year > 2199) {
    return Fail(msg::Invalid("publish.year", "year", {std::to_string(year)}));
  }
  if (!store_.GetOrganisme(organisme)) {
    return Fail(msg::Invalid("case.organisme_unknown", "organisme", {organisme}));
  }
  auto years = store_.PublishedYears(organisme);
  if (years && std::find(years->begin(), years->end(), year) != years->end()) {
    return Fail(msg::Conflict("publish.already", "year", {std::to_string(year), organisme}));
  }
  return store_.PublishYear(who.actor, organisme, year);
}

}  // namespace amiable::service
