#pragma once
// Every user-visible action lives here under a stable id ("go.next", "view.fit"), so menus,
// toolbars and a future shortcut editor find them in one place and clashes are found in one place.

#include <QHash>
#include <QKeySequence>
#include <QObject>
#include <QStringList>

class QAction;

namespace annotune::ui {

// Owns the actions of the window. Workspaces register theirs at construction; the shell places
// them in menus by id. Ids are unique: registering one twice is refused.
class ActionRegistry : public QObject {
    Q_OBJECT
public:
    explicit ActionRegistry(QObject *parent = nullptr) : QObject(parent) {}

    // Creates the action, or returns null when id is already taken. The shortcut given is the
    // default; setShortcut changes the current one.
    QAction *add(const QString &id, const QString &text, const QKeySequence &shortcut = {});
    QAction *action(const QString &id) const { return m_actions.value(id); }
    QStringList ids() const { return m_order; }

    QKeySequence defaultShortcut(const QString &id) const { return m_defaults.value(id); }
    // Sets the current shortcut of id; false when id is unknown.
    bool setShortcut(const QString &id, const QKeySequence &shortcut);
    // Ids (other than exceptId) whose shortcut equals shortcut.
    QStringList clashesWith(const QKeySequence &shortcut, const QString &exceptId = {}) const;
    // All ids that share a shortcut with another action, sorted; empty when there is no clash.
    QStringList conflicts() const;

private:
    QHash<QString, QAction *> m_actions;
    QHash<QString, QKeySequence> m_defaults;
    QStringList m_order;
};

} // namespace annotune::ui
