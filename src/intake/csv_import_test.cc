#include "intake/csv_import.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/text.h"
#include "store/reference_counter.h"

namespace amiable {
namespace {

std::string Joined(const std::vector<Error>& errors) {
  std::string out;
  for (const Error& e : errors) out += ToString(e) + "\n";
  return out;
}

constexpr char kMapping[] = R"({
  "columns": {"reference": "Référence", "received_on": "Reçue le", "channel": "Canal",
              "admissibility": "Recevable", "inadmissibility_reason": "Motif",
              "taken_in_charge_on": "Prise en charge", "closed_on": "Close le",
              "benefits": "Prestations", "resolution": "Issue", "fraud": "Fraude",
              "allocataire_number": "N° alloc", "quotient_familial": "QF"},
  "financial": {"rappel": "Rappel"},
  "labels": {"channel": {"Mail": "courriel", "Formulaire en ligne": "teleprocedure"},
             "admissibility": {"oui": "recevable", "NON": "irrecevable"},
             "inadmissibility_reason": {"Sans démarche": "absence_demarche_prealable"},
             "benefits": {"APL": "logement", "ALS": "logement"},
             "resolution": {"?": null}},
  "separators": {"benefits": "+"}
})";

CsvMapping Mapping(const char* json = kMapping) {
  auto m = ParseCsvMapping(json);
  EXPECT_TRUE(m) << (m ? "" : Joined(m.error()));
  return m ? *m : CsvMapping{};
}

ParsedFile Convert(const std::string& csv, const char* mapping = kMapping) {
  return ConvertCsv(ReadCsv(csv), Mapping(mapping), "631");
}

constexpr char kHeader[] =
    "Référence;Reçue le;Canal;Recevable;Motif;Prise en charge;Close le;Prestations;Issue;"
    "Fraude;N° alloc;QF;Rappel;Notes\n";

TEST(FoldForMatch, CaseAccentsAndSpaces) {
  EXPECT_EQ(FoldForMatch("  Accueil   PHYSIQUE "), "accueil physique");
  EXPECT_EQ(FoldForMatch("Réclamation"), "reclamation");
  EXPECT_EQ(FoldForMatch("ÉÈÊËÀÂÄÎÏÔÖÙÛÜÇŒ"), "eeeeaaaiioouuucoe");
  EXPECT_EQ(FoldForMatch("Pas d’erreur\u00a0Caf"), "pas d'erreur caf");
}

TEST(SpreadsheetDate, FrenchShapes) {
  EXPECT_EQ(ParseSpreadsheetDate("12/03/2025"), Date::FromCivil(2025, 3, 12));
  EXPECT_EQ(ParseSpreadsheetDate("12/03/25"), Date::FromCivil(2025, 3, 12));
  EXPECT_EQ(ParseSpreadsheetDate("2025-03-12"), Date::FromCivil(2025, 3, 12));
  EXPECT_EQ(ParseSpreadsheetDate("1/3/2025"), Date::FromCivil(2025, 3, 1));
  EXPECT_EQ(ParseSpreadsheetDate("12.03.2025"), Date::FromCivil(2025, 3, 12));
  EXPECT_EQ(ParseSpreadsheetDate("12-03-2025"), Date::FromCivil(2025, 3, 12));
  EXPECT_EQ(ParseSpreadsheetDate(" 12/03/2025 00:00 "), Date::FromCivil(2025, 3, 12));
  EXPECT_EQ(ParseSpreadsheetDate("29/02/2024"), Date::FromCivil(2024, 2, 29));
  for (const char* bad : {"31/02/2024", "29/02/2025", "12/13/2025", "2025/03", "12/03/025",
                          "mars 2025", "12/03/2025 midi", "", "00/01/2025"}) {
    EXPECT_EQ(ParseSpreadsheetDate(bad), std::nullopt) << bad;
  }
}

