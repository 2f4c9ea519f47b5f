#include "labelschemadialog.h"

#include "actionregistry.h"
#include "labeling/labelschema.h"

#include <QColorDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QUndoStack>
#include <QVBoxLayout>

namespace annotune::ui {

LabelSchemaDialog::LabelSchemaDialog(labeling::LabelSchema &schema, const ActionRegistry &registry, QWidget *parent)
    : QDialog(parent), m_schema(schema), m_registry(registry), m_table(new QTableWidget(this))
{
    setWindowTitle(tr("Label Schema"));
    resize(620, 460);
    m_table->setColumnCount(5);
    m_table->setHorizontalHeaderLabels({tr("Class"), tr("Kind"), tr("Colour"), tr("Hotkey"), tr("Labels")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *buttons = new QVBoxLayout;
    const auto button = [&](const QString &text, void (LabelSchemaDialog::*slot)()) {
        auto *b = new QPushButton(text, this);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
        return b;
    };
    button(tr("Add…"), &LabelSchemaDialog::addClass);
    button(tr("Rename…"), &LabelSchemaDialog::renameClass);
    button(tr("Colour…"), &LabelSchemaDialog::recolourClass);
    button(tr("Hotkey…"), &LabelSchemaDialog::setHotkey);
    button(tr("Merge into…"), &LabelSchemaDialog::mergeClass);
    button(tr("Delete…"), &LabelSchemaDialog::deleteClass);
    buttons->addSpacing(16);
    auto *undo = new QPushButton(tr("Undo"), this);
    auto *redo = new QPushButton(tr("Redo"), this);
    connect(undo, &QPushButton::clicked, m_schema.undoStack(), &QUndoStack::undo);
    connect(redo, &QPushButton::clicked, m_schema.undoStack(), &QUndoStack::redo);
    connect(m_schema.undoStack(), &QUndoStack::canUndoChanged, undo, &QPushButton::setEnabled);
    connect(m_schema.undoStack(), &QUndoStack::canRedoChanged, redo, &QPushButton::setEnabled);
    undo->setEnabled(m_schema.undoStack()->canUndo());
    redo->setEnabled(m_schema.undoStack()->canRedo());
    buttons->addWidget(undo);
    buttons->addWidget(redo);
    buttons->addStretch(1);
    auto *close = new QPushButton(tr("Close"), this);
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    buttons->addWidget(close);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    connect(&m_schema, &labeling::LabelSchema::changed, this, &LabelSchemaDialog::reload);
    reload();
}

void LabelSchemaDialog::reload()
{
    auto classes = m_schema.classes();
    m_classes = classes ? *classes : QVector<core::LabelClass>();
    const int keep = m_table->currentRow();
    m_table->setRowCount(int(m_classes.size()));
    for (int r = 0; r < m_classes.size(); ++r) {
        const core::LabelClass &c = m_classes[r];
        const auto used = m_schema.usage(c.id);
        const QStringList cells{c.name, core::toText(c.kind), c.color.name(), c.hotkey,
                                used ? QString::number(*used) : QStringLiteral("?")};
        for (int col = 0; col < cells.size(); ++col)
            m_table->setItem(r, col, new QTableWidgetItem(cells[col]));
        m_table->item(r, 2)->setBackground(c.color);
        m_table->item(r, 2)->setForeground(c.color.lightness() > 150 ? Qt::black : Qt::white);
    }
    m_table->selectRow(qBound(0, keep, int(m_classes.size()) - 1));
}

core::LabelClass *LabelSchemaDialog::selected()
{
    const int r = m_table->currentRow();
    return r >= 0 && r < m_classes.size() ? &m_classes[r] : nullptr;
}

void LabelSchemaDialog::report(bool ok)
{
    if (!ok)
        QMessageBox::warning(this, tr("Label schema"), m_schema.lastError());
}

void LabelSchemaDialog::addClass()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Add Class"), tr("Name:"), QLineEdit::Normal, {}, &ok).trimmed();
    if (!ok || name.isEmpty())
        return;
    const QStringList kinds{core::toText(core::ClassKind::Box), core::toText(core::ClassKind::Polygon),
                            core::toText(core::ClassKind::Tag)};
    const QString kind = QInputDialog::getItem(this, tr("Add Class"), tr("Drawn as:"), kinds, 0, false, &ok);
    if (!ok)
        return;
    core::LabelClass c{0, name, QColor::fromHsv(int(m_classes.size() * 47) % 360, 200, 230),
                       core::classKindFromString(kind).value_or(core::ClassKind::Box), {}, int(m_classes.size())};
    report(m_schema.addClass(c) != 0);
}

void LabelSchemaDialog::renameClass()
{
    core::LabelClass *c = selected();
    bool ok = false;
    const QString name = c ? QInputDialog::getText(this, tr("Rename Class"), tr("New name:"), QLineEdit::Normal, c->name, &ok).trimmed()
                           : QString();
    if (!ok || name.isEmpty() || name == c->name)
        return;
    core::LabelClass next = *c;
    next.name = name;
    report(m_schema.updateClass(next));
}

void LabelSchemaDialog::recolourClass()
{
    core::LabelClass *c = selected();
    const QColor color = c ? QColorDialog::getColor(c->color, this, tr("Colour of '%1'").arg(c->name)) : QColor();
    if (!color.isValid())
        return;
    core::LabelClass next = *c;
    next.color = color;
    report(m_schema.updateClass(next));
}

QString LabelSchemaDialog::hotkeyClash(core::Id classId, const QString &hotkey) const
{
    const QKeySequence key(hotkey, QKeySequence::PortableText);
    if (hotkey.isEmpty())
        return {};
    if (key.isEmpty())
        return tr("'%1' is not a key sequence").arg(hotkey);
    if (const QStringList ids = m_registry.clashesWith(key); !ids.isEmpty())
        return tr("%1 is already the shortcut of '%2'").arg(hotkey, ids.first());
    for (const core::LabelClass &c : m_classes)
        if (c.id != classId && QKeySequence(c.hotkey, QKeySequence::PortableText) == key)
            return tr("%1 is already the hotkey of class '%2'").arg(hotkey, c.name);
    return {};
}

void LabelSchemaDialog::setHotkey()
{
    core::LabelClass *c = selected();
    bool ok = false;
    const QString hotkey = c ? QInputDialog::getText(this, tr("Class Hotkey"), tr("Key (for example Q or Alt+2; empty for none):"),
                                                     QLineEdit::Normal, c->hotkey, &ok).trimmed()
                             : QString();
    if (!ok)
        return;
    if (const QString clash = hotkeyClash(c->id, hotkey); !clash.isEmpty()) {
        QMessageBox::warning(this, tr("Hotkey refused"), clash);
        return;
    }
    core::LabelClass next = *c;
    next.hotkey = QKeySequence(hotkey, QKeySequence::PortableText).toString(QKeySequence::PortableText);
    report(m_schema.updateClass(next));
}

void LabelSchemaDialog::mergeClass()
{
    core::LabelClass *c = selected();
    if (!c)
        return;
    QStringList others;
    for (const core::LabelClass &o : m_classes)
        if (o.id != c->id)
            others << o.name;
    bool ok = false;
    const QString into = QInputDialog::getItem(this, tr("Merge Class"), tr("Relabel '%1' as:").arg(c->name), others, 0, false, &ok);
    const auto target = std::find_if(m_classes.cbegin(), m_classes.cend(), [&](const auto &o) { return o.name == into; });
    if (!ok || target == m_classes.cend())
        return;
    const auto used = m_schema.usage(c->id);
    const qint64 n = used ? *used : 0;
    if (QMessageBox::question(this, tr("Merge Class"), tr("Relabel %n label(s) of '%1' as '%2' and remove '%1'?", nullptr, int(n))
                                                           .arg(c->name, into)) != QMessageBox::Yes)
        return;
    report(m_schema.mergeClasses(c->id, target->id));
}

void LabelSchemaDialog::deleteClass()
{
    core::LabelClass *c = selected();
    if (!c)
        return;
    const auto used = m_schema.usage(c->id);
    const qint64 n = used ? *used : 0;
    if (QMessageBox::question(this, tr("Delete Class"), tr("Delete '%1' and the %n label(s) that use it?", nullptr, int(n))
                                                            .arg(c->name)) != QMessageBox::Yes)
        return;
    report(m_schema.removeClass(c->id));
}

} // namespace annotune::ui
