#include "intake/interchange.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/messages.h"

namespace amiable {
namespace {

// The example of domain.md §7, on one line.
const std::string kExample =
    R"({"reference":"631-2025-0001","organisme":"631","received_on":"2025-01-06",)"
    R"("channel":"courriel","emitter":"allocataire","allocataire_number":"1234567",)"
    R"("prior_step":"reclamation","prior_step_on":"2024-12-10",)"
    R"("admissibility":"recevable","inadmissibility_reason":null,)"
    R"("taken_in_charge_on":"2025-01-07","answered_on":"2025-01-20","closed_on":"2025-01-21",)"
    R"("motives":["absence_paiement"],"benefits":["logement","rsa"],"cause":"pas_erreur_caf",)"
    R"("household":"isole","activity":"chomeur","quotient_familial":420,)"
    R"("response_modes":["courriel"],"resolution":"revisee","fraud":false,)"
    R"("financial":[{"kind":"rappel","amount_cents":123456}]})";

// kExample with the first occurrence of `from` replaced by `to`.
std::string With(const std::string& from, const std::string& to) {
  std::string s = kExample;
  const size_t p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  if (p != std::string::npos) s.replace(p, from.size(), to);
  return s;
}

std::string Joined(const std::vector<Error>& errors) {
  std::string out;
  for (const Error& e : errors) out += ToString(e) + "\n";
  return out;
}

TEST(ParseCaseLine, ExampleOfTheDomain) {
  auto c = ParseCaseLine(kExample, 1);
  ASSERT_TRUE(c.has_value()) << Joined(c.error());
  EXPECT_EQ(c->reference, "631-2025-0001");
  EXPECT_EQ(c->organisme, "631");
  EXPECT_EQ(c->received_on, Date::FromCivil(2025, 1, 6));
  EXPECT_EQ(c->channel, "courriel");
  EXPECT_EQ(c->allocataire_number, "1234567");
  EXPECT_EQ(c->prior_step_on, Date::FromCivil(2024, 12, 10));
  EXPECT_EQ(c->admissibility, "recevable");
  EXPECT_FALSE(c->inadmissibility_reason.has_value());
  EXPECT_EQ(c->closed_on, Date::FromCivil(2025, 1, 21));
  EXPECT_EQ(c->benefits, (std::vector<std::string>{"logement", "rsa"}));
  EXPECT_EQ(c->quotient_familial, 420);
  EXPECT_EQ(c->fraud, false);
  ASSERT_TRUE(c->financial.has_value());
  ASSERT_EQ(c->financial->size(), 1u);
  EXPECT_EQ((*c->financial)[0].kind, "rappel");
  EXPECT_EQ((*c->financial)[0].amount_cents, 123456);
}

TEST(ParseCaseLine, MinimalLineAndNullsAreAbsent) {
  auto c = ParseCaseLine(
      R"({"reference":"R1","organisme":"974","received_on":"2025-03-01","admissibility":"irrecevable",)"
      R"("channel":null,"motives":null,"benefits":[],"financial":[],"fraud":null,"closed_on":null})",
      7);
  ASSERT_TRUE(c.has_value()) << Joined(c.error());
  EXPECT_FALSE(c->channel.has_value());
  EXPECT_FALSE(c->motives.has_value());
  ASSERT_TRUE(c->benefits.has_value());
  EXPECT_TRUE(c->benefits->empty());
  ASSERT_TRUE(c->financial.has_value());
  EXPECT_TRUE(c->financial->empty());
  EXPECT_FALSE(c->fraud.has_value());
  EXPECT_FALSE(c->closed_on.has_value());
}

TEST(ParseCaseLine, WhitespaceAndEscapesAreAccepted) {
  auto c = ParseCaseLine(
      " { \"reference\" : \"A\\u00e9\\\"b\" , \"organisme\":\"631\", "
      "\"received_on\":\"2025-01-06\","
      " \"admissibility\":\"recevable\" } ",
      1);
  ASSERT_TRUE(c.has_value()) << Joined(c.error());
  EXPECT_EQ(c->reference, "A\xC3\xA9\"b");
}

struct BadLine {
  const char* name;
  std::string line;
  const char* field;    // expected field of the first error
  const char* message;  // a substring of its message
};

class ParseCaseLineBad : public testing::TestWithParam<BadLine> {};

TEST_P(ParseCaseLineBad, ReportsFieldAndReason) {
  const BadLine& t = GetParam();
  auto c = ParseCaseLine(t.line, 12);
  ASSERT_FALSE(c.has_value()) << t.line;
  ASSERT_FALSE(c.error().empty());
  const Error& e = c.error()[0];
  EXPECT_EQ(e.code, Error::Code::kInvalid);
  EXPECT_EQ(e.line, 12);
  EXPECT_EQ(e.field, t.field) << Joined(c.error());
  EXPECT_NE(e.message.find(t.message), std::string::npos) << Joined(c.error());
  // Every reason is a French text of the catalogue, under its key.
  EXPECT_TRUE(e.message_id.starts_with("interchange.")) << e.message_id;
  EXPECT_NE(msg::Find(e.message_id), nullptr) << e.message_id;
}

const BadLine kBadLines[] = {
    {"UnknownKey", With(R"("fraud":false)", R"("fraud":false,"colour":"red")"), "colour",
     "clé inconnue"},
    {"DuplicateKey",
     With(R"("channel":"courriel")", R"("channel":"courriel","channel":"courrier")"), "channel",
     "clé en double"},
    {"UnknownChannel", With(R"("channel":"courriel")", R"("channel":"pigeon")"), "channel",
     "code inconnu « pigeon » pour channel"},
    {"UnknownEmitter", With(R"("emitter":"allocataire")", R"("emitter":"Allocataire")"), "emitter",
     "code inconnu « Allocataire » pour emitter"},
    {"UnknownPriorStep", With(R"("prior_step":"reclamation")", R"("prior_step":"x")"), "prior_step",
     "pour prior_step"},
    {"UnknownAdmissibility", With(R"("admissibility":"recevable")", R"("admissibility":"oui")"),
     "admissibility", "code inconnu « oui » pour admissibility"},
    {"UnknownReason",
     With(R"("inadmissibility_reason":null)", R"("inadmissibility_reason":"flemme")"),
     "inadmissibility_reason", "pour inadmissibility_reason"},
    {"UnknownMotive",
     With(R"("motives":["absence_paiement"])", R"("motives":["absence_paiement","nope"])"),
     "motives[1]", "code inconnu « nope » pour motive"},
    {"UnknownBenefit", With(R"("benefits":["logement","rsa"])", R"("benefits":["apl"])"),
     "benefits[0]", "code inconnu « apl » pour benefit"},
    {"UnknownCause", With(R"("cause":"pas_erreur_caf")", R"("cause":"erreur")"), "cause",
     "pour cause"},
    {"UnknownHousehold", With(R"("household":"isole")", R"("household":"seul")"), "household",
     "pour household"},
    {"UnknownActivity", With(R"("activity":"chomeur")", R"("activity":"retraite")"), "activity",
     "pour activity"},
    {"UnknownResponseMode", With(R"("response_modes":["courriel"])", R"("response_modes":["fax"])"),
     "response_modes[0]", "pour response_mode"},
    {"UnknownResolution", With(R"("resolution":"revisee")", R"("resolution":"ok")"), "resolution",
     "pour resolution"},
    {"UnknownFinancialKind", With(R"("kind":"rappel")", R"("kind":"bonus")"), "financial[0].kind",
     "code inconnu « bonus » pour financial_kind"},
    {"EmptyCode", With(R"("channel":"courriel")", R"("channel":"")"), "channel",
     "code inconnu «  » pour channel"},
    {"DuplicateInList",
     With(R"("benefits":["logement","rsa"])", R"("benefits":["logement","rsa","logement"])"),
     "benefits[2]", "« logement » en double (déjà en benefits[0])"},
    {"BadDateShape", With(R"("received_on":"2025-01-06")", R"("received_on":"06/01/2025")"),
     "received_on", "doit être une date AAAA-MM-JJ"},
    {"BadDateShortMonth", With(R"("answered_on":"2025-01-20")", R"("answered_on":"2025-1-20")"),
     "answered_on", "doit être une date AAAA-MM-JJ"},
    {"ImpossibleDate", With(R"("closed_on":"2025-01-21")", R"("closed_on":"2025-02-30")"),
     "closed_on", "date impossible « 2025-02-30 »"},
    {"NotALeapYear", With(R"("prior_step_on":"2024-12-10")", R"("prior_step_on":"2023-02-29")"),
     "prior_step_on", "date impossible"},
    {"DateAsNumber", With(R"("received_on":"2025-01-06")", R"("received_on":20250106)"),
     "received_on", "doit être une date AAAA-MM-JJ (une chaîne), pas un nombre"},
    {"TakenBeforeReceived",
     With(R"("taken_in_charge_on":"2025-01-07")", R"("taken_in_charge_on":"2025-01-05")"),
     "taken_in_charge_on", "antérieure à received_on (2025-01-06)"},
    {"PriorStepAfterReceived",
     With(R"("prior_step_on":"2024-12-10")", R"("prior_step_on":"2025-01-07")"), "prior_step_on",
     "postérieure à received_on (2025-01-06)"},
    {"ClosedBeforeAnswered", With(R"("closed_on":"2025-01-21")", R"("closed_on":"2025-01-19")"),
     "closed_on", "antérieure à answered_on (2025-01-20)"},
    {"AnsweredBeforeTaken", With(R"("answered_on":"2025-01-20")", R"("answered_on":"2025-01-06")"),
     "answered_on", "antérieure à taken_in_charge_on (2025-01-07)"},
    {"MissingReference", With(R"("reference":"631-2025-0001",)", ""), "reference",
     "absent (obligatoire)"},
    {"NullOrganisme", With(R"("organisme":"631")", R"("organisme":null)"), "organisme",
     "absent (obligatoire)"},
    {"MissingReceivedOn", With(R"("received_on":"2025-01-06",)", ""), "received_on",
     "absent (obligatoire)"},
    {"MissingAdmissibility", With(R"("admissibility":"recevable",)", ""), "admissibility",
     "absent (obligatoire)"},
    {"EmptyReference", With(R"("reference":"631-2025-0001")", R"("reference":"")"), "reference",
     "ne peut pas être vide"},
    {"ReferenceWithNewline", With(R"("reference":"631-2025-0001")", R"("reference":"a\nb")"),
     "reference", "caractère de contrôle"},
    {"ReferenceAsNumber", With(R"("reference":"631-2025-0001")", R"("reference":12)"), "reference",
     "doit être une chaîne, pas un nombre"},
    {"OrganismeNotThreeDigits", With(R"("organisme":"631")", R"("organisme":"63A")"), "organisme",
     "doit être un code à 3 chiffres"},
    {"OrganismeAsNumber", With(R"("organisme":"631")", R"("organisme":631)"), "organisme",
     "doit être une chaîne, pas un nombre"},
    {"AllocataireShort",
     With(R"("allocataire_number":"1234567")", R"("allocataire_number":"123456")"),
     "allocataire_number", "doit compter 7 chiffres"},
    {"AllocataireLetters",
     With(R"("allocataire_number":"1234567")", R"("allocataire_number":"12345a7")"),
     "allocataire_number", "doit compter 7 chiffres"},
    {"AllocataireAsNumber",
     With(R"("allocataire_number":"1234567")", R"("allocataire_number":1234567)"),
     "allocataire_number", "doit être une chaîne, pas un nombre"},
    {"NegativeQf", With(R"("quotient_familial":420)", R"("quotient_familial":-1)"),
     "quotient_familial", "doit être positif ou nul (reçu -1)"},
    {"FractionalQf", With(R"("quotient_familial":420)", R"("quotient_familial":420.5)"),
     "quotient_familial", "doit être un nombre entier (reçu 420.5)"},
    {"QfWithExponent", With(R"("quotient_familial":420)", R"("quotient_familial":4.2e2)"),
     "quotient_familial", "doit être un nombre entier"},
    {"QfAsString", With(R"("quotient_familial":420)", R"("quotient_familial":"420")"),
     "quotient_familial", "doit être un nombre entier, pas une chaîne"},
    {"QfTooLarge",
     With(R"("quotient_familial":420)", R"("quotient_familial":18446744073709551615)"),
     "quotient_familial", "nombre trop grand"},
    {"FraudAsString", With(R"("fraud":false)", R"("fraud":"non")"), "fraud",
     "doit valoir true ou false, pas une chaîne"},
    {"FraudAsNumber", With(R"("fraud":false)", R"("fraud":0)"), "fraud",
     "doit valoir true ou false, pas un nombre"},
    {"MotivesNotAList",
     With(R"("motives":["absence_paiement"])", R"("motives":"absence_paiement")"), "motives",
     "doit être une liste de codes, pas une chaîne"},
    {"MotiveNull", With(R"("motives":["absence_paiement"])", R"("motives":[null])"), "motives[0]",
     "doit être un code (une chaîne), pas null"},
    {"MotiveNested", With(R"("motives":["absence_paiement"])", R"("motives":[["x"]])"),
     "motives[0]", "pas une liste"},
    {"ChannelAsList", With(R"("channel":"courriel")", R"("channel":["courriel"])"), "channel",
     "doit être un code (une chaîne), pas une liste"},
    {"ChannelAsObject", With(R"("channel":"courriel")", R"("channel":{"a":1})"), "channel",
     "pas un objet"},
    {"FinancialNotAList",
     With(R"("financial":[{"kind":"rappel","amount_cents":123456}])",
          R"("financial":{"kind":"rappel","amount_cents":1})"),
     "financial", "doit être une liste d'objets {kind, amount_cents}, pas un objet"},
    {"FinancialLineNotObject", With(R"([{"kind":"rappel","amount_cents":123456}])", R"([12])"),
     "financial[0]", "pas un nombre"},
    {"FinancialMissingAmount",
     With(R"({"kind":"rappel","amount_cents":123456})",
          R"({"kind":"rappel","amount_cents":1},{"kind":"rappel"})"),
     "financial[1].amount_cents", "absent (obligatoire)"},
    {"FinancialNullKind", With(R"("kind":"rappel")", R"("kind":null)"), "financial[0].kind",
     "absent (obligatoire)"},
    {"FinancialNegative", With(R"("amount_cents":123456)", R"("amount_cents":-5)"),
     "financial[0].amount_cents", "doit être positif ou nul"},
    {"FinancialEuros", With(R"("amount_cents":123456)", R"("amount_cents":1234.56)"),
     "financial[0].amount_cents", "doit être un nombre entier (reçu 1234.56)"},
    {"FinancialAmountAsString", With(R"("amount_cents":123456)", R"("amount_cents":"12")"),
     "financial[0].amount_cents", "doit être un nombre entier, pas une chaîne"},
    {"FinancialExtraKey", With(R"("amount_cents":123456)", R"("amount_cents":123456,"label":"x")"),
     "financial[0].label", "clé inconnue"},
    {"InvalidJsonTruncated", kExample.substr(0, 80), "", "JSON invalide à l'octet"},
    {"InvalidJsonTrailingComma", With(R"("fraud":false)", R"("fraud":false,)"), "",
     "JSON invalide"},
    {"InvalidJsonSingleQuotes", "{'reference':'x'}", "", "JSON invalide"},
    {"InvalidJsonTrailingGarbage", kExample + " x", "", "JSON invalide"},
    {"EmptyLine", "", "", "JSON invalide"},
    {"NotAnObjectList", R"(["631-2025-0001"])", "", "doit être un objet JSON, pas une liste"},
    {"NotAnObjectNumber", "42", "", "doit être un objet JSON, pas un nombre"},
    {"NotAnObjectString", R"("x")", "", "doit être un objet JSON, pas une chaîne"},
    {"InvalidUtf8", With("631-2025-0001", "631-\xff-0001"), "", "UTF-8 invalide à l'octet 19"},
    {"InvalidUtf8Overlong", With("courriel", "courr\xC0\xA9iel"), "", "UTF-8 invalide"},
    {"InvalidUtf8Surrogate", With("courriel", "courr\xED\xA0\x80iel"), "", "UTF-8 invalide"},
    {"InvalidUtf8Truncated", kExample.substr(0, kExample.size() - 2) + "\xC3", "",
     "UTF-8 invalide"},
};

INSTANTIATE_TEST_SUITE_P(Malformed, ParseCaseLineBad, testing::ValuesIn(kBadLines),
                         [](const testing::TestParamInfo<BadLine>& i) { return i.param.name; });

TEST(ParseCaseLine, ReportsEveryProblemOfALine) {
  const std::string line =
      R"({"reference":"","organisme":"6310","received_on":"2025-13-01","channel":"x",)"
      R"("motives":["absence_paiement","absence_paiement",3],"colour":1,"fraud":1,)"
      R"("financial":[{"kind":"x","amount_cents":-1,"y":2}]})";
  auto c = ParseCaseLine(line, 3);
  ASSERT_FALSE(c.has_value());
  std::vector<std::string> got;
  for (const Error& e : c.error()) {
    EXPECT_EQ(e.line, 3);
    got.push_back(e.field);
  }
  const std::vector<std::string> want = {"reference",
                                         "organisme",
                                         "received_on",
                                         "channel",
                                         "motives[1]",
                                         "motives[2]",
                                         "colour",
                                         "fraud",
                                         "financial[0].kind",
                                         "financial[0].amount_cents",
                                         "financial[0].y",
                                         "admissibility"};
  EXPECT_EQ(got, want) << Joined(c.error());
}

TEST(ParseCaseLine, ErrorTextHasLineFieldReason) {
  auto c = ParseCaseLine(With(R"("channel":"courriel")", R"("channel":"xyz")"), 4);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(ToString(c.error()[0]), "ligne 4 : channel : code inconnu « xyz » pour channel");
}

TEST(ParseCaseLine, LongValuesAreCutInMessages) {
  const std::string value(500, 'z');
  auto c = ParseCaseLine(With(R"("channel":"courriel")", "\"channel\":\"" + value + "\""), 1);
  ASSERT_FALSE(c.has_value());
  EXPECT_LT(c.error()[0].message.size(), 100u);
}

TEST(ParseCaseLine, ControlCharactersInKeysAndValuesAreEscapedInMessages) {
  auto c = ParseCaseLine(With(R"("fraud":false)", R"("fraud":false,"a\nb":1)"), 1);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error()[0].field, "a\\x0ab");
  c = ParseCaseLine(With(R"("channel":"courriel")", R"("channel":"x\ty")"), 1);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error()[0].message, "code inconnu « x\\x09y » pour channel");
}

