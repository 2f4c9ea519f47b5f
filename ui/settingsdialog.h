#pragma once
// The settings dialog: every action's shortcut (editable, clashes refused) and the reviewer's name.

#include <QDialog>

class QLineEdit;
class QTableWidget;

namespace annotune::ui {

class ActionRegistry;

// Lists the registry's actions with a QKeySequenceEdit each. OK saves to QSettings and applies;
// a clash is reported and the dialog stays open.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(ActionRegistry &registry, QWidget *parent = nullptr);
    // Sets the shortcut shown for id (tests drive the dialog this way).
    void setShortcut(const QString &id, const QKeySequence &key);
    void setReviewer(const QString &name);
    // Validates and saves; false (after reporting) on a clash.
    bool save();
    QString lastError() const { return m_error; }

    void accept() override;

private:
    ActionRegistry &m_registry;
    QTableWidget *m_table;
    QLineEdit *m_reviewer;
    QString m_error;
    bool m_quiet = false;
};

} // namespace annotune::ui
