#include <algorithm>
#include <cmath>

#include "core/french_format.h"
#include "report/assemble_internal.h"

namespace amiable::report::assemble_internal {

void Assembler::Requests() {
  Section& s = NewSection("requests", "Nombre de saisines et évolution", 2);
  std::string p = "En " + Y(y_) + ", " + fr::Count(cur_.received) +
                  " demandes de médiation ont été reçues, contre " + fr::Count(prev_.received) +
                  " en " + Y(py_) + EvolutionPhrase(cur_.received, prev_.received) +
                  ", soit en moyenne " + fr::Decimal(static_cast<double>(cur_.received) / 12.0, 1) +
                  " demandes par mois. ";
  p += fr::Count(cur_.inadmissible) + " d'entre elles ne relevaient pas de la médiation (" +
       Pct(cur_.InadmissibleRatio()) + " des demandes reçues), contre " +
       fr::Count(prev_.inadmissible) + " en " + Y(py_) + " (" + Pct(prev_.InadmissibleRatio()) +
       "). ";
  p += "L'étude porte sur les " + fr::Count(cur_.closed) + " dossiers recevables clos en " + Y(y_) +
       ", contre " + fr::Count(prev_.closed) + " en " + Y(py_) + ".";
  if (in_.history.size() > 2) {
    // The series covers every year of the database, from the first with a case.
    const YearPoint& first = in_.history.front();
    p += " Sur les " + std::to_string(in_.history.size()) + " années de " + Y(first.year) +
         " à " + Y(y_) + ", les demandes reçues sont passées de " + fr::Count(first.received) +
         " à " + fr::Count(cur_.received) + ".";
  }
  s.Paragraph(p);

  Table h;
  h.id = "history";
  h.caption = "Évolution annuelle des demandes";
  h.header = {"Année", "Demandes reçues", "Hors médiation", "Part hors médiation", "Dossiers clos"};
  h.widths = {1.2, 1.5, 1.5, 1.5, 1.5};
  for (const YearPoint& yp : in_.history) {
    const auto rate = Ratio(yp.inadmissible, yp.received);
    h.rows.push_back({Cell::Text(Y(yp.year)), Cell::Count(yp.received),
                      Cell::Count(yp.inadmissible), Cell::Ratio({yp.inadmissible, yp.received}),
                      Cell::Count(yp.closed)});
    Point("requests", "received", "Demandes reçues", yp.year, D(yp.received));
    Point("requests", "inadmissible", "Demandes hors médiation (part : sur les demandes reçues)",
          yp.year, D(yp.inadmissible), rate);
    Point("requests", "closed", "Dossiers recevables clos", yp.year, D(yp.closed));
  }
  h.note =
      "Part hors médiation : demandes irrecevables rapportées aux demandes reçues de "
      "l'année. Dossiers clos : dossiers recevables dont la clôture est dans l'année.";
  s.AddTable(std::move(h));
  if (in_.history.size() >= 2) {
    Chart c;
    c.type = ChartType::kLine;
    c.title = "Évolution du nombre de demandes";
    c.table = static_cast<int>(s.tables.size()) - 1;
    c.category_column = 0;
    c.value_columns = {1, 2, 4};
    s.AddChart(std::move(c));
  }

  Table mo;
  mo.id = "monthly";
  mo.caption = "Répartition mensuelle des demandes reçues";
  mo.header = {"Mois", Y(py_), Y(y_)};
  mo.widths = {2, 1, 1};
  for (int i = 0; i < 12; ++i) {
    mo.rows.push_back({Cell::Text(fr::CapitalizedMonthName(i + 1)),
                       Cell::Count(prev_.monthly_received[i]),
                       Cell::Count(cur_.monthly_received[i])});
    const std::string code = (i < 9 ? "0" : "") + std::to_string(i + 1);
    Point("monthly_received", code, fr::CapitalizedMonthName(i + 1), py_,
          D(prev_.monthly_received[i]));
    Point("monthly_received", code, fr::CapitalizedMonthName(i + 1), y_,
          D(cur_.monthly_received[i]));
  }
  mo.rows.push_back({Cell::Text("Total", true), Cell::Count(prev_.received, true),
                     Cell::Count(cur_.received, true)});
  mo.total_rows = 1;
  s.AddTable(std::move(mo));
  Chart mc;
  mc.type = ChartType::kColumns;
  mc.title = "Demandes reçues par mois";
  mc.table = static_cast<int>(s.tables.size()) - 1;
  mc.value_columns = {1, 2};
  s.AddChart(std::move(mc));
  Context(s);
}

void Assembler::Admissibility() {
  Section& s = NewSection("admissibility", "Les demandes hors médiation", 2);
  const Breakdown& b = cur_.by_inadmissibility_reason;
  std::string p = fr::Count(cur_.inadmissible) + " demandes reçues en " + Y(y_) +
                  " ne relevaient pas de la médiation, soit " + Pct(cur_.InadmissibleRatio()) +
                  " des " + fr::Count(cur_.received) + " demandes reçues (" +
                  Pct(prev_.InadmissibleRatio()) + " en " + Y(py_) + "). ";
  const std::string top = TopCode(b);
  if (!top.empty()) {
    p += "Motif le plus fréquent : " + Lower(Label(b.name, top)) + " (" + Pct(b.ShareRatio(top)) +
         " des " + fr::Count(b.Known()) + " demandes dont le motif est renseigné). ";
  }
  p += "Bien qu'irrecevables, ces demandes sont étudiées, reçoivent une réponse et sont "
       "orientées vers le service ou le partenaire compétent.";
  s.Paragraph(p);
  Point("admissibility", "inadmissible", "Demandes hors médiation (part : sur les demandes reçues)",
        py_, D(prev_.inadmissible), prev_.inadmissible_rate);
  Point("admissibility", "inadmissible", "Demandes hors médiation (part : sur les demandes reçues)",
        y_, D(cur_.inadmissible), cur_.inadmissible_rate);
  BreakdownTables(s, cur_.by_inadmissibility_reason, prev_.by_inadmissibility_reason,
                  "demandes hors médiation", "inadmissibility_reason");
}

std::string Assembler::Lower(std::string s) {
  // Only the first letter, ASCII or a two-byte Latin-1 capital (É -> é).
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') {
    s[0] = static_cast<char>(s[0] - 'A' + 'a');
  } else if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xC3) {
    const unsigned char c = static_cast<unsigned char>(s[1]);
    if (c >= 0x80 && c <= 0x9E) s[1] = static_cast<char>(c + 0x20);
  }
  return s;
}