TEST(ParseCaseLine, LongUtf8ValuesAreCutOnACharacterBoundary) {
  std::string value;
  for (int i = 0; i < 30; ++i) value += "\xC3\xA9";  // é, 2 bytes each
  auto c = ParseCaseLine(With(R"("channel":"courriel")", "\"channel\":\"" + value + "\""), 1);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error()[0].message, "code inconnu « " + value.substr(0, 40) + "… » pour channel");
}

TEST(ParseCaseLine, DatesOnTheSameDayAreInOrder) {
  auto c = ParseCaseLine(
      R"({"reference":"R","organisme":"631","received_on":"2025-01-06","prior_step_on":"2025-01-06",)"
      R"("admissibility":"recevable","taken_in_charge_on":"2025-01-06","answered_on":"2025-01-06",)"
      R"("closed_on":"2025-01-06"})",
      1);
  EXPECT_TRUE(c.has_value());
}

TEST(SerializeCase, CanonicalCompactLine) {
  auto c = ParseCaseLine(kExample, 1);
  ASSERT_TRUE(c.has_value());
  std::string want = kExample;
  const std::string null_reason = R"("inadmissibility_reason":null,)";
  want.erase(want.find(null_reason), null_reason.size());
  EXPECT_EQ(SerializeCase(*c), want);
}

