// The register of findings and recommendations in a fund's report
// (report/register.h): in the findings chapter, the year's items by theme
// (a count table, then each item with its nature, addressee and status) and
// the follow-up of earlier years' items (a table: year, theme, text, status
// at the end of the year, dated notes).
#include <algorithm>
#include <array>
#include <map>

#include "core/french_format.h"
#include "report/assemble_internal.h"
#include "report/register.h"

namespace amiable::report::assemble_internal {

namespace {

// A text of light markup on one line for a table cell: lines joined, bold
// marks and bullet marks dropped.
std::string OneLine(std::string_view text) {
  std::string out;
  for (const Block& b : ParseLightMarkup(text)) {
    std::vector<std::string> parts = b.items;
    if (!b.text.empty()) parts.insert(parts.begin(), b.text);
    for (const std::string& p : parts) {
      if (!out.empty()) out += ' ';
      out += p;
    }
  }
  std::string clean;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out.compare(i, 2, "**") == 0) {
      ++i;
      continue;
    }
    clean += out[i];
  }
  return clean;
}

std::string Noun(int64_t n, std::string_view kind) {
  return Plural(n, KindLabel(kind), std::string(KindLabel(kind)) + "s");
}

// "le 12/03/2025 : mise en œuvre — note".
std::string FollowUpText(const RecommendationFollowUp& f) {
  std::string s;
  if (auto d = Date::Parse(f.on)) s = "le " + fr::ShortDate(*d) + " : ";
  s += std::string(StatusLabel(f.status));
  const std::string note = OneLine(f.note);
  if (!note.empty()) s += " — " + note;
  return s;
}

}  // namespace