std::string Assembler::TopCode(const Breakdown& b) {
  std::string top;
  int64_t best = 0;
  for (const auto& [code, n] : b.counts) {
    if (n > best) {
      best = n;
      top = code;
    }
  }
  return top;
}

void Assembler::BreakdownSection(const Breakdown& cur, const Breakdown& prev) {
  const BreakdownSpec& spec = SpecOf(cur.name);
  Section& s = NewSection(cur.name, std::string(spec.title), 2);
  const std::string top = TopCode(cur);
  if (!top.empty()) {
    std::string p = "En " + Y(y_) + ", « " + Label(cur.name, top) +
                    " » vient en tête : " + Dossiers(cur.Count(top)) + ", soit " +
                    Pct(cur.ShareRatio(top)) + " des " + fr::Count(cur.Known()) +
                    " dossiers clos dont " + std::string(spec.field) + " est renseigné";
    if (prev.Known() > 0) {
      p += " (" + Pct(prev.ShareRatio(top)) + " en " + Y(py_) + ")";
    }
    p += ".";
    if (spec.several) {
      p += " Un dossier pouvant en compter plusieurs, la somme des parts dépasse 100 %.";
    }
    s.Paragraph(p);
  } else {
    s.Paragraph("Aucun dossier clos en " + Y(y_) + " n'a " + std::string(spec.field) +
                " renseigné.");
  }
  BreakdownTables(s, cur, prev, "dossiers clos", cur.name);
}

