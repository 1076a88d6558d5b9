#include "report/assemble.h"

#include <algorithm>
#include <cmath>

#include "core/nomenclature.h"
#include "core/french_format.h"

namespace amiable::report {
namespace {

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

// How a breakdown is described.
struct BreakdownSpec {
  std::string_view name;
  std::string_view title;
  std::string_view field;  // "le mode de saisine" — for "dont ... est renseigné"
  bool several;
  ChartType chart;
};

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

class Assembler {
 public:
  explicit Assembler(const ReportInputs& in) : in_(in), cur_(in.current), prev_(in.previous) {
    y_ = cur_.year;
    py_ = prev_.year != 0 ? prev_.year : y_ - 1;
  }

  ReportModel Build() {
    Header();
    MediatorText("editorial", "Éditorial", in_.texts.editorial);
    Highlights();
    KeyFigures();
    Chapter("figures", "La médiation en chiffres",
            "Les figures de ce chapitre portent sur les demandes reçues en " + Y(y_) +
                " et sur les " + fr::Count(cur_.closed) + " dossiers recevables clos en " +
                Y(y_) + " (" + fr::Count(prev_.closed) + " en " + Y(py_) +
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
    MediatorText("findings", "Constats et préconisations", in_.texts.findings);
    MediatorText("plan", "Bilan " + Y(y_) + " et plan de travail " + Y(y_ + 1), in_.texts.plan);
    Annexes();
    for (Section& s : m_.sections) {
      for (Chart& c : s.charts) {
        if (c.alt.empty()) c.alt = DescribeChart(s, c);
      }
    }
    return std::move(m_);
  }

 private:
  // ---- helpers ---------------------------------------------------------
  Section& NewSection(std::string id, std::string title, int level) {
    Section s;
    s.id = std::move(id);
    s.title = std::move(title);
    s.level = level;
    m_.sections.push_back(std::move(s));
    return m_.sections.back();
  }

  void Chapter(std::string id, std::string title, std::string intro) {
    Section& s = NewSection(std::move(id), std::move(title), 1);
    if (!intro.empty()) s.Paragraph(std::move(intro));
  }

  void Point(std::string_view section, std::string code, std::string label, int year,
             std::optional<double> count, std::optional<double> share = std::nullopt) {
    m_.data.push_back(
        {std::string(section), std::move(code), std::move(label), year, count, share});
  }

  // A row "indicator | Y-1 | Y | trend".
  static std::vector<Cell> Row(std::string label, Cell prev, Cell cur, Cell trend) {
    return {Cell::Text(std::move(label)), std::move(prev), std::move(cur), std::move(trend)};
  }

  Table YearTable(std::string id, std::string caption) const {
    Table t;
    t.id = std::move(id);
    t.caption = std::move(caption);
    t.header = {"Indicateur", Y(py_), Y(y_), "Tendance"};
    t.widths = {5.2, 1.5, 1.5, 1.1};
    return t;
  }

  void CountRow(Table& t, std::string label, int64_t cur, int64_t prev) const {
    t.rows.push_back(Row(std::move(label), Cell::Count(prev), Cell::Count(cur),
                         TrendCell(FigureKind::kCount, D(cur), D(prev), in_.trend)));
  }
  void RateRow(Table& t, std::string label, CountRatio cur, CountRatio prev) const {
    t.rows.push_back(Row(std::move(label), Cell::Ratio(prev), Cell::Ratio(cur),
                         TrendCell(FigureKind::kRate, Frac(cur), Frac(prev), in_.trend)));
  }
  void DaysRow(Table& t, std::string label, std::optional<double> cur,
               std::optional<double> prev) const {
    t.rows.push_back(Row(std::move(label), Cell::Days(prev), Cell::Days(cur),
                         TrendCell(FigureKind::kAverage, cur, prev, in_.trend)));
  }
  void EurosRow(Table& t, std::string label, int64_t cur, int64_t prev) const {
    t.rows.push_back(Row(std::move(label), Cell::Euros(prev), Cell::Euros(cur),
                         TrendCell(FigureKind::kAmount, D(cur), D(prev), in_.trend)));
  }
  void ShareRow(Table& t, const Breakdown& cur, const Breakdown& prev, std::string_view code,
                std::string label) const {
    RateRow(t, std::move(label) + " (" + Dossiers(cur.Count(code)) + " en " + Y(y_) + ")",
            cur.ShareRatio(code), prev.ShareRatio(code));
  }

  // ---- sections ----------------------------------------------------------
  void Header() {
    m_.title = "Rapport annuel de la médiation administrative";
    m_.fund_label = FundLabel(in_.funds, in_.all_funds);
    m_.organismes = cur_.organismes;
    m_.year = y_;
    m_.as_of = cur_.as_of;
    m_.generated_on = in_.generated_on;
    m_.author = "Médiation administrative — " + m_.fund_label;
    m_.subject =
        "Rapport d'activité " + Y(y_) + " de la médiation administrative : " + m_.fund_label;
    m_.quality = in_.quality;
    m_.incomplete = in_.incomplete;
  }

  void MediatorText(std::string id, std::string title, const std::string& text) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return;
    Section& s = NewSection(std::move(id), std::move(title), 1);
    for (Block& b : ParseLightMarkup(text)) s.blocks.push_back(std::move(b));
  }

