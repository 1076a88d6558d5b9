// Tests of the météo and the context figures (issue 10): partial aggregate
// files, typed aggregates and their merge, context figures as typed, and
// what the report's model prints from them.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/messages.h"
#include "report/aggregate.h"
#include "report/assemble.h"
#include "report/context_figures.h"
#include "report/typed_aggregate.h"

namespace amiable::report {
namespace {

const std::string kNnbsp = "\u202F";

// An in-memory AggregateStore.
class MemoryAggregates final : public AggregateStore {
 public:
  Status PutAggregate(const Aggregate& a) override {
    // Stored as the file format, as every store does: what survives is what
    // the JSON carries.
    rows_[Key(a.scope, a.figures.year, a.figures.organismes)] = AggregateToJson(a);
    return {};
  }
  Result<std::optional<Aggregate>> FindAggregate(AggregateScope scope, int year,
                                                 std::vector<std::string> organismes) override {
    auto it = rows_.find(Key(scope, year, organismes));
    if (it == rows_.end()) return std::optional<Aggregate>();
    auto a = AggregateFromJson(it->second);
    if (!a) return Fail(a.error());
    return std::optional<Aggregate>(std::move(*a));
  }
  std::optional<YearFigures> GetCachedFigures(std::string_view, std::string_view) override {
    return std::nullopt;
  }
  void PutCachedFigures(std::string_view, std::string_view, const YearFigures&) override {}

 private:
  static std::string Key(AggregateScope s, int year, std::vector<std::string> orgs) {
    return std::string(AggregateScopeCode(s)) + "|" + std::to_string(year) + "|" +
           (s == AggregateScope::kFund ? FundSetKey(std::move(orgs)) : "");
  }
  std::map<std::string, std::string> rows_;
};

TEST(MeteoAggregate, PartialFileIsAcceptedAndKnowsWhatItGives) {
  auto a = AggregateFromJson(R"({"format":"amiable-aggregate","version":1,"scope":"all_funds",
      "exported_on":"2026-02-01",
      "figures":{"year":2025,"closed":24579,"delays":{"answer_working_days_avg":22.8}}})");
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->scope, AggregateScope::kAllFunds);
  EXPECT_EQ(a->figures.closed, 24579);
  EXPECT_TRUE(a->Gives("closed"));
  EXPECT_TRUE(a->Gives("delays.answer_working_days_avg"));
  EXPECT_FALSE(a->Gives("inadmissible"));
  EXPECT_FALSE(a->Gives("delays.take_charge_working_days_avg"));
  // Breakdowns not given: no share is made up.
  EXPECT_FALSE(a->figures.by_channel.Share("courriel").has_value());
  // Written back, only the given figures travel.
  const std::string json = AggregateToJson(*a);
  EXPECT_EQ(json.find("inadmissible"), std::string::npos) << json;
  EXPECT_EQ(json.find("by_channel"), std::string::npos) << json;
  auto back = AggregateFromJson(json);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->given, a->given);
  EXPECT_EQ(AggregateToJson(*back), json);
}

TEST(MeteoAggregate, ErrorsAreFrenchAndNameTheKey) {
  auto neg = AggregateFromJson(R"({"format":"amiable-aggregate","version":1,"scope":"fund",
      "figures":{"year":2025,"closed":-3}})");
  ASSERT_FALSE(neg.has_value());
  EXPECT_EQ(neg.error().message_id, "aggregate.integer");
  EXPECT_EQ(neg.error().field, "closed");
  EXPECT_NE(neg.error().message.find("« closed » : un nombre entier"), std::string::npos)
      << neg.error().message;
  auto scope = AggregateFromJson(R"({"format":"amiable-aggregate","version":1,"scope":"x",
      "figures":{"year":2025,"closed":3}})");
  ASSERT_FALSE(scope.has_value());
  EXPECT_EQ(scope.error().message_id, "aggregate.scope");
  auto empty = AggregateFromJson(R"({"format":"amiable-aggregate","version":1,
      "scope":"national_pole","figures":{"year":2025}})");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().message_id, "aggregate.nothing_given");
  // A breakdown given must still add up.
  auto sum = AggregateFromJson(R"({"format":"amiable-aggregate","version":1,"scope":"fund",
      "figures":{"year":2025,"closed":3,"by_channel":{"courriel":1}}})");
  ASSERT_FALSE(sum.has_value());
  EXPECT_EQ(sum.error().message_id, "aggregate.sum");
  EXPECT_EQ(sum.error().field, "by_channel");
  for (const auto& e : {neg.error(), scope.error(), empty.error(), sum.error()}) {
    EXPECT_NE(msg::Find(e.message_id), nullptr) << e.message_id;
  }
}

