// The national report's model (report/national.h): pure, from the gathered
// figures. Sections: the network, the key figures of all funds (the pole
// apart), per region, per fund (activity and the 8-day indicator), the
// spread of the delays across funds, the recommendations by theme, the
// method.
#include <algorithm>
#include <map>

#include "core/french_format.h"
#include "core/messages.h"
#include "core/nomenclature.h"
#include "figures/frozen.h"
#include "report/assemble_internal.h"
#include "report/national.h"

namespace amiable::report {

using assemble_internal::D;
using assemble_internal::Pct;
using assemble_internal::TrendCell;
using assemble_internal::Y;

namespace {

constexpr double kTarget = 0.75;

std::string RegionName(std::string_view code) {
  if (code.empty()) return "Région non renseignée";
  return std::string(nomenclature::Region().Label(code));
}

std::string FundName(const Organisme& o) { return o.code + " — " + o.name; }

std::string StatusLabel(std::string_view s) {
  if (s == "proposee") return "Proposée";
  if (s == "acceptee") return "Acceptée";
  if (s == "mise_en_oeuvre") return "Mise en œuvre";
  if (s == "abandonnee") return "Abandonnée";
  return std::string(s);
}

std::string KindLabel(std::string_view k) {
  return k == "constat" ? "Constat" : "Préconisation";
}

std::string TargetText(CountRatio r) {
  if (r.den == 0) return "—";
  return r.num * 4 >= r.den * 3 ? "atteint" : "non atteint";
}

class NationalAssembler {
 public:
  explicit NationalAssembler(const NationalInputs& in) : in_(in), y_(in.year), py_(in.year - 1) {}

  ReportModel Build() {
    Header();
    Network();
    KeyFigures();
    Regions();
    Funds();
    Spreads();
    Recommendations();
    Method();
    return std::move(m_);
  }

 private:
  Section& NewSection(std::string id, std::string title, int level) {
    Section s;
    s.id = std::move(id);
    s.title = std::move(title);
    s.level = level;
    m_.sections.push_back(std::move(s));
    return m_.sections.back();
  }
  void Point(std::string_view section, std::string code, std::string label, int year,
             std::optional<double> count, std::optional<double> share = std::nullopt) {
    m_.data.push_back({std::string(section), std::move(code), std::move(label), year, count, share});
  }
  static void KeyFigure(Section& s, std::string value, std::string caption) {
    Block b;
    b.kind = Block::Kind::kKeyFigure;
    b.text = std::move(value);
    b.items = {std::move(caption)};
    s.blocks.push_back(std::move(b));
  }

  // The figures of one fund or set as data points: `prefix` "all", "631"...
  void Points(std::string_view section, const std::string& prefix, const std::string& who,
              const YearFigures& f) {
    const auto ratio = [](CountRatio r) { return assemble_internal::Frac(r); };
    Point(section, prefix + ".received", who + " — demandes reçues", f.year, D(f.received));
    Point(section, prefix + ".inadmissible", who + " — demandes hors médiation (part des reçues)",
          f.year, D(f.inadmissible), ratio(f.InadmissibleRatio()));
    Point(section, prefix + ".closed", who + " — dossiers recevables clos", f.year, D(f.closed));
    Point(section, prefix + ".take_charge_working_days_avg",
          who + " — délai moyen de prise en charge (jours ouvrés)", f.year,
          f.delays.take_charge_working_days_avg);
    Point(section, prefix + ".answer_working_days_avg",
          who + " — délai moyen de réponse (jours ouvrés)", f.year,
          f.delays.answer_working_days_avg);
    Point(section, prefix + ".answer_calendar_days_avg",
          who + " — délai moyen de réponse (jours calendaires)", f.year,
          f.delays.answer_calendar_days_avg);
    for (const QuarterFigures& q : f.quarterly_take_charge) {
      const std::string qc = prefix + ".q" + std::to_string(q.quarter);
      Point(section, qc + ".met",
            who + " — T" + std::to_string(q.quarter) +
                " : prises en charge dans les 8 jours (part des mesurées)",
            f.year, D(q.met), q.rate);
      Point(section, qc + ".missed",
            who + " — T" + std::to_string(q.quarter) + " : prises en charge au-delà de 8 jours",
            f.year, D(q.missed));
    }
    const CountRatio yr = YearlyTakeCharge(f);
    Point(section, prefix + ".year_take_charge",
          who + " — année : prises en charge dans les 8 jours (part des mesurées)", f.year,
          D(yr.num), ratio(yr));
  }

