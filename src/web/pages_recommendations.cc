// The register of findings and recommendations (/registre): the view
// builder and the routes (web/pages_recommendations.h). No rule lives here:
// the store checks values and rights, report/register.h selects and moves.
#include "web/pages_recommendations.h"

#include <httplib.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/french_format.h"
#include "core/text.h"
#include "store/report_data.h"
#include "web/web_service.h"

namespace amiable::web::pages {

namespace {

std::string Encode(const std::string& s) { return httplib::detail::encode_query_param(s); }

List Options(const Nomenclature& n, std::string_view selected) {
  List out;
  for (const NomenclatureEntry& e : n.entries) {
    Data o;
    o.set("code", std::string(e.code));
    o.set("label", std::string(e.label));
    o.set("selected", e.code == selected);
    out.push_back(o);
  }
  return out;
}

List ThemeOptions(const std::vector<RecommendationTheme>& themes, std::string_view selected) {
  List out;
  for (const RecommendationTheme& t : themes) {
    if (!t.active && t.code != selected) continue;
    Data o;
    o.set("code", t.code);
    o.set("label", t.label);
    o.set("selected", t.code == selected);
    out.push_back(o);
  }
  return out;
}

// The value of `name` for form `form`: what was typed when that form was
// refused, else `current`.
std::string Value(const RegisterPageInput& in, const std::string& form, const std::string& name,
                  const std::string& current) {
  if (in.refused_form == form) return Field(in.posted, name);
  return current;
}

// `heading`: "h4" under a theme's h3, "h3" in the earlier years' list.
Data ItemView(const RegisterPageInput& in, const Recommendation& r, bool first, bool last,
              const char* heading = "h4") {
  const std::string id = std::to_string(r.id);
  const std::string edit = "edit:" + id, follow = "follow:" + id;
  Data d;
  d.set("heading", heading);
  d.set("id", id);
  d.set("year", std::to_string(r.year));
  d.set("kind", report::KindTitle(r.kind));
  d.set("theme", report::ThemeLabel(in.reg.themes, r.theme));
  d.set("text", r.text);
  d.set("addressed_to", r.addressed_to);
  d.set("has_addressed_to", !r.addressed_to.empty());
  d.set("status", std::string(report::StatusLabel(r.status)));
  d.set("status_code", r.status);
  d.set("closed", recommendation::IsClosed(r.status));
  d.set("first", first);
  d.set("last", last);
  List notes;
  for (const RecommendationFollowUp& f : r.follow_ups) {
    Data n;
    n.set("year", std::to_string(f.year));
    const auto on = Date::Parse(f.on);
    n.set("on", on ? fr::ShortDate(*on) : f.on);
    n.set("status", std::string(report::StatusLabel(f.status)));
    n.set("note", f.note);
    n.set("has_note", !f.note.empty());
    n.set("author", f.author);
    notes.push_back(n);
  }
  d.set("follow_ups", notes);
  d.set("has_follow_ups", !r.follow_ups.empty());
  // The edit form.
  d.set("edit_open", in.refused_form == edit);
  if (in.refused_form == edit) d.set("edit_error", in.refused_message);
  d.set("edit_text", Value(in, edit, "text", r.text));
  d.set("edit_addressed_to", Value(in, edit, "addressed_to", r.addressed_to));
  d.set("edit_themes", ThemeOptions(in.reg.themes, Value(in, edit, "theme", r.theme)));
  d.set("edit_kinds", Options(recommendation::Kinds(), Value(in, edit, "kind", r.kind)));
  d.set("edit_statuses", Options(recommendation::Statuses(), Value(in, edit, "status", r.status)));
  // The follow-up form: the year shown, today, the current status.
  d.set("follow_open", in.refused_form == follow);
  if (in.refused_form == follow) d.set("follow_error", in.refused_message);
  d.set("follow_year", Value(in, follow, "suivi_annee", std::to_string(std::max(in.year, r.year))));
  d.set("follow_on", Value(in, follow, "date", in.today.ToString()));
  d.set("follow_note", Value(in, follow, "note", ""));
  d.set("follow_statuses",
        Options(recommendation::Statuses(), Value(in, follow, "statut", r.status)));
  return d;
}

}  // namespace

Data RegisterPageView(const RegisterPageInput& in) {
  Data d;
  d.set("title", "Registre des constats et préconisations");
  d.set("year", std::to_string(in.year));
  d.set("page_year", std::to_string(in.year));
  d.set("organisme", in.organisme);
  d.set("funds", FundOptions(in.funds, in.organisme));
  d.set("nothing", in.organisme.empty());
  d.set("shown", !in.organisme.empty());
  d.set("may_write", in.may_write);
  List years;
  bool listed = false;
  for (int y = in.this_year + 1; y >= in.this_year - 6; --y) {
    Data yd;
    yd.set("year", std::to_string(y));
    yd.set("selected", y == in.year);
    listed = listed || y == in.year;
    years.push_back(yd);
  }
  if (!listed) {
    Data yd;
    yd.set("year", std::to_string(in.year));
    yd.set("selected", true);
    years.push_back(yd);
  }
  d.set("years", years);
  for (const Organisme& o : in.funds) {
    if (o.code == in.organisme) d.set("fund", o.code + " — " + o.name);
  }
  d.set("query", "organisme=" + Encode(in.organisme) + "&annee=" + std::to_string(in.year));

  // The year's items by theme, in the nomenclature's order; within a theme,
  // the register's order (position) — moving swaps within the whole year.
  std::map<std::string, std::vector<size_t>> by_theme;
  for (size_t i = 0; i < in.reg.items.size(); ++i) by_theme[in.reg.items[i].theme].push_back(i);
  std::vector<std::string> order;
  for (const RecommendationTheme& t : in.reg.themes) order.push_back(t.code);
  for (const auto& [code, _] : by_theme) {
    if (std::find(order.begin(), order.end(), code) == order.end()) order.push_back(code);
  }
  List groups;
  for (const std::string& code : order) {
    auto it = by_theme.find(code);
    if (it == by_theme.end()) continue;
    Data t;
    t.set("label", report::ThemeLabel(in.reg.themes, code));
    t.set("has_label", true);
    List items;
    for (size_t k = 0; k < it->second.size(); ++k) {
      items.push_back(
          ItemView(in, in.reg.items[it->second[k]], k == 0, k + 1 == it->second.size()));
    }
    t.set("items", items);
    groups.push_back(t);
  }
  const std::string y = std::to_string(in.year);
  List sections;
  Data year;
  year.set("key", "annee");
  year.set("title", "Constats et préconisations de " + y +
                        (in.reg.items.empty()
                             ? std::string()
                             : " (" + fr::Count(static_cast<int64_t>(in.reg.items.size())) + ")"));
  year.set("has", !in.reg.items.empty());
  year.set("empty", "Aucun constat ni préconisation pour " + y + ".");
  year.set("groups", groups);
  sections.push_back(year);
  Data earlier;
  earlier.set("key", "suivi");
  earlier.set("title", "Suivi en " + y + " des années précédentes");
  earlier.set("has", !in.reg.earlier.empty());
  earlier.set("empty", "Aucun constat ni préconisation des années précédentes à suivre en " + y +
                           ".");
  List earlier_items;
  for (const Recommendation& r : in.reg.earlier) {
    earlier_items.push_back(ItemView(in, r, true, true, "h3"));
  }
  Data one;
  one.set("has_label", false);
  one.set("items", earlier_items);
  List earlier_groups;
  if (!in.reg.earlier.empty()) earlier_groups.push_back(one);
  earlier.set("groups", earlier_groups);
  sections.push_back(earlier);
  d.set("sections", sections);

  // The add form.
  const bool add_refused = in.refused_form == "add";
  if (add_refused) d.set("add_error", in.refused_message);
  // A refusal of no form in particular (an unknown id, a deletion refused).
  if (!in.refused_message.empty() && in.refused_form.empty()) {
    d.set("page_error", in.refused_message);
  }
  d.set("add_open", add_refused);
  d.set("add_text", add_refused ? Field(in.posted, "text") : "");
  d.set("add_addressed_to", add_refused ? Field(in.posted, "addressed_to") : "");
  d.set("add_themes", ThemeOptions(in.reg.themes, add_refused ? Field(in.posted, "theme") : ""));
  d.set("add_kinds",
        Options(recommendation::Kinds(), add_refused ? Field(in.posted, "kind") : "preconisation"));
  d.set("add_statuses",
        Options(recommendation::Statuses(), add_refused ? Field(in.posted, "status") : "proposee"));
  return d;
}

namespace {

bool Writes(const Actor& a) {
  return a.role == Role::kMediator || a.role == Role::kManager || a.role == Role::kAdministrator;
}

// Reads the page's fund and year; fills `in` (funds, year, fund). kInvalid
// for a bad year, kNotFound for a fund the user does not see.
Status Select(Env& env, const Signed& who, Store& store, const Fields& f, RegisterPageInput& in) {
  in.today = env.ctx->Today();
  in.this_year = in.today.year();
  in.year = in.this_year;
  const std::string y = Field(f, "annee");
  if (!y.empty()) {
    if (y.size() != 4 || !std::all_of(y.begin(), y.end(), ::isdigit) || y < "1901" ||
        y > "2199") {
      return Fail(msg::Invalid("register.year_required", "annee", {y}));
    }
    in.year = std::stoi(y);
  }
  auto orgs = store.ListOrganismes();
  if (!orgs) return Fail(orgs.error());
  const bool every = who.actor.all_funds || who.actor.role == Role::kNational ||
                     who.actor.role == Role::kAdministrator;
  for (const Organisme& o : *orgs) {
    if (every || who.actor.CanSee(o.code)) in.funds.push_back(o);
  }
  in.organisme = Field(f, "organisme");
  if (!in.organisme.empty()) {
    if (std::none_of(in.funds.begin(), in.funds.end(),
                     [&](const Organisme& o) { return o.code == in.organisme; })) {
      return Fail(msg::NotFound("report.organisme_unknown"));
    }
  } else if (!in.funds.empty()) {
    in.organisme = in.funds[0].code;
  }
  in.may_write = Writes(who.actor) && who.actor.CanSee(in.organisme);
  return {};
}

void SendRegisterPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                      httplib::Response& res, const Fields& f, RegisterPageInput in,
                      int status) {
  if (auto s = Select(env, who, store, f, in); !s) {
    const int code = s.error().code == Error::Code::kInvalid    ? 400
                     : s.error().code == Error::Code::kNotFound ? 404
                                                                 : 500;
    if (code == 500) LogError("register page", s.error());
    return SendErrorPage(env, res, code, ErrorText(s.error()), &who);
  }
  if (!in.organisme.empty()) {
    auto reg = report::LoadRegister(store, who.actor, {in.organisme}, in.year);
    if (!reg) {
      LogError("register page", reg.error());
      return SendErrorPage(env, res, 500, ErrorText(reg.error()), &who);
    }
    in.reg = std::move(*reg);
  }
  Data d = RegisterPageView(in);
  SetFlash(req, d);
  SendPage(env, res, "registre", d, &who, status);
}

void RegisterPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  SendRegisterPage(env, who, store, req, res, FormFields(req), {}, 200);
}

