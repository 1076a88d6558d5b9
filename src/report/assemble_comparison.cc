#include <algorithm>
#include <cmath>

#include "core/french_format.h"
#include "report/assemble_internal.h"

namespace amiable::report::assemble_internal {

namespace {

// One column of the météo.
struct MeteoColumn {
  std::string source_label;  // "Cnaf"
  std::string scope;         // data points: "national_pole", "all_funds", "fund"
  int year = 0;
  const ComparisonYear* data = nullptr;  // nullptr: not available
};

// "Cnaf 2024 et 2025 : saisis le 02/12/2026" or, when the years differ,
// "Cnaf 2024 : fichier importé (…) ; Cnaf 2025 : saisis le …".
std::string OriginsOf(const MeteoColumn& prev, const MeteoColumn& cur) {
  auto origin = [](const MeteoColumn& c) {
    return c.data != nullptr ? c.data->origin : std::string("non disponibles");
  };
  if (origin(prev) == origin(cur)) {
    return prev.source_label + " " + Y(prev.year) + " et " + Y(cur.year) + " : " + origin(cur);
  }
  return prev.source_label + " " + Y(prev.year) + " : " + origin(prev) + " ; " +
         cur.source_label + " " + Y(cur.year) + " : " + origin(cur);
}

}  // namespace

void Assembler::Meteo(Section& s) {
  s.Subheading("La météo de la médiation");
  // Computed columns of the fund (or a typed/imported year before amiable).
  ComparisonYear own_cur{cur_, in_.own_origin, {}};
  ComparisonYear own_prev{prev_, in_.own_origin, {}};
  const ComparisonYear* own_prev_data = in_.own_previous ? &*in_.own_previous : &own_prev;

  const std::string own = ShortFundLabel();
  struct Pair {
    std::string label;
    std::string scope;
    const std::optional<ComparisonSource>* src;
  };
  const Pair pairs[] = {{"Cnaf", "national_pole", &in_.national_pole},
                        {"Ensemble des Caf", "all_funds", &in_.all_funds_comparison},
                        {own, "fund", nullptr}};
  std::vector<MeteoColumn> cols;
  for (const Pair& p : pairs) {
    MeteoColumn prev{p.label, p.scope, py_, nullptr};
    MeteoColumn cur{p.label, p.scope, y_, nullptr};
    if (p.src == nullptr) {
      prev.data = own_prev_data;
      cur.data = &own_cur;
    } else if (p.src->has_value()) {
      const ComparisonSource& src = **p.src;
      if (src.previous) prev.data = &*src.previous;
      if (src.current) cur.data = &*src.current;
    }
    cols.push_back(prev);
    cols.push_back(cur);
  }

  Table t;
  t.id = "meteo";
  t.caption = "La météo de la médiation : comparaison des délais et volumes";
  t.header = {"Indicateur"};
  t.widths = {2.6};
  for (const MeteoColumn& c : cols) {
    t.header.push_back(c.source_label + " " + Y(c.year));
    t.widths.push_back(1.1);
  }
  // A row of the table; `key` is the figure's key in Aggregate::given.
  auto row = [&](std::string label, std::string_view key, auto cell_of) {
    std::vector<Cell> r = {Cell::Text(std::move(label))};
    for (const MeteoColumn& c : cols) {
      r.push_back(c.data != nullptr && c.data->Gives(key) ? cell_of(c.data->figures)
                                                          : Cell::Missing());
    }
    t.rows.push_back(std::move(r));
  };
  row("Délai de prise en charge (jours ouvrés)", "delays.take_charge_working_days_avg",
      [](const YearFigures& f) { return Cell::Days(f.delays.take_charge_working_days_avg); });
  row("Délai de réponse (jours ouvrés)", "delays.answer_working_days_avg",
      [](const YearFigures& f) { return Cell::Days(f.delays.answer_working_days_avg); });
  row("Délai de réponse (jours calendaires)", "delays.answer_calendar_days_avg",
      [](const YearFigures& f) { return Cell::Days(f.delays.answer_calendar_days_avg); });
  row("Dossiers clos", "closed", [](const YearFigures& f) { return Cell::Count(f.closed); });
  row("Demandes hors médiation", "inadmissible",
      [](const YearFigures& f) { return Cell::Count(f.inadmissible); });
  row("Prise en charge en 8 jours ouvrés ou moins", "delays.take_charge_within_target_rate",
      [](const YearFigures& f) {
        const CountRatio r = f.delays.WithinTargetRatio();
        return r.den > 0 ? Cell::Ratio(r) : Cell::Rate(f.delays.take_charge_within_target_rate);
      });

  for (const MeteoColumn& c : cols) {
    if (c.data == nullptr || c.scope == "fund") continue;
    const YearFigures& f = c.data->figures;
    const std::string& label = c.source_label;
    auto point = [&](std::string_view key, std::string code, std::string what,
                     std::optional<double> v) {
      if (c.data->Gives(key)) Point("meteo", c.scope + "." + code, label + " — " + what, c.year, v);
    };
    point("delays.take_charge_working_days_avg", "take_charge_working_days_avg",
          "délai de prise en charge (jours ouvrés)", f.delays.take_charge_working_days_avg);
    point("delays.answer_working_days_avg", "answer_working_days_avg",
          "délai de réponse (jours ouvrés)", f.delays.answer_working_days_avg);
    point("delays.answer_calendar_days_avg", "answer_calendar_days_avg",
          "délai de réponse (jours calendaires)", f.delays.answer_calendar_days_avg);
    point("closed", "closed", "dossiers clos", D(f.closed));
    point("inadmissible", "inadmissible", "demandes hors médiation", D(f.inadmissible));
  }

  std::string note =
      "Cnaf : pôle national de la médiation. Chaque délai est donné dans l'unité de sa source : "
      "jours ouvrés (du lundi au vendredi, hors jours fériés) ou jours calendaires ; n.d. : "
      "chiffre non donné par la source ou non disponible. Sources : ";
  for (size_t i = 0; i + 1 < cols.size(); i += 2) {
    if (i > 0) note += " ; ";
    note += OriginsOf(cols[i], cols[i + 1]);
  }
  note += ".";
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
