// Reading, registering, editing the classification and lifecycle events.
#include "service/case_service.h"
#include "service/partner_service.h"

#include <algorithm>
#include <cctype>

#include "core/messages.h"
#include "core/nomenclature.h"
#include "core/text.h"
#include "mail/parse.h"
#include "service/internal.h"

namespace amiable::service {

namespace {

constexpr size_t kMaxDescriptionBytes = 20000;

std::string Param(const EventRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? std::string() : it->second;
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) comma = s.size();
    std::string item = Trim(s.substr(start, comma - start));
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) {
      out.push_back(std::move(item));
    }
    start = comma + 1;
  }
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char ch) {
    return std::isdigit(ch) != 0;
  });
}

Status SetCode(const Nomenclature& n, const std::string& field, const std::string& v,
               std::optional<std::string>& into) {
  if (v.empty()) {
    into.reset();
    return {};
  }
  if (!n.Contains(v)) return Fail(msg::Invalid("case.unknown_code", field, {field, v}));
  into = v;
  return {};
}

Status SetCodes(const Nomenclature& n, const std::string& field, const std::string& v,
                std::optional<std::vector<std::string>>& into) {
  if (v.empty()) {
    into.reset();
    return {};
  }
  std::vector<std::string> codes = SplitList(v);
  for (const std::string& code : codes) {
    if (!n.Contains(code)) return Fail(msg::Invalid("case.unknown_code", field, {field, code}));
  }
  into = std::move(codes);
  return {};
}

Status SetDate(const std::string& field, const std::string& v, std::optional<Date>& into) {
  if (v.empty()) {
    into.reset();
    return {};
  }
  auto d = Date::ParseTyped(v);
  if (!d) return Fail(msg::Invalid("case.bad_date", field));
  into = d;
  return {};
}

// Applies one field of a classification edit to `c`.
Status ApplyField(Case& c, const std::string& field, const std::string& raw, Date today) {
  namespace n = nomenclature;
  const std::string v = field == "description" ? raw : Trim(raw);
  if (field == "channel") return SetCode(n::Channel(), field, v, c.channel);
  if (field == "emitter") return SetCode(n::Emitter(), field, v, c.emitter);
  if (field == "prior_step") return SetCode(n::PriorStep(), field, v, c.prior_step);
  if (field == "cause") return SetCode(n::Cause(), field, v, c.cause);
  if (field == "resolution") return SetCode(n::Resolution(), field, v, c.resolution);
  if (field == "household") return SetCode(n::Household(), field, v, c.household);
  if (field == "activity") return SetCode(n::Activity(), field, v, c.activity);
  if (field == "motives") return SetCodes(n::Motive(), field, v, c.motives);
  if (field == "benefits") return SetCodes(n::Benefit(), field, v, c.benefits);
  if (field == "response_modes") return SetCodes(n::ResponseMode(), field, v, c.response_modes);
  if (field == "prior_step_on") {
    if (auto s = SetDate(field, v, c.prior_step_on); !s) return s;
    if (c.prior_step_on && *c.prior_step_on > today) {
      return Fail(msg::Invalid("event.date_future", field,
                               {c.prior_step_on->ToFrench(), today.ToFrench()}));
    }
    return {};
  }
  if (field == "received_on") {
    auto d = Date::ParseTyped(v);
    if (!d) return Fail(msg::Invalid("case.bad_date", field));
    if (*d > today) return Fail(msg::Invalid("case.received_on_future", field));
    for (const std::optional<Date>& later : {c.taken_in_charge_on, c.answered_on, c.closed_on}) {
      if (later && *later < *d) {
        return Fail(msg::Invalid("event.date_before", field,
                                 {later->ToFrench(), "date de réception", d->ToFrench()}));
      }
    }
    c.received_on = *d;
    return {};
  }
  if (field == "allocataire_number") {
    if (v.empty()) {
      c.allocataire_number.reset();
    } else if (v.size() != 7 || !AllDigits(v)) {
      return Fail(msg::Invalid("case.allocataire_number", field));
    } else {
      c.allocataire_number = v;
    }
    return {};
  }
  if (field == "quotient_familial") {
    if (v.empty()) {
      c.quotient_familial.reset();
    } else if (v.size() > 7 || !AllDigits(v)) {
      return Fail(msg::Invalid("case.quotient_familial", field));
    } else {
      c.quotient_familial = std::stoll(v);
    }
    return {};
  }
  if (field == "fraud") {
    if (v.empty()) {
      c.fraud.reset();
    } else if (v == "true" || v == "oui") {
      c.fraud = true;
    } else if (v == "false" || v == "non") {
      c.fraud = false;
    } else {
      return Fail(msg::Invalid("case.unknown_code", field, {field, v}));
    }
    return {};
  }
  if (field == "orientation") {
    if (v.empty()) {
      c.orientation.reset();
    } else {
      c.orientation = v;
    }
    return {};
  }
  if (field == "description") {
    std::string d = raw;
    d.erase(std::remove(d.begin(), d.end(), '\r'), d.end());
    if (d.size() > kMaxDescriptionBytes) {
      return Fail(msg::Invalid("case.description_too_long", field));
    }
    c.description = std::move(d);
    return {};
  }
  return Fail(msg::Invalid("case.field_readonly", field, {field}));
}