TEST(SerializeCase, KeyOrderIsCanonicalWhateverTheInput) {
  auto c = ParseCaseLine(
      R"({"fraud":true,"benefits":[],"admissibility":"irrecevable","received_on":"2025-02-03",)"
      R"("organisme":"974","reference":"974-1","inadmissibility_reason":"envoi_pieces"})",
      1);
  ASSERT_TRUE(c.has_value()) << Joined(c.error());
  EXPECT_EQ(SerializeCase(*c),
            R"({"reference":"974-1","organisme":"974","received_on":"2025-02-03",)"
            R"("admissibility":"irrecevable","inadmissibility_reason":"envoi_pieces",)"
            R"("benefits":[],"fraud":true})");
}

TEST(SerializeCase, EscapesOnlyWhatJsonRequires) {
  Case c;
  c.reference = "Réf \"1\"\\\t\x01";
  c.organisme = "631";
  c.received_on = Date::FromCivil(2025, 1, 6);
  c.admissibility = "recevable";
  const std::string line = SerializeCase(c);
  EXPECT_EQ(line,
            R"({"reference":"Réf \"1\"\\\t\u0001","organisme":"631","received_on":"2025-01-06",)"
            R"("admissibility":"recevable"})");
}

TEST(SerializeCase, InvalidUtf8IsReplaced) {
  Case c;
  c.reference =
      "a\xff"
      "b";
  c.organisme = "631";
  c.admissibility = "recevable";
  EXPECT_NE(SerializeCase(c).find("a\xEF\xBF\xBD"
                                  "b"),
            std::string::npos);
}

