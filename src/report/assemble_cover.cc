#include <algorithm>
#include <cmath>

#include "core/french_format.h"
#include "report/assemble_internal.h"

namespace amiable::report::assemble_internal {

void Assembler::Header() {
  m_.title = "Rapport annuel de la médiation administrative";
  m_.fund_label = FundLabel(in_.funds, in_.all_funds);
  m_.organismes = cur_.organismes;
  m_.year = y_;
  m_.as_of = cur_.as_of;
  m_.generated_on = in_.generated_on;
  m_.author = "Médiation administrative — " + m_.fund_label;
  m_.subject = "Rapport d'activité " + Y(y_) + " de la médiation administrative : " + m_.fund_label;
  m_.quality = in_.quality;
  m_.incomplete = in_.incomplete;
}

void Assembler::Highlights() {
  if (in_.texts.highlights.empty()) return;
  Section& s = NewSection("highlights", "Les temps forts " + Y(y_), 1);
  Table t;
  t.id = "highlights";
  t.caption = "Les temps forts de l'année " + Y(y_);
  t.header = {"Thème", "Période", "Actions et événements"};
  t.widths = {2.2, 1.3, 6.5};
  for (const Highlight& h : in_.texts.highlights) {
    t.rows.push_back({Cell::Text(h.theme, true), Cell::Text(h.period), Cell::Markup(h.actions)});
  }
  s.AddTable(std::move(t));
}

void Assembler::KeyFigure(Section& s, std::string value, std::string caption) {
  Block b;
  b.kind = Block::Kind::kKeyFigure;
  b.text = std::move(value);
  b.items = {std::move(caption)};
  s.blocks.push_back(std::move(b));
}

void Assembler::KeyFigures() {
  Section& s = NewSection("key_figures", "Les chiffres clés " + Y(y_), 1);
  KeyFigure(s, fr::Count(cur_.received), "demandes reçues en " + Y(y_));
  KeyFigure(s, Pct(cur_.InadmissibleRatio()), "des demandes hors médiation");
  KeyFigure(s, fr::Count(cur_.closed), "dossiers recevables clos");
  KeyFigure(s, fr::Days(cur_.delays.take_charge_working_days_avg),
            "délai moyen de prise en charge (jours ouvrés)");
  s.Paragraph("Chaque indicateur est comparé à " + Y(py_) +
              " : ↑ hausse, ↓ baisse, ↔ stable (variation de moins de " +
              fr::Decimal(in_.trend.rate_steady_points * 100, 0) +
              " points pour un taux, de moins de " +
              fr::Decimal(in_.trend.quantity_steady_relative * 100, 0) +
              " % pour un nombre, un montant ou un délai). Les parts sont calculées sur les "
              "dossiers dont la donnée est renseignée.");

  Table a = YearTable("key_admissibility", "Recevabilité des demandes de médiation");
  CountRow(a, "Demandes reçues", cur_.received, prev_.received);
  CountRow(a, "Demandes hors médiation (irrecevables), orientées vers d'autres services",
           cur_.inadmissible, prev_.inadmissible);
  RateRow(a, "Part des demandes hors médiation, sur les demandes reçues", cur_.InadmissibleRatio(),
          prev_.InadmissibleRatio());
  CountRow(a, "Dossiers recevables clos (population étudiée)", cur_.closed, prev_.closed);
  s.AddTable(std::move(a));

  Table p = YearTable("key_profile", "Profil des requérants (parts des dossiers clos renseignés)");
  for (const auto& [code, n] : cur_.by_household.counts) {
    ShareRow(p, cur_.by_household, prev_.by_household, code, Label("household", code));
  }
  ShareRow(p, cur_.by_activity, prev_.by_activity, "salarie_eti",
           "En activité (salariés ou travailleurs indépendants)");
  for (const auto& [code, n] : cur_.by_qf_bracket.counts) {
    ShareRow(p, cur_.by_qf_bracket, prev_.by_qf_bracket, code, Label("qf_bracket", code));
  }
  s.AddTable(std::move(p));

  auto share_table = [&](std::string id, std::string caption, const Breakdown& cur,
                         const Breakdown& prev, bool skip_zero) {
    Table t = YearTable(std::move(id), std::move(caption));
    for (const auto& [code, n] : cur.counts) {
      if (skip_zero && n == 0 && prev.Count(code) == 0) continue;
      ShareRow(t, cur, prev, code, Label(cur.name, code));
    }
    return t;
  };
  Table em =
      share_table("key_emitter", "Émetteurs des saisines", cur_.by_emitter, prev_.by_emitter, true);
  if (!em.rows.empty()) s.AddTable(std::move(em));
  Table mo = share_table("key_motive", "Motifs des saisines (plusieurs par dossier)",
                         cur_.by_motive, prev_.by_motive, false);
  mo.note = "Un dossier pouvant relever de plusieurs motifs, la somme des parts dépasse 100 %.";
  s.AddTable(std::move(mo));
  Table be = share_table("key_benefit", "Prestations concernées (plusieurs par dossier)",
                         cur_.by_benefit, prev_.by_benefit, true);
  be.note = "Un dossier pouvant concerner plusieurs prestations, la somme des parts dépasse 100 %.";
  if (!be.rows.empty()) s.AddTable(std::move(be));
  s.AddTable(share_table("key_cause", "Cause des saisines après analyse du médiateur",
                         cur_.by_cause, prev_.by_cause, false));

  Table r = YearTable("key_resolution", "Résolution des dossiers");
  RateRow(r, "Décisions révisées (taux de révision)", cur_.RevisionRatio(), prev_.RevisionRatio());
  RateRow(r, "Décisions confirmées", cur_.by_resolution.ShareRatio("confirmee"),
          prev_.by_resolution.ShareRatio("confirmee"));
  s.AddTable(std::move(r));

  Table d = YearTable("key_delays", "Délais");
  DaysRow(d, "Délai moyen de prise en charge (jours ouvrés)",
          cur_.delays.take_charge_working_days_avg, prev_.delays.take_charge_working_days_avg);
  DaysRow(d, "Délai moyen de réponse (jours ouvrés)", cur_.delays.answer_working_days_avg,
          prev_.delays.answer_working_days_avg);
  DaysRow(d, "Délai moyen de réponse (jours calendaires)", cur_.delays.answer_calendar_days_avg,
          prev_.delays.answer_calendar_days_avg);
  RateRow(d, "Dossiers pris en charge en 8 jours ouvrés ou moins", cur_.delays.WithinTargetRatio(),
          prev_.delays.WithinTargetRatio());
  s.AddTable(std::move(d));

  Table f = YearTable("key_financial", "Incidence financière de la médiation");
  for (const FinancialFigures& k : cur_.financial) {
    const FinancialFigures pk = prev_.Financial(k.kind);
    EurosRow(f, FinancialLabel(k.kind) + " (" + fr::Count(k.count) + " en " + Y(y_) + ")",
             k.amount_cents, pk.amount_cents);
  }
  s.AddTable(std::move(f));

  Table o = YearTable("key_focus", "Focus");
  RateRow(o, "Part des dossiers clos saisis par téléprocédure",
          cur_.TeleprocedureShareOfClosedRatio(), prev_.TeleprocedureShareOfClosedRatio());
  RateRow(o, "Part des dossiers clos liés à une fraude", cur_.FraudRatio(), prev_.FraudRatio());
  s.AddTable(std::move(o));
}

}  // namespace amiable::report::assemble_internal

namespace amiable::report {

std::string FundLabel(const std::vector<Organisme>& funds, bool all_funds) {
  if (all_funds && funds.size() != 1) {
    return "Ensemble des Caf de la base (" + std::to_string(funds.size()) + ")";
  }
  if (funds.size() == 1) {
    const Organisme& o = funds[0];
    if (o.name.empty()) return "Caf " + o.code;
    return o.name + " (" + o.code + ")";
  }
  std::string s = "Caf ";
  for (size_t i = 0; i < funds.size(); ++i) {
    if (i > 0) s += i + 1 == funds.size() ? " et " : ", ";
    s += funds[i].code;
  }
  return s;
}

}  // namespace amiable::report
