/* sqlite.c — the embedded SQLite backend (DESIGN.md §7).
 *
 * One file in WAL mode with synchronous=FULL: a commit that returned is on
 * disk, and a process killed at any instant leaves either the whole
 * transaction or none of it. The schema is versioned with PRAGMA
 * user_version; migrations run in order, each in its own transaction.
 *
 * Tables (schema 1):
 *   agencies(code PK, name, country, kind, contact, regions, created)
 *   records(id PK, kind, owner→agencies, source, source_id, status, version,
 *           created, updated, restriction, restriction_list, review_date,
 *           content_hash, gender, remarks; UNIQUE(source, source_id))
 *   names / birth_dates / birth_places / nationalities / identifiers /
 *   addresses / listings / attributes (record_id→records ON DELETE CASCADE,
 *           seq, fields...)  — one row per element of the record's arrays
 *   imports(seq, time, source, format, files, summary)
 *   audit(seq, time, user, agency, role, action, purpose, records, detail,
 *         prev_hash, hash)   — append-only, hash-chained
 * Schema 2 adds the change feed:
 *   changes(seq, record_id, op, time) — filled by triggers on records
 * Schema 3: the travel tables (sqlite_travel.c): documents and
 *   document_changes, rules, movements, links.
 * Schema 4: the audit anchor (issue 5):
 *   audit_head(id = 1, count, last_seq, last_hash) — one row, kept by a
 *         trigger on audit: entries ever appended, the newest seq and hash
 * Schema 5: the identities (sqlite_auth.c):
 *   users(id, username UNIQUE, agency→agencies, role, password_hash,
 *         enabled, totp_secret, totp_last_step, created, updated)
 *   sessions(token_hash PK, user_id→users, created, last_used, expires,
 *            remote_addr)
 *   api_keys(id, key_hash UNIQUE, agency→agencies, name, scope, created,
 *            revoked; UNIQUE(agency, name))
 *   login_attempts(seq, kind 'user'|'addr', subject, time) — failures only
 * Schema 6: notices (sqlite_notices.c, issue 5):
 *   notices(seq PK — the id is "N-<seq>", record_id→records ON DELETE
 *           CASCADE, kind, state 'draft'|'review'|'published'|'cancelled',
 *           action, summary, valid_until, owner→agencies, created,
 *           created_by, updated, published, published_by, cancelled,
 *           cancelled_by, cancel_reason)
 * Schema 7: hits (sqlite_hits.c):
 *   hits(seq, id UNIQUE "H-…", created, kind, checking_agency, checking_user,
 *        owner, record, document, name, query JSON, score, decision,
 *        notice_id, notice_kind, notice_action, state, updated)
 *   hit_events(seq, hit_seq→hits, time, user, agency, event, note)
 *   hit_messages(seq, hit_seq→hits, time, user, agency, text)
 * Schema 8: triggers only — an insert of a published notice, and a change
 *   of a published notice's kind, action or record, move the change feed.
 * Schema 9: no change of meaning — the CHECKs of hits and hit_events say
 *   "x = 'a' OR x = 'b' OR ..." instead of "x IN ('a','b',...)".
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pthread.h>
#include <sqlite3.h>

#include "ctwatch/error.h"
#include "store/sqlite_int.h"
#include "store/store_int.h"

static const char *const migrations[] = {
    /* 1: the first data model */
    "CREATE TABLE agencies ("
    "  code TEXT PRIMARY KEY, name TEXT, country TEXT, kind TEXT, contact TEXT,"
    "  regions TEXT, created TEXT NOT NULL);"
    "CREATE TABLE records ("
    "  id TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('person','organisation','vessel','aircraft')),"
    "  owner TEXT NOT NULL REFERENCES agencies(code),"
    "  source TEXT NOT NULL, source_id TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','removed')),"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  created TEXT NOT NULL, updated TEXT NOT NULL,"
    "  restriction TEXT NOT NULL DEFAULT 'all'"
    "    CHECK (restriction IN ('all','regions','agencies','all-except','hit-only')),"
    "  restriction_list TEXT,"
    "  review_date TEXT NOT NULL,"
    "  content_hash TEXT NOT NULL,"
    "  gender TEXT, remarks TEXT,"
    "  UNIQUE (source, source_id));"
    "CREATE INDEX records_owner ON records(owner);"
    "CREATE INDEX records_review ON records(review_date);"
    "CREATE TABLE names (record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, full TEXT NOT NULL, given TEXT, middle TEXT, family TEXT,"
    "  patronymic TEXT, script TEXT, lang TEXT,"
    "  kind TEXT NOT NULL CHECK (kind IN ('primary','alias-strong','alias-weak','original-script')),"
    "  quality TEXT, PRIMARY KEY (record_id, seq));"
    "CREATE TABLE birth_dates (record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  precision TEXT NOT NULL CHECK (precision IN ('exact','month','year','range','approx')),"
    "  date_from TEXT, date_to TEXT, text TEXT, PRIMARY KEY (record_id, seq));"
    "CREATE TABLE birth_places (record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, place TEXT, country TEXT, PRIMARY KEY (record_id, seq));"
    "CREATE TABLE nationalities (record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, country TEXT, text TEXT, PRIMARY KEY (record_id, seq));"
    "CREATE TABLE identifiers (record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, type TEXT, number TEXT, country TEXT, issued TEXT, expires TEXT,"
    "  note TEXT, PRIMARY KEY (record_id, seq));"
    "CREATE INDEX identifiers_number ON identifiers(number);"
    "CREATE TABLE addresses (record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, full TEXT, street TEXT, city TEXT, region TEXT, postal_code TEXT,"
    "  country TEXT, note TEXT, PRIMARY KEY (record_id, seq));"
    "CREATE TABLE listings (record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, kind TEXT, authority TEXT, program TEXT, reference TEXT,"
    "  listed_on TEXT, action TEXT, status TEXT, PRIMARY KEY (record_id, seq));"
    "CREATE TABLE attributes (record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY (record_id, seq));"
    "CREATE TABLE travel_documents ("
    "  id TEXT PRIMARY KEY, issuing_state TEXT NOT NULL, type TEXT, number TEXT NOT NULL,"
    "  number_norm TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('valid','stolen','lost','revoked','invalidated','stolen-blank')),"
    "  holder TEXT REFERENCES records(id) ON DELETE SET NULL,"
    "  owner TEXT NOT NULL REFERENCES agencies(code), reported TEXT, issued TEXT, expires TEXT,"
    "  restriction TEXT NOT NULL DEFAULT 'all', restriction_list TEXT,"
    "  review_date TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,"
    "  UNIQUE (issuing_state, number_norm, type));"
    "CREATE TABLE imports (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, source TEXT NOT NULL,"
    "  format TEXT NOT NULL, files TEXT, summary TEXT);"
    "CREATE TABLE audit (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, user TEXT NOT NULL,"
    "  agency TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL, purpose TEXT NOT NULL,"
    "  records TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    /* the log is append-only: the database itself refuses edits */
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
    /* 2: the change feed — a monotonic sequence of record changes that the
     * screening index (and later, scale-out nodes) follow */
    "CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, record_id TEXT NOT NULL,"
    "  op TEXT NOT NULL CHECK (op IN ('insert','update','delete')),"
    "  time TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
    "INSERT INTO changes (record_id, op) SELECT id, 'insert' FROM records ORDER BY id;"
    "CREATE TRIGGER records_insert_feed AFTER INSERT ON records"
    "  BEGIN INSERT INTO changes (record_id, op) VALUES (NEW.id, 'insert'); END;"
    "CREATE TRIGGER records_update_feed AFTER UPDATE ON records"
    "  BEGIN INSERT INTO changes (record_id, op) VALUES (NEW.id, 'update'); END;"
    "CREATE TRIGGER records_delete_feed AFTER DELETE ON records"
    "  BEGIN INSERT INTO changes (record_id, op) VALUES (OLD.id, 'delete'); END;",
    /* 3: travel — stolen and lost documents with a stable integer ref (the
     * in-memory table holds refs) and their own change feed; risk rules,
     * versioned; movements of travellers and the links between them.
     * travel_documents of schema 1 was never written by any version. */
    "DROP TABLE travel_documents;"
    "CREATE TABLE documents ("
    "  ref INTEGER PRIMARY KEY,"
    "  issuing_state TEXT NOT NULL, type TEXT NOT NULL DEFAULT '', number TEXT NOT NULL,"
    "  number_norm TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('stolen','lost','revoked','invalidated','stolen-blank')),"
    "  owner TEXT NOT NULL REFERENCES agencies(code), reported TEXT,"
    "  restriction TEXT NOT NULL DEFAULT 'all'"
    "    CHECK (restriction IN ('all','regions','agencies','all-except','hit-only')),"
    "  restriction_list TEXT, review_date TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,"
    "  UNIQUE (issuing_state, number_norm, type));"
    "CREATE TABLE document_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, ref INTEGER NOT NULL,"
    "  op TEXT NOT NULL CHECK (op IN ('insert','update','delete')));"
    "CREATE TRIGGER documents_insert_feed AFTER INSERT ON documents"
    "  BEGIN INSERT INTO document_changes (ref, op) VALUES (NEW.ref, 'insert'); END;"
    "CREATE TRIGGER documents_update_feed AFTER UPDATE ON documents"
    "  BEGIN INSERT INTO document_changes (ref, op) VALUES (NEW.ref, 'update'); END;"
    "CREATE TRIGGER documents_delete_feed AFTER DELETE ON documents"
    "  BEGIN INSERT INTO document_changes (ref, op) VALUES (OLD.ref, 'delete'); END;"
    "CREATE TABLE rules (id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
    "  severity TEXT NOT NULL, enabled INTEGER NOT NULL, definition TEXT NOT NULL,"
    "  author TEXT NOT NULL, agency TEXT NOT NULL, created TEXT NOT NULL, PRIMARY KEY (id, version));"
    "CREATE TABLE movements (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
    "  person TEXT REFERENCES records(id) ON DELETE SET NULL,"
    "  reason TEXT NOT NULL CHECK (reason IN ('match','co-traveller')), score REAL NOT NULL DEFAULT 0,"
    "  surname TEXT, given TEXT, birth_date TEXT, sex TEXT, nationality TEXT,"
    "  doc_type TEXT, doc_number TEXT, doc_state TEXT, carrier TEXT, flight TEXT, origin TEXT,"
    "  destination TEXT, departure TEXT, arrival TEXT, booking TEXT, source TEXT NOT NULL,"
    "  message_ref TEXT, agency TEXT NOT NULL, recorded TEXT NOT NULL);"
    "CREATE INDEX movements_person ON movements(person);"
    "CREATE TABLE links (seq INTEGER PRIMARY KEY,"
    "  a INTEGER NOT NULL REFERENCES movements(seq) ON DELETE CASCADE,"
    "  b INTEGER NOT NULL REFERENCES movements(seq) ON DELETE CASCADE,"
    "  type TEXT NOT NULL CHECK (type IN ('same-booking','same-flight')), date TEXT,"
    "  source TEXT NOT NULL, UNIQUE (a, b, type));"
    "CREATE INDEX links_b ON links(b);",
    /* 4: the audit anchor (issue 5). The hash chain shows an entry changed,
     * removed or moved inside the log, but not the newest entries cut off:
     * what remains is still a valid chain. audit_head keeps, apart from the
     * rows, how many entries were ever appended and the newest one's seq and
     * hash, written by a trigger in the same transaction as each append, so
     * that ctw_store_audit_verify() sees a log that ends early.
     * SQLite cannot let only that trigger write the table: a trigger does
     * not know what fired the statement, and whoever can drop audit's
     * triggers can drop audit_head's as well. The anchor still does what is
     * required: one entry changed, removed or reordered no longer leaves a
     * consistent file; hiding it takes rewriting the anchor to match too.
     * It starts from the rows as they are: a cut made before it existed
     * stays unseen. */
    "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), count INTEGER NOT NULL,"
    "  last_seq INTEGER NOT NULL, last_hash TEXT NOT NULL);"
    "INSERT INTO audit_head (id, count, last_seq, last_hash)"
    "  SELECT 1, count(*), coalesce(max(seq), 0),"
    "    coalesce((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), '') FROM audit;"
    "CREATE TRIGGER audit_head_append AFTER INSERT ON audit BEGIN"
    "  UPDATE audit_head SET count = count + 1, last_seq = NEW.seq, last_hash = NEW.hash WHERE id = 1;"
    "END;"
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head"
    "  BEGIN SELECT RAISE(ABORT, 'the audit anchor is kept by the store'); END;",
    /* 5: identities (issue 5) — users of agencies, their sessions, the API
     * keys of border systems, and failed logins for the throttle. Session
     * tokens and keys are kept only as BLAKE2b-256 hashes (hex); times of
     * sessions and attempts are Unix seconds, compared and never shown. An
     * agency's regions stay in agencies.regions (schema 1). */
    "CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
    "  agency TEXT NOT NULL REFERENCES agencies(code),"
    "  role TEXT NOT NULL CHECK (role IN ('officer','analyst','supervisor','agency-admin','auditor',"
    "    'system-admin')),"
    "  password_hash TEXT, enabled INTEGER NOT NULL DEFAULT 1,"
    "  totp_secret BLOB, totp_last_step INTEGER NOT NULL DEFAULT -1,"
    "  created TEXT NOT NULL, updated TEXT NOT NULL);"
    "CREATE INDEX users_agency ON users(agency);"
    "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  created INTEGER NOT NULL, last_used INTEGER NOT NULL, expires INTEGER NOT NULL, remote_addr TEXT);"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "CREATE TABLE api_keys (id INTEGER PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE,"
    "  agency TEXT NOT NULL REFERENCES agencies(code), name TEXT NOT NULL,"
    "  scope TEXT NOT NULL CHECK (scope IN ('screening')),"
    "  created TEXT NOT NULL, revoked TEXT, UNIQUE (agency, name));"
    "CREATE TABLE login_attempts (seq INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('user','addr')), subject TEXT NOT NULL, time INTEGER NOT NULL);"
    "CREATE INDEX login_attempts_subject ON login_attempts(kind, subject, time);"
    "CREATE INDEX login_attempts_time ON login_attempts(time);",
    /* 6: notices (issue 5). Only records with a published, unexpired
     * notice are screened, so every record an import brought gets one here
     * and the store upgrades in place: UN-SC -> un-special/inform, US-OFAC
     * -> sanctions/inform, any other owner -> national/monitor. A notice
     * that starts or stops being published moves the change feed of its
     * record, so a running server's index follows. A notice is inserted
     * published only by an import, in the transaction that puts its record
     * (whose own change is enough): there is no insert trigger, which would
     * double the feed of a million-record import (schema 8 adds it). */
    "CREATE TABLE notices (seq INTEGER PRIMARY KEY,"
    "  record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('red','blue','yellow','green','orange','black','purple',"
    "    'un-special','diffusion','national','sanctions')),"
    "  state TEXT NOT NULL CHECK (state IN ('draft','review','published','cancelled')),"
    "  action TEXT NOT NULL CHECK (action IN ('arrest','locate','inform','monitor')),"
    "  summary TEXT, valid_until TEXT, owner TEXT NOT NULL REFERENCES agencies(code),"
    "  created TEXT NOT NULL, created_by TEXT NOT NULL, updated TEXT NOT NULL,"
    "  published TEXT, published_by TEXT, cancelled TEXT, cancelled_by TEXT, cancel_reason TEXT);"
    "CREATE INDEX notices_record ON notices(record_id, state);"
    "INSERT INTO notices (record_id, kind, state, action, owner, created, created_by, updated, published,"
    "    published_by)"
    "  SELECT id, CASE owner WHEN 'UN-SC' THEN 'un-special' WHEN 'US-OFAC' THEN 'sanctions' ELSE 'national' END,"
    "    'published', CASE owner WHEN 'UN-SC' THEN 'inform' WHEN 'US-OFAC' THEN 'inform' ELSE 'monitor' END,"
    "    owner, created, 'import', strftime('%Y-%m-%dT%H:%M:%SZ','now'), strftime('%Y-%m-%dT%H:%M:%SZ','now'),"
    "    'import'"
    "  FROM records WHERE status = 'active' AND source IN (SELECT source FROM imports) ORDER BY id;"
    "CREATE TRIGGER notices_update_feed AFTER UPDATE OF state, valid_until ON notices"
    "  WHEN (OLD.state = 'published' OR NEW.state = 'published')"
    "    AND (OLD.state IS NOT NEW.state OR OLD.valid_until IS NOT NEW.valid_until)"
    "  BEGIN INSERT INTO changes (record_id, op) VALUES (NEW.record_id, 'update'); END;",
    /* 7: hits (issue 5 part 5; sqlite_hits.c). A hit names the record or
     * document by id only (no foreign key: a record may be deleted at its
     * review date, the hit's history stays). Events and messages belong to
     * their hit; hit_events.seq is the number a stream resumes from. */
    "CREATE TABLE hits (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, created TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('person','document','manifest')),"
    "  checking_agency TEXT NOT NULL, checking_user TEXT NOT NULL, owner TEXT NOT NULL,"
    "  record TEXT, document TEXT, name TEXT, query TEXT NOT NULL, score REAL,"
    "  decision TEXT NOT NULL, notice_id TEXT, notice_kind TEXT, notice_action TEXT,"
    "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','confirmed','false-match','closed')),"
    "  updated TEXT NOT NULL);"
    "CREATE INDEX hits_owner ON hits(owner, seq);"
    "CREATE INDEX hits_checker ON hits(checking_agency, seq);"
    "CREATE TABLE hit_events (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  hit_seq INTEGER NOT NULL REFERENCES hits(seq), time TEXT NOT NULL, user TEXT NOT NULL,"
    "  agency TEXT NOT NULL,"
    "  event TEXT NOT NULL CHECK (event IN ('created','confirmed','false-match','closed','message')),"
    "  note TEXT);"
    "CREATE INDEX hit_events_hit ON hit_events(hit_seq, seq);"
    "CREATE TABLE hit_messages (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  hit_seq INTEGER NOT NULL REFERENCES hits(seq), time TEXT NOT NULL, user TEXT NOT NULL,"
    "  agency TEXT NOT NULL, text TEXT NOT NULL);"
    "CREATE INDEX hit_messages_hit ON hit_messages(hit_seq, seq);",
    /* 8: the feed covers every change a screening answer can see in a
     * published notice. A server answers the notice of a hit from its
     * index's copy of the notices as long as the feed has not moved since
     * the build (notices.c), so a notice inserted already published (an
     * import's, schema 6's) must move the feed too, and so must a change of
     * a published notice's kind, action or record, which no code makes
     * today. This doubles an import's feed rows (schema 6's note): one
     * more row per record, beside the dozen its elements write. Schema 6's
     * own insert ran before: a store is migrated when it is opened, before
     * any index of this version records a feed position. */
    "CREATE TRIGGER notices_insert_feed AFTER INSERT ON notices WHEN NEW.state = 'published'"
    "  BEGIN INSERT INTO changes (record_id, op) VALUES (NEW.record_id, 'update'); END;"
    "CREATE TRIGGER notices_fields_feed AFTER UPDATE OF kind, action, record_id ON notices"
    "  WHEN (OLD.state = 'published' OR NEW.state = 'published')"
    "    AND (OLD.kind IS NOT NEW.kind OR OLD.action IS NOT NEW.action OR OLD.record_id IS NOT NEW.record_id)"
    "  BEGIN INSERT INTO changes (record_id, op) VALUES (OLD.record_id, 'update');"
    "    INSERT INTO changes (record_id, op) SELECT NEW.record_id, 'update' WHERE NEW.record_id IS NOT OLD.record_id;"
    "  END;",
    /* 9: the same CHECKs of hits and hit_events, written as comparisons.
     * SQLite tests "x IN (three or more constants)" by filling a temporary
     * b-tree with the constants, opened and closed on every row written:
     * the audit writer did it three times for every hit, a sixteenth of
     * its time, which every answer with a hit waits for (bench/README.md,
     * "Hits' CHECKs"). A chain of "=" is tested in place. Rows are not
     * touched, so the text is edited where SQLite keeps it, by the
     * procedure of SQLite's ALTER TABLE documentation for changes that
     * leave the file's content as it is (writable_schema; migrate() then
     * moves the schema cookie, MIGRATION_EDITS_SCHEMA_TEXT). replace()
     * changes only the exact text of schema 7, so a store whose text
     * differs keeps its CHECKs, and this migration costs no time on a
     * store of millions of hits. */
    "PRAGMA writable_schema=ON;"
    "UPDATE sqlite_master SET sql = replace(replace(sql,"
    "    'CHECK (kind IN (''person'',''document'',''manifest''))',"
    "    'CHECK (kind = ''person'' OR kind = ''document'' OR kind = ''manifest'')'),"
    "    'CHECK (state IN (''pending'',''confirmed'',''false-match'',''closed''))',"
    "    'CHECK (state = ''pending'' OR state = ''confirmed'' OR state = ''false-match'' OR state = ''closed'')')"
    "  WHERE type = 'table' AND name = 'hits';"
    "UPDATE sqlite_master SET sql = replace(sql,"
    "    'CHECK (event IN (''created'',''confirmed'',''false-match'',''closed'',''message''))',"
    "    'CHECK (event = ''created'' OR event = ''confirmed'' OR event = ''false-match'' OR event = ''closed''"
    " OR event = ''message'')')"
    "  WHERE type = 'table' AND name = 'hit_events';"
    "PRAGMA writable_schema=OFF;",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