TEST(ParseCaseStream, CrlfBomBlankLinesAndLineNumbers) {
  std::string a = kExample;
  std::string b = With("631-2025-0001", "631-2025-0002");
  std::string bad = With(R"("channel":"courriel")", R"("channel":"xyz")");
  bad.replace(bad.find("631-2025-0001"), 13, "631-2025-0003");
  std::istringstream in("\xEF\xBB\xBF" + a + "\r\n\r\n   \n" + b + "\r\n" + bad + "\n");
  ParsedFile f = ParseCaseStream(in);
  ASSERT_EQ(f.cases.size(), 2u);
  EXPECT_EQ(f.lines, (std::vector<int>{1, 4}));
  EXPECT_EQ(f.cases[0].reference, "631-2025-0001");
  ASSERT_EQ(f.errors.size(), 1u);
  EXPECT_EQ(ToString(f.errors[0]), "ligne 5 : channel : code inconnu « xyz » pour channel");
}

TEST(ParseCaseStream, DuplicateReferenceNamesTheEarlierLine) {
  std::istringstream in(kExample + "\n" + With("631-2025-0001", "631-2025-0002") + "\n" + kExample +
                        "\n");
  ParsedFile f = ParseCaseStream(in);
  EXPECT_EQ(f.cases.size(), 2u);
  ASSERT_EQ(f.errors.size(), 1u);
  EXPECT_EQ(ToString(f.errors[0]),
            "ligne 3 : reference : référence « 631-2025-0001 » en double (déjà ligne 1)");
}

