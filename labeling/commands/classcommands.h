#pragma once
// Undo commands on the label schema: AddClass, UpdateClass (rename, recolour, hotkey),
// MergeClasses and DeleteClass. Each writes in one transaction; a failed write drops the command.

#include "core/types.h"

#include <QUndoCommand>

namespace annotune::labeling {

class LabelSchema;

// Adds a class; undo removes it, redo restores the same id.
class AddClass : public QUndoCommand {
public:
    AddClass(LabelSchema &schema, core::LabelClass c);
    void redo() override;
    void undo() override;
    core::Id classId() const { return m_class.id; }

private:
    LabelSchema &m_schema;
    core::LabelClass m_class;
};

// Replaces a class's name, colour, hotkey or position; annotations keep pointing at its id.
class UpdateClass : public QUndoCommand {
public:
    UpdateClass(LabelSchema &schema, core::LabelClass before, core::LabelClass after);
    void redo() override;
    void undo() override;

private:
    void write(const core::LabelClass &c);
    LabelSchema &m_schema;
    core::LabelClass m_before, m_after;
};

// Relabels the annotations `moved` of class `from` as class `into` and removes `from`; undo
// restores `from` with its id and gives those annotations back.
class MergeClasses : public QUndoCommand {
public:
    MergeClasses(LabelSchema &schema, core::LabelClass from, core::Id into, QVector<core::Id> moved);
    void redo() override;
    void undo() override;

private:
    LabelSchema &m_schema;
    core::LabelClass m_from;
    core::Id m_into;
    QVector<core::Id> m_moved;
};

// Removes a class with all its annotations; undo restores both with their ids.
class DeleteClass : public QUndoCommand {
public:
    DeleteClass(LabelSchema &schema, core::LabelClass c, QVector<core::Annotation> annotations);
    void redo() override;
    void undo() override;

private:
    LabelSchema &m_schema;
    core::LabelClass m_class;
    QVector<core::Annotation> m_annotations;
};

} // namespace annotune::labeling