/* The migration that edits sqlite_master's text (schema 9). */
#define MIGRATION_EDITS_SCHEMA_TEXT 9

int ctw__sqlite_schema_latest(void) { return N_MIGRATIONS; }

/* Prepared statements, made once per handle. */
enum {
    ST_HEAD, ST_PUT, ST_LOAD, ST_DEL_NAMES, ST_DEL_DATES, ST_DEL_PLACES, ST_DEL_NAT, ST_DEL_IDS,
    ST_DEL_ADDR, ST_DEL_LIST, ST_DEL_ATTR, ST_INS_NAME, ST_INS_DATE, ST_INS_PLACE, ST_INS_NAT,
    ST_INS_ID, ST_INS_ADDR, ST_INS_LIST, ST_INS_ATTR, ST_SEL_NAMES, ST_SEL_DATES, ST_SEL_PLACES,
    ST_SEL_NAT, ST_SEL_IDS, ST_SEL_ADDR, ST_SEL_LIST, ST_SEL_ATTR, ST_ENSURE_AGENCY,
    ST_HAS_AGENCY, ST_MARK_REMOVED, ST_SET_RESTRICTION, ST_COUNTS, ST_NOTE_IMPORT, ST_AUDIT_LAST, ST_AUDIT_INS,
    ST_CHANGE_SEQ, ST_BEGIN_IMMEDIATE, ST_COMMIT, ST_ROLLBACK, ST_SAVEPOINT_AUDIT, ST_RELEASE_AUDIT,
    ST_ROLLBACK_TO_AUDIT, ST__COUNT
};

