#include "recentprojects.h"

#include <QFileInfo>
#include <QSettings>

namespace annotune::ui {
namespace {
const QString kKey = QStringLiteral("recentProjects");
}

QStringList RecentProjects::list() const
{
    return QSettings().value(kKey).toStringList();
}

void RecentProjects::store(const QStringList &paths)
{
    QSettings().setValue(kKey, paths.mid(0, kMax));
}

void RecentProjects::add(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList paths = list();
    paths.removeAll(absolute);
    paths.prepend(absolute);
    store(paths);
}

void RecentProjects::remove(const QString &path)
{
    QStringList paths = list();
    paths.removeAll(path);
    store(paths);
}

QStringList RecentProjects::pruneMissing()
{
    QStringList kept, dropped;
    for (const QString &p : list())
        (QFileInfo::exists(p) ? kept : dropped).append(p);
    if (!dropped.isEmpty())
        store(kept);
    return dropped;
}

} // namespace annotune::ui