TEST(MeteoTyped, ParsesCommaOrPointAndNamesTheField) {
  TypedFiguresText t;
  t.take_charge_working_days = "5,12";
  t.answer_working_days = "22.80";
  t.closed = "24 579";
  t.inadmissible = "9054";
  auto f = ParseTypedFigures(t);
  ASSERT_TRUE(f.has_value()) << f.error().message;
  EXPECT_DOUBLE_EQ(*f->take_charge_working_days, 5.12);
  EXPECT_DOUBLE_EQ(*f->answer_working_days, 22.8);
  EXPECT_FALSE(f->answer_calendar_days.has_value());
  EXPECT_EQ(*f->closed, 24579);
  EXPECT_EQ(*f->inadmissible, 9054);

  t.closed = "24,5";
  auto bad = ParseTypedFigures(t);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field, "closed");
  EXPECT_EQ(bad.error().message,
            "Dossiers clos : « 24,5 » n'est pas un nombre entier positif (exemple : 24 579).");
  t.closed = "";
  t.answer_calendar_days = "douze";
  bad = ParseTypedFigures(t);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field, "answer_calendar_days");
  EXPECT_NE(bad.error().message.find("Délai de réponse (jours calendaires)"), std::string::npos);
}

TEST(MeteoTyped, RefusesNothingAndFundWithoutCode) {
  const Date on = Date::FromCivil(2026, 2, 1);
  auto none = TypedAggregate(AggregateScope::kAllFunds, 2025, {}, TypedFigures{}, on);
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().message_id, "report.typed_nothing");
  TypedFigures t;
  t.closed = 155;
  auto fund = TypedAggregate(AggregateScope::kFund, 2024, {}, t, on);
  ASSERT_FALSE(fund.has_value());
  EXPECT_EQ(fund.error().message_id, "report.typed_organisme");
}

TEST(MeteoTyped, TypingAgainMergesAndReplacesAnImport) {
  MemoryAggregates store;
  const Date on = Date::FromCivil(2026, 2, 1);
  TypedFigures first;
  first.take_charge_working_days = 4.09;
  first.closed = 189;
  auto a = TypedAggregate(AggregateScope::kNationalPole, 2025, {}, first, on);
  ASSERT_TRUE(a.has_value());
  bool replaced = true;
  ASSERT_TRUE(PutTypedAggregate(store, *a, &replaced).has_value());
  EXPECT_FALSE(replaced);

  TypedFigures second;
  second.answer_working_days = 24.46;
  second.closed = 190;  // corrected
  second.inadmissible = 33;
  auto b = TypedAggregate(AggregateScope::kNationalPole, 2025, {}, second,
                          Date::FromCivil(2026, 2, 3));
  ASSERT_TRUE(b.has_value());
  auto merged = PutTypedAggregate(store, *b);
  ASSERT_TRUE(merged.has_value()) << merged.error().message;

  auto back = store.FindAggregate(AggregateScope::kNationalPole, 2025, {});
  ASSERT_TRUE(back.has_value() && back->has_value());
  const Aggregate& m = **back;
  EXPECT_EQ(m.source, "typed");
  EXPECT_EQ(m.exported_on, "2026-02-03");
  const TypedFigures got = TypedFiguresOf(m);
  EXPECT_DOUBLE_EQ(*got.take_charge_working_days, 4.09);  // kept
  EXPECT_DOUBLE_EQ(*got.answer_working_days, 24.46);      // added
  EXPECT_FALSE(got.answer_calendar_days.has_value());     // never given
  EXPECT_EQ(*got.closed, 190);                            // replaced
  EXPECT_EQ(*got.inadmissible, 33);

  // An imported aggregate of the same key is replaced, not mixed.
  Aggregate imported;
  imported.scope = AggregateScope::kAllFunds;
  imported.figures.year = 2025;
  imported.figures.closed = 20000;
  imported.figures.inadmissible = 5000;
  imported.exported_on = "2026-01-31";
  ASSERT_TRUE(store.PutAggregate(imported).has_value());
  TypedFigures t;
  t.closed = 24579;
  auto c = TypedAggregate(AggregateScope::kAllFunds, 2025, {}, t, on);
  ASSERT_TRUE(c.has_value());
  auto r = PutTypedAggregate(store, *c, &replaced);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(replaced);
  EXPECT_EQ(r->figures.closed, 24579);
  EXPECT_FALSE(r->Gives("inadmissible"));
}

