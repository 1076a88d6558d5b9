#include <algorithm>
#include <cmath>

#include "core/french_format.h"
#include "report/assemble_internal.h"

namespace amiable::report::assemble_internal {

void Assembler::Meteo(Section& s) {
  s.Subheading("La météo de la médiation");
  struct Column {
    std::string label;
    const YearFigures* f;
  };
  std::vector<std::pair<std::string, const ComparisonSource*>> sources;
  if (in_.national_pole) sources.push_back({"Pôle national", &*in_.national_pole});
  if (in_.all_funds_comparison) {
    sources.push_back({in_.all_funds_comparison->label, &*in_.all_funds_comparison});
  }
  std::vector<Column> cols;
  for (const auto& [label, src] : sources) {
    cols.push_back({label + " " + Y(py_), src->previous ? &*src->previous : nullptr});
    cols.push_back({label + " " + Y(y_), src->current ? &*src->current : nullptr});
  }
  const std::string own = ShortFundLabel();
  cols.push_back({own + " " + Y(py_), &prev_});
  cols.push_back({own + " " + Y(y_), &cur_});

  Table t;
  t.id = "meteo";
  t.caption = "La météo de la médiation : comparaison des délais et volumes";
  t.header = {"Indicateur"};
  t.widths = {3.2};
  for (const Column& c : cols) {
    t.header.push_back(c.label);
    t.widths.push_back(1.15);
  }
  auto row = [&](std::string label, auto cell_of) {
    std::vector<Cell> r = {Cell::Text(std::move(label))};
    for (const Column& c : cols) r.push_back(c.f ? cell_of(*c.f) : Cell::Missing());
    t.rows.push_back(std::move(r));
  };
  row("Délai de prise en charge (jours ouvrés)",
      [](const YearFigures& f) { return Cell::Days(f.delays.take_charge_working_days_avg); });
  row("Délai de réponse (jours ouvrés)",
      [](const YearFigures& f) { return Cell::Days(f.delays.answer_working_days_avg); });
  row("Délai de réponse (jours calendaires)",
      [](const YearFigures& f) { return Cell::Days(f.delays.answer_calendar_days_avg); });
  row("Dossiers clos", [](const YearFigures& f) { return Cell::Count(f.closed); });
  row("Demandes hors médiation", [](const YearFigures& f) { return Cell::Count(f.inadmissible); });
  row("Prise en charge en 8 jours ouvrés ou moins",
      [](const YearFigures& f) { return Cell::Ratio(f.delays.WithinTargetRatio()); });
  std::string note = "n.d. : chiffre non disponible.";
  for (const auto& [label, src] : sources) {
    note += " " + label + " : " + src->origin + ".";
    for (const YearFigures* f :
         {src->previous ? &*src->previous : nullptr, src->current ? &*src->current : nullptr}) {
      if (f == nullptr) continue;
      const std::string scope = label == "Pôle national" ? "national_pole" : "all_funds";
      Point("meteo", scope + ".take_charge_working_days_avg",
            label + " — délai de prise en charge (jours ouvrés)", f->year,
            f->delays.take_charge_working_days_avg);
      Point("meteo", scope + ".answer_working_days_avg",
            label + " — délai de réponse (jours ouvrés)", f->year,
            f->delays.answer_working_days_avg);
      Point("meteo", scope + ".answer_calendar_days_avg",
            label + " — délai de réponse (jours calendaires)", f->year,
            f->delays.answer_calendar_days_avg);
      Point("meteo", scope + ".closed", label + " — dossiers clos", f->year, D(f->closed));
      Point("meteo", scope + ".inadmissible", label + " — demandes hors médiation", f->year,
            D(f->inadmissible));
    }
  }
  if (sources.empty()) {
    note +=
        " Aucun chiffre national n'a été importé (amiable aggregate import) : seule la "
        "colonne de " +
        own + " est disponible.";
  }
  t.note = note;
  s.AddTable(std::move(t));
}

std::string Assembler::ShortFundLabel() const {
  if (in_.funds.size() == 1) return "Caf " + in_.funds[0].code;
  return in_.all_funds ? "Caf de la base" : "Caf sélectionnées";
}

void Assembler::Quarterly(Section& s) {
  s.Subheading("Indicateur trimestriel : prise en charge en 8 jours ouvrés");
  int met_target = 0;
  int measured = 0;
  for (const QuarterFigures& q : cur_.quarterly_take_charge) {
    if (!q.rate) continue;
    ++measured;
    if (*q.rate >= 0.75) ++met_target;
  }
  s.Paragraph(
      "Part des demandes recevables reçues dans le trimestre prises en charge dans les "
      "8 jours ouvrés suivant leur réception, pour un objectif d'au moins 75 % : "
      "objectif atteint " +
      std::to_string(met_target) + " trimestre(s) sur " + std::to_string(measured) +
      " mesuré(s) en " + Y(y_) +
      ". Les demandes pas encore prises en charge et encore dans leur délai au " +
      fr::ShortDate(cur_.as_of) + " sont en attente et hors du calcul.");
  Table t;
  t.id = "quarterly";
  t.caption = "Prise en charge en 8 jours ouvrés par trimestre de réception";
  t.header = {"Trimestre",      "Dans les 8 jours", "Au-delà",      "En attente",
              "Taux " + Y(py_), "Taux " + Y(y_),    "Objectif 75 %"};
  t.widths = {1.6, 1.2, 1.0, 1.1, 1.1, 1.1, 1.3};
  for (int i = 0; i < 4; ++i) {
    const QuarterFigures& q = cur_.quarterly_take_charge[i];
    const QuarterFigures& pq = prev_.quarterly_take_charge[i];
    const std::string label = std::to_string(i + 1) + (i == 0 ? "er" : "e") + " trimestre";
    t.rows.push_back({Cell::Text(label), Cell::Count(q.met), Cell::Count(q.missed),
                      Cell::Count(q.pending), Cell::Ratio(pq.Ratio()), Cell::Ratio(q.Ratio()),
                      Cell::Text(!q.rate ? "—" : (*q.rate >= 0.75 ? "atteint" : "non atteint"))});
    const std::string code = "q" + std::to_string(i + 1);
    for (const auto* f : {&prev_, &cur_}) {
      const QuarterFigures& x = f->quarterly_take_charge[i];
      Point("quarterly_take_charge", code + ".met", label + " — dans les 8 jours", f->year,
            D(x.met), x.rate);
      Point("quarterly_take_charge", code + ".missed", label + " — au-delà de 8 jours", f->year,
            D(x.missed));
      Point("quarterly_take_charge", code + ".pending", label + " — en attente", f->year,
            D(x.pending));
    }
  }
  t.note =
      "Taux : demandes prises en charge dans les 8 jours rapportées aux demandes dans les "
      "8 jours ou au-delà (hors attente). Calcul au " +
      fr::ShortDate(cur_.as_of) + ".";
  s.AddTable(std::move(t));
  Chart c;
  c.type = ChartType::kColumns;
  c.title = "Taux de prise en charge en 8 jours par trimestre";
  c.table = static_cast<int>(s.tables.size()) - 1;
  c.value_columns = {4, 5};
  c.target = 0.75;
  c.target_label = "objectif 75 %";
  s.AddChart(std::move(c));
}

}  // namespace amiable::report::assemble_internal
