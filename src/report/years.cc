#include "report/years.h"

#include <functional>

#include "core/french_format.h"
#include "core/nomenclature.h"

namespace amiable::report {

namespace {

// A row and how its cell and its data point are read from a year's figures.
struct RowSpec {
  YearsRow row;
  std::function<Cell(const YearFigures&)> cell;
};

std::optional<double> Frac(CountRatio r) {
  if (r.den == 0) return std::nullopt;
  return static_cast<double>(r.num) / static_cast<double>(r.den);
}

const std::vector<RowSpec>& Specs() {
  static const std::vector<RowSpec>* specs = [] {
    auto* v = new std::vector<RowSpec>;
    auto add = [&](std::string code, std::string label, std::string group,
                   std::function<Cell(const YearFigures&)> cell) {
      v->push_back({{std::move(code), std::move(label), std::move(group)}, std::move(cell)});
    };
    const std::string req = "Demandes";
    add("received", "Demandes reçues", req, [](const YearFigures& f) { return Cell::Count(f.received); });
    add("inadmissible", "Demandes hors médiation (irrecevables)", req,
        [](const YearFigures& f) { return Cell::Count(f.inadmissible); });
    add("inadmissible_rate", "Part hors médiation (sur les demandes reçues)", req,
        [](const YearFigures& f) { return Cell::Ratio(f.InadmissibleRatio()); });
    add("closed", "Dossiers recevables clos", req,
        [](const YearFigures& f) { return Cell::Count(f.closed); });
    const std::string del = "Délais (dossiers clos)";
    add("delays.take_charge_working_days_avg", "Délai moyen de prise en charge (jours ouvrés)", del,
        [](const YearFigures& f) { return Cell::Days(f.delays.take_charge_working_days_avg); });
    add("delays.take_charge_within_target_rate",
        "Pris en charge en 8 jours ouvrés ou moins (sur les dossiers ayant une date de prise en "
        "charge)",
        del, [](const YearFigures& f) { return Cell::Ratio(f.delays.WithinTargetRatio()); });
    add("delays.answer_working_days_avg", "Délai moyen de réponse (jours ouvrés)", del,
        [](const YearFigures& f) { return Cell::Days(f.delays.answer_working_days_avg); });
    add("delays.answer_calendar_days_avg", "Délai moyen de réponse (jours calendaires)", del,
        [](const YearFigures& f) { return Cell::Days(f.delays.answer_calendar_days_avg); });
    const std::string res = "Résolutions (dossiers clos)";
    for (const NomenclatureEntry& e : nomenclature::Resolution().entries) {
      const std::string code(e.code);
      add("by_resolution." + code, std::string(e.label), res,
          [code](const YearFigures& f) { return Cell::Count(f.by_resolution.Count(code)); });
    }
    add("by_resolution.unknown", "Résolution non renseignée", res,
        [](const YearFigures& f) { return Cell::Count(f.by_resolution.unknown); });
    add("revision_rate", "Taux de révision (sur les résolutions connues)", res,
        [](const YearFigures& f) { return Cell::Ratio(f.RevisionRatio()); });
    const std::string fin = "Incidence financière (dossiers clos)";
    for (const NomenclatureEntry& e : nomenclature::FinancialKind().entries) {
      const std::string kind(e.code);
      add("financial." + kind + ".count", std::string(e.label) + " (nombre)", fin,
          [kind](const YearFigures& f) { return Cell::Count(f.Financial(kind).count); });
      add("financial." + kind + ".amount_cents", std::string(e.label) + " (montant)", fin,
          [kind](const YearFigures& f) { return Cell::Euros(f.Financial(kind).amount_cents); });
    }
    const std::string fraud = "Fraude (dossiers clos)";
    add("fraud_cases", "Dossiers clos liés à une fraude", fraud,
        [](const YearFigures& f) { return Cell::Count(f.fraud_cases); });
    add("fraud_rate", "Part des dossiers clos liés à une fraude", fraud,
        [](const YearFigures& f) { return Cell::Ratio(f.FraudRatio()); });
    const std::string tp = "Téléprocédure (formulaire en ligne)";
    add("teleprocedure.received", "Demandes reçues par téléprocédure", tp,
        [](const YearFigures& f) { return Cell::Count(f.teleprocedure.received); });
    add("teleprocedure.inadmissible_rate",
        "Part hors médiation (sur les demandes reçues par téléprocédure)", tp,
        [](const YearFigures& f) { return Cell::Ratio(f.teleprocedure.InadmissibleRatio()); });
    add("teleprocedure.closed", "Dossiers clos saisis par téléprocédure", tp,
        [](const YearFigures& f) { return Cell::Count(f.teleprocedure.closed); });
    add("teleprocedure.share_of_closed", "Part de la téléprocédure (sur les dossiers clos)", tp,
        [](const YearFigures& f) { return Cell::Ratio(f.TeleprocedureShareOfClosedRatio()); });
    add("teleprocedure.revision_rate",
        "Taux de révision par téléprocédure (sur leurs résolutions connues)", tp,
        [](const YearFigures& f) { return Cell::Ratio(f.teleprocedure.RevisionRatio()); });
    add("teleprocedure.take_charge_working_days_avg",
        "Délai moyen de prise en charge par téléprocédure (jours ouvrés)", tp,
        [](const YearFigures& f) { return Cell::Days(f.teleprocedure.take_charge_working_days_avg); });
    const std::string ir = "Demandes internes aux services de la Caf";
    add("internal_requests.sent", "Demandes internes envoyées", ir,
        [](const YearFigures& f) { return Cell::Count(f.internal_requests.sent); });
    add("internal_requests.answered", "Demandes internes ayant reçu une réponse", ir,
        [](const YearFigures& f) { return Cell::Count(f.internal_requests.answered); });
    add("internal_requests.answer_working_days_avg",
        "Délai moyen de réponse des services (jours ouvrés)", ir,
        [](const YearFigures& f) { return Cell::Days(f.internal_requests.answer_working_days_avg); });
    return v;
  }();
  return *specs;
}

}  // namespace

const std::vector<YearsRow>& YearsRows() {
  static const std::vector<YearsRow>* rows = [] {
    auto* v = new std::vector<YearsRow>;
    for (const RowSpec& s : Specs()) v->push_back(s.row);
    return v;
  }();
  return *rows;
}

Section YearsSection(std::span<const YearFigures> years) {
  Section s;
  s.id = "years";
  s.title = "Les années côte à côte";
  s.level = 2;
  Table t;
  t.id = "years";
  t.caption = "Chiffres clés par année";
  if (!years.empty()) {
    t.caption += " (" + std::to_string(years.front().year) +
                 (years.size() > 1 ? " à " + std::to_string(years.back().year) : "") + ")";
  }
  t.header = {"Indicateur"};
  t.widths = {4.0};
  for (const YearFigures& f : years) {
    t.header.push_back(std::to_string(f.year));
    t.widths.push_back(1.2);
  }
  for (const RowSpec& spec : Specs()) {
    std::vector<Cell> row = {Cell::Text(spec.row.label)};
    for (const YearFigures& f : years) row.push_back(spec.cell(f));
    t.rows.push_back(std::move(row));
  }
  t.note =
      "Une colonne par année ayant au moins un dossier reçu ou clos. Demandes : reçues dans "
      "l'année ; dossiers clos : dossiers recevables dont la clôture est dans l'année, "
      "population des délais, résolutions, montants et parts de fraude. Chaque part nomme son "
      "dénominateur ; n.d. : dénominateur vide.";
  s.AddTable(std::move(t));
  return s;
}

std::vector<DataPoint> YearsPoints(std::span<const YearFigures> years) {
  std::vector<DataPoint> out;
  for (const RowSpec& spec : Specs()) {
    for (const YearFigures& f : years) {
      const Cell c = spec.cell(f);
      DataPoint p;
      p.section = "years";
      p.code = spec.row.code;
      p.label = spec.row.label;
      p.year = f.year;
      if (c.kind == ValueKind::kEuros) {
        p.count = static_cast<double>(c.cents) / 100.0;
      } else if (c.kind == ValueKind::kRate) {
        p.share = c.ratio ? Frac(*c.ratio) : c.number;
        if (c.ratio) p.count = static_cast<double>(c.ratio->num);
      } else {
        p.count = c.number;
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

ReportModel YearsWorkbook(std::span<const YearFigures> years, std::string fund_label,
                          std::vector<std::string> organismes, Date as_of) {
  ReportModel m;
  const int first = years.empty() ? as_of.year() : years.front().year;
  const int last = years.empty() ? as_of.year() : years.back().year;
  // The cover prints "<title> <year>".
  m.title = first == last ? "Chiffres clés de l'année" : "Chiffres clés des années " +
                                                             std::to_string(first) + " à";
  m.year = last;
  m.fund_label = std::move(fund_label);
  m.organismes = std::move(organismes);
  m.as_of = as_of;
  m.generated_on = as_of;
  m.author = "amiable";
  m.subject = "Chiffres clés de la médiation administrative, par année";
  m.xlsx_sections.push_back(YearsSection(years));
  m.data = YearsPoints(years);
  return m;
}

}  // namespace amiable::report
