#include "intake/importer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "intake/interchange.h"

namespace amiable {
namespace {

std::string FixturePath() {
  return std::string(AMIABLE_SOURCE_DIR) + "/tests/fixtures/examples/cases-small.jsonl";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Joined(const std::vector<Error>& errors) {
  std::string out;
  for (const Error& e : errors) out += ToString(e) + "\n";
  return out;
}

// Runs on SQLite (a temporary file) and on PostgreSQL when scripts/test
// provides one (AMIABLE_TEST_PG_URL); skipped there otherwise.
class ImporterTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url;
    if (GetParam() == "postgresql") {
      const char* pg = std::getenv("AMIABLE_TEST_PG_URL");
      if (pg == nullptr || *pg == '\0') GTEST_SKIP() << "AMIABLE_TEST_PG_URL is not set";
      url = pg;
      const std::string cmd = "psql -q '" + url +
                              "' -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' "
                              ">/dev/null 2>&1";
      ASSERT_EQ(std::system(cmd.c_str()), 0) << "cannot reset the PostgreSQL schema";
    } else {
      dir_ = std::filesystem::temp_directory_path() /
             ("amiable-importer-test-" + std::to_string(::getpid()));
      std::filesystem::remove_all(dir_);
      url = "sqlite:" + (dir_ / "test.db").string();
    }
    auto s = Store::Open(url);
    ASSERT_TRUE(s) << ToString(s.error());
    store_ = std::move(*s);
    const Actor system = Actor::System();
    ASSERT_TRUE(store_->UpsertOrganisme(system, {"631", "Caf du Puy-de-Dôme", "metropole", "84"}));
    ASSERT_TRUE(
        store_->UpsertOrganisme(system, {"671", "Caf du Bas-Rhin", "alsace_moselle", "44"}));
    ASSERT_TRUE(store_->UpsertOrganisme(system, {"974", "Caf de La Réunion", "reunion", "REU"}));
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  Result<ImportCounts> Import(const std::string& text, bool dry_run = false,
                              const Actor& actor = Actor::System()) {
    std::istringstream in(text);
    return ImportFile(*store_, actor, in, dry_run, &problems_);
  }

  // Every stored case, serialized, by reference.
  std::map<std::string, std::string> Exported() {
    std::map<std::string, std::string> out;
    auto st = store_->ForEachCase(Actor::System(), {}, std::nullopt,
                                  [&](const Case& c) { out[c.reference] = SerializeCase(c); });
    EXPECT_TRUE(st) << ToString(st.error());
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::vector<Error> problems_;
};

const char kGood1[] =
    R"({"reference":"T-1","organisme":"631","received_on":"2025-01-06","admissibility":"recevable",)"
    R"("taken_in_charge_on":"2025-01-07","financial":[{"kind":"rappel","amount_cents":100}]})";
const char kGood2[] =
    R"({"reference":"T-2","organisme":"671","received_on":"2025-01-08","admissibility":"irrecevable",)"
    R"("inadmissibility_reason":"envoi_pieces","closed_on":"2025-01-09"})";

TEST_P(ImporterTest, ImportThenExportGivesTheSameCases) {
  const std::string text = ReadFile(FixturePath());
  auto counts = Import(text);
  ASSERT_TRUE(counts) << ToString(counts.error()) << "\n" << Joined(problems_);
  EXPECT_EQ(counts->cases, 50);
  EXPECT_EQ(counts->organismes, 3);
  EXPECT_TRUE(problems_.empty());

  std::istringstream in(text);
  ParsedFile input = ParseCaseStream(in);
  ASSERT_TRUE(input.errors.empty());
  std::map<std::string, std::string> exported = Exported();
  ASSERT_EQ(exported.size(), input.cases.size());
  int64_t financial_lines = 0;
  for (const Case& c : input.cases) {
    ASSERT_TRUE(exported.contains(c.reference)) << c.reference;
    auto back = ParseCaseLine(exported[c.reference], 1);
    ASSERT_TRUE(back) << exported[c.reference];
    EXPECT_TRUE(SameInterchangeFields(c, *back))
        << "in:  " << SerializeCase(c) << "\nout: " << exported[c.reference];
    if (c.financial) financial_lines += static_cast<int64_t>(c.financial->size());
  }
  EXPECT_EQ(counts->financial_lines, financial_lines);
}

TEST_P(ImporterTest, InternalRequestsRoundTripLineForLine) {
  // Canonical lines (as SerializeCase writes them): import then export gives
  // the same bytes. The third is an older file's line, without the key.
  const std::string lines[] = {
      R"({"reference":"IR-1","organisme":"631","received_on":"2025-01-06","admissibility":"recevable",)"
      R"("taken_in_charge_on":"2025-01-07","internal_requests":[{"sent_on":"2025-01-08","answered_on":"2025-01-13"},)"
      R"({"sent_on":"2025-01-07","answered_on":null}]})",
      R"({"reference":"IR-2","organisme":"974","received_on":"2024-12-30","admissibility":"recevable",)"
      R"("internal_requests":[{"sent_on":"2025-01-02","answered_on":"2025-01-02"}]})",
      R"({"reference":"IR-3","organisme":"671","received_on":"2025-02-03","admissibility":"recevable"})",
  };
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  // null, [] and an absent answered_on read as none / unanswered.
  text += R"({"reference":"IR-4","organisme":"631","received_on":"2025-03-03","admissibility":"recevable","internal_requests":[]})"
          "\n";
  text += R"({"reference":"IR-5","organisme":"631","received_on":"2025-03-03","admissibility":"recevable","internal_requests":null})"
          "\n";
  text += R"({"reference":"IR-6","organisme":"631","received_on":"2025-03-03","admissibility":"recevable","internal_requests":[{"sent_on":"2025-03-04"}]})"
          "\n";
  ASSERT_TRUE(Import(text)) << Joined(problems_);
  std::map<std::string, std::string> exported = Exported();
  EXPECT_EQ(exported["IR-1"], lines[0]);
  EXPECT_EQ(exported["IR-2"], lines[1]);
  EXPECT_EQ(exported["IR-3"], lines[2]);
  EXPECT_EQ(exported["IR-4"].find("internal_requests"), std::string::npos);
  EXPECT_EQ(exported["IR-5"].find("internal_requests"), std::string::npos);
  EXPECT_NE(exported["IR-6"].find(R"("internal_requests":[{"sent_on":"2025-03-04","answered_on":null}])"),
            std::string::npos)
      << exported["IR-6"];
}

TEST_P(ImporterTest, InternalRequestErrorsNameTheLineAndTheField) {
  const std::string text =
      std::string(kGood1) + "\n" +
      R"({"reference":"B-1","organisme":"631","received_on":"2025-01-06","admissibility":"recevable",)"
      R"("internal_requests":[{"sent_on":"2025-01-03","answered_on":null}]})" + "\n" +
      R"({"reference":"B-2","organisme":"631","received_on":"2025-01-06","admissibility":"recevable",)"
      R"("internal_requests":[{"sent_on":"2025-01-08","answered_on":"2025-01-07"}]})" + "\n";
  auto r = Import(text);
  ASSERT_FALSE(r);
  ASSERT_EQ(problems_.size(), 2u) << Joined(problems_);
  EXPECT_EQ(ToString(problems_[0]),
            "ligne 2 : internal_requests[0].sent_on : antérieure à received_on (2025-01-06)");
  EXPECT_EQ(ToString(problems_[1]),
            "ligne 3 : internal_requests[0].answered_on : antérieure à "
            "internal_requests[0].sent_on (2025-01-08)");
  EXPECT_TRUE(Exported().empty());  // nothing written
}

TEST_P(ImporterTest, CasesGetTheInferredState) {
  ASSERT_TRUE(Import(std::string(kGood1) + "\n" + kGood2 + "\n")) << Joined(problems_);
  auto c1 = store_->GetCase(Actor::System(), "T-1");
  ASSERT_TRUE(c1);
  EXPECT_EQ(c1->state, CaseState::kInProgress);
  auto c2 = store_->GetCase(Actor::System(), "T-2");
  ASSERT_TRUE(c2);
  EXPECT_EQ(c2->state, CaseState::kInadmissible);
}

TEST_P(ImporterTest, BadFileLeavesTheStoreUnchanged) {
  ASSERT_TRUE(Import(kGood1));
  const auto before = Exported();
  const std::string bad =
      std::string(kGood2) + "\n" +
      R"({"reference":"T-3","organisme":"631","received_on":"2025-02-30","admissibility":"recevable"})";
  auto r = Import(bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Error::Code::kInvalid);
  ASSERT_EQ(problems_.size(), 1u) << Joined(problems_);
  EXPECT_EQ(ToString(problems_[0]), "ligne 2 : received_on : date impossible « 2025-02-30 »");
  EXPECT_EQ(Exported(), before);
}

TEST_P(ImporterTest, UnknownOrganismeIsReportedWithItsLine) {
  const std::string text = std::string(kGood1) + "\n\n" +
                           R"({"reference":"T-9","organisme":"999","received_on":"2025-01-06",)"
                           R"("admissibility":"recevable"})";
  auto r = Import(text);
  ASSERT_FALSE(r);
  ASSERT_EQ(problems_.size(), 1u) << Joined(problems_);
  EXPECT_EQ(ToString(problems_[0]), "ligne 3 : organisme : organisme inconnu « 999 »");
  EXPECT_TRUE(Exported().empty());
}

TEST_P(ImporterTest, OrganismeTheActorCannotSeeIsUnknown) {
  Actor mediator;
  mediator.user = "m";
  mediator.role = Role::kMediator;
  mediator.all_funds = false;
  mediator.organismes = {"671"};
  auto r = Import(std::string(kGood1) + "\n" + kGood2, false, mediator);
  ASSERT_FALSE(r);
  ASSERT_EQ(problems_.size(), 1u) << Joined(problems_);
  EXPECT_EQ(ToString(problems_[0]), "ligne 1 : organisme : organisme inconnu « 631 »");
}

TEST_P(ImporterTest, StoredReferencesAreReportedAndNothingIsWritten) {
  ASSERT_TRUE(Import(kGood1));
  const auto before = Exported();
  auto r = Import(std::string(kGood2) + "\n" + kGood1 + "\n");
  ASSERT_FALSE(r);
  ASSERT_EQ(problems_.size(), 1u) << Joined(problems_);
  EXPECT_EQ(ToString(problems_[0]), "ligne 2 : reference : la référence « T-1 » existe déjà");
  EXPECT_EQ(Exported(), before);
}

TEST_P(ImporterTest, ProblemsOfEveryKindComeInLineOrder) {
  ASSERT_TRUE(Import(kGood1));
  const std::string text =
      std::string(kGood1) + "\n" +  // stored reference
      R"({"reference":"T-5","organisme":"998","received_on":"2025-01-06","admissibility":"recevable"})"
      "\n" +
      R"({"reference":"T-6","organisme":"631","received_on":"2025-01-06","admissibility":"non"})"
      "\n" +
      R"({"reference":"T-5","organisme":"631","received_on":"2025-01-06","admissibility":"recevable"})";
  auto r = Import(text);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "4 problèmes : rien n'a été importé");
  EXPECT_EQ(r.error().message_id, "import.problems");
  EXPECT_EQ(Joined(problems_),
            "ligne 1 : reference : la référence « T-1 » existe déjà\n"
            "ligne 2 : organisme : organisme inconnu « 998 »\n"
            "ligne 3 : admissibility : code inconnu « non » pour admissibility\n"
            "ligne 4 : reference : référence « T-5 » en double (déjà ligne 2)\n");
}

TEST_P(ImporterTest, DryRunChecksAndWritesNothing) {
  auto r = Import(ReadFile(FixturePath()), /*dry_run=*/true);
  ASSERT_TRUE(r) << Joined(problems_);
  EXPECT_EQ(r->cases, 50);
  EXPECT_EQ(r->organismes, 3);
  EXPECT_TRUE(Exported().empty());
  auto bad = Import(
      R"({"reference":"X","organisme":"999","received_on":"2025-01-06","admissibility":"recevable"})",
      /*dry_run=*/true);
  ASSERT_FALSE(bad);
  EXPECT_EQ(problems_.size(), 1u);
}

TEST_P(ImporterTest, EmptyFileImportsNothing) {
  auto r = Import("\n\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->cases, 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, ImporterTest, testing::Values("sqlite", "postgresql"),
                         [](const testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace amiable