  void Header() {
    m_.title = "Rapport national de la médiation administrative";
    m_.fund_label = "Ensemble des Caf (" + fr::Count(static_cast<int64_t>(in_.funds.size())) +
                    ")" + (in_.pole ? " et pôle national" : "");
    m_.organismes = in_.all_funds.organismes;
    m_.year = y_;
    m_.as_of = in_.as_of;
    m_.generated_on = in_.generated_on;
    m_.author = "Pôle national de la médiation administrative";
    m_.subject = "Rapport d'activité " + Y(y_) + " de la médiation administrative des Caf";
    m_.cover_title = "Rapport national d'activité";
    m_.cover_subtitle = "de la médiation administrative des Caf";
    m_.running_title = "Rapport national de la médiation";
  }

  void Network() {
    Section& s = NewSection("network", "Le réseau de la médiation", 1);
    std::map<std::string, std::pair<int, int>> regions;  // region -> funds, mediators
    for (const FundYear& f : in_.funds) {
      auto& r = regions[f.fund.region];
      ++r.first;
      r.second += f.mediators;
    }
    std::string pole;
    if (in_.pole) {
      pole = " Le pôle national (" + FundName(in_.pole->fund) +
             ") traite aussi des demandes ; ses chiffres sont présentés à part et ne comptent "
             "pas dans l'ensemble des Caf.";
    }
    s.Paragraph("En " + Y(y_) + ", le réseau compte " +
                fr::Count(static_cast<int64_t>(in_.funds.size())) + " Caf dans " +
                fr::Count(static_cast<int64_t>(regions.size())) + " région(s), et " +
                fr::Count(in_.mediators) + " médiateur(s) y ont un compte actif." + pole);
    Table t;
    t.id = "network_regions";
    t.caption = "Les Caf et leurs médiateurs par région";
    t.header = {"Région", "Caf", "Médiateurs"};
    t.widths = {4, 1.2, 1.4};
    int funds = 0, mediators = 0;
    for (const auto& [code, r] : regions) {
      t.rows.push_back({Cell::Text(RegionName(code)), Cell::Count(r.first), Cell::Count(r.second)});
      funds += r.first;
      mediators += r.second;
      Point("network", "region." + (code.empty() ? std::string("unknown") : code) + ".funds",
            RegionName(code) + " — Caf", y_, D(r.first));
    }
    t.rows.push_back({Cell::Text("Ensemble des Caf", true), Cell::Count(funds, true),
                      Cell::Count(mediators, true)});
    t.total_rows = 1;
    t.note = "Médiateurs : comptes actifs du rôle médiateur rattachés à la Caf (un médiateur de "
             "plusieurs Caf compte dans chacune ; le total de la première phrase les compte une "
             "fois).";
    s.AddTable(std::move(t));
  }

