#pragma once
// Asks for a new training run: task, preset, base (a run or a model file), epochs, LoRA rank,
// which labels, device, an optional config file (written by the preset editor or by hand); shows
// an estimate of the time it will take.

#include "trainrequest.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QSpinBox;
class QLineEdit;

namespace annotune::core::store {
class Project;
}

namespace annotune::ui::train {

class NewRunDialog : public QDialog {
    Q_OBJECT
public:
    NewRunDialog(core::store::Project &project, QWidget *parent = nullptr);

    TrainRequest request() const;
    void setRequest(const TrainRequest &request);
    QString estimateText() const;
    // Takes a config file for the run (as the preset editor saves one): its epochs, when it sets
    // them, replace the dialog's.
    void useConfigFile(const QString &path);

private:
    void updatePreset();
    void updateEstimate();
    void chooseModelFile();
    void chooseBackbone();
    void editPreset();

    core::store::Project &m_project;
    QComboBox *m_task, *m_preset, *m_labels, *m_device, *m_base;
    QSpinBox *m_epochs, *m_lora;
    QLineEdit *m_config, *m_backbone;
    QLabel *m_estimate;
};

} // namespace annotune::ui::train