TEST(MeteoContext, ParsesPercentAndKeepsWhatIsNotRetyped) {
  ContextFigures base;
  base.fund_set = "631";
  base.year = 2025;
  base.beneficiaries = 133331;
  ContextText t;
  t.national_beneficiaries = "12 888 188";
  t.complaints_within_10_days = "94,34 %";
  t.complaints_mean_days = "5.9";
  t.source = "  Cnaf, fichier des allocataires au 30/06/2025 ";
  auto c = ApplyContextText(base, t, /*empty_clears=*/false);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(*c->beneficiaries, 133331);
  EXPECT_EQ(*c->national_beneficiaries, 12888188);
  EXPECT_DOUBLE_EQ(*c->complaints_within_10_days_rate, 0.9434);
  EXPECT_DOUBLE_EQ(*c->complaints_mean_days, 5.9);
  EXPECT_EQ(c->source, "Cnaf, fichier des allocataires au 30/06/2025");
  const ContextText shown = ContextTextOf(*c);
  EXPECT_EQ(shown.beneficiaries, "133" + kNnbsp + "331");
  EXPECT_EQ(shown.complaints_within_10_days, "94,34");
  EXPECT_EQ(shown.complaints_mean_days, "5,9");
  // A form shows every field: emptied is cleared.
  ContextText form = shown;
  form.beneficiaries = "";
  auto cleared = ApplyContextText(*c, form, /*empty_clears=*/true);
  ASSERT_TRUE(cleared.has_value());
  EXPECT_FALSE(cleared->beneficiaries.has_value());
  EXPECT_DOUBLE_EQ(*cleared->complaints_within_10_days_rate, 0.9434);

  t.complaints_within_10_days = "120 %";
  auto bad = ApplyContextText(base, t, false);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field, "complaints_within_10_days");
  EXPECT_EQ(bad.error().message_id, "report.typed_percent");
}

// The model of a report with the reference's national figures typed.
ReportModel ReferenceModel() {
  ReportInputs in;
  in.funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "", false}};
  in.current.year = 2025;
  in.current.received = 272;
  in.current.closed = 175;
  in.current.inadmissible = 97;
  in.current.delays.take_charge_working_days_avg = 1.65;
  in.current.delays.answer_working_days_avg = 17.17;
  in.current.delays.answer_calendar_days_avg = 24.1;
  in.previous.year = 2024;
  in.previous.received = 220;
  in.previous.closed = 155;
  in.history = {{2024, 220, 62, 155}, {2025, 272, 97, 175}};
  auto typed = [](double tc, double ans, int64_t closed, int64_t inad, int year) {
    ComparisonYear y;
    y.figures.year = year;
    y.figures.delays.take_charge_working_days_avg = tc;
    y.figures.delays.answer_working_days_avg = ans;
    y.figures.closed = closed;
    y.figures.inadmissible = inad;
    y.origin = "saisis le 01/02/2026";
    y.given = {"delays", "delays.take_charge_working_days_avg", "delays.answer_working_days_avg",
               "closed", "inadmissible"};
    return y;
  };
  in.all_funds_comparison =
      ComparisonSource{"Ensemble des Caf", typed(5.12, 22.80, 24579, 9054, 2025),
                       typed(7.17, 25.57, 20925, 5146, 2024)};
  ComparisonSource pole{"Cnaf", typed(4.09, 24.46, 189, 33, 2025), std::nullopt};
  in.national_pole = pole;
  ContextFigures c;
  c.fund_set = "631";
  c.year = 2025;
  c.beneficiaries = 133331;
  c.national_beneficiaries = 12888188;
  c.all_funds_requests = 35555;
  c.complaints = 27149;
  c.complaints_within_10_days_rate = 0.9434;
  c.complaints_mean_days = 5.9;
  c.source = "Cnaf, tableau de bord 2025";
  in.context = c;
  ContextFigures pc;
  pc.complaints = 29051;
  in.previous_context = pc;
  in.generated_on = Date::FromCivil(2026, 2, 1);
  return AssembleReport(in);
}

