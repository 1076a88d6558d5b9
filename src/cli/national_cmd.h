// `amiable report --national` (national_cmd.cc): the national report of
// every fund (report/national.h), written to `output` in `format`.
#ifndef AMIABLE_CLI_NATIONAL_CMD_H_
#define AMIABLE_CLI_NATIONAL_CMD_H_

#include <optional>
#include <string>

#include "cli/commands.h"
#include "core/date.h"
#include "report/report.h"

namespace amiable::cli {

// Exit code as the other commands (Report): 0, or the class of the error.
// A register that cannot be read gives a warning on stderr, not a failure.
int RunNationalReport(Globals& g, int year, report::ReportFormat format, const std::string& output,
                      std::optional<Date> as_of);

}  // namespace amiable::cli

#endif  // AMIABLE_CLI_NATIONAL_CMD_H_
