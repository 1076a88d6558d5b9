#include "figures/figures.h"

#include <gtest/gtest.h>

#include <cmath>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "core/nomenclature.h"
#include "figures/frozen.h"
#include "figures/trend.h"
#include "figures/years.h"
#include "intake/interchange.h"
#include "store/store.h"

namespace amiable {
namespace {

using nlohmann::json;

Date D(const char* iso) {
  const auto d = Date::Parse(iso);
  EXPECT_TRUE(d) << iso;
  return d.value_or(Date());
}

const std::map<std::string, WorkCalendar>& FixtureCalendars() {
  static const auto* m = new std::map<std::string, WorkCalendar>{
      {"631", {Zone::kMetropole, false}},
      {"671", {Zone::kAlsaceMoselle, false}},
      {"974", {Zone::kReunion, false}},
  };
  return *m;
}

std::string FixturePath(const std::string& name) {
  return std::string(AMIABLE_SOURCE_DIR) + "/tests/fixtures/examples/" + name;
}

std::vector<Case> LoadFixtureCases() {
  std::ifstream in(FixturePath("cases-small.jsonl"));
  EXPECT_TRUE(in) << "cannot open cases-small.jsonl";
  ParsedFile parsed = ParseCaseStream(in);
  for (const Error& e : parsed.errors) ADD_FAILURE() << ToString(e);
  EXPECT_EQ(parsed.cases.size(), 50u);
  return std::move(parsed.cases);
}

// Every difference between two JSON values: keys on either side, array
// lengths, nulls, numbers within 1e-9 (integers and 1.0 compare equal).
void Diff(const json& got, const json& want, const std::string& path,
          std::vector<std::string>& out) {
  if (want.is_object()) {
    if (!got.is_object()) {
      out.push_back(path + ": not an object");
      return;
    }
    for (const auto& [k, v] : want.items()) {
      if (!got.contains(k)) {
        out.push_back(path + "." + k + ": missing");
      } else {
        Diff(got[k], v, path + "." + k, out);
      }
    }
    for (const auto& [k, v] : got.items()) {
      if (!want.contains(k)) out.push_back(path + "." + k + ": unexpected key");
    }
  } else if (want.is_array()) {
    if (!got.is_array() || got.size() != want.size()) {
      out.push_back(path + ": array differs: " + got.dump() + " vs " + want.dump());
      return;
    }
    for (size_t i = 0; i < want.size(); ++i) {
      Diff(got[i], want[i], path + "[" + std::to_string(i) + "]", out);
    }
  } else if (want.is_number()) {
    if (!got.is_number() || std::fabs(got.get<double>() - want.get<double>()) > 1e-9) {
      out.push_back(path + ": " + got.dump() + " vs expected " + want.dump());
    }
    if (want.is_number_integer() && !got.is_number_integer()) {
      out.push_back(path + ": expected an integer, got " + got.dump());
    }
  } else if (got != want) {
    out.push_back(path + ": " + got.dump() + " vs expected " + want.dump());
  }
}

struct FixtureCase {
  const char* file;
  std::vector<std::string> organismes;
  int year;
};

class FixtureTest : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(FixtureTest, EveryKeyMatchesTheWorkedExample) {
  const FixtureCase& p = GetParam();
  const std::vector<Case> cases = LoadFixtureCases();
  const YearFigures f =
      ComputeFigures(cases, FixtureCalendars(), p.organismes, p.year, D("2026-01-15"));
  const json got = json::parse(FiguresToJson(f));
  std::ifstream in(FixturePath(p.file));
  ASSERT_TRUE(in);
  const json want = json::parse(in);
  std::vector<std::string> diffs;
  Diff(got, want, "", diffs);
  for (const std::string& d : diffs) ADD_FAILURE() << p.file << " " << d;
}

INSTANTIATE_TEST_SUITE_P(
    Examples, FixtureTest,
    ::testing::Values(FixtureCase{"figures-2025-631.json", {"631"}, 2025},
                      // Empty = every fund of the calendar map.
                      FixtureCase{"figures-2025-all.json", {}, 2025},
                      FixtureCase{"figures-2025-all.json", {"974", "631", "671", "631"}, 2025},
                      FixtureCase{"figures-2024-974.json", {"974"}, 2024}));

TEST(FiguresJsonTest, PrintsEveryCodeAndNullsWhenEmpty) {
  const YearFigures f = ComputeFigures({}, FixtureCalendars(), {"631"}, 2025, D("2026-01-15"));
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(FiguresToJson(f));
  EXPECT_EQ(j["organismes"], json::array({"631"}));
  EXPECT_EQ(j["received"], 0);
  EXPECT_TRUE(j["inadmissible_rate"].is_null());
  EXPECT_TRUE(j["delays"]["answer_calendar_days_avg"].is_null());
  EXPECT_TRUE(j["fraud_rate"].is_null());
  EXPECT_TRUE(j["revision_rate"].is_null());
  EXPECT_TRUE(j["teleprocedure"]["share_of_closed"].is_null());
  ASSERT_EQ(j["quarterly_take_charge"].size(), 4u);
  EXPECT_TRUE(j["quarterly_take_charge"][3]["rate"].is_null());
  for (const Nomenclature* n : nomenclature::All()) {
    const std::string key = "by_" + std::string(n->name);
    if (!j.contains(key)) continue;  // admissibility, financial_kind, zone
    for (const NomenclatureEntry& e : n->entries) {
      EXPECT_EQ(j[key][std::string(e.code)], 0) << key << "." << e.code;
    }
    EXPECT_EQ(j[key]["unknown"], 0) << key;
    EXPECT_EQ(j[key].size(), n->entries.size() + 1) << key;
  }
  for (const NomenclatureEntry& e : nomenclature::FinancialKind().entries) {
    EXPECT_EQ(j["financial"][std::string(e.code)]["amount_cents"], 0);
  }
  // Keys in the order of domain.md §8.
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  const std::vector<std::string> want = {"organismes",
                                         "year",
                                         "as_of",
                                         "received",
                                         "monthly_received",
                                         "inadmissible",
                                         "inadmissible_rate",
                                         "by_inadmissibility_reason",
                                         "closed",
                                         "by_channel",
                                         "by_emitter",
                                         "by_prior_step",
                                         "by_cause",
                                         "by_household",
                                         "by_activity",
                                         "by_qf_bracket",
                                         "by_resolution",
                                         "by_motive",
                                         "by_benefit",
                                         "by_response_mode",
                                         "delays",
                                         "quarterly_take_charge",
                                         "financial",
                                         "fraud_rate",
                                         "revision_rate",
                                         "teleprocedure",
                                         "internal_requests"};
  EXPECT_EQ(keys, want);
}

// ---------------------------------------------------------------------------
// Focused cases.

// An admissible case of fund 631 received on `received`.
Case Admissible(const char* received, const char* taken = nullptr, const char* closed = nullptr,
                std::string fund = "631") {
  static int n = 0;
  Case c;
  c.reference = "T-" + std::to_string(++n);
  c.organisme = std::move(fund);
  c.received_on = D(received);
  c.admissibility = "recevable";
  if (taken) c.taken_in_charge_on = D(taken);
  if (closed) {
    c.closed_on = D(closed);
    c.answered_on = D(closed);
  }
  return c;
}

struct DelayRow {
  const char* what;
  const char* fund;
  const char* received;
  const char* taken;
  double working_days;
};

class TakeChargeDelayTest : public ::testing::TestWithParam<DelayRow> {};

TEST_P(TakeChargeDelayTest, UsesTheFundsOwnCalendar) {
  const DelayRow& r = GetParam();
  const std::vector<Case> cases = {Admissible(r.received, r.taken, "2025-12-31", r.fund)};
  const YearFigures f = ComputeFigures(cases, FixtureCalendars(), {}, 2025, D("2026-01-15"));
  ASSERT_EQ(f.closed, 1) << r.what;
  ASSERT_TRUE(f.delays.take_charge_working_days_avg) << r.what;
  EXPECT_EQ(*f.delays.take_charge_working_days_avg, r.working_days) << r.what;
  EXPECT_EQ(f.delays.with_take_charge, 1);
}

INSTANTIATE_TEST_SUITE_P(
    Calendar, TakeChargeDelayTest,
    ::testing::Values(
        DelayRow{"same day", "631", "2025-03-04", "2025-03-04", 0},
        DelayRow{"Friday to Monday", "631", "2025-03-07", "2025-03-10", 1},
        DelayRow{"Saturday to Monday", "631", "2025-03-01", "2025-03-03", 1},
        DelayRow{"Sunday to Monday", "631", "2025-03-02", "2025-03-03", 1},
        DelayRow{"received on 1 May (holiday)", "631", "2025-05-01", "2025-05-02", 1},
        DelayRow{"over 8 May", "631", "2025-05-07", "2025-05-12", 2},
        DelayRow{"Good Friday in metropole", "631", "2025-04-17", "2025-04-22", 2},
        DelayRow{"Good Friday in Alsace-Moselle", "671", "2025-04-17", "2025-04-22", 1},
        DelayRow{"20 December in Réunion", "974", "2024-12-19", "2024-12-23", 1},
        DelayRow{"20 December in metropole", "631", "2024-12-19", "2024-12-23", 2},
        DelayRow{"26 December in Alsace-Moselle", "671", "2025-12-24", "2025-12-29", 1},
        DelayRow{"26 December in metropole", "631", "2025-12-24", "2025-12-29", 2}));

TEST(FiguresTest, WhitMondayWorkedIsAWorkingDay) {
  // Whit Monday 2025 is 9 June.
  const std::vector<Case> cases = {Admissible("2025-06-06", "2025-06-10", "2025-06-30")};
  std::map<std::string, WorkCalendar> cal = {{"631", {Zone::kMetropole, false}}};
  EXPECT_EQ(
      ComputeFigures(cases, cal, {}, 2025, D("2026-01-15")).delays.take_charge_working_days_avg,
      1.0);
  cal["631"].whit_monday_worked = true;
  EXPECT_EQ(
      ComputeFigures(cases, cal, {}, 2025, D("2026-01-15")).delays.take_charge_working_days_avg,
      2.0);
}

TEST(FiguresTest, UnknownValuesAndEmptyListsCountAsUnknown) {
  Case a = Admissible("2025-03-03", "2025-03-04", "2025-03-20");
  a.channel = "courriel";
  a.motives = std::vector<std::string>{"absence_paiement", "absence_reponse"};
  a.benefits = std::vector<std::string>{};  // empty: unknown
  a.quotient_familial = 500;
  a.resolution = "revisee";
  Case b = Admissible("2025-03-03", "2025-03-05", "2025-03-21");
  b.motives = std::vector<std::string>{"absence_paiement"};
  b.quotient_familial = 501;
  b.resolution = "confirmee";
  Case c = Admissible("2025-03-03", nullptr, "2025-03-22");  // no take-charge date
  c.quotient_familial = 1001;
  c.answered_on.reset();
  const std::vector<Case> cases = {a, b, c};
  const YearFigures f = ComputeFigures(cases, FixtureCalendars(), {"631"}, 2025, D("2026-01-15"));
  ASSERT_EQ(f.closed, 3);
  EXPECT_EQ(f.by_channel.Count("courriel"), 1);
  EXPECT_EQ(f.by_channel.unknown, 2);
  EXPECT_EQ(f.by_channel.Share("courriel"), 1.0);  // denominator 3 - 2
  EXPECT_EQ(f.by_motive.Count("absence_paiement"), 2);
  EXPECT_EQ(f.by_motive.Count("absence_reponse"), 1);
  EXPECT_EQ(f.by_motive.unknown, 1);
  EXPECT_EQ(f.by_motive.Share("absence_reponse"), 0.5);
  EXPECT_EQ(f.by_benefit.unknown, 3);  // empty list and null alike
  EXPECT_EQ(f.by_benefit.Share("rsa"), std::nullopt);
  EXPECT_EQ(f.by_qf_bracket.Count("0_500"), 1);
  EXPECT_EQ(f.by_qf_bracket.Count("501_1000"), 1);
  EXPECT_EQ(f.by_qf_bracket.Count("1001_plus"), 1);
  EXPECT_EQ(f.by_qf_bracket.unknown, 0);
  EXPECT_EQ(f.by_cause.unknown, 3);
  EXPECT_EQ(f.revision_rate, 0.5);  // 1 revisee of 2 known resolutions
  EXPECT_EQ(f.fraud_rate, 0.0);     // denominator |S|: unknown fraud is not fraud
  // Delays only over cases having the dates.
  EXPECT_EQ(f.delays.with_take_charge, 2);
  EXPECT_EQ(f.delays.take_charge_working_days_avg, 1.5);
  EXPECT_EQ(f.delays.take_charge_within_target_rate, 1.0);
  EXPECT_EQ(f.delays.with_answer, 2);
  EXPECT_EQ(f.delays.answer_calendar_days_avg, 17.5);  // 17 and 18 days
  EXPECT_EQ(f.delays.answer_working_days_avg, 13.5);   // 13 and 14 working days
}

TEST(FiguresTest, CaseReceivedOneYearClosedTheNextCountsInEachYearOnce) {
  Case c = Admissible("2025-12-20", "2025-12-22", "2026-01-10");
  c.financial = std::vector<FinancialLine>{{"rappel", 12345}, {"rappel", 5}, {"indu_remis", 100}};
  c.fraud = true;
  const std::vector<Case> cases = {c};
  const YearFigures y25 = ComputeFigures(cases, FixtureCalendars(), {"631"}, 2025, D("2026-01-15"));
  EXPECT_EQ(y25.received, 1);
  EXPECT_EQ(y25.monthly_received[11], 1);
  EXPECT_EQ(y25.closed, 0);
  EXPECT_EQ(y25.quarterly_take_charge[3].met, 1);
  EXPECT_EQ(y25.Financial("rappel").count, 0);
  EXPECT_EQ(y25.fraud_rate, std::nullopt);
  const YearFigures y26 = ComputeFigures(cases, FixtureCalendars(), {"631"}, 2026, D("2026-01-15"));
  EXPECT_EQ(y26.received, 0);
  EXPECT_EQ(y26.closed, 1);
  EXPECT_EQ(y26.quarterly_take_charge[0].met, 0);
  EXPECT_EQ(y26.Financial("rappel").count, 2);
  EXPECT_EQ(y26.Financial("rappel").amount_cents, 12350);
  EXPECT_EQ(y26.Financial("indu_remis").amount_cents, 100);
  EXPECT_EQ(y26.fraud_rate, 1.0);
  // Working days across the new year: 22 Dec 2025 - 1 working day after 20 Dec.
  EXPECT_EQ(y26.delays.take_charge_working_days_avg, 1.0);
}

struct QuarterRow {
  const char* what;
  const char* received;
  const char* taken;  // nullptr: not yet taken
  const char* as_of;
  int met, missed, pending;
};

class QuarterlyTest : public ::testing::TestWithParam<QuarterRow> {};

TEST_P(QuarterlyTest, SplitsMetMissedPending) {
  const QuarterRow& r = GetParam();
  const std::vector<Case> cases = {Admissible(r.received, r.taken)};
  const YearFigures f = ComputeFigures(cases, FixtureCalendars(), {"631"}, 2025, D(r.as_of));
  const int q = (D(r.received).month() - 1) / 3;
  const QuarterFigures& qf = f.quarterly_take_charge[static_cast<size_t>(q)];
  EXPECT_EQ(qf.quarter, q + 1);
  EXPECT_EQ(qf.met, r.met) << r.what;
  EXPECT_EQ(qf.missed, r.missed) << r.what;
  EXPECT_EQ(qf.pending, r.pending) << r.what;
  if (r.met + r.missed == 0) {
    EXPECT_EQ(qf.rate, std::nullopt) << r.what;
  } else {
    EXPECT_EQ(qf.rate, static_cast<double>(r.met) / (r.met + r.missed)) << r.what;
  }
}

// Thursday 18 Dec 2025: its 8th working day is Wednesday 31 Dec (25 Dec off).
INSTANTIATE_TEST_SUITE_P(
    AsOf, QuarterlyTest,
    ::testing::Values(
        QuarterRow{"taken on the 8th working day", "2025-12-18", "2025-12-31", "2026-01-15", 1, 0,
                   0},
        QuarterRow{"taken on the 9th working day", "2025-12-18", "2026-01-02", "2026-01-15", 0, 1,
                   0},
        QuarterRow{"not taken, 8 days elapsed", "2025-12-18", nullptr, "2025-12-31", 0, 0, 1},
        QuarterRow{"not taken, 9 days elapsed", "2025-12-18", nullptr, "2026-01-02", 0, 1, 0},
        QuarterRow{"not taken, holiday as_of", "2025-12-18", nullptr, "2026-01-01", 0, 0, 1},
        QuarterRow{"received after as_of", "2025-12-18", nullptr, "2025-12-01", 0, 0, 1},
        QuarterRow{"received on as_of", "2025-12-18", nullptr, "2025-12-18", 0, 0, 1},
        QuarterRow{"taken, as_of irrelevant", "2025-02-03", "2025-02-20", "2025-02-04", 0, 1, 0},
        QuarterRow{"weekend reception, taken day 8", "2025-03-01", "2025-03-12", "2026-01-15", 1, 0,
                   0},
        QuarterRow{"weekend reception, taken day 9", "2025-03-01", "2025-03-13", "2026-01-15", 0, 1,
                   0}));

TEST(FiguresTest, InadmissibleCasesAndTeleprocedure) {
  Case a;
  a.reference = "I-1";
  a.organisme = "631";
  a.received_on = D("2025-01-10");
  a.admissibility = "irrecevable";
  a.inadmissibility_reason = "absence_demarche_prealable";
  a.channel = "teleprocedure";
  a.closed_on = D("2025-01-12");  // closed, but inadmissible: not in S
  Case b = a;
  b.reference = "I-2";
  b.inadmissibility_reason.reset();
  b.channel.reset();
  Case c = Admissible("2025-01-13", "2025-01-14", "2025-02-01");
  c.channel = "teleprocedure";
  c.resolution = "revisee";
  Case d;  // not screened yet: received, neither inadmissible nor admissible
  d.reference = "U-1";
  d.organisme = "631";
  d.received_on = D("2025-04-01");
  const std::vector<Case> cases = {a, b, c, d};
  const YearFigures f = ComputeFigures(cases, FixtureCalendars(), {"631"}, 2025, D("2026-01-15"));
  EXPECT_EQ(f.received, 4);
  EXPECT_EQ(f.inadmissible, 2);
  EXPECT_EQ(f.inadmissible_rate, 0.5);
  EXPECT_EQ(f.by_inadmissibility_reason.Count("absence_demarche_prealable"), 1);
  EXPECT_EQ(f.by_inadmissibility_reason.unknown, 1);
  EXPECT_EQ(f.by_inadmissibility_reason.Share("absence_demarche_prealable"), 1.0);
  EXPECT_EQ(f.closed, 1);
  EXPECT_EQ(f.quarterly_take_charge[0].met, 1);
  EXPECT_EQ(f.quarterly_take_charge[1].pending + f.quarterly_take_charge[1].missed, 0);
  EXPECT_EQ(f.teleprocedure.received, 2);
  EXPECT_EQ(f.teleprocedure.inadmissible, 1);
  EXPECT_EQ(f.teleprocedure.inadmissible_rate, 0.5);
  EXPECT_EQ(f.teleprocedure.closed, 1);
  EXPECT_EQ(f.teleprocedure.share_of_closed, 1.0);
  EXPECT_EQ(f.teleprocedure.revision_rate, 1.0);
  EXPECT_EQ(f.teleprocedure.take_charge_working_days_avg, 1.0);
}

// The online form's inadmissibility reasons: over the inadmissible requests
// received in Y through the form only, with the same counting as the
// all-channels breakdown (unknown reasons apart, population = inadmissible).
TEST(FiguresTest, TeleprocedureInadmissibilityReasons) {
  auto inadmissible = [](const char* ref, const char* received, const char* channel,
                         const char* reason) {
    Case c;
    c.reference = ref;
    c.organisme = "631";
    c.received_on = D(received);
    c.admissibility = "irrecevable";
    if (channel) c.channel = channel;
    if (reason) c.inadmissibility_reason = reason;
    return c;
  };
  const std::vector<Case> cases = {
      inadmissible("A", "2025-02-03", "teleprocedure", "absence_demarche_prealable"),
      inadmissible("B", "2025-03-03", "teleprocedure", "absence_demarche_prealable"),
      inadmissible("C", "2025-04-03", "teleprocedure", "envoi_pieces"),
      inadmissible("D", "2025-05-05", "teleprocedure", nullptr),        // reason unknown
      inadmissible("E", "2025-05-06", "courriel", "hors_champ"),        // other channel
      inadmissible("F", "2024-12-30", "teleprocedure", "hors_champ"),   // other year
      Admissible("2025-06-02", "2025-06-03", "2025-06-20"),
  };
  std::vector<Case> all = cases;
  all.back().channel = "teleprocedure";
  const YearFigures f = ComputeFigures(all, FixtureCalendars(), {"631"}, 2025, D("2026-01-15"));
  const Breakdown& b = f.teleprocedure.by_inadmissibility_reason;
  EXPECT_EQ(b.name, "inadmissibility_reason");
  EXPECT_EQ(b.population, 4);
  EXPECT_EQ(b.population, f.teleprocedure.inadmissible);
  EXPECT_EQ(b.unknown, 1);
  EXPECT_EQ(b.Count("absence_demarche_prealable"), 2);
  EXPECT_EQ(b.Count("envoi_pieces"), 1);
  EXPECT_EQ(b.Count("hors_champ"), 0);
  EXPECT_EQ(b.Share("absence_demarche_prealable"), 2.0 / 3.0);
  ASSERT_EQ(b.counts.size(), nomenclature::InadmissibilityReason().entries.size());
  // All channels: the courriel one counts there, not in the form's.
  EXPECT_EQ(f.by_inadmissibility_reason.Count("hors_champ"), 1);
  EXPECT_EQ(f.by_inadmissibility_reason.population, 5);
  EXPECT_EQ(f.teleprocedure.received, 5);

  // Kept by the frozen form and added when funds are merged.
  auto back = FrozenStateFromJson(FrozenStateToJson(f));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->teleprocedure.by_inadmissibility_reason.counts, b.counts);
  EXPECT_EQ(back->teleprocedure.by_inadmissibility_reason.unknown, 1);
  const std::vector<YearFigures> parts = {f, *back};
  const YearFigures twice = MergeFigures(parts, {"631", "671"}, 2025, D("2026-01-15"));
  EXPECT_EQ(twice.teleprocedure.by_inadmissibility_reason.Count("absence_demarche_prealable"), 4);
  EXPECT_EQ(twice.teleprocedure.by_inadmissibility_reason.population, 8);
  // A row frozen before the reasons were kept reads as every reason unknown.
  auto old = nlohmann::json::parse(FrozenStateToJson(f));
  old["teleprocedure"].erase("by_inadmissibility_reason");
  auto was = FrozenStateFromJson(old.dump());
  ASSERT_TRUE(was);
  EXPECT_EQ(was->teleprocedure.by_inadmissibility_reason.population, 4);
  EXPECT_EQ(was->teleprocedure.by_inadmissibility_reason.unknown, 4);
  EXPECT_EQ(was->teleprocedure.by_inadmissibility_reason.Known(), 0);
}

TEST(FiguresTest, IgnoresOtherFundsAndFundsWithoutCalendar) {
  const std::vector<Case> cases = {Admissible("2025-03-03", "2025-03-04", "2025-03-05", "631"),
                                   Admissible("2025-03-03", "2025-03-04", "2025-03-05", "671"),
                                   Admissible("2025-03-03", "2025-03-04", "2025-03-05", "999"),
                                   Admissible("2024-03-03", "2024-03-04", "2024-03-05", "631")};
  EXPECT_EQ(ComputeFigures(cases, FixtureCalendars(), {"631"}, 2025, D("2026-01-15")).received, 1);
  const YearFigures all = ComputeFigures(cases, FixtureCalendars(), {}, 2025, D("2026-01-15"));
  EXPECT_EQ(all.received, 2);
  EXPECT_EQ(all.closed, 2);
  EXPECT_EQ(all.organismes, (std::vector<std::string>{"631", "671", "974"}));
}

TEST(FiguresTest, DateBeforeReceptionIsLeftOutOfDelays) {
  // Refused by the interchange parser; if it reaches here it is not a delay.
  const std::vector<Case> cases = {Admissible("2025-03-10", "2025-03-07", "2025-03-20")};
  const YearFigures f = ComputeFigures(cases, FixtureCalendars(), {}, 2025, D("2026-01-15"));
  EXPECT_EQ(f.closed, 1);
  EXPECT_EQ(f.delays.with_take_charge, 0);
  EXPECT_EQ(f.delays.take_charge_working_days_avg, std::nullopt);
  EXPECT_EQ(f.quarterly_take_charge[0].pending, 1);
}

TEST(FiguresTest, ComputesFortyThousandCasesInAFewMilliseconds) {
  std::mt19937 rng(42);
  const char* funds[] = {"631", "671", "974"};
  const char* channels[] = {"teleprocedure", "courriel", "courrier", "interne"};
  std::vector<Case> cases;
  cases.reserve(40000);
  const Date start = D("2025-01-01");
  for (int i = 0; i < 40000; ++i) {
    Case c;
    c.reference = "P-" + std::to_string(i);
    c.organisme = funds[i % 3];
    c.received_on = start + static_cast<int>(rng() % 365);
    c.admissibility = rng() % 3 == 0 ? "irrecevable" : "recevable";
    c.channel = channels[rng() % 4];
    c.emitter = "allocataire";
    c.prior_step = "reclamation";
    c.taken_in_charge_on = c.received_on + static_cast<int>(rng() % 15);
    c.answered_on = *c.taken_in_charge_on + static_cast<int>(rng() % 40);
    c.closed_on = *c.answered_on + static_cast<int>(rng() % 5);
    c.motives = std::vector<std::string>{"absence_paiement", "incomprehension_decision"};
    c.benefits = std::vector<std::string>{"rsa"};
    c.cause = "pas_erreur_caf";
    c.household = "isole";
    c.activity = "chomeur";
    c.quotient_familial = static_cast<int64_t>(rng() % 2000);
    c.response_modes = std::vector<std::string>{"courriel"};
    c.resolution = rng() % 2 ? "revisee" : "confirmee";
    c.fraud = rng() % 7 == 0;
    c.financial = std::vector<FinancialLine>{{"rappel", 1000}};
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(),
            [](const Case& a, const Case& b) { return a.organisme < b.organisme; });
  // Warm the calendar tables.
  (void)ComputeFigures(std::span(cases).first(10), FixtureCalendars(), {}, 2025, D("2026-01-15"));
  // Thread CPU time: the machine may be shared, wall time would measure the others.
  const auto cpu_ms = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
  };
  double best_ms = 1e9;
  YearFigures f;
  for (int run = 0; run < 10; ++run) {
    const double t0 = cpu_ms();
    f = ComputeFigures(cases, FixtureCalendars(), {}, 2025, D("2026-01-15"));
    best_ms = std::min(best_ms, cpu_ms() - t0);
  }
  EXPECT_EQ(f.received, 40000);
  RecordProperty("compute_ms_40k", std::to_string(best_ms));
  std::printf("ComputeFigures over 40000 cases: %.2f ms\n", best_ms);
  EXPECT_LT(best_ms, 100.0);  // a few ms in an optimized build; generous for sanitizers
}

