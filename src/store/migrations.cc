#include "store/migrations.h"

namespace amiable::store {

namespace {

constexpr std::string_view kSqliteCaseInsertTrigger =
    R"(CREATE TRIGGER cases_search_ai AFTER INSERT ON cases BEGIN
                INSERT INTO case_search (rowid, reference, allocataire_number, names, description, notes)
                VALUES (new.id, new.reference, coalesce(new.allocataire_number, ''), '',
                        new.description, '');
              END)";

constexpr std::string_view kSqliteOff[] = {"DROP TRIGGER cases_search_ai"};
constexpr std::string_view kSqliteBulk[] = {
    R"(INSERT INTO case_search (rowid, reference, allocataire_number, names, description, notes)
       SELECT id, reference, coalesce(allocataire_number, ''), '', description, ''
       FROM cases WHERE id > :max)"};
constexpr std::string_view kSqliteOn[] = {kSqliteCaseInsertTrigger};
constexpr std::string_view kPgOff[] = {"ALTER TABLE cases DISABLE TRIGGER cases_search"};
constexpr std::string_view kPgBulk[] = {
    R"(INSERT INTO case_search (case_id, document)
       SELECT c.id, to_tsvector('simple', amiable_fold(
         replace(c.reference, '-', ' ') || ' ' || coalesce(c.allocataire_number, '') || ' ' ||
         c.description))
       FROM cases c WHERE c.id > :max
       ON CONFLICT (case_id) DO NOTHING)"};
constexpr std::string_view kPgOn[] = {"ALTER TABLE cases ENABLE TRIGGER cases_search"};

}  // namespace

std::span<const std::string_view> SqliteSearchTriggerOff() { return kSqliteOff; }
std::span<const std::string_view> SqliteSearchBulkIndex() { return kSqliteBulk; }
std::span<const std::string_view> SqliteSearchTriggerOn() { return kSqliteOn; }
std::span<const std::string_view> PostgresqlSearchTriggerOff() { return kPgOff; }
std::span<const std::string_view> PostgresqlSearchBulkIndex() { return kPgBulk; }
std::span<const std::string_view> PostgresqlSearchTriggerOn() { return kPgOn; }