TEST(CsvMapping, EveryProblemIsListed) {
  auto m = ParseCsvMapping(R"({"columns": {"organisme": "Caf", "chanel": "Canal",
      "received_on": ""}, "financial": {"bonus": "B"},
      "labels": {"channel": {"Mail": "email"}, "received_on": {}}, "extra": 1})");
  ASSERT_FALSE(m);
  const std::string all = Joined(m.error());
  EXPECT_NE(all.find("extra : clé inconnue"), std::string::npos) << all;
  EXPECT_NE(all.find("columns.organisme : l'organisme ne vient pas du fichier"), std::string::npos);
  EXPECT_NE(all.find("columns.chanel : champ inconnu"), std::string::npos);
  EXPECT_NE(all.find("columns.received_on : doit être le texte de l'en-tête"), std::string::npos);
  EXPECT_NE(all.find("columns.admissibility : obligatoire"), std::string::npos);
  EXPECT_NE(all.find("financial.bonus : nature financière inconnue"), std::string::npos);
  EXPECT_NE(all.find("labels.channel.Mail : code inconnu « email »"), std::string::npos);
  EXPECT_NE(all.find("labels.received_on : pas un champ à codes"), std::string::npos);
  EXPECT_FALSE(ParseCsvMapping("{not json"));
  auto twice = ParseCsvMapping(
      R"({"columns": {"received_on": "Date", "closed_on": "DATE", "admissibility": "R"}})");
  ASSERT_FALSE(twice);
  EXPECT_NE(Joined(twice.error()).find("même colonne que columns."), std::string::npos);
}

TEST(CsvConvert, LabelsDatesListsAmountsAndNumbers) {
  const ParsedFile p = Convert(std::string(kHeader) +
                               "631-X-1;12/03/25;mail;Oui;;13/03/2025;2025-04-01;APL + rsa + ALS;"
                               "Décision RÉVISÉE;oui;123456;1 020;1 234,56;libre\n"
                               ";06/01/2025;Formulaire EN LIGNE;non;sans demarche;;;;?;;;;0;\n"
                               ";;;;;;;;;;;;;\n");
  ASSERT_TRUE(p.errors.empty()) << Joined(p.errors);
  ASSERT_EQ(p.cases.size(), 2u);
  const Case& a = p.cases[0];
  EXPECT_EQ(p.lines[0], 2);
  EXPECT_EQ(a.reference, "631-X-1");
  EXPECT_EQ(a.organisme, "631");
  EXPECT_EQ(a.received_on, Date::FromCivil(2025, 3, 12));
  EXPECT_EQ(a.channel, "courriel");
  EXPECT_EQ(a.admissibility, "recevable");
  EXPECT_EQ(a.closed_on, Date::FromCivil(2025, 4, 1));
  // "APL" and "ALS" are both logement: counted once.
  EXPECT_EQ(a.benefits, (std::vector<std::string>{"logement", "rsa"}));
  EXPECT_EQ(a.resolution, "revisee");  // the default French label, any case
  EXPECT_EQ(a.fraud, true);
  EXPECT_EQ(a.allocataire_number, "0123456");  // the spreadsheet dropped the leading 0
  EXPECT_EQ(a.quotient_familial, 1020);
  ASSERT_TRUE(a.financial);
  ASSERT_EQ(a.financial->size(), 1u);
  EXPECT_EQ((*a.financial)[0].amount_cents, 123456);
  const Case& b = p.cases[1];
  EXPECT_EQ(p.lines[1], 3);
  EXPECT_EQ(b.reference, "");  // to be generated
  EXPECT_EQ(b.channel, "teleprocedure");
  EXPECT_EQ(b.admissibility, "irrecevable");
  EXPECT_EQ(b.inadmissibility_reason, "absence_demarche_prealable");
  EXPECT_EQ(b.resolution, std::nullopt);  // "?" means unknown
  EXPECT_FALSE(b.financial);              // 0 € is no line
}

