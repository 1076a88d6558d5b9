#include <algorithm>
#include <cmath>

#include "core/french_format.h"
#include "report/assemble_internal.h"

namespace amiable::report::assemble_internal {

std::string Assembler::FinancialLabel(std::string_view kind) {
  if (kind == "rappel") return "Rappels versés";
  if (kind == "indu_detecte") return "Indus détectés à la suite de la médiation";
  if (kind == "indu_annule") return "Indus injustifiés annulés";
  if (kind == "indu_remis") return "Indus remis par la commission de recours amiable";
  return Label("financial_kind", kind);
}

void Assembler::Financial() {
  Section& s = NewSection("financial", "L'impact financier", 2);
  const FinancialFigures r = cur_.Financial("rappel");
  const FinancialFigures pr = prev_.Financial("rappel");
  std::vector<std::string> items;
  items.push_back(Plural(r.count, "rappel", "rappels") + " pour un montant global de " +
                  fr::Euros(r.amount_cents) + ", contre " + Plural(pr.count, "rappel", "rappels") +
                  " pour " + fr::Euros(pr.amount_cents) + " en " + Y(py_) + ".");
  for (const char* kind : {"indu_detecte", "indu_annule", "indu_remis"}) {
    const FinancialFigures k = cur_.Financial(kind);
    const FinancialFigures pk = prev_.Financial(kind);
    items.push_back(FinancialLabel(kind) + " : " + fr::Count(k.count) + " pour " +
                    fr::Euros(k.amount_cents) + ", contre " + fr::Count(pk.count) + " pour " +
                    fr::Euros(pk.amount_cents) + " en " + Y(py_) + ".");
  }
  s.Paragraph("La révision des dossiers à la demande de la médiation a donné lieu en " + Y(y_) +
              " à :");
  s.Bullets(std::move(items));
  Table t;
  t.id = "financial";
  t.caption = "Incidence financière de la médiation";
  t.header = {"Nature",           "Nombre " + Y(py_),     "Montant " + Y(py_), "Nombre " + Y(y_),
              "Montant " + Y(y_), "Évolution du montant", "Tendance"};
  t.widths = {2.6, 0.9, 1.5, 0.9, 1.5, 1.3, 1.2};
  for (const FinancialFigures& k : cur_.financial) {
    const FinancialFigures pk = prev_.Financial(k.kind);
    t.rows.push_back(
        {Cell::Text(FinancialLabel(k.kind)), Cell::Count(pk.count), Cell::Euros(pk.amount_cents),
         Cell::Count(k.count), Cell::Euros(k.amount_cents),
         Cell::Change(
             Evolution(static_cast<double>(k.amount_cents), static_cast<double>(pk.amount_cents))),
         TrendCell(FigureKind::kAmount, D(k.amount_cents), D(pk.amount_cents), in_.trend)});
    for (const auto* f : {&prev_, &cur_}) {
      const FinancialFigures x = f->Financial(k.kind);
      Point("financial", k.kind, FinancialLabel(k.kind) + " (nombre de lignes)", f->year,
            D(x.count));
      Point("financial", k.kind + ".amount_euros", FinancialLabel(k.kind) + " (montant en €)",
            f->year, static_cast<double>(x.amount_cents) / 100.0);
    }
  }
  t.note = "Lignes financières des " + fr::Count(cur_.closed) + " dossiers recevables clos en " +
           Y(y_) + " (" + fr::Count(prev_.closed) + " en " + Y(py_) +
           "). Les rappels sont versés aux allocataires ; les indus sont des sommes dues par "
           "eux : les montants ne s'additionnent pas.";
  s.AddTable(std::move(t));
  Chart c;
  c.type = ChartType::kBars;
  c.title = "Montants par nature (€)";
  c.table = static_cast<int>(s.tables.size()) - 1;
  c.value_columns = {2, 4};
  s.AddChart(std::move(c));
}

void Assembler::Teleprocedure() {
  Section& s = NewSection("teleprocedure", "Focus : les saisines par téléprocédure", 2);
  const TeleprocedureFigures& t = cur_.teleprocedure;
  const TeleprocedureFigures& pt = prev_.teleprocedure;
  s.Paragraph(fr::Count(t.closed) + " dossiers clos en " + Y(y_) +
              " ont été transmis par la téléprocédure, soit " +
              Pct(cur_.TeleprocedureShareOfClosedRatio()) + " des " + fr::Count(cur_.closed) +
              " dossiers clos. " + fr::Count(t.revised) +
              " ont abouti à une révision du dossier, soit un taux de révision de " +
              Pct(t.RevisionRatio()) + " (sur " + fr::Count(t.with_resolution) +
              " dossiers dont la résolution est connue), contre " + Pct(cur_.RevisionRatio()) +
              " tous canaux confondus. Le taux "
              "d'irrecevabilité des demandes reçues par téléprocédure est de " +
              Pct(t.InadmissibleRatio()) + " (" + fr::Count(t.inadmissible) + " sur " +
              fr::Count(t.received) + "), contre " + Pct(cur_.InadmissibleRatio()) +
              " tous canaux confondus. Délai moyen de prise en charge : " +
              fr::Days(t.take_charge_working_days_avg) + " ouvrés, contre " +
              fr::Days(cur_.delays.take_charge_working_days_avg) + " tous canaux confondus.");
  Table tb;
  tb.id = "teleprocedure";
  tb.caption = "La téléprocédure comparée à l'ensemble des canaux";
  tb.header = {"Indicateur", "Téléprocédure " + Y(py_), "Téléprocédure " + Y(y_),
               "Tous canaux " + Y(y_), "Tendance"};
  tb.widths = {3.6, 1.4, 1.4, 1.4, 1.0};
  auto row = [&](std::string label, Cell prev, Cell cur, Cell all, Cell trend) {
    tb.rows.push_back({Cell::Text(std::move(label)), std::move(prev), std::move(cur),
                       std::move(all), std::move(trend)});
  };
  const TrendSettings& ts = in_.trend;
  row("Demandes reçues", Cell::Count(pt.received), Cell::Count(t.received),
      Cell::Count(cur_.received), TrendCell(FigureKind::kCount, D(t.received), D(pt.received), ts));
  row("Taux d'irrecevabilité (sur les demandes reçues)", Cell::Ratio(pt.InadmissibleRatio()),
      Cell::Ratio(t.InadmissibleRatio()), Cell::Ratio(cur_.InadmissibleRatio()),
      TrendCell(FigureKind::kRate, t.inadmissible_rate, pt.inadmissible_rate, ts));
  row("Dossiers recevables clos", Cell::Count(pt.closed), Cell::Count(t.closed),
      Cell::Count(cur_.closed), TrendCell(FigureKind::kCount, D(t.closed), D(pt.closed), ts));
  row("Part des dossiers clos", Cell::Ratio(prev_.TeleprocedureShareOfClosedRatio()),
      Cell::Ratio(cur_.TeleprocedureShareOfClosedRatio()), Cell::Ratio({cur_.closed, cur_.closed}),
      TrendCell(FigureKind::kRate, t.share_of_closed, pt.share_of_closed, ts));
  row("Décisions révisées", Cell::Count(pt.revised), Cell::Count(t.revised),
      Cell::Count(cur_.by_resolution.Count("revisee")),
      TrendCell(FigureKind::kCount, D(t.revised), D(pt.revised), ts));
  row("Taux de révision (sur les résolutions connues)", Cell::Ratio(pt.RevisionRatio()),
      Cell::Ratio(t.RevisionRatio()), Cell::Ratio(cur_.RevisionRatio()),
      TrendCell(FigureKind::kRate, t.revision_rate, pt.revision_rate, ts));
  row("Délai moyen de prise en charge (jours ouvrés)", Cell::Days(pt.take_charge_working_days_avg),
      Cell::Days(t.take_charge_working_days_avg),
      Cell::Days(cur_.delays.take_charge_working_days_avg),
      TrendCell(FigureKind::kAverage, t.take_charge_working_days_avg,
                pt.take_charge_working_days_avg, ts));
  s.AddTable(std::move(tb));
  for (const auto* f : {&prev_, &cur_}) {
    const TeleprocedureFigures& x = f->teleprocedure;
    Point("teleprocedure", "received", "Demandes reçues par téléprocédure", f->year, D(x.received));
    Point("teleprocedure", "inadmissible",
          "Demandes hors médiation reçues par téléprocédure (part : sur les demandes reçues "
          "par téléprocédure)",
          f->year, D(x.inadmissible), x.inadmissible_rate);
    Point("teleprocedure", "closed",
          "Dossiers clos saisis par téléprocédure (part : sur les dossiers clos)", f->year,
          D(x.closed), x.share_of_closed);
    Point("teleprocedure", "revised",
          "Décisions révisées parmi eux (part : sur leurs résolutions connues)", f->year,
          D(x.revised), x.revision_rate);
    Point("teleprocedure", "take_charge_working_days_avg",
          "Délai moyen de prise en charge par téléprocédure (jours ouvrés)", f->year,
          x.take_charge_working_days_avg);
  }
  // Why the form's requests were not for mediation (the reference report's
  // chart "Motif d'irrecevabilité des demandes adressées via la téléprocédure").
  const Breakdown& r = t.by_inadmissibility_reason;
  const std::string top = TopCode(r);
  if (top.empty()) {
    s.Paragraph("Aucune demande reçue par téléprocédure en " + Y(y_) +
                " n'a été déclarée hors médiation avec un motif renseigné.");
  } else {
    s.Paragraph("Parmi les " + fr::Count(t.inadmissible) +
                " demandes reçues par téléprocédure qui ne relevaient pas de la médiation, le "
                "motif le plus fréquent est : " +
                Lower(Label(r.name, top)) + " (" + Pct(r.ShareRatio(top)) + " des " +
                fr::Count(r.Known()) + " dont le motif est renseigné, contre " +
                Pct(cur_.by_inadmissibility_reason.ShareRatio(top)) +
                " tous canaux confondus).");
  }
  BreakdownTables(s, r, pt.by_inadmissibility_reason,
                  "demandes hors médiation reçues par téléprocédure",
                  "teleprocedure_inadmissibility_reason",
                  "Les motifs d'irrecevabilité des demandes reçues par téléprocédure");
}

void Assembler::Fraud() {
  Section& s = NewSection("fraud", "Focus : les dossiers de fraude", 2);
  s.Paragraph("Les saisines relatives à des dossiers déjà qualifiés de fraude représentent " +
              Pct(cur_.FraudRatio()) + " des dossiers clos en " + Y(y_) + " (" +
              fr::Count(cur_.fraud_cases) + " sur " + fr::Count(cur_.closed) + "), contre " +
              Pct(prev_.FraudRatio()) + " en " + Y(py_) + " (" + fr::Count(prev_.fraud_cases) +
              " sur " + fr::Count(prev_.closed) + ").");
  Table t = YearTable("fraud", "Dossiers clos liés à une fraude");
  CountRow(t, "Dossiers clos liés à une fraude", cur_.fraud_cases, prev_.fraud_cases);
  RateRow(t, "Part des dossiers clos", cur_.FraudRatio(), prev_.FraudRatio());
  s.AddTable(std::move(t));
  for (const auto* f : {&prev_, &cur_}) {
    Point("fraud", "fraud", "Dossiers clos liés à une fraude (part : sur les dossiers clos)",
          f->year, D(f->fraud_cases), f->fraud_rate);
  }
  Point("summary", "revision_rate", "Taux de révision (sur les résolutions connues)", py_,
        D(prev_.by_resolution.Count("revisee")), prev_.revision_rate);
  Point("summary", "revision_rate", "Taux de révision (sur les résolutions connues)", y_,
        D(cur_.by_resolution.Count("revisee")), cur_.revision_rate);
}

}  // namespace amiable::report::assemble_internal
