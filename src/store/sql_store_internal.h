// The one Store implementation, over SOCI, for SQLite and PostgreSQL: the
// class, shared by the sql_*.cc files (one per concern), and the query
// helpers they use. Internal to store/: include store/store.h elsewhere.
// The SQL is portable; the few engine differences are spelled out where
// they occur (postgres_).
#ifndef AMIABLE_STORE_SQL_STORE_INTERNAL_H_
#define AMIABLE_STORE_SQL_STORE_INTERNAL_H_

// SOCI's Debian build advertises Boost integration, which would pull Boost
// headers in; amiable uses none of it, so it is switched off here.
#include <soci/soci-config.h>
#undef SOCI_HAVE_BOOST
#undef SOCI_HAVE_BOOST_DATE_TIME
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "calendar/calendar.h"
#include "store/document_keys.h"
#include "store/figures_cache_store.h"
#include "store/audit_chain.h"
#include "store/audit_store.h"
#include "store/partner_store.h"
#include "store/privacy_store.h"
#include "store/reference_counter.h"
#include "store/report_data.h"
#include "store/store.h"

namespace amiable::sql {

using soci::indicator;

// ISO 8601 UTC, to the second: "2025-03-03T10:00:00Z".
std::string NowTimestamp();
// Store::OnOutboxQueued: the hook, and calling it (after a commit that
// queued outgoing mail).
void SetOutboxQueuedHook(void (*fn)());
void NotifyOutboxQueued();
void UseClockForTimestamps(const Clock* clock);
// Lists of codes are kept as "a,b,c" ("" = empty list, NULL = unknown).
std::string JoinCodes(const std::vector<std::string>& v);
std::vector<std::string> SplitCodes(std::string_view s);
// A SOCI exception as an Error: kConflict on a uniqueness violation,
// kInvalid on a foreign key, else kInternal.
Error DbError(const std::exception& e);

// Binds parameters by position to a dynamically built query.
class Query {
 public:
  Query& operator<<(std::string_view sql) {
    sql_ += sql;
    return *this;
  }
  // Appends a placeholder bound to `value`.
  Query& Bind(std::string value) {
    sql_ += ":p" + std::to_string(params_.size());
    params_.push_back(std::move(value));
    inds_.push_back(soci::i_ok);
    return *this;
  }
  Query& BindNullable(const std::optional<std::string>& value) {
    sql_ += ":p" + std::to_string(params_.size());
    params_.push_back(value.value_or(""));
    inds_.push_back(value ? soci::i_ok : soci::i_null);
    return *this;
  }
  // " AND col IN (...)" over the actor's funds and the requested ones.
  Query& RestrictFunds(std::string_view column, const Actor& actor,
                       std::span<const std::string> requested) {
    if (!actor.all_funds) {
      sql_ += " AND ";
      sql_ += column;
      sql_ += " IN (";
      if (actor.organismes.empty()) sql_ += "NULL";
      for (size_t i = 0; i < actor.organismes.size(); ++i) {
        if (i) sql_ += ',';
        Bind(actor.organismes[i]);
      }
      sql_ += ')';
    }
    if (!requested.empty()) {
      sql_ += " AND ";
      sql_ += column;
      sql_ += " IN (";
      for (size_t i = 0; i < requested.size(); ++i) {
        if (i) sql_ += ',';
        Bind(requested[i]);
      }
      sql_ += ')';
    }
    return *this;
  }
  // " AND <the case c is visible to the actor>" (store.h, Authorization):
  // of one of the actor's funds or granted to the actor (case_access), of
  // the requested funds when some are, without a recusal in force of the
  // actor when a mediator; nothing for a statistics reader. The query must
  // name the case table "c". `grants` false leaves out the grants (when the
  // actor has none in force: SqlStore::HasGrants), which keeps the fund
  // indexes usable.
  Query& RestrictCases(const Actor& actor, std::span<const std::string> requested,
                       bool grants = true) {
    if (SeesNoCases(actor.role)) {
      sql_ += " AND 1 = 0";
      return *this;
    }
    if (actor.role == Role::kPartner) {
      // A partner sees no fund as such: the cases it created and those
      // granted to it, while open when the setting says so (partner_store.h).
      sql_ += " AND (c.created_by = ";
      Bind(actor.user);
      if (grants) {
        sql_ +=
            " OR EXISTS (SELECT 1 FROM case_access g WHERE g.case_id = c.id AND "
            "g.revoked_at IS NULL AND g.user_name = ";
        Bind(actor.user);
        sql_ += ')';
      }
      sql_ += ')';
      if (PartnerAccessEndsAtClose()) sql_ += " AND c.state <> 'closed'";
      RestrictFunds("c.organisme", Actor::System(), requested);
      return *this;
    }
    if (!actor.all_funds) {
      sql_ += " AND (c.organisme IN (";
      if (actor.organismes.empty()) sql_ += "NULL";
      for (size_t i = 0; i < actor.organismes.size(); ++i) {
        if (i) sql_ += ',';
        Bind(actor.organismes[i]);
      }
      sql_ += ')';
      if (grants) {
        sql_ +=
            " OR EXISTS (SELECT 1 FROM case_access g WHERE g.case_id = c.id AND "
            "g.revoked_at IS NULL AND g.user_name = ";
        Bind(actor.user);
        sql_ += ')';
      }
      sql_ += ')';
    }
    RestrictFunds("c.organisme", Actor::System(), requested);
    if (actor.role == Role::kMediator) {
      sql_ +=
          " AND NOT EXISTS (SELECT 1 FROM case_recusals r WHERE r.case_id = c.id AND "
          "r.lifted_at IS NULL AND r.user_name = ";
      Bind(actor.user);
      sql_ += ')';
    }
    return *this;
  }
  const std::string& sql() const { return sql_; }
  void ReplaceSql(std::string sql) { sql_ = std::move(sql); }
  const std::vector<std::string>& params() const { return params_; }
  const std::vector<indicator>& indicators() const { return inds_; }