std::string ChangedNames(const std::vector<FieldChange>& changes) {
  std::string out;
  for (const FieldChange& ch : changes) out += (out.empty() ? "" : ", ") + ch.field;
  return out;
}

bool Locked(const Case& c) {
  return c.state == CaseState::kClosed || c.state == CaseState::kInadmissible;
}

}  // namespace

Date CaseService::TodayFor(std::string_view organisme) {
  Zone zone = Zone::kMetropole;
  if (auto o = store_.GetOrganisme(organisme); o) {
    if (auto z = ZoneFromCode(o->zone)) zone = *z;
  }
  return TodayIn(clock_, zone);
}

// ---- Reading ----------------------------------------------------------------

Result<Case> CaseService::GetCase(const Caller& who, std::string_view reference) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  auto c = store_.GetCase(who.actor, reference);
  if (!c) {
    if (c.error().code == Error::Code::kNotFound) return Fail(msg::NotFound("case.not_found"));
    return Fail(c.error());
  }
  return c;
}

Result<CaseDetails> CaseService::Get(const Caller& who, std::string_view reference) {
  auto c = GetCase(who, reference);
  if (!c) return Fail(c.error());
  CaseDetails d;
  d.c = std::move(*c);
  if (auto o = store_.GetOrganisme(d.c.organisme)) d.fund = *o;
  Zone zone = ZoneFromCode(d.fund.zone).value_or(Zone::kMetropole);
  d.today = TodayIn(clock_, zone);
  d.locked = Locked(d.c);
  auto history = store_.History(who.actor, reference);
  if (!history) return Fail(history.error());
  d.history = std::move(*history);
  auto people = store_.People(who.actor, reference);
  if (!people) return Fail(people.error());
  d.people = std::move(*people);
  auto notes = store_.Notes(who.actor, reference);
  if (!notes) return Fail(notes.error());
  d.notes = std::move(*notes);
  auto docs = store_.Documents(who.actor, reference);
  if (!docs) return Fail(docs.error());
  d.documents = std::move(*docs);
  if (auto rec = store_.Recusals(who.actor, reference)) d.recusals = std::move(*rec);
  d.allowed_events = AllowedEvents(d.c);
  if (auto years = store_.PublishedYears(d.c.organisme)) d.published_years = std::move(*years);
  if (auto out = store_.CaseOutbox(who.actor, reference)) d.outbox = std::move(*out);
  if (auto in = store_.CaseReceived(who.actor, reference)) d.received = std::move(*in);
  std::vector<LetterRecord> letters;
  if (auto l = store_.CaseLetters(who.actor, reference)) letters = std::move(*l);
  d.thread = BuildThread(d.outbox, d.received, letters, d.documents);
  if (!who.system && who.role() == Role::kPartner) {
    // A partner (API) reads the case and its people, and of the rest only
    // the exchange's documents (service/partner_service.h): never the
    // notes, history, recusals or the mediator's correspondence.
    d.history.clear();
    d.notes.clear();
    d.recusals.clear();
    d.outbox.clear();
    d.received.clear();
    d.thread.clear();
    d.allowed_events.clear();
    auto shared = PartnerService(store_, clock_, files_, "").ExchangeDocuments(who, reference);
    d.documents = shared ? std::move(*shared) : std::vector<DocumentMeta>{};
  }
  return d;
}

