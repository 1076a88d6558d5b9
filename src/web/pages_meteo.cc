// The météo's figures and the context figures in the workspace (issue 10):
//   GET  /rapport/meteo?annee=&organisme=   the forms
//   POST /rapport/meteo/chiffres            typed comparison figures of a scope
//   POST /rapport/meteo/contexte            the context figures of the year
//
// Who may type what: the national scopes (Cnaf, all funds) the national
// role and administrators; a fund's own figures (a year before amiable) and
// its context figures the mediators and managers of the fund (and
// administrators); the national role also the context figures. The forms
// show every field, so that a field emptied is no longer given.
#include <httplib.h>

#include <algorithm>
#include <tuple>

#include "calendar/calendar.h"
#include "core/french_format.h"
#include "report/context_figures.h"
#include "report/report_store.h"
#include "report/typed_aggregate.h"
#include "store/report_data.h"
#include "web/pages_internal.h"
#include "web/pages_report_internal.h"

namespace amiable::web::pages {
namespace {

struct MeteoSelection {
  int year = 0;
  std::string organisme;  // "" : every fund the user sees
  std::vector<std::string> organismes;
  std::vector<Organisme> visible;
  std::string query;
};

Result<MeteoSelection> SelectMeteo(Env& env, const Signed& who, Store& store, const Fields& f) {
  MeteoSelection s;
  s.year = env.ctx->Today().year() - 1;
  const std::string y = Field(f, "annee");
  if (!y.empty()) {
    if (y.size() != 4 || !std::all_of(y.begin(), y.end(), ::isdigit)) {
      return Fail(msg::Invalid("report.year_invalid", "annee"));
    }
    s.year = std::stoi(y);
    if (s.year <= kFirstCalendarYear || s.year > kLastCalendarYear) {
      return Fail(msg::Invalid("report.year_invalid", "annee"));
    }
  }
  auto orgs = store.ListOrganismes();
  if (!orgs) return Fail(orgs.error());
  for (const Organisme& o : *orgs) {
    if (who.actor.CanSee(o.code)) s.visible.push_back(o);
  }
  s.organisme = Field(f, "organisme");
  if (s.organisme.empty() && !who.actor.all_funds && !s.visible.empty()) {
    s.organisme = s.visible[0].code;
  }
  if (!s.organisme.empty()) {
    if (std::none_of(s.visible.begin(), s.visible.end(),
                     [&](const Organisme& o) { return o.code == s.organisme; })) {
      return Fail(msg::NotFound("report.organisme_unknown"));
    }
    s.organismes = {s.organisme};
  }
  s.query = "annee=" + std::to_string(s.year) + "&organisme=" + httplib::detail::encode_query_param(s.organisme);
  return s;
}

bool MayTypeNational(const Signed& who) {
  return who.actor.role == Role::kNational || who.actor.role == Role::kAdministrator;
}
bool MayTypeFund(const Signed& who, const MeteoSelection& s) {
  const Role r = who.actor.role;
  return !s.organismes.empty() &&
         (r == Role::kMediator || r == Role::kManager || r == Role::kAdministrator);
}


std::string Plain(double v) {
  std::string s = fr::Decimal(v, 2);
  if (s.ends_with(",00")) s.resize(s.size() - 3);
  return s;
}

report::TypedFiguresText TextOf(const report::TypedFigures& t) {
  report::TypedFiguresText x;
  if (t.take_charge_working_days) x.take_charge_working_days = Plain(*t.take_charge_working_days);
  if (t.answer_working_days) x.answer_working_days = Plain(*t.answer_working_days);
  if (t.answer_calendar_days) x.answer_calendar_days = Plain(*t.answer_calendar_days);
  if (t.closed) x.closed = fr::Count(*t.closed);
  if (t.inadmissible) x.inadmissible = fr::Count(*t.inadmissible);
  return x;
}

report::TypedFiguresText TypedFromFields(const Fields& f) {
  return {Field(f, "take_charge_working_days"), Field(f, "answer_working_days"),
          Field(f, "answer_calendar_days"), Field(f, "closed"), Field(f, "inadmissible")};
}

report::ContextText ContextFromFields(const Fields& f) {
  report::ContextText t{Field(f, "beneficiaries"),      Field(f, "national_beneficiaries"),
                        Field(f, "all_funds_requests"), Field(f, "complaints"),
                        Field(f, "complaints_within_10_days"), Field(f, "complaints_mean_days"),
                        Field(f, "source")};
  return t;
}

Data FieldData(const char* name, const std::string& label, const std::string& value,
               const std::string& hint, const std::string& id_prefix) {
  Data d;
  d.set("name", name);
  d.set("id", id_prefix + "-" + name);
  d.set("label", label);
  d.set("value", value);
  d.set("hint", hint);
  return d;
}

// The form of one scope: its fields (posted values after a refusal, else the
// typed aggregate's), and what is stored now.
Data ScopeForm(report::AggregateStore& aggregates, report::AggregateScope scope, int year,
               const std::vector<std::string>& funds, const std::string& title,
               const Fields* posted, const std::string& error) {
  Data d;
  d.set("scope", report::AggregateScopeCode(scope));
  d.set("title", title);
  d.set("year", std::to_string(year));
  report::TypedFiguresText values;
  auto a = aggregates.FindAggregate(scope, year, funds);
  if (a && *a) {
    const report::Aggregate& x = **a;
    std::string state;
    if (x.source == "typed") {
      values = TextOf(report::TypedFiguresOf(x));
      auto on = Date::Parse(x.exported_on);
      state = "Chiffres saisis" + (on ? " le " + fr::ShortDate(*on) : std::string()) + ".";
    } else {
      auto on = Date::Parse(x.exported_on);
      state = "Chiffres importés d'un fichier" +
              (on ? " (export du " + fr::ShortDate(*on) + ")" : std::string()) +
              " : enregistrer ici les remplace.";
    }
    d.set("state", state);
  }
  if (posted != nullptr) values = TypedFromFields(*posted);
  const std::string prefix = std::string("m-") + report::AggregateScopeCode(scope);
  List fields;
  fields.push_back(FieldData("take_charge_working_days",
                             report::TypedFigureLabel("take_charge_working_days"),
                             values.take_charge_working_days, "exemple : 5,12", prefix));
  fields.push_back(FieldData("answer_working_days", report::TypedFigureLabel("answer_working_days"),
                             values.answer_working_days, "", prefix));
  fields.push_back(FieldData("answer_calendar_days",
                             report::TypedFigureLabel("answer_calendar_days"),
                             values.answer_calendar_days, "si la source donne des jours calendaires",
                             prefix));
  fields.push_back(
      FieldData("closed", report::TypedFigureLabel("closed"), values.closed, "", prefix));
  fields.push_back(FieldData("inadmissible", report::TypedFigureLabel("inadmissible"),
                             values.inadmissible, "", prefix));
  d.set("fields", fields);
  if (!error.empty()) d.set("error", error);
  return d;
}

void MeteoPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res, const Fields* posted, const std::string& posted_form,
               const std::string& error) {
  auto sel = SelectMeteo(env, who, store, posted ? *posted : FormFields(req));
  if (!sel) {
    return SendErrorPage(env, res, sel.error().code == Error::Code::kInvalid ? 400 : 404,
                         ErrorText(sel.error()), &who);
  }
  Data d;
  d.set("title", "Météo et chiffres de contexte");
  d.set("year", std::to_string(sel->year));
  d.set("sel_year", std::to_string(sel->year));
  d.set("previous_year", std::to_string(sel->year - 1));
  d.set("organisme", sel->organisme);
  d.set("query", sel->query);
  d.set("funds", FundOptions(sel->visible, sel->organisme));
  d.set("may_choose_all", who.actor.all_funds);
  d.set("all_selected", sel->organisme.empty());
  List years;
  const int this_year = env.ctx->Today().year();
  for (int y = this_year; y >= this_year - 6; --y) {
    Data yd;
    yd.set("year", std::to_string(y));
    yd.set("selected", y == sel->year);
    years.push_back(yd);
  }
  d.set("years", years);

  auto aggregates = ReportData(who, store);
  if (!aggregates) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  List scopes;
  auto add = [&](report::AggregateScope scope, int year, const std::vector<std::string>& funds,
                 const std::string& title) {
    const std::string code = report::AggregateScopeCode(scope);
    const bool mine = posted != nullptr && posted_form == code + std::to_string(year);
    scopes.push_back(ScopeForm(*aggregates, scope, year, funds, title, mine ? posted : nullptr,
                               mine ? error : ""));
  };
  if (MayTypeNational(who)) {
    for (int y : {sel->year, sel->year - 1}) {
      add(report::AggregateScope::kNationalPole, y, {}, "Cnaf (pôle national) " + std::to_string(y));
      add(report::AggregateScope::kAllFunds, y, {}, "Ensemble des Caf " + std::to_string(y));
    }
  }
  if (MayTypeFund(who, *sel)) {
    add(report::AggregateScope::kFund, sel->year - 1, sel->organismes,
        "Caf " + sel->organisme + " " + std::to_string(sel->year - 1) +
            " (année précédant l'usage d'amiable)");
  }
  d.set("scopes", scopes);
  d.set("has_scopes", !scopes.empty());

  // The context figures.
  report::ContextText ct;
  if (ReportDataStore* data = ReportDataOf(store)) {
    auto c = data->GetContextFigures(report::FundSetKey(sel->organismes), sel->year);
    if (c && *c) ct = report::ContextTextOf(**c);
  }
  if (posted != nullptr && posted_form == "context") ct = ContextFromFields(*posted);
  List cfields;
  for (const auto& [name, value, hint] :
       std::vector<std::tuple<const char*, std::string, std::string>>{
           {"beneficiaries", ct.beneficiaries, "exemple : 133 331"},
           {"national_beneficiaries", ct.national_beneficiaries, "exemple : 12 888 188"},
           {"all_funds_requests", ct.all_funds_requests, "exemple : 35 555"},
           {"complaints", ct.complaints, ""},
           {"complaints_within_10_days", ct.complaints_within_10_days, "en % : 94,34"},
           {"complaints_mean_days", ct.complaints_mean_days, "exemple : 5,9"}}) {
    cfields.push_back(FieldData(name, report::ContextFieldLabel(name), value, hint, "c"));
  }
  d.set("context_fields", cfields);
  d.set("may_context", MayTypeNational(who) || MayTypeFund(who, *sel));
  d.set("context_source", ct.source.value_or(""));
  if (posted != nullptr && posted_form == "context" && !error.empty()) {
    d.set("context_error", error);
  }
  if (!posted) SetFlash(req, d);
  SendPage(env, res, "rapport_meteo", d, &who, error.empty() ? 200 : 400);
}

void TypedPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  const Fields f = FormFields(req);
  auto sel = SelectMeteo(env, who, store, f);
  if (!sel) return SendErrorPage(env, res, 404, ErrorText(sel.error()), &who);
  auto scope = report::AggregateScopeFromCode(Field(f, "scope"));
  const std::string y = Field(f, "scope_year");
  const int year = y.size() == 4 && std::all_of(y.begin(), y.end(), ::isdigit) ? std::stoi(y) : 0;
  if (!scope || year == 0) return SendErrorPage(env, res, 400, msg::Find("error.invalid"), &who);
  const bool national = *scope != report::AggregateScope::kFund;
  if (national ? !MayTypeNational(who) : !MayTypeFund(who, *sel)) {
    return SendErrorPage(env, res, 403, msg::Find("error.forbidden"), &who);
  }
  const std::string form = Field(f, "scope") + y;
  auto typed = report::ParseTypedFigures(TypedFromFields(f));
  if (!typed) return MeteoPage(env, who, store, req, res, &f, form, ErrorText(typed.error()));
  const std::vector<std::string> funds = national ? std::vector<std::string>{} : sel->organismes;
  auto a = report::TypedAggregate(*scope, year, funds, *typed, env.ctx->Today());
  if (!a) return MeteoPage(env, who, store, req, res, &f, form, ErrorText(a.error()));
  // The form shows every figure: what it sends replaces what was typed.
  auto aggregates = ReportData(who, store);
  if (!aggregates) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  if (auto s = aggregates->PutAggregate(*a); !s) {
    if (s.error().code == Error::Code::kForbidden) {
      return SendErrorPage(env, res, 403, ErrorText(s.error()).c_str(), &who);
    }
    LogError("meteo: cannot write", s.error());
    return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  }
  store.Audit(who.actor, "aggregate.set",
              Field(f, "scope") + " " + report::FundSetKey(funds) + " " + y);
  Redirect(res, WithFlash("/rapport/meteo?" + sel->query, true, "page.saved"));
}

void ContextPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res) {
  const Fields f = FormFields(req);
  auto sel = SelectMeteo(env, who, store, f);
  if (!sel) return SendErrorPage(env, res, 404, ErrorText(sel.error()), &who);
  ReportDataStore* data = ReportDataOf(store);
  if (data == nullptr) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  ContextFigures base;
  base.fund_set = report::FundSetKey(sel->organismes);
  base.year = sel->year;
  auto c = report::ApplyContextText(base, ContextFromFields(f), /*empty_clears=*/true);
  if (!c) return MeteoPage(env, who, store, req, res, &f, "context", ErrorText(c.error()));
  // The store decides who may write (store/report_data.h).
  if (auto s = data->PutContextFigures(who.actor, *c); !s) {
    if (s.error().code == Error::Code::kForbidden) {
      return SendErrorPage(env, res, 403, ErrorText(s.error()), &who);
    }
    LogError("meteo: cannot write the context figures", s.error());
    return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  }
  Redirect(res, WithFlash("/rapport/meteo?" + sel->query, true, "page.saved"));
}

}  // namespace

void RegisterMeteoRoutes(httplib::Server& server, Env& env) {
  server.Get("/rapport/meteo",
             Guarded(env, Need::kAny,
                     [](Env& e, Signed& w, Store& s, const httplib::Request& q,
                        httplib::Response& r) { MeteoPage(e, w, s, q, r, nullptr, "", ""); }));
  server.Post("/rapport/meteo/chiffres", Guarded(env, Need::kAny, TypedPost));
  server.Post("/rapport/meteo/contexte", Guarded(env, Need::kAny, ContextPost));
}

}  // namespace amiable::web::pages
