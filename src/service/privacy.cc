#include "service/privacy.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "core/french_format.h"
#include "core/messages.h"
#include "figures/figures.h"
#include "figures/frozen.h"
#include "letters/pdf.h"
#include "service/mailbox_poller.h"

namespace amiable::service {

namespace {

using Json = nlohmann::ordered_json;

constexpr int kBatch = 200;

Date MinusYears(Date d, int years) {
  const int y = d.year() - years;
  const int day = std::min(d.day(), DaysInMonth(y, d.month()));
  return Date::FromCivil(y, d.month(), day);
}

std::string Opt(const std::optional<std::string>& s) { return s.value_or(""); }
std::string OptDate(const std::optional<Date>& d) { return d ? d->ToString() : ""; }

}  // namespace

std::string DefaultPublicText(std::string_view kind, std::string_view fund_name) {
  const std::string fund(fund_name);
  if (kind == "donnees_personnelles") {
    return "Le médiateur de la " + fund +
           " traite les données que vous lui confiez (identité, numéro d'allocataire, "
           "coordonnées, description de votre situation, pièces jointes) pour instruire votre "
           "demande de médiation. Ce traitement relève de la mission de service public de la "
           "Caf.\n\n"
           "Seuls le médiateur et les personnes qu'il désigne pour instruire votre demande y ont "
           "accès. Les dossiers clos sont anonymisés à l'issue de la durée de conservation fixée "
           "par l'organisme : les noms, numéros, coordonnées, textes libres, courriers et "
           "documents sont alors supprimés ; seules restent les données statistiques.\n\n"
           "Vous pouvez demander l'accès à vos données, leur rectification ou leur effacement, "
           "et vous opposer à leur traitement, en écrivant au médiateur ou au délégué à la "
           "protection des données de la Caf. Si vous estimez que vos droits ne sont pas "
           "respectés, vous pouvez adresser une réclamation à la CNIL (www.cnil.fr).";
  }
  if (kind == "accessibilite") {
    return "La " + fund +
           " s'engage à rendre ce formulaire accessible conformément à l'article 47 de la loi "
           "n° 2005-102 du 11 février 2005.\n\n"
           "État de conformité : ce formulaire est partiellement conforme au référentiel général "
           "d'amélioration de l'accessibilité (RGAA), version 4.1. Aucun audit complet n'a encore "
           "été réalisé.\n\n"
           "Retour d'information et contact : si vous n'arrivez pas à accéder à un contenu ou à "
           "un service, vous pouvez contacter le médiateur de la Caf pour être orienté vers une "
           "alternative accessible ou obtenir le contenu sous une autre forme (courrier, "
           "téléphone, accueil).\n\n"
           "Voies de recours : si vous avez signalé un défaut d'accessibilité qui vous empêche "
           "d'accéder à un contenu ou à un service et que vous n'avez pas obtenu de réponse "
           "satisfaisante, vous pouvez écrire au Défenseur des droits "
           "(www.defenseurdesdroits.fr), contacter le délégué du Défenseur des droits de votre "
           "région, ou envoyer un courrier gratuit, sans affranchissement, à : Défenseur des "
           "droits, Libre réponse 71120, 75342 Paris CEDEX 07.";
  }
  return "";
}

PrivacyStore& PrivacyService::ps() {
  static PrivacyStore none;
  PrivacyStore* p = PrivacyOf(store_);
  return p != nullptr ? *p : none;
}

Status PrivacyService::CheckAdmin(const Caller& who, std::string_view organisme) {
  if (who.system) return {};
  if (who.role() == Role::kAdministrator && who.actor.CanSee(organisme)) return {};
  return Fail(msg::Forbidden("privacy.admin_only"));
}

Status PrivacyService::SetRetention(const Caller& who, std::string_view organisme,
                                    std::optional<int> years) {
  if (auto s = CheckAdmin(who, organisme); !s) return s;
  if (years && (*years < 1 || *years > 100)) {
    return Fail(msg::Invalid("privacy.retention_range", "retention_years",
                             {std::to_string(*years)}));
  }
  return ps().SetRetentionYears(who.actor, organisme, years);
}

Result<int64_t> PrivacyService::FinishPendingFiles() {
  int64_t n = 0;
  for (;;) {
    auto keys = ps().PendingFileKeys(kBatch);
    if (!keys) return Fail(keys.error());
    if (keys->empty()) break;
    for (const std::string& k : *keys) {
      if (files_ != nullptr) files_->Remove(k);
      if (auto s = ps().ForgetPendingFile(k); !s) return Fail(s.error());
      ++n;
    }
    if (files_ == nullptr) break;
  }
  return n;
}

Result<AnonymiseOutcome> PrivacyService::Anonymise(const Caller& who, const AnonymiseRequest& r) {
  if (auto s = CheckAdmin(who, r.organisme); !s) return Fail(s.error());
  auto fund = store_.GetOrganisme(r.organisme);
  if (!fund) return Fail(fund.error());
  AnonymiseOutcome out;
  out.organisme = r.organisme;
  out.dry_run = r.dry_run;
  const auto zone = ZoneFromCode(fund->zone).value_or(Zone::kMetropole);
  const Date today = TodayIn(clock_, zone);
  if (r.before) {
    out.before = *r.before;
  } else {
    auto years = ps().RetentionYears(r.organisme);
    if (!years) return Fail(years.error());
    if (!*years) return Fail(msg::Invalid("privacy.no_retention", "organisme", {r.organisme}));
    out.before = MinusYears(today, **years);
  }
  if (out.before > today) {
    return Fail(msg::Invalid("privacy.before_future", "before", {out.before.ToString()}));
  }
  if (r.dry_run) {
    // Every candidate, nothing written.
    auto all = ps().CasesToAnonymise(r.organisme, out.before, 10'000'000);
    if (!all) return Fail(all.error());
    out.cases = std::move(*all);
    return out;
  }
  // What a crash left after an earlier commit, first.
  auto left = FinishPendingFiles();
  if (!left) return Fail(left.error());
  out.files_deleted += *left;
  for (;;) {
    auto batch = ps().CasesToAnonymise(r.organisme, out.before, kBatch);
    if (!batch) return Fail(batch.error());
    for (RetentionCase& c : *batch) {
      // One transaction per case; its files deleted once it committed.
      auto res = ps().AnonymiseCase(who.actor, c.id, today);
      if (!res) return Fail(res.error());
      out.removed.people += res->people;
      out.removed.notes += res->notes;
      out.removed.documents += res->documents;
      out.removed.letters += res->letters;
      out.removed.messages += res->messages;
      out.removed.events += res->events;
      for (const std::string& k : res->file_keys) {
        if (files_ == nullptr) continue;
        files_->Remove(k);
        if (auto s = ps().ForgetPendingFile(k); !s) return Fail(s.error());
        ++out.files_deleted;
      }
      out.cases.push_back(std::move(c));
    }
    if (static_cast<int>(batch->size()) < kBatch) break;
  }
  if (!out.cases.empty()) ps().ScrubFreedSpace();
  return out;
}

Result<std::vector<AnonymiseOutcome>> PrivacyService::AnonymiseDue(const Caller& who) {
  auto funds = store_.ListOrganismes();
  if (!funds) return Fail(funds.error());
  std::vector<AnonymiseOutcome> out;
  for (const Organisme& o : *funds) {
    auto years = ps().RetentionYears(o.code);
    if (!years) return Fail(years.error());
    if (!*years) continue;
    AnonymiseRequest r;
    r.organisme = o.code;
    auto res = Anonymise(who, r);
    if (!res) return Fail(res.error());
    out.push_back(std::move(*res));
  }
  if (auto left = FinishPendingFiles(); !left) return Fail(left.error());
  return out;
}

Result<PurgeOutcome> PrivacyService::Purge(const Caller& who, std::string_view organisme) {
  if (auto s = CheckAdmin(who, organisme.empty() ? std::string_view("*") : organisme);
      !s && !who.system) {
    return Fail(s.error());
  }
  auto cases = ps().AnonymisedCases(organisme);
  if (!cases) return Fail(cases.error());
  PurgeOutcome out;
  // Freeze first: each fund's figures of every year its purged cases count
  // in, computed now (frozen years stay as they are).
  std::set<std::pair<std::string, int>> years;
  for (const RetentionCase& c : *cases) {
    for (int y : c.years) years.insert({c.organisme, y});
  }
  const Date as_of = TodayIn(clock_, Zone::kMetropole);
  for (const auto& [org, year] : years) {
    auto existing = ps().FrozenFiguresOf(org, year);
    if (!existing) return Fail(existing.error());
    if (*existing) continue;
    auto f = ComputeFigures(store_, {org}, year, as_of);
    if (!f) return Fail(f.error());
    FrozenFiguresRow row;
    row.organisme = org;
    row.year = year;
    row.figures_json = FiguresToJson(*f);
    row.state_json = FrozenStateToJson(*f);
    if (auto s = ps().FreezeFigures(who.actor, row); !s) return Fail(s.error());
    out.frozen.emplace_back(org, year);
  }
  for (const RetentionCase& c : *cases) {
    if (auto s = ps().DeleteAnonymisedCase(who.actor, c.id); !s) return Fail(s.error());
    ++out.cases;
  }
  if (out.cases > 0) ps().ScrubFreedSpace();
  return out;
}

// ---- Access requests ------------------------------------------------------------

Result<std::string> PrivacyService::SubjectJson(const Caller& who, std::string_view organisme,
                                                std::string_view number, std::string* text,
                                                std::string* name,
                                                std::vector<std::string>* address) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  auto fund = store_.GetOrganisme(organisme);
  if (!fund) return Fail(fund.error());
  std::vector<Case> mine;
  const std::string org(organisme);
  Status st = store_.ForEachCase(who.actor, std::span<const std::string>(&org, 1), std::nullopt,
                                 [&](const Case& c) {
                                   if (c.allocataire_number && *c.allocataire_number == number) {
                                     mine.push_back(c);
                                   }
                                 });
  if (!st) return Fail(st.error());
  if (mine.empty()) {
    return Fail(msg::NotFound("privacy.subject_unknown", {std::string(number), org}));
  }
  Json j = Json::object();
  j["format"] = "amiable-access-request";
  j["organisme"] = org;
  j["organisme_name"] = fund->name;
  j["allocataire_number"] = std::string(number);
  j["produced_on"] = TodayIn(clock_, ZoneFromCode(fund->zone).value_or(Zone::kMetropole))
                         .ToString();
  Json list = Json::array();
  std::string body;
  body += "Numéro d'allocataire : " + std::string(number) + "\n" +
          "Organisme : " + fund->name + "\n" + "Nombre de dossiers : " +
          std::to_string(mine.size()) + "\n\n";
  for (const Case& c : mine) {
    Json cj = Json::object();
    cj["reference"] = c.reference;
    cj["received_on"] = c.received_on.ToString();
    cj["state"] = StateCode(c.state);
    cj["channel"] = Opt(c.channel);
    cj["emitter"] = Opt(c.emitter);
    cj["allocataire_number"] = Opt(c.allocataire_number);
    cj["description"] = c.description;
    cj["taken_in_charge_on"] = OptDate(c.taken_in_charge_on);
    cj["answered_on"] = OptDate(c.answered_on);
    cj["closed_on"] = OptDate(c.closed_on);
    cj["resolution"] = Opt(c.resolution);
    cj["household"] = Opt(c.household);
    cj["activity"] = Opt(c.activity);
    cj["quotient_familial"] =
        c.quotient_familial ? Json(*c.quotient_familial) : Json(nullptr);
    body += "Dossier " + c.reference + " — reçu le " + fr::LongDate(c.received_on) + " — " +
            StateLabel(c.state) + "\n";
    if (!c.description.empty()) body += "Votre demande : " + c.description + "\n";
    body += "\n";

    Json people = Json::array();
    if (auto p = store_.People(who.actor, c.reference)) {
      for (const Person& x : *p) {
        people.push_back({{"role", PersonRoleCode(x.role)},
                          {"name", x.name},
                          {"organisation", x.organisation},
                          {"email", x.email},
                          {"phone", x.phone},
                          {"address", x.address},
                          {"function", x.function}});
        body += "Personne (" + std::string(x.role == PersonRole::kBeneficiary ? "allocataire"
                                           : x.role == PersonRole::kEmitter   ? "auteur de la demande"
                                                                              : "bailleur") +
                ") : " + x.name;
        if (!x.email.empty()) body += ", " + x.email;
        if (!x.phone.empty()) body += ", " + x.phone;
        if (!x.address.empty()) body += ", " + x.address;
        body += "\n";
        if (x.role == PersonRole::kBeneficiary && name != nullptr && name->empty()) {
          *name = x.name;
          if (address != nullptr && !x.address.empty()) {
            size_t start = 0;
            for (size_t i = 0; i <= x.address.size(); ++i) {
              if (i == x.address.size() || x.address[i] == '\n') {
                if (i > start) address->push_back(x.address.substr(start, i - start));
                start = i + 1;
              }
            }
          }
        }
      }
    } else {
      return Fail(p.error());
    }
    cj["people"] = std::move(people);

    Json notes = Json::array();
    if (auto n = store_.Notes(who.actor, c.reference)) {
      for (const Note& x : *n) {
        notes.push_back({{"created_at", x.created_at}, {"author", x.author}, {"text", x.text}});
        body += "Note du " + x.created_at.substr(0, 10) + " : " + x.text + "\n";
      }
    }
    cj["notes"] = std::move(notes);

    Json docs = Json::array();
    if (auto d = store_.Documents(who.actor, c.reference)) {
      for (const DocumentMeta& x : *d) {
        docs.push_back({{"file_name", x.file_name},
                        {"content_type", x.content_type},
                        {"size_bytes", x.size_bytes},
                        {"uploaded_at", x.uploaded_at}});
        body += "Document : " + x.file_name + " (" + x.content_type + ", " +
                std::to_string(x.size_bytes) + " octets)\n";
      }
    }
    cj["documents"] = std::move(docs);

    Json letters = Json::array();
    if (auto l = store_.CaseLetters(who.actor, c.reference)) {
      for (const LetterRecord& x : *l) {
        letters.push_back({{"created_at", x.created_at},
                           {"kind", x.kind},
                           {"mode", x.mode},
                           {"subject", x.subject},
                           {"body", x.body_text}});
        body += "Courrier du " + x.created_at.substr(0, 10) + " : " + x.subject + "\n" +
                x.body_text + "\n";
      }
    }
    cj["letters"] = std::move(letters);

    Json messages = Json::array();
    if (auto o = store_.CaseOutbox(who.actor, c.reference)) {
      for (const OutboxMessage& x : *o) {
        messages.push_back({{"direction", "sent"},
                            {"at", x.sent_at.empty() ? x.created_at : x.sent_at},
                            {"to", x.recipient},
                            {"subject", x.subject},
                            {"body", x.body}});
        body += "Message envoyé le " + x.created_at.substr(0, 10) + " à " + x.recipient +
                " : " + x.subject + "\n" + x.body + "\n";
      }
    }
    if (auto rcv = store_.CaseReceived(who.actor, c.reference)) {
      for (const ReceivedMessageRow& x : *rcv) {
        messages.push_back({{"direction", "received"},
                            {"at", x.received_at},
                            {"from", x.from_address},
                            {"subject", x.subject},
                            {"body", x.body_text}});
        body += "Message reçu le " + x.received_at.substr(0, 10) + " de " + x.from_address +
                " : " + x.subject + "\n" + x.body_text + "\n";
      }
    }
    cj["messages"] = std::move(messages);

    Json history = Json::array();
    if (auto h = store_.History(who.actor, c.reference)) {
      for (const CaseEvent& e : *h) {
        history.push_back({{"at", e.at}, {"kind", e.kind}, {"detail", e.detail}});
      }
    }
    cj["history"] = std::move(history);
    body += "\n";
    list.push_back(std::move(cj));
  }
  j["cases"] = std::move(list);
  if (text != nullptr) *text = std::move(body);
  if (auto s = store_.Audit(who.actor, "privacy.export", org + " " + std::string(number)); !s) {
    return Fail(s.error());
  }
  return j.dump(1);
}