void Assembler::Register() {
  const RegisterInputs& reg = in_.register_items;
  if (reg.empty()) return;
  if (m_.sections.empty() || m_.sections.back().id != "findings") {
    Chapter("findings", "Constats et préconisations", "");
  }
  const bool several_funds = in_.funds.size() != 1;
  const auto fund_of = [&](const Recommendation& r) {
    return several_funds ? " (Caf " + r.organisme + ")" : std::string();
  };

  if (!reg.items.empty()) {
    Section& s = NewSection("register", "Les constats et préconisations de " + Y(y_), 2);
    int64_t constats = 0, preconisations = 0;
    for (const Recommendation& r : reg.items) (r.kind == "constat" ? constats : preconisations)++;
    // Themes in the nomenclature's order, then any other one met.
    std::vector<std::string> order;
    for (const RecommendationTheme& t : reg.themes) order.push_back(t.code);
    for (const Recommendation& r : reg.items) {
      if (std::find(order.begin(), order.end(), r.theme) == order.end()) order.push_back(r.theme);
    }
    std::map<std::string, std::vector<const Recommendation*>> by_theme;
    for (const Recommendation& r : reg.items) by_theme[r.theme].push_back(&r);
    const std::string what =
        preconisations && constats
            ? Noun(preconisations, "preconisation") + " et " + Noun(constats, "constat")
            : preconisations ? Noun(preconisations, "preconisation") : Noun(constats, "constat");
    s.Paragraph("En " + Y(y_) + ", la médiation formule " + what + ", sur " +
                Plural(static_cast<int64_t>(by_theme.size()), "thème", "thèmes") +
                ". Chacune est suivie d'une année sur l'autre jusqu'à sa mise en œuvre ou son "
                "abandon.");
    Table t;
    t.id = "register";
    t.caption = "Constats et préconisations " + Y(y_) + " par thème";
    t.header = {"Thème", "Constats", "Préconisations", "Total"};
    t.widths = {5.0, 1.4, 1.6, 1.2};
    for (const std::string& code : order) {
      auto it = by_theme.find(code);
      if (it == by_theme.end()) continue;
      int64_t c = 0;
      for (const Recommendation* r : it->second) c += r->kind == "constat";
      const int64_t n = static_cast<int64_t>(it->second.size());
      const std::string label = ThemeLabel(reg.themes, code);
      t.rows.push_back({Cell::Text(label), Cell::Count(c), Cell::Count(n - c), Cell::Count(n)});
      Point("register", code, label, y_, D(n));
    }
    t.rows.push_back({Cell::Text("Total", true), Cell::Count(constats, true),
                      Cell::Count(preconisations, true),
                      Cell::Count(constats + preconisations, true)});
    t.total_rows = 1;
    s.AddTable(std::move(t));
    for (const std::string& code : order) {
      auto it = by_theme.find(code);
      if (it == by_theme.end()) continue;
      s.Subheading(ThemeLabel(reg.themes, code));
      for (const Recommendation* r : it->second) {
        std::vector<Block> blocks = ParseLightMarkup(r->text);
        const std::string lead = "**" + KindTitle(r->kind) + "**" + fund_of(*r) + " — ";
        if (!blocks.empty() && blocks.front().kind == Block::Kind::kParagraph) {
          blocks.front().text = lead + blocks.front().text;
        } else {
          Block b;
          b.text = lead;
          blocks.insert(blocks.begin(), std::move(b));
        }
        for (Block& b : blocks) s.blocks.push_back(std::move(b));
        std::string meta = "Statut : " + std::string(StatusLabel(r->status));
        if (!r->addressed_to.empty()) meta = "Adressée à : " + r->addressed_to + ". " + meta;
        s.Paragraph(meta + ".");
      }
    }
  }

  if (!reg.earlier.empty()) {
    Section& s =
        NewSection("register_follow_up", "Le suivi des préconisations des années précédentes", 2);
    std::array<int64_t, 4> counts{};  // in the order of recommendation::Statuses()
    static constexpr std::array<std::string_view, 4> kPlural = {
        "proposées", "acceptées", "mises en œuvre", "abandonnées"};
    for (const Recommendation& r : reg.earlier) {
      const int i = recommendation::Statuses().IndexOf(r.status);
      if (i >= 0) ++counts[static_cast<size_t>(i)];
    }
    std::string summary;
    for (size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] == 0) continue;
      if (!summary.empty()) summary += ", ";
      summary += fr::Count(counts[i]) + " " +
                 std::string(counts[i] > 1 ? kPlural[i] : recommendation::Statuses().entries[i].label);
    }
    s.Paragraph("Les constats et préconisations des années précédentes encore ouverts au début de " +
                Y(y_) + " ou revus en " + Y(y_) + " : " + summary + " à la fin de " + Y(y_) + ".");
    Table t;
    t.id = "register_follow_up";
    t.caption = "Suivi en " + Y(y_) + " des préconisations antérieures";
    t.header = {"Année", "Thème", "Constat ou préconisation", "Statut fin " + Y(y_), "Suivi"};
    t.widths = {0.9, 2.0, 3.8, 1.5, 3.4};
    for (const Recommendation& r : reg.earlier) {
      std::string notes;
      for (const RecommendationFollowUp& f : r.follow_ups) {
        if (!notes.empty()) notes += " ; ";
        notes += FollowUpText(f);
      }
      t.rows.push_back({Cell::Text(Y(r.year)), Cell::Text(ThemeLabel(reg.themes, r.theme)),
                        Cell::Text(KindTitle(r.kind) + fund_of(r) + " : " + OneLine(r.text)),
                        Cell::Text(std::string(StatusLabel(r.status))),
                        Cell::Text(notes.empty() ? "aucun suivi noté" : notes)});
    }
    s.AddTable(std::move(t));
    for (size_t i = 0; i < counts.size(); ++i) {
      const NomenclatureEntry& e = recommendation::Statuses().entries[i];
      Point("register_follow_up", std::string(e.code), std::string(e.label), y_, D(counts[i]));
    }
  }
}

}  // namespace amiable::report::assemble_internal
