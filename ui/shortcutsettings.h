#pragma once
// User preferences kept in QSettings: the shortcut of each registered action and the reviewer's
// name recorded with every change.

#include <QHash>
#include <QKeySequence>
#include <QString>

namespace annotune::ui {

class ActionRegistry;

namespace shortcutsettings {

// Applies the saved shortcuts (only those that differ from the defaults are saved). A saved set
// that would clash is ignored as a whole, so defaults stay usable.
void apply(ActionRegistry &registry);
// Validates and, when there is no clash, saves and applies shortcuts (id -> sequence, every
// registered id). Returns an empty string on success, else a message naming the clash.
QString change(ActionRegistry &registry, const QHash<QString, QKeySequence> &shortcuts);
// The first clash in shortcuts as "Ctrl+D is used by both 'a' and 'b'", or empty.
QString findClash(const ActionRegistry &registry, const QHash<QString, QKeySequence> &shortcuts);

QString reviewerName();
void setReviewerName(const QString &name);

} // namespace shortcutsettings
} // namespace annotune::ui
