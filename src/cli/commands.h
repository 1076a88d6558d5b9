// The subcommands of the `amiable` program. Each Register* function adds one
// subcommand (or a group) to the application; its callback stores the exit
// code in Globals::exit_code. Errors are printed as one line on stderr, in
// French, from the message catalogue (core/messages.h, keys "cli.*").
//
// Commands that read or write cases act as the named system actor
// CliCaller() ("cli:<unix user>", service/caller.h): store calls take its
// actor, use cases the case service offers go through the service, and what
// a command does is in the audit log under that name.
#ifndef AMIABLE_CLI_COMMANDS_H_
#define AMIABLE_CLI_COMMANDS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calendar/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "service/caller.h"

namespace CLI {
class App;
}

namespace amiable {
class Store;
struct Actor;
struct MailboxSettings;
namespace mail {
class ImapClient;
}
struct YearFigures;
}  // namespace amiable

namespace amiable::cli {

struct Globals {
  std::string db_url;  // --db, else $AMIABLE_DB, else the default file
  int exit_code = 0;
};

// Opens the store named by --db (or the default); prints the error and
// returns nullptr on failure (exit code set).
std::unique_ptr<Store> OpenStore(Globals& g);

// Who the command line acts as: Caller::Cli(UnixUserName()).
service::Caller CliCaller();

// The object of an audit row about figures or a report: "631,974 2025", or
// "tous organismes 2025" when `organismes` is empty.
std::string AuditScope(const std::vector<std::string>& organismes, int year);

// Prints "amiable: <error>" on stderr and returns the exit code of its class:
// 2 bad input, 3 not found, 4 conflict, 5 unavailable, 1 otherwise. An error
// without a catalogue key (from a part not yet keyed) is shown as the French
// sentence of its class followed by its own text ("Détail : ...").
int Report(const Error& e);

// The French text, for the command line, of an error of another part:
// ReportText(e) is what Report prints after "amiable: ".
std::string ReportText(const Error& e);

// An error of the store reading organisme `code` or user `name`, told in
// French (the store words its own in English): not found becomes
// cli.organisme_unknown / cli.user_unknown on `field`.
Error OrganismeError(const Error& e, std::string_view code, std::string field);
Error UserError(const Error& e, std::string_view name, std::string field);

// The French one-line reason for a command-line syntax error of CLI11 of
// class `cli11_class` ("RequiredError", "ExtrasError"...), with the options
// its English text `cli11_what` names (main.cc prints it).
std::string UsageText(std::string_view cli11_class, std::string_view cli11_what);

// The --year of a report command: a year the calendar covers (after its
// first); kInvalid "cli.year" on "--year" otherwise.
Result<int> ParseYear(const std::string& s);

// `amiable aggregate set` (cli/meteo_cmd.cc), added to the aggregate group.
void AddAggregateSet(CLI::App* aggregate, Globals& g);

// "Today" for a command about the funds `organismes`: by `clock` (commands
// pass SystemClock()), in the zone those funds share as `store` knows them;
// in metropolitan France when `store` is null, the list is empty (every fund),
// the funds lie in different zones or cannot be read.
Date TodayForFunds(const Clock& clock, Store* store, const std::vector<std::string>& organismes);

// The French summary `amiable stats` prints (without --json), numbers in the
// formats of core/french_format.h.
std::string StatsSummary(const YearFigures& f);

void RegisterCalendar(CLI::App& app, Globals& g);
void RegisterOrganisme(CLI::App& app, Globals& g);
// `organisme service add|list` under the `organisme` command (internal_cmd.cc).
void RegisterOrganismeServices(CLI::App* organisme, Globals& g);
void RegisterImportExport(CLI::App& app, Globals& g);
void RegisterStats(CLI::App& app, Globals& g);
void RegisterServe(CLI::App& app, Globals& g);
void RegisterToken(CLI::App& app, Globals& g);
void RegisterUser(CLI::App& app, Globals& g);
// `user list|passwd|disable|enable|set` (user_account_cmd.cc), under `user`.
void RegisterUserAccount(CLI::App* user, Globals& g);
// A password read from stdin (one line; with `from_stdin`, or whenever stdin
// is not a terminal), else asked twice on the terminal without echo.
Result<std::string> ReadPassword(bool from_stdin);
void RegisterBackup(CLI::App& app, Globals& g);
void RegisterDemo(CLI::App& app, Globals& g);
void RegisterReport(CLI::App& app, Globals& g);
void RegisterAggregate(CLI::App& app, Globals& g);
// Moves the report files of an earlier version (report::DefaultReportDir of
// the database: texts and aggregates) into the database once, then renames
// the directory *.imported (report/report_store.h ImportReportFiles), as
// CliCaller(); says what it did on stderr. No directory: nothing, not even
// a store opened (`store` null: opened here when needed). `report`,
// `aggregate` and `serve` call it before they read the report's data.
Status ImportLegacyReportFiles(Globals& g, Store* store);
// The demonstration's report data (demo_report.cc): the published national
// figures of 2024 and 2025 typed, fund 631's context figures of 2025, four
// register items followed up; written once (nothing when some exist).
Status SeedDemoReportData(Store& store, const Actor& actor, Date today);
// `amiable context set|show` (cli/meteo_cmd.cc).
void RegisterContext(CLI::App& app, Globals& g);
// `settings list|get|set` (settings_cmd.cc): the deployment's settings.
void RegisterSettings(CLI::App& app, Globals& g);
void RegisterMail(CLI::App& app, Globals& g);
// `privacy ...` and `organisme set` (privacy_cmd.cc).
void RegisterPrivacy(CLI::App& app, Globals& g);
void RegisterOrganismeSet(CLI::App* organisme, Globals& g);
// `register list|add|follow-up|themes` (register_cmd.cc).
void RegisterRegister(CLI::App& app, Globals& g);

// The outgoing-mail settings shared by `serve` and `mail send`, each also
// read from the environment (AMIABLE_SMTP_URL, AMIABLE_MAIL_FROM, ...; the
// SMTP password only from AMIABLE_SMTP_PASSWORD, never from the command
// line). See docs/operations.md.
struct MailSettings {
  std::string smtp_url;
  std::string smtp_user;
  std::string from;
  int max_attempts = 8;
  int retry_seconds = 60;
  int interval_seconds = 10;
};
void AddMailOptions(CLI::App* cmd, MailSettings& s);
// The error of settings that cannot send (no URL, no From, bad URL), or none.
std::optional<Error> MailSettingsError(const MailSettings& s);

// `mail fetch`, `mail import`, `mail quarantine` (mail_intake_cmd.cc), added
// to the `mail` command.
void RegisterMailIntake(CLI::App* mail_cmd, Globals& g);
// An IMAP connection to a fund's mailbox, the password read from the file or
// the environment variable its settings name.
Result<std::unique_ptr<mail::ImapClient>> OpenMailbox(const MailboxSettings& box);

}  // namespace amiable::cli

#endif  // AMIABLE_CLI_COMMANDS_H_
