#pragma once
// Edits a training preset in the workbench: the preset's keys as JSON (with a config file's keys
// over them when one is chosen), checked as a job spec before anything is written (the message
// names the line of a syntax error or the key that is wrong), saved as a config file that the
// run then takes (by default in the project's presets folder).

#include "core/training/jobspec.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace annotune::ui::train {

class PresetEditor : public QDialog {
    Q_OBJECT
public:
    // configFile: the keys to start from over the preset's (empty: the preset's alone); path: where
    // to save.
    PresetEditor(core::training::TrainTask task, const QString &preset, const QString &configFile, const QString &path,
                 QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);
    QString filePath() const;
    void setFilePath(const QString &path);
    QString message() const;

    // Checks the text; when it is a valid spec over the preset, writes it to filePath() and returns
    // true, else shows why and writes nothing.
    bool save();
    void accept() override;

private:
    void browse();
    void check();
    // The text's keys when they make a valid spec over the preset, else an error.
    core::Result<QJsonObject> parsed() const;

    core::training::TrainTask m_task;
    QString m_preset;
    QPlainTextEdit *m_text;
    QLineEdit *m_path;
    QLabel *m_message;
    QPushButton *m_save = nullptr;
};

} // namespace annotune::ui::train