  void Highlights() {
    if (in_.texts.highlights.empty()) return;
    Section& s = NewSection("highlights", "Les temps forts " + Y(y_), 1);
    Table t;
    t.id = "highlights";
    t.caption = "Les temps forts de l'année " + Y(y_);
    t.header = {"Thème", "Période", "Actions et événements"};
    t.widths = {2.2, 1.3, 6.5};
    for (const Highlight& h : in_.texts.highlights) {
      t.rows.push_back({Cell::Text(h.theme, true), Cell::Text(h.period), Cell::Text(h.actions)});
    }
    s.AddTable(std::move(t));
  }

  void KeyFigure(Section& s, std::string value, std::string caption) {
    Block b;
    b.kind = Block::Kind::kKeyFigure;
    b.text = std::move(value);
    b.items = {std::move(caption)};
    s.blocks.push_back(std::move(b));
  }

  void KeyFigures() {
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

    Table p =
        YearTable("key_profile", "Profil des requérants (parts des dossiers clos renseignés)");
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
    Table em = share_table("key_emitter", "Émetteurs des saisines", cur_.by_emitter,
                           prev_.by_emitter, true);
    if (!em.rows.empty()) s.AddTable(std::move(em));
    Table mo = share_table("key_motive", "Motifs des saisines (plusieurs par dossier)",
                           cur_.by_motive, prev_.by_motive, false);
    mo.note = "Un dossier pouvant relever de plusieurs motifs, la somme des parts dépasse 100 %.";
    s.AddTable(std::move(mo));
    Table be = share_table("key_benefit", "Prestations concernées (plusieurs par dossier)",
                           cur_.by_benefit, prev_.by_benefit, true);
    be.note =
        "Un dossier pouvant concerner plusieurs prestations, la somme des parts dépasse 100 %.";
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
    RateRow(d, "Dossiers pris en charge en 8 jours ouvrés ou moins",
            cur_.delays.WithinTargetRatio(), prev_.delays.WithinTargetRatio());
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

  static std::string FinancialLabel(std::string_view kind) {
    if (kind == "rappel") return "Rappels versés";
    if (kind == "indu_detecte") return "Indus détectés à la suite de la médiation";
    if (kind == "indu_annule") return "Indus injustifiés annulés";
    if (kind == "indu_remis") return "Indus remis par la commission de recours amiable";
    return Label("financial_kind", kind);
  }

  void Requests() {
    Section& s = NewSection("requests", "Nombre de saisines et évolution", 2);
    std::string p =
        "En " + Y(y_) + ", " + fr::Count(cur_.received) +
        " demandes de médiation ont été reçues, contre " + fr::Count(prev_.received) + " en " +
        Y(py_) + EvolutionPhrase(cur_.received, prev_.received) + ", soit en moyenne " +
        fr::Decimal(static_cast<double>(cur_.received) / 12.0, 1) + " demandes par mois. ";
    p += fr::Count(cur_.inadmissible) + " d'entre elles ne relevaient pas de la médiation (" +
         Pct(cur_.InadmissibleRatio()) + " des demandes reçues), contre " +
         fr::Count(prev_.inadmissible) + " en " + Y(py_) + " (" +
         Pct(prev_.InadmissibleRatio()) + "). ";
    p += "L'étude porte sur les " + fr::Count(cur_.closed) + " dossiers recevables clos en " +
         Y(y_) + ", contre " + fr::Count(prev_.closed) + " en " + Y(py_) + ".";
    s.Paragraph(p);

    Table h;
    h.id = "history";
    h.caption = "Évolution annuelle des demandes";
    h.header = {"Année", "Demandes reçues", "Hors médiation", "Part hors médiation",
                "Dossiers clos"};
    h.widths = {1.2, 1.5, 1.5, 1.5, 1.5};
    for (const YearPoint& yp : in_.history) {
      const auto rate = Ratio(yp.inadmissible, yp.received);
      h.rows.push_back({Cell::Text(Y(yp.year)), Cell::Count(yp.received),
                        Cell::Count(yp.inadmissible), Cell::Ratio({yp.inadmissible, yp.received}), Cell::Count(yp.closed)});
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
      Point("monthly_received", code, fr::CapitalizedMonthName(i + 1), y_, D(cur_.monthly_received[i]));
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
  }

  void Admissibility() {
    Section& s = NewSection("admissibility", "Les demandes hors médiation", 2);
    const Breakdown& b = cur_.by_inadmissibility_reason;
    std::string p = fr::Count(cur_.inadmissible) + " demandes reçues en " + Y(y_) +
                    " ne relevaient pas de la médiation, soit " +
                    Pct(cur_.InadmissibleRatio()) + " des " + fr::Count(cur_.received) +
                    " demandes reçues (" + Pct(prev_.InadmissibleRatio()) + " en " +
                    Y(py_) + "). ";
    const std::string top = TopCode(b);
    if (!top.empty()) {
      p += "Motif le plus fréquent : " + Lower(Label(b.name, top)) + " (" +
           Pct(b.ShareRatio(top)) + " des " + fr::Count(b.Known()) +
           " demandes dont le motif est renseigné). ";
    }
    p += "Bien qu'irrecevables, ces demandes sont étudiées, reçoivent une réponse et sont "
         "orientées vers le service ou le partenaire compétent.";
    s.Paragraph(p);
    Point("admissibility", "inadmissible",
          "Demandes hors médiation (part : sur les demandes reçues)", py_, D(prev_.inadmissible),
          prev_.inadmissible_rate);
    Point("admissibility", "inadmissible",
          "Demandes hors médiation (part : sur les demandes reçues)", y_, D(cur_.inadmissible),
          cur_.inadmissible_rate);
    BreakdownTables(s, cur_.by_inadmissibility_reason, prev_.by_inadmissibility_reason,
                    "demandes hors médiation", "inadmissibility_reason");
  }

  static std::string Lower(std::string s) {
    // Only the first letter, ASCII or a two-byte Latin-1 capital (É -> é).
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') {
      s[0] = static_cast<char>(s[0] - 'A' + 'a');
    } else if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xC3) {
      const unsigned char c = static_cast<unsigned char>(s[1]);
      if (c >= 0x80 && c <= 0x9E) s[1] = static_cast<char>(c + 0x20);
    }
    return s;
  }

