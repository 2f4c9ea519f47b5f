#include "newrundialog.h"

#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "preseteditor.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QJsonObject>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace annotune::ui::train {

using namespace annotune::core;
namespace ct = annotune::core::training;

NewRunDialog::NewRunDialog(store::Project &project, QWidget *parent)
    : QDialog(parent), m_project(project), m_task(new QComboBox(this)), m_preset(new QComboBox(this)),
      m_labels(new QComboBox(this)), m_device(new QComboBox(this)), m_base(new QComboBox(this)),
      m_epochs(new QSpinBox(this)), m_lora(new QSpinBox(this)), m_config(new QLineEdit(this)),
      m_backbone(new QLineEdit(this)), m_estimate(new QLabel(this))
{
    setWindowTitle(tr("New Training Run"));
    m_task->addItem(tr("Detection (boxes, polygons)"), QStringLiteral("detection"));
    m_task->addItem(tr("Extraction (document fields)"), QStringLiteral("extraction"));
    m_task->setCurrentIndex(m_task->findData(ct::toText(suggestedTask(project))));
    for (const char *p : {"fast", "balanced", "accurate"})
        m_preset->addItem(QString::fromLatin1(p), QString::fromLatin1(p));
    m_preset->setCurrentIndex(m_preset->findData(TrainRequest{}.preset));
    m_labels->addItem(tr("Labeled, in review and approved items"), QStringLiteral("labeled"));
    m_labels->addItem(tr("Approved items only"), QStringLiteral("approved"));
    for (const char *d : {"auto", "cpu", "cuda"})
        m_device->addItem(QString::fromLatin1(d), QString::fromLatin1(d));
    m_base->addItem(tr("None (from scratch)"), QString());
    if (auto runs = project.runs().list())
        for (const Run &r : *runs)
            if (r.status == RunStatus::Finished)
                m_base->addItem(tr("Run %1 — %2 (%3)").arg(r.id).arg(r.name, r.task), QString::number(r.id));
    auto *browse = new QPushButton(tr("Model File…"), this);
    connect(browse, &QPushButton::clicked, this, &NewRunDialog::chooseModelFile);
    auto *baseRow = new QHBoxLayout;
    baseRow->addWidget(m_base, 1);
    baseRow->addWidget(browse);
    m_epochs->setRange(1, 10000);
    m_lora->setRange(0, 1024);
    m_lora->setSpecialValueText(tr("off (full fine-tuning)"));
    m_config->setPlaceholderText(tr("optional JSON file with spec keys over the preset"));
    m_backbone->setPlaceholderText(tr("optional TorchScript backbone exported from torchvision (see README)"));
    auto *browseBackbone = new QPushButton(tr("Backbone File…"), this);
    connect(browseBackbone, &QPushButton::clicked, this, &NewRunDialog::chooseBackbone);
    auto *backboneRow = new QHBoxLayout;
    backboneRow->addWidget(m_backbone, 1);
    backboneRow->addWidget(browseBackbone);
    auto *editPresetButton = new QPushButton(tr("Edit Preset…"), this);
    editPresetButton->setToolTip(tr("Edit the preset's keys as JSON and save them as this run's config file"));
    connect(editPresetButton, &QPushButton::clicked, this, &NewRunDialog::editPreset);
    auto *configRow = new QHBoxLayout;
    configRow->addWidget(m_config, 1);
    configRow->addWidget(editPresetButton);
    m_estimate->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Task:"), m_task);
    form->addRow(tr("Preset:"), m_preset);
    form->addRow(tr("Start from:"), baseRow);
    form->addRow(tr("Backbone:"), backboneRow);
    form->addRow(tr("Epochs:"), m_epochs);
    form->addRow(tr("LoRA rank:"), m_lora);
    form->addRow(tr("Train on:"), m_labels);
    form->addRow(tr("Device:"), m_device);
    form->addRow(tr("Config:"), configRow);
    form->addRow(tr("Time:"), m_estimate);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Start Training"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(m_task, &QComboBox::currentIndexChanged, this, &NewRunDialog::updatePreset);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &NewRunDialog::updatePreset);
    connect(m_epochs, &QSpinBox::valueChanged, this, &NewRunDialog::updateEstimate);
    connect(m_labels, &QComboBox::currentIndexChanged, this, &NewRunDialog::updateEstimate);
    updatePreset();
}

