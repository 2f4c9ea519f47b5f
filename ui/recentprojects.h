#pragma once
// The "Open Recent" list kept in QSettings: newest first, at most eight, missing files pruned.

#include <QStringList>

namespace annotune::ui {

// A thin, testable wrapper around one QSettings key.
class RecentProjects {
public:
    static constexpr int kMax = 8;

    // The list, newest first.
    QStringList list() const;
    // Moves path to the front (adding it), trimming to kMax.
    void add(const QString &path);
    void remove(const QString &path);
    // Drops entries whose file no longer exists; returns the dropped paths.
    QStringList pruneMissing();

private:
    void store(const QStringList &paths);
};

} // namespace annotune::ui