  void KeyFigures() {
    const YearFigures& cur = in_.all_funds;
    const YearFigures& prev = in_.all_funds_previous;
    Section& s = NewSection("key_figures", "Les chiffres clés de l'ensemble des Caf " + Y(y_), 1);
    const CountRatio yr = YearlyTakeCharge(cur);
    KeyFigure(s, fr::Count(cur.received), "demandes reçues en " + Y(y_));
    KeyFigure(s, Pct(cur.InadmissibleRatio()), "des demandes hors médiation");
    KeyFigure(s, fr::Count(cur.closed), "dossiers recevables clos");
    KeyFigure(s, fr::Days(cur.delays.take_charge_working_days_avg),
              "délai moyen de prise en charge (jours ouvrés)");
    KeyFigure(s, Pct(yr), "des demandes prises en charge en 8 jours ouvrés (objectif 75 %)");

    Table t;
    t.id = "key_all_funds";
    t.caption = "L'ensemble des Caf" + std::string(in_.pole ? " et le pôle national" : "");
    t.header = {"Indicateur", "Ensemble des Caf " + Y(py_), "Ensemble des Caf " + Y(y_),
                "Tendance"};
    if (in_.pole) t.header.push_back("Pôle national " + Y(y_));
    t.widths = in_.pole ? std::vector<double>{3.6, 1.4, 1.4, 1.0, 1.4}
                        : std::vector<double>{3.6, 1.4, 1.4, 1.0};
    const TrendSettings trend;
    const YearFigures* pole = in_.pole ? &in_.pole->current : nullptr;
    const auto row = [&](std::string label, Cell p, Cell c, Cell tr, Cell pc) {
      std::vector<Cell> r = {Cell::Text(std::move(label)), std::move(p), std::move(c),
                             std::move(tr)};
      if (pole) r.push_back(std::move(pc));
      t.rows.push_back(std::move(r));
    };
    const auto count = [&](std::string label, int64_t YearFigures::*m) {
      row(std::move(label), Cell::Count(prev.*m), Cell::Count(cur.*m),
          TrendCell(FigureKind::kCount, D(cur.*m), D(prev.*m), trend),
          pole ? Cell::Count(pole->*m) : Cell::Missing());
    };
    const auto rate = [&](std::string label, CountRatio (*of)(const YearFigures&)) {
      row(std::move(label), Cell::Ratio(of(prev)), Cell::Ratio(of(cur)),
          TrendCell(FigureKind::kRate, assemble_internal::Frac(of(cur)),
                    assemble_internal::Frac(of(prev)), trend),
          pole ? Cell::Ratio(of(*pole)) : Cell::Missing());
    };
    const auto days = [&](std::string label, std::optional<double> DelayFigures::*m) {
      row(std::move(label), Cell::Days(prev.delays.*m), Cell::Days(cur.delays.*m),
          TrendCell(FigureKind::kAverage, cur.delays.*m, prev.delays.*m, trend),
          pole ? Cell::Days(pole->delays.*m) : Cell::Missing());
    };
    count("Demandes reçues", &YearFigures::received);
    count("Demandes hors médiation", &YearFigures::inadmissible);
    rate("Part des demandes hors médiation",
         [](const YearFigures& f) { return f.InadmissibleRatio(); });
    count("Dossiers recevables clos", &YearFigures::closed);
    days("Délai moyen de prise en charge (jours ouvrés)",
         &DelayFigures::take_charge_working_days_avg);
    days("Délai moyen de réponse (jours ouvrés)", &DelayFigures::answer_working_days_avg);
    days("Délai moyen de réponse (jours calendaires)", &DelayFigures::answer_calendar_days_avg);
    rate("Prise en charge en 8 jours ouvrés (année, trimestres cumulés)",
         [](const YearFigures& f) { return YearlyTakeCharge(f); });
    rate("Décisions révisées (part des dossiers clos)",
         [](const YearFigures& f) { return f.RevisionRatio(); });
    rate("Dossiers liés à une fraude (part des dossiers clos)",
         [](const YearFigures& f) { return f.FraudRatio(); });
    t.note = "Ensemble des Caf : toutes les Caf de la base" +
             std::string(in_.pole ? ", le pôle national à part" : "") +
             ". Tendance : ↔ pour un taux qui varie de moins de 2 points, pour un nombre ou un "
             "délai qui varie de moins de 5 %.";
    s.AddTable(std::move(t));
    Points("key_figures", "all", "Ensemble des Caf", cur);
    Points("key_figures", "all", "Ensemble des Caf", prev);
    if (pole) Points("key_figures", "pole", "Pôle national", *pole);

    // The quarterly indicator of all funds.
    s.Subheading("Indicateur trimestriel : prise en charge en 8 jours ouvrés");
    Table q;
    q.id = "quarterly_all_funds";
    q.caption = "Ensemble des Caf : prise en charge en 8 jours ouvrés par trimestre de réception";
    q.header = {"Trimestre", "Dans les 8 jours", "Au-delà", "En attente", "Taux " + Y(py_),
                "Taux " + Y(y_), "Objectif 75 %"};
    q.widths = {1.6, 1.2, 1.0, 1.1, 1.1, 1.1, 1.3};
    for (size_t i = 0; i < 4; ++i) {
      const QuarterFigures& c = cur.quarterly_take_charge[i];
      const QuarterFigures& p = prev.quarterly_take_charge[i];
      q.rows.push_back({Cell::Text(std::to_string(i + 1) + (i == 0 ? "er" : "e") + " trimestre"),
                        Cell::Count(c.met), Cell::Count(c.missed), Cell::Count(c.pending),
                        Cell::Ratio(p.Ratio()), Cell::Ratio(c.Ratio()),
                        Cell::Text(TargetText(c.Ratio()))});
    }
    int64_t pending = 0;
    for (const QuarterFigures& x : cur.quarterly_take_charge) pending += x.pending;
    q.rows.push_back({Cell::Text("Année", true), Cell::Count(yr.num, true),
                      Cell::Count(yr.den - yr.num, true), Cell::Count(pending, true),
                      Cell::Ratio(YearlyTakeCharge(prev), true), Cell::Ratio(yr, true),
                      Cell::Text(TargetText(yr), true)});
    q.total_rows = 1;
    q.note = "Sur les demandes recevables reçues dans le trimestre ; celles qui ne sont pas encore "
             "prises en charge et encore dans leur délai au " +
             fr::ShortDate(in_.as_of) + " sont en attente, hors du taux.";
    s.AddTable(std::move(q));
    Chart c;
    c.type = ChartType::kColumns;
    c.title = "Ensemble des Caf : taux de prise en charge en 8 jours par trimestre";
    c.table = static_cast<int>(s.tables.size()) - 1;
    c.value_columns = {4, 5};
    c.target = kTarget;
    c.target_label = "objectif 75 %";
    s.AddChart(std::move(c));
  }

