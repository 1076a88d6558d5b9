// Internals shared by the files that assemble the annual report model
// (assemble*.cc). NOT a public contract: only those files include it; the
// public interface is report/assemble.h. Everything here may change freely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/assemble.h"

namespace amiable::report::assemble_internal {

std::string Y(int year);
std::optional<double> Ratio(int64_t num, int64_t den);
std::optional<double> Frac(CountRatio r);
// A rate of counts for sentences, as tables show it (Cell::Ratio).
std::string Pct(CountRatio r);
std::optional<double> Evolution(double cur, double prev);
std::optional<double> D(int64_t v);
// "1 dossier", "12 dossiers".
std::string Dossiers(int64_t n);
// "1 rappel", "0 rappel", "51 rappels" (French: plural from 2).
std::string Plural(int64_t n, std::string_view one, std::string_view many);
Cell TrendCell(FigureKind kind, std::optional<double> cur, std::optional<double> prev,
               const TrendSettings& s);
// "+23,6 %" or "stable" phrasing for sentences: "contre 220 en 2024 (+23,6 %)".
std::string EvolutionPhrase(int64_t cur, int64_t prev);

// How a breakdown is described.
struct BreakdownSpec {
  std::string_view name;
  std::string_view title;
  std::string_view field;  // "le mode de saisine" — for "dont ... est renseigné"
  bool several;
  ChartType chart;
};

const BreakdownSpec& SpecOf(std::string_view name);
std::string Label(std::string_view nomenclature_name, std::string_view code);

// Builds the report model section by section; one instance per AssembleReport
// call. The section builders are defined by concern:
//   assemble.cc            construction, Build() (section order), table helpers
//   assemble_cover.cc      header, highlights, key figures
//   assemble_texts.cc      the mediator's texts (editorials, introduction,
//                          commentaries, fraud focus text, findings, plan)
//   assemble_figures.cc    requests, admissibility, breakdowns, delays
//   assemble_comparison.cc the météo comparison and the quarterly indicator
//   assemble_context.cc    the context figures (beneficiaries, complaints)
//   assemble_response.cc   financial incidence, teleprocedure, fraud
//   assemble_annex.cc      definitions and method; when incomplete, the problems per kind
//   assemble_register.cc   the register: the year's items, earlier ones followed
class Assembler {
 public:
  explicit Assembler(const ReportInputs& in) : in_(in), cur_(in.current), prev_(in.previous) {
    y_ = cur_.year;
    py_ = prev_.year != 0 ? prev_.year : y_ - 1;
  }

  ReportModel Build();

 private:
  // ---- helpers (assemble.cc) ---------------------------------------------
  Section& NewSection(std::string id, std::string title, int level);
  void Chapter(std::string id, std::string title, std::string intro);
  void Point(std::string_view section, std::string code, std::string label, int year,
             std::optional<double> count, std::optional<double> share = std::nullopt);
  // A row "indicator | Y-1 | Y | trend".
  static std::vector<Cell> Row(std::string label, Cell prev, Cell cur, Cell trend);
  Table YearTable(std::string id, std::string caption) const;
  void CountRow(Table& t, std::string label, int64_t cur, int64_t prev) const;
  void RateRow(Table& t, std::string label, CountRatio cur, CountRatio prev) const;
  void DaysRow(Table& t, std::string label, std::optional<double> cur,
               std::optional<double> prev) const;
  void EurosRow(Table& t, std::string label, int64_t cur, int64_t prev) const;
  void ShareRow(Table& t, const Breakdown& cur, const Breakdown& prev, std::string_view code,
                std::string label) const;

  // ---- cover (assemble_cover.cc) -----------------------------------------
  void Header();
  void Highlights();
  void KeyFigure(Section& s, std::string value, std::string caption);
  void KeyFigures();

  // ---- the mediator's texts (assemble_texts.cc) --------------------------
  void MediatorText(std::string id, std::string title, const std::string& text);
  void Editorials();    // chapter "Éditos": director, then mediator, signed
  void Introduction();  // chapter "Introduction": the four pages (defaults)
  void Commentaries();  // appended to the figures sections and the fraud focus
  void Plan();          // signed by the mediator

  // ---- the register of recommendations (assemble_register.cc) -----------
  void Register();

  // ---- figures and charts (assemble_figures.cc) --------------------------
  void Requests();
  void Admissibility();
  static std::string Lower(std::string s);
  static std::string TopCode(const Breakdown& b);
  void BreakdownSection(const Breakdown& cur, const Breakdown& prev);
  // The table of a breakdown (both years) and its chart, plus the data points
  // (under `section_id`). `title` replaces the breakdown's title, and
  // `section_id` becomes the table's id, when `title` is given (a breakdown
  // shown twice, e.g. the online form's inadmissibility reasons).
  void BreakdownTables(Section& s, const Breakdown& cur, const Breakdown& prev,
                       const std::string& population, const std::string& section_id,
                       const std::string& title = "");
  void Delays();

  // ---- context figures (assemble_context.cc) ------------------------------
  // In the requests section: the fund among all funds (typed figures).
  void Context(Section& s);

  // ---- comparison (assemble_comparison.cc) -------------------------------
  void Meteo(Section& s);
  std::string ShortFundLabel() const;
  void Quarterly(Section& s);

  // ---- response (assemble_response.cc) -----------------------------------
  static std::string FinancialLabel(std::string_view kind);
  void Financial();
  void Teleprocedure();
  void Fraud();

  // ---- annexes (assemble_annex.cc) ---------------------------------------
  void Annexes();
  void Quality();

  const ReportInputs& in_;
  const YearFigures& cur_;
  const YearFigures& prev_;
  int y_ = 0;
  int py_ = 0;
  ReportModel m_;
};

}  // namespace amiable::report::assemble_internal