TEST(CsvConvert, EveryErrorSaysLineColumnAndReason) {
  const ParsedFile p = Convert(std::string(kHeader) +
                               "R1;31/02/2025;Mail;Oui;;;;;;;;;;\n"
                               "R2;01/02/2025;Pigeon;Oui;;;;;;;;;;\n"
                               "R3;01/02/2025;Mail;Oui;;;;APL + Chauffage;;;;;;\n"
                               "R4;01/02/2025;Mail;Oui;;;;;;peut-être;;;;\n"
                               "R5;01/02/2025;Mail;Oui;;;;;;;;420,50;;\n"
                               "R6;01/02/2025;Mail;Oui;;;;;;;;;beaucoup;\n"
                               "R7;01/02/2025;Mail;Oui;;31/01/2025;;;;;;;;\n"
                               "R8;01/02/2025;Mail;;;;;;;;;;;\n"
                               "R9;01/02/2025;Mail;Oui;;;;;;;;;;\n"
                               "R9;01/02/2025;Mail;Oui;;;;;;;;;;\n"
                               "R12;01/02/2025;Mail;Oui;;;;;;;;;;;en trop\n"
                               "R13;01/02/2025;Mail;Oui;;;;;;;;;;\n");
  const std::vector<std::string> want = {
      "ligne 2 : Reçue le : date illisible « 31/02/2025 » (attendu JJ/MM/AAAA, JJ/MM/AA ou "
      "AAAA-MM-JJ)",
      "ligne 3 : Canal : libellé inconnu « Pigeon » : ajoutez-le à « labels » → « channel » de "
      "la correspondance (codes : teleprocedure, courriel, courrier, interne, telephone, "
      "accueil)",
      "ligne 4 : Prestations : libellé inconnu « Chauffage » : ajoutez-le à « labels » → « "
      "benefits » de la correspondance (codes : logement, rsa, ppa, handicap, paje, famille, "
      "asf_aripa, autre)",
      "ligne 5 : Fraude : oui ou non attendu, pas « peut-être » (ou ajoutez-le à « labels » → « "
      "fraud »)",
      "ligne 6 : QF : nombre entier d'euros attendu, pas « 420,50 »",
      "ligne 7 : Rappel : montant illisible « beaucoup » (attendu en euros, par exemple 1 234,56)",
      "ligne 8 : Prise en charge : antérieure à « Reçue le » (01/02/2025)",
      "ligne 9 : Recevable : absent (obligatoire)",
      "ligne 11 : Référence : référence « R9 » en double (déjà ligne 10)",
      "ligne 12 : colonne 15 (sans en-tête) : cellule au-delà des colonnes de l'en-tête",
  };
  std::vector<std::string> got;
  for (const Error& e : p.errors) got.push_back(ToString(e));
  EXPECT_EQ(got, want);
  ASSERT_EQ(p.cases.size(), 2u);  // R9 of line 10, R13
  EXPECT_EQ(p.lines, (std::vector<int>{10, 13}));
}

TEST(CsvConvert, MissingColumnsAreLineOne) {
  const char* mapping = R"({"columns": {"received_on": "Reçue le", "admissibility": "Recevable"}})";
  const ParsedFile p = Convert("Référence;REÇUE  le;Canal\nR1;01/02/2025;Mail\n", mapping);
  ASSERT_EQ(p.errors.size(), 1u) << Joined(p.errors);
  EXPECT_EQ(ToString(p.errors[0]),
            "ligne 1 : Recevable : colonne absente de l'en-tête du fichier (la correspondance la "
            "nomme)");
  EXPECT_TRUE(p.cases.empty());
  EXPECT_EQ(ToString(Convert("").errors.at(0)),
            "ligne 1 : fichier vide : la première ligne doit être l'en-tête des colonnes");
}