static const char *const stmt_sql[ST__COUNT] = {
    [ST_HEAD] = "SELECT id, content_hash, version, status, kind FROM records WHERE source=?1 AND source_id=?2",
    [ST_PUT] = "INSERT INTO records (id, kind, owner, source, source_id, status, version, created,"
               " updated, restriction, restriction_list, review_date, content_hash, gender, remarks)"
               " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)"
               " ON CONFLICT(id) DO UPDATE SET kind=?2, owner=?3, source=?4, source_id=?5,"
               " status=?6, version=?7, updated=?9, content_hash=?13, gender=?14, remarks=?15",
    [ST_LOAD] = "SELECT id, kind, owner, source, source_id, status, version, created, updated,"
                " restriction, restriction_list, review_date, gender, remarks FROM records WHERE id=?1",
    [ST_DEL_NAMES] = "DELETE FROM names WHERE record_id=?1",
    [ST_DEL_DATES] = "DELETE FROM birth_dates WHERE record_id=?1",
    [ST_DEL_PLACES] = "DELETE FROM birth_places WHERE record_id=?1",
    [ST_DEL_NAT] = "DELETE FROM nationalities WHERE record_id=?1",
    [ST_DEL_IDS] = "DELETE FROM identifiers WHERE record_id=?1",
    [ST_DEL_ADDR] = "DELETE FROM addresses WHERE record_id=?1",
    [ST_DEL_LIST] = "DELETE FROM listings WHERE record_id=?1",
    [ST_DEL_ATTR] = "DELETE FROM attributes WHERE record_id=?1",
    [ST_INS_NAME] = "INSERT INTO names VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
    [ST_INS_DATE] = "INSERT INTO birth_dates VALUES (?1,?2,?3,?4,?5,?6)",
    [ST_INS_PLACE] = "INSERT INTO birth_places VALUES (?1,?2,?3,?4)",
    [ST_INS_NAT] = "INSERT INTO nationalities VALUES (?1,?2,?3,?4)",
    [ST_INS_ID] = "INSERT INTO identifiers VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
    [ST_INS_ADDR] = "INSERT INTO addresses VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    [ST_INS_LIST] = "INSERT INTO listings VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    [ST_INS_ATTR] = "INSERT INTO attributes VALUES (?1,?2,?3,?4)",
    [ST_SEL_NAMES] = "SELECT full, given, middle, family, patronymic, script, lang, kind, quality"
                     " FROM names WHERE record_id=?1 ORDER BY seq",
    [ST_SEL_DATES] = "SELECT precision, date_from, date_to, text FROM birth_dates WHERE record_id=?1 ORDER BY seq",
    [ST_SEL_PLACES] = "SELECT place, country FROM birth_places WHERE record_id=?1 ORDER BY seq",
    [ST_SEL_NAT] = "SELECT country, text FROM nationalities WHERE record_id=?1 ORDER BY seq",
    [ST_SEL_IDS] = "SELECT type, number, country, issued, expires, note FROM identifiers"
                   " WHERE record_id=?1 ORDER BY seq",
    [ST_SEL_ADDR] = "SELECT full, street, city, region, postal_code, country, note FROM addresses"
                    " WHERE record_id=?1 ORDER BY seq",
    [ST_SEL_LIST] = "SELECT kind, authority, program, reference, listed_on, action, status FROM listings"
                    " WHERE record_id=?1 ORDER BY seq",
    [ST_SEL_ATTR] = "SELECT key, value FROM attributes WHERE record_id=?1 ORDER BY seq",
    [ST_ENSURE_AGENCY] = "INSERT INTO agencies (code, name, country, kind, contact, created)"
                         " VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT(code) DO NOTHING",
    [ST_HAS_AGENCY] = "SELECT 1 FROM agencies WHERE code=?1",
    [ST_MARK_REMOVED] = "UPDATE records SET status='removed', version=version+1, updated=?2"
                        " WHERE id=?1 AND status='active'",
    [ST_SET_RESTRICTION] = "UPDATE records SET restriction=?2, restriction_list=?3, version=version+1, updated=?4"
                           " WHERE id=?1",
    [ST_COUNTS] = "SELECT source, kind, status, count(*) FROM records GROUP BY source, kind, status"
                  " ORDER BY source, kind, status",
    [ST_NOTE_IMPORT] = "INSERT INTO imports (time, source, format, files, summary) VALUES (?1,?2,?3,?4,?5)",
    [ST_AUDIT_LAST] = "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1",
    [ST_CHANGE_SEQ] = "SELECT coalesce(max(seq), 0) FROM changes",
    [ST_AUDIT_INS] = "INSERT INTO audit (time, user, agency, role, action, purpose, records, detail,"
                     " prev_hash, hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    /* a busy server opens and closes a transaction per audit batch and a
     * savepoint per entry: prepared once, not parsed by sqlite3_exec each time */
    [ST_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT_AUDIT] = "SAVEPOINT audit",
    [ST_RELEASE_AUDIT] = "RELEASE audit",
    [ST_ROLLBACK_TO_AUDIT] = "ROLLBACK TO audit",
};

