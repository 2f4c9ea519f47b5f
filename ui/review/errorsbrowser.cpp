#include "errorsbrowser.h"

#include "errorsmodel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace annotune::ui {

using namespace annotune::core;

ErrorsBrowser::ErrorsBrowser(QWidget *parent)
    : QWidget(parent), m_model(new ErrorsModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)), m_class(new QComboBox(this)), m_type(new QComboBox(this)),
      m_split(new QComboBox(this)), m_minScore(new QDoubleSpinBox(this)), m_maxScore(new QDoubleSpinBox(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ErrorsModel::SortRole);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ErrorsModel::SeverityColumn, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(22);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(ErrorsModel::ItemColumn, 170);
    for (int column : {ErrorsModel::SplitColumn, ErrorsModel::ErrorsColumn, ErrorsModel::SeverityColumn})
        m_view->setColumnWidth(column, 72);
    m_view->setAlternatingRowColors(true);

    m_type->addItem(tr("Any error"));
    for (eval::ErrorType t : {eval::ErrorType::FalsePositive, eval::ErrorType::Missed, eval::ErrorType::WrongClass, eval::ErrorType::PoorLocalisation,
                        eval::ErrorType::WrongValue, eval::ErrorType::MissingField, eval::ErrorType::SpuriousField})
        m_type->addItem(eval::toText(t), int(t));
    m_split->addItem(tr("Any split"));
    for (Split s : kAllSplits)
        m_split->addItem(toText(s), int(s));
    for (auto *spin : {m_minScore, m_maxScore}) {
        spin->setRange(0, 1);
        spin->setSingleStep(0.05);
        spin->setDecimals(2);
    }
    m_maxScore->setValue(1);
    auto *filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Class"), this));
    filters->addWidget(m_class);
    filters->addWidget(m_type);
    filters->addWidget(m_split);
    filters->addWidget(new QLabel(tr("Score"), this));
    filters->addWidget(m_minScore);
    filters->addWidget(new QLabel(QStringLiteral("–"), this));
    filters->addWidget(m_maxScore);
    filters->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_view);

    for (auto *combo : {m_class, m_type, m_split})
        connect(combo, &QComboBox::currentIndexChanged, this, &ErrorsBrowser::applyFilter);
    for (auto *spin : {m_minScore, m_maxScore})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &ErrorsBrowser::applyFilter);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT itemSelected(index.data(ErrorsModel::ItemIdRole).toLongLong());
    });
    clear();
}

void ErrorsBrowser::setItems(const QVector<eval::ItemErrors> &items, const QHash<Id, LabelClass> &classes)
{
    const QSignalBlocker blocker(m_class);
    m_class->clear();
    m_class->addItem(tr("Any class"));
    QVector<LabelClass> sorted(classes.begin(), classes.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    for (const auto &c : sorted)
        m_class->addItem(c.name, c.id);
    m_model->setItems(items);
    applyFilter();
}

void ErrorsBrowser::clear()
{
    m_model->setItems({});
}

void ErrorsBrowser::applyFilter()
{
    eval::ErrorFilter filter;
    if (m_class->currentIndex() > 0)
        filter.classId = m_class->currentData().toLongLong();
    if (m_type->currentIndex() > 0)
        filter.type = eval::ErrorType(m_type->currentData().toInt());
    if (m_split->currentIndex() > 0)
        filter.split = Split(m_split->currentData().toInt());
    if (m_minScore->value() > 0)
        filter.minScore = m_minScore->value();
    if (m_maxScore->value() < 1)
        filter.maxScore = m_maxScore->value();
    m_model->setFilter(filter);
}

Id ErrorsBrowser::currentItemId() const
{
    const QModelIndex index = m_view->currentIndex();
    return index.isValid() ? index.data(ErrorsModel::ItemIdRole).toLongLong() : 0;
}

void ErrorsBrowser::selectFirst()
{
    if (m_proxy->rowCount() > 0)
        m_view->setCurrentIndex(m_proxy->index(0, 0));
}

} // namespace annotune::ui