// ---------------------------------------------------------------------------
// Trends.

TEST(TrendTest, RatesUseTwoPercentagePoints) {
  EXPECT_EQ(RateTrend(0.30, 0.285), Trend::kSteady);
  EXPECT_EQ(RateTrend(0.30, 0.28), Trend::kUp);  // exactly 2 points is a move
  EXPECT_EQ(RateTrend(0.28, 0.30), Trend::kDown);
  EXPECT_EQ(RateTrend(0.384, 0.3), Trend::kUp);
  EXPECT_EQ(RateTrend(std::nullopt, 0.3), std::nullopt);
  EXPECT_EQ(RateTrend(0.3, std::nullopt), std::nullopt);
  TrendSettings s;
  s.rate_steady_points = 0.1;
  EXPECT_EQ(RateTrend(0.384, 0.3, s), Trend::kSteady);
}

TEST(TrendTest, CountsAndAmountsUseFivePercentRelative) {
  EXPECT_EQ(QuantityTrend(272, 220), Trend::kUp);
  EXPECT_EQ(QuantityTrend(104, 100), Trend::kSteady);
  EXPECT_EQ(QuantityTrend(105, 100), Trend::kUp);  // exactly 5% is a move
  EXPECT_EQ(QuantityTrend(95, 100), Trend::kDown);
  EXPECT_EQ(QuantityTrend(96, 100), Trend::kSteady);
  EXPECT_EQ(QuantityTrend(0, 0), Trend::kSteady);
  EXPECT_EQ(QuantityTrend(1, 0), Trend::kUp);
  EXPECT_EQ(QuantityTrend(1.65, 1.79), Trend::kDown);
  EXPECT_EQ(TrendMark(Trend::kUp), "↑");
  EXPECT_EQ(TrendMark(Trend::kDown), "↓");
  EXPECT_EQ(TrendMark(Trend::kSteady), "↔");
}