typedef struct sqlite_store {
    sqlite3 *db;
    sqlite3_stmt *st[ST__COUNT];
    bool readonly;
    ctw__sqlite_travel *travel;   /* statements of sqlite_travel.c, made on first use */
    ctw__sqlite_auth *auth;       /* statements of sqlite_auth.c, made on first use */
    ctw__sqlite_notices *notices; /* statements of sqlite_notices.c, made on first use */
    ctw__sqlite_hits *hits;       /* statements of sqlite_hits.c, made on first use */
    ctw__sq_checkpointer *checkpointer; /* CTW_STORE_HOT_WRITER, else NULL */
    struct timespec busy_since;   /* when the current wait for a lock began (busy_wait) */
} sqlite_store;

sqlite3 *ctw__sqlite_db(void *impl) { return ((sqlite_store *)impl)->db; }
ctw__sqlite_travel **ctw__sqlite_travel_slot(void *impl) { return &((sqlite_store *)impl)->travel; }
ctw__sqlite_auth **ctw__sqlite_auth_slot(void *impl) { return &((sqlite_store *)impl)->auth; }
ctw__sqlite_notices **ctw__sqlite_notices_slot(void *impl) { return &((sqlite_store *)impl)->notices; }
ctw__sqlite_hits **ctw__sqlite_hits_slot(void *impl) { return &((sqlite_store *)impl)->hits; }

static int db_error(sqlite_store *s, int rc)
{
    (void)s;
    if (rc == SQLITE_NOMEM) return CTW_ENOMEM;
    if (rc == SQLITE_CONSTRAINT) return CTW_EINVAL;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return CTW_ECONFLICT;
    return CTW_ESTORE;
}

