#include "intake/synthetic.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/nomenclature.h"
#include "figures/figures.h"
#include "intake/interchange.h"

namespace amiable {
namespace {

SyntheticSpec Spec631(int cases_per_year = 272) {
  SyntheticSpec s;
  s.seed = 42;
  s.organisme = "631";
  s.calendar = {Zone::kMetropole, false};
  s.from = Date::FromCivil(2024, 1, 1);
  s.until = Date::FromCivil(2026, 11, 27);
  s.cases_per_year = cases_per_year;
  s.base_year = 2025;
  s.yearly_growth = 0.2;
  return s;
}

std::vector<Case> Generate(const SyntheticSpec& s) {
  std::vector<Case> out;
  const Status st = GenerateCases(s, &out);
  EXPECT_TRUE(st.has_value()) << (st ? "" : ToString(st.error()));
  return out;
}

std::string Joined(const std::vector<Error>& errors) {
  std::string out;
  for (const Error& e : errors) out += ToString(e) + "\n";
  return out;
}

TEST(Synthetic, EveryCaseIsValidInterchange) {
  for (const auto& [zone, code] :
       {std::pair{Zone::kMetropole, "631"}, std::pair{Zone::kAlsaceMoselle, "671"},
        std::pair{Zone::kReunion, "974"}}) {
    SyntheticSpec s = Spec631(3000);
    s.organisme = code;
    s.calendar.zone = zone;
    const std::vector<Case> cases = Generate(s);
    ASSERT_GT(cases.size(), 7000u);
    std::set<std::string> refs;
    for (const Case& c : cases) {
      const std::string line = SerializeCase(c);
      auto parsed = ParseCaseLine(line, 1);
      ASSERT_TRUE(parsed.has_value()) << line << "\n" << Joined(parsed.error());
      EXPECT_TRUE(SameInterchangeFields(*parsed, c)) << line;
      EXPECT_TRUE(refs.insert(c.reference).second) << c.reference;
      EXPECT_EQ(c.organisme, code);
      EXPECT_EQ(c.reference.size(), 14u) << c.reference;  // ORG-YYYY-NNNNN
      EXPECT_EQ(c.reference.substr(4, 4), std::to_string(c.received_on.year()));
      EXPECT_GE(c.received_on, s.from);
      for (const auto& d : {c.prior_step_on, c.taken_in_charge_on, c.answered_on, c.closed_on}) {
        if (d) EXPECT_LE(*d, s.until) << line;
      }
      if (c.closed_on) EXPECT_TRUE(c.answered_on.has_value()) << line;
      if (c.admissibility == "irrecevable") {
        EXPECT_TRUE(c.inadmissibility_reason.has_value()) << line;
        EXPECT_FALSE(c.taken_in_charge_on.has_value()) << line;
        if (c.answered_on) EXPECT_LE(*c.answered_on - c.received_on, 7) << line;
      } else {
        ASSERT_EQ(c.admissibility, "recevable") << line;
        EXPECT_FALSE(c.inadmissibility_reason.has_value()) << line;
        if (c.answered_on) EXPECT_TRUE(c.taken_in_charge_on.has_value()) << line;
        if (c.prior_step_on) EXPECT_LT(*c.prior_step_on, c.received_on) << line;
      }
    }
  }
}

TEST(Synthetic, DeterministicForASeed) {
  const std::vector<Case> a = Generate(Spec631());
  const std::vector<Case> b = Generate(Spec631());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(SerializeCase(a[i]), SerializeCase(b[i]));

  SyntheticSpec other = Spec631();
  other.seed = 43;
  const std::vector<Case> c = Generate(other);
  ASSERT_EQ(a.size(), c.size());
  size_t same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += SerializeCase(a[i]) == SerializeCase(c[i]);
  EXPECT_LT(same, a.size() / 10);
}

TEST(Synthetic, VolumesFollowGrowthAndPeriod) {
  const SyntheticSpec s = Spec631();
  EXPECT_EQ(SyntheticCasesInYear(s, 2025), 272);
  EXPECT_EQ(SyntheticCasesInYear(s, 2024), 227);  // 272 / 1.2
  // 2026 until 27 November: 331 days of 365 at 326.4 a year.
  EXPECT_EQ(SyntheticCasesInYear(s, 2026), 296);
  EXPECT_EQ(SyntheticCasesInYear(s, 2023), 0);
  const std::vector<Case> cases = Generate(s);
  EXPECT_EQ(cases.size(), 227u + 272u + 296u);
  for (size_t i = 1; i < cases.size(); ++i) {
    EXPECT_LE(cases[i - 1].received_on, cases[i].received_on);
  }
  EXPECT_EQ(cases.front().reference, "631-2024-00001");
  EXPECT_EQ(cases.back().reference, "631-2026-00296");
}

TEST(Synthetic, SomeCasesAreStillOpenAtTheEnd) {
  const std::vector<Case> cases = Generate(Spec631());
  int open = 0;
  for (const Case& c : cases) open += !c.closed_on.has_value();
  EXPECT_GT(open, 3);
  EXPECT_LT(open, 40);
}

TEST(Synthetic, RejectsBadSpecs) {
  SyntheticSpec s = Spec631();
  s.organisme = "63";
  EXPECT_FALSE(CheckSpec(s).has_value());
  s = Spec631();
  s.from = s.until + 1;
  EXPECT_FALSE(CheckSpec(s).has_value());
  s = Spec631(99999);
  EXPECT_FALSE(CheckSpec(s).has_value());  // 2026 would need 119999 references
  std::vector<Case> out;
  EXPECT_FALSE(GenerateCases(s, &out).has_value());
  EXPECT_TRUE(out.empty());
}

// The proportions of domain.md §6, on a large sample so that they are
// stable: the generated figures of a year look like the reference report's.
TEST(Synthetic, FiguresResembleTheReferenceReport) {
  SyntheticSpec s = Spec631(20000);
  const std::vector<Case> cases = Generate(s);
  const std::map<std::string, WorkCalendar> calendars = {{"631", s.calendar}};
  const YearFigures f =
      ComputeFigures(cases, calendars, {"631"}, 2025, Date::FromCivil(2026, 1, 31));
  EXPECT_EQ(f.received, 20000);
  ASSERT_TRUE(f.inadmissible_rate.has_value());
  EXPECT_NEAR(*f.inadmissible_rate, 0.357, 0.02);
  EXPECT_NEAR(*f.by_inadmissibility_reason.Share("absence_demarche_prealable"), 0.485, 0.02);
  EXPECT_NEAR(*f.by_inadmissibility_reason.Share("demande_renseignement") +
                  *f.by_inadmissibility_reason.Share("envoi_pieces"),
              0.19, 0.02);
  EXPECT_NEAR(*f.by_channel.Share("courriel"), 0.52, 0.03);
  EXPECT_NEAR(*f.by_channel.Share("teleprocedure"), 0.38, 0.03);
  EXPECT_NEAR(*f.by_channel.Share("courrier"), 0.08, 0.02);
  EXPECT_NEAR(*f.by_emitter.Share("allocataire"), 0.627, 0.02);
  EXPECT_NEAR(*f.by_emitter.Share("defenseur_droits"), 0.073, 0.01);
  EXPECT_NEAR(*f.by_motive.Share("absence_paiement"), 74.0 / 175, 0.03);
  EXPECT_NEAR(*f.by_benefit.Share("logement"), 50.0 / 175, 0.04);
  EXPECT_NEAR(*f.by_cause.Share("pas_erreur_caf"), 0.723, 0.02);
  EXPECT_NEAR(*f.by_household.Share("isole"), 82.0 / 173, 0.02);
  EXPECT_NEAR(*f.by_activity.Share("salarie_eti"), 76.0 / 173, 0.03);
  EXPECT_NEAR(*f.by_qf_bracket.Share("0_500"), 0.382, 0.02);
  EXPECT_NEAR(*f.by_qf_bracket.Share("1001_plus"), 0.215, 0.02);
  EXPECT_NEAR(*f.by_resolution.Share("confirmee"), 0.61, 0.03);
  EXPECT_NEAR(*f.revision_rate, 0.384, 0.03);
  EXPECT_NEAR(*f.fraud_rate, 0.17, 0.02);
  EXPECT_NEAR(*f.delays.take_charge_working_days_avg, 1.65, 0.2);
  EXPECT_NEAR(*f.delays.answer_calendar_days_avg, 17.2, 2.5);
  EXPECT_GT(*f.delays.take_charge_within_target_rate, 0.97);
  // Back-payments in about 29% of closed cases, about 2,500 euros each.
  const FinancialFigures rappel = f.Financial("rappel");
  EXPECT_NEAR(static_cast<double>(rappel.count) / f.closed, 0.29, 0.03);
  EXPECT_NEAR(static_cast<double>(rappel.amount_cents) / rappel.count / 100.0, 2500, 300);
  EXPECT_GT(f.Financial("indu_remis").count, 0);
  EXPECT_GT(f.Financial("indu_annule").count, 0);
  // A few unknown values, not many.
  EXPECT_GT(f.by_channel.unknown, 0);
  EXPECT_LT(f.by_channel.unknown, f.closed / 20);
  EXPECT_GT(f.by_household.unknown, 0);

  int weekend_or_holiday = 0;
  int in_year = 0;
  for (const Case& c : cases) {
    if (c.received_on.year() != 2025) continue;
    ++in_year;
    weekend_or_holiday += !IsWorkingDay(s.calendar, c.received_on);
  }
  EXPECT_GT(weekend_or_holiday, in_year / 100);
  EXPECT_LT(weekend_or_holiday, in_year / 15);
}

TEST(Synthetic, FrenchFunds) {
  EXPECT_GE(AllFrenchFundsCount(), 100);
  const std::vector<SyntheticFund> all = FrenchFunds(1000, 7);
  ASSERT_EQ(static_cast<int>(all.size()), AllFrenchFundsCount());
  EXPECT_EQ(all[0].organisme.code, "631");
  EXPECT_EQ(all[1].organisme.zone, "alsace_moselle");
  EXPECT_EQ(all[2].organisme.zone, "reunion");
  std::set<std::string> codes;
  double total = 0;
  for (const SyntheticFund& f : all) {
    EXPECT_TRUE(codes.insert(f.organisme.code).second) << f.organisme.code;
    EXPECT_EQ(f.organisme.code.size(), 3u);
    EXPECT_TRUE(ZoneFromCode(f.organisme.zone).has_value()) << f.organisme.zone;
    EXPECT_GT(f.weight, 0.1);
    total += f.weight;
  }
  EXPECT_NEAR(total, all.size(), 1e-6);
  const std::vector<SyntheticFund> again = FrenchFunds(1000, 7);
  EXPECT_EQ(again[50].weight, all[50].weight);
  EXPECT_EQ(FrenchFunds(3, 7).size(), 3u);
}

// Every synthetic fund carries an INSEE region code that matches its zone.
TEST(Synthetic, FrenchFundsCarryInseeRegionCodes) {
  const std::vector<SyntheticFund> all = FrenchFunds(1000, 7);
  std::map<std::string, std::string> region_of;
  std::set<std::string> regions;
  for (const SyntheticFund& f : all) {
    const Organisme& o = f.organisme;
    EXPECT_TRUE(nomenclature::Region().Contains(o.region)) << o.code << " " << o.region;
    regions.insert(o.region);
    region_of[o.code] = o.region;
  }
  EXPECT_EQ(regions.size(), 18u);  // one fund at least in every region
  EXPECT_EQ(region_of["631"], "84");  // Puy-de-Dôme: Auvergne-Rhône-Alpes
  EXPECT_EQ(region_of["671"], "44");  // Bas-Rhin: Grand Est
  EXPECT_EQ(region_of["974"], "04");  // La Réunion
  EXPECT_EQ(region_of["571"], "44");
  EXPECT_EQ(region_of["751"], "11");
  EXPECT_EQ(region_of["201"], "94");
  EXPECT_EQ(region_of["131"], "93");
  EXPECT_EQ(region_of["971"], "01");
  EXPECT_EQ(region_of["972"], "02");
  EXPECT_EQ(region_of["973"], "03");
  EXPECT_EQ(region_of["976"], "06");
  EXPECT_EQ(region_of["011"], "84");  // Ain
  EXPECT_EQ(region_of["141"], "28");  // Calvados
  EXPECT_EQ(region_of["591"], "32");  // Nord
  EXPECT_EQ(region_of["441"], "52");  // Loire-Atlantique
  EXPECT_EQ(region_of["291"], "53");  // Finistère
  EXPECT_EQ(region_of["331"], "75");  // Gironde
  EXPECT_EQ(region_of["311"], "76");  // Haute-Garonne
  EXPECT_EQ(region_of["451"], "24");  // Loiret
  EXPECT_EQ(region_of["211"], "27");  // Côte-d'Or
}

}  // namespace
}  // namespace amiable