  // "Received | inadmissible | closed | delays | 8 days" for a set of funds.
  static std::vector<Cell> ActivityCells(const YearFigures& f, bool strong) {
    return {Cell::Count(f.received, strong),
            Cell::Ratio(f.InadmissibleRatio(), strong),
            Cell::Count(f.closed, strong),
            Cell::Days(f.delays.take_charge_working_days_avg, strong),
            Cell::Days(f.delays.answer_working_days_avg, strong),
            Cell::Ratio(YearlyTakeCharge(f), strong)};
  }

  void Regions() {
    Section& s = NewSection("regions", "Les chiffres par région", 1);
    std::map<std::string, std::vector<const FundYear*>> by_region;
    for (const FundYear& f : in_.funds) by_region[f.fund.region].push_back(&f);
    Table t;
    t.id = "regions";
    t.caption = "L'activité de " + Y(y_) + " par région";
    t.header = {"Région",        "Caf",       "Reçues",      "Hors médiation",
                "Clos",          "Prise en charge (j. ouvrés)", "Réponse (j. ouvrés)",
                "En 8 jours (année)"};
    t.widths = {3.0, 0.8, 1.0, 1.2, 1.0, 1.3, 1.3, 1.2};
    for (const auto& [code, funds] : by_region) {
      std::vector<YearFigures> parts;
      std::vector<std::string> codes;
      for (const FundYear* f : funds) {
        parts.push_back(f->current);
        codes.push_back(f->fund.code);
      }
      const YearFigures r = MergeFigures(parts, codes, y_, in_.as_of);
      std::vector<Cell> row = {Cell::Text(RegionName(code)),
                               Cell::Count(static_cast<int64_t>(funds.size()))};
      for (Cell& c : ActivityCells(r, false)) row.push_back(std::move(c));
      t.rows.push_back(std::move(row));
      Points("regions", "region." + (code.empty() ? std::string("unknown") : code),
             RegionName(code), r);
    }
    std::vector<Cell> total = {Cell::Text("Ensemble des Caf", true),
                               Cell::Count(static_cast<int64_t>(in_.funds.size()), true)};
    for (Cell& c : ActivityCells(in_.all_funds, true)) total.push_back(std::move(c));
    t.rows.push_back(std::move(total));
    t.total_rows = 1;
    t.note = "Hors médiation : part des demandes reçues. En 8 jours : demandes recevables reçues "
             "dans l'année prises en charge dans les 8 jours ouvrés, sur celles mesurées "
             "(trimestres cumulés).";
    s.AddTable(std::move(t));
    Chart c;
    c.type = ChartType::kBars;
    // No target line: the bar charts do not draw one (the title says it).
    c.title = "Prise en charge en 8 jours ouvrés par région (" + Y(y_) + ", objectif 75 %)";
    c.table = static_cast<int>(s.tables.size()) - 1;
    c.value_columns = {7};
    s.AddChart(std::move(c));
  }

