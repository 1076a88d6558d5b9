// The audit trail's hash chain (issue 9, part 5): the keyed hash of a row,
// of a checkpoint and of the head kept outside the database; the key file
// and the head file; the verifier that names what was modified, inserted or
// removed. Pure functions except the file helpers (which say so).
//
// A row's hash is HMAC-SHA256(key, its time, actor, action, object and the
// previous row's hash), hex; the first row after a checkpoint links to the
// checkpoint's hash, the first row of a chain to GenesisHash(). The sequence
// number is not hashed: gaps in it and links that do not fit tell the
// deletions and insertions apart from the edits (ChainVerifier).
//
// Thread safety: everything is safe to call from any thread; the head file
// is written under an advisory file lock (flock), so several processes
// sharing it never move it backwards.
#ifndef AMIABLE_STORE_AUDIT_CHAIN_H_
#define AMIABLE_STORE_AUDIT_CHAIN_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace amiable::audit {

using Key = std::array<unsigned char, 32>;

// One row of the trail as stored (table audit_log, migration 15).
struct Row {
  int64_t seq = 0;
  std::string at;      // ISO 8601 UTC
  std::string actor;   // account name, "cli:<unix user>", "system"
  std::string action;  // "case.view", "case.search", "case.update"...
  std::string object;  // references, document ids, fund codes, hashed terms
  std::string prev_hash;
  std::string mac;     // hex HMAC-SHA256 of the fields above but seq
};

// The pruning mark: rows up to `seq` were removed; the row seq+1 links to
// `hash` (table audit_checkpoints).
struct Checkpoint {
  int64_t seq = 0;
  std::string hash;
  std::string at;
  int64_t removed = 0;  // rows removed by this prune
  std::string mac;
};

// The last row written, kept outside the database (one file per chain).
struct Head {
  std::string chain_id;
  int64_t seq = 0;
  std::string hash;
  std::string mac;
};

// 64 zeros: what the first row of a chain links to.
std::string GenesisHash();
std::string RowMac(const Key& key, const Row& r);
std::string CheckpointMac(const Key& key, const Checkpoint& c);
std::string HeadMac(const Key& key, const Head& h);
// The keyed hash that stands for search terms in the trail: "terme:" and
// 32 hex digits of HMAC(key, the terms trimmed, spaces collapsed, ASCII
// lower case). Equal terms give equal hashes; the terms cannot be read back.
std::string TermHash(const Key& key, std::string_view terms);
// 16 random bytes in hex (a new chain's id).
std::string NewChainId();

// ---- Files (outside the database) ----

// The key file used for the database at `db_url`: SetKeyFile's (the
// option --audit-key-file), else $AMIABLE_AUDIT_KEY_FILE, else "audit.key" in the SQLite
// file's folder, else $STATE_DIRECTORY/audit.key (systemd), else
// var/audit.key.
std::string KeyFileFor(std::string_view db_url);
// Process-wide override of the key file ("" = the defaults above). Set once
// before stores are opened (main, tests).
void SetKeyFile(std::string path);
// The head file of chain `chain_id`: "audit-head-<chain_id>" beside the key.
std::string HeadFileFor(const std::string& key_file, const std::string& chain_id);

// Reads the key (64 hex digits). With `create`, a missing file is created
// (mode 0600, 32 random bytes, synced with its folder). kNotFound when
// missing and not created, kInvalid when unreadable or malformed.
Result<Key> LoadKey(const std::string& path, bool create);
// The head in `path`; nullopt when the file does not exist; kInvalid when
// it cannot be parsed.
Result<std::optional<Head>> ReadHead(const std::string& path);
// Replaces the head in `path` atomically (temporary file 0600, fsync,
// rename, fsync of the folder) unless the file already holds a later or
// equal seq of the same chain. Under flock on "<path>.lock".
Status WriteHead(const std::string& path, const Head& h);

// ---- Verification ----

struct Finding {
  enum class Kind { kModified, kInserted, kMissing, kHeadMissing, kHeadModified,
                    kCheckpointModified };
  Kind kind;
  int64_t seq = 0;
  int64_t last = 0;  // kMissing: the last missing seq (== seq for one row)
  bool operator==(const Finding&) const = default;
};

// Checks rows fed in increasing seq order, starting after (start_seq,
// start_hash) (the latest checkpoint, or 0 and GenesisHash()).
//   modifiée: the row's hash does not match its content;
//   insérée:  the row does not fit the chain: the next row links to the one
//             before it, or it lies past the outside head with a wrong hash
//             or link, or it has a valid hash but links to another row;
//   manquante: a gap in seq, or seq below the head kept outside or in the
//             database (a cut tail).
// `tail_seq`/`tail_hash`: the highest head known (outside file or the
// database's head row); 0/"" when none.
class ChainVerifier {
 public:
  ChainVerifier(const Key& key, int64_t start_seq, std::string start_hash, int64_t tail_seq,
                std::string tail_hash);
  void Add(Row r);
  // Judges the last row and the tail; the findings in seq order.
  std::vector<Finding> Finish();
  int64_t rows() const { return rows_; }

 private:
  void Judge(const Row& cur, const Row* next);
  void Report(Finding::Kind k, int64_t seq, int64_t last);

  const Key key_;
  const int64_t start_seq_;
  int64_t pred_seq_;
  std::string pred_hash_;
  bool pred_reported_ = false;
  int64_t tail_seq_;
  std::string tail_hash_;
  bool tail_seen_ = false;      // a row holds the head's hash
  bool tail_reported_ = false;  // the row at the head's seq was reported
  std::optional<Row> pending_;
  int64_t rows_ = 0;
  std::vector<Finding> findings_;
};

// The French line of a finding ("ligne 12 : modifiée"), from the catalogue.
std::string FindingText(const Finding& f, std::string_view head_file = {});

}  // namespace amiable::audit

#endif  // AMIABLE_STORE_AUDIT_CHAIN_H_
