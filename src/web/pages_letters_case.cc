// The letters of a case, /dossiers/{ref}/courriers (web/pages_letters.h),
// and the "Courriers" section of the case page.
#include <httplib.h>

#include "core/text.h"
#include "letters/templates.h"
#include "service/letters_service.h"
#include "web/pages_letters.h"
#include "web/web_service.h"

namespace amiable::web::pages {

namespace {

std::string KindLabel(std::string_view kind) {
  const letters::KindInfo* k = letters::FindKind(kind);
  return k ? std::string(k->label) : std::string(kind);
}

List LetterRows(const std::string& ref, const std::vector<LetterRecord>& letters,
                const std::map<std::string, std::string>& names) {
  List rows;
  for (auto it = letters.rbegin(); it != letters.rend(); ++it) {
    Data r;
    r.set("at", DateTimeFr(it->created_at));
    r.set("kind", KindLabel(it->kind));
    r.set("subject", it->subject);
    r.set("mode", it->mode == "courriel" ? "Courriel" : "Courrier postal");
    auto n = names.find(it->created_by);
    r.set("by", n == names.end() || n->second.empty() ? it->created_by : n->second);
    if (it->document_id) {
      r.set("pdf_url", CaseUrl(ref) + "/documents/" + std::to_string(*it->document_id));
    }
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

void AddCaseLettersSection(const Case& c, const std::vector<LetterRecord>& letters,
                           const std::map<std::string, std::string>& user_names, Data& d) {
  List kinds;
  for (std::string_view k : service::SuggestedLetterKinds(c)) {
    Data kd;
    kd.set("label", KindLabel(k));
    kd.set("url", CaseUrl(c.reference) + "/courriers?modele=" + std::string(k));
    kinds.push_back(kd);
  }
  d.set("letter_kinds", kinds);
  d.set("letters_url", CaseUrl(c.reference) + "/courriers");
  d.set("letters", LetterRows(c.reference, letters, user_names));
  d.set("has_letters", !letters.empty());
}

Data CaseLettersView(const CaseLettersInput& in) {
  Data d;
  const std::string& ref = in.c.reference;
  d.set("title", "Courriers du dossier " + ref);
  d.set("reference", ref);
  d.set("case_url", CaseUrl(ref));
  d.set("url", CaseUrl(ref) + "/courriers");
  d.set("state", StateLabel(in.c.state));
  List kinds;
  auto add = [&](std::string_view code, bool suggested) {
    Data k;
    k.set("code", std::string(code));
    k.set("label", KindLabel(code) + (suggested ? " (proposé)" : ""));
    k.set("selected", code == in.kind);
    kinds.push_back(k);
  };
  for (std::string_view s : in.suggested) add(s, true);
  for (const letters::KindInfo& k : letters::Kinds()) {
    if (!k.is_letter) continue;
    if (std::find(in.suggested.begin(), in.suggested.end(), k.code) != in.suggested.end()) continue;
    add(k.code, false);
  }
  d.set("kinds", kinds);
  d.set("kind", in.kind);
  d.set("kind_label", KindLabel(in.kind));
  const bool inadmissibility = in.kind == "inadmissibility";
  d.set("inadmissibility", inadmissibility);
  List orient;
  for (const OrientationEntry& e : in.orientations) {
    Data o;
    o.set("code", e.code);
    o.set("label", e.label);
    o.set("selected", e.code == in.orientation_code);
    orient.push_back(o);
  }
  d.set("orientations", orient);
  d.set("orientation_code", in.orientation_code);
  d.set("subject", in.subject);
  d.set("body", in.body);
  d.set("has_email", in.has_email);
  if (in.preview != nullptr) {
    Data p;
    p.set("recipient", in.preview->letter.recipient_name.empty()
                           ? std::string("(demandeur non renseigné)")
                           : in.preview->letter.recipient_name);
    List addr;
    for (const std::string& a : in.preview->letter.recipient_address) addr.push_back(Data(a));
    p.set("address", addr);
    p.set("date_line", in.preview->letter.DateLine());
    p.set("subject", in.preview->letter.subject);
    p.set("text", in.preview->text);
    d.set("preview", p);
  }
  Data err;
  if (!in.error.empty()) {
    const std::string field = in.error_field == "subject" || in.error_field == "body" ||
                                      in.error_field == "orientation_code" ||
                                      in.error_field == "mode"
                                  ? in.error_field
                                  : "body";
    err.set(field, in.error);
    d.set("has_error", true);
    d.set("error", in.error);
    d.set("error_field", "lt-" + field);
  }
  d.set("err", err);
  d.set("letters", LetterRows(ref, in.letters, in.user_names));
  d.set("has_letters", !in.letters.empty());
  if (in.download_id > 0) {
    d.set("download_url", CaseUrl(ref) + "/documents/" + std::to_string(in.download_id));
  }
  if (in.reply_to_id > 0) {
    Data r;
    r.set("id", std::to_string(in.reply_to_id));
    r.set("from", in.reply_to_from);
    r.set("subject", in.reply_to_subject.empty() ? std::string("(sans objet)") : in.reply_to_subject);
    r.set("at", DateTimeFr(in.reply_to_at));
    d.set("reply_to", r);
  }
  return d;
}

namespace {

// The message answered (?reponse_a= / the posted reponse_a): a received row
// of this case the user sees, else none.
std::optional<ReceivedMessageRow> ReplyTo(Store& store, const Signed& who, const Fields& f,
                                          const std::string& ref) {
  const std::string id = Field(f, "reponse_a");
  if (id.empty() || id.size() > 18 || !std::all_of(id.begin(), id.end(), ::isdigit)) {
    return std::nullopt;
  }
  auto row = store.GetReceived(who.actor, std::stoll(id));
  if (!row || row->case_reference != ref) return std::nullopt;
  return *row;
}

void LettersPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res, const Fields& f, bool posted, std::string error,
                 std::string error_field, int status) {
  const std::string ref = req.matches[1];
  const service::Caller caller = service::Caller::OfUser(who.user);
  WebService web(*env.ctx, store);
  service::LettersService svc(store, web.clock());
  auto c = web->GetCase(caller, ref);
  if (!c) {
    if (c.error().code == Error::Code::kNotFound) {
      return SendErrorPage(env, res, 404, msg::Find("case.not_found"), &who);
    }
    return SendErrorPage(env, res, ErrorStatus(c.error()), ErrorText(c.error()), &who);
  }
  CaseLettersInput in;
  in.c = *c;
  in.suggested = service::SuggestedLetterKinds(*c);
  in.kind = Field(f, "modele");
  const letters::KindInfo* k = letters::FindKind(in.kind);
  if (k == nullptr || !k->is_letter) {
    in.kind = in.suggested.empty() ? "acknowledgement" : std::string(in.suggested.front());
  }
  if (auto o = svc.Orientations(caller, c->organisme)) in.orientations = std::move(*o);
  in.orientation_code = Field(f, "orientation_code");
  if (in.orientation_code.empty() && c->orientation_code)
    in.orientation_code = *c->orientation_code;
  service::LetterRequest r;
  r.kind = in.kind;
  if (in.kind == "inadmissibility") r.orientation_code = in.orientation_code;
  if (posted) {
    r.subject = Field(f, "subject");
    r.body = Field(f, "body");
  }
  auto p = svc.Preview(caller, ref, r, false);
  service::LetterPreview preview;
  if (p) {
    preview = std::move(*p);
    in.preview = &preview;
  } else if (error.empty()) {
    error = ErrorText(p.error());
    error_field = p.error().field;
    status = ErrorStatus(p.error());
  }
  // The editor: what was posted, else the rendered letter (plain text: it is
  // rendered again when sent).
  in.subject = posted ? Field(f, "subject") : (in.preview ? preview.letter.subject : "");
  in.body = posted ? Field(f, "body") : (in.preview ? preview.letter.body_text : "");
  if (auto people = store.People(who.actor, ref)) {
    in.has_email = false;
    for (const Person& x : *people) in.has_email = in.has_email || !x.email.empty();
  }
  if (auto l = svc.CaseLetters(caller, ref)) in.letters = std::move(*l);
  if (auto users = store.ListUsers()) {
    for (const User& u : *users) in.user_names[u.name] = u.display_name;
  }
  const std::string dl = Field(f, "telecharger");
  if (!dl.empty() && dl.size() < 18 && std::all_of(dl.begin(), dl.end(), ::isdigit)) {
    in.download_id = std::stoll(dl);
  }
  if (auto reply = ReplyTo(store, who, f, ref)) {
    in.reply_to_id = reply->id;
    in.reply_to_from = reply->from_name.empty() ? reply->from_address : reply->from_name;
    in.reply_to_subject = reply->subject;
    in.reply_to_at = reply->received_at;
  }
  in.error = std::move(error);
  in.error_field = std::move(error_field);
  Data d = CaseLettersView(in);
  SetFlash(req, d);
  SendPage(env, res, "courriers", d, &who, status);
}

void LettersGet(Env& env, Signed& who, Store& store, const httplib::Request& req,
                httplib::Response& res) {
  LettersPage(env, who, store, req, res, FormFields(req), false, "", "", 200);
}

void LettersPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  const service::Caller caller = service::Caller::OfUser(who.user);
  WebService web(*env.ctx, store);
  FolderFiles files(env.documents);
  service::LettersService svc(store, web.clock(), &files);
  service::LetterRequest r;
  r.kind = Field(f, "modele");
  r.subject = Field(f, "subject");
  r.body = Field(f, "body");
  r.orientation_code = Field(f, "orientation_code");
  if (auto reply = ReplyTo(store, who, f, ref)) r.in_reply_to = reply->message_id;
  const std::string action = Field(f, "action");
  if (action == "apercu") {
    auto p = svc.Preview(caller, ref, r, true);
    if (!p) {
      return LettersPage(env, who, store, req, res, f, true, ErrorText(p.error()), p.error().field,
                         ErrorStatus(p.error()));
    }
    res.set_header("Content-Disposition", "attachment; filename=\"apercu-" + r.kind + ".pdf\"");
    res.set_header("Content-Security-Policy", "default-src 'none'; sandbox");
    return res.set_content(std::move(p->pdf), "application/pdf");
  }
  const std::string mode = Field(f, "mode");
  auto sent = svc.Send(caller, ref, r, mode);
  if (!sent) {
    return LettersPage(env, who, store, req, res, f, true, ErrorText(sent.error()),
                       sent.error().field, ErrorStatus(sent.error()));
  }
  std::string url = CaseUrl(ref) + "/courriers?modele=" + r.kind;
  if (sent->document) url += "&telecharger=" + std::to_string(sent->document->id);
  Redirect(res, WithFlash(url, true,
                          mode == "courriel" ? "page.letter_queued" : "page.letter_produced"));
}

}  // namespace

void RegisterCaseLetterRoutes(httplib::Server& server, Env& env) {
  const std::string ref = kCaseRoute;
  server.Get(ref + "/courriers", Guarded(env, Need::kCases, LettersGet));
  server.Post(ref + "/courriers", Guarded(env, Need::kCases, LettersPost));
}

}  // namespace amiable::web::pages