std::span<const Migration> Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "funds, cases and their details, users, tokens, audit",
       {
           R"(CREATE TABLE organismes (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                zone TEXT NOT NULL,
                region TEXT NOT NULL DEFAULT '',
                whit_monday_worked INTEGER NOT NULL DEFAULT 0))",
           R"(CREATE TABLE cases (
                id {ID},
                reference TEXT NOT NULL UNIQUE,
                organisme TEXT NOT NULL REFERENCES organismes(code),
                received_on TEXT NOT NULL,
                channel TEXT,
                emitter TEXT,
                allocataire_number TEXT,
                prior_step TEXT,
                prior_step_on TEXT,
                admissibility TEXT NOT NULL DEFAULT '',
                inadmissibility_reason TEXT,
                taken_in_charge_on TEXT,
                answered_on TEXT,
                closed_on TEXT,
                motives TEXT,
                benefits TEXT,
                cause TEXT,
                household TEXT,
                activity TEXT,
                quotient_familial BIGINT,
                response_modes TEXT,
                resolution TEXT,
                fraud INTEGER,
                financial_count INTEGER,
                state TEXT NOT NULL,
                orientation TEXT,
                description TEXT NOT NULL DEFAULT '',
                assigned_to TEXT NOT NULL DEFAULT '',
                version BIGINT NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL))",
           "CREATE INDEX cases_org_received ON cases(organisme, received_on)",
           "CREATE INDEX cases_org_closed ON cases(organisme, closed_on)",
           "CREATE INDEX cases_received ON cases(received_on)",
           "CREATE INDEX cases_closed ON cases(closed_on)",
           "CREATE INDEX cases_org_state ON cases(organisme, state)",
           R"(CREATE TABLE financial_lines (
                id {ID},
                case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                kind TEXT NOT NULL,
                amount_cents BIGINT NOT NULL))",
           "CREATE INDEX financial_lines_case ON financial_lines(case_id)",
           R"(CREATE TABLE case_events (
                id {ID},
                case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                detail TEXT NOT NULL DEFAULT ''))",
           "CREATE INDEX case_events_case ON case_events(case_id)",
           R"(CREATE TABLE notes (
                id {ID},
                case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                author TEXT NOT NULL,
                created_at TEXT NOT NULL,
                text TEXT NOT NULL))",
           "CREATE INDEX notes_case ON notes(case_id)",
           R"(CREATE TABLE people (
                id {ID},
                case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                role TEXT NOT NULL,
                name TEXT NOT NULL DEFAULT '',
                organisation TEXT NOT NULL DEFAULT '',
                email TEXT NOT NULL DEFAULT '',
                phone TEXT NOT NULL DEFAULT '',
                address TEXT NOT NULL DEFAULT ''))",
           "CREATE INDEX people_case ON people(case_id)",
           R"(CREATE TABLE documents (
                id {ID},
                case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                file_name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size_bytes BIGINT NOT NULL,
                storage_key TEXT NOT NULL UNIQUE,
                sha256 TEXT NOT NULL,
                uploaded_by TEXT NOT NULL,
                uploaded_at TEXT NOT NULL))",
           "CREATE INDEX documents_case ON documents(case_id)",
           R"(CREATE TABLE users (
                id {ID},
                name TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL DEFAULT '',
                password_hash TEXT NOT NULL DEFAULT '',
                role TEXT NOT NULL,
                all_funds INTEGER NOT NULL DEFAULT 0,
                organismes TEXT NOT NULL DEFAULT '',
                failed_attempts INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT NOT NULL DEFAULT '',
                disabled INTEGER NOT NULL DEFAULT 0))",
           R"(CREATE TABLE api_tokens (
                id {ID},
                user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                token_hash TEXT NOT NULL UNIQUE,
                label TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL))",
           R"(CREATE TABLE audit_log (
                id {ID},
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                object TEXT NOT NULL))",
           "CREATE INDEX audit_log_at ON audit_log(at)",
       },
       {},
       {}},
      {2,
       "web workspace: sessions, outbox, reference counters, label overrides, full-text search",
       {
           R"(CREATE TABLE web_sessions (
                id_hash TEXT PRIMARY KEY,
                user_name TEXT NOT NULL,
                csrf_token TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL))",
           "CREATE INDEX web_sessions_user ON web_sessions(user_name)",
           R"(CREATE TABLE outbox (
                id {ID},
                kind TEXT NOT NULL,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                case_reference TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                sent_at TEXT NOT NULL DEFAULT '',
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT ''))",
           "CREATE INDEX outbox_pending ON outbox(sent_at, id)",
           R"(CREATE TABLE reference_counters (
                organisme TEXT NOT NULL,
                year INTEGER NOT NULL,
                last_number BIGINT NOT NULL,
                PRIMARY KEY (organisme, year)))",
           R"(CREATE TABLE nomenclature_labels (
                nomenclature TEXT NOT NULL,
                code TEXT NOT NULL,
                label TEXT NOT NULL,
                PRIMARY KEY (nomenclature, code)))",
       },
       // SQLite: an FTS5 table whose rowid is the case id, kept by triggers
       // (so that imports and the API feed it too).
       {
           R"(CREATE VIRTUAL TABLE case_search USING fts5(
                reference, allocataire_number, names, description, notes,
                tokenize='unicode61 remove_diacritics 2'))",
           kSqliteCaseInsertTrigger,
           R"(CREATE TRIGGER cases_search_au AFTER UPDATE OF reference, allocataire_number, description
              ON cases BEGIN
                UPDATE case_search SET reference = new.reference,
                  allocataire_number = coalesce(new.allocataire_number, ''),
                  description = new.description
                WHERE rowid = new.id;
              END)",
           R"(CREATE TRIGGER cases_search_ad AFTER DELETE ON cases BEGIN
                DELETE FROM case_search WHERE rowid = old.id;
              END)",
           R"(CREATE TRIGGER people_search_ai AFTER INSERT ON people BEGIN
                UPDATE case_search SET names = (SELECT coalesce(group_concat(name || ' ' || organisation, ' '), '')
                  FROM people WHERE case_id = new.case_id) WHERE rowid = new.case_id;
              END)",
           R"(CREATE TRIGGER people_search_au AFTER UPDATE ON people BEGIN
                UPDATE case_search SET names = (SELECT coalesce(group_concat(name || ' ' || organisation, ' '), '')
                  FROM people WHERE case_id = new.case_id) WHERE rowid = new.case_id;
              END)",
           R"(CREATE TRIGGER notes_search_ai AFTER INSERT ON notes BEGIN
                UPDATE case_search SET notes = (SELECT coalesce(group_concat(text, ' '), '')
                  FROM notes WHERE case_id = new.case_id) WHERE rowid = new.case_id;
              END)",
           R"(INSERT INTO case_search (rowid, reference, allocataire_number, names, description, notes)
              SELECT c.id, c.reference, coalesce(c.allocataire_number, ''),
                coalesce((SELECT group_concat(p.name || ' ' || p.organisation, ' ') FROM people p WHERE p.case_id = c.id), ''),
                c.description,
                coalesce((SELECT group_concat(n.text, ' ') FROM notes n WHERE n.case_id = c.id), '')
              FROM cases c)",
       },
       // PostgreSQL: a tsvector per case with the 'simple' configuration over
       // text folded by amiable_fold (lower case, accents removed by
       // translate: no extension needed), kept by triggers. No ':' in these
       // statements: SOCI would take it for a placeholder.
       {
           R"(CREATE FUNCTION amiable_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                SELECT translate(lower(coalesce(t, '')),
                  'àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝ',
                  'aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuy')
              $$)",
           R"(CREATE TABLE case_search (
                case_id BIGINT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
                document tsvector NOT NULL))",
           "CREATE INDEX case_search_document ON case_search USING gin(document)",
           R"(CREATE FUNCTION amiable_search_refresh(cid bigint) RETURNS void LANGUAGE sql AS $$
                INSERT INTO case_search (case_id, document)
                SELECT c.id, to_tsvector('simple', amiable_fold(
                  replace(c.reference, '-', ' ') || ' ' || coalesce(c.allocataire_number, '') || ' ' ||
                  c.description || ' ' ||
                  coalesce((SELECT string_agg(p.name || ' ' || p.organisation, ' ') FROM people p WHERE p.case_id = c.id), '') || ' ' ||
                  coalesce((SELECT string_agg(n.text, ' ') FROM notes n WHERE n.case_id = c.id), '')))
                FROM cases c WHERE c.id = cid
                ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document
              $$)",
           R"(CREATE FUNCTION amiable_search_case_trg() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM amiable_search_refresh(NEW.id); RETURN NEW; END
              $$)",
           R"(CREATE FUNCTION amiable_search_detail_trg() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM amiable_search_refresh(NEW.case_id); RETURN NEW; END
              $$)",
           R"(CREATE TRIGGER cases_search AFTER INSERT OR UPDATE OF reference, allocataire_number, description
              ON cases FOR EACH ROW EXECUTE FUNCTION amiable_search_case_trg())",
           R"(CREATE TRIGGER people_search AFTER INSERT OR UPDATE ON people
              FOR EACH ROW EXECUTE FUNCTION amiable_search_detail_trg())",
           R"(CREATE TRIGGER notes_search AFTER INSERT OR UPDATE ON notes
              FOR EACH ROW EXECUTE FUNCTION amiable_search_detail_trg())",
           "DO $$ BEGIN PERFORM amiable_search_refresh(id) FROM cases; END $$",
       }},
      {3,
       "work queues: one index serves a fund's state filter and its date order",
       {
           "CREATE INDEX cases_org_state_received ON cases(organisme, state, received_on)",
           "DROP INDEX cases_org_state",
       },
       {},
       {}},
      {4,
       "conflicts of interest: declared interest links, recusals (déports)",
       {
           // kind: the subject of the link (core/conflict.h InterestLink):
           // 'person', 'organisation' or 'allocataire'. Dates are YYYY-MM-DD.
           R"(CREATE TABLE interest_links (
                id {ID},
                user_name TEXT NOT NULL,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                relation TEXT NOT NULL DEFAULT '',
                organisme TEXT NOT NULL DEFAULT '',
                started_on TEXT,
                ended_on TEXT,
                declared_at TEXT NOT NULL))",
           "CREATE INDEX interest_links_user ON interest_links(user_name)",
           // One row per mediator who recused from a case: the store then
           // hides the case from that mediator (store.h, Authorization).
           R"(CREATE TABLE case_recusals (
                id {ID},
                case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                user_name TEXT NOT NULL,
                reason TEXT NOT NULL DEFAULT '',
                at TEXT NOT NULL,
                by_user TEXT NOT NULL DEFAULT ''))",
           "CREATE INDEX case_recusals_case_user ON case_recusals(case_id, user_name)",
       },
       {},
       {}},
      {5,
       "history with changed fields, emitter's function, recusal assessment and lifting, "
       "per-case access grants, published years",
       {
           // changes: a JSON array of {"field","old","new"}; published_year
           // != 0 marks a confirmed change to a case of a published year.
           "ALTER TABLE case_events ADD COLUMN changes TEXT NOT NULL DEFAULT '[]'",
           "ALTER TABLE case_events ADD COLUMN published_year INTEGER NOT NULL DEFAULT 0",
           "CREATE INDEX case_events_published ON case_events(published_year, case_id)",
           "ALTER TABLE people ADD COLUMN function TEXT NOT NULL DEFAULT ''",
           // The 3 i assessment (interference: codes joined by ','); a
           // recusal with lifted_at set no longer hides the case.
           "ALTER TABLE case_recusals ADD COLUMN interest TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE case_recusals ADD COLUMN interference TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE case_recusals ADD COLUMN intensity TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE case_recusals ADD COLUMN lifted_at TEXT",
           "ALTER TABLE case_recusals ADD COLUMN lifted_by TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE case_recusals ADD COLUMN lift_reason TEXT NOT NULL DEFAULT ''",
           "CREATE INDEX case_recusals_user ON case_recusals(user_name, case_id)",
           // A user sees the case while revoked_at is NULL (store.h).
           R"(CREATE TABLE case_access (
                case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                user_name TEXT NOT NULL,
                granted_by TEXT NOT NULL,
                reason TEXT NOT NULL DEFAULT '',
                at TEXT NOT NULL,
                revoked_at TEXT))",
           "CREATE INDEX case_access_case_user ON case_access(case_id, user_name)",
           "CREATE INDEX case_access_user ON case_access(user_name, case_id)",
           R"(CREATE TABLE published_years (
                organisme TEXT NOT NULL REFERENCES organismes(code),
                year INTEGER NOT NULL,
                published_at TEXT NOT NULL,
                by_user TEXT NOT NULL,
                PRIMARY KEY (organisme, year)))",
       },
       // The search index follows removed notes and people.
       {
           R"(CREATE TRIGGER people_search_ad AFTER DELETE ON people BEGIN
                UPDATE case_search SET names = (SELECT coalesce(group_concat(name || ' ' || organisation, ' '), '')
                  FROM people WHERE case_id = old.case_id) WHERE rowid = old.case_id;
              END)",
           R"(CREATE TRIGGER notes_search_ad AFTER DELETE ON notes BEGIN
                UPDATE case_search SET notes = (SELECT coalesce(group_concat(text, ' '), '')
                  FROM notes WHERE case_id = old.case_id) WHERE rowid = old.case_id;
              END)",
       },
       {
           R"(CREATE FUNCTION amiable_search_detail_del_trg() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM amiable_search_refresh(OLD.case_id); RETURN OLD; END
              $$)",
           R"(CREATE TRIGGER people_search_del AFTER DELETE ON people
              FOR EACH ROW EXECUTE FUNCTION amiable_search_detail_del_trg())",
           R"(CREATE TRIGGER notes_search_del AFTER DELETE ON notes
              FOR EACH ROW EXECUTE FUNCTION amiable_search_detail_del_trg())",
       }},
      {6,
       "outbox sending: state, next attempt, lease, stable Message-ID",
       {
           // state: queued, sent, failed (given up). next_attempt_at and
           // claimed_until are ISO timestamps ('' sorts before any: due, free).
           "ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'queued'",
           "ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE outbox ADD COLUMN claimed_until TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT ''",
           "UPDATE outbox SET state = 'sent' WHERE sent_at <> ''",
           "CREATE INDEX outbox_due ON outbox(state, next_attempt_at, id)",
       },
       // Rows queued before this migration get a Message-ID now (random part
       // from the engine), so that every row has one before its first send.
       {
           "UPDATE outbox SET message_id = '<outbox-' || id || '.' || lower(hex(randomblob(8))) "
           "|| '@amiable>' WHERE message_id = ''",
       },
       {
           "UPDATE outbox SET message_id = '<outbox-' || id || '.' || "
           "substr(md5(random()::text || id::text), 1, 16) || '@amiable>' WHERE message_id = ''",
       }},
      {7,
       "outbox rows of a case: the thread of the case page and of the API",
       {
           "CREATE INDEX outbox_case ON outbox(case_reference, id)",
       }},
      {8,
       "outbox per fund: the fund whose settings send it, the message it answers, an HTML part",
       {
           "ALTER TABLE outbox ADD COLUMN organisme TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE outbox ADD COLUMN in_reply_to TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE outbox ADD COLUMN body_html TEXT NOT NULL DEFAULT ''",
           "UPDATE outbox SET organisme = (SELECT c.organisme FROM cases c "
           "WHERE c.reference = outbox.case_reference) WHERE case_reference <> ''",
       }},
      {9,
       "received mail: messages taken in (exactly once per Message-ID and SHA-256), their files, "
       "the quarantine, the mailbox leases",
       {
           R"(CREATE TABLE received_messages (
                id {ID},
                organisme TEXT NOT NULL,
                message_id TEXT NOT NULL DEFAULT '',
                sha256 TEXT NOT NULL,
                case_id BIGINT REFERENCES cases(id),
                outcome TEXT NOT NULL,
                reason TEXT NOT NULL DEFAULT '',
                reason_detail TEXT NOT NULL DEFAULT '',
                subject TEXT NOT NULL DEFAULT '',
                from_name TEXT NOT NULL DEFAULT '',
                from_address TEXT NOT NULL DEFAULT '',
                body_text TEXT NOT NULL DEFAULT '',
                sent_at TEXT NOT NULL DEFAULT '',
                received_at TEXT NOT NULL,
                automatic TEXT NOT NULL DEFAULT '',
                source TEXT NOT NULL DEFAULT 'imap',
                raw_key TEXT NOT NULL DEFAULT '',
                raw_size BIGINT NOT NULL DEFAULT 0,
                quarantine_state TEXT NOT NULL DEFAULT '',
                handled_by TEXT NOT NULL DEFAULT '',
                handled_at TEXT NOT NULL DEFAULT '',
                handled_reason TEXT NOT NULL DEFAULT '',
                flagged INTEGER NOT NULL DEFAULT 0,
                UNIQUE (organisme, message_id, sha256)))",
           "CREATE INDEX received_case ON received_messages(case_id, id)",
           "CREATE INDEX received_threading ON received_messages(organisme, message_id)",
           "CREATE INDEX received_quarantine ON received_messages(quarantine_state, id)",
           "CREATE INDEX received_flagged ON received_messages(flagged, id)",
           R"(CREATE TABLE received_documents (
                received_id BIGINT NOT NULL REFERENCES received_messages(id),
                position INTEGER NOT NULL,
                storage_key TEXT NOT NULL,
                PRIMARY KEY (received_id, position)))",
           "CREATE INDEX outbox_message_id ON outbox(message_id)",
           R"(CREATE TABLE mailbox_leases (
                organisme TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                until TEXT NOT NULL))",
       }},
      {10,
       "mail settings of a fund: mailbox (IMAP), relay (SMTP), emitter guessed from the sender",
       {
           // Credentials: a file path or an environment variable name, never
           // the password (store/mail_settings.h).
           "CREATE TABLE mail_mailboxes (organisme TEXT PRIMARY KEY REFERENCES organismes(code), "
           "imap_url TEXT NOT NULL, user_name TEXT NOT NULL DEFAULT '', "
           "password_file TEXT NOT NULL DEFAULT '', password_env TEXT NOT NULL DEFAULT '', "
           "inbox TEXT NOT NULL, archive TEXT NOT NULL, quarantine TEXT NOT NULL, "
           "enabled INTEGER NOT NULL DEFAULT 1)",
           "CREATE TABLE mail_smtp (organisme TEXT PRIMARY KEY REFERENCES organismes(code), "
           "smtp_url TEXT NOT NULL, user_name TEXT NOT NULL DEFAULT '', "
           "password_file TEXT NOT NULL DEFAULT '', password_env TEXT NOT NULL DEFAULT '', "
           "from_address TEXT NOT NULL, reply_to TEXT NOT NULL DEFAULT '', "
           "signature TEXT NOT NULL DEFAULT '')",
           "CREATE TABLE mail_emitter_rules (id {ID}, "
           "organisme TEXT NOT NULL REFERENCES organismes(code), match TEXT NOT NULL, "
           "emitter TEXT NOT NULL, UNIQUE (organisme, match))",
       }},
      {11,
       "internal requests (G@ci) to the fund's services, and the services of each fund",
       {
           // One row per service a fund asks questions (store/internal_requests.h).
           R"(CREATE TABLE fund_services (
                organisme TEXT NOT NULL REFERENCES organismes(code),
                code TEXT NOT NULL,
                label TEXT NOT NULL,
                address TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1,
                PRIMARY KEY (organisme, code)))",
           // Dates are YYYY-MM-DD local to the fund's zone. Imported requests
           // carry only their dates (service_code '', no due_on, no outbox).
           // answer_message: Message-ID of the answer when it came by mail.
           R"(CREATE TABLE internal_requests (
                id {ID},
                case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                service_code TEXT NOT NULL DEFAULT '',
                service_label TEXT NOT NULL DEFAULT '',
                to_address TEXT NOT NULL DEFAULT '',
                question TEXT NOT NULL DEFAULT '',
                sent_on TEXT NOT NULL,
                due_on TEXT,
                answered_on TEXT,
                outbox_id BIGINT,
                answer_message TEXT,
                created_by TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL))",
           "CREATE INDEX internal_requests_case ON internal_requests(case_id, id)",
           "CREATE INDEX internal_requests_sent ON internal_requests(sent_on, case_id)",
           "CREATE INDEX internal_requests_outbox ON internal_requests(outbox_id)",
       },
       {},
       {}},
      {12,
       "letters: per-fund template overrides, the fund's orientation list, letters produced, "
       "the orientation code of a case",
       {
           "ALTER TABLE cases ADD COLUMN orientation_code TEXT",
           // A row overrides the default template of `kind` for the fund.
           R"(CREATE TABLE letter_templates (
                organisme TEXT NOT NULL REFERENCES organismes(code),
                kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (organisme, kind)))",
           R"(CREATE TABLE orientations (
                organisme TEXT NOT NULL REFERENCES organismes(code),
                code TEXT NOT NULL,
                label TEXT NOT NULL,
                position INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (organisme, code)))",
           // mode: 'courriel' (outbox_id set) or 'courrier' (document_id set).
           R"(CREATE TABLE letters (
                id {ID},
                case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                mode TEXT NOT NULL,
                subject TEXT NOT NULL,
                body_text TEXT NOT NULL,
                outbox_id BIGINT,
                document_id BIGINT,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL))",
           "CREATE INDEX letters_case ON letters(case_id, id)",
       }},
      {13,
       "accounts: the owner's email address and the OpenID Connect subject of SSO accounts",
       {
           "ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE users ADD COLUMN sso_subject TEXT",
           "CREATE UNIQUE INDEX users_sso_subject ON users(sso_subject)",
       }},
      {14,
       "sign-in guard: counters of failed sign-ins, idle time of sessions, second factor (TOTP) "
       "and recovery codes",
       {
           // A fixed window per counter: counter_key "a|ADDRESS", "u|NAME|ADDRESS",
           // "n|NAME", "c|NAME" (store/sign_in_guard.h); user_name in lower case.
           R"(CREATE TABLE sign_in_attempts (
                counter_key TEXT PRIMARY KEY,
                user_name TEXT NOT NULL DEFAULT '',
                failures INTEGER NOT NULL,
                window_end TEXT NOT NULL,
                notified_at TEXT NOT NULL DEFAULT ''))",
           "CREATE INDEX sign_in_attempts_user ON sign_in_attempts(user_name)",
           "CREATE INDEX sign_in_attempts_end ON sign_in_attempts(window_end)",
           "ALTER TABLE web_sessions ADD COLUMN last_seen TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE web_sessions ADD COLUMN needs_second_factor INTEGER NOT NULL DEFAULT 0",
           R"(CREATE TABLE second_factors (
                user_name TEXT PRIMARY KEY,
                secret TEXT NOT NULL,
                confirmed INTEGER NOT NULL DEFAULT 0,
                last_step BIGINT NOT NULL DEFAULT -1,
                created_at TEXT NOT NULL))",
           R"(CREATE TABLE recovery_codes (
                id {ID},
                user_name TEXT NOT NULL,
                code_hash TEXT NOT NULL,
                used_at TEXT NOT NULL DEFAULT ''))",
           "CREATE INDEX recovery_codes_user ON recovery_codes(user_name, code_hash)",
       },
       {},
       {}},
      {15,
       "audit trail: a hash chain over audit_log (seq, prev_hash, mac), its head row and the "
       "pruning checkpoints",
       {
           // The rows before this migration join the chain: numbered here in
           // id order, hashed by the first append that holds the key (their
           // hash then vouches for their state at that moment).
           "ALTER TABLE audit_log ADD COLUMN seq BIGINT",
           "ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE audit_log ADD COLUMN mac TEXT NOT NULL DEFAULT ''",
           R"(UPDATE audit_log SET seq = r.n
              FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_log) r
              WHERE r.id = audit_log.id)",
           "CREATE UNIQUE INDEX audit_log_seq ON audit_log(seq)",
           "CREATE INDEX audit_log_actor ON audit_log(actor, seq)",
           // One row: the last seq and hash; appends lock it (PostgreSQL
           // FOR UPDATE). chain_id '' until the first keyed append seals
           // the rows above.
           R"(CREATE TABLE audit_head (
                id INTEGER PRIMARY KEY,
                chain_id TEXT NOT NULL,
                seq BIGINT NOT NULL,
                hash TEXT NOT NULL))",
           "INSERT INTO audit_head (id, chain_id, seq, hash) "
           "SELECT 1, '', COALESCE(MAX(seq), 0), '' FROM audit_log",
           R"(CREATE TABLE audit_checkpoints (
                seq BIGINT PRIMARY KEY,
                hash TEXT NOT NULL,
                at TEXT NOT NULL,
                removed BIGINT NOT NULL,
                mac TEXT NOT NULL))",
       },
       {},
       {}},
      {16,
       "retention and data-subject rights: retention period per fund, anonymised cases, files "
       "left to delete, frozen figures, public texts per fund",
       {
           // years: the retention period (closed cases older are anonymised).
           R"(CREATE TABLE retention_settings (
                organisme TEXT PRIMARY KEY REFERENCES organismes(code),
                years INTEGER NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at TEXT NOT NULL))",
           // The day (fund's zone) the case was anonymised; NULL: not anonymised.
           "ALTER TABLE cases ADD COLUMN anonymised_on TEXT",
           "CREATE INDEX cases_org_anonymised ON cases(organisme, anonymised_on)",
           // Stored files (document folder) an anonymisation removed from the
           // database, deleted after its commit; a row left is a file not yet
           // deleted (a crash), which the next run deletes.
           R"(CREATE TABLE privacy_pending_files (
                storage_key TEXT PRIMARY KEY,
                queued_at TEXT NOT NULL))",
           // A fund's figures of a year frozen before a purge (served from then on).
           R"(CREATE TABLE frozen_figures (
                organisme TEXT NOT NULL REFERENCES organismes(code),
                year INTEGER NOT NULL,
                figures_json TEXT NOT NULL,
                state_json TEXT NOT NULL,
                frozen_at TEXT NOT NULL,
                PRIMARY KEY (organisme, year)))",
           // kind: 'donnees_personnelles' or 'accessibilite'.
           R"(CREATE TABLE public_texts (
                organisme TEXT NOT NULL REFERENCES organismes(code),
                kind TEXT NOT NULL,
                text TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (organisme, kind)))",
       },
       {},
       {}},
      {17,
       "partner access: who created a case (a partner sees the cases it created), the "
       "exchange between mediators and partners",
       {
           "ALTER TABLE cases ADD COLUMN created_by TEXT",
           "CREATE INDEX cases_created_by ON cases(created_by)",
           // from_partner: 1 written by a partner, 0 by a mediator (shared
           // with the case's partners by being in this table at all).
           // document_ids: the case's documents attached, "12,13".
           R"(CREATE TABLE partner_messages (
                id {ID},
                case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                author TEXT NOT NULL,
                from_partner INTEGER NOT NULL,
                body TEXT NOT NULL,
                document_ids TEXT NOT NULL DEFAULT '',
                at TEXT NOT NULL))",
           "CREATE INDEX partner_messages_case ON partner_messages(case_id, id)",
       },
       {},
       {}},
      {19,
       "account lifecycle: revoked and last used API tokens, last sign-in of an account",
       {
           "ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT",
           "ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT",
           "ALTER TABLE users ADD COLUMN last_sign_in_at TEXT",
       }},
      {20,
       "report data in the database (issue 10): texts, aggregates, figures cache, fund "
       "branding, context figures, deployment settings, the register of recommendations",
       {
           R"(CREATE TABLE report_texts (
                fund_set TEXT NOT NULL,
                year INTEGER NOT NULL,
                section TEXT NOT NULL,
                body TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (fund_set, year, section)))",
           // scope: fund | all_funds | national_pole; source: imported | typed;
           // body: the aggregate JSON (report/aggregate.h).
           R"(CREATE TABLE report_aggregates (
                scope TEXT NOT NULL,
                fund_set TEXT NOT NULL,
                year INTEGER NOT NULL,
                source TEXT NOT NULL,
                body TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (scope, fund_set, year)))",
           R"(CREATE TABLE report_cache (
                slot TEXT PRIMARY KEY,
                cache_key TEXT NOT NULL,
                body TEXT NOT NULL))",
           // logo: base64 of the PNG or JPEG bytes.
           R"(CREATE TABLE fund_branding (
                organisme TEXT PRIMARY KEY REFERENCES organismes(code),
                logo_type TEXT NOT NULL DEFAULT '',
                logo TEXT NOT NULL DEFAULT '',
                colour TEXT NOT NULL DEFAULT '',
                updated_by TEXT NOT NULL,
                updated_at TEXT NOT NULL))",
           R"(CREATE TABLE context_figures (
                fund_set TEXT NOT NULL,
                year INTEGER NOT NULL,
                beneficiaries BIGINT,
                national_beneficiaries BIGINT,
                all_funds_requests BIGINT,
                complaints BIGINT,
                complaints_within_10_days_rate DOUBLE PRECISION,
                complaints_mean_days DOUBLE PRECISION,
                source TEXT NOT NULL DEFAULT '',
                updated_by TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (fund_set, year)))",
           R"(CREATE TABLE deployment_settings (
                setting TEXT PRIMARY KEY,
                value TEXT NOT NULL))",
           R"(CREATE TABLE recommendation_themes (
                code TEXT PRIMARY KEY,
                label TEXT NOT NULL,
                position INTEGER NOT NULL,
                active INTEGER NOT NULL DEFAULT 1))",
           // The six themes of the reference report's recommendations.
           R"(INSERT INTO recommendation_themes (code, label, position) VALUES
                ('information', 'Clarté et accessibilité de l''information', 1),
                ('accompagnement', 'Accompagnement personnalisé et contacts directs', 2),
                ('fiabilite', 'Fiabilité du traitement des informations transmises', 3),
                ('competences', 'Montée en compétence des agents', 4),
                ('delais', 'Délais de traitement et suivi des dossiers', 5),
                ('amelioration_continue', 'La médiation, outil d''amélioration continue', 6))",
           // kind: constat | preconisation; status: proposee | acceptee |
           // mise_en_oeuvre | abandonnee.
           R"(CREATE TABLE recommendations (
                id {ID},
                organisme TEXT NOT NULL REFERENCES organismes(code),
                year INTEGER NOT NULL,
                kind TEXT NOT NULL,
                theme TEXT NOT NULL REFERENCES recommendation_themes(code),
                text TEXT NOT NULL,
                addressed_to TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL,
                position INTEGER NOT NULL DEFAULT 0,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL))",
           "CREATE INDEX recommendations_org_year ON recommendations(organisme, year, position, id)",
           "CREATE INDEX recommendations_theme ON recommendations(theme, year)",
           R"(CREATE TABLE recommendation_follow_ups (
                id {ID},
                recommendation_id BIGINT NOT NULL REFERENCES recommendations(id) ON DELETE CASCADE,
                year INTEGER NOT NULL,
                on_date TEXT NOT NULL,
                status TEXT NOT NULL,
                note TEXT NOT NULL,
                author TEXT NOT NULL,
                at TEXT NOT NULL))",
           "CREATE INDEX recommendation_follow_ups_item ON recommendation_follow_ups(recommendation_id, id)",
       }},
      // Issue 11, part figs (docs/decisions/0012-figures-aggregates.md): a
      // version per fund of what its figures read, bumped in the writing
      // transaction by triggers (cases, financial lines, internal requests,
      // frozen figures, the fund's calendar), and each fund's figures of a
      // year cached under that version. SQLite (one writer) keeps a counter
      // per fund; PostgreSQL appends to a change log (insert-only, one row
      // per statement and fund, no hot row between concurrent writers),
      // compacted by the reader (sql_figures_cache.cc).
      {23,
       "figures of a year cached per fund, under a per-fund version of their inputs",
       {
           R"(CREATE TABLE figures_cache (
                organisme TEXT NOT NULL,
                year INTEGER NOT NULL,
                as_of TEXT NOT NULL,
                version TEXT NOT NULL,
                state_json TEXT NOT NULL,
                PRIMARY KEY (organisme, year, as_of)))",
       },
       {
           "CREATE TABLE fund_versions (organisme TEXT PRIMARY KEY, version BIGINT NOT NULL)",
           R"(CREATE TRIGGER figures_cases_ai AFTER INSERT ON cases BEGIN
                INSERT INTO fund_versions (organisme, version) VALUES (NEW.organisme, 1)
                  ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
           R"(CREATE TRIGGER figures_cases_au AFTER UPDATE ON cases BEGIN
                INSERT INTO fund_versions (organisme, version) VALUES (NEW.organisme, 1)
                  ON CONFLICT(organisme) DO UPDATE SET version = version + 1;
                INSERT INTO fund_versions (organisme, version) SELECT OLD.organisme, 1
                  WHERE OLD.organisme <> NEW.organisme
                  ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
           R"(CREATE TRIGGER figures_cases_ad AFTER DELETE ON cases BEGIN
                INSERT INTO fund_versions (organisme, version) VALUES (OLD.organisme, 1)
                  ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
           R"(CREATE TRIGGER figures_lines_ai AFTER INSERT ON financial_lines BEGIN
                INSERT INTO fund_versions (organisme, version) SELECT organisme, 1 FROM cases
                  WHERE id = NEW.case_id ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
           R"(CREATE TRIGGER figures_lines_au AFTER UPDATE ON financial_lines BEGIN
                INSERT INTO fund_versions (organisme, version) SELECT organisme, 1 FROM cases
                  WHERE id = NEW.case_id ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
           R"(CREATE TRIGGER figures_lines_ad AFTER DELETE ON financial_lines BEGIN
                INSERT INTO fund_versions (organisme, version) SELECT organisme, 1 FROM cases
                  WHERE id = OLD.case_id ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
           R"(CREATE TRIGGER figures_requests_ai AFTER INSERT ON internal_requests BEGIN
                INSERT INTO fund_versions (organisme, version) SELECT organisme, 1 FROM cases
                  WHERE id = NEW.case_id ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
           R"(CREATE TRIGGER figures_requests_au AFTER UPDATE ON internal_requests BEGIN
                INSERT INTO fund_versions (organisme, version) SELECT organisme, 1 FROM cases
                  WHERE id = NEW.case_id ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
           R"(CREATE TRIGGER figures_requests_ad AFTER DELETE ON internal_requests BEGIN
                INSERT INTO fund_versions (organisme, version) SELECT organisme, 1 FROM cases
                  WHERE id = OLD.case_id ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
           R"(CREATE TRIGGER figures_frozen_ai AFTER INSERT ON frozen_figures BEGIN
                INSERT INTO fund_versions (organisme, version) VALUES (NEW.organisme, 1)
                  ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
           R"(CREATE TRIGGER figures_frozen_au AFTER UPDATE ON frozen_figures BEGIN
                INSERT INTO fund_versions (organisme, version) VALUES (NEW.organisme, 1)
                  ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
           R"(CREATE TRIGGER figures_frozen_ad AFTER DELETE ON frozen_figures BEGIN
                INSERT INTO fund_versions (organisme, version) VALUES (OLD.organisme, 1)
                  ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
           R"(CREATE TRIGGER figures_funds_au AFTER UPDATE ON organismes BEGIN
                INSERT INTO fund_versions (organisme, version) VALUES (NEW.code, 1)
                  ON CONFLICT(organisme) DO UPDATE SET version = version + 1; END)",
       },
       {
           R"(CREATE TABLE fund_changes (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                organisme TEXT NOT NULL))",
           "CREATE INDEX fund_changes_fund ON fund_changes(organisme, id)",
           // Tables with an organisme column (cases, frozen_figures).
           R"(CREATE FUNCTION figures_changed_fund() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                IF TG_OP = 'INSERT' THEN
                  INSERT INTO fund_changes (organisme) SELECT DISTINCT organisme FROM new_rows;
                ELSIF TG_OP = 'UPDATE' THEN
                  INSERT INTO fund_changes (organisme)
                    SELECT organisme FROM new_rows UNION SELECT organisme FROM old_rows;
                ELSE
                  INSERT INTO fund_changes (organisme) SELECT DISTINCT organisme FROM old_rows;
                END IF;
                RETURN NULL;
              END $$)",
           // Tables with a case_id column (financial_lines, internal_requests).
           R"(CREATE FUNCTION figures_changed_case() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                IF TG_OP = 'INSERT' THEN
                  INSERT INTO fund_changes (organisme) SELECT DISTINCT c.organisme
                    FROM new_rows n JOIN cases c ON c.id = n.case_id;
                ELSIF TG_OP = 'UPDATE' THEN
                  INSERT INTO fund_changes (organisme) SELECT DISTINCT c.organisme
                    FROM new_rows n JOIN cases c ON c.id = n.case_id;
                ELSE
                  INSERT INTO fund_changes (organisme) SELECT DISTINCT c.organisme
                    FROM old_rows o JOIN cases c ON c.id = o.case_id;
                END IF;
                RETURN NULL;
              END $$)",
           R"(CREATE FUNCTION figures_changed_calendar() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                INSERT INTO fund_changes (organisme) SELECT DISTINCT code FROM new_rows;
                RETURN NULL;
              END $$)",
           "CREATE TRIGGER figures_cases_ai AFTER INSERT ON cases REFERENCING NEW TABLE AS new_rows "
           "FOR EACH STATEMENT EXECUTE FUNCTION figures_changed_fund()",
           "CREATE TRIGGER figures_cases_au AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_rows "
           "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_changed_fund()",
           "CREATE TRIGGER figures_cases_ad AFTER DELETE ON cases REFERENCING OLD TABLE AS old_rows "
           "FOR EACH STATEMENT EXECUTE FUNCTION figures_changed_fund()",
           "CREATE TRIGGER figures_frozen_ai AFTER INSERT ON frozen_figures REFERENCING NEW TABLE AS "
           "new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_changed_fund()",
           "CREATE TRIGGER figures_frozen_au AFTER UPDATE ON frozen_figures REFERENCING OLD TABLE AS "
           "old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_changed_fund()",
           "CREATE TRIGGER figures_frozen_ad AFTER DELETE ON frozen_figures REFERENCING OLD TABLE AS "
           "old_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_changed_fund()",
           "CREATE TRIGGER figures_lines_ai AFTER INSERT ON financial_lines REFERENCING NEW TABLE AS "
           "new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_changed_case()",
           "CREATE TRIGGER figures_lines_au AFTER UPDATE ON financial_lines REFERENCING OLD TABLE AS "
           "old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_changed_case()",
           "CREATE TRIGGER figures_lines_ad AFTER DELETE ON financial_lines REFERENCING OLD TABLE AS "
           "old_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_changed_case()",
           "CREATE TRIGGER figures_requests_ai AFTER INSERT ON internal_requests REFERENCING NEW TABLE "
           "AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_changed_case()",
           "CREATE TRIGGER figures_requests_au AFTER UPDATE ON internal_requests REFERENCING OLD TABLE "
           "AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "
           "figures_changed_case()",
           "CREATE TRIGGER figures_requests_ad AFTER DELETE ON internal_requests REFERENCING OLD TABLE "
           "AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_changed_case()",
           "CREATE TRIGGER figures_funds_au AFTER UPDATE ON organismes REFERENCING NEW TABLE AS "
           "new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_changed_calendar()",
       }},
  };
  return kMigrations;
}

}  // namespace amiable::store