void NewRunDialog::chooseModelFile()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Base Model"), {}, tr("Models (*.pt);;All files (*)"));
    if (file.isEmpty())
        return;
    m_base->addItem(file, file);
    m_base->setCurrentIndex(m_base->count() - 1);
}

void NewRunDialog::chooseBackbone()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("TorchScript Backbone"), {}, tr("TorchScript (*.pt);;All files (*)"));
    if (!file.isEmpty())
        m_backbone->setText(file);
}

void NewRunDialog::editPreset()
{
    const TrainRequest r = request();
    const QString path = !r.configFile.isEmpty()
        ? r.configFile
        : QDir(m_project.folder()).filePath(QStringLiteral("presets/%1-%2.json").arg(ct::toText(r.task), r.preset));
    PresetEditor editor(r.task, r.preset, r.configFile, path, this);
    if (editor.exec() == QDialog::Accepted)
        useConfigFile(editor.filePath());
}

void NewRunDialog::useConfigFile(const QString &path)
{
    m_config->setText(path);
    if (auto keys = ct::readConfigFile(path); keys && keys->value(QStringLiteral("epochs")).isDouble())
        m_epochs->setValue(keys->value(QStringLiteral("epochs")).toInt());
    updateEstimate();
}

// A new task or preset resets the epochs to the preset's; LoRA is for extraction only.
void NewRunDialog::updatePreset()
{
    const TrainRequest r = request();
    TrainRequest preset;
    preset.task = r.task;
    preset.preset = r.preset;
    if (const int epochs = preset.presetEpochs(); epochs > 0)
        m_epochs->setValue(epochs);
    m_lora->setEnabled(r.task == ct::TrainTask::Extraction);
    m_backbone->setEnabled(r.task == ct::TrainTask::Detection);
    updateEstimate();
}

void NewRunDialog::updateEstimate()
{
    m_estimate->setText(estimateText());
}

QString NewRunDialog::estimateText() const
{
    const TrainEstimate e = estimate(m_project, request());
    if (e.items == 0)
        return tr("No items with these labels: nothing to train on.");
    const qint64 minutes = qint64(e.seconds / 60.0 + 0.5);
    const QString time = minutes < 1 ? tr("under a minute") : minutes < 120 ? tr("about %1 min").arg(minutes)
                                                                            : tr("about %1 h").arg(minutes / 60.0, 0, 'f', 1);
    return tr("%1 items × %2 epochs: %3 — an estimate (%4).")
        .arg(e.items).arg(m_epochs->value()).arg(time,
             e.measured ? tr("rate measured on this project's last run") : tr("default CPU rate; no finished run yet"));
}

TrainRequest NewRunDialog::request() const
{
    TrainRequest r;
    r.task = ct::trainTaskFromString(m_task->currentData().toString()).value_or(ct::TrainTask::Detection);
    r.preset = m_preset->currentData().toString();
    r.base = m_base->currentData().toString();
    r.epochs = m_epochs->value();
    r.loraRank = m_lora->isEnabled() ? m_lora->value() : 0;
    r.labels = ct::labelSelectionFromString(m_labels->currentData().toString()).value_or(ct::LabelSelection::Labeled);
    r.device = ct::devicePreferenceFromString(m_device->currentData().toString()).value_or(ct::DevicePreference::Auto);
    r.configFile = m_config->text().trimmed();
    r.backbone = m_backbone->isEnabled() ? m_backbone->text().trimmed() : QString();
    return r;
}

void NewRunDialog::setRequest(const TrainRequest &r)
{
    m_task->setCurrentIndex(m_task->findData(ct::toText(r.task)));
    m_preset->setCurrentIndex(m_preset->findData(r.preset));
    if (const int i = m_base->findData(r.base); i >= 0)
        m_base->setCurrentIndex(i);
    else if (!r.base.isEmpty()) {
        m_base->addItem(r.base, r.base);
        m_base->setCurrentIndex(m_base->count() - 1);
    }
    if (r.epochs > 0)
        m_epochs->setValue(r.epochs);
    m_lora->setValue(r.loraRank);
    m_labels->setCurrentIndex(m_labels->findData(ct::toText(r.labels)));
    m_device->setCurrentIndex(m_device->findData(ct::toText(r.device)));
    m_config->setText(r.configFile);
    m_backbone->setText(r.backbone);
}

} // namespace annotune::ui::train