TEST(ParseCaseStream, DuplicateReferenceOfAnInvalidLineIsStillReported) {
  std::istringstream in(With(R"("channel":"courriel")", R"("channel":"xyz")") + "\n" + kExample);
  ParsedFile f = ParseCaseStream(in);
  ASSERT_EQ(f.errors.size(), 2u);
  EXPECT_EQ(f.errors[0].line, 1);
  EXPECT_EQ(f.errors[1].line, 2);
  EXPECT_EQ(f.errors[1].field, "reference");
}

// Files concatenated from several exports carry a mark on each part.
TEST(ParseCaseStream, ByteOrderMarkOnALaterLineIsIgnored) {
  std::istringstream in(kExample + "\n\xEF\xBB\xBF" + With("631-2025-0001", "X"));
  ParsedFile f = ParseCaseStream(in);
  EXPECT_TRUE(f.errors.empty()) << Joined(f.errors);
  EXPECT_EQ(f.cases.size(), 2u);
}

TEST(ParseCaseStream, LineTooLong) {
  std::istringstream in(std::string(kMaxLineBytes + 1, ' ') + "x\n" + kExample);
  ParsedFile f = ParseCaseStream(in);
  ASSERT_EQ(f.errors.size(), 1u);
  EXPECT_EQ(f.errors[0].line, 1);
  EXPECT_NE(f.errors[0].message.find("ligne trop longue"), std::string::npos);
  EXPECT_EQ(f.errors[0].message_id, "interchange.line_too_long");
  EXPECT_EQ(f.cases.size(), 1u);
}

