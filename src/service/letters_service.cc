// Letters of a case and the fund's templates (service/letters_service.h).
#include "service/letters_service.h"

#include <algorithm>
#include <cctype>

#include "calendar/calendar.h"
#include "core/lifecycle.h"
#include "core/messages.h"
#include "core/text.h"
#include "letters/pdf.h"

namespace amiable::service {

namespace {

constexpr size_t kMaxLabelBytes = 200;

bool ValidCode(std::string_view code) {
  return !code.empty() && code.size() <= 40 &&
         std::all_of(code.begin(), code.end(), [](unsigned char ch) {
           return std::islower(ch) || std::isdigit(ch) || ch == '_';
         });
}

std::string KindLabel(std::string_view kind) {
  const letters::KindInfo* k = letters::FindKind(kind);
  return k ? std::string(k->label) : std::string(kind);
}

// "courrier-reponse-631-2026-00001-2026-03-16.pdf"
std::string PdfName(std::string_view kind, const std::string& reference, Date today) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"acknowledgement", "accuse-reception"},
      {"admissibility", "recevabilite"},
      {"inadmissibility", "irrecevabilite"},
      {"intermediate", "notification-intermediaire"},
      {"answer", "reponse"},
  };
  std::string name(kind);
  for (const auto& [k, n] : kNames) {
    if (k == kind) name = n;
  }
  return "courrier-" + name + "-" + reference + "-" + today.ToString() + ".pdf";
}

}  // namespace

std::vector<OrientationEntry> DefaultOrientations(std::string_view organisme) {
  static const std::pair<std::string_view, std::string_view> kDefaults[] = {
      {"services_caf", "Services de la Caf (réclamation préalable)"},
      {"cra", "Commission de recours amiable de la Caf"},
      {"action_sociale", "Service d'action sociale de la Caf"},
      {"point_conseil_budget", "Point conseil budget"},
      {"mediation_familiale", "Service de médiation familiale"},
      {"conciliateur_justice", "Conciliateur de justice"},
      {"defenseur_droits", "Défenseur des droits"},
      {"autre_organisme", "Organisme compétent (autre que la Caf)"},
  };
  std::vector<OrientationEntry> out;
  int pos = 0;
  for (const auto& [code, label] : kDefaults) {
    out.push_back({std::string(organisme), std::string(code), std::string(label), pos++});
  }
  return out;
}

std::vector<std::string_view> SuggestedLetterKinds(const Case& c) {
  switch (c.state) {
    case CaseState::kReceived:
      return {"acknowledgement", "inadmissibility"};
    case CaseState::kInadmissible:
      return {"inadmissibility"};
    case CaseState::kTakenInCharge:
      return {"admissibility", "intermediate", "answer"};
    case CaseState::kInProgress:
      return {"answer", "intermediate", "admissibility"};
    case CaseState::kOnHold:
      return {"intermediate", "answer"};
    case CaseState::kAnswered:
    case CaseState::kClosed:
      return {"answer"};
  }
  return {};
}

Status LettersService::CheckHierarchy(const Caller& who, std::string_view organisme) {
  if (!who.actor.CanSee(organisme)) {
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {organisme}));
  }
  if (!who.IsHierarchyOf(organisme)) return Fail(msg::Forbidden("role.manager_required"));
  return {};
}

Result<letters::TemplateSet> LettersService::SetOf(const Caller& who, std::string_view organisme) {
  letters::TemplateSet set;
  auto overrides = store_.LetterTemplates(who.actor, organisme);
  if (!overrides) {
    // A store without letters (older fakes): the defaults.
    if (overrides.error().code == Error::Code::kInternal) return set;
    return Fail(overrides.error());
  }
  for (LetterTemplateOverride& o : *overrides) {
    set.Override(o.kind, {std::move(o.subject), std::move(o.body)});
  }
  return set;
}

Result<std::vector<TemplateEntry>> LettersService::Templates(const Caller& who,
                                                             std::string_view organisme) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  if (!who.actor.CanSee(organisme)) {
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {organisme}));
  }
  auto overrides = store_.LetterTemplates(who.actor, organisme);
  if (!overrides) return Fail(overrides.error());
  std::vector<TemplateEntry> out;
  for (const letters::KindInfo& k : letters::Kinds()) {
    TemplateEntry e;
    e.kind = std::string(k.code);
    e.label = std::string(k.label);
    e.is_letter = k.is_letter;
    letters::TemplateText t = letters::DefaultTemplate(k.code);
    e.subject = t.subject;
    e.body = t.body;
    for (const LetterTemplateOverride& o : *overrides) {
      if (o.kind != k.code) continue;
      e.overridden = true;
      e.subject = o.subject;
      e.body = o.body;
      e.updated_by = o.updated_by;
      e.updated_at = o.updated_at;
    }
    out.push_back(std::move(e));
  }
  return out;
}