// The table of a breakdown (both years) and its chart, plus the data points.
void Assembler::BreakdownTables(Section& s, const Breakdown& cur, const Breakdown& prev,
                                const std::string& population, const std::string& section_id,
                                const std::string& title_override) {
  const BreakdownSpec& spec = SpecOf(cur.name);
  const std::string title = title_override.empty() ? std::string(spec.title) : title_override;
  Table t;
  t.id = title_override.empty() ? cur.name : section_id;
  t.caption = title + " — " + Y(py_) + " et " + Y(y_);
  t.header = {"",        "Nombre " + Y(py_), "Part " + Y(py_), "Nombre " + Y(y_), "Part " + Y(y_),
              "Tendance"};
  t.widths = {4.2, 1.25, 1.25, 1.25, 1.25, 1.0};
  for (const auto& [code, n] : cur.counts) {
    const std::string label = Label(cur.name, code);
    t.rows.push_back({Cell::Text(label), Cell::Count(prev.Count(code)),
                      Cell::Ratio(prev.ShareRatio(code)), Cell::Count(n),
                      Cell::Ratio(cur.ShareRatio(code)),
                      TrendCell(FigureKind::kRate, cur.Share(code), prev.Share(code), in_.trend)});
    Point(section_id, code, label, py_, D(prev.Count(code)), prev.Share(code));
    Point(section_id, code, label, y_, D(n), cur.Share(code));
  }
  t.rows.push_back({Cell::Text("Non renseigné"), Cell::Count(prev.unknown), Cell::Text("—"),
                    Cell::Count(cur.unknown), Cell::Text("—"), Cell::Text("")});
  t.rows.push_back({Cell::Text("Ensemble des " + population, true),
                    Cell::Count(prev.population, true), Cell::Text(""),
                    Cell::Count(cur.population, true), Cell::Text(""), Cell::Text("")});
  t.total_rows = 2;
  Point(section_id, "unknown", "Non renseigné", py_, D(prev.unknown));
  Point(section_id, "unknown", "Non renseigné", y_, D(cur.unknown));
  Point(section_id, "population", "Ensemble des " + population, py_, D(prev.population));
  Point(section_id, "population", "Ensemble des " + population, y_, D(cur.population));
  t.note = "Part : nombre rapporté aux " + fr::Count(cur.Known()) + " " + population + " de " +
           Y(y_) + " dont " + std::string(spec.field) + " est renseigné (" +
           fr::Count(prev.Known()) + " en " + Y(py_) + ").";
  if (spec.several) {
    t.note +=
        " Un dossier pouvant en compter plusieurs, les nombres s'additionnent au-delà "
        "du nombre de dossiers et la somme des parts dépasse 100 %.";
  }
  s.AddTable(std::move(t));
  Chart c;
  c.type = spec.chart;
  c.table = static_cast<int>(s.tables.size()) - 1;
  if (spec.chart == ChartType::kPie) {
    const bool feminine = population.rfind("demandes", 0) == 0;
    c.title = title + " en " + Y(y_) + " (parts des " + population +
              (feminine ? " renseignées)" : " renseignés)");
    c.value_columns = {3};
    if (cur.Known() == 0) return;
  } else {
    c.title = title + " (nombre de dossiers)";
    c.value_columns = {1, 3};
  }
  s.AddChart(std::move(c));
}

