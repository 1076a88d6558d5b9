// The subcommands of the `amiable` program. Each Register* function adds one
// subcommand (or a group) to the application; its callback stores the exit
// code in Globals::exit_code. Errors are printed as one line on stderr.
#ifndef AMIABLE_CLI_COMMANDS_H_
#define AMIABLE_CLI_COMMANDS_H_

#include <memory>
#include <string>
#include <vector>

#include "calendar/clock.h"
#include "core/date.h"
#include "core/error.h"

namespace CLI {
class App;
}

namespace amiable {
class Store;
struct YearFigures;
}

namespace amiable::cli {

struct Globals {
  std::string db_url;  // --db, else $AMIABLE_DB, else the default file
  int exit_code = 0;
};

// Opens the store named by --db (or the default); prints the error and
// returns nullptr on failure (exit code set).
std::unique_ptr<Store> OpenStore(Globals& g);

// Prints "amiable: <error>" on stderr and returns the exit code of its class:
// 2 bad input, 3 not found, 4 conflict, 5 unavailable, 1 otherwise.
int Report(const Error& e);

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
void RegisterImportExport(CLI::App& app, Globals& g);
void RegisterStats(CLI::App& app, Globals& g);
void RegisterServe(CLI::App& app, Globals& g);
void RegisterToken(CLI::App& app, Globals& g);
void RegisterUser(CLI::App& app, Globals& g);
void RegisterBackup(CLI::App& app, Globals& g);
void RegisterDemo(CLI::App& app, Globals& g);
void RegisterReport(CLI::App& app, Globals& g);
void RegisterAggregate(CLI::App& app, Globals& g);

}  // namespace amiable::cli

#endif  // AMIABLE_CLI_COMMANDS_H_