Result<std::string> PrivacyService::ExportJson(const Caller& who, std::string_view organisme,
                                               std::string_view number) {
  return SubjectJson(who, organisme, number, nullptr, nullptr, nullptr);
}

Result<std::string> PrivacyService::ExportPdf(const Caller& who, std::string_view organisme,
                                              std::string_view number) {
  std::string body, name;
  std::vector<std::string> address;
  auto j = SubjectJson(who, organisme, number, &body, &name, &address);
  if (!j) return Fail(j.error());
  auto fund = store_.GetOrganisme(organisme);
  if (!fund) return Fail(fund.error());
  letters::Rendered r;
  r.kind = "acces_donnees";
  r.subject = "Vos données personnelles (demande d'accès)";
  r.body_text =
      "Madame, Monsieur,\n\nEn réponse à votre demande d'accès (article 15 du règlement "
      "général sur la protection des données), voici les données que le médiateur de la " +
      fund->name + " conserve à votre sujet.\n\n" + body +
      "Vous pouvez en demander la rectification au médiateur. Si vous estimez que vos droits "
      "ne sont pas respectés, vous pouvez saisir la CNIL (www.cnil.fr).";
  r.signature = "Le médiateur";
  r.letterhead = {fund->name, "Médiation"};
  r.today = fr::LongDate(TodayIn(clock_, ZoneFromCode(fund->zone).value_or(Zone::kMetropole)));
  r.reference = "Allocataire n° " + std::string(number);
  r.recipient_name = name;
  r.recipient_address = address;
  return letters::RenderPdf(r);
}