Status LettersService::SaveTemplate(const Caller& who, std::string_view organisme,
                                    std::string_view kind, std::string subject, std::string body) {
  if (auto s = CheckHierarchy(who, organisme); !s) return s;
  const letters::KindInfo* k = letters::FindKind(kind);
  if (k == nullptr) return Fail(msg::Invalid("letter.template_unknown", "kind", {kind}));
  body.erase(std::remove(body.begin(), body.end(), '\r'), body.end());
  subject = k->is_letter ? Trim(subject) : std::string();
  if (k->is_letter && subject.empty())
    return Fail(msg::Invalid("letter.subject_required", "subject"));
  if (k->is_letter && Trim(body).empty()) return Fail(msg::Invalid("letter.body_required", "body"));
  if (auto e = letters::CheckTemplate(subject, "subject")) return Fail(*e);
  if (auto e = letters::CheckTemplate(body, "body")) return Fail(*e);
  LetterTemplateOverride o;
  o.organisme = std::string(organisme);
  o.kind = std::string(kind);
  o.subject = std::move(subject);
  o.body = std::move(body);
  o.updated_by = who.name();
  o.updated_at = IsoTimestamp(clock_.Now());
  return store_.SaveLetterTemplate(who.actor, o);
}

Status LettersService::ResetTemplate(const Caller& who, std::string_view organisme,
                                     std::string_view kind) {
  if (auto s = CheckHierarchy(who, organisme); !s) return s;
  if (letters::FindKind(kind) == nullptr) {
    return Fail(msg::Invalid("letter.template_unknown", "kind", {kind}));
  }
  return store_.ResetLetterTemplate(who.actor, organisme, kind);
}

Result<std::vector<OrientationEntry>> LettersService::Orientations(const Caller& who,
                                                                   std::string_view organisme) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  auto list = store_.Orientations(who.actor, organisme);
  if (!list) return Fail(list.error());
  if (list->empty()) return DefaultOrientations(organisme);
  return list;
}

Status LettersService::SaveOrientation(const Caller& who, OrientationEntry e) {
  if (auto s = CheckHierarchy(who, e.organisme); !s) return s;
  e.code = Trim(e.code);
  e.label = Trim(e.label);
  if (!ValidCode(e.code)) return Fail(msg::Invalid("letter.orientation_code", "code"));
  if (e.label.empty() || e.label.size() > kMaxLabelBytes) {
    return Fail(msg::Invalid("letter.orientation_label_required", "label"));
  }
  return store_.InTransaction([&]() -> Status {
    // The first change of a fund keeps the default list it was shown.
    auto list = store_.Orientations(who.actor, e.organisme);
    if (!list) return Fail(list.error());
    if (list->empty()) {
      for (const OrientationEntry& d : DefaultOrientations(e.organisme)) {
        if (d.code == e.code) continue;
        if (auto s = store_.SaveOrientation(who.actor, d); !s) return s;
      }
    }
    return store_.SaveOrientation(who.actor, e);
  });
}

Status LettersService::RemoveOrientation(const Caller& who, std::string_view organisme,
                                         std::string_view code) {
  if (auto s = CheckHierarchy(who, organisme); !s) return s;
  return store_.InTransaction([&]() -> Status {
    auto list = store_.Orientations(who.actor, organisme);
    if (!list) return Fail(list.error());
    if (list->empty()) {
      for (const OrientationEntry& d : DefaultOrientations(organisme)) {
        if (d.code == code) continue;
        if (auto s = store_.SaveOrientation(who.actor, d); !s) return s;
      }
      return {};
    }
    return store_.RemoveOrientation(who.actor, organisme, code);
  });
}