TEST(TrendTest, ComparesEveryFigureOfTwoYears) {
  const std::vector<Case> cases = LoadFixtureCases();
  const YearFigures y25 = ComputeFigures(cases, FixtureCalendars(), {"974"}, 2025, D("2026-01-15"));
  const YearFigures y24 = ComputeFigures(cases, FixtureCalendars(), {"974"}, 2024, D("2026-01-15"));
  const YearComparison cmp = CompareYears(y25, y24);
  EXPECT_EQ(cmp.year, 2025);
  EXPECT_EQ(cmp.previous_year, 2024);
  const ComparedFigure* received = cmp.Find("received");
  ASSERT_NE(received, nullptr);
  EXPECT_EQ(received->current, static_cast<double>(y25.received));
  EXPECT_EQ(received->previous, 5.0);
  const ComparedFigure* closed = cmp.Find("closed");
  ASSERT_NE(closed, nullptr);
  EXPECT_EQ(closed->trend,
            y25.closed > 0 ? std::optional(Trend::kUp) : std::optional(Trend::kSteady));
  const ComparedFigure* rev = cmp.Find("revision_rate");
  ASSERT_NE(rev, nullptr);
  EXPECT_EQ(rev->kind, FigureKind::kRate);
  EXPECT_EQ(rev->previous, std::nullopt);
  EXPECT_EQ(rev->trend, std::nullopt);
  for (const char* key : {"monthly_received.12", "by_channel.courriel", "by_channel.unknown",
                          "by_channel.courriel.share", "by_inadmissibility_reason.autre",
                          "delays.answer_working_days_avg", "quarterly_take_charge.4.rate",
                          "financial.indu_remis.amount_cents", "teleprocedure.closed"}) {
    EXPECT_NE(cmp.Find(key), nullptr) << key;
  }
  EXPECT_EQ(cmp.Find("financial.rappel.amount_cents")->kind, FigureKind::kAmount);
  EXPECT_EQ(cmp.Find("delays.answer_working_days_avg")->kind, FigureKind::kAverage);
  EXPECT_EQ(cmp.Find("nothing"), nullptr);
}