// ---- Rectification ------------------------------------------------------------

Status PrivacyService::Rectify(const Caller& who, std::string_view reference,
                               std::string_view field, std::string_view value,
                               std::string_view reason) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  if (reason.empty()) return Fail(msg::Invalid("privacy.reason_required", "reason"));
  const std::string f(field), v(value);
  return store_.InTransaction([&]() -> Status {
    auto c = store_.GetCase(who.actor, reference);
    if (!c) return Fail(c.error());
    CaseEvent ev;
    ev.at = IsoTimestamp(clock_.Now());
    ev.actor = who.name();
    ev.kind = "rectification";
    ev.detail = "Rectification de « " + f + " » (motif : " + std::string(reason) + ")";
    if (f == "allocataire_number" || f == "description") {
      Case u = *c;
      if (f == "allocataire_number") {
        u.allocataire_number = v.empty() ? std::nullopt : std::optional<std::string>(v);
      } else {
        u.description = v;
      }
      ev.changes = DiffCases(*c, u);
      if (ev.changes.empty()) return {};
      return store_.UpdateCase(who.actor, u, ev);
    }
    if (f.starts_with("beneficiary.")) {
      const std::string sub = f.substr(12);
      auto people = store_.People(who.actor, reference);
      if (!people) return Fail(people.error());
      Person p;
      p.role = PersonRole::kBeneficiary;
      for (const Person& x : *people) {
        if (x.role == PersonRole::kBeneficiary) {
          p = x;
          break;
        }
      }
      std::string* slot = sub == "name"      ? &p.name
                          : sub == "email"   ? &p.email
                          : sub == "phone"   ? &p.phone
                          : sub == "address" ? &p.address
                                             : nullptr;
      if (slot == nullptr) return Fail(msg::Invalid("privacy.field_unknown", "field", {f}));
      if (*slot == v) return {};
      ev.changes.push_back({f, *slot, v});
      *slot = v;
      if (auto id = store_.SavePerson(who.actor, reference, p); !id) return Fail(id.error());
      return store_.AppendEvent(who.actor, reference, ev);
    }
    return Fail(msg::Invalid("privacy.field_unknown", "field", {f}));
  });
}