void Assembler::Delays() {
  Section& s = NewSection("delays", "Les délais de traitement", 2);
  const DelayFigures& d = cur_.delays;
  const DelayFigures& pd = prev_.delays;
  s.Paragraph("Prise en charge des saisines : " + fr::Days(d.take_charge_working_days_avg) +
              " ouvrés en moyenne en " + Y(y_) + ", contre " +
              fr::Days(pd.take_charge_working_days_avg) + " en " + Y(py_) +
              ", pour un objectif national de 8 jours ouvrés. Délai de traitement réel, de la "
              "réception à la réponse : " +
              fr::Days(d.answer_calendar_days_avg) + " calendaires (" +
              fr::Days(d.answer_working_days_avg) + " ouvrés), contre " +
              fr::Days(pd.answer_calendar_days_avg) + " calendaires en " + Y(py_) + ".");
  Table t = YearTable("delays", "Délais moyens des dossiers clos");
  DaysRow(t, "Délai moyen de prise en charge (jours ouvrés)", d.take_charge_working_days_avg,
          pd.take_charge_working_days_avg);
  DaysRow(t, "Délai moyen de réponse (jours ouvrés)", d.answer_working_days_avg,
          pd.answer_working_days_avg);
  DaysRow(t, "Délai moyen de réponse (jours calendaires)", d.answer_calendar_days_avg,
          pd.answer_calendar_days_avg);
  RateRow(t, "Dossiers pris en charge en 8 jours ouvrés ou moins", d.WithinTargetRatio(),
          pd.WithinTargetRatio());
  t.note = "Délais mesurés de la réception à la prise en charge sur les " +
           fr::Count(d.with_take_charge) + " dossiers clos en " + Y(y_) +
           " ayant une date de prise en charge (" + fr::Count(pd.with_take_charge) + " en " +
           Y(py_) + "), et de la réception à la réponse sur les " + fr::Count(d.with_answer) +
           " ayant une date de réponse (" + fr::Count(pd.with_answer) + " en " + Y(py_) +
           "). Jours ouvrés : du lundi au vendredi, hors jours fériés de la zone de chaque Caf.";
  s.AddTable(std::move(t));
  for (const auto* f : {&prev_, &cur_}) {
    Point("delays", "take_charge_working_days_avg", "Délai moyen de prise en charge (jours ouvrés)",
          f->year, f->delays.take_charge_working_days_avg);
    Point("delays", "answer_working_days_avg", "Délai moyen de réponse (jours ouvrés)", f->year,
          f->delays.answer_working_days_avg);
    Point("delays", "answer_calendar_days_avg", "Délai moyen de réponse (jours calendaires)",
          f->year, f->delays.answer_calendar_days_avg);
    Point("delays", "take_charge_within_target_rate",
          "Dossiers pris en charge en 8 jours ouvrés ou moins (part : sur les dossiers clos "
          "ayant une date de prise en charge)",
          f->year, D(f->delays.within_target), f->delays.take_charge_within_target_rate);
  }
  // Internal requests (G@ci): the questions put to the fund's services.
  const InternalRequestFigures& ir = cur_.internal_requests;
  const InternalRequestFigures& pir = prev_.internal_requests;
  Table it = YearTable("internal_requests", "Demandes internes aux services de la Caf");
  CountRow(it, "Demandes internes envoyées", ir.sent, pir.sent);
  CountRow(it, "Demandes ayant reçu une réponse", ir.answered, pir.answered);
  DaysRow(it, "Délai moyen de réponse des services (jours ouvrés)", ir.answer_working_days_avg,
          pir.answer_working_days_avg);
  it.note = "Demandes envoyées dans l'année, quelle que soit la date de réception du dossier ; "
            "délai mesuré de l'envoi à la réponse sur les " +
            fr::Count(ir.with_delay) + " demandes ayant reçu une réponse (" +
            fr::Count(pir.with_delay) + " en " + Y(py_) + ").";
  s.AddTable(std::move(it));
  for (const auto* f : {&prev_, &cur_}) {
    Point("delays", "internal_requests_sent", "Demandes internes envoyées", f->year,
          D(f->internal_requests.sent));
    Point("delays", "internal_requests_answer_working_days_avg",
          "Délai moyen de réponse des services (jours ouvrés)", f->year,
          f->internal_requests.answer_working_days_avg);
  }
  Meteo(s);
  Quarterly(s);
}

}  // namespace amiable::report::assemble_internal