// ImportCsv on SQLite (a temporary file) and on PostgreSQL when
// AMIABLE_TEST_PG_URL is set.
class CsvImportTest : public testing::TestWithParam<std::string> {
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
      ASSERT_EQ(std::system(cmd.c_str()), 0);
    } else {
      dir_ = std::filesystem::temp_directory_path() /
             ("amiable-csv-import-test-" + std::to_string(::getpid()));
      std::filesystem::remove_all(dir_);
      url = "sqlite:" + (dir_ / "test.db").string();
    }
    auto s = Store::Open(url);
    ASSERT_TRUE(s) << ToString(s.error());
    store_ = std::move(*s);
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(),
                                        {"631", "Caf du Puy-de-Dôme", "metropole", "84"}));
    ASSERT_TRUE(store_->UpsertOrganisme(Actor::System(), {"671", "Caf du Bas-Rhin",
                                                          "alsace_moselle", "44"}));
    manager_.user = "resp";
    manager_.role = Role::kManager;
    manager_.all_funds = false;
    manager_.organismes = {"631"};
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  Result<CsvImportResult> Import(const std::string& csv, bool dry_run,
                                 const Actor& actor, const char* mapping = kNoReference) {
    CsvImportOptions o;
    o.organisme = "631";
    o.dry_run = dry_run;
    o.as_of = Date::FromCivil(2026, 1, 15);
    return ImportCsv(*store_, actor, csv, mapping, o, &problems_);
  }
  std::vector<std::string> References() {
    std::vector<std::string> out;
    EXPECT_TRUE(store_->ForEachCase(Actor::System(), {}, std::nullopt,
                                    [&](const Case& c) { out.push_back(c.reference); }));
    std::sort(out.begin(), out.end());
    return out;
  }

  static constexpr char kNoReference[] = R"({"columns": {"received_on": "Date",
      "admissibility": "Recevable", "closed_on": "Close", "taken_in_charge_on": "Prise"},
      "labels": {"admissibility": {"Oui": "recevable"}}})";
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  Actor manager_;
  std::vector<Error> problems_;
};

constexpr char kCsv[] =
    "Date,Recevable,Prise,Close\r\n"
    "05/03/2024,Oui,06/03/2024,20/03/2024\r\n"
    "02/01/2024,Oui,03/01/2024,\r\n"
    "10/12/2024,Oui,11/12/2024,15/01/2025\r\n"
    "08/01/2025,Oui,,\r\n";

TEST_P(CsvImportTest, GeneratedReferencesContinueTheCounterInReceptionOrder) {
  // One case of 2024 already registered in the workspace: 631-2024-00001.
  Case c;
  c.organisme = "631";
  c.received_on = Date::FromCivil(2024, 1, 1);
  Submission sub;
  sub.c = c;
  sub.event.kind = "received";
  sub.event.actor = "system";
  sub.event.at = "2024-01-01T09:00:00Z";
  auto first = store_->SubmitCase(Actor::System(), sub);
  ASSERT_TRUE(first) << ToString(first.error());
  EXPECT_EQ(*first, "631-2024-00001");

  auto r = Import(kCsv, false, manager_);
  ASSERT_TRUE(r) << ToString(r.error()) << Joined(problems_);
  EXPECT_EQ(r->counts.cases, 4);
  EXPECT_EQ(r->generated, 4);
  EXPECT_EQ(r->delimiter, ',');
  EXPECT_EQ(References(), (std::vector<std::string>{"631-2024-00001", "631-2024-00002",
                                                    "631-2024-00003", "631-2024-00004",
                                                    "631-2025-00001"}));
  auto two = store_->GetCase(Actor::System(), "631-2024-00002");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->received_on, Date::FromCivil(2024, 1, 2));  // the earliest first
  // The workspace's next case continues after the import.
  auto next = store_->SubmitCase(Actor::System(), sub);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, "631-2024-00005");
}