/* Fetch a prepared statement, reset and with bindings cleared. */
static sqlite3_stmt *stmt(sqlite_store *s, int which)
{
    sqlite3_stmt *st = s->st[which];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

static int bind_text(sqlite3_stmt *st, int i, const char *v)
{
    return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

/* Run a statement that returns no rows; 0 or a CTW_E* code. */
static int step_done(sqlite_store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_error(s, rc);
}

/* Run one of the prepared statements that return no rows. */
static int run(sqlite_store *s, int which) { return step_done(s, stmt(s, which)); }

static int exec(sqlite_store *s, const char *sql)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : db_error(s, rc);
}

static int user_version(sqlite_store *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* After an edit of sqlite_master's text: one more than the schema cookie,
 * so that every connection to the file, in this process or another, reads
 * the schema again before its next statement. */
static int bump_schema_cookie(sqlite_store *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA schema_version", -1, &st, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (v < 0 || v == INT_MAX) return -1;
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA schema_version=%d", v + 1);
    return exec(s, pragma);
}

static int migrate(sqlite_store *s, ctw_error *err, const char *target)
{
    /* a current store needs no lock: a handle opened while an import holds
     * the write lock (a server's pool growing) must not wait for it */
    if (user_version(s) == N_MIGRATIONS) return 0;
    for (;;) {
        if (exec(s, "BEGIN IMMEDIATE") != 0)
            return ctw_error_set(err, CTW_ESTORE, target, "cannot lock the store: %s", sqlite3_errmsg(s->db));
        int v = user_version(s);
        if (v < 0 || v > N_MIGRATIONS) {
            exec(s, "ROLLBACK");
            return ctw_error_set(err, CTW_ESTORE, target,
                                 "store schema version %d is newer than this ctwatch (%d)", v, N_MIGRATIONS);
        }
        if (v == N_MIGRATIONS) return exec(s, "COMMIT");
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
        if (exec(s, migrations[v]) != 0 || exec(s, pragma) != 0 ||
            (v + 1 == MIGRATION_EDITS_SCHEMA_TEXT && bump_schema_cookie(s) != 0)) {
            ctw_error_set(err, CTW_ESTORE, target, "migration to schema %d failed: %s", v + 1,
                          sqlite3_errmsg(s->db));
            exec(s, "ROLLBACK");
            return CTW_ESTORE;
        }
        if (exec(s, "COMMIT") != 0)
            return ctw_error_set(err, CTW_ESTORE, target, "commit failed: %s", sqlite3_errmsg(s->db));
    }
}

static void sq_close(void *impl)
{
    sqlite_store *s = impl;
    if (!s) return;
    ctw__sq_checkpointer_stop(s->checkpointer);
    ctw__sqlite_travel_free(s->travel);
    ctw__sqlite_hits_free(s->hits);
    ctw__sqlite_auth_free(s->auth);
    ctw__sqlite_notices_free(s->notices);
    for (int i = 0; i < ST__COUNT; i++) sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s);
}

/* Make the directory that will hold path (one level, like ./var). */
static void make_parent_dir(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return;
    *slash = '\0';
    mkdir(dir, 0750);
}

/* Once per process, before the first store opens:
 *   - SQLite's allocation statistics (on by default) take one process-wide
 *     mutex around every allocation of every connection: the server's
 *     request threads and its audit writer queued on it. Nothing here reads
 *     them. Set before the library initialises; where something
 *     initialised it first, the call fails and the default stays.
 *   - the VFS that gathers WAL writes (sqlite_walbuf.c), registered after
 *     that (registering initialises the library). */
static bool walbuf_ok;

/* How long a store connection waits for a lock another holds, and how:
 * every SHORT_WAIT_US for the first SHORT_WAIT_MS, then every LONG_WAIT_US.
 *
 * Why not SQLite's own handler (sqlite3_busy_timeout): it sleeps 1, 2, 5,
 * 10, 15, 20, 25, 25, 25, 50, 50, 100 ms between tries. A busy server's
 * audit writer holds the write lock most of the time, for a millisecond
 * or two at a time, so a writer polling that slowly rarely finds it free:
 * the session refresh that every request of a token made once a minute
 * (auth.c, CTW_AUTH_TOUCH_SECONDS) waited hundreds of milliseconds, with
 * every request of that token waiting behind it (bench/README.md, "The
 * once-a-minute stall"); and the audit writer itself slept 8 ms for a lock
 * held 2 ms. Short steps find the lock in the gap between two commits. */
#define BUSY_TIMEOUT_MS 10000
#define SHORT_WAIT_US 100
#define SHORT_WAIT_MS 20
#define LONG_WAIT_US 1000
static int busy_wait(void *ud, int tries)
{
    sqlite_store *s = ud;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (tries == 0) s->busy_since = now;
    int64_t waited_ms = (int64_t)(now.tv_sec - s->busy_since.tv_sec) * 1000 +
                        (now.tv_nsec - s->busy_since.tv_nsec) / 1000000;
    if (waited_ms >= BUSY_TIMEOUT_MS) return 0;
    struct timespec step = {0, (waited_ms < SHORT_WAIT_MS ? SHORT_WAIT_US : LONG_WAIT_US) * 1000L};
    nanosleep(&step, NULL);
    return 1;
}

static void sqlite_once(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    walbuf_ok = ctw__sqlite_walbuf_register() == SQLITE_OK;
}

static int sq_open(const char *target, int flags, void **impl, ctw_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_once);
    bool create = flags & CTW_STORE_CREATE;
    bool ro = flags & CTW_STORE_READONLY;
    if (strcmp(target, ":memory:") != 0 && access(target, F_OK) != 0) {
        if (!create)
            return ctw_error_set(err, CTW_ENOTFOUND, target, "no store at %s; run `ctwatch init` first", target);
        make_parent_dir(target);
    }
    sqlite_store *s = calloc(1, sizeof *s);
    if (!s) return ctw_error_set(err, CTW_ENOMEM, target, "out of memory");
    s->readonly = ro;
    int oflags = (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)) |
                 SQLITE_OPEN_NOMUTEX;
    /* one write per commit's WAL frames (sqlite_walbuf.c); the default VFS
     * if it could not be registered (it only saves system calls) */
    int rc = sqlite3_open_v2(target, &s->db, oflags, walbuf_ok ? CTW_SQLITE_WALBUF_VFS : NULL);
    if (rc != SQLITE_OK) {
        ctw_error_set(err, CTW_ESTORE, target, "cannot open store: %s",
                      s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sq_close(s);
        return CTW_ESTORE;
    }
    sqlite3_extended_result_codes(s->db, 0);
    sqlite3_busy_handler(s->db, busy_wait, s);
    /* WAL: readers never block the writer; FULL: a returned commit is durable. */
    if ((!ro && exec(s, "PRAGMA journal_mode=WAL") != 0) || exec(s, "PRAGMA synchronous=FULL") != 0 ||
        exec(s, "PRAGMA foreign_keys=ON") != 0 ||
        /* personal data deleted (retention) or replaced is overwritten with
         * zeros, not left in free space (src/store/retention.c) */
        exec(s, "PRAGMA secure_delete=ON") != 0) {
        ctw_error_set(err, CTW_ESTORE, target, "not a usable SQLite store: %s", sqlite3_errmsg(s->db));
        sq_close(s);
        return CTW_ESTORE;
    }
    if (!ro) {
        rc = migrate(s, err, target);
        if (rc != 0) {
            sq_close(s);
            return rc;
        }
    } else if (user_version(s) != N_MIGRATIONS) {
        ctw_error_set(err, CTW_ESTORE, target, "store schema %d, this ctwatch needs %d; open it read-write once to migrate",
                      user_version(s), N_MIGRATIONS);
        sq_close(s);
        return CTW_ESTORE;
    }
    for (int i = 0; i < ST__COUNT; i++) {
        if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
            ctw_error_set(err, CTW_ESTORE, target, "prepare failed: %s", sqlite3_errmsg(s->db));
            sq_close(s);
            return CTW_ESTORE;
        }
    }
    /* a file store only: ":memory:" has no log, and each connection to it is a store of its own */
    if ((flags & CTW_STORE_HOT_WRITER) && !ro && strcmp(target, ":memory:") != 0) {
        rc = ctw__sq_checkpointer_start(s->db, target, walbuf_ok ? CTW_SQLITE_WALBUF_VFS : NULL, &s->checkpointer);
        if (rc != SQLITE_OK) {
            ctw_error_set(err, CTW_ESTORE, target, "cannot start the checkpointer: %s", sqlite3_errstr(rc));
            sq_close(s);
            return CTW_ESTORE;
        }
    }
    *impl = s;
    return 0;
}

static int sq_schema_version(void *impl) { return user_version(impl); }

static int sq_begin(void *impl)
{
    sqlite_store *s = impl;
    if (!sqlite3_get_autocommit(s->db)) return CTW_ECONFLICT; /* no nesting */
    return run(s, ST_BEGIN_IMMEDIATE);
}

static int sq_commit(void *impl) { return run(impl, ST_COMMIT); }

static int sq_rollback(void *impl)
{
    sqlite_store *s = impl;
    if (sqlite3_get_autocommit(s->db)) return 0;
    return run(s, ST_ROLLBACK);
}

static int sq_ensure_agency(void *impl, const ctw_agency *a)
{
    sqlite_store *s = impl;
    char now[32];
    ctw_now_iso(now);
    sqlite3_stmt *st = stmt(s, ST_ENSURE_AGENCY);
    bind_text(st, 1, a->code);
    bind_text(st, 2, a->name);
    bind_text(st, 3, a->country);
    bind_text(st, 4, a->kind);
    bind_text(st, 5, a->contact);
    bind_text(st, 6, now);
    return step_done(s, st);
}

static int sq_has_agency(void *impl, const char *code)
{
    sqlite_store *s = impl;
    sqlite3_stmt *st = stmt(s, ST_HAS_AGENCY);
    bind_text(st, 1, code);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : db_error(s, rc);
}

static void fill_head(sqlite3_stmt *st, ctw_record_head *h)
{
    const char *t;
    memset(h, 0, sizeof *h);
    t = (const char *)sqlite3_column_text(st, 0);
    snprintf(h->id, sizeof h->id, "%s", t ? t : "");
    t = (const char *)sqlite3_column_text(st, 1);
    snprintf(h->content_hash, sizeof h->content_hash, "%s", t ? t : "");
    h->version = sqlite3_column_int64(st, 2);
    t = (const char *)sqlite3_column_text(st, 3);
    h->status = t && strcmp(t, "removed") == 0 ? CTW_STATUS_REMOVED : CTW_STATUS_ACTIVE;
    h->kind = ctw_kind_from_name((const char *)sqlite3_column_text(st, 4));
}