Result<CaseDetails> CaseService::Partial(const Caller& who, std::string_view reference,
                                         bool people, bool recusals) {
  auto c = GetCase(who, reference);
  if (!c) return Fail(c.error());
  CaseDetails d;
  d.c = std::move(*c);
  if (auto o = store_.GetOrganisme(d.c.organisme)) d.fund = *o;
  d.today = TodayIn(clock_, ZoneFromCode(d.fund.zone).value_or(Zone::kMetropole));
  if (people) {
    auto p = store_.People(who.actor, reference);
    if (!p) return Fail(p.error());
    d.people = std::move(*p);
  }
  if (recusals) {
    // Every recusal of the case, whoever the caller: who may receive it
    // depends on all of them.
    if (auto r = store_.Recusals(Actor::System(), reference)) d.recusals = std::move(*r);
  }
  return d;
}

Result<std::vector<Case>> CaseService::List(const Caller& who, const CaseFilter& f,
                                            int64_t* total) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  return store_.ListCases(who.actor, f, total);
}

Result<std::vector<Case>> CaseService::Search(const Caller& who, std::string_view text, int limit,
                                              int64_t* total) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  return store_.SearchCases(who.actor, text, limit, total);
}

// ---- Shared checks ------------------------------------------------------------

Result<Case> CaseService::WritableCase(const Caller& who, std::string_view reference,
                                       bool notes_only) {
  // A partner writes only through the exchange (service/partner_service.h).
  if (!who.system && who.role() == Role::kPartner) {
    return Fail(msg::Forbidden("partner.read_only"));
  }
  auto c = GetCase(who, reference);
  if (!c) return Fail(c.error());
  if (!notes_only && Locked(*c)) return Fail(msg::Conflict("case.locked", "state"));
  return c;
}

Status CaseService::CheckVersion(const Case& c, const WriteGuard& g) {
  if (g.version && *g.version != c.version) {
    return Fail(msg::Conflict("case.stale_version", "version",
                              {std::to_string(c.version), std::to_string(*g.version)}));
  }
  return {};
}

Result<int> CaseService::PublishedYearTouched(const Case& before, const Case& after,
                                              const WriteGuard& g) {
  auto years = store_.PublishedYears(before.organisme);
  if (!years) {
    // A store without published years (older fakes) has none.
    if (years.error().code == Error::Code::kInternal) return 0;
    return Fail(years.error());
  }
  if (years->empty()) return 0;
  auto published = [&](const std::optional<Date>& d) {
    return d && std::find(years->begin(), years->end(), d->year()) != years->end();
  };
  int year = 0;
  for (const std::optional<Date>& d : {std::optional<Date>(before.received_on),
                                       std::optional<Date>(after.received_on), before.closed_on,
                                       after.closed_on}) {
    if (published(d)) {
      year = d->year();
      break;
    }
  }
  if (year == 0) return 0;
  if (!g.confirm_published) {
    return Fail(msg::Conflict("case.published_year", "confirm_published", {std::to_string(year)}));
  }
  return year;
}

Status CaseService::SaveCase(const Caller& who, const Case& before, const Case& after,
                             CaseEvent ev, const WriteGuard& g) {
  if (auto s = CheckVersion(before, g); !s) return s;
  if (ev.changes.empty()) ev.changes = DiffCases(before, after);
  // Only what the figures read matters for a published year.
  bool figures_touched = false;
  for (const FieldChange& ch : ev.changes) {
    figures_touched = figures_touched || (ch.field != "description" && ch.field != "orientation" &&
                                          ch.field != "orientation_code" &&
                                          ch.field != "assigned_to");
  }
  if (figures_touched) {
    auto year = PublishedYearTouched(before, after, g);
    if (!year) return Fail(year.error());
    ev.published_year = *year;
  }
  ev.at = Now();
  ev.actor = who.name();
  return store_.UpdateCase(who.actor, after, ev);
}