TEST_P(CsvImportTest, DryRunWritesNothingAndGivesTheFiguresOfEachYear) {
  auto dry = Import(kCsv, true, manager_);
  ASSERT_TRUE(dry) << ToString(dry.error()) << Joined(problems_);
  EXPECT_TRUE(References().empty());
  ASSERT_EQ(dry->years, (std::vector<std::string>{"2024", "2025"}));
  ASSERT_EQ(dry->figures.size(), 2u);
  EXPECT_EQ(dry->figures[0].received, 3);
  EXPECT_EQ(dry->figures[0].closed, 1);
  EXPECT_EQ(dry->figures[1].received, 1);
  EXPECT_EQ(dry->figures[1].closed, 1);
  // Nothing was reserved either: the import numbers from 00001.
  auto r = Import(kCsv, false, manager_);
  ASSERT_TRUE(r) << Joined(problems_);
  EXPECT_EQ(References().front(), "631-2024-00001");
  for (size_t i = 0; i < 2; ++i) {
    auto after = ComputeFigures(*store_, {"631"}, dry->figures[i].year, Date::FromCivil(2026, 1, 15));
    ASSERT_TRUE(after);
    EXPECT_EQ(FiguresToJson(*after), FiguresToJson(dry->figures[i]));
  }
}

TEST_P(CsvImportTest, OneBadLineWritesNothing) {
  auto r = Import(std::string(kCsv) + "32/01/2024,Oui,,\r\n", false, manager_);
  ASSERT_FALSE(r);
  ASSERT_EQ(problems_.size(), 1u) << Joined(problems_);
  EXPECT_EQ(ToString(problems_[0]),
            "ligne 6 : Date : date illisible « 32/01/2024 » (attendu JJ/MM/AAAA, JJ/MM/AA ou "
            "AAAA-MM-JJ)");
  EXPECT_TRUE(References().empty());
}

TEST_P(CsvImportTest, StoredReferencesAreNamedByTheirColumn) {
  const char* mapping = R"({"columns": {"reference": "N°", "received_on": "Date",
      "admissibility": "Recevable"}, "labels": {"admissibility": {"Oui": "recevable"}}})";
  ASSERT_TRUE(Import("N°;Date;Recevable\nA-1;01/02/2024;Oui\n", false, manager_, mapping))
      << Joined(problems_);
  auto r = Import("N°;Date;Recevable\nA-2;01/02/2024;Oui\nA-1;01/02/2024;Oui\n", false, manager_,
                  mapping);
  ASSERT_FALSE(r);
  ASSERT_EQ(problems_.size(), 1u) << Joined(problems_);
  EXPECT_EQ(ToString(problems_[0]), "ligne 3 : N° : la référence « A-1 » existe déjà");
  EXPECT_EQ(References(), (std::vector<std::string>{"A-1"}));
}

TEST_P(CsvImportTest, OnlyManagersAndAdministratorsOfTheFund) {
  Actor mediator = manager_;
  mediator.role = Role::kMediator;
  auto r = Import(kCsv, false, mediator);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Error::Code::kForbidden);
  // The store refuses on its own too.
  EXPECT_EQ(store_->ImportCases(mediator, std::vector<Case>{}).error().code,
            Error::Code::kForbidden);
  ReferenceCounter* counter = ReferenceCounterOf(*store_);
  ASSERT_NE(counter, nullptr);
  EXPECT_EQ(counter->ReserveReferences(mediator, "631", 2024, 1).error().code,
            Error::Code::kForbidden);
  // A manager of another fund does not see 631.
  Actor other = manager_;
  other.organismes = {"671"};
  auto o = Import(kCsv, false, other);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().message_id, "store.organisme_unknown");
  EXPECT_TRUE(References().empty());
}

TEST_P(CsvImportTest, MappingProblemsComeFirst) {
  auto r = Import(kCsv, false, manager_, R"({"columns": {}})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message_id, "csv.mapping_problems");
  EXPECT_EQ(problems_.size(), 2u) << Joined(problems_);  // received_on, admissibility
}

INSTANTIATE_TEST_SUITE_P(Engines, CsvImportTest, testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace amiable