  void Funds() {
    Section& s = NewSection("funds", "Les chiffres par Caf", 1);
    int measured = 0, met = 0;
    for (const FundYear& f : in_.funds) {
      const CountRatio r = YearlyTakeCharge(f.current);
      if (r.den == 0) continue;
      ++measured;
      if (r.num * 4 >= r.den * 3) ++met;
    }
    s.Paragraph(fr::Count(met) + " Caf sur " + fr::Count(measured) +
                " mesurées atteignent en " + Y(y_) +
                " l'objectif de 75 % des demandes prises en charge en 8 jours ouvrés sur "
                "l'année.");
    Table a;
    a.id = "funds_activity";
    a.caption = "L'activité de chaque Caf en " + Y(y_);
    a.header = {"Caf",  "Région", "Reçues", "Hors médiation", "Clos",
                "Prise en charge (j. ouvrés)", "Réponse (j. ouvrés)", "Médiateurs"};
    a.widths = {2.6, 1.7, 0.9, 1.3, 0.8, 1.2, 1.2, 1.2};
    Table q;
    q.id = "funds_quarterly";
    q.caption = "Prise en charge en 8 jours ouvrés par Caf et par trimestre (" + Y(y_) + ")";
    q.header = {"Caf", "T1", "T2", "T3", "T4", "Année", "Objectif 75 %"};
    q.widths = {3.4, 1, 1, 1, 1, 1.1, 1.3};
    for (const FundYear& f : in_.funds) {
      const YearFigures& c = f.current;
      a.rows.push_back({Cell::Text(FundName(f.fund)), Cell::Text(RegionName(f.fund.region)),
                        Cell::Count(c.received), Cell::Ratio(c.InadmissibleRatio()),
                        Cell::Count(c.closed), Cell::Days(c.delays.take_charge_working_days_avg),
                        Cell::Days(c.delays.answer_working_days_avg), Cell::Count(f.mediators)});
      std::vector<Cell> row = {Cell::Text(FundName(f.fund))};
      for (const QuarterFigures& x : c.quarterly_take_charge) row.push_back(Cell::Ratio(x.Ratio()));
      const CountRatio yr = YearlyTakeCharge(c);
      row.push_back(Cell::Ratio(yr, true));
      row.push_back(Cell::Text(TargetText(yr)));
      q.rows.push_back(std::move(row));
      Points("funds", f.fund.code, "Caf " + f.fund.code, c);
    }
    const YearFigures& all = in_.all_funds;
    a.rows.push_back({Cell::Text("Ensemble des Caf", true), Cell::Text(""),
                      Cell::Count(all.received, true), Cell::Ratio(all.InadmissibleRatio(), true),
                      Cell::Count(all.closed, true),
                      Cell::Days(all.delays.take_charge_working_days_avg, true),
                      Cell::Days(all.delays.answer_working_days_avg, true),
                      Cell::Count(in_.mediators, true)});
    a.total_rows = 1;
    a.note = "Clos : dossiers recevables clôturés dans l'année. Délais : moyennes sur les dossiers "
             "clos qui ont la date. Médiateurs de l'ensemble : comptés une fois.";
    std::vector<Cell> qt = {Cell::Text("Ensemble des Caf", true)};
    for (const QuarterFigures& x : all.quarterly_take_charge) qt.push_back(Cell::Ratio(x.Ratio(), true));
    qt.push_back(Cell::Ratio(YearlyTakeCharge(all), true));
    qt.push_back(Cell::Text(TargetText(YearlyTakeCharge(all)), true));
    q.rows.push_back(std::move(qt));
    q.total_rows = 1;
    q.note = "Part des demandes recevables reçues dans le trimestre prises en charge dans les "
             "8 jours ouvrés, sur celles dans les 8 jours ou au-delà (hors attente). Année : "
             "les quatre trimestres cumulés. « — » : rien à mesurer.";
    s.AddTable(std::move(a));
    s.AddTable(std::move(q));
    if (in_.pole) {
      s.Subheading("Le pôle national");
      const YearFigures& p = in_.pole->current;
      const CountRatio yr = YearlyTakeCharge(p);
      s.Paragraph("Le pôle national (" + FundName(in_.pole->fund) + ") a reçu " +
                  fr::Count(p.received) + " demande(s) et clos " + fr::Count(p.closed) +
                  " dossier(s) recevable(s) en " + Y(y_) + ", pris en charge en " +
                  fr::Days(p.delays.take_charge_working_days_avg) +
                  " ouvrés en moyenne (en 8 jours : " + Pct(yr) + ").");
      Points("funds", "pole." + in_.pole->fund.code, "Pôle national " + in_.pole->fund.code, p);
    }
  }

