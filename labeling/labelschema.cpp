#include "labelschema.h"

#include "commands/classcommands.h"
#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/project.h"

namespace annotune::labeling {

LabelSchema::LabelSchema(core::store::Project &project, QObject *parent)
    : QObject(parent), m_project(project), m_stack(this)
{
}

core::Result<QVector<core::LabelClass>> LabelSchema::classes()
{
    return m_project.classes().list();
}

core::Result<qint64> LabelSchema::usage(core::Id classId)
{
    return m_project.classes().usage(classId);
}

void LabelSchema::reportFailure(const QString &message)
{
    m_failed = true;
    m_lastError = message;
    Q_EMIT writeFailed(message);
}

bool LabelSchema::push(QUndoCommand *command)
{
    if (m_project.readOnly()) {
        delete command;
        reportFailure(tr("This project is open read-only"));
        return false;
    }
    m_failed = false;
    m_lastError.clear();
    m_stack.push(command);
    return !m_failed;
}

core::Id LabelSchema::addClass(const core::LabelClass &c)
{
    auto *cmd = new AddClass(*this, c);
    const bool ok = push(cmd);
    return ok ? cmd->classId() : 0; // an accepted command stays on the stack
}

bool LabelSchema::updateClass(const core::LabelClass &c)
{
    auto before = classes();
    if (!before) {
        reportFailure(before.error().message);
        return false;
    }
    for (const core::LabelClass &old : *before)
        if (old.id == c.id)
            return push(new UpdateClass(*this, old, c));
    reportFailure(tr("class %1: no such class").arg(c.id));
    return false;
}

bool LabelSchema::mergeClasses(core::Id from, core::Id into)
{
    auto all = classes();
    auto moved = m_project.annotations().forClass(from);
    if (!all || !moved) {
        reportFailure(!all ? all.error().message : moved.error().message);
        return false;
    }
    const auto fromClass = std::find_if(all->cbegin(), all->cend(), [from](const auto &c) { return c.id == from; });
    const bool intoExists = std::any_of(all->cbegin(), all->cend(), [into](const auto &c) { return c.id == into; });
    if (fromClass == all->cend() || !intoExists || from == into) {
        reportFailure(tr("Choose two different existing classes to merge"));
        return false;
    }
    QVector<core::Id> ids;
    for (const core::Annotation &a : *moved)
        ids.append(a.id);
    return push(new MergeClasses(*this, *fromClass, into, ids));
}

bool LabelSchema::removeClass(core::Id id)
{
    auto all = classes();
    auto removed = m_project.annotations().forClass(id);
    if (!all || !removed) {
        reportFailure(!all ? all.error().message : removed.error().message);
        return false;
    }
    const auto cls = std::find_if(all->cbegin(), all->cend(), [id](const auto &c) { return c.id == id; });
    if (cls == all->cend()) {
        reportFailure(tr("class %1: no such class").arg(id));
        return false;
    }
    return push(new DeleteClass(*this, *cls, *removed));
}

} // namespace annotune::labeling