TEST(ParseCaseStream, EmptyInput) {
  std::istringstream in("");
  ParsedFile f = ParseCaseStream(in);
  EXPECT_TRUE(f.cases.empty());
  EXPECT_TRUE(f.errors.empty());
}

TEST(Fixture, ParsesWithoutErrorAndRoundTrips) {
  std::ifstream in(std::string(AMIABLE_SOURCE_DIR) + "/tests/fixtures/examples/cases-small.jsonl");
  ASSERT_TRUE(in.good());
  ParsedFile f = ParseCaseStream(in);
  EXPECT_TRUE(f.errors.empty()) << Joined(f.errors);
  EXPECT_EQ(f.cases.size(), 50u);
  for (size_t i = 0; i < f.cases.size(); ++i) {
    const std::string line = SerializeCase(f.cases[i]);
    auto again = ParseCaseLine(line, f.lines[i]);
    ASSERT_TRUE(again.has_value()) << line << "\n" << Joined(again.error());
    EXPECT_TRUE(SameInterchangeFields(f.cases[i], *again)) << line;
    EXPECT_EQ(SerializeCase(*again), line);
  }
}

// Both readers (the fast scanner and nlohmann's parser) must agree on every
// line, valid or not, and a line is refused as JSON exactly when nlohmann
// refuses it. Mutations of real lines exercise the edges of the grammar.
TEST(ParseCaseLine, FastScannerAgreesWithNlohmann) {
  std::vector<std::string> seeds = {kExample};
  {
    std::ifstream in(std::string(AMIABLE_SOURCE_DIR) +
                     "/tests/fixtures/examples/cases-small.jsonl");
    std::string l;
    while (std::getline(in, l)) seeds.push_back(l);
  }
  const std::vector<std::string> inserts = {"\"",       "{",
                                            "}",        "[",
                                            "]",        ",",
                                            ":",        "\\",
                                            " ",        "0",
                                            "1",        "-",
                                            ".",        "e",
                                            "E",        "+",
                                            "t",        "f",
                                            "n",        "null",
                                            "true",     "\t",
                                            "\n",       "\x01",
                                            "\xC3\xA9", "\\u00e9",
                                            "\\n",      "00",
                                            "1e2",      "9999999999999999999",
                                            "-0",       "\xEF\xBB\xBF",
                                            "[]",       "{}",
                                            ",\"x\":1", "1.5"};
  std::mt19937 rng(20250106);
  auto outcome = [](const std::expected<Case, std::vector<Error>>& r) {
    return r ? "ok " + SerializeCase(*r) : "errors " + Joined(r.error());
  };
  int refused = 0;
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0:
          s.erase(at, 1 + rng() % 3);
          break;
        case 1:
          s.insert(at, inserts[rng() % inserts.size()]);
          break;
        default:
          s[at] = inserts[rng() % inserts.size()][0];
      }
    }
    const auto fast = ParseCaseLine(s, 1);
    const auto reference = ParseCaseLineReference(s, 1);
    ASSERT_EQ(outcome(fast), outcome(reference)) << s;
    const bool utf8_error = !fast && fast.error()[0].message.starts_with("UTF-8 invalide");
    if (utf8_error) continue;
    const bool json_error = !fast && fast.error()[0].message.starts_with("JSON invalide");
    ASSERT_EQ(json_error, !nlohmann::json::accept(s)) << s;
    (fast ? accepted : refused)++;
  }
  EXPECT_GT(accepted, 100);
  EXPECT_GT(refused, 100);
}

