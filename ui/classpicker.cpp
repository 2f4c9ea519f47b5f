#include "classpicker.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QShortcut>
#include <QVBoxLayout>

namespace annotune::ui {
namespace {
constexpr int kIdRole = Qt::UserRole + 1;

QIcon swatch(const QColor &c)
{
    QPixmap pm(14, 14);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(c.darker(150));
    p.setBrush(c);
    p.drawRoundedRect(QRectF(1, 1, 12, 12), 3, 3);
    return QIcon(pm);
}
} // namespace

ClassPicker::ClassPicker(QWidget *parent)
    : QDockWidget(tr("Classes"), parent), m_search(new QLineEdit(this)), m_list(new QListWidget(this))
{
    setObjectName(QStringLiteral("classPicker"));
    auto *body = new QWidget(this);
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    m_search->setPlaceholderText(tr("Search classes…"));
    m_search->setClearButtonEnabled(true);
    m_list->setToolTip(tr("Click to pick the class for new shapes (and the selection); untick to hide it"));
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    m_list->setStyleSheet(QStringLiteral("QListWidget::indicator:unchecked { border: 1px solid #9aa0a6; "
                                         "border-radius: 2px; background: #202226; width: 11px; height: 11px; }"));
    setWidget(body);
    connect(m_search, &QLineEdit::textChanged, this, &ClassPicker::applySearch);
    connect(m_search, &QLineEdit::returnPressed, this, [this] { // Enter picks the first match
        for (int i = 0; i < m_list->count(); ++i)
            if (!m_list->item(i)->isHidden()) {
                Q_EMIT classChosen(m_list->item(i)->data(kIdRole).toLongLong());
                return;
            }
    });
    connect(m_list, &QListWidget::itemClicked, this,
            [this](QListWidgetItem *item) { Q_EMIT classChosen(item->data(kIdRole).toLongLong()); });
    connect(m_list, &QListWidget::itemChanged, this, &ClassPicker::onItemChanged);
}

void ClassPicker::setClasses(const QVector<core::LabelClass> &classes)
{
    QString signature = m_includeFields ? QStringLiteral("fields;") : QString(); // the same schema again rebuilds nothing
    for (const core::LabelClass &c : classes)
        signature += QStringLiteral("%1|%2|%3|%4|%5;").arg(c.id).arg(c.name, c.color.name(), c.hotkey, core::toText(c.kind));
    if (signature == m_signature)
        return;
    m_signature = signature;
    const QSignalBlocker block(m_list);
    m_classes.clear();
    m_list->clear();
    QVector<core::LabelClass> shown; // on document pages the fields come first (hotkeys 1, 2, ...)
    for (const core::LabelClass &c : classes)
        if (m_includeFields && c.kind == core::ClassKind::Field)
            shown.append(c);
    for (const core::LabelClass &c : classes)
        if (c.kind != core::ClassKind::Tag && c.kind != core::ClassKind::Field)
            shown.append(c); // tags have their panel; fields are made over document words
    for (const core::LabelClass &c : shown) {
        m_classes.append(c);
        const int n = int(m_classes.size());
        QString text = n <= 9 ? QStringLiteral("%1   %2").arg(n).arg(c.name) : QStringLiteral("     %1").arg(c.name);
        if (!c.hotkey.isEmpty() && !isReserved(c.hotkey))
            text += QStringLiteral("   [%1]").arg(c.hotkey);
        auto *item = new QListWidgetItem(swatch(c.color), text, m_list);
        item->setData(kIdRole, c.id);
        item->setToolTip(QStringLiteral("%1 (%2)").arg(c.name, core::toText(c.kind)));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(m_hidden.contains(c.id) ? Qt::Unchecked : Qt::Checked);
    }
    applySearch(m_search->text());
    rebuildShortcuts();
}

void ClassPicker::setCurrent(core::Id classId)
{
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->data(kIdRole).toLongLong() == classId) {
            m_list->setCurrentRow(i);
            return;
        }
    m_list->setCurrentRow(-1);
}

void ClassPicker::setHidden(const QSet<core::Id> &hidden)
{
    m_hidden = hidden;
    const QSignalBlocker block(m_list);
    for (int i = 0; i < m_list->count(); ++i)
        m_list->item(i)->setCheckState(hidden.contains(m_list->item(i)->data(kIdRole).toLongLong()) ? Qt::Unchecked
                                                                                                  : Qt::Checked);
}

core::Id ClassPicker::classAt(int n) const
{
    return n >= 0 && n < m_classes.size() ? m_classes[n].id : 0;
}

void ClassPicker::applySearch(const QString &text)
{
    for (int i = 0; i < m_list->count(); ++i)
        m_list->item(i)->setHidden(!text.isEmpty() && !m_list->item(i)->text().contains(text, Qt::CaseInsensitive));
}

void ClassPicker::onItemChanged(QListWidgetItem *item)
{
    const core::Id id = item->data(kIdRole).toLongLong();
    if (item->checkState() == Qt::Checked)
        m_hidden.remove(id);
    else
        m_hidden.insert(id);
    Q_EMIT hiddenChanged(m_hidden);
}

bool ClassPicker::isReserved(const QString &hotkey) const
{
    return m_reserved && m_reserved(QKeySequence(hotkey, QKeySequence::PortableText));
}

void ClassPicker::rebuildShortcuts()
{
    qDeleteAll(m_shortcuts);
    m_shortcuts.clear();
    for (const core::LabelClass &c : m_classes) {
        if (c.hotkey.isEmpty() || isReserved(c.hotkey))
            continue;
        auto *sc = new QShortcut(QKeySequence(c.hotkey, QKeySequence::PortableText), parentWidget() ? parentWidget() : this);
        const core::Id id = c.id;
        connect(sc, &QShortcut::activated, this, [this, id] { Q_EMIT classChosen(id); });
        m_shortcuts.append(sc);
    }
}

} // namespace annotune::ui
