#include "database.h"

#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <sqlite3.h>

namespace annotune::core::store {
namespace {

[[noreturn]] void fail(sqlite3 *db, int rc, const char *what)
{
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw StoreError{rc & 0xff, QStringLiteral("%1 (%2)").arg(QString::fromUtf8(msg), QLatin1String(what))};
}

} // namespace

Statement::Statement(Database &db, const char *sql) : m_db(db.handle())
{
    const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK)
        fail(m_db, rc, sql);
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement::Statement(Statement &&other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr)), m_db(other.m_db) {}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_db = other.m_db;
    }
    return *this;
}

void Statement::check(int rc, const char *what)
{
    if (rc != SQLITE_OK)
        fail(m_db, rc, what);
}

Statement &Statement::bind(int index, qint64 v)
{
    check(sqlite3_bind_int64(m_stmt, index, v), "bind");
    return *this;
}

Statement &Statement::bind(int index, double v)
{
    check(sqlite3_bind_double(m_stmt, index, v), "bind");
    return *this;
}

Statement &Statement::bind(int index, const QString &v)
{
    const QByteArray utf8 = v.toUtf8();
    check(sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT), "bind");
    return *this;
}

Statement &Statement::bind(int index, const char *v)
{
    check(sqlite3_bind_text(m_stmt, index, v, -1, SQLITE_TRANSIENT), "bind");
    return *this;
}

Statement &Statement::bindStatic(int index, const char *v)
{
    check(sqlite3_bind_text(m_stmt, index, v, -1, SQLITE_STATIC), "bind");
    return *this;
}

Statement &Statement::bindUtf8(int index, const QByteArray &v)
{
    check(sqlite3_bind_text(m_stmt, index, v.constData(), int(v.size()), SQLITE_STATIC), "bind");
    return *this;
}

Statement &Statement::bindBlob(int index, const void *data, int bytes)
{
    check(sqlite3_bind_blob(m_stmt, index, data, bytes, SQLITE_TRANSIENT), "bind");
    return *this;
}

Statement &Statement::bindNull(int index)
{
    check(sqlite3_bind_null(m_stmt, index), "bind");
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const int code = rc;
    sqlite3_reset(m_stmt);
    fail(m_db, code, sqlite3_sql(m_stmt));
}

void Statement::exec()
{
    while (step()) {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

void Statement::rewind() { sqlite3_reset(m_stmt); }

qint64 Statement::int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
double Statement::real(int col) const { return sqlite3_column_double(m_stmt, col); }
bool Statement::isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }

QString Statement::text(int col) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return p ? QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, col)) : QString();
}