// ---------------------------------------------------------------------------
// The Store overload, against an in-memory fake store.

class FakeStore : public Store {
 public:
  std::vector<Organisme> funds;
  std::vector<Case> cases;
  std::vector<std::string> asked_organismes;
  Date asked_from, asked_to;

  std::string_view engine() const override { return "fake"; }
  int schema_version() override { return 0; }
  Status UpsertOrganisme(const Actor&, const Organisme&) override { return No(); }
  Result<std::vector<Organisme>> ListOrganismes() override { return funds; }
  Result<Organisme> GetOrganisme(std::string_view) override { return No(); }
  Result<int64_t> CreateCase(const Actor&, const Case&, const CaseEvent&) override { return No(); }
  Result<Case> GetCase(const Actor&, std::string_view) override { return No(); }
  Result<std::vector<Case>> ListCases(const Actor&, const CaseFilter&, int64_t*) override {
    return No();
  }
  Status UpdateCase(const Actor&, const Case&, const CaseEvent&) override { return No(); }
  Result<std::vector<CaseEvent>> History(const Actor&, std::string_view) override { return No(); }
  Result<ImportCounts> ImportCases(const Actor&, std::span<const Case>) override { return No(); }
  Result<std::vector<std::string>> ExistingReferences(std::span<const std::string>) override {
    return No();
  }
  Status ForEachCase(const Actor&, std::span<const std::string>, std::optional<int>,
                     const std::function<void(const Case&)>&) override {
    return No();
  }
  Status ForEachCaseInPeriod(std::span<const std::string> organismes, Date from, Date to,
                             const std::function<void(Case&)>& fn) override {
    asked_organismes.assign(organismes.begin(), organismes.end());
    asked_from = from;
    asked_to = to;
    for (const Case& c : cases) {
      const bool fund = organismes.empty() || std::find(organismes.begin(), organismes.end(),
                                                        c.organisme) != organismes.end();
      const bool period = (c.received_on >= from && c.received_on <= to) ||
                          (c.closed_on && *c.closed_on >= from && *c.closed_on <= to);
      if (fund && period) {
        Case copy = c;
        fn(copy);
      }
    }
    return {};
  }
  Result<int64_t> AddNote(const Actor&, std::string_view, const Note&) override { return No(); }
  Result<std::vector<Note>> Notes(const Actor&, std::string_view) override { return No(); }
  Result<int64_t> SavePerson(const Actor&, std::string_view, const Person&) override {
    return No();
  }
  Result<std::vector<Person>> People(const Actor&, std::string_view) override { return No(); }
  Status AddDocument(const Actor&, std::string_view, const DocumentMeta&) override { return No(); }
  Result<std::vector<DocumentMeta>> Documents(const Actor&, std::string_view) override {
    return No();
  }
  Result<int64_t> CreateUser(const User&) override { return No(); }
  Result<User> GetUser(std::string_view) override { return No(); }
  Status UpdateUser(const User&) override { return No(); }
  Status CreateApiToken(std::string_view, std::string_view, std::string_view) override {
    return No();
  }
  Result<User> UserForTokenHash(std::string_view) override { return No(); }
  Status Audit(const Actor&, std::string_view, std::string_view) override { return No(); }
  Status Backup(std::string_view) override { return No(); }
  Status InTransaction(const std::function<Status()>& fn) override { return fn(); }