// ---- Public texts -------------------------------------------------------------

Result<std::string> PrivacyService::PublicTextOf(std::string_view organisme,
                                                 std::string_view kind) {
  auto fund = store_.GetOrganisme(organisme);
  if (!fund) return Fail(fund.error());
  auto t = ps().GetPublicText(organisme, kind);
  if (!t) return Fail(t.error());
  if (*t && !(*t)->text.empty()) return (*t)->text;
  return DefaultPublicText(kind, fund->name);
}

Status PrivacyService::SavePublicText(const Caller& who, std::string_view organisme,
                                      std::string_view kind, std::string text) {
  if (auto s = CheckAdmin(who, organisme); !s) return s;
  if (DefaultPublicText(kind, "").empty()) {
    return Fail(msg::Invalid("privacy.public_text_kind", "kind", {std::string(kind)}));
  }
  if (text.size() > 100000) return Fail(msg::Invalid("privacy.public_text_long", "text"));
  PublicText t;
  t.organisme = std::string(organisme);
  t.kind = std::string(kind);
  t.text = std::move(text);
  t.updated_by = who.name();
  t.updated_at = IsoTimestamp(clock_.Now());
  return ps().SavePublicText(who.actor, t);
}

// ---- The daily run ---------------------------------------------------------------

namespace {

// Whether some fund has a retention period (store errors: as if one had, so
// that the run reports them).
bool AnyRetention(Store& store) {
  PrivacyStore* p = PrivacyOf(store);
  if (p == nullptr) return false;
  auto funds = store.ListOrganismes();
  if (!funds) return true;
  for (const Organisme& o : *funds) {
    auto y = p->RetentionYears(o.code);
    if (!y || *y) return true;
  }
  return false;
}

}  // namespace