std::string_view Statement::utf8(int col) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return p ? std::string_view(p, std::size_t(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
}

std::string_view Statement::blobView(int col) const
{
    const auto *p = static_cast<const char *>(sqlite3_column_blob(m_stmt, col));
    return p ? std::string_view(p, std::size_t(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
}

QByteArray Statement::blob(int col) const
{
    const void *p = sqlite3_column_blob(m_stmt, col);
    return p ? QByteArray(static_cast<const char *>(p), sqlite3_column_bytes(m_stmt, col)) : QByteArray();
}

Database::~Database()
{
    m_cache.clear();
    if (m_db)
        sqlite3_close_v2(m_db);
}

Result<std::unique_ptr<Database>> Database::open(const QString &path, Mode mode)
{
    // Memory statistics take a global mutex on every allocation; the store never reads them.
    static const bool configured = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)configured;
    const QFileInfo info(path);
    if (mode != Mode::ReadWriteCreate && !info.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no such project file").arg(path));
    if (info.exists() && !info.isFile())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: not a file").arg(path));
    if (!info.exists() && !QFileInfo(info.absolutePath()).isWritable())
        return makeError(ErrorCode::Io, QStringLiteral("%1: folder is not writable").arg(path));

    int flags = SQLITE_OPEN_NOMUTEX;
    flags |= mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (mode == Mode::ReadWriteCreate)
        flags |= SQLITE_OPEN_CREATE;

    std::unique_ptr<Database> db(new Database);
    db->m_path = path;
    const QByteArray native = QFile::encodeName(path);
    int rc = sqlite3_open_v2(native.constData(), &db->m_db, flags, nullptr);
    if (rc != SQLITE_OK)
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot open (%2)").arg(path, QString::fromUtf8(sqlite3_errstr(rc))));
    sqlite3_extended_result_codes(db->m_db, 0);
    sqlite3_busy_timeout(db->m_db, 5000);
    try {
        // Reading the schema is the first thing that touches the file: a non-SQLite file fails here.
        db->exec("SELECT count(*) FROM sqlite_master");
        if (mode != Mode::ReadOnly) {
            db->exec("PRAGMA journal_mode=WAL");
            db->exec("PRAGMA synchronous=FULL");
        }
        db->exec("PRAGMA foreign_keys=ON");
        db->exec("PRAGMA temp_store=MEMORY");
        db->exec("PRAGMA cache_size=-65536");
    } catch (const StoreError &e) {
        if (e.sqliteCode == SQLITE_NOTADB)
            return makeError(ErrorCode::Schema, QStringLiteral("%1: not an Annotune project (not a SQLite database)").arg(path));
        return makeError(ErrorCode::Io, QStringLiteral("%1: %2").arg(path, e.message));
    }
    return db;
}

void Database::exec(const char *sql)
{
    char *err = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        const QString msg = err ? QString::fromUtf8(err) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_free(err);
        throw StoreError{rc & 0xff, msg};
    }
}

Database::Lease Database::cached(const char *sql)
{
    auto &slot = m_cache[sql];
    if (!slot)
        slot = std::make_unique<Statement>(*this, sql);
    return Lease(*slot);
}

qint64 Database::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }

qint64 Database::totalChanges() const { return sqlite3_total_changes64(m_db); }

qint64 Database::dataVersion()
{
    auto st = cached("PRAGMA data_version");
    return st->step() ? st->int64(0) : 0;
}
bool Database::inTransaction() const { return sqlite3_get_autocommit(m_db) == 0; }

int Database::userVersion()
{
    Statement st(*this, "PRAGMA user_version");
    return st.step() ? st.integer(0) : 0;
}

void Database::setUserVersion(int version)
{
    exec(QStringLiteral("PRAGMA user_version=%1").arg(version).toUtf8().constData());
}

Status Database::backupTo(const QString &path)
{
    sqlite3 *target = nullptr;
    const QByteArray native = QFile::encodeName(path);
    int rc = sqlite3_open_v2(native.constData(), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc == SQLITE_OK) {
        sqlite3_backup *backup = sqlite3_backup_init(target, "main", m_db, "main");
        if (!backup) {
            rc = sqlite3_errcode(target);
        } else {
            rc = sqlite3_backup_step(backup, -1);
            sqlite3_backup_finish(backup);
            rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
    }
    const QString why = QString::fromUtf8(target ? sqlite3_errmsg(target) : sqlite3_errstr(rc));
    sqlite3_close_v2(target);
    if (rc != SQLITE_OK) {
        QFile::remove(path);
        return makeError(ErrorCode::Io, QStringLiteral("%1: backup failed (%2)").arg(path, why));
    }
    return {};
}

Transaction::Transaction(Database &db) : m_db(db)
{
    m_savepoint = db.inTransaction();
    db.exec(m_savepoint ? "SAVEPOINT annotune_tx" : "BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (m_done)
        return;
    try {
        if (m_savepoint)
            m_db.exec("ROLLBACK TO annotune_tx; RELEASE annotune_tx");
        else
            m_db.exec("ROLLBACK");
    } catch (const StoreError &e) {
        logger("core.store")->error("rollback failed: {}", str(e.message));
    }
}

void Transaction::commit()
{
    m_db.exec(m_savepoint ? "RELEASE annotune_tx" : "COMMIT");
    m_done = true;
}

} // namespace annotune::core::store
