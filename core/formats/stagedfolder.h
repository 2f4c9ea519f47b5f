#pragma once
// An output folder written under a temporary sibling name and renamed into place on commit, so
// a failed or cancelled export leaves nothing behind. Used by the folder writers (YOLO, VOC).

#include "core/result.h"

#include <QString>

namespace annotune::core::formats {

class StagedFolder {
public:
    StagedFolder() = default;
    StagedFolder(const StagedFolder &) = delete;
    StagedFolder &operator=(const StagedFolder &) = delete;
    ~StagedFolder(); // removes the staging folder unless committed

    // Creates the staging folder beside out. Fails when out exists and is not an empty folder
    // (nothing is overwritten) or when its parent cannot be written.
    Status begin(const QString &out);
    QString path() const { return m_staging; }

    // Writes data to relative (folders created as needed); Io error naming the file.
    Status writeFile(const QString &relative, const QByteArray &data);
    // Copies an existing file to relative; Io error naming both files.
    Status copyFile(const QString &from, const QString &relative);
    // Renames the staging folder to out.
    Status commit();

private:
    QString m_out;
    QString m_staging;
    bool m_committed = false;
};

} // namespace annotune::core::formats
