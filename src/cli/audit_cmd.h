// The audit trail's commands and the private files of the command line
// (issue 9, part 5). Kept apart from commands.h so that a change here
// rebuilds only the commands that use it.
#ifndef AMIABLE_CLI_AUDIT_CMD_H_
#define AMIABLE_CLI_AUDIT_CMD_H_

#include <cstdio>
#include <memory>
#include <string>

#include "calendar/clock.h"
#include "cli/commands.h"
#include "core/error.h"

namespace amiable::cli {

// `audit verify|prune|export|term` (audit_cmd.cc).
void RegisterAudit(CLI::App& app, Globals& g);

// Creates (or truncates) `path` for writing with mode 0600, whatever the
// umask and the mode of an existing file: backups, exports, reports and
// audit exports hold personal data. kInvalid (cli.cannot_write) when it
// cannot be created.
Result<std::FILE*> CreatePrivateFile(const std::string& path);

// `serve --audit-retention-months N`: a thread that, at start and then every
// 24 hours, verifies the trail and removes the rows older than N months
// (behind a checkpoint); nothing is removed from a trail that is not intact
// (logged on stderr). Stops on destruction.
class AuditPruner {
 public:
  AuditPruner(std::string url, const Clock& clock, int months);
  ~AuditPruner();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace amiable::cli

#endif  // AMIABLE_CLI_AUDIT_CMD_H_
