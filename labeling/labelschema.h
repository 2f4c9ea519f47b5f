#pragma once
// The project's label schema (classes) as an editable document with its own undo stack: add,
// rename, recolour, merge and delete classes, each an undo command written through the store.

#include "core/result.h"
#include "core/types.h"

#include <QObject>
#include <QUndoStack>

namespace annotune::core::store {
class Project;
}

namespace annotune::labeling {

// Project-level: one stack for the whole schema (not per item). Merge and delete touch
// annotations of many items; changed(true) tells documents to re-read and drop item histories.
class LabelSchema : public QObject {
    Q_OBJECT
public:
    explicit LabelSchema(core::store::Project &project, QObject *parent = nullptr);

    core::store::Project &project() { return m_project; }
    core::Result<QVector<core::LabelClass>> classes();
    // How many annotations (and predictions) use the class: what a merge or delete touches.
    core::Result<qint64> usage(core::Id classId);
    QUndoStack *undoStack() { return &m_stack; }

    // Intents; false (after lastError() is set) when the store refused.
    core::Id addClass(const core::LabelClass &c);
    bool updateClass(const core::LabelClass &c);   // rename, recolour, hotkey
    bool mergeClasses(core::Id from, core::Id into); // relabel from's annotations as into, drop from
    bool removeClass(core::Id id);                   // drops the class and its annotations
    QString lastError() const { return m_lastError; }

    // For commands.
    void notifyChanged(bool annotationsTouched) { Q_EMIT changed(annotationsTouched); }
    void reportFailure(const QString &message);

Q_SIGNALS:
    void changed(bool annotationsTouched);
    void writeFailed(const QString &message);

private:
    bool push(QUndoCommand *command);

    core::store::Project &m_project;
    QUndoStack m_stack;
    QString m_lastError;
    bool m_failed = false;
};

} // namespace annotune::labeling