const Table* FindTable(const ReportModel& m, const std::string& id) {
  for (const Section& s : m.sections) {
    for (const Table& t : s.tables) {
      if (t.id == id) return &t;
    }
  }
  return nullptr;
}

TEST(MeteoReport, ColumnsForCnafAllFundsAndTheFundBothYears) {
  const ReportModel m = ReferenceModel();
  const Table* t = FindTable(m, "meteo");
  ASSERT_NE(t, nullptr);
  const std::vector<std::string> header = {"Indicateur",      "Cnaf 2024",
                                           "Cnaf 2025",       "Ensemble des Caf 2024",
                                           "Ensemble des Caf 2025", "Caf 631 2024",
                                           "Caf 631 2025"};
  EXPECT_EQ(t->header, header);
  auto row = [&](const std::string& label) -> std::vector<std::string> {
    for (const auto& r : t->rows) {
      if (r[0].text == label) {
        std::vector<std::string> out;
        for (size_t i = 1; i < r.size(); ++i) out.push_back(r[i].Display());
        return out;
      }
    }
    return {};
  };
  const std::string j = "\u00A0j";
  EXPECT_EQ(row("Délai de prise en charge (jours ouvrés)"),
            (std::vector<std::string>{"n.d.", "4,09" + j, "7,17" + j, "5,12" + j, "n.d.",
                                      "1,65" + j}));
  EXPECT_EQ(row("Dossiers clos"), (std::vector<std::string>{"n.d.", "189", "20" + kNnbsp + "925",
                                                            "24" + kNnbsp + "579", "155", "175"}));
  EXPECT_EQ(row("Demandes hors médiation")[3], "9" + kNnbsp + "054");
  // The answer delay in the unit given: the typed columns gave working days only.
  EXPECT_EQ(row("Délai de réponse (jours calendaires)")[3], "n.d.");
  EXPECT_EQ(row("Délai de réponse (jours calendaires)")[5], "24,10" + j);
  EXPECT_NE(t->note.find("Cnaf 2024 : non disponibles ; Cnaf 2025 : saisis le 01/02/2026"),
            std::string::npos)
      << t->note;
  EXPECT_NE(t->note.find("Ensemble des Caf 2024 et 2025 : saisis le 01/02/2026"),
            std::string::npos);
  EXPECT_NE(t->note.find("Caf 631 2024 et 2025 : calculés à partir des dossiers de la base"),
            std::string::npos);
}

TEST(MeteoReport, ContextSharesInTheRequestsSection) {
  const ReportModel m = ReferenceModel();
  const Section* requests = nullptr;
  for (const Section& s : m.sections) {
    if (s.id == "requests") requests = &s;
  }
  ASSERT_NE(requests, nullptr);
  std::string text;
  for (const Block& b : requests->blocks) text += b.text + "\n";
  EXPECT_NE(text.find("représentent 0,77" + kNnbsp + "% des 35" + kNnbsp + "555 demandes"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("133" + kNnbsp + "331 allocataires au 30 juin 2025, soit 1,03" + kNnbsp +
                      "% des 12" + kNnbsp + "888" + kNnbsp + "188"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("27" + kNnbsp + "149 réclamations y ont été déposées en 2025, contre 29" +
                      kNnbsp + "051 en 2024"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("94,34" + kNnbsp + "% ont été traitées dans un délai de 10 jours"),
            std::string::npos);
  const Table* t = FindTable(m, "context");
  ASSERT_NE(t, nullptr);
  EXPECT_NE(t->note.find("Source 2025 : Cnaf, tableau de bord 2025."), std::string::npos);
}

}  // namespace
}  // namespace amiable::report