Status CaseService::Touch(const Caller& who, std::string_view reference, std::string kind,
                          std::string detail, std::vector<FieldChange> changes) {
  CaseEvent ev;
  ev.at = Now();
  ev.actor = who.name();
  ev.kind = std::move(kind);
  ev.detail = std::move(detail);
  ev.changes = std::move(changes);
  return store_.AppendEvent(who.actor, reference, ev);
}

// ---- Registering ----------------------------------------------------------------

Result<std::string> CaseService::Register(const Caller& who, Registration r) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  if (r.c.organisme.empty()) return Fail(msg::Invalid("case.organisme_required", "organisme"));
  if (!who.actor.CanSee(r.c.organisme)) {
    return Fail(msg::Invalid("case.organisme_unknown", "organisme", {r.c.organisme}));
  }
  auto fund = store_.GetOrganisme(r.c.organisme);
  if (!fund) return Fail(msg::Invalid("case.organisme_unknown", "organisme", {r.c.organisme}));
  const Date today = TodayIn(clock_, ZoneFromCode(fund->zone).value_or(Zone::kMetropole));
  if (r.c.received_on == Date()) r.c.received_on = today;
  if (r.c.received_on > today) return Fail(msg::Invalid("case.received_on_future", "received_on"));
  if (r.c.prior_step_on && *r.c.prior_step_on > today) {
    return Fail(msg::Invalid("event.date_future", "prior_step_on",
                             {r.c.prior_step_on->ToFrench(), today.ToFrench()}));
  }
  if (r.c.description.size() > kMaxDescriptionBytes) {
    return Fail(msg::Invalid("case.description_too_long", "description"));
  }
  {
    // The codes of a registration, as Edit checks them (the JSON API parses
    // them before; the pages pass them as typed).
    namespace n = nomenclature;
    const std::pair<const char*, std::pair<const Nomenclature*, std::optional<std::string>*>>
        codes[] = {{"channel", {&n::Channel(), &r.c.channel}},
                   {"emitter", {&n::Emitter(), &r.c.emitter}},
                   {"prior_step", {&n::PriorStep(), &r.c.prior_step}}};
    for (const auto& [field, code] : codes) {
      if (*code.second && code.second->value().empty()) code.second->reset();
      if (*code.second && !code.first->Contains(**code.second)) {
        return Fail(msg::Invalid("case.unknown_code", field, {field, **code.second}));
      }
    }
    if (r.c.allocataire_number && r.c.allocataire_number->empty()) r.c.allocataire_number.reset();
    if (r.c.allocataire_number &&
        (r.c.allocataire_number->size() != 7 || !AllDigits(*r.c.allocataire_number))) {
      return Fail(msg::Invalid("case.allocataire_number", "allocataire_number"));
    }
  }
  for (size_t i = 0; i < r.people.size(); ++i) {
    if (auto s = ValidatePerson(r.people[i]); !s) {
      Error e = s.error();
      // The field of the person in the registration: "people.<role>.<field>".
      e.field = std::string("people.") + PersonRoleCode(r.people[i].role) + "." + e.field;
      return Fail(std::move(e));
    }
  }
  r.c.state = CaseState::kReceived;
  Submission sub;
  sub.event.at = Now();
  sub.event.actor = who.name();
  sub.event.kind = "create";
  sub.event.detail = "Demande enregistrée par " + who.name() + (r.via.empty() ? "" : " (" + r.via + ")");
  sub.event.changes = DiffCases(Case{}, r.c);
  sub.c = std::move(r.c);
  sub.people = std::move(r.people);
  sub.documents = std::move(r.documents);
  for (DocumentMeta& d : sub.documents) {
    d.file_name = mail::NameWithExtensionOf(d.file_name, d.content_type);
  }
  sub.acknowledgement = std::move(r.acknowledgement);
  return store_.SubmitCase(who.actor, sub);
}

// ---- Classification ---------------------------------------------------------------

