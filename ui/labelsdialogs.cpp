#include "labelsdialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>

namespace annotune::ui {

using core::formats::allFormats;
using core::formats::findFormat;

namespace {

// A line edit with browse buttons beside it.
QWidget *withButtons(QLineEdit *edit, const QList<QPushButton *> &buttons, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    for (QPushButton *b : buttons)
        layout->addWidget(b);
    return row;
}

} // namespace

ImportLabelsDialog::ImportLabelsDialog(QWidget *parent)
    : QDialog(parent), m_format(new QComboBox(this)), m_path(new QLineEdit(this)), m_images(new QLineEdit(this)),
      m_skipMissing(new QCheckBox(tr("Import the rest when some images are missing"), this)), m_run(new QLineEdit(this))
{
    setWindowTitle(tr("Import Labels"));
    m_path->setObjectName(QStringLiteral("labelsPath"));
    m_images->setObjectName(QStringLiteral("imagesRoot"));
    m_run->setObjectName(QStringLiteral("runName"));
    for (const auto &f : allFormats())
        m_format->addItem(QStringLiteral("%1 — %2").arg(f.name, f.description), f.name);
    auto *file = new QPushButton(tr("File…"), this);
    auto *folder = new QPushButton(tr("Folder…"), this);
    auto *imagesButton = new QPushButton(tr("Folder…"), this);
    connect(file, &QPushButton::clicked, this, [this] { choosePath(false); });
    connect(folder, &QPushButton::clicked, this, [this] { choosePath(true); });
    connect(imagesButton, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Images folder"), m_images->text());
        if (!dir.isEmpty())
            m_images->setText(dir);
    });
    m_images->setPlaceholderText(tr("The format's usual place next to the labels"));
    m_run->setPlaceholderText(tr("Empty: labels; a name: predictions of that run"));
    auto *form = new QFormLayout;
    form->addRow(tr("Format"), m_format);
    form->addRow(tr("Labels"), withButtons(m_path, {file, folder}, this));
    form->addRow(tr("Images folder"), withButtons(m_images, {imagesButton}, this));
    form->addRow(QString(), m_skipMissing);
    form->addRow(tr("As predictions of run"), m_run);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Import"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_path, &QLineEdit::textChanged, this, &ImportLabelsDialog::updateOk);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(640, sizeHint().height());
    updateOk();
}

void ImportLabelsDialog::choosePath(bool folder)
{
    const QString path = folder ? QFileDialog::getExistingDirectory(this, tr("Labels folder"), m_path->text())
                                : QFileDialog::getOpenFileName(this, tr("Labels file"), m_path->text(),
                                                               tr("Label files (*.json *.xml *.txt *.yaml);;All files (*)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void ImportLabelsDialog::updateOk()
{
    if (m_ok)
        m_ok->setEnabled(!m_path->text().trimmed().isEmpty() && m_format->count() > 0);
}

labeling::LabelImportRequest ImportLabelsDialog::request() const
{
    return {m_format->currentData().toString(), m_path->text().trimmed(), m_images->text().trimmed(),
            m_skipMissing->isChecked(), m_run->text().trimmed()};
}

ExportLabelsDialog::ExportLabelsDialog(const QStringList &classNames, QWidget *parent)
    : QDialog(parent), m_format(new QComboBox(this)), m_out(new QLineEdit(this)),
      m_approvedOnly(new QCheckBox(tr("Only approved items"), this)), m_split(new QComboBox(this)),
      m_classes(new QListWidget(this)), m_copyImages(new QCheckBox(tr("Copy the images beside the labels"), this))
{
    setWindowTitle(tr("Export Labels"));
    for (const auto &f : allFormats())
        if (f.write)
            m_format->addItem(QStringLiteral("%1 — %2").arg(f.name, f.description), f.name);
    m_split->addItem(tr("All splits"), QString());
    for (core::Split s : core::kAllSplits)
        m_split->addItem(core::toText(s), core::toText(s));
    for (const QString &name : classNames) {
        auto *row = new QListWidgetItem(name, m_classes);
        row->setCheckState(Qt::Checked);
    }
    m_classes->setMaximumHeight(160);
    auto *browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, &ExportLabelsDialog::chooseOut);
    auto *form = new QFormLayout;
    form->addRow(tr("Format"), m_format);
    form->addRow(tr("Write to"), withButtons(m_out, {browse}, this));
    form->addRow(tr("Items"), m_approvedOnly);
    form->addRow(tr("Split"), m_split);
    form->addRow(tr("Classes"), m_classes);
    form->addRow(QString(), m_copyImages);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_out, &QLineEdit::textChanged, this, [this] { m_ok->setEnabled(!m_out->text().trimmed().isEmpty()); });
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportLabelsDialog::updateForFormat);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(640, sizeHint().height());
    m_ok->setEnabled(false);
    updateForFormat();
}

void ExportLabelsDialog::updateForFormat()
{
    const auto *format = findFormat(m_format->currentData().toString());
    m_copyImages->setEnabled(format && format->outputIsFolder);
}

void ExportLabelsDialog::chooseOut()
{
    const auto *format = findFormat(m_format->currentData().toString());
    const QString path = format && format->outputIsFolder
                             ? QFileDialog::getExistingDirectory(this, tr("Export into folder"), m_out->text())
                             : QFileDialog::getSaveFileName(this, tr("Export to file"), m_out->text());
    if (!path.isEmpty())
        m_out->setText(path);
}

labeling::LabelExportRequest ExportLabelsDialog::request() const
{
    labeling::LabelExportRequest r;
    r.format = m_format->currentData().toString();
    r.out = m_out->text().trimmed();
    r.filter.approvedOnly = m_approvedOnly->isChecked();
    if (const QString s = m_split->currentData().toString(); !s.isEmpty())
        r.filter.split = core::splitFromString(s);
    bool all = true;
    for (int i = 0; i < m_classes->count(); ++i) {
        if (m_classes->item(i)->checkState() == Qt::Checked)
            r.filter.classNames.insert(m_classes->item(i)->text());
        else
            all = false;
    }
    if (all)
        r.filter.classNames.clear();
    r.copyImages = m_copyImages->isEnabled() && m_copyImages->isChecked();
    return r;
}

} // namespace annotune::ui
