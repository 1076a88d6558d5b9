// Retention and data-subject rights (issue 9, part 6):
//   - the retention period of a fund (`organisme set --retention-years`);
//   - anonymising its closed cases older than that: personal data removed,
//     every field a figure reads kept, so that every figure of every year
//     stays exactly the same (one transaction per case; the stored files
//     deleted after each commit, a re-run finishing what a crash left);
//   - purging the anonymised cases, after freezing each fund's figures of
//     the years they count in (figures/frozen.h: served frozen from then on);
//   - a beneficiary's data for an access request (JSON or PDF), and a
//     rectification recorded in the case's history;
//   - the fund's public texts « Données personnelles » and « Accessibilité ».
// Who may: a system actor (the command line, the daily run of `serve`) or an
// administrator of the fund; the export and the rectification go through
// the store's visibility (the caller's actor). Errors carry catalogue keys
// (core/messages.h).
#ifndef AMIABLE_SERVICE_PRIVACY_H_
#define AMIABLE_SERVICE_PRIVACY_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/clock.h"
#include "core/error.h"
#include "service/caller.h"
#include "service/case_service.h"
#include "store/privacy_store.h"
#include "store/store.h"

namespace amiable::service {

struct AnonymiseRequest {
  std::string organisme;
  std::optional<Date> before;  // default: today in the fund's zone minus its retention years
  bool dry_run = false;
};

struct AnonymiseOutcome {
  std::string organisme;
  Date before;
  std::vector<RetentionCase> cases;  // anonymised (or, dry run, that would be)
  AnonymiseResult removed;           // totals (dry run: nothing)
  int64_t files_deleted = 0;
  bool dry_run = false;
};

struct PurgeOutcome {
  int64_t cases = 0;
  std::vector<std::pair<std::string, int>> frozen;  // (fund, year) frozen now
};

// The public texts of a fund.
inline constexpr std::string_view kPublicTextKinds[] = {"donnees_personnelles", "accessibilite"};
// The French default text of a kind ("" for an unknown kind); {fund} is
// replaced by the fund's name.
std::string DefaultPublicText(std::string_view kind, std::string_view fund_name);

class PrivacyService {
 public:
  PrivacyService(Store& store, const Clock& clock, const DocumentFiles* files)
      : store_(store), clock_(clock), files_(files) {}

  Status SetRetention(const Caller& who, std::string_view organisme, std::optional<int> years);
  Result<AnonymiseOutcome> Anonymise(const Caller& who, const AnonymiseRequest& r);
  // The daily run: every fund with a retention period, then the files left.
  Result<std::vector<AnonymiseOutcome>> AnonymiseDue(const Caller& who);
  // Deletes the files earlier runs left (a crash after a commit).
  Result<int64_t> FinishPendingFiles();
  // organisme "" = every fund.
  Result<PurgeOutcome> Purge(const Caller& who, std::string_view organisme);

  // The data of the beneficiary with allocataire number `number` in the
  // fund, as JSON (pretty) or PDF bytes.
  Result<std::string> ExportJson(const Caller& who, std::string_view organisme,
                                 std::string_view number);
  Result<std::string> ExportPdf(const Caller& who, std::string_view organisme,
                                std::string_view number);

  // A rectification: `field` is a classification field (case_service.h
  // ClassificationEdit) or beneficiary.name|email|phone|address; the history
  // row has kind "rectification" and the reason. Allowed on closed cases.
  Status Rectify(const Caller& who, std::string_view reference, std::string_view field,
                 std::string_view value, std::string_view reason);

  // The fund's text of `kind` (its own, else the default).
  Result<std::string> PublicTextOf(std::string_view organisme, std::string_view kind);
  Status SavePublicText(const Caller& who, std::string_view organisme, std::string_view kind,
                        std::string text);

 private:
  Status CheckAdmin(const Caller& who, std::string_view organisme);
  Result<std::string> SubjectJson(const Caller& who, std::string_view organisme,
                                  std::string_view number, std::string* pdf_body,
                                  std::string* name, std::vector<std::string>* address);

  // The store's privacy role (store/privacy_store.h); a store without one
  // answers kInternal "not supported".
  PrivacyStore& ps();

  Store& store_;
  const Clock& clock_;
  const DocumentFiles* files_;
};

// The daily retention run of `amiable serve`: a thread that, once a day (at
// start, then every `interval` checking whether the day changed), runs
// PrivacyService::AnonymiseDue as the system actor "retention" with its own
// Store opened from `db_url`. One server at a time: it holds the lease
// "privacy:retention" of mailbox_leases (migration 9) while it runs, so that
// several servers on one database do not run it twice. Logs one logfmt line
// per fund (counts only, no personal data). Stops after the run in flight
// when destroyed.
class RetentionWorker {
 public:
  RetentionWorker(std::string db_url, const Clock& clock, const DocumentFiles& files,
                  std::chrono::milliseconds interval = std::chrono::minutes(10));
  ~RetentionWorker();

 private:
  void Run();

  std::string db_url_;
  const Clock& clock_;
  const DocumentFiles& files_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_PRIVACY_H_