Result<LettersService::Prepared> LettersService::Prepare(const Caller& who,
                                                         std::string_view reference,
                                                         const LetterRequest& r) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  const letters::KindInfo* k = letters::FindKind(r.kind);
  if (k == nullptr || !k->is_letter) {
    return Fail(msg::Invalid("letter.template_unknown", "kind", {r.kind}));
  }
  auto c = store_.GetCase(who.actor, reference);
  if (!c) {
    if (c.error().code == Error::Code::kNotFound) return Fail(msg::NotFound("case.not_found"));
    return Fail(c.error());
  }
  Prepared p;
  p.c = std::move(*c);
  Organisme fund;
  fund.code = p.c.organisme;
  if (auto o = store_.GetOrganisme(p.c.organisme)) fund = *o;
  const WorkCalendar cal{ZoneFromCode(fund.zone).value_or(Zone::kMetropole),
                         fund.whit_monday_worked};
  const Date today = TodayIn(clock_, cal.zone);
  auto people = store_.People(who.actor, reference);
  if (!people) return Fail(people.error());
  std::string mediator;
  if (!p.c.assigned_to.empty()) {
    auto u = store_.GetUser(p.c.assigned_to);
    mediator = u && !u->display_name.empty() ? u->display_name : p.c.assigned_to;
  }
  auto set = SetOf(who, p.c.organisme);
  if (!set) return Fail(set.error());
  p.set = std::move(*set);
  if (r.block) {
    const letters::KindInfo* b = letters::FindKind(r.block->first);
    if (b == nullptr || b->is_letter) {
      return Fail(msg::Invalid("letter.template_unknown", "kind", {r.block->first}));
    }
    if (auto e = letters::CheckTemplate(r.block->second, "body")) return Fail(*e);
    p.set.Override(r.block->first, {"", r.block->second});
  }
  if (r.kind == "inadmissibility" && !r.orientation_code.empty()) {
    auto list = Orientations(who, p.c.organisme);
    if (!list) return Fail(list.error());
    for (const OrientationEntry& e : *list) {
      if (e.code == r.orientation_code) p.orientation = e;
    }
    if (!p.orientation) {
      return Fail(
          msg::Invalid("letter.orientation_unknown", "orientation_code", {r.orientation_code}));
    }
  }
  Case shown = p.c;
  if (p.orientation) {
    shown.orientation = p.orientation->label;
    shown.orientation_code = p.orientation->code;
  }
  p.data = letters::LetterDataFor(shown, fund, *people, mediator, today,
                                  TakeChargeDeadline(cal, p.c.received_on));
  p.data.response = Trim(r.response);
  p.data.waiting_for = Trim(r.waiting_for);
  if (p.data.waiting_for.empty() && r.kind == "intermediate" && p.c.state == CaseState::kOnHold) {
    // What the case waits on: the reason of its last put_on_hold
    // ("Mise en attente le … par … : <reason>").
    if (auto h = store_.History(who.actor, reference)) {
      for (auto it = h->rbegin(); it != h->rend(); ++it) {
        if (it->kind != "put_on_hold") continue;
        const size_t colon = it->detail.find(" : ");
        if (colon != std::string::npos) p.data.waiting_for = Trim(it->detail.substr(colon + 3));
        break;
      }
    }
  }
  return p;
}

Result<LetterPreview> LettersService::Preview(const Caller& who, std::string_view reference,
                                              const LetterRequest& r, bool with_pdf) {
  auto p = Prepare(who, reference, r);
  if (!p) return Fail(p.error());
  auto l = letters::Render(p->set, r.kind, p->data, r.subject, r.body);
  if (!l) return Fail(l.error());
  LetterPreview out;
  out.text = l->EmailText();
  out.html = l->EmailHtml();
  if (with_pdf) {
    auto pdf = letters::RenderPdf(*l);
    if (!pdf) return Fail(msg::Make(Error::Code::kInternal, "letter.pdf_failed"));
    out.pdf = std::move(*pdf);
  }
  out.letter = std::move(*l);
  return out;
}

