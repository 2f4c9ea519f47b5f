#include "project.h"

#include "annotationrepository.h"
#include "approvalrepository.h"
#include "auditrepository.h"
#include "classrepository.h"
#include "database.h"
#include "itemrepository.h"
#include "linkrepository.h"
#include "runrepository.h"
#include "schema.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace annotune::core::store {

QString defaultAuthor()
{
    QString name = qEnvironmentVariable("ANNOTUNE_USER");
    if (name.isEmpty())
        name = qEnvironmentVariable("USER");
    if (name.isEmpty())
        name = qEnvironmentVariable("USERNAME");
    return name.isEmpty() ? QStringLiteral("unknown") : name;
}

Project::Project(std::unique_ptr<Database> db, bool readOnly)
    : m_path(QFileInfo(db->path()).absoluteFilePath()), m_author(defaultAuthor()), m_readOnly(readOnly),
      m_db(std::move(db))
{
    m_folder = QFileInfo(m_path).absolutePath();
    if (m_folder == QDir::cleanPath(m_folder) && !m_folder.endsWith(QLatin1Char('/')))
        m_folderPrefix = m_folder + QLatin1Char('/');
    m_audit = std::make_unique<AuditRepository>(*m_db);
    m_settings = std::make_unique<SettingsRepository>(*m_db, *m_audit);
    m_classes = std::make_unique<ClassRepository>(*m_db, *m_audit);
    m_items = std::make_unique<ItemRepository>(*m_db, *m_audit);
    m_annotations = std::make_unique<AnnotationRepository>(*m_db, *m_audit);
    m_runs = std::make_unique<RunRepository>(*m_db, *m_audit);
    m_links = std::make_unique<LinkRepository>(*m_db, *m_audit);
    m_approvals = std::make_unique<ApprovalRepository>(*m_db, *m_audit);
}

Project::~Project() = default;

QString Project::folder() const { return m_folder; }
QString Project::name() const { return QFileInfo(m_path).completeBaseName(); }

QString Project::runFolder(Id runId) const { return QStringLiteral("%1/%2-runs/%3").arg(folder(), name()).arg(runId); }

QString Project::absoluteMediaPath(const QString &stored) const
{
    if (QDir::isAbsolutePath(stored))
        return stored;
    return QDir::cleanPath(folder() + QLatin1Char('/') + stored);
}

QString Project::storedMediaPath(const QString &absolute) const
{
    const QString clean = QDir::cleanPath(QFileInfo(absolute).absoluteFilePath());
    // A clean path inside the clean folder: the relative path is what follows the folder.
    if (!m_folderPrefix.isEmpty() && clean.size() > m_folderPrefix.size() && clean.startsWith(m_folderPrefix))
        return clean.mid(m_folderPrefix.size());
    const QString rel = QDir(folder()).relativeFilePath(clean);
    if (rel.startsWith(QLatin1String("../")) || rel == QLatin1String("..") || QDir::isAbsolutePath(rel))
        return clean;
    return rel;
}

Status Project::transaction(const std::function<Status()> &fn, bool bulk)
{
    return guarded(m_path, [&]() -> Status {
        ForeignKeysOff fastPath(*m_db, bulk);
        Transaction tx(*m_db);
        Status st = fn();
        if (st)
            tx.commit();
        return st;
    });
}

Project::ChangeStamp Project::changeStamp()
{
    static qint64 unreadable = 0;
    try {
        return {m_db->totalChanges(), m_db->dataVersion()};
    } catch (const StoreError &) {
        return {m_db->totalChanges(), --unreadable}; // negative, and a new one each time
    }
}

Result<std::unique_ptr<Project>> Project::create(const QString &path)
{
    if (QFileInfo::exists(path))
        return makeError(ErrorCode::Conflict, QStringLiteral("%1: already exists").arg(path));
    auto db = Database::open(path, Database::Mode::ReadWriteCreate);
    if (!db)
        return db.error();
    Status migrated = migrate(**db);
    if (!migrated) {
        db = makeError(ErrorCode::Internal, {});
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(path + QLatin1String(suffix));
        return migrated.error();
    }
    return std::unique_ptr<Project>(new Project(std::move(db.value()), false));
}

Status Project::checkIsProject(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no such project file").arg(path));
    if (QFileInfo(path).isDir())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: is a folder, not a project file").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot read (%2)").arg(path, file.errorString()));
    const QByteArray head = file.read(16);
    if (head != QByteArray("SQLite format 3\0", 16))
        return makeError(ErrorCode::Schema, QStringLiteral("%1: not an Annotune project (not a SQLite database)").arg(path));
    // Look before touching: a read-only connection cannot change a foreign or newer file.
    auto db = Database::open(path, Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    return guarded(path, [&]() -> Status {
        const int version = (*db)->userVersion();
        if (version > kSchemaVersion)
            return makeError(ErrorCode::Schema,
                             QStringLiteral("%1: made by a newer Annotune (schema %2; this build reads up to %3); "
                                            "left untouched").arg(path).arg(version).arg(kSchemaVersion));
        Statement st = (*db)->prepare("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='settings'");
        st.step();
        if (version < 1 || st.int64(0) == 0)
            return makeError(ErrorCode::Schema, QStringLiteral("%1: not an Annotune project (a SQLite database without "
                                                               "the project tables)").arg(path));
        return {};
    });
}

Result<std::unique_ptr<Project>> Project::open(const QString &path, Access access)
{
    if (Status st = checkIsProject(path); !st)
        return st.error();
    const bool readOnly = access == Access::ReadOnly;
    if (!readOnly && !QFileInfo(path).isWritable())
        return makeError(ErrorCode::Io, QStringLiteral("%1: the project file is read-only").arg(path));
    auto db = Database::open(path, readOnly ? Database::Mode::ReadOnly : Database::Mode::ReadWrite);
    if (!db)
        return db.error();
    if (!readOnly) {
        if (Status st = migrate(**db); !st)
            return st.error();
    } else if (int v = guarded(path, [&]() -> Result<int> { return (*db)->userVersion(); }).value(); v < kSchemaVersion) {
        return makeError(ErrorCode::Schema, QStringLiteral("%1: schema %2 needs an upgrade; open it writable once").arg(path).arg(v));
    }
    return std::unique_ptr<Project>(new Project(std::move(db.value()), readOnly));
}

} // namespace annotune::core::store
