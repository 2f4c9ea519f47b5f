#include "actionregistry.h"

#include <QAction>

namespace annotune::ui {

QAction *ActionRegistry::add(const QString &id, const QString &text, const QKeySequence &shortcut)
{
    if (id.isEmpty() || m_actions.contains(id))
        return nullptr;
    auto *action = new QAction(text, this);
    action->setObjectName(id);
    action->setShortcut(shortcut);
    m_actions.insert(id, action);
    m_defaults.insert(id, shortcut);
    m_order.append(id);
    return action;
}

bool ActionRegistry::setShortcut(const QString &id, const QKeySequence &shortcut)
{
    QAction *action = m_actions.value(id);
    if (!action)
        return false;
    action->setShortcut(shortcut);
    return true;
}

QStringList ActionRegistry::clashesWith(const QKeySequence &shortcut, const QString &exceptId) const
{
    QStringList out;
    if (shortcut.isEmpty())
        return out;
    for (const QString &id : m_order)
        if (id != exceptId && m_actions.value(id)->shortcuts().contains(shortcut))
            out.append(id);
    return out;
}

QStringList ActionRegistry::conflicts() const
{
    QStringList out;
    for (const QString &id : m_order) {
        for (const QKeySequence &seq : m_actions.value(id)->shortcuts())
            if (!clashesWith(seq, id).isEmpty() && !out.contains(id))
                out.append(id);
    }
    out.sort();
    return out;
}

} // namespace annotune::ui