 private:
  static std::unexpected<Error> No() { return Fail(Error::Internal("not in the fake")); }
};

TEST(FiguresStoreTest, GathersTheYearAndTheCalendarsFromTheStore) {
  FakeStore store;
  store.funds = {{"631", "Caf 63", "metropole", "", false},
                 {"671", "Caf 67", "alsace_moselle", "", false},
                 {"974", "Caf 974", "reunion", "", false}};
  store.cases = LoadFixtureCases();
  const auto all = ComputeFigures(store, {}, 2025, D("2026-01-15"));
  ASSERT_TRUE(all) << ToString(all.error());
  EXPECT_EQ(store.asked_from, D("2025-01-01"));
  EXPECT_EQ(store.asked_to, D("2025-12-31"));
  EXPECT_EQ(FiguresToJson(*all), FiguresToJson(ComputeFigures(store.cases, FixtureCalendars(), {},
                                                              2025, D("2026-01-15"))));
  const auto one = ComputeFigures(store, {"631"}, 2025, D("2026-01-15"));
  ASSERT_TRUE(one);
  EXPECT_EQ(store.asked_organismes, (std::vector<std::string>{"631"}));
  EXPECT_EQ(one->organismes, (std::vector<std::string>{"631"}));
  EXPECT_EQ(one->received, 20);
}