  // Prepares the statement with `row` as the output (may be null).
  soci::statement Prepare(soci::session& s, soci::row* row) {
    soci::statement st(s);
    if (row) st.exchange(soci::into(*row));
    for (size_t i = 0; i < params_.size(); ++i) st.exchange(soci::use(params_[i], inds_[i]));
    st.alloc();
    st.prepare(sql_);
    st.define_and_bind();
    return st;
  }

 private:
  std::string sql_;
  std::vector<std::string> params_;
  std::vector<indicator> inds_;
};

int64_t GetInt(const soci::row& r, size_t i, int64_t def = 0);
// The Message-ID of outbox row `id`, fixed when it is queued:
// "<outbox-ID.RANDOM@HOST>" (RANDOM: 64 random bits in hex, so that two
// databases never give the same; HOST: this machine's name).
std::string NewOutboxMessageId(int64_t id);
std::optional<std::string> GetOptString(const soci::row& r, size_t i);
std::string GetString(const soci::row& r, size_t i);
std::optional<Date> GetOptDate(const soci::row& r, size_t i);
std::optional<std::vector<std::string>> GetOptList(const soci::row& r, size_t i);

constexpr std::string_view kCaseColumns =
    "c.id, c.reference, c.organisme, c.received_on, c.channel, c.emitter, c.allocataire_number, "
    "c.prior_step, c.prior_step_on, c.admissibility, c.inadmissibility_reason, "
    "c.taken_in_charge_on, c.answered_on, c.closed_on, c.motives, c.benefits, c.cause, "
    "c.household, c.activity, c.quotient_familial, c.response_modes, c.resolution, c.fraud, "
    "c.financial_count, c.state, c.orientation, c.description, c.assigned_to, c.version, "
    "c.orientation_code";

enum class Columns { kAll, kInterchange, kDates };

// kCaseColumns with the columns a mode does not read replaced by NULL, so
std::string SelectedColumns(Columns mode);

// A case from a row of kCaseColumns (financial lines not loaded: `financial`
// is an empty list when the case has some, absent when unknown).
Case ReadCase(const soci::row& r);

std::optional<std::string> OptDate(const std::optional<Date>& d);
// The changes of a history row as kept in case_events.changes: a JSON
// array of {"field","old","new"}. Unreadable text reads as no change.
std::string ChangesToJson(const std::vector<FieldChange>& changes);
std::vector<FieldChange> ChangesFromJson(std::string_view json);
std::optional<std::string> OptList(const std::optional<std::vector<std::string>>& v);

// The values a case write binds, in column order, with their indicators.
// Statements keep references to these members, so one CaseRow can be bound
// once and refilled with Set() for each case.
struct CaseRow {
  static constexpr int kColumns = 28;
  std::array<std::string, kColumns> v;
  std::array<indicator, kColumns> ind{};

