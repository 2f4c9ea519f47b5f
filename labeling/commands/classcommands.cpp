#include "classcommands.h"

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/project.h"
#include "labeling/labelschema.h"

#include <QCoreApplication>

namespace annotune::labeling {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ClassCommands", text);
}

// Runs fn in one transaction; on failure marks cmd obsolete and reports, else notifies.
void run(QUndoCommand *cmd, LabelSchema &schema, bool touchesAnnotations, const std::function<core::Status()> &fn)
{
    core::Status st = schema.project().transaction(fn);
    if (!st) {
        cmd->setObsolete(true);
        schema.reportFailure(st.error().message);
        return;
    }
    schema.notifyChanged(touchesAnnotations);
}

QVector<core::Id> idsOf(const QVector<core::Annotation> &annotations)
{
    QVector<core::Id> ids;
    for (const core::Annotation &a : annotations)
        ids.append(a.id);
    return ids;
}

} // namespace

AddClass::AddClass(LabelSchema &schema, core::LabelClass c)
    : QUndoCommand(tr("Add class '%1'").arg(c.name)), m_schema(schema), m_class(std::move(c))
{
}

void AddClass::redo()
{
    auto &project = m_schema.project();
    run(this, m_schema, false, [&]() -> core::Status {
        auto id = project.classes().add(m_class, project.author());
        if (!id)
            return id.error();
        m_class.id = *id;
        return {};
    });
}

void AddClass::undo()
{
    auto &project = m_schema.project();
    run(this, m_schema, false, [&] { return project.classes().remove(m_class.id, project.author()); });
}

UpdateClass::UpdateClass(LabelSchema &schema, core::LabelClass before, core::LabelClass after)
    : QUndoCommand(before.name == after.name ? tr("Change class '%1'").arg(after.name)
                                             : tr("Rename class '%1' to '%2'").arg(before.name, after.name)),
      m_schema(schema), m_before(std::move(before)), m_after(std::move(after))
{
}

void UpdateClass::write(const core::LabelClass &c)
{
    auto &project = m_schema.project();
    run(this, m_schema, false, [&] { return project.classes().update(c, project.author()); });
}

void UpdateClass::redo() { write(m_after); }
void UpdateClass::undo() { write(m_before); }

MergeClasses::MergeClasses(LabelSchema &schema, core::LabelClass from, core::Id into, QVector<core::Id> moved)
    : QUndoCommand(tr("Merge class '%1'").arg(from.name)), m_schema(schema), m_from(std::move(from)), m_into(into),
      m_moved(std::move(moved))
{
}

void MergeClasses::redo()
{
    auto &project = m_schema.project();
    run(this, m_schema, true, [&]() -> core::Status {
        if (core::Status st = project.annotations().setClassOf(m_moved, m_into, project.author()); !st)
            return st;
        return project.classes().remove(m_from.id, project.author());
    });
}

void MergeClasses::undo()
{
    auto &project = m_schema.project();
    run(this, m_schema, true, [&]() -> core::Status {
        if (auto id = project.classes().add(m_from, project.author()); !id)
            return id.error();
        return project.annotations().setClassOf(m_moved, m_from.id, project.author());
    });
}

DeleteClass::DeleteClass(LabelSchema &schema, core::LabelClass c, QVector<core::Annotation> annotations)
    : QUndoCommand(tr("Delete class '%1'").arg(c.name)), m_schema(schema), m_class(std::move(c)),
      m_annotations(std::move(annotations))
{
}

void DeleteClass::redo()
{
    auto &project = m_schema.project();
    run(this, m_schema, true, [&]() -> core::Status {
        if (!m_annotations.isEmpty())
            if (core::Status st = project.annotations().removeMany(idsOf(m_annotations), project.author()); !st)
                return st;
        return project.classes().remove(m_class.id, project.author());
    });
}

void DeleteClass::undo()
{
    auto &project = m_schema.project();
    run(this, m_schema, true, [&]() -> core::Status {
        if (auto id = project.classes().add(m_class, project.author()); !id)
            return id.error();
        if (m_annotations.isEmpty())
            return {};
        auto added = project.annotations().insertMany(m_annotations, project.author());
        return added ? core::Status() : core::Status(added.error());
    });
}

} // namespace annotune::labeling