std::string Back(const Fields& f) {
  return "/registre?organisme=" + Encode(Field(f, "organisme")) +
         "&annee=" + Encode(Field(f, "annee"));
}

// The store's register role (the SQL store has it).
ReportDataStore& Rd(Store& store) {
  ReportDataStore* rd = ReportDataOf(store);
  if (rd == nullptr) throw std::runtime_error("register: no report data store");
  return *rd;
}

// A refusal of form `form`: the page again with the message (400/403/404).
void Refuse(Env& env, Signed& who, Store& store, const httplib::Request& req,
            httplib::Response& res, const Fields& f, const std::string& form, const Error& e) {
  if (e.code == Error::Code::kInternal || e.code == Error::Code::kUnavailable) {
    LogError("register post", e);
  }
  RegisterPageInput in;
  in.refused_form = form;
  in.refused_message = ErrorText(e);
  in.posted = f;
  SendRegisterPage(env, who, store, req, res, f, std::move(in), ErrorStatus(e));
}

Result<int64_t> IdOf(const Fields& f) {
  const std::string s = Field(f, "id");
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), ::isdigit)) {
    return Fail(msg::Invalid("register.id_invalid", "id", {s}));
  }
  return std::stoll(s);
}

// The item `id` as the actor reads it (kNotFound otherwise).
Result<Recommendation> ItemOf(Store& store, const Actor& actor, int64_t id) {
  ReportDataStore* rd = ReportDataOf(store);
  if (rd == nullptr) return Fail(Error::Internal("register: no report data store"));
  auto all = rd->Recommendations(actor, {});
  if (!all) return Fail(all.error());
  for (Recommendation& r : *all) {
    if (r.id == id) return std::move(r);
  }
  return Fail(msg::NotFound("register.item_unknown", {std::to_string(id)}));
}

void AddPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
             httplib::Response& res) {
  const Fields f = FormFields(req);
  Recommendation r;
  r.organisme = Field(f, "organisme");
  const std::string y = Field(f, "annee");
  r.year = (y.size() == 4 && std::all_of(y.begin(), y.end(), ::isdigit)) ? std::stoi(y) : 0;
  r.theme = Field(f, "theme");
  r.kind = Field(f, "kind");
  r.text = Field(f, "text");
  r.addressed_to = Trim(Field(f, "addressed_to"));
  r.status = Field(f, "status");
  if (r.organisme.empty()) {
    return Refuse(env, who, store, req, res, f, "add",
                  msg::Invalid("register.organisme_required", "organisme"));
  }
  auto id = Rd(store).AddRecommendation(who.actor, r);
  if (!id) return Refuse(env, who, store, req, res, f, "add", id.error());
  Redirect(res, WithFlash(Back(f), true, "register.added") + "#item-" + std::to_string(*id));
}

void EditPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
              httplib::Response& res) {
  const Fields f = FormFields(req);
  auto id = IdOf(f);
  if (!id) return Refuse(env, who, store, req, res, f, "", id.error());
  const std::string form = "edit:" + std::to_string(*id);
  auto r = ItemOf(store, who.actor, *id);
  if (!r) return Refuse(env, who, store, req, res, f, form, r.error());
  r->theme = Field(f, "theme");
  r->kind = Field(f, "kind");
  r->text = Field(f, "text");
  r->addressed_to = Trim(Field(f, "addressed_to"));
  r->status = Field(f, "status");
  if (auto s = Rd(store).UpdateRecommendation(who.actor, *r); !s) {
    return Refuse(env, who, store, req, res, f, form, s.error());
  }
  Redirect(res, WithFlash(Back(f), true, "register.updated") + "#item-" + std::to_string(*id));
}

