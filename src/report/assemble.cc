#include "report/assemble.h"

#include <algorithm>
#include <cmath>

#include "core/french_format.h"
#include "core/nomenclature.h"
#include "report/assemble_internal.h"
#include "report/years.h"

namespace amiable::report::assemble_internal {

std::string Y(int year) { return std::to_string(year); }

std::optional<double> Ratio(int64_t num, int64_t den) {
  if (den <= 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

std::optional<double> Frac(CountRatio r) { return Ratio(r.num, r.den); }
// A rate of counts for sentences, as tables show it (Cell::Ratio).
std::string Pct(CountRatio r) { return fr::Percent(r.num, r.den); }

std::optional<double> Evolution(double cur, double prev) {
  if (prev == 0) return std::nullopt;
  return (cur - prev) / prev;
}

std::optional<double> D(int64_t v) { return static_cast<double>(v); }

// "1 dossier", "12 dossiers".
std::string Dossiers(int64_t n) { return fr::Count(n) + (n > 1 ? " dossiers" : " dossier"); }
// "1 rappel", "0 rappel", "51 rappels" (French: plural from 2).
std::string Plural(int64_t n, std::string_view one, std::string_view many) {
  return fr::Count(n) + " " + std::string(n > 1 ? many : one);
}

Cell TrendCell(FigureKind kind, std::optional<double> cur, std::optional<double> prev,
               const TrendSettings& s) {
  const std::optional<Trend> t = TrendOf(kind, cur, prev, s);
  if (!t) return Cell::Trend("—", "sans objet");
  return Cell::Trend(std::string(TrendMark(*t)), std::string(TrendLabel(*t)));
}

// "+23,6 %" or "stable" phrasing for sentences: "contre 220 en 2024 (+23,6 %)".
std::string EvolutionPhrase(int64_t cur, int64_t prev) {
  const auto e = Evolution(static_cast<double>(cur), static_cast<double>(prev));
  if (!e) return "";
  return " (" + fr::Change(e) + ")";
}

constexpr BreakdownSpec kSpecs[] = {
    {"inadmissibility_reason", "Les motifs d'irrecevabilité", "le motif d'irrecevabilité", false,
     ChartType::kPie},
    {"prior_step", "L'origine de la demande", "la démarche préalable", false, ChartType::kPie},
    {"emitter", "L'émetteur de la demande", "l'émetteur", false, ChartType::kBars},
    {"channel", "Les modes de saisine", "le mode de saisine", false, ChartType::kPie},
    {"cause", "Les causes de la demande du point de vue de la Caf", "la cause", false,
     ChartType::kBars},
    {"motive", "Les motifs de la demande du point de vue du demandeur", "au moins un motif", true,
     ChartType::kBars},
    {"benefit", "Les prestations concernées", "au moins une prestation", true, ChartType::kBars},
    {"household", "La typologie des foyers", "la catégorie de foyer", false, ChartType::kPie},
    {"activity", "L'activité des requérants", "l'activité", false, ChartType::kPie},
    {"qf_bracket", "Le quotient familial", "le quotient familial", false, ChartType::kPie},
    {"response_mode", "Les modes de réponse", "au moins un mode de réponse", true,
     ChartType::kColumns},
    {"resolution", "Les modes de résolution", "le mode de résolution", false, ChartType::kPie},
};

const BreakdownSpec& SpecOf(std::string_view name) {
  for (const BreakdownSpec& s : kSpecs) {
    if (s.name == name) return s;
  }
  return kSpecs[0];
}

std::string Label(std::string_view nomenclature_name, std::string_view code) {
  const Nomenclature* n = nomenclature::Find(nomenclature_name);
  return std::string(n != nullptr ? n->Label(code) : code);
}

ReportModel Assembler::Build() {
  Header();
  Editorials();
  Highlights();
  Introduction();
  KeyFigures();
  Chapter("figures", "La médiation en chiffres",
          "Les figures de ce chapitre portent sur les demandes reçues en " + Y(y_) +
              " et sur les " + fr::Count(cur_.closed) + " dossiers recevables clos en " + Y(y_) +
              " (" + fr::Count(prev_.closed) + " en " + Y(py_) +
              "), la population étudiée. Chaque part indique le nombre de dossiers sur "
              "lequel elle est calculée.");
  Requests();
  Admissibility();
  BreakdownSection(cur_.by_prior_step, prev_.by_prior_step);
  BreakdownSection(cur_.by_emitter, prev_.by_emitter);
  BreakdownSection(cur_.by_channel, prev_.by_channel);
  BreakdownSection(cur_.by_cause, prev_.by_cause);
  BreakdownSection(cur_.by_motive, prev_.by_motive);
  BreakdownSection(cur_.by_benefit, prev_.by_benefit);
  Delays();
  BreakdownSection(cur_.by_household, prev_.by_household);
  BreakdownSection(cur_.by_activity, prev_.by_activity);
  BreakdownSection(cur_.by_qf_bracket, prev_.by_qf_bracket);
  Chapter("response", "La réponse apportée par la médiation",
          "Modes de réponse et de résolution, incidence financière et focus sur les saisines "
          "par téléprocédure et les dossiers de fraude, sur les " +
              fr::Count(cur_.closed) + " dossiers recevables clos en " + Y(y_) + ".");
  BreakdownSection(cur_.by_response_mode, prev_.by_response_mode);
  BreakdownSection(cur_.by_resolution, prev_.by_resolution);
  Financial();
  Teleprocedure();
  Fraud();
  Commentaries();
  MediatorText("findings", "Constats et préconisations de la médiation", in_.texts.findings);
  Register();
  Plan();
  Annexes();
  for (Section& s : m_.sections) {
    for (Chart& c : s.charts) {
      if (c.alt.empty()) c.alt = DescribeChart(s, c);
    }
  }
  // The years side by side: a sheet of the XLSX alone (too wide for a page).
  if (!in_.years.empty()) m_.xlsx_sections.push_back(YearsSection(in_.years));
  return std::move(m_);
}

Section& Assembler::NewSection(std::string id, std::string title, int level) {
  Section s;
  s.id = std::move(id);
  s.title = std::move(title);
  s.level = level;
  m_.sections.push_back(std::move(s));
  return m_.sections.back();
}

void Assembler::Chapter(std::string id, std::string title, std::string intro) {
  Section& s = NewSection(std::move(id), std::move(title), 1);
  if (!intro.empty()) s.Paragraph(std::move(intro));
}

void Assembler::Point(std::string_view section, std::string code, std::string label, int year,
                      std::optional<double> count, std::optional<double> share) {
  m_.data.push_back({std::string(section), std::move(code), std::move(label), year, count, share});
}

// A row "indicator | Y-1 | Y | trend".
std::vector<Cell> Assembler::Row(std::string label, Cell prev, Cell cur, Cell trend) {
  return {Cell::Text(std::move(label)), std::move(prev), std::move(cur), std::move(trend)};
}

Table Assembler::YearTable(std::string id, std::string caption) const {
  Table t;
  t.id = std::move(id);
  t.caption = std::move(caption);
  t.header = {"Indicateur", Y(py_), Y(y_), "Tendance"};
  t.widths = {5.2, 1.5, 1.5, 1.1};
  return t;
}

void Assembler::CountRow(Table& t, std::string label, int64_t cur, int64_t prev) const {
  t.rows.push_back(Row(std::move(label), Cell::Count(prev), Cell::Count(cur),
                       TrendCell(FigureKind::kCount, D(cur), D(prev), in_.trend)));
}

void Assembler::RateRow(Table& t, std::string label, CountRatio cur, CountRatio prev) const {
  t.rows.push_back(Row(std::move(label), Cell::Ratio(prev), Cell::Ratio(cur),
                       TrendCell(FigureKind::kRate, Frac(cur), Frac(prev), in_.trend)));
}

void Assembler::DaysRow(Table& t, std::string label, std::optional<double> cur,
                        std::optional<double> prev) const {
  t.rows.push_back(Row(std::move(label), Cell::Days(prev), Cell::Days(cur),
                       TrendCell(FigureKind::kAverage, cur, prev, in_.trend)));
}

void Assembler::EurosRow(Table& t, std::string label, int64_t cur, int64_t prev) const {
  t.rows.push_back(Row(std::move(label), Cell::Euros(prev), Cell::Euros(cur),
                       TrendCell(FigureKind::kAmount, D(cur), D(prev), in_.trend)));
}

void Assembler::ShareRow(Table& t, const Breakdown& cur, const Breakdown& prev,
                         std::string_view code, std::string label) const {
  RateRow(t, std::move(label) + " (" + Dossiers(cur.Count(code)) + " en " + Y(y_) + ")",
          cur.ShareRatio(code), prev.ShareRatio(code));
}

}  // namespace amiable::report::assemble_internal

namespace amiable::report {

ReportModel AssembleReport(const ReportInputs& in) {
  return assemble_internal::Assembler(in).Build();
}

}  // namespace amiable::report
