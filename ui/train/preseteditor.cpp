#include "preseteditor.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

namespace annotune::ui::train {

using namespace annotune::core;
namespace ct = annotune::core::training;

PresetEditor::PresetEditor(ct::TrainTask task, const QString &preset, const QString &configFile, const QString &path,
                           QWidget *parent)
    : QDialog(parent), m_task(task), m_preset(preset), m_text(new QPlainTextEdit(this)), m_path(new QLineEdit(path, this)),
      m_message(new QLabel(this))
{
    setWindowTitle(tr("Edit Preset — %1 %2").arg(ct::toText(task), preset));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    QJsonObject keys;
    QStringList problems;
    if (auto base = ct::presetKeys(task, preset))
        keys = *base;
    else
        problems << base.error().message;
    if (!configFile.isEmpty()) {
        if (auto over = ct::readConfigFile(configFile)) {
            for (auto it = over->begin(); it != over->end(); ++it)
                keys.insert(it.key(), it.value());
        } else {
            problems << over.error().message;
        }
    }
    m_text->setPlainText(QString::fromUtf8(QJsonDocument(keys).toJson(QJsonDocument::Indented)));

    auto *browseButton = new QPushButton(tr("Browse…"), this);
    connect(browseButton, &QPushButton::clicked, this, &PresetEditor::browse);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browseButton);
    auto *form = new QFormLayout;
    form->addRow(tr("Save as:"), pathRow);
    auto *hint = new QLabel(tr("Keys over the built-in preset; any spec key works here (see the README's list)."), this);
    hint->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    connect(buttons, &QDialogButtonBox::accepted, this, &PresetEditor::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(hint);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_message);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(560, 480);

    connect(m_text, &QPlainTextEdit::textChanged, this, &PresetEditor::check);
    check();
    if (!problems.isEmpty())
        m_message->setText(problems.join(QLatin1Char('\n')));
}

QString PresetEditor::text() const { return m_text->toPlainText(); }
void PresetEditor::setText(const QString &text) { m_text->setPlainText(text); }
QString PresetEditor::filePath() const { return m_path->text().trimmed(); }
void PresetEditor::setFilePath(const QString &path) { m_path->setText(path); }
QString PresetEditor::message() const { return m_message->text(); }

Result<QJsonObject> PresetEditor::parsed() const
{
    const QByteArray bytes = m_text->toPlainText().toUtf8();
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &pe);
    if (pe.error != QJsonParseError::NoError) {
        const int line = int(bytes.left(pe.offset).count('\n')) + 1;
        return makeError(ErrorCode::BadInput, tr("Line %1: %2").arg(line).arg(pe.errorString()));
    }
    if (!doc.isObject())
        return makeError(ErrorCode::BadInput, tr("The preset must be one JSON object of spec keys."));
    auto spec = ct::presetSpec(m_task, m_preset);
    if (!spec)
        return spec.error();
    if (Status st = ct::mergeConfig(*spec, doc.object()); !st)
        return st.error();
    return doc.object();
}

void PresetEditor::check()
{
    auto keys = parsed();
    m_message->setText(keys ? tr("Valid: %n key(s).", nullptr, int(keys->size())) : keys.error().message);
    // An invalid text cannot be saved: the message says why, in the error colour.
    m_message->setForegroundRole(keys ? QPalette::WindowText : QPalette::BrightText);
    QPalette palette = m_message->palette();
    palette.setColor(QPalette::BrightText, QColor(0xe0, 0x50, 0x50));
    m_message->setPalette(palette);
    if (m_save)
        m_save->setEnabled(bool(keys));
}

bool PresetEditor::save()
{
    auto keys = parsed();
    if (!keys) {
        m_message->setText(keys.error().message);
        return false;
    }
    const QString path = filePath();
    if (path.isEmpty()) {
        m_message->setText(tr("Choose a file to save the preset in."));
        return false;
    }
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder)) {
        m_message->setText(tr("%1: cannot create the folder").arg(folder));
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(*keys).toJson(QJsonDocument::Indented)) < 0 || !file.commit()) {
        m_message->setText(tr("%1: cannot write: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

void PresetEditor::accept()
{
    if (save())
        QDialog::accept();
}

void PresetEditor::browse()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Save Preset"), filePath(), tr("JSON (*.json);;All files (*)"));
    if (!file.isEmpty())
        m_path->setText(file);
}

} // namespace annotune::ui::train