RetentionWorker::RetentionWorker(std::string db_url, const Clock& clock,
                                 const DocumentFiles& files, std::chrono::milliseconds interval)
    : db_url_(std::move(db_url)),
      clock_(clock),
      files_(files),
      interval_(interval),
      thread_([this] { Run(); }) {}

RetentionWorker::~RetentionWorker() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void RetentionWorker::Run() {
  const std::string owner = DefaultLeaseOwner();
  std::optional<Date> last_day;
  for (;;) {
    {
      std::unique_lock<std::mutex> l(mu_);
      if (stop_) return;
    }
    const Date today = TodayIn(clock_, Zone::kMetropole);
    if (!last_day || *last_day != today) {
      auto store = Store::Open(db_url_);
      if (!store) {
        std::fprintf(stderr, "retention error=\"cannot open the store\"\n");
      } else if (!AnyRetention(**store)) {
        last_day = today;  // no fund has a retention period: nothing to do, nothing written
      } else {
        const Instant now = clock_.Now();
        const std::string until = IsoTimestamp(now + std::chrono::hours(1));
        auto lease = (*store)->AcquireMailboxLease("privacy:retention", owner,
                                                   IsoTimestamp(now), until);
        if (lease && *lease) {
          PrivacyService svc(**store, clock_, &files_);
          auto out = svc.AnonymiseDue(Caller::System("retention"));
          if (!out) {
            std::fprintf(stderr, "retention error=\"%s\"\n", ToString(out.error()).c_str());
          } else {
            for (const AnonymiseOutcome& o : *out) {
              std::fprintf(stderr, "retention organisme=%s before=%s cases=%zu files=%lld\n",
                           o.organisme.c_str(), o.before.ToString().c_str(), o.cases.size(),
                           static_cast<long long>(o.files_deleted));
            }
            last_day = today;
          }
          (void)(*store)->ReleaseMailboxLease("privacy:retention", owner);
        } else if (lease) {
          last_day = today;  // another server runs it today
        }
      }
    }
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait_for(l, interval_, [this] { return stop_; });
  }
}

}  // namespace amiable::service
