#include <algorithm>
#include <cmath>

#include "core/french_format.h"
#include "report/assemble_internal.h"

namespace amiable::report::assemble_internal {

void Assembler::Annexes() {
  Chapter("annexes", "Annexes", "");
  Section& s = NewSection("method", "Définitions et méthode", 2);
  s.Bullets({
      "Demandes reçues : demandes dont la date de réception est en " + Y(y_) + ".",
      "Demandes hors médiation : demandes reçues dans l'année et déclarées irrecevables ; leur "
      "part est rapportée aux demandes reçues.",
      "Population étudiée : dossiers recevables dont la date de clôture est en " + Y(y_) +
          ", quelle que soit leur date de réception (" + fr::Count(cur_.closed) + " dossiers ; " +
          fr::Count(prev_.closed) + " en " + Y(py_) + ").",
      "Parts : rapportées aux dossiers de la population dont la donnée est renseignée ; les "
      "dossiers non renseignés sont comptés à part. Pour les motifs, prestations et modes de "
      "réponse, un dossier peut compter plusieurs valeurs et la somme des parts dépasse 100 %.",
      "Délais : en jours ouvrés (du lundi au vendredi, hors jours fériés de la zone de la Caf) "
      "de la réception à la prise en charge ou à la réponse ; le délai de réponse est aussi "
      "donné en jours calendaires.",
      "Indicateur trimestriel : demandes recevables reçues dans le trimestre, prises en charge "
      "au plus tard le 8e jour ouvré suivant la réception ; objectif : au moins 75 %.",
      "Montants : somme des lignes financières des dossiers de la population, en euros.",
      "Tendances : ↑ hausse, ↓ baisse, ↔ stable (moins de " +
          fr::Decimal(in_.trend.rate_steady_points * 100, 0) +
          " points pour un taux, moins "
          "de " +
          fr::Decimal(in_.trend.quantity_steady_relative * 100, 0) +
          " % pour un nombre, un montant ou un délai). Une flèche dit le sens de la variation, "
          "pas si elle est favorable.",
      "Chiffres calculés au " + fr::ShortDate(cur_.as_of) + " ; rapport produit le " +
          fr::ShortDate(in_.generated_on) + ".",
  });
  Quality();
}

void Assembler::Quality() {
  Section& s = NewSection("quality", "Qualité des données", 2);
  const ConsistencyReport& q = in_.quality;
  if (q.Blocking() == 0 && q.Warnings() == 0) {
    s.Paragraph("Contrôle de cohérence : aucun problème relevé sur les " +
                fr::Count(q.cases_checked) + " dossiers reçus ou clos en " + Y(y_) + ".");
    return;
  }
  std::string p = "Contrôle de cohérence sur les " + fr::Count(q.cases_checked) +
                  " dossiers reçus ou clos en " + Y(y_) + " : " + fr::Count(q.Blocking()) +
                  " problème(s) bloquant(s) et " + fr::Count(q.Warnings()) + " avertissement(s). ";
  if (in_.incomplete) {
    p += "Ce rapport a été produit malgré les problèmes bloquants : les chiffres concernés sont "
         "incomplets. ";
  }
  p += "Les avertissements sont comptés comme « non renseigné » dans les répartitions.";
  s.Paragraph(p);
  // By kind: a figure, which names no case.
  Table k;
  k.id = "quality_kinds";
  k.caption = "Problèmes par type";
  k.header = {"Problème", "Gravité", "Nombre"};
  k.widths = {6.0, 2.0, 1.5};
  for (const ProblemCount& c : q.CountsByCode()) {
    const bool blocking = c.severity == DataProblem::Severity::kBlocking;
    k.rows.push_back({Cell::Text(ProblemLabel(c.code)),
                      Cell::Text(blocking ? "bloquant" : "avertissement", blocking),
                      Cell::Count(c.count)});
  }
  s.AddTable(std::move(k));
  if (q.Hidden() > 0) {
    s.Paragraph(q.problems.empty()
                    ? "Le détail par dossier n'est pas communiqué à ce lecteur du rapport : "
                      "seuls les nombres de problèmes par type sont donnés."
                    : fr::Count(q.Hidden()) +
                          " problème(s) concernent des dossiers auxquels ce lecteur du rapport "
                          "n'a pas accès : ils sont comptés ci-dessus mais ne sont pas "
                          "détaillés.");
  }
  if (q.problems.empty()) return;
  Table t;
  t.id = "quality";
  t.caption = "Dossiers à corriger";
  t.header = {"Référence", "Caf", "Gravité", "Problème"};
  t.widths = {2.0, 0.7, 1.6, 5.7};
  for (const DataProblem& pr : q.problems) {
    const bool blocking = pr.severity == DataProblem::Severity::kBlocking;
    t.rows.push_back({Cell::Text(pr.reference), Cell::Text(pr.organisme),
                      Cell::Text(blocking ? "bloquant" : "avertissement", blocking),
                      Cell::Text(pr.message)});
  }
  s.AddTable(std::move(t));
}

}  // namespace amiable::report::assemble_internal