  // A table of spreads (its rows of one kind) and its box plot.
  void SpreadTable(Section& s, std::string id, std::string caption,
                   const std::vector<Spread>& spreads, std::string chart_title) {
    Table t;
    t.id = std::move(id);
    t.caption = std::move(caption);
    t.header = {"Indicateur", "Caf", "Minimum", "1er décile", "1er quartile",
                "Médiane",    "3e quartile",  "9e décile", "Maximum"};
    t.widths = {2.8, 0.6, 1.1, 1.0, 1.1, 1.0, 1.1, 1.0, 1.1};
    Table d;
    d.id = t.id + "_deciles";
    d.caption = "Déciles : " + t.caption;
    d.header = {"Indicateur"};
    for (int k = 1; k <= 9; ++k) d.header.push_back("D" + std::to_string(k));
    d.widths = {3.2, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    for (const Spread& sp : spreads) {
      const auto cell = [&](std::optional<double> v) {
        return sp.kind == ValueKind::kRate ? Cell::Rate(v) : Cell::Days(v);
      };
      t.rows.push_back({Cell::Text(sp.label), Cell::Count(sp.funds), cell(sp.min), cell(sp.d1),
                        cell(sp.q1), cell(sp.median), cell(sp.q3), cell(sp.d9), cell(sp.max)});
      std::vector<Cell> row = {Cell::Text(sp.label)};
      for (size_t k = 0; k < 9; ++k) {
        row.push_back(cell(k < sp.deciles.size() ? sp.deciles[k] : std::nullopt));
      }
      d.rows.push_back(std::move(row));
    }
    t.note = "Caf : nombre de Caf où l'indicateur est mesuré (le pôle national à part). Déciles et "
             "quartiles par interpolation linéaire entre rangs (comme CENTILE des tableurs).";
    s.AddTable(std::move(t));
    Chart c;
    c.type = ChartType::kBox;
    c.title = std::move(chart_title);
    c.table = static_cast<int>(s.tables.size()) - 1;
    c.value_columns = {3, 4, 5, 6, 7};
    if (spreads.front().kind == ValueKind::kRate) {
      c.target = kTarget;
      c.target_label = "objectif 75 %";
    }
    s.AddChart(std::move(c));
    s.AddTable(std::move(d));
  }

  void Spreads() {
    Section& s = NewSection("spread", "La dispersion des délais entre Caf", 1);
    std::vector<double> take, answer, rate;
    for (const FundYear& f : in_.funds) {
      const DelayFigures& d = f.current.delays;
      if (d.take_charge_working_days_avg) take.push_back(*d.take_charge_working_days_avg);
      if (d.answer_working_days_avg) answer.push_back(*d.answer_working_days_avg);
      if (auto r = assemble_internal::Frac(YearlyTakeCharge(f.current))) rate.push_back(*r);
    }
    const std::vector<Spread> delays = {
        SpreadOf("Délai moyen de prise en charge (jours ouvrés)", ValueKind::kDays, take),
        SpreadOf("Délai moyen de réponse (jours ouvrés)", ValueKind::kDays, answer)};
    const std::vector<Spread> rates = {SpreadOf(
        "Prise en charge en 8 jours ouvrés (année)", ValueKind::kRate, rate)};
    s.Paragraph("Comment les moyennes des Caf se répartissent : la moitié des Caf ont un délai "
                "moyen de prise en charge inférieur à " +
                fr::Days(delays[0].median) + " ouvrés, un dixième au-delà de " +
                fr::Days(delays[0].d9) + ".");
    SpreadTable(s, "spread_delays", "Répartition des délais moyens des Caf en " + Y(y_), delays,
                "Délais moyens des Caf : décile 1, quartiles, médiane et décile 9");
    SpreadTable(s, "spread_take_charge", "Répartition des taux de prise en charge en 8 jours en " +
                    Y(y_), rates,
                "Taux de prise en charge en 8 jours des Caf : décile 1, quartiles, médiane et "
                "décile 9");
    for (const auto* group : {&delays, &rates}) {
      for (const Spread& sp : *group) {
        const std::string code = sp.kind == ValueKind::kRate ? "year_take_charge_rate"
                                 : &sp == &(*group)[0]       ? "take_charge_working_days_avg"
                                                             : "answer_working_days_avg";
        Point("spread", code + ".median", sp.label + " — médiane des Caf", y_, sp.median);
        for (size_t k = 0; k < sp.deciles.size(); ++k) {
          Point("spread", code + ".d" + std::to_string(k + 1),
                sp.label + " — décile " + std::to_string(k + 1), y_, sp.deciles[k]);
        }
      }
    }
  }

  void Recommendations() {
    Section& s = NewSection("recommendations", "Les préconisations de l'ensemble des Caf", 1);
    if (!in_.register_error.empty()) {
      Block b;
      b.kind = Block::Kind::kWarning;
      b.text = in_.register_error;
      s.blocks.push_back(std::move(b));
      return;
    }
    std::map<std::string, std::string> fund_names;
    for (const FundYear& f : in_.funds) fund_names[f.fund.code] = FundName(f.fund);
    if (in_.pole) fund_names[in_.pole->fund.code] = "Pôle national";
    if (in_.recommendations.empty()) {
      s.Paragraph(msg::Find("report.national_no_recommendation") + std::string(" pour ") + Y(y_) +
                  ".");
      return;
    }
    s.Paragraph("Les constats et préconisations de " + Y(y_) + " de toutes les Caf, par thème (" +
                fr::Count(static_cast<int64_t>(in_.recommendations.size())) + " au total).");
    std::vector<RecommendationTheme> themes = in_.themes;
    std::stable_sort(themes.begin(), themes.end(),
                     [](const auto& a, const auto& b) { return a.position < b.position; });
    // Items whose theme is not in the list come last, under their code.
    for (const Recommendation& r : in_.recommendations) {
      if (std::none_of(themes.begin(), themes.end(),
                       [&](const auto& t) { return t.code == r.theme; })) {
        themes.push_back({r.theme, r.theme, 1 << 20, true});
      }
    }
    int n = 0;
    for (const RecommendationTheme& th : themes) {
      Table t;
      t.id = "recommendations_" + th.code;
      t.caption = th.label;
      t.header = {"Caf", "Nature", "Constat ou préconisation", "Adressée à", "Statut"};
      t.widths = {2.0, 1.3, 5.0, 1.6, 1.3};
      for (const Recommendation& r : in_.recommendations) {
        if (r.theme != th.code) continue;
        const auto name = fund_names.find(r.organisme);
        t.rows.push_back({Cell::Text(name != fund_names.end() ? name->second : r.organisme),
                          Cell::Text(KindLabel(r.kind)), Cell::Text(r.text),
                          Cell::Text(r.addressed_to), Cell::Text(StatusLabel(r.status))});
      }
      if (t.rows.empty()) continue;
      Point("recommendations", "theme." + th.code, th.label + " — constats et préconisations",
            y_, D(static_cast<int64_t>(t.rows.size())));
      s.Subheading(th.label + " (" + fr::Count(static_cast<int64_t>(t.rows.size())) + ")");
      s.AddTable(std::move(t));
      ++n;
    }
    (void)n;
  }

  void Method() {
    Section& s = NewSection("method", "Définitions et méthode", 1);
    s.Bullets({
        "Ensemble des Caf : toutes les Caf de la base" +
            std::string(in_.pole ? ", sauf le pôle national (" + in_.pole->fund.code +
                                       "), présenté à part"
                                 : "") +
            " ; ses chiffres sont ceux de la commande « amiable stats » sur ces Caf.",
        "Chaque chiffre d'une Caf ou d'une région suit les définitions du rapport annuel d'une "
        "Caf : demandes reçues dans l'année, dossiers recevables clos dans l'année, délais en "
        "jours ouvrés du calendrier de la Caf.",
        "Prise en charge en 8 jours ouvrés : indicateur trimestriel sur les demandes recevables "
        "reçues dans le trimestre ; le taux de l'année cumule les quatre trimestres. Objectif : "
        "au moins 75 %.",
        "Dispersion : les moyennes des Caf où l'indicateur est mesuré, ordonnées ; déciles et "
        "quartiles par interpolation linéaire entre rangs.",
        "Chiffres calculés au " + fr::ShortDate(in_.as_of) + ".",
    });
  }

  const NationalInputs& in_;
  int y_;
  int py_;
  ReportModel m_;
};

}  // namespace

ReportModel AssembleNationalReport(const NationalInputs& in) {
  return NationalAssembler(in).Build();
}

}  // namespace amiable::report
