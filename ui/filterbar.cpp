#include "filterbar.h"

#include "style.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

namespace annotune::ui {

using core::store::ItemFilter;
using core::store::ItemSort;

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent), m_status(makeCombo(tr("Status"))), m_class(makeCombo(tr("Class"))),
      m_split(makeCombo(tr("Split"))), m_search(new QLineEdit(this)), m_sortKey(makeCombo(tr("Sort by"))),
      m_descending(new QToolButton(this)), m_searchDelay(new QTimer(this))
{
    m_status->addItem(tr("All statuses"));
    for (core::ItemStatus s : core::kAllStatuses)
        m_status->addItem(statusTitle(s), int(s));
    m_class->addItem(tr("All classes"));
    m_split->addItem(tr("All splits"));
    for (core::Split s : core::kAllSplits)
        m_split->addItem(core::toText(s), int(s));
    const std::pair<const char *, ItemSort::Key> keys[] = {
        {"ID", ItemSort::Key::Id}, {"Path", ItemSort::Key::Path}, {"Status", ItemSort::Key::Status},
        {"Updated", ItemSort::Key::Updated}, {"Annotations", ItemSort::Key::Annotations}};
    for (const auto &[name, key] : keys)
        m_sortKey->addItem(tr("Sort: %1").arg(tr(name)), int(key));

    m_search->setPlaceholderText(tr("Search path…"));
    m_search->setClearButtonEnabled(true);
    m_descending->setCheckable(true);
    m_descending->setToolTip(tr("Descending"));
    m_descending->setIcon(style()->standardIcon(QStyle::SP_ArrowUp));
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(250);

    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(8, 6, 8, 6);
    row->setSpacing(6);
    row->addWidget(m_search, 2);
    for (QWidget *w : {static_cast<QWidget *>(m_status), static_cast<QWidget *>(m_class), static_cast<QWidget *>(m_split),
                       static_cast<QWidget *>(m_sortKey), static_cast<QWidget *>(m_descending)})
        row->addWidget(w);

    for (QComboBox *c : {m_status, m_class, m_split})
        connect(c, &QComboBox::currentIndexChanged, this, &FilterBar::emitFilter);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, &FilterBar::emitFilter);
    connect(m_sortKey, &QComboBox::currentIndexChanged, this, &FilterBar::emitSort);
    connect(m_descending, &QToolButton::toggled, this, [this](bool on) {
        m_descending->setIcon(style()->standardIcon(on ? QStyle::SP_ArrowDown : QStyle::SP_ArrowUp));
        emitSort();
    });
}

QComboBox *FilterBar::makeCombo(const QString &tip)
{
    auto *combo = new QComboBox(this);
    combo->setToolTip(tip);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return combo;
}

void FilterBar::setClasses(const QVector<core::LabelClass> &classes)
{
    const QVariant current = m_class->currentData();
    QSignalBlocker block(m_class);
    m_class->clear();
    m_class->addItem(tr("All classes"));
    for (const core::LabelClass &c : classes) {
        QPixmap swatch(10, 10);
        swatch.fill(c.color);
        m_class->addItem(QIcon(swatch), c.name, c.id);
    }
    const int keep = current.isValid() ? m_class->findData(current) : 0;
    m_class->setCurrentIndex(qMax(0, keep));
}

ItemFilter FilterBar::filter() const
{
    ItemFilter f;
    if (m_status->currentIndex() > 0)
        f.status = core::ItemStatus(m_status->currentData().toInt());
    if (m_class->currentIndex() > 0)
        f.classId = m_class->currentData().toLongLong();
    if (m_split->currentIndex() > 0)
        f.split = core::Split(m_split->currentData().toInt());
    f.pathContains = m_search->text().trimmed();
    return f;
}

ItemSort FilterBar::sort() const
{
    return ItemSort{ItemSort::Key(m_sortKey->currentData().toInt()), m_descending->isChecked()};
}

void FilterBar::reset()
{
    const QSignalBlocker b1(m_status), b2(m_class), b3(m_split), b4(m_search), b5(m_sortKey), b6(m_descending);
    m_status->setCurrentIndex(0);
    m_class->setCurrentIndex(0);
    m_split->setCurrentIndex(0);
    m_search->clear();
    m_sortKey->setCurrentIndex(0);
    m_descending->setChecked(false);
    m_searchDelay->stop();
}

void FilterBar::setStatus(std::optional<core::ItemStatus> status)
{
    m_status->setCurrentIndex(status ? qMax(0, m_status->findData(int(*status))) : 0);
}

} // namespace annotune::ui