  void Set(const Case& c) {
    int i = 0;
    auto put = [&](const std::optional<std::string>& x) {
      v[i] = x.value_or("");
      ind[i] = x ? soci::i_ok : soci::i_null;
      ++i;
    };
    put(c.reference);
    put(c.organisme);
    put(c.received_on.ToString());
    put(c.channel);
    put(c.emitter);
    put(c.allocataire_number);
    put(c.prior_step);
    put(OptDate(c.prior_step_on));
    put(c.admissibility);
    put(c.inadmissibility_reason);
    put(OptDate(c.taken_in_charge_on));
    put(OptDate(c.answered_on));
    put(OptDate(c.closed_on));
    put(OptList(c.motives));
    put(OptList(c.benefits));
    put(c.cause);
    put(c.household);
    put(c.activity);
    put(c.quotient_familial ? std::optional<std::string>(std::to_string(*c.quotient_familial))
                            : std::nullopt);
    put(OptList(c.response_modes));
    put(c.resolution);
    put(c.fraud ? std::optional<std::string>(*c.fraud ? "1" : "0") : std::nullopt);
    put(c.financial ? std::optional<std::string>(std::to_string(c.financial->size()))
                    : std::nullopt);
    put(std::string(StateCode(c.state)));
    put(c.orientation);
    put(c.description);
    put(c.assigned_to);
    put(c.orientation_code);
  }
  // Binds the columns, in order, to `st`. The use elements must be created
  // and exchanged in one expression (SOCI keeps a reference to their name).
  void Bind(soci::statement& st) {
    for (int i = 0; i < kColumns; ++i) st.exchange(soci::use(v[i], ind[i]));
  }
};

constexpr std::string_view kWriteColumns =
    "reference, organisme, received_on, channel, emitter, allocataire_number, prior_step, "
    "prior_step_on, admissibility, inadmissibility_reason, taken_in_charge_on, answered_on, "
    "closed_on, motives, benefits, cause, household, activity, quotient_familial, response_modes, "
    "resolution, fraud, financial_count, state, orientation, description, assigned_to, "
    "orientation_code";

// A copy of `bindings` with its SQL replaced (same parameters).
inline Query WithSql(const Query& bindings, std::string sql) {
  Query q = bindings;
  q.ReplaceSql(std::move(sql));
  return q;
}

// DocumentKeys is not (yet) part of Store: `serve`'s sweep reaches it with
// dynamic_cast on the opened store (web/upload.cc OrphanSweeper); PrivacyStore
// likewise (store/privacy_store.h PrivacyOf).
class SqlStore final : public Store, public DocumentKeys, public AuditTrail, public PartnerStore,
                       public PrivacyStore, public ReportDataStore,
                       public ReferenceCounter, public FiguresCacheStore {
 public:
  static constexpr size_t kBulkIndexThreshold = 1000;

  SqlStore(bool postgres, std::string path) : postgres_(postgres), path_(std::move(path)) {}
  // Cached statements go before the session; the audit heads this process
  // published are written before it returns (sql_audit.cc).
  ~SqlStore() override;

  std::string_view engine() const override { return postgres_ ? "postgresql" : "sqlite"; }

  // ---- Opening, transactions, audit, backup (sql_open.cc) ----
  Status Connect(std::string_view url);
  int schema_version() override;
  Status InTransaction(const std::function<Status()>& fn) override;
  Status Audit(const Actor& actor, std::string_view action, std::string_view object) override;
  Status Backup(std::string_view path) override;
  Status Migrate();

  // ---- Audit trail (sql_audit.cc) ----
  Result<AuditVerifyReport> VerifyAudit() override;
  Result<int64_t> PruneAudit(const Actor& actor, std::string_view before_at) override;
  Result<std::vector<AuditEntry>> ListAudit(const Actor& actor, const AuditQuery& q,
                                            int64_t* total) override;
  Status ScanAudit(const Actor& actor, const AuditQuery& q,
                   const std::function<bool(const AuditEntry&)>& fn) override;
  Result<std::string> AuditTermHash(std::string_view terms) override;
  // Appends one chained row in the open transaction (opens one when none).
  Status AuditNoTx(const Actor& actor, std::string_view action, std::string_view object);
  // The head row, read (and locked on PostgreSQL) once per transaction.
  Status AuditLoadHeadNoTx();
  Result<audit::Key> AuditKey(bool create);
  // InTransaction's hooks: the head row before COMMIT, the head file after.
  Status AuditBeforeCommit();
  void AuditAfterCommit(bool committed);
  struct AuditTx {
    bool loaded = false;
    bool dirty = false;  // rows appended (or sealed) in this transaction
    std::string chain_id;
    int64_t seq = 0;
    std::string hash;
  };
  AuditTx audit_tx_;
  // The INSERT of a row, prepared once, bound to audit_row_/audit_seq_.
  std::unique_ptr<soci::statement> audit_insert_;
  audit::Row audit_row_;
  long long audit_seq_ = 0;
  std::optional<audit::Key> audit_key_;
  std::string audit_key_file_;
  // Runs the SELECT `q` through a prepared statement cached by its SQL
  // (parsing and planning dominate the cost of the small reads of a page),
  // calling `fn` for each row until it returns false (callers stop early
  // only on queries of at most a few rows). Returns the number of rows. Throws what SOCI throws
  // (callers convert to Error).
  int64_t Fetch(const Query& q, const std::function<bool(const soci::row&)>& fn);

  // ---- Storage keys rows refer to (sql_document_keys.cc) ----
  Result<std::vector<std::string>> ReferencedStorageKeys() override;

  // ---- Funds and cases (sql_cases.cc) ----
  // ---- Funds ----
  Status UpsertOrganisme(const Actor& actor, const Organisme& o) override;
  Result<std::vector<Organisme>> ListOrganismes() override;
  Result<Organisme> GetOrganisme(std::string_view code) override;
  // ---- Cases ----
  Result<int64_t> CreateCase(const Actor& actor, const Case& c, const CaseEvent& event) override;
  Result<Case> GetCase(const Actor& actor, std::string_view reference) override;
  Result<std::vector<Case>> ListCases(const Actor& actor, const CaseFilter& f,
                                      int64_t* total) override;
  Status UpdateCase(const Actor& actor, const Case& c, const CaseEvent& event) override;
  // The body of UpdateCase, inside a transaction; *id_out receives the
  // case's id when not null.
  Status UpdateCaseNoTx(const Actor& actor, const Case& c, const CaseEvent& event, int64_t* id_out);
  Result<std::vector<CaseEvent>> History(const Actor& actor, std::string_view reference) override;
  Status AppendEvent(const Actor& actor, std::string_view reference,
                     const CaseEvent& event) override;
  Result<ImportCounts> ImportCases(const Actor& actor, std::span<const Case> cases) override;
  Result<std::vector<std::string>> ExistingReferences(std::span<const std::string> refs) override;
  Result<std::vector<std::string>> ReserveReferences(const Actor& actor,
                                                     const std::string& organisme, int year,
                                                     int count) override;
  static CaseEvent ReadEvent(const soci::row& r);
  // Placeholder n (1-based) of the case columns, cast where PostgreSQL
  // cannot infer an integer from a text parameter.
  std::string CasePlaceholder(int n) const;
  std::string InsertCaseSql() const;
  std::string UpdateCaseSql() const;
  static Organisme ReadOrganisme(const soci::row& r);
  std::map<std::string, WorkCalendar> Calendars();
  Status CheckOrganismeExists(const std::string& code);
  Status InsertCaseNoTx(const Case& c);
  // A prepared INSERT bound to `row` and to `created` (created_at and
  // updated_at); both must outlive the statement.
  soci::statement PrepareCaseInsert(CaseRow& row, std::string& created);
  int64_t CaseId(const std::string& reference);
  Result<int64_t> VisibleCaseId(const Actor& actor, std::string_view reference);
  Status InsertFinancialNoTx(int64_t id, const Case& c);
  Status InsertEventNoTx(int64_t id, const CaseEvent& ev);
  void LoadFinancial(Case* c);

  // ---- Details: notes, people, documents; submissions (sql_details.cc) ----
  Result<std::unordered_map<int64_t, std::string>> BeneficiaryNames(
      const Actor& actor, std::span<const int64_t> case_ids) override;
  static Note ReadNote(const soci::row& r);
  static Person ReadPerson(const soci::row& r);
  static DocumentMeta ReadDocument(const soci::row& r);
  // ---- Details ----
  Result<int64_t> AddNote(const Actor& actor, std::string_view reference,
                          const Note& note) override;
  Result<std::vector<Note>> Notes(const Actor& actor, std::string_view reference) override;
  Result<int64_t> SavePerson(const Actor& actor, std::string_view reference,
                             const Person& p) override;
  Result<std::vector<Person>> People(const Actor& actor, std::string_view reference) override;
  Status AddDocument(const Actor& actor, std::string_view reference,
                     const DocumentMeta& d) override;
  Result<std::vector<DocumentMeta>> Documents(const Actor& actor,
                                              std::string_view reference) override;
  // ---- Web workspace (migration 2) ----
  Result<std::string> SubmitCase(const Actor& actor, const Submission& sub) override;
  Status RemoveNote(const Actor& actor, std::string_view reference, int64_t note_id) override;
  Status RemovePerson(const Actor& actor, std::string_view reference, int64_t person_id) override;
  Status RemoveDocument(const Actor& actor, std::string_view reference,
                        int64_t document_id) override;
  Status CheckDetailOfCase(std::string_view table, int64_t row_id, int64_t case_id,
                           std::string_view what);
  Status RemoveDetail(const Actor& actor, std::string_view reference, std::string_view table,
                      int64_t row_id, std::string_view what);
  // The next free reference of a fund's year, from its counter (created
  // from the number of cases already there); skips references taken by
  // other means (imports, the API). Inside a transaction.
  Result<std::string> NextReferenceNoTx(const std::string& organisme, int year);

  // ---- Scans (sql_scan.cc) ----
  Status ForEachCase(const Actor& actor, std::span<const std::string> organismes,
                     std::optional<int> year, const std::function<void(const Case&)>& fn) override;
  Status ForEachCaseInPeriod(std::span<const std::string> organismes, Date from, Date to,
                             const std::function<void(Case&)>& fn) override;
  Status ForEachCaseDatesInPeriod(std::span<const std::string> organismes, Date from, Date to,
                                  const std::function<void(Case&)>& fn) override;
  Status ScanPeriod(std::span<const std::string> organismes, Date from, Date to,
                    const std::function<void(Case&)>& fn, Columns columns);
  // Streams cases matching `where` (a " FROM cases c WHERE ..." clause),
  // with their financial lines fetched in one pass.
  // kInterchange leaves out the free text (description), which the figures
  // do not need and which may be long; kDates reads only what delays and
  // counts need (see Store::ForEachCaseDatesInPeriod) and no financial lines.
  Status Stream(const Query& where, std::string_view order, const std::function<void(Case&)>& fn,
                Columns mode);

  // ---- Search (sql_search.cc) ----
  Result<std::vector<Case>> SearchCases(const Actor& actor, std::string_view text, int limit,
                                        int64_t* total) override;

  // ---- Accounts (sql_accounts.cc) ----
  // ---- Users and tokens ----
  Result<int64_t> CreateUser(const User& u) override;
  Result<User> GetUser(std::string_view name) override;
  Status UpdateUser(const User& u) override;
  Status CreateApiToken(std::string_view user, std::string_view token_hash,
                        std::string_view label) override;
  Result<User> UserForTokenHash(std::string_view token_hash) override;
  Status CreateWebSession(const WebSession& w) override;
  Result<WebSession> GetWebSession(std::string_view id_hash, std::string_view now) override;
  Status DeleteWebSession(std::string_view id_hash) override;
  Result<std::vector<User>> ListUsers() override;
  static User ReadUser(const soci::row& r);

  // ---- Account lifecycle (sql_account_admin.cc, migration 19) ----
  Result<std::vector<ApiTokenInfo>> ListApiTokens(std::string_view user) override;
  Result<ApiTokenInfo> GetApiToken(int64_t id) override;
  Status RevokeApiToken(const Actor& actor, int64_t id) override;
  Status SetUserPassword(const Actor& actor, std::string_view user, std::string_view password_hash,
                         std::string_view keep_session) override;
  Status SetUserDisabled(const Actor& actor, std::string_view user, bool disabled) override;
  Status SetUserEmail(const Actor& actor, std::string_view user, std::string_view email) override;
  Result<std::map<std::string, std::string>> LastSignIns() override;
  // Records the last use of token `id` at `now` when the one recorded is of
  // an earlier minute (at most one write a minute per token); errors ignored.
  void TouchApiToken(int64_t id, const std::string& last_used_at, const std::string& now);
  // ---- Sign-in guard (sql_sign_in.cc) ----
  Result<AttemptCount> CountAttempt(std::string_view key, std::string_view user_name,
                                    std::string_view now, std::string_view new_window_end) override;
  Result<AttemptCount> PeekAttempts(std::string_view key, std::string_view now) override;
  Status ReleaseAttempt(std::string_view key) override;
  Status ForgetAttempts(std::string_view key) override;
  Result<bool> MarkNotified(std::string_view key) override;
  Result<int64_t> ClearAttemptsOfUser(std::string_view user_name) override;
  Status PruneAttempts(std::string_view now) override;
  Result<SessionSeen> TouchWebSession(std::string_view id_hash, std::string_view now,
                                      std::string_view idle_cutoff,
                                      std::string_view touch_before) override;
  Status SetSessionNeedsSecondFactor(std::string_view id_hash, bool needs) override;
  Result<std::optional<SecondFactor>> GetSecondFactor(std::string_view user_name) override;
  Status SavePendingSecondFactor(std::string_view user_name, std::string_view secret,
                                 std::string_view now) override;
  Status ConfirmSecondFactor(std::string_view user_name, int64_t step,
                             const std::vector<std::string>& recovery_hashes,
                             std::string_view now) override;
  Result<bool> UseTotpStep(std::string_view user_name, int64_t step) override;
  Result<bool> UseRecoveryCode(std::string_view user_name, std::string_view code_hash,
                               std::string_view now) override;
  Result<int64_t> RecoveryCodesLeft(std::string_view user_name) override;
  Status DeleteSecondFactor(std::string_view user_name) override;

  // ---- Interests, recusals and access grants (sql_interests.cc) ----
  using Interests::RecordRecusal;
  using Interests::UpdateCaseRecusing;
  Status UpdateCaseRecusing(const Actor& actor, const Case& c, const CaseEvent& event,
                            const Recusal& r) override;
  Status InsertRecusalNoTx(const Actor& actor, int64_t case_id, std::string_view reference,
                           const Recusal& r);
  Status RecordRecusal(const Actor& actor, std::string_view reference, const Recusal& r) override;
  Status LiftRecusal(const Actor& actor, std::string_view reference, int64_t recusal_id,
                     std::string_view reason) override;
  Status GrantCaseAccess(const Actor& actor, std::string_view reference, std::string_view user,
                         std::string_view reason) override;
  Status RevokeCaseAccess(const Actor& actor, std::string_view reference,
                          std::string_view user) override;
  Result<std::vector<std::string>> CaseAccessUsers(const Actor& actor,
                                                   std::string_view reference) override;
  Result<std::vector<Recusal>> Recusals(const Actor& actor, std::string_view reference) override;
  // ---- Interest links ----
  Result<int64_t> AddInterestLink(const Actor& actor, const DeclaredInterest& d) override;
  Result<std::vector<DeclaredInterest>> InterestLinks(std::string_view user) override;
  Status RemoveInterestLink(const Actor& actor, int64_t id) override;

  // ---- Workspace lists (sql_workspace.cc) ----
  Result<OutboxMessage> QueueOutbox(const Actor& actor, OutboxMessage m) override;
  // Inserts `m` (inside an open transaction): fills id, message_id,
  // created_at, next_attempt_at; replaces "{reference}" by `reference`.
  void InsertOutboxNoTx(OutboxMessage& m, const std::string& reference);
  Result<std::vector<OutboxMessage>> PendingOutbox(int limit) override;
  // The rows where `condition` (SQL ending in an operator, e.g.
  // "message_id = ") holds for `value`, by id.
  Result<std::vector<OutboxMessage>> OutboxWhere(std::string_view condition, std::string value);

  // ---- Received mail (sql_received.cc) ----
  Result<std::optional<ReceivedMessageRow>> FindReceived(std::string_view organisme,
                                                         std::string_view message_id,
                                                         std::string_view sha256) override;
  Result<int64_t> InsertReceived(const Actor& actor, ReceivedMessageRow& r) override;
  Status UpdateReceived(const Actor& actor, const ReceivedMessageRow& r) override;
  Result<std::optional<OutboxMessage>> OutboxByMessageId(std::string_view message_id) override;
  Result<std::optional<std::string>> CaseOfReceived(std::string_view organisme,
                                                    std::string_view message_id) override;
  Result<std::vector<ReceivedMessageRow>> CaseReceived(const Actor& actor,
                                                       std::string_view reference) override;
  Result<ReceivedMessageRow> GetReceived(const Actor& actor, int64_t id) override;
  Result<std::vector<ReceivedMessageRow>> QuarantinedMessages(const Actor& actor,
                                                              int limit) override;
  Result<std::vector<ReceivedMessageRow>> FlaggedMessages(const Actor& actor, int limit) override;
  Status ClearFlag(const Actor& actor, int64_t id) override;
  Result<bool> AcquireMailboxLease(std::string_view organisme, std::string_view owner,
                                   std::string_view now, std::string_view until) override;
  Status ReleaseMailboxLease(std::string_view organisme, std::string_view owner) override;
  Status MarkOutboxBounced(int64_t id, std::string_view error) override;
  void LinkReceivedDocumentsNoTx(int64_t received_id, const std::vector<std::string>& keys,
                                 int first_position);
  Status LoadReceivedDocuments(std::vector<ReceivedMessageRow>& rows);
  Result<std::vector<OutboxMessage>> ClaimOutbox(std::string_view now,
                                                 std::string_view lease_until,
                                                 int limit) override;
  Status MarkOutboxSent(int64_t id, std::string_view at) override;
  Status MarkOutboxFailed(int64_t id, std::string_view error, std::string_view next_attempt_at,
                          bool give_up) override;
  Result<std::vector<OutboxMessage>> OutboxMessages(int limit) override;
  Result<std::vector<OutboxMessage>> CaseOutbox(const Actor& actor,
                                                std::string_view reference) override;
  Result<std::vector<OutboxMessage>> FailedOutbox(const Actor& actor, int limit) override;
  Result<std::vector<LabelOverride>> LabelOverrides() override;
  Status SetLabelOverride(const Actor& actor, const LabelOverride& o) override;
  Status PublishYear(const Actor& actor, std::string_view organisme, int year) override;
  Result<std::vector<int>> PublishedYears(std::string_view organisme) override;
  Result<std::vector<PostPublicationChange>> ChangesAfterPublication(const Actor& actor,
                                                                     std::string_view organisme,
                                                                     int year) override;

  // ---- Internal requests and fund services (sql_internal_requests.cc, migration 11) ----
  Result<std::vector<FundService>> FundServices(std::string_view organisme) override;
  Status SaveFundService(const Actor& actor, const FundService& s) override;
  Result<int64_t> AddInternalRequest(const Actor& actor, std::string_view reference,
                                     const InternalRequest& r, const CaseEvent& event) override;
  Result<std::vector<InternalRequest>> CaseInternalRequests(const Actor& actor,
                                                            std::string_view reference) override;
  Status AnswerInternalRequest(const Actor& actor, std::string_view reference, int64_t id,
                               Date answered_on, std::string_view answer_message,
                               const CaseEvent& event) override;
  Result<std::vector<InternalRequest>> PendingInternalRequests(const Actor& actor,
                                                               int limit) override;
  Result<std::optional<std::pair<std::string, int64_t>>> InternalRequestByOutboxMessageId(
      std::string_view message_id) override;
  // Inserts the interchange dates of c.internal_requests for case `id`
  // (imports; inside a transaction).
  Status InsertInternalDatesNoTx(int64_t id, const Case& c);
  // The dates of the internal requests of the cases matching `where` (a
  // " FROM cases c WHERE ..." clause), by case id, in the order they were
  // recorded (which an import keeps).
  std::unordered_map<int64_t, std::vector<InternalRequestDates>> InternalDatesOf(
      const Query& where);
  // ---- Letters: templates, orientations, letters produced (sql_letters.cc) ----
  Result<std::vector<LetterTemplateOverride>> LetterTemplates(const Actor& actor,
                                                              std::string_view organisme) override;
  Status SaveLetterTemplate(const Actor& actor, const LetterTemplateOverride& t) override;
  Status ResetLetterTemplate(const Actor& actor, std::string_view organisme,
                             std::string_view kind) override;
  Result<std::vector<OrientationEntry>> Orientations(const Actor& actor,
                                                     std::string_view organisme) override;
  Status SaveOrientation(const Actor& actor, const OrientationEntry& e) override;
  Status RemoveOrientation(const Actor& actor, std::string_view organisme,
                           std::string_view code) override;
  Result<int64_t> AddLetter(const Actor& actor, std::string_view reference,
                            const LetterRecord& r) override;
  Result<std::vector<LetterRecord>> CaseLetters(const Actor& actor,
                                                std::string_view reference) override;

  // ---- Partner access (sql_partner.cc) ----
  Result<int64_t> AddPartnerMessage(const Actor& actor, std::string_view reference,
                                    const PartnerMessage& m) override;
  Result<std::vector<PartnerMessage>> PartnerMessages(const Actor& actor,
                                                      std::string_view reference) override;
  Result<std::vector<std::string>> CasePartners(const Actor& actor,
                                                std::string_view reference) override;
  // ---- Retention and data-subject rights (sql_privacy.cc, migration 16) ----
  Result<std::optional<int>> RetentionYears(std::string_view organisme) override;
  Status SetRetentionYears(const Actor& actor, std::string_view organisme,
                           std::optional<int> years) override;
  Result<std::vector<RetentionCase>> CasesToAnonymise(std::string_view organisme, Date before,
                                                      int limit) override;
  Result<AnonymiseResult> AnonymiseCase(const Actor& actor, int64_t case_id, Date on) override;
  Result<std::vector<std::string>> PendingFileKeys(int limit) override;
  Status ForgetPendingFile(std::string_view key) override;
  Result<std::vector<RetentionCase>> AnonymisedCases(std::string_view organisme) override;
  Status DeleteAnonymisedCase(const Actor& actor, int64_t case_id) override;
  Result<std::vector<FrozenFiguresRow>> FrozenFigures(int year) override;
  Result<std::vector<std::pair<std::string, int>>> FrozenFundYears() override;
  Result<std::optional<FrozenFiguresRow>> FrozenFiguresOf(std::string_view organisme,
                                                          int year) override;
  Status FreezeFigures(const Actor& actor, const FrozenFiguresRow& row) override;
  Result<std::optional<PublicText>> GetPublicText(std::string_view organisme,
                                                  std::string_view kind) override;
  Status SavePublicText(const Actor& actor, const PublicText& t) override;
  void ScrubFreedSpace() override;

  // ---- Report data (sql_report_data.cc, migration 20) ----
  Result<std::optional<ReportTextRow>> GetReportText(std::string_view fund_set, int year,
                                                     std::string_view section) override;
  Status PutReportText(const Actor& actor, const ReportTextRow& row) override;
  Result<std::vector<ReportTextRow>> ReportTexts(std::string_view fund_set, int year) override;
  Status PutAggregateRow(const Actor& actor, const AggregateRow& row) override;
  Result<std::optional<AggregateRow>> FindAggregateRow(std::string_view scope,
                                                       std::string_view fund_set,
                                                       int year) override;
  Result<std::vector<AggregateRow>> AggregateRows(int year) override;
  Status DeleteAggregateRow(const Actor& actor, std::string_view scope, std::string_view fund_set,
                            int year) override;
  std::optional<std::string> GetCachedFiguresJson(std::string_view slot,
                                                  std::string_view key) override;
  void PutCachedFiguresJson(std::string_view slot, std::string_view key,
                            std::string_view body) override;
  Result<std::string> DataVersion() override;
  Result<std::optional<FundBranding>> GetBranding(std::string_view organisme) override;
  Status PutBranding(const Actor& actor, const FundBranding& b) override;
  Result<std::optional<ContextFigures>> GetContextFigures(std::string_view fund_set,
                                                          int year) override;
  Status PutContextFigures(const Actor& actor, const ContextFigures& c) override;
  Result<std::optional<std::string>> GetSetting(std::string_view key) override;
  Status SetSetting(const Actor& actor, std::string_view key, std::string_view value) override;

  // ---- Figures cached per fund (sql_figures_cache.cc, migration 23) ----
  Result<std::map<std::string, std::string>> FundDataVersions() override;
  Result<std::vector<CachedFundFigures>> CachedFundFiguresOf(
      std::span<const std::string> organismes, int year, std::string_view as_of) override;
  void PutCachedFundFigures(std::span<const CachedFundFigures> rows) override;
  Status ClearFiguresCache() override;

  // ---- Register of recommendations (sql_register.cc, migration 20) ----
  Result<std::vector<RecommendationTheme>> RecommendationThemes() override;
  Status UpsertRecommendationTheme(const Actor& actor, const RecommendationTheme& t) override;
  Result<int64_t> AddRecommendation(const Actor& actor, const Recommendation& r) override;
  Status UpdateRecommendation(const Actor& actor, const Recommendation& r) override;
  Status DeleteRecommendation(const Actor& actor, int64_t id) override;
  Result<int64_t> AddRecommendationFollowUp(const Actor& actor, int64_t id,
                                            const RecommendationFollowUp& f) override;
  Result<std::vector<Recommendation>> Recommendations(const Actor& actor,
                                                      const RecommendationFilter& f) override;

  // Whether the actor has an access grant in force (only asked for actors
  // restricted to some funds); see Query::RestrictCases.
  bool HasGrants(const Actor& actor);

  // The first row of `q` made by `read`, or nullopt when there is none.
  template <typename Read>
  auto FetchOne(const Query& q, Read read)
      -> std::optional<decltype(read(std::declval<const soci::row&>()))> {
    std::optional<decltype(read(std::declval<const soci::row&>()))> out;
    Fetch(q, [&](const soci::row& r) {
      out = read(r);
      return false;
    });
    return out;
  }

  // The rows of a detail table (`select` ends with "WHERE case_id = ") for a
  // case the actor may see, in insertion order, each made by `read`.
  template <typename T>
  Result<std::vector<T>> CaseDetails(const Actor& actor, std::string_view reference,
                                     std::string_view select, T (*read)(const soci::row&)) {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    try {
      std::vector<T> out;
      Query q;
      q << select;
      q.Bind(std::to_string(*id)) << " ORDER BY id";
      Fetch(q, [&](const soci::row& r) {
        out.push_back(read(r));
        return true;
      });
      return out;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

 private:
  static constexpr std::string_view kUserColumns =
      "u.id, u.name, u.display_name, u.password_hash, u.role, u.all_funds, u.organismes, "
      "u.failed_attempts, u.locked_until, u.disabled, u.email, u.sso_subject";

  // A prepared statement kept for reuse, with the storage it is bound to.
  struct CachedStatement {
    std::vector<std::string> params;
    std::vector<indicator> inds;
    soci::row row;
    std::unique_ptr<soci::statement> st;
  };

  // ---- Mail settings of a fund (sql_mail_settings.cc) ----
  Result<std::vector<MailboxSettings>> Mailboxes() override;
  Result<std::optional<MailboxSettings>> Mailbox(std::string_view organisme) override;
  Status SaveMailbox(const Actor& actor, const MailboxSettings& m) override;
  Result<std::optional<SmtpFundSettings>> Smtp(std::string_view organisme) override;
  Status SaveSmtp(const Actor& actor, const SmtpFundSettings& s) override;
  Result<std::vector<EmitterRule>> EmitterRules(std::string_view organisme) override;
  Result<int64_t> AddEmitterRule(const Actor& actor, EmitterRule r) override;
  Status RemoveEmitterRule(const Actor& actor, int64_t id) override;
  Result<std::optional<std::string>> GuessEmitter(std::string_view organisme,
                                                  std::string_view address) override;

  static constexpr size_t kMaxCachedStatements = 256;
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>> cache_;

  bool postgres_;
  std::string path_;
  std::recursive_mutex* writer_mu_ = nullptr;  // SQLite only, see InTransaction
  int tx_depth_ = 0;                           // nesting of InTransaction (0: none open)
  bool outbox_queued_ = false;                 // the open transaction queued mail
  std::optional<Error> tx_failure_;            // first failure of an inner level
  soci::session sql_;
};

}  // namespace amiable::sql

#endif  // AMIABLE_STORE_SQL_STORE_INTERNAL_H_