static int sq_head(void *impl, const char *source, const char *source_id, ctw_record_head *out)
{
    sqlite_store *s = impl;
    sqlite3_stmt *st = stmt(s, ST_HEAD);
    bind_text(st, 1, source);
    bind_text(st, 2, source_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        fill_head(st, out);
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? CTW_ENOTFOUND : db_error(s, rc);
}

static int sq_put(void *impl, const ctw_record *r, const char *hash)
{
    sqlite_store *s = impl;
    int rc;
    sqlite3_stmt *st = stmt(s, ST_PUT);
    bind_text(st, 1, r->id);
    bind_text(st, 2, ctw_kind_name(r->kind));
    bind_text(st, 3, r->owner);
    bind_text(st, 4, r->source);
    bind_text(st, 5, r->source_id);
    bind_text(st, 6, ctw_status_name(r->status));
    sqlite3_bind_int64(st, 7, r->version);
    bind_text(st, 8, r->created);
    bind_text(st, 9, r->updated);
    bind_text(st, 10, ctw_restrict_kind_name(r->restriction.kind));
    bind_text(st, 11, r->restriction.list);
    bind_text(st, 12, r->review_date);
    bind_text(st, 13, hash);
    bind_text(st, 14, r->gender);
    bind_text(st, 15, r->remarks);
    if ((rc = step_done(s, st)) != 0) return rc;

    for (int d = ST_DEL_NAMES; d <= ST_DEL_ATTR; d++) {
        st = stmt(s, d);
        bind_text(st, 1, r->id);
        if ((rc = step_done(s, st)) != 0) return rc;
    }
    for (size_t i = 0; i < r->names.n; i++) {
        const ctw_name *n = &r->names.v[i];
        st = stmt(s, ST_INS_NAME);
        bind_text(st, 1, r->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, n->full);
        bind_text(st, 4, n->given);
        bind_text(st, 5, n->middle);
        bind_text(st, 6, n->family);
        bind_text(st, 7, n->patronymic);
        bind_text(st, 8, n->script);
        bind_text(st, 9, n->lang);
        bind_text(st, 10, ctw_name_kind_name(n->kind));
        bind_text(st, 11, n->quality);
        if ((rc = step_done(s, st)) != 0) return rc;
    }
    for (size_t i = 0; i < r->birth_dates.n; i++) {
        const ctw_date *d = &r->birth_dates.v[i];
        st = stmt(s, ST_INS_DATE);
        bind_text(st, 1, r->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, ctw_date_precision_name(d->precision));
        bind_text(st, 4, d->from);
        bind_text(st, 5, d->to);
        bind_text(st, 6, d->text);
        if ((rc = step_done(s, st)) != 0) return rc;
    }
    for (size_t i = 0; i < r->birth_places.n; i++) {
        st = stmt(s, ST_INS_PLACE);
        bind_text(st, 1, r->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, r->birth_places.v[i].place);
        bind_text(st, 4, r->birth_places.v[i].country);
        if ((rc = step_done(s, st)) != 0) return rc;
    }
    for (size_t i = 0; i < r->nationalities.n; i++) {
        st = stmt(s, ST_INS_NAT);
        bind_text(st, 1, r->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, r->nationalities.v[i].country);
        bind_text(st, 4, r->nationalities.v[i].text);
        if ((rc = step_done(s, st)) != 0) return rc;
    }
    for (size_t i = 0; i < r->identifiers.n; i++) {
        const ctw_identifier *d = &r->identifiers.v[i];
        st = stmt(s, ST_INS_ID);
        bind_text(st, 1, r->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, d->type);
        bind_text(st, 4, d->number);
        bind_text(st, 5, d->country);
        bind_text(st, 6, d->issued);
        bind_text(st, 7, d->expires);
        bind_text(st, 8, d->note);
        if ((rc = step_done(s, st)) != 0) return rc;
    }
    for (size_t i = 0; i < r->addresses.n; i++) {
        const ctw_address *d = &r->addresses.v[i];
        st = stmt(s, ST_INS_ADDR);
        bind_text(st, 1, r->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, d->full);
        bind_text(st, 4, d->street);
        bind_text(st, 5, d->city);
        bind_text(st, 6, d->region);
        bind_text(st, 7, d->postal_code);
        bind_text(st, 8, d->country);
        bind_text(st, 9, d->note);
        if ((rc = step_done(s, st)) != 0) return rc;
    }
    for (size_t i = 0; i < r->listings.n; i++) {
        const ctw_listing *d = &r->listings.v[i];
        st = stmt(s, ST_INS_LIST);
        bind_text(st, 1, r->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, d->kind);
        bind_text(st, 4, d->authority);
        bind_text(st, 5, d->program);
        bind_text(st, 6, d->reference);
        bind_text(st, 7, d->listed_on);
        bind_text(st, 8, d->action);
        bind_text(st, 9, d->status);
        if ((rc = step_done(s, st)) != 0) return rc;
    }
    for (size_t i = 0; i < r->attributes.n; i++) {
        st = stmt(s, ST_INS_ATTR);
        bind_text(st, 1, r->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, r->attributes.v[i].key);
        bind_text(st, 4, r->attributes.v[i].value);
        if ((rc = step_done(s, st)) != 0) return rc;
    }
    return 0;
}

/* Copy column i of the current row into the record's arena (NULL stays NULL). */
static const char *col(ctw_record *r, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? ctw_arena_strdup(&r->arena, (const char *)t) : NULL;
}

/* Run child query `which` for r and call add(r, st) per row. */
static int load_children(sqlite_store *s, ctw_record *r, int which, int (*add)(ctw_record *, sqlite3_stmt *))
{
    sqlite3_stmt *st = stmt(s, which);
    bind_text(st, 1, r->id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int arc = add(r, st);
        if (arc != 0) {
            sqlite3_reset(st);
            return arc;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_error(s, rc);
}

static int add_name(ctw_record *r, sqlite3_stmt *st)
{
    ctw_name *n = ctw_record_add_name_slot(r);
    if (!n) return CTW_ENOMEM;
    n->full = col(r, st, 0);
    n->given = col(r, st, 1);
    n->middle = col(r, st, 2);
    n->family = col(r, st, 3);
    n->patronymic = col(r, st, 4);
    n->script = col(r, st, 5);
    n->lang = col(r, st, 6);
    int k = ctw_name_kind_from_name((const char *)sqlite3_column_text(st, 7));
    n->kind = k < 0 ? CTW_NAME_ALIAS_WEAK : (ctw_name_kind)k;
    n->quality = col(r, st, 8);
    return 0;
}

static int add_date(ctw_record *r, sqlite3_stmt *st)
{
    ctw_date *d = ctw_record_add_birth_date(r);
    if (!d) return CTW_ENOMEM;
    int p = ctw_date_precision_from_name((const char *)sqlite3_column_text(st, 0));
    d->precision = p < 0 ? CTW_DATE_EXACT : (ctw_date_precision)p;
    d->from = col(r, st, 1);
    d->to = col(r, st, 2);
    d->text = col(r, st, 3);
    return 0;
}

static int add_place(ctw_record *r, sqlite3_stmt *st)
{
    ctw_place *p = ctw_record_add_birth_place(r);
    if (!p) return CTW_ENOMEM;
    p->place = col(r, st, 0);
    p->country = col(r, st, 1);
    return 0;
}

static int add_nat(ctw_record *r, sqlite3_stmt *st)
{
    ctw_country_ref *c = ctw_record_add_nationality(r);
    if (!c) return CTW_ENOMEM;
    c->country = col(r, st, 0);
    c->text = col(r, st, 1);
    return 0;
}

static int add_ident(ctw_record *r, sqlite3_stmt *st)
{
    ctw_identifier *d = ctw_record_add_identifier(r);
    if (!d) return CTW_ENOMEM;
    d->type = col(r, st, 0);
    d->number = col(r, st, 1);
    d->country = col(r, st, 2);
    d->issued = col(r, st, 3);
    d->expires = col(r, st, 4);
    d->note = col(r, st, 5);
    return 0;
}

static int add_addr(ctw_record *r, sqlite3_stmt *st)
{
    ctw_address *d = ctw_record_add_address(r);
    if (!d) return CTW_ENOMEM;
    d->full = col(r, st, 0);
    d->street = col(r, st, 1);
    d->city = col(r, st, 2);
    d->region = col(r, st, 3);
    d->postal_code = col(r, st, 4);
    d->country = col(r, st, 5);
    d->note = col(r, st, 6);
    return 0;
}

static int add_listing(ctw_record *r, sqlite3_stmt *st)
{
    ctw_listing *d = ctw_record_add_listing(r);
    if (!d) return CTW_ENOMEM;
    d->kind = col(r, st, 0);
    d->authority = col(r, st, 1);
    d->program = col(r, st, 2);
    d->reference = col(r, st, 3);
    d->listed_on = col(r, st, 4);
    d->action = col(r, st, 5);
    d->status = col(r, st, 6);
    return 0;
}

static int add_attr(ctw_record *r, sqlite3_stmt *st)
{
    ctw_attribute *a = ctw_record_add_attribute(r);
    if (!a) return CTW_ENOMEM;
    a->key = col(r, st, 0);
    a->value = col(r, st, 1);
    return 0;
}

static int sq_load(void *impl, const char *id, ctw_record **out)
{
    sqlite_store *s = impl;
    sqlite3_stmt *st = stmt(s, ST_LOAD);
    bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? CTW_ENOTFOUND : db_error(s, rc);
    }
    ctw_record *r = ctw_record_new(ctw_kind_from_name((const char *)sqlite3_column_text(st, 1)));
    if (!r) {
        sqlite3_reset(st);
        return CTW_ENOMEM;
    }
    r->id = col(r, st, 0);
    r->owner = col(r, st, 2);
    r->source = col(r, st, 3);
    r->source_id = col(r, st, 4);
    const char *status = (const char *)sqlite3_column_text(st, 5);
    r->status = status && strcmp(status, "removed") == 0 ? CTW_STATUS_REMOVED : CTW_STATUS_ACTIVE;
    r->version = sqlite3_column_int64(st, 6);
    r->created = col(r, st, 7);
    r->updated = col(r, st, 8);
    int rk = ctw_restrict_kind_from_name((const char *)sqlite3_column_text(st, 9));
    /* an unreadable restriction is treated as the strictest, never as "all" */
    r->restriction.kind = rk < 0 ? CTW_RESTRICT_HIT_ONLY : (ctw_restrict_kind)rk;
    r->restriction.list = col(r, st, 10);
    r->review_date = col(r, st, 11);
    r->gender = col(r, st, 12);
    r->remarks = col(r, st, 13);
    sqlite3_reset(st);
    if (!r->id) {
        ctw_record_free(r);
        return CTW_ENOMEM;
    }
    if ((rc = load_children(s, r, ST_SEL_NAMES, add_name)) != 0 ||
        (rc = load_children(s, r, ST_SEL_DATES, add_date)) != 0 ||
        (rc = load_children(s, r, ST_SEL_PLACES, add_place)) != 0 ||
        (rc = load_children(s, r, ST_SEL_NAT, add_nat)) != 0 ||
        (rc = load_children(s, r, ST_SEL_IDS, add_ident)) != 0 ||
        (rc = load_children(s, r, ST_SEL_ADDR, add_addr)) != 0 ||
        (rc = load_children(s, r, ST_SEL_LIST, add_listing)) != 0 ||
        (rc = load_children(s, r, ST_SEL_ATTR, add_attr)) != 0) {
        ctw_record_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

/* Collect ids first, then load each: loading reuses the child statements,
 * and a long-running cursor over records would hold them busy. */
static int collect_ids(sqlite_store *s, const char *sql, const char *source, bool include_removed, char ***ids,
                       size_t *n)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return CTW_ESTORE;
    if (source) bind_text(st, 1, source);
    sqlite3_bind_int(st, 2, include_removed);
    size_t cap = 0;
    int rc;
    *ids = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            char **nv = realloc(*ids, cap * sizeof **ids);
            if (!nv) {
                rc = SQLITE_NOMEM;
                break;
            }
            *ids = nv;
        }
        char *id = strdup((const char *)sqlite3_column_text(st, 0));
        if (!id) {
            rc = SQLITE_NOMEM;
            break;
        }
        (*ids)[(*n)++] = id;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        for (size_t i = 0; i < *n; i++) free((*ids)[i]);
        free(*ids);
        *ids = NULL;
        *n = 0;
        return db_error(s, rc);
    }
    return 0;
}

/* Load and pass on each record whose id the query sql returns (?1 the
 * source when not NULL, ?2 include_removed). */
static int iterate_sql(sqlite_store *s, const char *sql, const char *source, bool include_removed, ctw_record_fn fn,
                       void *ud)
{
    char **ids;
    size_t n;
    int rc = collect_ids(s, sql, source, include_removed, &ids, &n);
    if (rc != 0) return rc;
    for (size_t i = 0; i < n && rc == 0; i++) {
        ctw_record *r = NULL;
        rc = sq_load(s, ids[i], &r);
        if (rc == CTW_ENOTFOUND) { /* removed meanwhile by another writer */
            rc = 0;
            continue;
        }
        if (rc == 0) rc = fn(ud, r);
        ctw_record_free(r);
    }
    for (size_t i = 0; i < n; i++) free(ids[i]);
    free(ids);
    return rc;
}

static int sq_iterate(void *impl, const char *source, bool include_removed, ctw_record_fn fn, void *ud)
{
    const char *sql = source ? "SELECT id FROM records WHERE source=?1 AND (?2 OR status='active') ORDER BY id"
                             : "SELECT id FROM records WHERE (?2 OR status='active') ORDER BY id";
    return iterate_sql(impl, sql, source, include_removed, fn, ud);
}

int ctw__sq_iterate_query(void *impl, const char *sql, ctw_record_fn fn, void *ud)
{
    return iterate_sql(impl, sql, NULL, false, fn, ud);
}

static int sq_iterate_heads(void *impl, const char *source, ctw_head_fn fn, void *ud)
{
    sqlite_store *s = impl;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, content_hash, version, status, kind, source_id FROM records"
                           " WHERE source=?1 AND status='active' ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return CTW_ESTORE;
    bind_text(st, 1, source);
    int rc, frc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ctw_record_head h;
        fill_head(st, &h);
        if ((frc = fn(ud, (const char *)sqlite3_column_text(st, 5), &h)) != 0) break;
    }
    sqlite3_finalize(st);
    if (frc != 0) return frc;
    return rc == SQLITE_DONE ? 0 : db_error(s, rc);
}