void DeletePost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                httplib::Response& res) {
  const Fields f = FormFields(req);
  auto id = IdOf(f);
  if (!id) return Refuse(env, who, store, req, res, f, "", id.error());
  if (auto s = Rd(store).DeleteRecommendation(who.actor, *id); !s) {
    return Refuse(env, who, store, req, res, f, "", s.error());
  }
  Redirect(res, WithFlash(Back(f), true, "register.deleted"));
}

void MovePost(Env& env, Signed& who, Store& store, const httplib::Request& req,
              httplib::Response& res) {
  const Fields f = FormFields(req);
  auto id = IdOf(f);
  if (!id) return Refuse(env, who, store, req, res, f, "", id.error());
  const int delta = Field(f, "sens") == "haut" ? -1 : Field(f, "sens") == "bas" ? 1 : 0;
  if (auto s = report::MoveRecommendation(store, who.actor, *id, delta); !s) {
    return Refuse(env, who, store, req, res, f, "", s.error());
  }
  Redirect(res, WithFlash(Back(f), true, "register.moved") + "#item-" + std::to_string(*id));
}

void FollowUpPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  const Fields f = FormFields(req);
  auto id = IdOf(f);
  if (!id) return Refuse(env, who, store, req, res, f, "", id.error());
  const std::string form = "follow:" + std::to_string(*id);
  RecommendationFollowUp fu;
  const std::string y = Field(f, "suivi_annee");
  if (y.size() != 4 || !std::all_of(y.begin(), y.end(), ::isdigit)) {
    return Refuse(env, who, store, req, res, f, form,
                  msg::Invalid("register.year_required", "suivi_annee", {y}));
  }
  fu.year = std::stoi(y);
  fu.on = Trim(Field(f, "date"));
  fu.status = Field(f, "statut");
  fu.note = Field(f, "note");
  auto s = Rd(store).AddRecommendationFollowUp(who.actor, *id, fu);
  if (!s) return Refuse(env, who, store, req, res, f, form, s.error());
  Redirect(res,
           WithFlash(Back(f), true, "register.follow_up_saved") + "#item-" + std::to_string(*id));
}

}  // namespace

void RegisterRecommendationRoutes(httplib::Server& server, Env& env) {
  server.Get("/registre", Guarded(env, Need::kAny, RegisterPage));
  server.Post("/registre/ajouter", Guarded(env, Need::kCases, AddPost));
  server.Post("/registre/modifier", Guarded(env, Need::kCases, EditPost));
  server.Post("/registre/supprimer", Guarded(env, Need::kCases, DeletePost));
  server.Post("/registre/deplacer", Guarded(env, Need::kCases, MovePost));
  server.Post("/registre/suivi", Guarded(env, Need::kCases, FollowUpPost));
}

}  // namespace amiable::web::pages