Result<SentLetter> LettersService::Send(const Caller& who, std::string_view reference,
                                        const LetterRequest& r, std::string_view mode) {
  if (mode != "courriel" && mode != "courrier") {
    return Fail(msg::Invalid("letter.mode_unknown", "mode", {mode}));
  }
  if (r.kind == "inadmissibility" && r.orientation_code.empty()) {
    // The orientation of an inadmissible request comes from the fund's list.
    auto c = store_.GetCase(who.actor, reference);
    if (c && !c->orientation_code) {
      return Fail(msg::Invalid("letter.orientation_required", "orientation_code"));
    }
  }
  auto p = Prepare(who, reference, r);
  if (!p) return Fail(p.error());
  auto l = letters::Render(p->set, r.kind, p->data, r.subject, r.body);
  if (!l) return Fail(l.error());
  if (Trim(l->body_text).empty()) return Fail(msg::Invalid("letter.body_required", "body"));
  const Case& c = p->c;
  // Every message carries the case reference in its subject.
  if (l->subject.find(c.reference) == std::string::npos) {
    l->subject += " — " + c.reference;
  }
  const std::string now = IsoTimestamp(clock_.Now());
  CaseService cases(store_, clock_, files_);
  const Date today = cases.TodayFor(c.organisme);
  SentLetter out;
  out.record.case_reference = c.reference;
  out.record.kind = r.kind;
  out.record.mode = std::string(mode);
  out.record.subject = l->subject;
  out.record.body_text = l->EmailText();
  out.record.created_by = who.name();
  out.record.created_at = now;

  std::optional<std::string> saved_key;
  if (mode == "courriel") {
    if (p->data.requester_email.empty()) return Fail(msg::Invalid("letter.no_email", "mode"));
    if (!r.in_reply_to.empty()) {
      auto received = store_.CaseReceived(who.actor, c.reference);
      if (!received) return Fail(received.error());
      const bool of_case =
          std::any_of(received->begin(), received->end(), [&](const ReceivedMessageRow& x) {
            return x.message_id == r.in_reply_to && x.case_reference == c.reference;
          });
      if (!of_case) return Fail(msg::Invalid("letter.in_reply_to_unknown", "in_reply_to"));
    }
  } else {
    if (files_ == nullptr) {
      return Fail(msg::Make(Error::Code::kInternal, "letter.no_document_folder"));
    }
    auto pdf = letters::RenderPdf(*l);
    if (!pdf) return Fail(msg::Make(Error::Code::kInternal, "letter.pdf_failed"));
    out.pdf = std::move(*pdf);
    auto key = files_->Save(out.pdf);
    if (!key) return Fail(msg::Make(Error::Code::kInternal, "document.store_failed", "file"));
    saved_key = *key;
  }

  Status s = store_.InTransaction([&]() -> Status {
    std::string how;
    if (mode == "courriel") {
      OutboxMessage m;
      m.kind = "letter:" + r.kind;
      m.recipient = p->data.requester_email;
      m.subject = l->subject;
      m.body = l->EmailText();
      m.body_html = l->EmailHtml();
      m.case_reference = c.reference;
      m.organisme = c.organisme;
      m.in_reply_to = r.in_reply_to;
      auto q = store_.QueueOutbox(who.actor, m);
      if (!q) return Fail(q.error());
      out.outbox = *q;
      out.record.outbox_id = q->id;
      how = "envoyé par courriel à " + m.recipient;
    } else {
      DocumentMeta d;
      d.file_name = PdfName(r.kind, c.reference, today);
      d.content_type = "application/pdf";
      d.size_bytes = static_cast<int64_t>(out.pdf.size());
      d.storage_key = *saved_key;
      d.sha256 = files_->Sha256Hex(out.pdf);
      d.uploaded_by = who.name();
      d.uploaded_at = now;
      if (auto a = store_.AddDocument(who.actor, c.reference, d); !a) return a;
      auto docs = store_.Documents(who.actor, c.reference);
      if (!docs) return Fail(docs.error());
      for (const DocumentMeta& x : *docs) {
        if (x.storage_key == d.storage_key) d.id = x.id;
      }
      out.document = d;
      out.record.document_id = d.id;
      how = "produit pour l'envoi postal (" + d.file_name + ")";
    }
    auto id = store_.AddLetter(who.actor, c.reference, out.record);
    if (!id) return Fail(id.error());
    out.record.id = *id;
    CaseEvent ev;
    ev.at = now;
    ev.actor = who.name();
    ev.kind = "letter";
    ev.detail = "Courrier « " + KindLabel(r.kind) + " » " + how + " — objet : " + l->subject;
    ev.changes = {{"letter_mode", "", std::string(mode)},
                  {"letter_subject", "", l->subject},
                  {"letter_body", "", out.record.body_text}};
    if (auto a = store_.AppendEvent(who.actor, c.reference, ev); !a) return a;
    if (p->orientation) {
      // The chosen entry of the fund's list: its label and its code.
      auto fresh = store_.GetCase(who.actor, c.reference);
      if (!fresh) return Fail(fresh.error());
      Case after = *fresh;
      after.orientation = p->orientation->label;
      after.orientation_code = p->orientation->code;
      CaseEvent oe;
      oe.at = now;
      oe.actor = who.name();
      oe.kind = "update";
      oe.changes = DiffCases(*fresh, after);
      if (!oe.changes.empty()) {
        oe.detail = "Orientation : " + p->orientation->label + " (courrier)";
        if (auto u = store_.UpdateCase(who.actor, after, oe); !u) return u;
      }
    }
    if (r.kind == "answer") {
      auto fresh = store_.GetCase(who.actor, c.reference);
      if (!fresh) return Fail(fresh.error());
      const auto allowed = AllowedEvents(*fresh);
      if (std::find(allowed.begin(), allowed.end(), "answer") != allowed.end()) {
        EventCall call;
        call.request.event = "answer";
        call.request.date = today;
        call.request.params["response_modes"] = std::string(mode);
        auto a = cases.Apply(who, c.reference, call);
        if (!a) return Fail(a.error());
      }
    }
    return {};
  });
  if (!s) {
    if (saved_key) files_->Remove(*saved_key);
    return Fail(s.error());
  }
  return out;
}

Result<std::vector<LetterRecord>> LettersService::CaseLetters(const Caller& who,
                                                              std::string_view reference) {
  if (who.IsStatisticsReader()) return Fail(msg::Forbidden("role.no_case_access"));
  auto l = store_.CaseLetters(who.actor, reference);
  if (!l && l.error().code == Error::Code::kNotFound) return Fail(msg::NotFound("case.not_found"));
  return l;
}

}  // namespace amiable::service
