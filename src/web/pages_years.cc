// The years side by side (/chiffres/annees?organisme=, issue 10 part 7): the
// key figures of every year of the database for the funds the signed-in user
// sees (or the one chosen), one column per year, and the same table as a
// workbook (/chiffres/annees/telecharger). The table is report/years.h's,
// every cell a figure of ComputeFigures (figures/years.h), so the page, the
// workbook, the report's sheet « Années » and `amiable stats` agree.
#include <httplib.h>

#include "core/french_format.h"
#include "figures/years.h"
#include "report/assemble.h"
#include "report/report.h"
#include "report/years.h"
#include "report/writers.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {

Data YearsView(const YearsInput& in) {
  Data d;
  d.set("title", msg::Find("page.years_title"));
  d.set("funds", FundOptions(in.funds, in.wanted));
  d.set("all_selected", in.wanted.empty());
  d.set("wanted", in.wanted);
  if (in.no_fund) {
    d.set("no_fund", true);
    return d;
  }
  if (in.years.empty()) {
    d.set("none", msg::Find("page.years_none"));
    return d;
  }
  const report::Section s = report::YearsSection(in.years);
  const report::Table& t = s.tables.front();
  d.set("caption", t.caption);
  d.set("note", t.note);
  d.set("first", std::to_string(in.years.front().year));
  d.set("last", std::to_string(in.years.back().year));
  List years;
  for (size_t i = 1; i < t.header.size(); ++i) years.push_back(Data("year", t.header[i]));
  d.set("years", years);
  const auto& specs = report::YearsRows();
  List groups;
  std::string group;
  Data g;
  List rows;
  auto flush = [&] {
    if (group.empty()) return;
    g.set("rows", rows);
    groups.push_back(g);
    rows = List();
  };
  for (size_t r = 0; r < t.rows.size() && r < specs.size(); ++r) {
    if (specs[r].group != group) {
      flush();
      group = specs[r].group;
      g = Data();
      g.set("group", group);
      g.set("span", std::to_string(t.header.size()));
    }
    Data row;
    row.set("code", specs[r].code);
    row.set("label", t.rows[r][0].Display());
    List cells;
    for (size_t i = 1; i < t.rows[r].size(); ++i) {
      Data c;
      c.set("value", t.rows[r][i].Display());
      c.set("year", t.header[i]);
      cells.push_back(c);
    }
    row.set("cells", cells);
    rows.push_back(row);
  }
  flush();
  d.set("groups", groups);
  d.set("shown", true);
  return d;
}

namespace {

// The funds asked for and their figures for every year, or the page sent.
struct Gathered {
  FiguresFunds funds;
  std::vector<YearFigures> years;
};

std::optional<Gathered> Gather(Env& env, Signed& who, Store& store, const httplib::Request& req,
                               httplib::Response& res) {
  auto funds = FiguresFundsOf(store, who, req.get_param_value("organisme"));
  if (!funds) {
    if (funds.error().code == Error::Code::kNotFound) {
      SendErrorPage(env, res, 404, msg::Find("figures.organisme_unknown"), &who);
    } else {
      SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
    }
    return std::nullopt;
  }
  Gathered g;
  if (!funds->selected.empty()) {
    auto years = FiguresOfEveryYear(store, funds->selected, env.ctx->Today());
    if (!years) {
      LogError("years side by side", years.error());
      SendErrorPage(env, res, 500, msg::Find("figures.years_failed"), &who);
      return std::nullopt;
    }
    g.years = std::move(*years);
  }
  g.funds = std::move(*funds);
  return g;
}

void YearsPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  auto g = Gather(env, who, store, req, res);
  if (!g) return;
  YearsInput in;
  in.wanted = g->funds.wanted;
  in.funds = g->funds.visible;
  in.years = std::move(g->years);
  in.no_fund = g->funds.selected.empty();
  Data d = YearsView(in);
  SendPage(env, res, "chiffres_annees", d, &who);
}

void YearsDownload(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  auto g = Gather(env, who, store, req, res);
  if (!g) return;
  if (g->funds.selected.empty()) {
    return SendErrorPage(env, res, 404, msg::Find("report.no_fund"), &who);
  }
  std::vector<Organisme> chosen;
  for (const Organisme& o : g->funds.visible) {
    if (g->funds.wanted.empty() || o.code == g->funds.wanted) chosen.push_back(o);
  }
  auto all = store.ListOrganismes();
  const bool all_funds = all && chosen.size() == all->size();
  const report::ReportModel m = report::YearsWorkbook(
      g->years, report::FundLabel(chosen, all_funds), g->funds.selected, env.ctx->Today());
  auto bytes = report::RenderXlsx(m);
  if (!bytes) {
    LogError("years side by side: cannot render the workbook", bytes.error());
    return SendErrorPage(env, res, 500, msg::Find("report.render_failed"), &who);
  }
  store.Audit(who.actor, "figures.download",
              "annees/" + report::FundSetKey(g->funds.selected) + "/xlsx");
  std::string name = "chiffres-par-annee-" +
                     (g->funds.wanted.empty() ? std::string("mes-organismes") : g->funds.wanted);
  res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".xlsx\"");
  res.set_content(std::move(*bytes), report::ReportContentType(report::ReportFormat::kXlsx));
}

}  // namespace

void RegisterYearsRoutes(httplib::Server& server, Env& env) {
  server.Get("/chiffres/annees", Guarded(env, Need::kAny, YearsPage));
  server.Get("/chiffres/annees/telecharger", Guarded(env, Need::kAny, YearsDownload));
}

}  // namespace amiable::web::pages
