#include "schema.h"

#include "core/logging.h"
#include "database.h"

#include <QFile>

namespace annotune::core::store {
namespace {

// Version 1: the base schema.
constexpr const char *kMigration1 = R"SQL(
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE classes(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, color TEXT NOT NULL,
  kind TEXT NOT NULL, -- a ClassKind name
  hotkey TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL DEFAULT 0);
CREATE TABLE documents(
  id INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL,
  page_count INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE items(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK(kind IN ('image','page')),
  path TEXT NOT NULL, size_bytes INTEGER NOT NULL, sha256 TEXT NOT NULL,
  width INTEGER NOT NULL CHECK(width > 0), height INTEGER NOT NULL CHECK(height > 0),
  split TEXT NOT NULL CHECK(split IN ('train','val','test')),
  status TEXT NOT NULL DEFAULT 'unlabeled'
    CHECK(status IN ('unlabeled','labeled','in_review','approved','rejected')),
  assignee TEXT NOT NULL DEFAULT '',
  document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
  page_no INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  UNIQUE(sha256, page_no));
CREATE INDEX items_status ON items(status, id);
CREATE INDEX items_split ON items(split, id);
CREATE INDEX items_document ON items(document_id, page_no);
CREATE INDEX items_path ON items(path);
CREATE TABLE words(
  id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL, text TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL,
  h REAL NOT NULL, confidence REAL NOT NULL DEFAULT 1, source TEXT NOT NULL);
CREATE INDEX words_item ON words(item_id, idx);
CREATE TABLE runs(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, task TEXT NOT NULL, status TEXT NOT NULL,
  config TEXT NOT NULL, seed INTEGER NOT NULL, code_version TEXT NOT NULL, device TEXT NOT NULL,
  dataset_hash TEXT NOT NULL, parent_run_id INTEGER REFERENCES runs(id),
  created_at INTEGER NOT NULL, finished_at INTEGER);
CREATE TABLE annotations(
  id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  class_id INTEGER NOT NULL REFERENCES classes(id),
  kind TEXT NOT NULL, -- box | polygon | tag | field; an IN check here halves the bulk insert rate
  x REAL, y REAL, w REAL, h REAL, points BLOB, word_ids BLOB, value TEXT, raw_text TEXT,
  attributes TEXT, -- JSON object of format extras, NULL when empty
  run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL, score REAL,
  author TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1);
-- One index serves an item's labels, its per-class counts and the class filter (probed per item);
-- a second index on class_id alone would cost a fifth of the bulk insert rate.
CREATE INDEX annotations_item_class ON annotations(item_id, class_id);
CREATE TABLE run_metrics(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, step INTEGER NOT NULL,
  epoch INTEGER NOT NULL, name TEXT NOT NULL, value REAL NOT NULL, at INTEGER NOT NULL);
CREATE INDEX run_metrics_run ON run_metrics(run_id, name, step);
CREATE TABLE predictions(
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  class_id INTEGER NOT NULL REFERENCES classes(id),
  kind TEXT NOT NULL, x REAL, y REAL, w REAL, h REAL, points BLOB, word_ids BLOB, value TEXT,
  attributes TEXT, score REAL NOT NULL);
CREATE INDEX predictions_run_item ON predictions(run_id, item_id);
CREATE TABLE audit_log(
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, author TEXT NOT NULL, action TEXT NOT NULL,
  entity TEXT NOT NULL, entity_id INTEGER NOT NULL, before TEXT, after TEXT);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
INSERT INTO settings(key, value) VALUES ('format', 'annotune');
)SQL";

// Version 2: review history per item and assignment queues.
constexpr const char *kMigration2 = R"SQL(
CREATE TABLE item_reviews(
  id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  at INTEGER NOT NULL, author TEXT NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '');
CREATE INDEX item_reviews_item ON item_reviews(item_id, at);
CREATE INDEX items_assignee ON items(assignee, id);
)SQL";

// Version 3: links between annotations (document entities: question -> answer, header -> question).
constexpr const char *kMigration3 = R"SQL(
CREATE TABLE annotation_links(
  id INTEGER PRIMARY KEY,
  from_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
  to_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
  kind TEXT NOT NULL DEFAULT 'link', author TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX annotation_links_from ON annotation_links(from_id);
CREATE INDEX annotation_links_to ON annotation_links(to_id);
CREATE INDEX documents_sha ON documents(sha256);
)SQL";

// Version 4: people's verdicts on sampled predictions, and model approvals with the gate figures
// they passed.
constexpr const char *kMigration4 = R"SQL(
CREATE TABLE prediction_reviews(
  id INTEGER PRIMARY KEY,
  prediction_id INTEGER NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  reviewer TEXT NOT NULL, verdict TEXT NOT NULL CHECK(verdict IN ('correct','wrong')),
  at INTEGER NOT NULL, comment TEXT NOT NULL DEFAULT '');
CREATE INDEX prediction_reviews_run ON prediction_reviews(run_id, prediction_id);
CREATE TABLE approvals(
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),
  reviewer TEXT NOT NULL, at INTEGER NOT NULL,
  metrics TEXT NOT NULL, -- JSON object: metric name -> value, as evaluated at approval
  gate TEXT NOT NULL,    -- JSON array: each rule with pass/fail and its figures
  dataset_hash TEXT NOT NULL, revoked_at INTEGER);
CREATE INDEX approvals_run ON approvals(run_id);
)SQL";

constexpr const char *kMigrations[] = {kMigration1, kMigration2, kMigration3, kMigration4};
static_assert(std::size(kMigrations) == kSchemaVersion);

} // namespace

const char *migrationSql(int n) { return kMigrations[n - 1]; }

Status migrate(Database &db, int stopAt)
{
    return guarded(db.path(), [&]() -> Status {
        const int current = db.userVersion();
        if (current > kSchemaVersion)
            return makeError(ErrorCode::Schema,
                             QStringLiteral("%1: made by a newer Annotune (schema %2; this build reads up to %3); "
                                            "left untouched")
                                 .arg(db.path()).arg(current).arg(kSchemaVersion));
        if (current >= stopAt)
            return {};
        if (current > 0) {
            const QString backup = QStringLiteral("%1.v%2.bak").arg(db.path()).arg(current);
            QFile::remove(backup);
            if (auto st = db.backupTo(backup); !st)
                return st.error();
            logger("core.store")->info("backed up {} before migrating to schema {}", str(backup), stopAt);
        }
        Transaction tx(db);
        for (int v = current + 1; v <= stopAt; ++v) {
            db.exec(kMigrations[v - 1]);
            logger("core.store")->info("{}: migrated to schema {}", str(db.path()), v);
        }
        db.setUserVersion(stopAt);
        tx.commit();
        return {};
    });
}

} // namespace annotune::core::store