// ---------------------------------------------------------------------------
// internal_requests (domain.md §7).

std::string WithRequests(const std::string& list) {
  std::string s = kExample;
  s.insert(s.size() - 1, R"(,"internal_requests":)" + list);
  return s;
}

TEST(ParseCaseLine, InternalRequestsAreRead) {
  auto c = ParseCaseLine(
      WithRequests(R"([{"sent_on":"2025-01-08","answered_on":"2025-01-13"},)"
                   R"({"answered_on":null,"sent_on":"2025-01-09"},{"sent_on":"2025-01-10"}])"),
      1);
  ASSERT_TRUE(c) << Joined(c.error());
  ASSERT_TRUE(c->internal_requests.has_value());
  ASSERT_EQ(c->internal_requests->size(), 3u);
  EXPECT_EQ((*c->internal_requests)[0],
            (InternalRequestDates{Date::FromCivil(2025, 1, 8), Date::FromCivil(2025, 1, 13)}));
  EXPECT_EQ((*c->internal_requests)[1].sent_on, Date::FromCivil(2025, 1, 9));
  EXPECT_FALSE((*c->internal_requests)[1].answered_on.has_value());
  EXPECT_FALSE((*c->internal_requests)[2].answered_on.has_value());
  // The line of domain.md §7, with the key, and an older line without it.
  EXPECT_FALSE(ParseCaseLine(kExample, 1)->internal_requests.has_value());
}