TEST(FiguresStoreTest, RefusesUnknownFundAndBadYear) {
  FakeStore store;
  store.funds = {{"631", "Caf 63", "metropole", "", false}};
  const auto unknown = ComputeFigures(store, {"631", "999"}, 2025, D("2026-01-15"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Error::Code::kNotFound);
  EXPECT_NE(unknown.error().message.find("999"), std::string::npos);
  const auto year = ComputeFigures(store, {}, 1800, D("2026-01-15"));
  ASSERT_FALSE(year);
  EXPECT_EQ(year.error().code, Error::Code::kInvalid);
}

// The years of the database: every year a case was received or closed in,
// and one ComputeFigures per year.
TEST(FiguresYearsTest, YearsOfCasesAreReceptionAndClosingYears) {
  std::vector<Case> cases = {Admissible("2019-03-04", "2019-03-05", "2021-01-04"),
                             Admissible("2023-06-01"), Admissible("2023-07-03")};
  EXPECT_EQ(YearsOfCases(cases), (std::vector<int>{2019, 2021, 2023}));
  EXPECT_TRUE(YearsOfCases({}).empty());
}

TEST(FiguresYearsTest, EveryYearOfTheFundsWithTheFiguresOfEach) {
  FakeStore store;
  store.funds = {{"631", "Caf 63", "metropole", "", false},
                 {"671", "Caf 67", "alsace_moselle", "", false}};
  store.cases = {Admissible("2019-03-04", "2019-03-05", "2019-04-01", "631"),
                 Admissible("2021-12-20", "2021-12-21", "2022-01-10", "631"),
                 Admissible("2024-05-02", "2024-05-03", "2024-06-03", "671")};
  const std::vector<std::string> one = {"631"};
  auto years = YearsWithCases(store, one);
  ASSERT_TRUE(years);
  EXPECT_EQ(*years, (std::vector<int>{2019, 2021, 2022}));
  auto all = YearsWithCases(store, {});
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, (std::vector<int>{2019, 2021, 2022, 2024}));
  auto figures = FiguresOfEveryYear(store, {"631"}, D("2026-01-15"));
  ASSERT_TRUE(figures);
  ASSERT_EQ(figures->size(), 3u);
  for (const YearFigures& f : *figures) {
    auto single = ComputeFigures(store, {"631"}, f.year, D("2026-01-15"));
    ASSERT_TRUE(single);
    EXPECT_EQ(FiguresToJson(f), FiguresToJson(*single)) << f.year;
  }
  EXPECT_EQ((*figures)[1].received, 1);
  EXPECT_EQ((*figures)[1].closed, 0);
  EXPECT_EQ((*figures)[2].received, 0);
  EXPECT_EQ((*figures)[2].closed, 1);
}

}  // namespace
}  // namespace amiable
