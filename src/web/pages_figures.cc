// The figures of a year (/chiffres?annee=&organisme=): one definition per
// figure (figures/figures.h); the funds are those the signed-in user sees.
#include <httplib.h>

#include <algorithm>

#include "figures/figures.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {

Data FiguresView(const FiguresInput& in, const Labels& l) {
  Data d;
  d.set("title", "Chiffres de l'année");
  List years;
  for (int y = in.this_year; y >= in.this_year - 5; --y) {
    Data yd;
    yd.set("year", std::to_string(y));
    yd.set("selected", y == in.year);
    years.push_back(yd);
  }
  d.set("years", years);
  d.set("funds", FundOptions(in.funds, in.wanted));
  d.set("all_selected", in.wanted.empty());
  d.set("wanted", in.wanted);
  d.set("year", std::to_string(in.year));
  if (!in.figures) {
    d.set("nothing", true);
    return d;
  }
  const YearFigures& y = *in.figures;
  auto n = [](int64_t v) { return std::to_string(v); };
  d.set("received", n(y.received));
  d.set("inadmissible", n(y.inadmissible));
  d.set("inadmissible_rate", Percent(y.inadmissible_rate));
  d.set("closed", n(y.closed));
  auto days = [](std::optional<double> v, const char* unit) {
    if (!v) return std::string("—");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", *v);
    std::string s = buf;
    std::replace(s.begin(), s.end(), '.', ',');
    return s + " " + unit;
  };
  d.set("take_charge_avg", days(y.delays.take_charge_working_days_avg, "jours ouvrés"));
  d.set("answer_avg", days(y.delays.answer_calendar_days_avg, "jours"));
  d.set("answer_working_avg", days(y.delays.answer_working_days_avg, "jours ouvrés"));
  d.set("within_target", Percent(y.delays.take_charge_within_target_rate));
  d.set("fraud_rate", Percent(y.fraud_rate));
  d.set("revision_rate", Percent(y.revision_rate));
  List months;
  static const char* kMonths[] = {"janv.", "févr.", "mars", "avr.", "mai", "juin",
                                  "juil.", "août", "sept.", "oct.", "nov.", "déc."};
  for (int m = 0; m < 12; ++m) {
    Data md;
    md.set("month", kMonths[m]);
    md.set("count", n(y.monthly_received[static_cast<size_t>(m)]));
    months.push_back(md);
  }
  d.set("months", months);
  List quarters;
  for (const QuarterFigures& q : y.quarterly_take_charge) {
    Data qd;
    qd.set("quarter", "T" + std::to_string(q.quarter));
    qd.set("met", n(q.met));
    qd.set("missed", n(q.missed));
    qd.set("pending", n(q.pending));
    qd.set("rate", Percent(q.rate));
    quarters.push_back(qd);
  }
  d.set("quarters", quarters);
  List fin;
  for (const FinancialFigures& f : y.financial) {
    Data fd;
    fd.set("kind", l.Of(nomenclature::FinancialKind(), f.kind));
    fd.set("count", n(f.count));
    fd.set("amount", Euros(f.amount_cents));
    fin.push_back(fd);
  }
  d.set("financial", fin);
  static const std::pair<const char*, const char*> kTitles[] = {
      {"inadmissibility_reason", "Motifs d'irrecevabilité (demandes irrecevables)"},
      {"channel", "Mode de saisine"},
      {"emitter", "Émetteur"},
      {"prior_step", "Démarche préalable"},
      {"motive", "Motifs (plusieurs par dossier)"},
      {"benefit", "Prestations (plusieurs par dossier)"},
      {"cause", "Cause (côté Caf)"},
      {"resolution", "Résolution"},
      {"household", "Catégorie de foyer"},
      {"activity", "Activité"},
      {"qf_bracket", "Quotient familial"},
      {"response_mode", "Mode de réponse (plusieurs par dossier)"},
  };
  List breakdowns;
  for (const auto& [name, title] : kTitles) {
    const Breakdown* b = y.FindBreakdown(name);
    const Nomenclature* nom = nomenclature::Find(name);
    if (!b || !nom) continue;
    Data bd;
    bd.set("title", title);
    bd.set("id", std::string("t-") + name);
    bd.set("known", n(b->Known()));
    List rows;
    for (const auto& [code, count] : b->counts) {
      Data r;
      r.set("label", l.Of(*nom, code));
      r.set("count", n(count));
      r.set("share", Percent(b->Share(code)));
      rows.push_back(r);
    }
    bd.set("rows", rows);
    bd.set("unknown", n(b->unknown));
    breakdowns.push_back(bd);
  }
  d.set("breakdowns", breakdowns);
  Data tp;
  tp.set("received", n(y.teleprocedure.received));
  tp.set("inadmissible_rate", Percent(y.teleprocedure.inadmissible_rate));
  tp.set("closed", n(y.teleprocedure.closed));
  tp.set("share_of_closed", Percent(y.teleprocedure.share_of_closed));
  tp.set("revision_rate", Percent(y.teleprocedure.revision_rate));
  d.set("tp", tp);
  Data ir;
  ir.set("sent", n(y.internal_requests.sent));
  ir.set("answered", n(y.internal_requests.answered));
  ir.set("answer_avg", days(y.internal_requests.answer_working_days_avg, "jours ouvrés"));
  d.set("ir", ir);
  d.set("shown", true);
  return d;
}