TEST(ParseCaseLine, NoInternalRequestsIsOneValue) {
  for (const char* none : {"null", "[]"}) {
    auto c = ParseCaseLine(WithRequests(none), 1);
    ASSERT_TRUE(c) << none << Joined(c.error());
    EXPECT_FALSE(c->internal_requests.has_value()) << none;
    EXPECT_EQ(SerializeCase(*c), SerializeCase(*ParseCaseLine(kExample, 1))) << none;
  }
}

TEST(ParseCaseLine, InternalRequestProblems) {
  struct Bad {
    std::string list;
    std::string want;
  };
  const Bad cases[] = {
      {R"([{"sent_on":"2025-01-05"}])",
       "ligne 4 : internal_requests[0].sent_on : antérieure à received_on (2025-01-06)"},
      {R"([{"sent_on":"2025-01-08","answered_on":"2025-01-07"}])",
       "ligne 4 : internal_requests[0].answered_on : antérieure à internal_requests[0].sent_on "
       "(2025-01-08)"},
      {R"([{"answered_on":"2025-01-07"}])", "ligne 4 : internal_requests[0].sent_on : absent (obligatoire)"},
      {R"([{"sent_on":null}])", "ligne 4 : internal_requests[0].sent_on : absent (obligatoire)"},
      {R"([{"sent_on":"2025-01-08","asked":"x"}])", "ligne 4 : internal_requests[0].asked : clé inconnue"},
      {R"([{"sent_on":"2025-01-08","sent_on":"2025-01-09"}])",
       "ligne 4 : internal_requests[0].sent_on : clé en double"},
      {R"([{"sent_on":"08/01/2025"}])",
       "ligne 4 : internal_requests[0].sent_on : doit être une date AAAA-MM-JJ (reçu « 08/01/2025 »)"},
      {R"([{"sent_on":"2025-02-30"}])",
       "ligne 4 : internal_requests[0].sent_on : date impossible « 2025-02-30 »"},
      {R"([{"sent_on":20250108}])",
       "ligne 4 : internal_requests[0].sent_on : doit être une date AAAA-MM-JJ (une chaîne), pas un "
       "nombre"},
      {R"(["2025-01-08"])",
       "ligne 4 : internal_requests[0] : doit être une liste d'objets {sent_on, answered_on}, pas une "
       "chaîne"},
      {R"({"sent_on":"2025-01-08"})",
       "ligne 4 : internal_requests : doit être une liste d'objets {sent_on, answered_on}, pas un "
       "objet"},
      {R"("2025-01-08")",
       "ligne 4 : internal_requests : doit être une liste d'objets {sent_on, answered_on}, pas une "
       "chaîne"},
  };
  for (const Bad& b : cases) {
    for (bool fast : {true, false}) {
      const std::string line = WithRequests(b.list);
      auto c = fast ? ParseCaseLine(line, 4) : ParseCaseLineReference(line, 4);
      ASSERT_FALSE(c) << b.list;
      ASSERT_EQ(c.error().size(), 1u) << b.list << "\n" << Joined(c.error());
      EXPECT_EQ(ToString(c.error()[0]), b.want) << b.list;
    }
  }
}

TEST(SerializeCase, InternalRequestsRoundTrip) {
  auto c = ParseCaseLine(kExample, 1);
  ASSERT_TRUE(c);
  c->internal_requests = std::vector<InternalRequestDates>{
      {Date::FromCivil(2025, 1, 8), Date::FromCivil(2025, 1, 13)},
      {Date::FromCivil(2025, 1, 9), std::nullopt}};
  const std::string line = SerializeCase(*c);
  EXPECT_NE(line.find(R"(,"internal_requests":[{"sent_on":"2025-01-08","answered_on":"2025-01-13"},)"
                      R"({"sent_on":"2025-01-09","answered_on":null}]})"),
            std::string::npos)
      << line;
  auto back = ParseCaseLine(line, 1);
  ASSERT_TRUE(back) << Joined(back.error());
  EXPECT_TRUE(SameInterchangeFields(*c, *back));
  EXPECT_EQ(SerializeCase(*back), line);
  back->internal_requests->pop_back();
  EXPECT_FALSE(SameInterchangeFields(*c, *back));
}

}  // namespace
}  // namespace amiable
