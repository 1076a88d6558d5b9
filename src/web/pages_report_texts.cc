// The mediator's texts of the annual report (issue 10):
//   GET  /rapport/textes?annee=&organisme=   one form per section of the
//        report, filled with the stored texts (the default text of an
//        introduction page when the fund wrote none)
//   POST /rapport/textes                     form=<code> and action=
//        save        writes the form's section(s), then back to the page
//        preview     the page again, the form's text as the report prints it
//                    (server-rendered HTML of the light markup), nothing saved
//        reset       an introduction page back to its default text
//        add, up_N, down_N, remove_N
//                    the highlights table with a row added, moved or removed
//                    (nothing saved until « Enregistrer »); the small script
//                    does the same in the page without a round trip
//
// Texts are stored per fund set and year through ReportTextStore, which
// checks them (report::CheckText) and, for the database store, that the user
// may write them. The guard lets in the case roles only; CSRF like every form.
#include <httplib.h>

#include <algorithm>
#include <memory>

#include "core/text.h"
#include "report/markup.h"
#include "report/report_store.h"
#include "report/texts.h"
#include "web/pages_internal.h"
#include "web/pages_report_internal.h"
#include "web/web_service.h"

namespace amiable::web::pages {
namespace {

using report::TextSection;

constexpr int kMaxHighlights = 40;

enum class FormKind { kText, kSigned, kIntro, kHighlights, kCommentary };

struct FormSpec {
  std::string code;   // the form's field value and anchor: "editorial", "commentary_channel"
  std::string title;  // French
  std::string group;  // the heading it sits under
  std::string hint;
  FormKind kind = FormKind::kText;
  TextSection section = TextSection::kEditorial;
  TextSection signature = TextSection::kMediatorSignature;  // kSigned
  std::string commentary_id;                                // kCommentary
  int rows = 8;
};

const std::vector<FormSpec>& Specs() {
  static const std::vector<FormSpec> specs = [] {
    std::vector<FormSpec> v;
    const std::string editos = "Éditos";
    v.push_back({"editorial_director", "L'éditorial du directeur", editos,
                 "Imprimé en tête du rapport, signé par le directeur.", FormKind::kSigned,
                 TextSection::kDirectorEditorial, TextSection::kDirectorSignature, "", 10});
    v.push_back({"editorial", "Le mot de la médiation", editos,
                 "Imprimé après l'éditorial du directeur, signé par le médiateur ; la même "
                 "signature figure sous le bilan et le plan de travail.",
                 FormKind::kSigned, TextSection::kEditorial, TextSection::kMediatorSignature, "",
                 10});
    v.push_back({"highlights", "Les temps forts de l'année", "Les temps forts",
                 "Un tableau : le thème, le mois ou la période, les actions et événements. Les "
                 "actions acceptent la mise en forme (gras, listes, paragraphes).",
                 FormKind::kHighlights, TextSection::kHighlights, TextSection::kHighlights, "", 4});
    const std::string intro = "Introduction";
    for (TextSection s : {TextSection::kIntroMediation, TextSection::kIntroWho,
                          TextSection::kIntroNot, TextSection::kIntroConflict}) {
      v.push_back({report::TextSectionCode(s), report::TextSectionTitle(s), intro,
                   "Un texte par défaut est fourni ; modifiez-le si besoin. Un texte vidé ou "
                   "rétabli reprend le texte par défaut.",
                   FormKind::kIntro, s, s, "", 12});
    }
    for (const report::CommentedSection& c : report::CommentedSections()) {
      v.push_back({"commentary_" + std::string(c.id), std::string(c.label),
                   "Commentaires des chiffres",
                   "Imprimé à la fin de la section, après ses tableaux et graphiques ; une section "
                   "sans commentaire n'en affiche pas.",
                   FormKind::kCommentary, TextSection::kCommentaries, TextSection::kCommentaries,
                   std::string(c.id), 4});
    }
    v.push_back({"fraud_focus", "Focus : les dossiers de fraude", "Focus fraude",
                 "L'analyse du médiateur, imprimée sous les chiffres des dossiers de fraude.",
                 FormKind::kText, TextSection::kFraudFocus, TextSection::kFraudFocus, "", 6});
    v.push_back({"findings", "Constats et préconisations de la médiation",
                 "Constats et préconisations", "Une section vide n'apparaît pas dans le rapport.",
                 FormKind::kText, TextSection::kFindings, TextSection::kFindings, "", 12});
    v.push_back({"plan", "Bilan, perspectives et plan de travail", "Bilan et plan de travail",
                 "Signé par le médiateur (signature du « mot de la médiation »).", FormKind::kText,
                 TextSection::kPlan, TextSection::kPlan, "", 10});
    return v;
  }();
  return specs;
}

const FormSpec* FindSpec(std::string_view code) {
  for (const FormSpec& f : Specs()) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

// What one form shows (stored or posted).
struct FormState {
  std::string text;
  report::Signature sig;
  std::vector<report::Highlight> rows;
  bool is_default = false;  // an introduction page showing its default text
};

// Typed text made safe and without trailing blanks (browsers send CR LF).
std::string Clean(std::string_view s) {
  std::string out = report::markup::Sanitize(s);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t')) {
    out.pop_back();
  }
  return out;
}

std::string CleanLine(std::string_view s) {
  std::string out = Clean(s);
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\t', ' ');
  return Trim(out);
}

FormState StoredState(const FormSpec& f, const report::MediatorTexts& t) {
  FormState st;
  switch (f.section) {
    case TextSection::kDirectorEditorial:
      st.text = t.director_editorial;
      st.sig = t.director_signature;
      break;
    case TextSection::kEditorial:
      st.text = t.editorial;
      st.sig = t.mediator_signature;
      break;
    case TextSection::kHighlights:
      st.rows = t.highlights;
      break;
    case TextSection::kIntroMediation:
      st.text = t.intro_mediation;
      break;
    case TextSection::kIntroWho:
      st.text = t.intro_who;
      break;
    case TextSection::kIntroNot:
      st.text = t.intro_not;
      break;
    case TextSection::kIntroConflict:
      st.text = t.intro_conflict;
      break;
    case TextSection::kCommentaries: {
      auto it = t.commentaries.find(f.commentary_id);
      if (it != t.commentaries.end()) st.text = it->second;
      break;
    }
    case TextSection::kFraudFocus:
      st.text = t.fraud_focus;
      break;
    case TextSection::kFindings:
      st.text = t.findings;
      break;
    case TextSection::kPlan:
      st.text = t.plan;
      break;
    default:
      break;
  }
  if (f.kind == FormKind::kIntro && Trim(st.text).empty()) {
    st.text = std::string(report::DefaultText(f.section));
    st.is_default = true;
  }
  return st;
}

// The posted state of form `f`: the highlights rows as sent (blank rows
// kept, so that the editor shows them), at most kMaxHighlights + 1.
Result<FormState> PostedState(const FormSpec& f, const Fields& p) {
  FormState st;
  st.text = Clean(Field(p, "text"));
  st.sig.name = CleanLine(Field(p, "sig_name"));
  st.sig.title = CleanLine(Field(p, "sig_title"));
  if (f.kind == FormKind::kHighlights) {
    const std::string n_text = Field(p, "hl_rows");
    const int n = std::atoi(n_text.c_str());
    if (n < 0 || n > kMaxHighlights + 1) {
      return Fail(msg::Invalid("report.texts_too_many_rows", "hl_rows",
                               {std::to_string(kMaxHighlights)}));
    }
    for (int i = 0; i < n; ++i) {
      const std::string k = std::to_string(i);
      st.rows.push_back({CleanLine(Field(p, "hl_theme_" + k)),
                         CleanLine(Field(p, "hl_period_" + k)),
                         Clean(Field(p, "hl_actions_" + k))});
    }
  }
  if (f.kind == FormKind::kIntro) {
    st.is_default = Trim(st.text).empty() || Trim(st.text) == Trim(report::DefaultText(f.section));
  }
  return st;
}

bool BlankRow(const report::Highlight& h) {
  return h.theme.empty() && h.period.empty() && Trim(h.actions).empty();
}

// Applies add, up_N, down_N, remove_N to `rows`; false for another action.
// A row index out of range changes nothing.
bool ApplyRowAction(std::string_view action, std::vector<report::Highlight>& rows) {
  if (action == "add") {
    if (rows.size() < static_cast<size_t>(kMaxHighlights)) rows.push_back({});
    return true;
  }
  const size_t us = action.find('_');
  if (us == std::string_view::npos) return false;
  const std::string_view verb = action.substr(0, us);
  if (verb != "up" && verb != "down" && verb != "remove") return false;
  const std::string num(action.substr(us + 1));
  if (num.empty() || num.size() > 3 || !std::all_of(num.begin(), num.end(), ::isdigit)) return true;
  const size_t i = static_cast<size_t>(std::stoi(num));
  if (i >= rows.size()) return true;
  if (verb == "up" && i > 0) std::swap(rows[i], rows[i - 1]);
  if (verb == "down" && i + 1 < rows.size()) std::swap(rows[i], rows[i + 1]);
  if (verb == "remove") rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(i));
  return true;
}

std::string SignatureHtml(const report::Signature& s) {
  std::string out;
  if (!s.name.empty()) out += "<p class=\"signature\"><strong>" + XmlEscape(s.name) + "</strong></p>";
  if (!s.title.empty()) out += "<p class=\"signature\">" + XmlEscape(s.title) + "</p>";
  return out;
}

// The form's text as the report prints it (HTML, every text escaped).
std::string PreviewHtml(const FormSpec& f, const FormState& st) {
  if (f.kind == FormKind::kHighlights) {
    std::string out =
        "<table><thead><tr><th scope=\"col\">Thème</th><th scope=\"col\">Période</th>"
        "<th scope=\"col\">Actions et événements</th></tr></thead><tbody>";
    for (const report::Highlight& h : st.rows) {
      if (BlankRow(h)) continue;
      out += "<tr><th scope=\"row\"><strong>" + XmlEscape(h.theme) + "</strong></th><td>" +
             XmlEscape(h.period) + "</td><td>" + report::markup::ToHtml(h.actions) + "</td></tr>";
    }
    return out + "</tbody></table>";
  }
  std::string out = report::markup::ToHtml(st.text);
  if (f.kind == FormKind::kSigned) out += SignatureHtml(st.sig);
  if (out.empty()) out = "<p><em>Texte vide : la section n'apparaîtra pas.</em></p>";
  return out;
}

Data FormView(const FormSpec& f, const FormState& st, const std::string& preview,
              const std::string& error, bool dirty) {
  Data v;
  v.set("code", f.code);
  v.set("title", f.title);
  v.set("hint", f.hint);
  v.set("rows", std::to_string(f.rows));
  v.set("is_text", f.kind != FormKind::kHighlights);
  v.set("is_signed", f.kind == FormKind::kSigned);
  v.set("is_intro", f.kind == FormKind::kIntro);
  v.set("is_highlights", f.kind == FormKind::kHighlights);
  v.set("text", st.text);
  v.set("sig_name", st.sig.name);
  v.set("sig_title", st.sig.title);
  v.set("is_default", st.is_default);
  v.set("dirty", dirty);
  v.set("has_error", !error.empty());
  v.set("error", error);
  v.set("has_preview", !preview.empty());
  v.set("preview_html", preview);
  if (f.kind == FormKind::kHighlights) {
    std::vector<report::Highlight> rows = st.rows;
    if (rows.empty()) rows.push_back({});
    List list;
    for (size_t i = 0; i < rows.size(); ++i) {
      Data r;
      r.set("i", std::to_string(i));
      r.set("n", std::to_string(i + 1));
      r.set("theme", rows[i].theme);
      r.set("period", rows[i].period);
      r.set("actions", rows[i].actions);
      r.set("first", i == 0);
      r.set("last", i + 1 == rows.size());
      list.push_back(r);
    }
    v.set("hl", list);
    v.set("hl_rows", std::to_string(rows.size()));
  }
  return v;
}

// One posted form to show instead of its stored state.
struct Posted {
  const FormSpec* spec = nullptr;
  FormState state;
  std::string preview;
  std::string error;
  bool dirty = false;
};

void RenderTexts(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res, const Fields& fields, const Posted* posted, int status) {
  auto sel = Select(env, who, store, fields);
  if (!sel) return SendSelectError(env, res, sel.error(), who);
  Data d;
  d.set("title", "Textes du rapport annuel");
  FillSelectors(env, *sel, d);
  d.set("report_css", true);
  if (Nothing(*sel)) return SendPage(env, res, "rapport_textes", d, &who);
  auto texts = ReportData(who, store);
  if (!texts) return SendErrorPage(env, res, 500, msg::Find("report.texts_read_failed"), &who);
  auto stored = report::ReadMediatorTexts(*texts, report::FundSetKey(sel->organismes), sel->year);
  report::MediatorTexts t;
  if (stored) {
    t = std::move(*stored);
  } else if (stored.error().code == Error::Code::kInvalid) {
    d.set("flash_error", msg::Find("report.highlights_unreadable"));
  } else {
    LogError("report texts: cannot read", stored.error());
    return SendErrorPage(env, res, 500, msg::Find("report.texts_read_failed"), &who);
  }
  List groups;
  Data group;
  List forms;
  std::string current;
  auto close_group = [&] {
    if (current.empty()) return;
    group.set("forms", forms);
    groups.push_back(group);
    forms = List();
    group = Data();
  };
  for (const FormSpec& f : Specs()) {
    if (f.group != current) {
      close_group();
      current = f.group;
      group.set("group", f.group);
      group.set("anchor", "g-" + f.code);
      group.set("is_commentaries", f.kind == FormKind::kCommentary);
    }
    if (posted && posted->spec == &f) {
      forms.push_back(FormView(f, posted->state, posted->preview, posted->error, posted->dirty));
    } else {
      forms.push_back(FormView(f, StoredState(f, t), "", "", false));
    }
  }
  close_group();
  d.set("groups", groups);
  if (!posted) SetFlash(req, d);
  d.set("shown", true);
  SendPage(env, res, "rapport_textes", d, &who, status);
}

void TextsPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  RenderTexts(env, who, store, req, res, FormFields(req), nullptr, 200);
}

void TextsPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  const Fields f = FormFields(req);
  auto sel = Select(env, who, store, f);
  if (!sel) return SendSelectError(env, res, sel.error(), who);
  if (Nothing(*sel)) return SendErrorPage(env, res, 404, msg::Find("report.no_fund"), &who);
  const FormSpec* spec = FindSpec(Field(f, "form"));
  if (spec == nullptr) {
    return SendErrorPage(env, res, 400, msg::Find("report.text_form_unknown"), &who);
  }
  Posted p;
  p.spec = spec;
  auto state = PostedState(*spec, f);
  if (!state) {
    p.error = ErrorText(state.error());
    return RenderTexts(env, who, store, req, res, f, &p, 400);
  }
  p.state = std::move(*state);
  const std::string action = Field(f, "action").empty() ? "save" : Field(f, "action");

  if (action == "preview") {
    p.preview = PreviewHtml(*spec, p.state);
    p.dirty = true;
    return RenderTexts(env, who, store, req, res, f, &p, 200);
  }
  if (spec->kind == FormKind::kHighlights && ApplyRowAction(action, p.state.rows)) {
    p.dirty = true;
    return RenderTexts(env, who, store, req, res, f, &p, 200);
  }
  if (action != "save" && action != "reset") {
    return SendErrorPage(env, res, 400, msg::Find("report.text_form_unknown"), &who);
  }

  // What to write: (section, text) pairs, all checked before the first write.
  std::vector<std::pair<TextSection, std::string>> writes;
  auto texts = ReportData(who, store);
  if (!texts) return SendErrorPage(env, res, 500, msg::Find("report.texts_write_failed"), &who);
  const std::string key = report::FundSetKey(sel->organismes);
  switch (spec->kind) {
    case FormKind::kText:
      writes.push_back({spec->section, p.state.text});
      break;
    case FormKind::kSigned:
      writes.push_back({spec->section, p.state.text});
      writes.push_back({spec->signature, report::SignatureToText(p.state.sig)});
      break;
    case FormKind::kIntro:
      // The default text (or a reset) is stored as nothing: a later better
      // default reaches the funds that did not change theirs.
      writes.push_back({spec->section, action == "reset" || p.state.is_default ? "" : p.state.text});
      break;
    case FormKind::kHighlights: {
      std::vector<report::Highlight> rows;
      for (size_t i = 0; i < p.state.rows.size(); ++i) {
        const report::Highlight& h = p.state.rows[i];
        if (BlankRow(h)) continue;
        if (h.theme.empty()) {
          p.error = msg::Format("report.texts_theme_required", {std::to_string(i + 1)});
          return RenderTexts(env, who, store, req, res, f, &p, 400);
        }
        rows.push_back(h);
      }
      if (rows.size() > static_cast<size_t>(kMaxHighlights)) {
        p.error = msg::Format("report.texts_too_many_rows", {std::to_string(kMaxHighlights)});
        return RenderTexts(env, who, store, req, res, f, &p, 400);
      }
      writes.push_back({spec->section, rows.empty() ? "" : report::HighlightsToJson(rows)});
      break;
    }
    case FormKind::kCommentary: {
      auto current = texts->GetText(key, sel->year, TextSection::kCommentaries);
      if (!current) {
        LogError("report texts: cannot read", current.error());
        return SendErrorPage(env, res, 500, msg::Find("report.texts_read_failed"), &who);
      }
      auto map = report::ParseCommentaries(*current);
      std::map<std::string, std::string> c = map ? std::move(*map) : std::map<std::string, std::string>{};
      c[spec->commentary_id] = p.state.text;
      writes.push_back({TextSection::kCommentaries, report::CommentariesToJson(c)});
      break;
    }
  }
  for (const auto& [section, text] : writes) {
    if (auto ok = report::CheckText(section, text); !ok) {
      p.error = ErrorText(ok.error());
      return RenderTexts(env, who, store, req, res, f, &p, 400);
    }
  }
  // The form's sections together or none (an editorial and its signature).
  auto written = store.InTransaction([&]() -> Status {
    for (const auto& [section, text] : writes) {
      if (auto ok = texts->PutText(key, sel->year, section, text); !ok) return ok;
    }
    return {};
  });
  if (!written) {
    const Error& e = written.error();
    if (e.code == Error::Code::kInvalid || e.code == Error::Code::kForbidden) {
      p.error = ErrorText(e);
      return RenderTexts(env, who, store, req, res, f, &p, ErrorStatus(e));
    }
    LogError("report texts: cannot write", e);
    return SendErrorPage(env, res, 500, msg::Find("report.texts_write_failed"), &who);
  }
  store.Audit(who.actor, "report.texts",
              std::to_string(sel->year) + "/" + key + "/" + spec->code);
  Redirect(res, WithFlash("/rapport/textes?" + sel->query, true,
                          action == "reset" ? "report.text_reset" : "report.texts_saved") +
                    "#f-" + spec->code);
}

}  // namespace

void RegisterReportTextsRoutes(httplib::Server& server, Env& env) {
  server.Get("/rapport/textes", Guarded(env, Need::kCases, TextsPage));
  server.Post("/rapport/textes", Guarded(env, Need::kCases, TextsPost));
}

}  // namespace amiable::web::pages