  static std::string TopCode(const Breakdown& b) {
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

  void BreakdownSection(const Breakdown& cur, const Breakdown& prev) {
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
  void BreakdownTables(Section& s, const Breakdown& cur, const Breakdown& prev,
                       const std::string& population, const std::string& section_id) {
    const BreakdownSpec& spec = SpecOf(cur.name);
    Table t;
    t.id = cur.name;
    t.caption = std::string(spec.title) + " — " + Y(py_) + " et " + Y(y_);
    t.header = {"",        "Nombre " + Y(py_), "Part " + Y(py_), "Nombre " + Y(y_), "Part " + Y(y_),
                "Tendance"};
    t.widths = {4.2, 1.25, 1.25, 1.25, 1.25, 1.0};
    for (const auto& [code, n] : cur.counts) {
      const std::string label = Label(cur.name, code);
      t.rows.push_back(
          {Cell::Text(label), Cell::Count(prev.Count(code)), Cell::Ratio(prev.ShareRatio(code)),
           Cell::Count(n), Cell::Ratio(cur.ShareRatio(code)),
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
      c.title =
          std::string(spec.title) + " en " + Y(y_) + " (parts des " + population + " renseignés)";
      c.value_columns = {3};
      if (cur.Known() == 0) return;
    } else {
      c.title = std::string(spec.title) + " (nombre de dossiers)";
      c.value_columns = {1, 3};
    }
    s.AddChart(std::move(c));
  }

  void Delays() {
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
    RateRow(t, "Dossiers pris en charge en 8 jours ouvrés ou moins",
            d.WithinTargetRatio(), pd.WithinTargetRatio());
    t.note = "Délais mesurés de la réception à la prise en charge sur les " +
             fr::Count(d.with_take_charge) + " dossiers clos en " + Y(y_) +
             " ayant une date de prise en charge (" + fr::Count(pd.with_take_charge) + " en " +
             Y(py_) + "), et de la réception à la réponse sur les " + fr::Count(d.with_answer) +
             " ayant une date de réponse (" + fr::Count(pd.with_answer) + " en " + Y(py_) +
             "). Jours ouvrés : du lundi au vendredi, hors jours fériés de la zone de chaque Caf.";
    s.AddTable(std::move(t));
    for (const auto* f : {&prev_, &cur_}) {
      Point("delays", "take_charge_working_days_avg",
            "Délai moyen de prise en charge (jours ouvrés)", f->year,
            f->delays.take_charge_working_days_avg);
      Point("delays", "answer_working_days_avg", "Délai moyen de réponse (jours ouvrés)", f->year,
            f->delays.answer_working_days_avg);
      Point("delays", "answer_calendar_days_avg", "Délai moyen de réponse (jours calendaires)",
            f->year, f->delays.answer_calendar_days_avg);
      Point("delays", "take_charge_within_target_rate",
            "Dossiers pris en charge en 8 jours ouvrés ou moins (part : sur les dossiers clos "
            "ayant une date de prise en charge)",
            f->year, D(f->delays.within_target), f->delays.take_charge_within_target_rate);
    }
    Meteo(s);
    Quarterly(s);
  }

  void Meteo(Section& s) {
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
    row("Demandes hors médiation",
        [](const YearFigures& f) { return Cell::Count(f.inadmissible); });
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

  std::string ShortFundLabel() const {
    if (in_.funds.size() == 1) return "Caf " + in_.funds[0].code;
    return in_.all_funds ? "Caf de la base" : "Caf sélectionnées";
  }

  void Quarterly(Section& s) {
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

  void Financial() {
    Section& s = NewSection("financial", "L'impact financier", 2);
    const FinancialFigures r = cur_.Financial("rappel");
    const FinancialFigures pr = prev_.Financial("rappel");
    std::vector<std::string> items;
    items.push_back(Plural(r.count, "rappel", "rappels") + " pour un montant global de " +
                    fr::Euros(r.amount_cents) + ", contre " +
                    Plural(pr.count, "rappel", "rappels") + " pour " +
                    fr::Euros(pr.amount_cents) + " en " + Y(py_) + ".");
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
           Cell::Change(Evolution(static_cast<double>(k.amount_cents),
                                  static_cast<double>(pk.amount_cents))),
           TrendCell(FigureKind::kAmount, D(k.amount_cents), D(pk.amount_cents), in_.trend)});
      for (const auto* f : {&prev_, &cur_}) {
        const FinancialFigures x = f->Financial(k.kind);
        Point("financial", k.kind, FinancialLabel(k.kind) + " (nombre de lignes)", f->year,
              D(x.count));
        Point("financial", k.kind + ".amount_euros", FinancialLabel(k.kind) + " (montant en €)",
              f->year, static_cast<double>(x.amount_cents) / 100.0);
      }
    }
    t.note = "Lignes financières des " + fr::Count(cur_.closed) +
             " dossiers recevables clos en " + Y(y_) + " (" + fr::Count(prev_.closed) + " en " +
             Y(py_) +
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

  void Teleprocedure() {
    Section& s = NewSection("teleprocedure", "Focus : les saisines par téléprocédure", 2);
    const TeleprocedureFigures& t = cur_.teleprocedure;
    const TeleprocedureFigures& pt = prev_.teleprocedure;
    s.Paragraph(fr::Count(t.closed) + " dossiers clos en " + Y(y_) +
                " ont été transmis par la téléprocédure, soit " + Pct(cur_.TeleprocedureShareOfClosedRatio()) +
                " des " + fr::Count(cur_.closed) + " dossiers clos. " + fr::Count(t.revised) +
                " ont abouti à une révision du dossier, soit un taux de révision de " +
                Pct(t.RevisionRatio()) + " (sur " + fr::Count(t.with_resolution) +
                " dossiers dont la résolution est connue), contre " +
                Pct(cur_.RevisionRatio()) +
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
        Cell::Count(cur_.received),
        TrendCell(FigureKind::kCount, D(t.received), D(pt.received), ts));
    row("Taux d'irrecevabilité (sur les demandes reçues)", Cell::Ratio(pt.InadmissibleRatio()),
        Cell::Ratio(t.InadmissibleRatio()), Cell::Ratio(cur_.InadmissibleRatio()),
        TrendCell(FigureKind::kRate, t.inadmissible_rate, pt.inadmissible_rate, ts));
    row("Dossiers recevables clos", Cell::Count(pt.closed), Cell::Count(t.closed),
        Cell::Count(cur_.closed), TrendCell(FigureKind::kCount, D(t.closed), D(pt.closed), ts));
    row("Part des dossiers clos", Cell::Ratio(prev_.TeleprocedureShareOfClosedRatio()),
        Cell::Ratio(cur_.TeleprocedureShareOfClosedRatio()),
        Cell::Ratio({cur_.closed, cur_.closed}),
        TrendCell(FigureKind::kRate, t.share_of_closed, pt.share_of_closed, ts));
    row("Décisions révisées", Cell::Count(pt.revised), Cell::Count(t.revised),
        Cell::Count(cur_.by_resolution.Count("revisee")),
        TrendCell(FigureKind::kCount, D(t.revised), D(pt.revised), ts));
    row("Taux de révision (sur les résolutions connues)", Cell::Ratio(pt.RevisionRatio()),
        Cell::Ratio(t.RevisionRatio()), Cell::Ratio(cur_.RevisionRatio()),
        TrendCell(FigureKind::kRate, t.revision_rate, pt.revision_rate, ts));
    row("Délai moyen de prise en charge (jours ouvrés)",
        Cell::Days(pt.take_charge_working_days_avg), Cell::Days(t.take_charge_working_days_avg),
        Cell::Days(cur_.delays.take_charge_working_days_avg),
        TrendCell(FigureKind::kAverage, t.take_charge_working_days_avg,
                  pt.take_charge_working_days_avg, ts));
    s.AddTable(std::move(tb));
    for (const auto* f : {&prev_, &cur_}) {
      const TeleprocedureFigures& x = f->teleprocedure;
      Point("teleprocedure", "received", "Demandes reçues par téléprocédure", f->year,
            D(x.received));
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
  }

  void Fraud() {
    Section& s = NewSection("fraud", "Focus : les dossiers de fraude", 2);
    s.Paragraph("Les saisines relatives à des dossiers déjà qualifiés de fraude représentent " +
                Pct(cur_.FraudRatio()) + " des dossiers clos en " + Y(y_) + " (" +
                fr::Count(cur_.fraud_cases) + " sur " + fr::Count(cur_.closed) + "), contre " +
                Pct(prev_.FraudRatio()) + " en " + Y(py_) + " (" +
                fr::Count(prev_.fraud_cases) + " sur " + fr::Count(prev_.closed) + ").");
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

  void Annexes() {
    Chapter("annexes", "Annexes", "");
    Section& s = NewSection("method", "Définitions et méthode", 2);
    s.Bullets({
        "Demandes reçues : demandes dont la date de réception est en " + Y(y_) + ".",
        "Demandes hors médiation : demandes reçues dans l'année et déclarées irrecevables ; leur "
        "part est rapportée aux demandes reçues.",
        "Population étudiée : dossiers recevables dont la date de clôture est en " + Y(y_) +
            ", quelle que soit leur date de réception (" + fr::Count(cur_.closed) +
            " dossiers ; " + fr::Count(prev_.closed) + " en " + Y(py_) + ").",
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

  void Quality() {
    Section& s = NewSection("quality", "Qualité des données", 2);
    const ConsistencyReport& q = in_.quality;
    if (q.Blocking() == 0 && q.Warnings() == 0) {
      s.Paragraph("Contrôle de cohérence : aucun problème relevé sur les " +
                  fr::Count(q.cases_checked) + " dossiers reçus ou clos en " + Y(y_) + ".");
      return;
    }
    std::string p = "Contrôle de cohérence sur les " + fr::Count(q.cases_checked) +
                    " dossiers reçus ou clos en " + Y(y_) + " : " + fr::Count(q.Blocking()) +
                    " problème(s) bloquant(s) et " + fr::Count(q.Warnings()) +
                    " avertissement(s). ";
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

  const ReportInputs& in_;
  const YearFigures& cur_;
  const YearFigures& prev_;
  int y_ = 0;
  int py_ = 0;
  ReportModel m_;
};

}  // namespace

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

std::vector<Block> ParseLightMarkup(std::string_view text) {
  std::vector<Block> out;
  std::string para;
  std::vector<std::string> bullets;
  auto flush = [&] {
    if (!para.empty()) {
      Block b;
      b.kind = Block::Kind::kParagraph;
      b.text = std::move(para);
      out.push_back(std::move(b));
      para.clear();
    }
    if (!bullets.empty()) {
      Block b;
      b.kind = Block::Kind::kBullets;
      b.items = std::move(bullets);
      out.push_back(std::move(b));
      bullets.clear();
    }
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    size_t indent = 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    std::string_view body = line.substr(indent);
    if (body.empty()) {
      flush();
      if (end == text.size()) break;
      continue;
    }
    if (body.starts_with("# ") || body.starts_with("## ") || body.starts_with("### ")) {
      flush();
      Block b;
      b.kind = Block::Kind::kSubheading;
      b.text = std::string(body.substr(body.find(' ') + 1));
      out.push_back(std::move(b));
    } else if (body.starts_with("- ") || body.starts_with("* ") || body.starts_with("• ")) {
      if (!para.empty()) {
        std::vector<std::string> keep = std::move(bullets);
        bullets.clear();
        flush();
        bullets = std::move(keep);
      }
      bullets.push_back(std::string(body.substr(body.find(' ') + 1)));
    } else if (body.starts_with("> ") || body == ">") {
      flush();
      Block b;
      b.kind = Block::Kind::kSignature;
      b.text = std::string(body.size() > 2 ? body.substr(2) : "");
      out.push_back(std::move(b));
    } else if (!bullets.empty() && indent > 0) {
      bullets.back() += " " + std::string(body);  // continuation of a bullet
    } else {
      if (!bullets.empty()) flush();
      if (!para.empty()) para += ' ';
      para += body;
    }
    if (end == text.size()) break;
  }
  flush();
  return out;
}

ReportModel AssembleReport(const ReportInputs& in) { return Assembler(in).Build(); }

}  // namespace amiable::report
