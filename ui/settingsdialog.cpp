#include "settingsdialog.h"

#include "actionregistry.h"
#include "shortcutsettings.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace annotune::ui {

SettingsDialog::SettingsDialog(ActionRegistry &registry, QWidget *parent)
    : QDialog(parent), m_registry(registry), m_table(new QTableWidget(this)), m_reviewer(new QLineEdit(this))
{
    setWindowTitle(tr("Settings"));
    resize(640, 620);
    auto *form = new QFormLayout;
    m_reviewer->setText(shortcutsettings::reviewerName());
    m_reviewer->setPlaceholderText(tr("Your name, recorded with every label and review"));
    form->addRow(tr("Reviewer name:"), m_reviewer);

    const QStringList ids = registry.ids();
    m_table->setColumnCount(3);
    m_table->setRowCount(int(ids.size()));
    m_table->setHorizontalHeaderLabels({tr("Action"), tr("Id"), tr("Shortcut")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    for (int r = 0; r < ids.size(); ++r) {
        QAction *a = registry.action(ids[r]);
        auto *name = new QTableWidgetItem(a->text().remove(QLatin1Char('&')));
        auto *id = new QTableWidgetItem(ids[r]);
        name->setFlags(Qt::ItemIsEnabled);
        id->setFlags(Qt::ItemIsEnabled);
        m_table->setItem(r, 0, name);
        m_table->setItem(r, 1, id);
        auto *edit = new QKeySequenceEdit(a->shortcut(), m_table);
        edit->setObjectName(ids[r]);
        m_table->setCellWidget(r, 2, edit);
    }
    m_table->resizeColumnToContents(1);
    m_table->setColumnWidth(2, 160);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
        for (const QString &id : m_registry.ids())
            setShortcut(id, m_registry.defaultShortcut(id));
    });
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Shortcuts (click one and press the new keys):"), this));
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
}

void SettingsDialog::setShortcut(const QString &id, const QKeySequence &key)
{
    if (auto *edit = m_table->findChild<QKeySequenceEdit *>(id))
        edit->setKeySequence(key);
}

void SettingsDialog::setReviewer(const QString &name)
{
    m_reviewer->setText(name);
}

bool SettingsDialog::save()
{
    QHash<QString, QKeySequence> shortcuts;
    for (const QString &id : m_registry.ids())
        if (auto *edit = m_table->findChild<QKeySequenceEdit *>(id))
            shortcuts.insert(id, edit->keySequence());
    m_error = shortcutsettings::change(m_registry, shortcuts);
    if (!m_error.isEmpty())
        return false;
    shortcutsettings::setReviewerName(m_reviewer->text());
    return true;
}

void SettingsDialog::accept()
{
    if (!save()) {
        QMessageBox::warning(this, tr("Shortcut already taken"), m_error + tr("\nChoose another shortcut for one of them."));
        return;
    }
    QDialog::accept();
}

} // namespace annotune::ui