static int sq_mark_removed(void *impl, const char *id, const char *when)
{
    sqlite_store *s = impl;
    sqlite3_stmt *st = stmt(s, ST_MARK_REMOVED);
    bind_text(st, 1, id);
    bind_text(st, 2, when);
    return step_done(s, st);
}

static int sq_set_restriction(void *impl, const char *id, const char *kind, const char *list, const char *when)
{
    sqlite_store *s = impl;
    sqlite3_stmt *st = stmt(s, ST_SET_RESTRICTION);
    bind_text(st, 1, id);
    bind_text(st, 2, kind);
    bind_text(st, 3, list);
    bind_text(st, 4, when);
    int rc = step_done(s, st);
    if (rc == 0 && sqlite3_changes(s->db) == 0) rc = CTW_ENOTFOUND;
    return rc;
}

static int sq_counts(void *impl, ctw_count_fn fn, void *ud)
{
    sqlite_store *s = impl;
    sqlite3_stmt *st = stmt(s, ST_COUNTS);
    int rc, frc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(st, 2);
        frc = fn(ud, (const char *)sqlite3_column_text(st, 0),
                 ctw_kind_from_name((const char *)sqlite3_column_text(st, 1)),
                 status && strcmp(status, "removed") == 0 ? CTW_STATUS_REMOVED : CTW_STATUS_ACTIVE,
                 sqlite3_column_int64(st, 3));
        if (frc != 0) break;
    }
    sqlite3_reset(st);
    if (frc != 0) return frc;
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_error(s, rc);
}

static int sq_note_import(void *impl, const char *source, const char *format, const char *files,
                          const char *summary_json, const char *when)
{
    sqlite_store *s = impl;
    sqlite3_stmt *st = stmt(s, ST_NOTE_IMPORT);
    bind_text(st, 1, when);
    bind_text(st, 2, source);
    bind_text(st, 3, format);
    bind_text(st, 4, files);
    bind_text(st, 5, summary_json);
    return step_done(s, st);
}

static int sq_audit_append(void *impl, const ctw__audit_entry *e)
{
    sqlite_store *s = impl;
    if (s->readonly) return CTW_EACCES; /* reads of personal data need a writable log */
    bool own_tx = sqlite3_get_autocommit(s->db);
    int rc = run(s, own_tx ? ST_BEGIN_IMMEDIATE : ST_SAVEPOINT_AUDIT);
    if (rc != 0) return rc;
    char prev[65] = "", hash[65];
    sqlite3_stmt *st = stmt(s, ST_AUDIT_LAST);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        rc = db_error(s, step);
        goto out;
    }
    ctw__audit_hash(prev, e, hash);
    st = stmt(s, ST_AUDIT_INS);
    bind_text(st, 1, e->time);
    bind_text(st, 2, e->user);
    bind_text(st, 3, e->agency);
    bind_text(st, 4, e->role);
    bind_text(st, 5, e->action);
    bind_text(st, 6, e->purpose);
    bind_text(st, 7, e->records);
    bind_text(st, 8, e->detail);
    bind_text(st, 9, prev);
    bind_text(st, 10, hash);
    rc = step_done(s, st);
out:
    if (rc == 0) return run(s, own_tx ? ST_COMMIT : ST_RELEASE_AUDIT);
    run(s, own_tx ? ST_ROLLBACK : ST_ROLLBACK_TO_AUDIT);
    if (!own_tx) run(s, ST_RELEASE_AUDIT);
    return rc;
}