Result<FiguresFunds> FiguresFundsOf(Store& store, const Signed& who, std::string wanted) {
  auto orgs = store.ListOrganismes();
  if (!orgs) return Fail(orgs.error());
  FiguresFunds out;
  for (const Organisme& o : *orgs) {
    if (who.actor.CanSee(o.code)) out.visible.push_back(o);
  }
  const auto it = std::find_if(out.visible.begin(), out.visible.end(),
                               [&](const Organisme& o) { return o.code == wanted; });
  if (!wanted.empty()) {
    if (it == out.visible.end()) {
      return Fail(msg::Make(Error::Code::kNotFound, "figures.organisme_unknown", "organisme"));
    }
    out.selected = {wanted};
  } else {
    for (const Organisme& o : out.visible) out.selected.push_back(o.code);
  }
  out.wanted = std::move(wanted);
  return out;
}

namespace {

void FiguresPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res) {
  const Date today = env.ctx->Today();
  int year = today.year();
  if (req.has_param("annee")) {
    const std::string y = req.get_param_value("annee");
    if (y.size() == 4 && std::all_of(y.begin(), y.end(), ::isdigit)) year = std::stoi(y);
  }
  auto funds = FiguresFundsOf(store, who, req.get_param_value("organisme"));
  if (!funds) {
    if (funds.error().code == Error::Code::kNotFound) {
      return SendErrorPage(env, res, 404, msg::Find("figures.organisme_unknown"), &who);
    }
    return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  }
  const std::vector<std::string>& selected = funds->selected;
  FiguresInput in;
  in.this_year = today.year();
  in.year = year;
  in.wanted = funds->wanted;
  in.funds = funds->visible;
  std::optional<YearFigures> fig;
  if (!selected.empty()) {
    auto f = ComputeFigures(store, selected, year, today);
    if (!f) return SendErrorPage(env, res, 400, msg::Find("figures.year_impossible"), &who);
    fig = std::move(*f);
  }
  in.figures = fig ? &*fig : nullptr;
  Data d = FiguresView(in, Labels(store));
  SendPage(env, res, "chiffres", d, &who);
}

}  // namespace

void RegisterFiguresRoutes(httplib::Server& server, Env& env) {
  server.Get("/chiffres", Guarded(env, Need::kAny, FiguresPage));
  RegisterYearsRoutes(server, env);
}

}  // namespace amiable::web::pages
