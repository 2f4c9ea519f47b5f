#pragma once
// An open project: one SQLite file (NAME.annotune) with its repositories, and the rules for where
// its media live (paths relative to the project file's folder, absolute when outside it).

#include "core/result.h"
#include "core/types.h"

#include <functional>
#include <memory>

namespace annotune::core::store {

class Database;
class AuditRepository;
class ClassRepository;
class SettingsRepository;
class ItemRepository;
class AnnotationRepository;
class RunRepository;
class LinkRepository;
class ApprovalRepository;

class Project {
public:
    enum class Access { ReadWrite, ReadOnly };

    ~Project();

    // Creates a new project file; fails with Conflict when path exists. Nothing is left on failure.
    static Result<std::unique_ptr<Project>> create(const QString &path);
    // Opens an existing project, migrating an older schema after a backup. A missing file, a file
    // that is not a project, a newer schema or a read-only file (for ReadWrite) fail untouched.
    static Result<std::unique_ptr<Project>> open(const QString &path, Access access = Access::ReadWrite);

    QString path() const { return m_path; }
    QString folder() const;
    QString name() const;
    // The folder of a training run's checkpoints and model: "<folder>/<name>-runs/<run id>".
    QString runFolder(Id runId) const;
    bool readOnly() const { return m_readOnly; }

    // Absolute path of a media reference stored in the project.
    QString absoluteMediaPath(const QString &stored) const;
    // What to store for a media file: relative to folder() when inside it, else absolute.
    QString storedMediaPath(const QString &absolute) const;

    // Who edits: recorded with every change. Defaults to the login name.
    QString author() const { return m_author; }
    void setAuthor(const QString &author) { m_author = author; }

    // Runs fn inside one transaction; commits when it returns success, rolls everything back else.
    // bulk: foreign keys are not enforced row by row (the bulk inserts check references once per
    // id themselves); only effective when no transaction is open yet.
    Status transaction(const std::function<Status()> &fn, bool bulk = false);

    // What a cache of rows read from the project compares to know whether they may have changed
    // since: the rows this connection inserted, updated or deleted, and the commits of other
    // connections. Equal stamps mean nothing was written in between; a stamp that could not be
    // read equals no other.
    struct ChangeStamp {
        qint64 own = 0;
        qint64 others = 0;
        friend bool operator==(const ChangeStamp &, const ChangeStamp &) = default;
    };
    ChangeStamp changeStamp();

    SettingsRepository &settings() { return *m_settings; }
    ClassRepository &classes() { return *m_classes; }
    ItemRepository &items() { return *m_items; }
    AnnotationRepository &annotations() { return *m_annotations; }
    AuditRepository &audit() { return *m_audit; }
    RunRepository &runs() { return *m_runs; }
    LinkRepository &links() { return *m_links; }
    ApprovalRepository &approvals() { return *m_approvals; }
    Database &database() { return *m_db; }

private:
    explicit Project(std::unique_ptr<Database> db, bool readOnly);
    static Status checkIsProject(const QString &path);

    QString m_path;
    QString m_folder;          // folder(), computed once
    QString m_folderPrefix;    // m_folder + '/' when that is a clean path, else empty
    QString m_author;
    bool m_readOnly = false;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<AuditRepository> m_audit;
    std::unique_ptr<SettingsRepository> m_settings;
    std::unique_ptr<ClassRepository> m_classes;
    std::unique_ptr<ItemRepository> m_items;
    std::unique_ptr<AnnotationRepository> m_annotations;
    std::unique_ptr<RunRepository> m_runs;
    std::unique_ptr<LinkRepository> m_links;
    std::unique_ptr<ApprovalRepository> m_approvals;
};

// The login name of whoever runs the program, for authorship.
QString defaultAuthor();

} // namespace annotune::core::store
