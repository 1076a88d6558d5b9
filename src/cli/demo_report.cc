// `amiable demo seed`: the report data of the demonstration (issue 10), so
// that a newcomer's first report of fund 631 has its météo with the
// published national figures, its context figures and a register followed
// from one year to the next. Written once: nothing is added when the
// database already holds typed aggregates or register items.
//
// The national figures are those the reference report published for 2024
// and 2025 (domain.md §6); the register items are examples written for the
// demonstration.
#include <cstdio>

#include "cli/commands.h"
#include "report/report_store.h"
#include "report/typed_aggregate.h"
#include "store/report_data.h"
#include "store/store.h"

namespace amiable::cli {

namespace {

struct PublishedComparison {
  report::AggregateScope scope;
  int year;
  double take_charge_working_days;
  double answer_calendar_days;
  int64_t closed;
  int64_t inadmissible;
};

constexpr PublishedComparison kPublished[] = {
    {report::AggregateScope::kAllFunds, 2025, 5.12, 22.80, 24579, 9054},
    {report::AggregateScope::kNationalPole, 2025, 4.09, 24.46, 189, 33},
    {report::AggregateScope::kAllFunds, 2024, 7.17, 25.57, 20925, 5146},
    {report::AggregateScope::kNationalPole, 2024, 3.32, 27.86, 188, 40},
};

struct DemoItem {
  int year;
  const char* kind;
  const char* theme;
  const char* text;
  const char* addressed_to;
};

constexpr DemoItem kItems[] = {
    {2024, "preconisation", "information",
     "Joindre aux notifications d'indu une explication du calcul en **langage clair**.",
     "Service prestations"},
    {2024, "preconisation", "delais",
     "Traiter en priorité les requêtes sur un **arrêt des droits** pour éviter les ruptures.",
     "Direction de la production"},
    {2025, "constat", "fiabilite",
     "Des pièces transmises en ligne ne sont pas rattachées au dossier avant la décision.", ""},
    {2025, "preconisation", "competences",
     "Partager chaque trimestre les enseignements de la médiation avec les managers des unités.",
     "Responsable du service prestations"},
};

}  // namespace

Status SeedDemoReportData(Store& store, const Actor& actor, Date today) {
  ReportDataStore* data = ReportDataOf(store);
  if (data == nullptr) return {};
  auto existing = data->AggregateRows(0);
  if (!existing) return Fail(existing.error());
  report::DbReportStore reports(*data, actor);
  if (existing->empty()) {
    for (const PublishedComparison& p : kPublished) {
      report::TypedFigures t;
      t.take_charge_working_days = p.take_charge_working_days;
      t.answer_calendar_days = p.answer_calendar_days;
      t.closed = p.closed;
      t.inadmissible = p.inadmissible;
      auto a = report::TypedAggregate(p.scope, p.year, {}, t, today);
      if (!a) return Fail(a.error());
      if (auto s = report::PutTypedAggregate(reports, *a); !s) return Fail(s.error());
    }
    ContextFigures c;
    c.fund_set = "631";
    c.year = 2025;
    c.beneficiaries = 133331;
    c.national_beneficiaries = 12888188;
    c.all_funds_requests = 35555;
    c.complaints = 27149;
    c.source = "Cnaf, fichier des allocataires au 30 juin 2025 ; rapport national de la médiation";
    if (auto s = data->PutContextFigures(actor, c); !s) return Fail(s.error());
    std::printf("Rapport : chiffres nationaux publiés (2024, 2025) et chiffres de contexte de 631\n");
  }
  RecommendationFilter f;
  f.organismes = {"631"};
  auto items = data->Recommendations(actor, f);
  if (!items) return Fail(items.error());
  if (!items->empty()) return {};
  int64_t first = 0;
  for (const DemoItem& i : kItems) {
    Recommendation r;
    r.organisme = "631";
    r.year = i.year;
    r.kind = i.kind;
    r.theme = i.theme;
    r.text = i.text;
    r.addressed_to = i.addressed_to;
    auto id = data->AddRecommendation(actor, r);
    if (!id) return Fail(id.error());
    if (first == 0) first = *id;
  }
  RecommendationFollowUp fu;
  fu.year = 2025;
  fu.on = "2025-06-30";
  fu.status = "mise_en_oeuvre";
  fu.note = "Un modèle de courrier expliqué est utilisé depuis juin par les gestionnaires.";
  if (auto s = data->AddRecommendationFollowUp(actor, first, fu); !s) return Fail(s.error());
  std::printf("Rapport : %zu préconisations de démonstration pour 631 (2024, 2025)\n",
              std::size(kItems));
  return {};
}

}  // namespace amiable::cli