Result<Case> CaseService::Edit(const Caller& who, std::string_view reference,
                               const ClassificationEdit& e) {
  auto c = WritableCase(who, reference, false);
  if (!c) return Fail(c.error());
  if (auto s = CheckVersion(*c, e.guard); !s) return Fail(s.error());
  const Date today = TodayFor(c->organisme);
  Case u = *c;
  for (const auto& [field, value] : e.fields) {
    if (auto s = ApplyField(u, field, value, today); !s) return Fail(s.error());
  }
  std::vector<FieldChange> changes = DiffCases(*c, u);
  if (changes.empty()) return c;
  CaseEvent ev;
  ev.kind = "update";
  ev.detail = "Champs modifiés : " + ChangedNames(changes) + (e.via.empty() ? "" : " (" + e.via + ")");
  ev.changes = std::move(changes);
  if (auto s = SaveCase(who, *c, u, ev, e.guard); !s) return Fail(s.error());
  return GetCase(who, reference);
}

// ---- Lifecycle events -------------------------------------------------------------

Status CaseService::CheckUserParams(const Case& c, const EventRequest& r) {
  for (const ParamSpec& p : EventParams(r.event)) {
    if (p.kind != ParamSpec::Kind::kUser) continue;
    auto it = r.params.find(std::string(p.name));
    if (it == r.params.end()) continue;
    const std::string name = Trim(it->second);
    auto u = store_.GetUser(name);
    if (!u) {
      if (u.error().code == Error::Code::kNotFound) {
        return Fail(msg::Invalid("user.unknown", std::string(p.name), {name}));
      }
      return Fail(u.error());
    }
    if (u->disabled) return Fail(msg::Invalid("user.disabled", std::string(p.name), {name}));
    if (u->role != Role::kMediator && u->role != Role::kManager) {
      return Fail(msg::Invalid("user.not_mediator", std::string(p.name), {name}));
    }
    if (r.event == "take_in_charge" && !u->ToActor().CanSee(c.organisme)) {
      // A mediator of another fund holding a grant on this case may take it.
      auto grants = store_.CaseAccessUsers(Actor::System(), c.reference);
      const bool granted =
          grants && std::find(grants->begin(), grants->end(), name) != grants->end();
      if (!granted) {
        return Fail(msg::Invalid("user.wrong_fund", std::string(p.name), {name, c.organisme}));
      }
    }
  }
  return {};
}

Status CaseService::CheckEventRules(const Caller& who, const Case& c, const EventCall& call) {
  const EventRequest& r = call.request;
  if (r.event == "reopen") {
    if (!who.IsHierarchyOf(c.organisme) && c.assigned_to != who.name()) {
      return Fail(msg::Forbidden("reopen.not_assigned"));
    }
  }
  if (r.event == "recuse") {
    const std::string recused = c.assigned_to.empty() ? who.name() : c.assigned_to;
    if (!who.IsHierarchyOf(c.organisme) && recused != who.name()) {
      return Fail(msg::Forbidden("recuse.own_only"));
    }
    for (const std::string& i : SplitList(Param(r, "interference"))) {
      if (i != "materielle" && i != "geographique" && i != "temporelle") {
        return Fail(msg::Invalid("recuse.interference_unknown", "interference", {i}));
      }
    }
    if (const std::string in = Trim(Param(r, "intensite"));
        !in.empty() && in != "forte" && in != "moderee") {
      return Fail(msg::Invalid("recuse.intensity_unknown", "intensite", {in}));
    }
    const std::string to = Trim(Param(r, "to"));
    if (!to.empty() && to != recused) {
      auto candidates = ReceivingMediators(who, c.reference);
      if (!candidates) return Fail(candidates.error());
      const bool ok = std::any_of(candidates->begin(), candidates->end(),
                                  [&](const User& u) { return u.name == to; });
      if (!ok) {
        // Say precisely why when the user is unknown or disabled.
        if (auto s = CheckUserParams(c, r); !s) return s;
        return Fail(msg::Invalid("recuse.target_not_eligible", "to", {to}));
      }
    }
  } else {
    if (auto s = CheckUserParams(c, r); !s) return s;
  }
  // Nobody is put in charge of a case they recused from; take_in_charge is
  // refused when the links of the mediator suggest a recusal.
  std::string incoming;
  std::string field;
  if (r.event == "take_in_charge") {
    field = "assigned_to";
    incoming = Trim(Param(r, field));
    if (incoming.empty()) incoming = who.name();
  } else if (r.event == "recuse") {
    field = "to";
    incoming = Trim(Param(r, field));
  }
  if (!incoming.empty()) {
    auto recusals = store_.Recusals(Actor::System(), c.reference);
    if (!recusals) return Fail(recusals.error());
    for (const Recusal& rec : *recusals) {
      if (rec.user == incoming && rec.lifted_at.empty()) {
        return Fail(
            msg::Invalid("recuse.already_recused", field, {incoming, rec.at.substr(0, 10)}));
      }
    }
    if (r.event == "take_in_charge") {
      auto a = Assess(who, c.reference, incoming);
      if (!a) return Fail(a.error());
      if (a->recusal_suggested) {
        std::string findings = a->summary;
        for (const ConflictFinding& f : a->findings) {
          if (f.intensity == Intensity::kStrong) findings += " " + f.explanation;
        }
        return Fail(msg::Conflict("conflict.strong", field, {incoming, findings}));
      }
    }
  }
  return {};
}