/* The anchor, if the table is there. Prepared here rather than at open:
 * a store whose anchor was dropped must still open, so that verification
 * can report it. */
static int read_anchor(sqlite_store *s, ctw__audit_anchor *a)
{
    sqlite3_stmt *st;
    memset(a, 0, sizeof *a);
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='audit_head'", -1, &st,
                           NULL) != SQLITE_OK)
        return CTW_ESTORE;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) return 0;
    if (rc != SQLITE_ROW) return db_error(s, rc);
    if (sqlite3_prepare_v2(s->db, "SELECT count, last_seq, last_hash FROM audit_head WHERE id = 1", -1, &st, NULL) !=
        SQLITE_OK)
        return CTW_ESTORE;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *h = (const char *)sqlite3_column_text(st, 2);
        a->present = true;
        a->count = sqlite3_column_int64(st, 0);
        a->last_seq = sqlite3_column_int64(st, 1);
        /* a value too long to be a hash must not match one by its prefix */
        snprintf(a->last_hash, sizeof a->last_hash, "%s", !h ? "" : strlen(h) < sizeof a->last_hash ? h : "?");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(s, rc);
}

/* Audit rows for verification and for data protection officers: rare,
 * administrative reads, so prepared per call instead of kept in st[]. With
 * a limit, the scan starts at the limit-th newest match (found once, by
 * the inner query), so that the newest entries still come oldest first. */
#define AUDIT_COLS "seq, time, user, agency, role, action, purpose, records, detail, prev_hash, hash"
#define AUDIT_MATCH                                                                                         \
    "(?1 IS NULL OR action = ?1) AND (?2 IS NULL OR user = ?2) AND (?3 IS NULL OR time >= ?3)"              \
    " AND (?5 IS NULL OR agency = ?5) AND (?6 IS NULL OR time < ?6) AND (?7 IS NULL OR instr(records, ?7) > 0)" \
    " AND (?8 IS NULL OR seq > ?8)"
/* ?9: the oldest N (a page); unbound, no cap */
static const char audit_rows_sql[] =
    "SELECT " AUDIT_COLS " FROM audit WHERE " AUDIT_MATCH " ORDER BY seq LIMIT coalesce(?9, -1)";
static const char audit_rows_limit_sql[] =
    "SELECT " AUDIT_COLS " FROM audit WHERE " AUDIT_MATCH " AND seq >= coalesce((SELECT seq FROM audit WHERE "
    AUDIT_MATCH " ORDER BY seq DESC LIMIT 1 OFFSET ?4 - 1), 0) ORDER BY seq";

static int sq_audit_iterate(void *impl, const ctw_audit_filter *f, ctw_audit_fn fn, void *ud,
                            ctw__audit_anchor *anchor)
{
    sqlite_store *s = impl;
    bool limited = f && f->limit > 0;
    sqlite3_stmt *st = NULL;
    /* one read transaction: the anchor and the rows are of the same moment */
    bool own_tx = sqlite3_get_autocommit(s->db);
    int rc = own_tx ? exec(s, "BEGIN") : 0;
    if (rc != 0) return rc;
    if (anchor && (rc = read_anchor(s, anchor)) != 0) goto out;
    if (sqlite3_prepare_v2(s->db, limited ? audit_rows_limit_sql : audit_rows_sql, -1, &st, NULL) != SQLITE_OK) {
        rc = CTW_ESTORE;
        goto out;
    }
    if (f) {
        bind_text(st, 1, f->action);
        bind_text(st, 2, f->user);
        bind_text(st, 3, f->since);
        if (limited) sqlite3_bind_int64(st, 4, f->limit);
        bind_text(st, 5, f->agency);
        bind_text(st, 6, f->until);
        bind_text(st, 7, f->record);
        if (f->after > 0) sqlite3_bind_int64(st, 8, f->after);
        if (!limited && f->first > 0) sqlite3_bind_int64(st, 9, f->first);
    }
    for (;;) {
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE) break;
        if (step != SQLITE_ROW) {
            rc = db_error(s, step);
            break;
        }
        ctw_audit_entry e = {.seq = sqlite3_column_int64(st, 0)};
        const char **cols[] = {&e.time, &e.user, &e.agency, &e.role, &e.action, &e.purpose,
                               &e.records, &e.detail, &e.prev_hash, &e.hash};
        for (int i = 0; i < (int)(sizeof cols / sizeof cols[0]); i++)
            *cols[i] = (const char *)sqlite3_column_text(st, i + 1);
        if ((rc = fn(ud, &e)) != 0) break;
    }
out:
    sqlite3_finalize(st);
    if (own_tx) exec(s, "COMMIT");
    return rc;
}

static int sq_change_seq(void *impl, int64_t *seq)
{
    sqlite_store *s = impl;
    sqlite3_stmt *st = stmt(s, ST_CHANGE_SEQ);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *seq = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : db_error(s, rc);
}

const ctw__store_backend ctw__store_sqlite = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .ensure_agency = sq_ensure_agency,
    .has_agency = sq_has_agency,
    .head = sq_head,
    .put = sq_put,
    .load = sq_load,
    .iterate = sq_iterate,
    .iterate_heads = sq_iterate_heads,
    .mark_removed = sq_mark_removed,
    .set_restriction = sq_set_restriction,
    .counts = sq_counts,
    .note_import = sq_note_import,
    .audit_append = sq_audit_append,
    .audit_iterate = sq_audit_iterate,
    .change_seq = sq_change_seq,
    .document_by_key = ctw__sq_document_by_key,
    .document_by_ref = ctw__sq_document_by_ref,
    .document_find = ctw__sq_document_find,
    .document_insert = ctw__sq_document_insert,
    .document_update = ctw__sq_document_update,
    .document_iterate = ctw__sq_document_iterate,
    .document_changes = ctw__sq_document_changes,
    .document_counts = ctw__sq_document_counts,
    .rule_put = ctw__sq_rule_put,
    .rule_iterate = ctw__sq_rule_iterate,
    .movement_add = ctw__sq_movement_add,
    .link_add = ctw__sq_link_add,
    .person_movements = ctw__sq_person_movements,
    .agency_add = ctw__sq_agency_add,
    .agency_iterate = ctw__sq_agency_iterate,
    .user_insert = ctw__sq_user_insert,
    .user_get = ctw__sq_user_get,
    .user_update = ctw__sq_user_update,
    .user_iterate = ctw__sq_user_iterate,
    .totp_advance = ctw__sq_totp_advance,
    .session_insert = ctw__sq_session_insert,
    .session_get = ctw__sq_session_get,
    .session_touch = ctw__sq_session_touch,
    .session_delete = ctw__sq_session_delete,
    .session_delete_user = ctw__sq_session_delete_user,
    .session_purge = ctw__sq_session_purge,
    .key_insert = ctw__sq_key_insert,
    .key_get = ctw__sq_key_get,
    .key_revoke = ctw__sq_key_revoke,
    .key_iterate = ctw__sq_key_iterate,
    .attempt_add = ctw__sq_attempt_add,
    .attempt_nth = ctw__sq_attempt_nth,
    .attempt_clear = ctw__sq_attempt_clear,
    .attempt_purge = ctw__sq_attempt_purge,
    .notice_insert = ctw__sq_notice_insert,
    .notice_publish_batch = ctw__sq_notice_publish_batch,
    .notice_get = ctw__sq_notice_get,
    .notice_set_state = ctw__sq_notice_set_state,
    .notice_iterate = ctw__sq_notice_iterate,
    .notice_best = ctw__sq_notice_best,
    .notice_iterate_published = ctw__sq_notice_iterate_published,
    .notice_cancel_record = ctw__sq_notice_cancel_record,
    .iterate_screenable = ctw__sq_iterate_screenable,
    .review_iterate = ctw__sq_review_iterate,
    .review_set = ctw__sq_review_set,
    .record_delete = ctw__sq_record_delete,
    .erase_log = ctw__sq_erase_log,
    .hit_insert = ctw__sq_hit_insert,
    .hit_get = ctw__sq_hit_get,
    .hit_list = ctw__sq_hit_list,
    .hit_set_state = ctw__sq_hit_set_state,
    .hit_event_add = ctw__sq_hit_event_add,
    .hit_message_add = ctw__sq_hit_message_add,
    .hit_history = ctw__sq_hit_history,
    .hit_events_since = ctw__sq_hit_events_since,
    .hit_last_event = ctw__sq_hit_last_event,
};
