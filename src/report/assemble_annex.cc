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

// The published report holds no internal data-quality material: the list of
// cases to fix stays on the workspace's data-quality page (/qualite) and its
// CSV export. Only a report produced incomplete says so (the cover's banner,
// and here the number of problems per kind, which names no case).
void Assembler::Quality() {
  if (!in_.incomplete) return;
  Section& s = NewSection("quality", "Données incomplètes", 2);
  const ConsistencyReport& q = in_.quality;
  s.Paragraph("Ce rapport a été produit alors que le contrôle de cohérence relevait " +
              fr::Count(q.Blocking()) + " problème(s) bloquant(s) sur les " +
              fr::Count(q.cases_checked) + " dossiers reçus ou clos en " + Y(y_) +
              " : les chiffres qui en dépendent sont incomplets. Ce document est une version de "
              "travail ; la version définitive sera produite une fois ces dossiers corrigés.");
  Table k;
  k.id = "quality_kinds";
  k.caption = "Problèmes bloquants par type";
  k.header = {"Problème", "Nombre"};
  k.widths = {8.0, 1.5};
  for (const ProblemCount& c : q.CountsByCode()) {
    if (c.severity != DataProblem::Severity::kBlocking) continue;
    k.rows.push_back({Cell::Text(ProblemLabel(c.code)), Cell::Count(c.count)});
  }
  if (!k.rows.empty()) s.AddTable(std::move(k));
}

}  // namespace amiable::report::assemble_internal