namespace {

// The report counts empty fields as "non renseigné": closing asks the
// mediator to say so (`after` is the case once closed).
Status CheckClosingFields(const Case& after, const std::vector<std::string>& confirmed) {
  for (std::string_view f : EmptyFieldsForClosing(after)) {
    if (std::find(confirmed.begin(), confirmed.end(), f) == confirmed.end()) {
      return Fail(msg::Conflict("close.unknown_fields", std::string(f), {f}));
    }
  }
  return {};
}

}  // namespace

Result<EventOutcome> CaseService::Apply(const Caller& who, std::string_view reference,
                                        EventCall call) {
  // A partner takes no charge, assigns nothing, decides nothing.
  if (!who.system && who.role() == Role::kPartner) {
    return Fail(msg::Forbidden("partner.read_only"));
  }
  auto c = GetCase(who, reference);
  if (!c) return Fail(c.error());
  if (auto s = CheckVersion(*c, call.guard); !s) return Fail(s.error());
  call.request.actor = who.name();
  if (auto s = CheckEventRules(who, *c, call); !s) return Fail(s.error());
  const Date today = TodayFor(c->organisme);
  Case after = *c;
  auto ev = ApplyEvent(after, call.request, today, Now());
  if (!ev) return Fail(ev.error());
  if (call.request.event == "close") {
    if (auto s = CheckClosingFields(after, call.confirm_unknown); !s) return Fail(s.error());
  }
  ev->changes = DiffCases(*c, after);
  auto year = PublishedYearTouched(*c, after, call.guard);
  if (!year) return Fail(year.error());
  ev->published_year = *year;
  EventOutcome out;
  if (call.request.event != "recuse") {
    if (auto s = store_.UpdateCase(who.actor, after, *ev); !s) return Fail(s.error());
  } else {
    Recusal rec;
    rec.case_reference = c->reference;
    rec.user = c->assigned_to.empty() ? who.name() : c->assigned_to;
    rec.reason = Trim(Param(call.request, "reason"));
    rec.by_user = who.name();
    rec.at = ev->at;
    rec.interest = Trim(Param(call.request, "interet"));
    rec.interference = SplitList(Param(call.request, "interference"));
    rec.intensity = Trim(Param(call.request, "intensite"));
    const std::string to = after.assigned_to;
    auto target = store_.GetUser(to);
    const bool other_fund = target && !target->ToActor().CanSee(c->organisme);
    Status s = store_.InTransaction([&]() -> Status {
      if (auto w = store_.UpdateCaseRecusing(who.actor, after, *ev, rec); !w) return w;
      if (other_fund) {
        return store_.GrantCaseAccess(Actor::System(who.name()), c->reference, to,
                                      "déport de " + rec.user);
      }
      return {};
    });
    if (!s) return Fail(s.error());
    out.still_visible = rec.user != who.name() || who.IsHierarchyOf(c->organisme);
  }
  if (out.still_visible) {
    auto fresh = store_.GetCase(who.actor, reference);
    if (fresh) {
      out.c = std::move(*fresh);
    } else {
      out.still_visible = false;
      out.c = after;
    }
  } else {
    out.c = after;
  }
  return out;
}

}  // namespace amiable::service
