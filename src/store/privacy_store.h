// Role: retention and data-subject rights (issue 9, part 6; migration 16):
// the retention period of each fund, anonymising and purging closed cases,
// the figures frozen before a purge, the files left to delete, and the two
// public texts of a fund (« Données personnelles », « Accessibilité »).
//
// The rules (which cases, when, who may) live in service/privacy.h; these
// calls take Actor::System() or the caller's actor and join the caller's
// transaction when one is open (InTransaction is reentrant). Defaults answer
// kInternal "not supported" so that test fakes need not implement them.
#ifndef AMIABLE_STORE_PRIVACY_STORE_H_
#define AMIABLE_STORE_PRIVACY_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "store/actor.h"

namespace amiable {

class Store;

// A closed case a retention run may anonymise (or a purge delete).
struct RetentionCase {
  int64_t id = 0;
  std::string reference;
  std::string organisme;
  Date received_on;
  std::optional<Date> closed_on;
  std::optional<Date> anonymised_on;
  // The years the case counts in (reception, closing, internal requests
  // sent): the years a purge freezes. Filled by AnonymisedCases.
  std::vector<int> years = {};
};

// What anonymising one case removed (counts), and the stored files it
// leaves to delete after the commit (documents, letter PDFs, .eml files).
struct AnonymiseResult {
  int64_t people = 0;
  int64_t notes = 0;
  int64_t documents = 0;
  int64_t letters = 0;
  int64_t messages = 0;  // outbox rows and received messages blanked
  int64_t events = 0;    // history rows whose reason and values were blanked
  std::vector<std::string> file_keys;
};

// A fund's figures of a year, frozen before a purge: `figures_json` is the
// JSON of domain.md §8 as served then, `state_json` the complete figures
// (figures/frozen.h) from which they are served from then on.
struct FrozenFiguresRow {
  std::string organisme;
  int year = 0;
  std::string figures_json;
  std::string state_json;
  std::string frozen_at;  // ISO 8601 UTC
};

// A fund's public text: kind "donnees_personnelles" or "accessibilite".
// Empty text (no row): the product's default French text.
struct PublicText {
  std::string organisme;
  std::string kind;
  std::string text;
  std::string updated_by;
  std::string updated_at;
};

class PrivacyStore {
 public:
  virtual ~PrivacyStore() = default;

  // The retention period of a fund in years; nullopt when none is set (no
  // anonymisation). kNotFound for an unknown fund.
  virtual Result<std::optional<int>> RetentionYears(std::string_view organisme) {
    return Unsupported();
  }
  // years nullopt removes the setting. Audited.
  virtual Status SetRetentionYears(const Actor& actor, std::string_view organisme,
                                   std::optional<int> years) {
    return Unsupported();
  }

  // Cases of the fund closed (closing date set) strictly before `before`,
  // not yet anonymised, by closing date then reference, at most `limit`.
  virtual Result<std::vector<RetentionCase>> CasesToAnonymise(std::string_view organisme,
                                                              Date before, int limit) {
    return Unsupported();
  }
  // Anonymises case `case_id` in one transaction (or the caller's): removes
  // people, notes, documents and letters, blanks the free text, the
  // allocataire number, the history's reasons and values, the outgoing and
  // received messages; keeps every field a figure reads; marks it
  // anonymised on `on`; records the files to delete (PendingFileKeys).
  virtual Result<AnonymiseResult> AnonymiseCase(const Actor& actor, int64_t case_id, Date on) {
    return Unsupported();
  }
  // The stored files anonymisation left to delete (a crash between the
  // commit and the deletion leaves some), and forgetting one once deleted.
  virtual Result<std::vector<std::string>> PendingFileKeys(int limit) { return Unsupported(); }
  virtual Status ForgetPendingFile(std::string_view key) { return Unsupported(); }

  // The anonymised cases of the fund (empty: all funds), with their years.
  virtual Result<std::vector<RetentionCase>> AnonymisedCases(std::string_view organisme) {
    return Unsupported();
  }
  // Deletes anonymised case `case_id` and what remains of it (history,
  // financial lines, internal requests, its outbox and received rows).
  virtual Status DeleteAnonymisedCase(const Actor& actor, int64_t case_id) {
    return Unsupported();
  }

  // Frozen figures (none: computed from the cases).
  virtual Result<std::vector<FrozenFiguresRow>> FrozenFigures(int year) { return Unsupported(); }
  // The (organisme, year) of every frozen row, by year then organisme (the
  // years side by side list a year whose cases were all purged). None by
  // default.
  virtual Result<std::vector<std::pair<std::string, int>>> FrozenFundYears() {
    return std::vector<std::pair<std::string, int>>();
  }
  virtual Result<std::optional<FrozenFiguresRow>> FrozenFiguresOf(std::string_view organisme,
                                                                  int year) {
    return Unsupported();
  }
  // Inserts the row; an existing (organisme, year) is kept (kConflict).
  virtual Status FreezeFigures(const Actor& actor, const FrozenFiguresRow& row) {
    return Unsupported();
  }

  // After an anonymisation or a purge: SQLite drops the removed data from
  // the free pages, the WAL and the full-text index (secure_delete, FTS5
  // optimize, checkpoint); PostgreSQL does nothing (VACUUM is the
  // operator's). Best effort.
  virtual void ScrubFreedSpace() {}

  // Public texts of a fund.
  virtual Result<std::optional<PublicText>> GetPublicText(std::string_view organisme,
                                                          std::string_view kind) {
    return Unsupported();
  }
  // An empty text removes the fund's own (the default applies again).
  virtual Status SavePublicText(const Actor& actor, const PublicText& t) { return Unsupported(); }

 private:
  static std::unexpected<Error> Unsupported() {
    return Fail(Error::Internal("privacy store: not supported"));
  }
};

// The privacy role of a store: the SQL store has it; nullptr for a store
// without it (a test fake), which then has no frozen figures.
PrivacyStore* PrivacyOf(Store& store);

}  // namespace amiable

#endif  // AMIABLE_STORE_PRIVACY_STORE_H_
