#pragma once
// The label schema dialog: add, rename, recolour, set hotkeys, merge and delete classes, each
// showing how many labels it touches, all undoable.

#include "core/types.h"

#include <QDialog>

class QTableWidget;

namespace annotune::labeling {
class LabelSchema;
}

namespace annotune::ui {

class ActionRegistry;

// Edits go through LabelSchema's intents (commands on the project's schema stack); the dialog
// has its own Undo and Redo for that stack. Hotkeys that clash with an action's shortcut or
// another class's are refused.
class LabelSchemaDialog : public QDialog {
    Q_OBJECT
public:
    LabelSchemaDialog(labeling::LabelSchema &schema, const ActionRegistry &registry, QWidget *parent = nullptr);

    // Why hotkey cannot be given to classId, or empty when it can.
    QString hotkeyClash(core::Id classId, const QString &hotkey) const;

private:
    void reload();
    core::LabelClass *selected();
    void addClass();
    void renameClass();
    void recolourClass();
    void setHotkey();
    void mergeClass();
    void deleteClass();
    void report(bool ok);

    labeling::LabelSchema &m_schema;
    const ActionRegistry &m_registry;
    QTableWidget *m_table;
    QVector<core::LabelClass> m_classes;
};

} // namespace annotune::ui
