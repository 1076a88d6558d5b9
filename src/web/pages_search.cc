// Full-text search (/recherche?q=), as the signed-in user's Actor: another
// fund's case, or a case the user recused from, is never found. htmx asks
// for the results alone (HX-Request).
#include <httplib.h>

#include "web/pages_internal.h"

namespace amiable::web::pages {

Data SearchView(const std::string& q, const std::vector<Case>* found, int64_t total,
                const RowContext& rc) {
  Data d;
  d.set("title", "Recherche");
  d.set("q", q);
  if (found) {
    List rows;
    for (const Case& c : *found) rows.push_back(CaseRowView(c, rc));
    d.set("rows", rows);
    d.set("searched", true);
    d.set("count", std::to_string(total));
    d.set("none", found->empty());
  }
  return d;
}

namespace {

constexpr size_t kMaxQuery = 200;
constexpr int kMaxResults = 50;

void Search(Env& env, Signed& who, Store& store, const httplib::Request& req,
            httplib::Response& res) {
  const std::string q = req.get_param_value("q");
  std::optional<std::vector<Case>> found;
  int64_t total = 0;
  RowContext rc = LoadRowContext(store, env.ctx->Today());
  if (!q.empty()) {
    auto r = store.SearchCases(who.actor, q.substr(0, kMaxQuery), kMaxResults, &total);
    if (!r) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
    found = std::move(*r);
    LoadNames(store, who.actor, *found, rc);
    // The store keeps the terms as a keyed hash only (store/audit_store.h).
    if (env.ctx->audit) {
      env.ctx->audit->Record(who.actor, "case.search", q.substr(0, kMaxQuery));
    } else {
      store.Audit(who.actor, "case.search", q.substr(0, kMaxQuery));
    }
  }
  Data d = SearchView(q, found ? &*found : nullptr, total, rc);
  if (req.get_header_value("HX-Request") == "true") {
    return SendFragment(env, res, "recherche_resultats", d);
  }
  d.set("results_html", RenderTemplate(env, "recherche_resultats", d));
  SendPage(env, res, "recherche", d, &who);
}

}  // namespace

void RegisterSearchRoutes(httplib::Server& server, Env& env) {
  server.Get("/recherche", Guarded(env, Need::kCases, Search));
}

}  // namespace amiable::web::pages
