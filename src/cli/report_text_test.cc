// The command line speaks French: its own errors come from the catalogue,
// errors of parts not yet keyed lead with the French sentence of their class,
// CLI11's syntax errors are reworded, and its actor is cli:<unix user>.
#include <gtest/gtest.h>

#include "cli/commands.h"
#include "core/messages.h"

namespace amiable::cli {
namespace {

TEST(CliReportTextTest, KeyedErrorKeepsTheLineFieldReasonShape) {
  Error e = msg::Invalid("interchange.code_unknown", "channel", {"« pigeon »", "channel"});
  e.line = 3;
  EXPECT_EQ(ReportText(e), "ligne 3 : channel : code inconnu « pigeon » pour channel");
  EXPECT_EQ(ReportText(msg::Invalid("cli.date", "--as-of", {"2025-02-30"})),
            "--as-of : date invalide « 2025-02-30 » (attendu AAAA-MM-JJ)");
}

TEST(CliReportTextTest, UnkeyedErrorLeadsInFrench) {
  EXPECT_EQ(ReportText(Error::Invalid("year out of range", "year")),
            "year : Valeur refusée. Détail : year out of range");
  EXPECT_EQ(ReportText(Error::NotFound("")), "Élément introuvable ou inaccessible.");
}

TEST(CliReportTextTest, StoreNotFoundBecomesAFrenchUnknownName) {
  Error e = OrganismeError(Error::NotFound("unknown organisme '999'"), "999", "--organisme");
  EXPECT_EQ(e.code, Error::Code::kNotFound);
  EXPECT_EQ(e.message_id, "cli.organisme_unknown");
  EXPECT_EQ(ReportText(e), "--organisme : organisme inconnu « 999 »");
  Error other = OrganismeError(Error::Unavailable("down"), "999", "--organisme");
  EXPECT_EQ(other.code, Error::Code::kUnavailable);
  EXPECT_EQ(ReportText(UserError(Error::NotFound("no user 'x'"), "x", "--user")),
            "--user : compte inconnu « x »");
}

TEST(CliReportTextTest, MultilineDetailsStayOnOneLine) {
  EXPECT_EQ(ReportText(Error::Unavailable("connection refused\n\tretry")),
            "Service momentanément indisponible. Réessayez plus tard. Détail : connection "
            "refused  retry");
}

TEST(CliUsageTextTest, SyntaxErrorsOfCli11InFrench) {
  EXPECT_EQ(UsageText("RequiredError", "--year is required"),
            "option ou argument obligatoire absent : --year (amiable --help pour l'aide)");
  EXPECT_EQ(UsageText("RequiredError", "FILE is required"),
            "option ou argument obligatoire absent : FILE (amiable --help pour l'aide)");
  EXPECT_EQ(UsageText("RequiredError", "A subcommand is required"),
            "indiquez une sous-commande (amiable --help pour l'aide)");
  EXPECT_EQ(UsageText("ExtrasError", "The following argument was not expected: --colour"),
            "argument inattendu : --colour (amiable --help pour l'aide)");
  EXPECT_EQ(UsageText("ExtrasError", "The following arguments were not expected: a b"),
            "argument inattendu : a, b (amiable --help pour l'aide)");
  EXPECT_EQ(UsageText("ConversionError", "The value abc is not an allowed value for --id"),
            "valeur refusée pour --id (amiable --help pour l'aide)");
  EXPECT_EQ(UsageText("ArgumentMismatch", "Expected exactly 1 arguments to --year, got 0"),
            "nombre de valeurs incorrect pour --year (amiable --help pour l'aide)");
}

TEST(CliCallerTest, ActsAsCliUnixUser) {
  const service::Caller c = CliCaller();
  EXPECT_TRUE(c.system);
  EXPECT_TRUE(c.name().starts_with("cli:")) << c.name();
  EXPECT_EQ(c.actor.user, c.name());
  EXPECT_EQ(AuditScope({"631", "974"}, 2025), "631,974 2025");
  EXPECT_EQ(AuditScope({}, 2025), "tous organismes 2025");
}

}  // namespace
}  // namespace amiable::cli
