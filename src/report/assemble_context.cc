// The context figures in the requests chapter, where the reference report
// puts them: the fund's requests among all funds', its beneficiaries among
// the national ones, its first-level complaints. Typed figures
// (report/context_figures.h); the shares are derived here from the exact
// counts (fr::Percent), each naming its denominator, and the source is said.
#include "core/french_format.h"
#include "report/assemble_internal.h"
#include "report/context_figures.h"

namespace amiable::report::assemble_internal {
namespace {

// A share of the context figures: small, so with two decimals (0,77 %),
// as text (the data points carry the exact share for the CSV and XLSX).
Cell SmallShare(CountRatio r) { return Cell::Text(fr::Percent(r.num, r.den, 2)); }

}  // namespace

void Assembler::Context(Section& s) {
  if (!in_.context || !HasContextFigures(*in_.context)) return;
  const ContextFigures& c = *in_.context;
  const ContextFigures* pc =
      in_.previous_context && HasContextFigures(*in_.previous_context) ? &*in_.previous_context
                                                                       : nullptr;
  s.Subheading("La médiation de la Caf dans son contexte");
  const std::string who = in_.funds.size() == 1 ? "La Caf" : "Les Caf du rapport";

  std::string p;
  if (c.all_funds_requests) {
    p += "Les " + fr::Count(cur_.received) + " demandes de médiation reçues en " + Y(y_) +
         " représentent " + fr::Percent(cur_.received, *c.all_funds_requests, 2) + " des " +
         fr::Count(*c.all_funds_requests) + " demandes reçues par l'ensemble des Caf. ";
  }
  if (c.beneficiaries) {
    p += who + (in_.funds.size() == 1 ? " comptait " : " comptaient ") +
         fr::Count(*c.beneficiaries) + " allocataires au 30 juin " + Y(y_);
    if (c.national_beneficiaries) {
      p += ", soit " + fr::Percent(*c.beneficiaries, *c.national_beneficiaries, 2) +
           " des " + fr::Count(*c.national_beneficiaries) +
           " allocataires de l'ensemble des Caf";
    }
    p += ". ";
  } else if (c.national_beneficiaries) {
    p += "L'ensemble des Caf comptait " + fr::Count(*c.national_beneficiaries) +
         " allocataires au 30 juin " + Y(y_) + ". ";
  }
  if (!p.empty()) s.Paragraph(p.substr(0, p.size() - 1));

  if (c.complaints || c.complaints_within_10_days_rate || c.complaints_mean_days) {
    std::string q = "Les démarches préalables à la médiation sont les réclamations faites auprès "
                    "de la Caf. ";
    if (c.complaints) {
      q += fr::Count(*c.complaints) + " réclamations y ont été déposées en " + Y(y_);
      if (pc != nullptr && pc->complaints) {
        q += ", contre " + fr::Count(*pc->complaints) + " en " + Y(py_);
      }
      q += ". ";
    }
    if (c.complaints_within_10_days_rate) {
      q += fr::PercentOfFraction(*c.complaints_within_10_days_rate, 2) +
           " ont été traitées dans un délai de 10 jours";
      if (pc != nullptr && pc->complaints_within_10_days_rate) {
        q += ", contre " + fr::PercentOfFraction(*pc->complaints_within_10_days_rate, 2) +
             " en " + Y(py_);
      }
      q += ". ";
    }
    if (c.complaints_mean_days) {
      q += "Le délai moyen de traitement est de " + fr::Decimal(*c.complaints_mean_days, 1) +
           " jours";
      if (pc != nullptr && pc->complaints_mean_days) {
        q += ", contre " + fr::Decimal(*pc->complaints_mean_days, 1) + " jours en " + Y(py_);
      }
      q += ". ";
    }
    s.Paragraph(q.substr(0, q.size() - 1));
  }

  Table t;
  t.id = "context";
  t.caption = "Chiffres de contexte";
  t.header = {"Indicateur", Y(py_), Y(y_)};
  t.widths = {3.6, 1.2, 1.2};
  auto count_row = [&](std::string label, std::optional<int64_t> ContextFigures::*m,
                       std::string code) {
    const std::optional<int64_t> prev = pc != nullptr ? pc->*m : std::nullopt;
    const std::optional<int64_t> cur = c.*m;
    if (!prev && !cur) return;
    t.rows.push_back({Cell::Text(label), prev ? Cell::Count(*prev) : Cell::Missing(),
                      cur ? Cell::Count(*cur) : Cell::Missing()});
    if (prev) Point("context", code, label, py_, D(*prev));
    if (cur) Point("context", code, label, y_, D(*cur));
  };
  auto share_row = [&](std::string label, int64_t cur_num, int64_t prev_num,
                       std::optional<int64_t> ContextFigures::*den, std::string code) {
    const std::optional<int64_t> prev = pc != nullptr ? pc->*den : std::nullopt;
    const std::optional<int64_t> cur = c.*den;
    if (!prev && !cur) return;
    t.rows.push_back({Cell::Text(label), prev ? SmallShare({prev_num, *prev}) : Cell::Missing(),
                      cur ? SmallShare({cur_num, *cur}) : Cell::Missing()});
    if (prev) Point("context", code, label, py_, D(prev_num), Ratio(prev_num, *prev));
    if (cur) Point("context", code, label, y_, D(cur_num), Ratio(cur_num, *cur));
  };
  count_row("Demandes de médiation de l'ensemble des Caf", &ContextFigures::all_funds_requests,
            "all_funds_requests");
  share_row("Part des demandes de l'ensemble des Caf", cur_.received, prev_.received,
            &ContextFigures::all_funds_requests, "requests_share");
  count_row("Allocataires de la Caf au 30 juin", &ContextFigures::beneficiaries, "beneficiaries");
  count_row("Allocataires de l'ensemble des Caf au 30 juin",
            &ContextFigures::national_beneficiaries, "national_beneficiaries");
  {
    const auto share = [](const ContextFigures* f) -> Cell {
      if (f == nullptr || !f->beneficiaries || !f->national_beneficiaries) return Cell::Missing();
      return SmallShare({*f->beneficiaries, *f->national_beneficiaries});
    };
    const Cell sp = share(pc);
    const Cell sc = share(&c);
    if (sp.HasValue() || sc.HasValue()) {
      t.rows.push_back({Cell::Text("Part du fichier national des allocataires"), sp, sc});
      for (const auto* f : {pc, &c}) {
        if (f == nullptr || !f->beneficiaries || !f->national_beneficiaries) continue;
        Point("context", "beneficiaries_share", "Part du fichier national des allocataires",
              f == pc ? py_ : y_, D(*f->beneficiaries),
              Ratio(*f->beneficiaries, *f->national_beneficiaries));
      }
    }
  }
  count_row("Réclamations de premier niveau", &ContextFigures::complaints, "complaints");
  {
    auto opt_row = [&](std::string label, std::optional<double> ContextFigures::*m, bool rate) {
      const std::optional<double> prev = pc != nullptr ? pc->*m : std::nullopt;
      const std::optional<double> cur = c.*m;
      if (!prev && !cur) return;
      auto cell = [&](const std::optional<double>& v) {
        if (!v) return Cell::Missing();
        if (!rate) return Cell::Days(*v);
        return Cell::Text(fr::PercentOfFraction(*v, 2));
      };
      t.rows.push_back({Cell::Text(label), cell(prev), cell(cur)});
    };
    opt_row("Réclamations traitées en 10 jours", &ContextFigures::complaints_within_10_days_rate,
            true);
    opt_row("Délai moyen de traitement des réclamations", &ContextFigures::complaints_mean_days,
            false);
  }
  std::string note =
      "Chiffres publiés par la Caf et la Cnaf, saisis dans amiable ; les parts sont calculées "
      "sur ces chiffres (demandes reçues de l'année, allocataires au 30 juin).";
  const auto sentence = [](const std::string& text) {
    return text.ends_with(".") ? text : text + ".";
  };
  if (!c.source.empty()) note += " Source " + Y(y_) + " : " + sentence(c.source);
  if (pc != nullptr && !pc->source.empty() && pc->source != c.source) {
    note += " Source " + Y(py_) + " : " + sentence(pc->source);
  }
  t.note = note;
  s.AddTable(std::move(t));
}

}  // namespace amiable::report::assemble_internal
