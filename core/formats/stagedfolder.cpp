#include "stagedfolder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

namespace annotune::core::formats {

StagedFolder::~StagedFolder()
{
    if (!m_committed && !m_staging.isEmpty())
        QDir(m_staging).removeRecursively();
}

Status StagedFolder::begin(const QString &out)
{
    const QFileInfo info(out);
    m_out = info.absoluteFilePath();
    if (info.exists() && !(info.isDir() && QDir(m_out).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)))
        return makeError(ErrorCode::Conflict, QStringLiteral("%1: already exists and is not an empty folder; choose a new folder").arg(m_out));
    const QString parent = info.absolutePath();
    if (!QFileInfo(parent).isDir() && !QDir().mkpath(parent))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot create the folder %2").arg(m_out, parent));
    const QString staging = QStringLiteral("%1/.%2.part-%3").arg(parent, info.fileName()).arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    if (!QDir().mkdir(staging))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write in %2").arg(m_out, parent));
    m_staging = staging;
    return {};
}

Status StagedFolder::writeFile(const QString &relative, const QByteArray &data)
{
    const QString target = m_staging + QLatin1Char('/') + relative;
    QDir().mkpath(QFileInfo(target).absolutePath());
    QFile file(target);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.flush())
        return makeError(ErrorCode::Io, QStringLiteral("%1/%2: cannot write (%3)").arg(m_out, relative, file.errorString()));
    return {};
}

Status StagedFolder::copyFile(const QString &from, const QString &relative)
{
    const QString target = m_staging + QLatin1Char('/') + relative;
    QDir().mkpath(QFileInfo(target).absolutePath());
    QFile source(from);
    if (!source.copy(target))
        return makeError(ErrorCode::Io, QStringLiteral("%1/%2: cannot copy %3 (%4)").arg(m_out, relative, from, source.errorString()));
    return {};
}

Status StagedFolder::commit()
{
    if (QFileInfo(m_out).isDir() && !QDir().rmdir(m_out))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot replace the empty folder").arg(m_out));
    if (!QDir().rename(m_staging, m_out))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot move the finished export into place from %2").arg(m_out, m_staging));
    m_committed = true;
    return {};
}

} // namespace annotune::core::formats
