#include "annotationlistdock.h"
#include "cachedtextdelegate.h"

#include "labeling/annotationdocument.h"
#include "labeling/annotationlistmodel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QTableView>

namespace annotune::ui {
namespace {

// Edits the class column with a combo box of the shape classes.
class ClassDelegate : public CachedTextDelegate {
public:
    using CachedTextDelegate::CachedTextDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &index) const override
    {
        auto *combo = new QComboBox(parent);
        const auto *model = static_cast<const labeling::AnnotationListModel *>(index.model());
        QVector<core::LabelClass> classes = model->classes().values();
        std::sort(classes.begin(), classes.end(), [](const auto &a, const auto &b) { return a.position < b.position; });
        for (const core::LabelClass &c : classes)
            if (c.kind != core::ClassKind::Tag)
                combo->addItem(c.name, c.id);
        return combo;
    }
    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        auto *combo = static_cast<QComboBox *>(editor);
        combo->setCurrentIndex(combo->findData(index.data(Qt::EditRole)));
    }
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override
    {
        model->setData(index, static_cast<QComboBox *>(editor)->currentData(), Qt::EditRole);
    }
};

} // namespace

AnnotationListDock::AnnotationListDock(QWidget *parent)
    : QDockWidget(tr("Labels"), parent), m_model(new labeling::AnnotationListModel(this)), m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("annotationList"));
    m_model->setClassEditable(true);
    m_view->setModel(m_model);
    m_view->setItemDelegate(new CachedTextDelegate(m_view)); // repainted on every item switch
    m_view->setItemDelegateForColumn(labeling::AnnotationListModel::ClassColumn, new ClassDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(22);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    setWidget(m_view);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AnnotationListDock::onRowsSelected);
    connect(m_model, &labeling::AnnotationListModel::classChangeRequested, this, [this](qint64 id, qint64 classId) {
        if (m_doc)
            m_doc->setClass({id}, classId);
    });
}

void AnnotationListDock::setDocument(labeling::AnnotationDocument *document)
{
    if (m_doc)
        disconnect(m_doc, nullptr, this, nullptr);
    m_doc = document;
    if (m_doc)
        connect(m_doc, &labeling::AnnotationDocument::changed, this, &AnnotationListDock::onDocumentChanged);
    refresh();
}

void AnnotationListDock::onDocumentChanged(const labeling::ChangeEvent &event)
{
    if (event.kind == labeling::ChangeEvent::Kind::Loaded && m_loadsDeferred)
        m_stale = true;
    else
        refresh();
}

bool AnnotationListDock::catchUp()
{
    if (!m_stale)
        return false;
    refresh();
    return true;
}

void AnnotationListDock::refresh()
{
    m_stale = false;
    QVector<core::Id> selected;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        selected.append(i.data(labeling::AnnotationListModel::IdRole).toLongLong());
    QHash<core::Id, core::LabelClass> classes;
    if (m_doc)
        for (const core::LabelClass &c : m_doc->classes())
            classes.insert(c.id, c);
    m_syncing = true;
    m_model->setContent(m_doc ? m_doc->annotations() : QVector<core::Annotation>(), classes);
    m_syncing = false;
    setSelection(selected);
    m_view->resizeColumnToContents(labeling::AnnotationListModel::ClassColumn);
    setWindowTitle(tr("Labels (%1)").arg(m_model->rowCount()));
}

void AnnotationListDock::setSelection(const QVector<core::Id> &ids)
{
    m_syncing = true;
    QItemSelection selection;
    int last = -1;
    for (core::Id id : ids)
        if (const int row = m_model->rowOf(id); row >= 0) {
            selection.select(m_model->index(row, 0), m_model->index(row, m_model->columnCount() - 1));
            last = row;
        }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (last >= 0)
        m_view->scrollTo(m_model->index(last, 0));
    m_syncing = false;
}

void AnnotationListDock::onRowsSelected()
{
    if (m_syncing)
        return;
    QVector<qint64> ids;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        ids.append(i.data(labeling::AnnotationListModel::IdRole).toLongLong());
    Q_EMIT selectionEdited(ids);
}

} // namespace annotune::ui
