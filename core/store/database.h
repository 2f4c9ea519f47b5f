#pragma once
// Small RAII types over the SQLite C API: Database (one connection), Statement, Transaction.
// Only core/store includes sqlite3.h; everything above talks to repositories.

#include "core/result.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace annotune::core::store {

class Database;

// A prepared statement. Bind by 1-based index, step, read columns by 0-based index, reset to reuse.
class Statement {
public:
    Statement() = default;
    Statement(Database &db, const char *sql);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool valid() const { return m_stmt != nullptr; }
    Statement &bind(int index, qint64 v);
    Statement &bind(int index, int v) { return bind(index, static_cast<qint64>(v)); }
    Statement &bind(int index, double v);
    Statement &bind(int index, const QString &v);
    Statement &bind(int index, const char *v);
    // Binds text that outlives the statement's next step (string literals): no copy is made.
    Statement &bindStatic(int index, const char *v);
    // Binds UTF-8 bytes owned by the caller until the next step.
    Statement &bindUtf8(int index, const QByteArray &v);
    Statement &bindBlob(int index, const void *data, int bytes);
    Statement &bindNull(int index);
    template <typename T>
    Statement &bind(int index, const std::optional<T> &v)
    {
        return v ? bind(index, *v) : bindNull(index);
    }

    // Runs one step: true when a row is ready, false when done. Throws StoreError on failure.
    bool step();
    // Steps to completion (for statements that return no rows).
    void exec();
    void reset();
    // Resets for the next step but keeps the bindings (bulk loops rebind every column anyway).
    void rewind();

    qint64 int64(int col) const;
    int integer(int col) const { return static_cast<int>(int64(col)); }
    double real(int col) const;
    QString text(int col) const;
    // The column's UTF-8 text, valid until the next step; empty for NULL.
    std::string_view utf8(int col) const;
    // The column's bytes as a blob, valid until the next step; empty for NULL.
    std::string_view blobView(int col) const;
    QByteArray blob(int col) const;
    bool isNull(int col) const;

private:
    void check(int rc, const char *what);
    sqlite3_stmt *m_stmt = nullptr;
    sqlite3 *m_db = nullptr;
};

// Thrown inside the store; repositories catch it at their boundary and return an Error.
struct StoreError {
    int sqliteCode = 0;
    QString message;
};

// One connection. Opened with WAL, foreign keys, synchronous=FULL and a busy timeout.
class Database {
public:
    enum class Mode { ReadWrite, ReadWriteCreate, ReadOnly };

    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Opens path. Fails with BadInput when the file is not a SQLite database, NotFound when it does
    // not exist and mode does not create it, Io when the folder is not writable.
    static Result<std::unique_ptr<Database>> open(const QString &path, Mode mode);

    void exec(const char *sql);
    Statement prepare(const char *sql) { return Statement(*this, sql); }

    // A statement prepared once per connection and reused; the lease resets it when it goes away.
    class Lease {
    public:
        explicit Lease(Statement &st) : m_st(st) {}
        ~Lease() { m_st.reset(); }
        Statement *operator->() { return &m_st; }
        Statement &operator*() { return m_st; }
    private:
        Statement &m_st;
    };
    // sql must be a string literal (the cache is keyed by its address).
    Lease cached(const char *sql);
    qint64 lastInsertId() const;
    int changes() const;
    // Rows inserted, updated or deleted through this connection since it was opened.
    qint64 totalChanges() const;
    // PRAGMA data_version: changes when another connection commits (never for this one's commits).
    qint64 dataVersion();
    int userVersion();
    void setUserVersion(int version);
    // Copies the whole database to path with the online backup API.
    Status backupTo(const QString &path);
    QString path() const { return m_path; }
    sqlite3 *handle() const { return m_db; }
    bool inTransaction() const;

private:
    Database() = default;
    std::unordered_map<const char *, std::unique_ptr<Statement>> m_cache;
    sqlite3 *m_db = nullptr;
    QString m_path;
};

// Begins IMMEDIATE on construction; rolls back in the destructor unless commit() was called.
// Nests: an inner Transaction on a connection already in one becomes a savepoint.
class Transaction {
public:
    explicit Transaction(Database &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();

private:
    Database &m_db;
    bool m_done = false;
    bool m_savepoint = false;
};

// Turns foreign-key enforcement off for a bulk write whose references were checked up front, and
// on again afterwards. Only possible outside a transaction; inside one (or when !enable) it does nothing.
class ForeignKeysOff {
public:
    explicit ForeignKeysOff(Database &db, bool enable = true) : m_db(db), m_active(enable && !db.inTransaction())
    {
        if (m_active)
            m_db.exec("PRAGMA foreign_keys=OFF");
    }
    ~ForeignKeysOff()
    {
        if (m_active)
            m_db.exec("PRAGMA foreign_keys=ON");
    }
    ForeignKeysOff(const ForeignKeysOff &) = delete;
    ForeignKeysOff &operator=(const ForeignKeysOff &) = delete;

private:
    Database &m_db;
    bool m_active;
};

// Runs fn() and turns a StoreError into an Error whose message starts with context.
template <typename Fn>
auto guarded(const QString &context, Fn &&fn) -> decltype(fn())
{
    try {
        return fn();
    } catch (const StoreError &e) {
        const ErrorCode code = (e.sqliteCode == 19) ? ErrorCode::Conflict
                               : (e.sqliteCode == 8 || e.sqliteCode == 13 || e.sqliteCode == 10) ? ErrorCode::Io
                                                                                                   : ErrorCode::BadInput;
        return makeError(code, context + QStringLiteral(": ") + e.message);
    }
}

} // namespace annotune::core::store
