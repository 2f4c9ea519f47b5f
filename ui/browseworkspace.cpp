#include "browseworkspace.h"

#include "actionregistry.h"
#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/project.h"
#include "filterbar.h"
#include "imageview.h"
#include "itemdelegate.h"
#include "itemdetailspanel.h"
#include "labeling/itemlistmodel.h"

#include <QAction>
#include <QListView>
#include <QSplitter>
#include <QStyle>
#include <QVBoxLayout>

namespace annotune::ui {

using labeling::ItemListModel;

BrowseWorkspace::BrowseWorkspace(ActionRegistry &actions, labeling::ThumbnailCache &thumbnails, QWidget *parent)
    : QWidget(parent), m_thumbnails(thumbnails), m_filter(new FilterBar(this)), m_list(new QListView(this)),
      m_view(new ImageView(this)), m_details(new ItemDetailsPanel(this)), m_splitter(new QSplitter(this))
{
    m_list->setViewMode(QListView::IconMode);
    m_list->setMovement(QListView::Static);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setUniformItemSizes(true);
    m_list->setGridSize(ItemDelegate::kCellSize);
    m_list->setItemDelegate(new ItemDelegate(m_list));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setMouseTracking(true);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setSpacing(0);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(0);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_list, 1);

    m_splitter->addWidget(left);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setSizes({580, 860, 400});
    m_splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    connect(m_filter, &FilterBar::filterChanged, this, [this](const core::store::ItemFilter &f) {
        if (m_model) {
            m_model->setFilter(f);
            selectRow(0);
        }
    });
    connect(m_filter, &FilterBar::sortChanged, this, [this](const core::store::ItemSort &s) {
        if (m_model) {
            m_model->setSort(s);
            selectRow(0);
        }
    });
    registerActions(actions);
}

BrowseWorkspace::~BrowseWorkspace() = default;

void BrowseWorkspace::registerActions(ActionRegistry &actions)
{
    const auto add = [&](const char *id, const QString &text, const QKeySequence &key, QStyle::StandardPixmap icon,
                         void (BrowseWorkspace::*slot)()) {
        QAction *a = actions.add(QString::fromLatin1(id), text, key);
        if (!a)
            return;
        if (icon != QStyle::SP_CustomBase)
            a->setIcon(style()->standardIcon(icon));
        connect(a, &QAction::triggered, this, slot);
    };
    add("go.next", tr("&Next Item"), QKeySequence(Qt::Key_D), QStyle::SP_ArrowForward, &BrowseWorkspace::selectNext);
    add("go.previous", tr("&Previous Item"), QKeySequence(Qt::Key_A), QStyle::SP_ArrowBack, &BrowseWorkspace::selectPrevious);
    add("go.nextUnlabeled", tr("Next &Unlabeled Item"), QKeySequence(Qt::SHIFT | Qt::Key_D), QStyle::SP_MediaSkipForward,
        &BrowseWorkspace::selectNextUnlabeled);
    const auto addView = [&](const char *id, const QString &text, const QKeySequence &key, void (ImageView::*slot)()) {
        if (QAction *a = actions.add(QString::fromLatin1(id), text, key))
            connect(a, &QAction::triggered, m_view, [this, slot] {
                if (m_viewerActive)
                    (m_view->*slot)();
            });
    };
    addView("view.fit", tr("&Fit to Window"), QKeySequence(Qt::Key_F), &ImageView::fitToWindow);
    addView("view.actualSize", tr("&Actual Size (1:1)"), QKeySequence(Qt::CTRL | Qt::Key_0), &ImageView::actualSize);
    addView("view.zoomIn", tr("Zoom &In"), QKeySequence::ZoomIn, &ImageView::zoomIn);
    addView("view.zoomOut", tr("Zoom &Out"), QKeySequence::ZoomOut, &ImageView::zoomOut);
}

void BrowseWorkspace::setProject(core::store::Project *project)
{
    m_view->clear();
    m_details->clear();
    m_list->setModel(nullptr);
    delete m_model; // it refers to the old project: gone before the project is
    m_model = nullptr;
    m_project = project;
    m_filter->reset();
    if (!m_project) {
        Q_EMIT currentChanged(-1, 0);
        return;
    }
    loadClasses();
    m_model = new ItemListModel(*m_project, &m_thumbnails, this);
    connect(m_model, &ItemListModel::loadFailed, this, &BrowseWorkspace::message);
    m_list->setModel(m_model);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &BrowseWorkspace::onCurrentChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &BrowseWorkspace::onCurrentChanged);
    if (!selectRow(0))
        onCurrentChanged();
}

void BrowseWorkspace::reload()
{
    if (!m_model)
        return;
    const core::Id keep = currentItemId();
    loadClasses();
    m_model->reload();
    const int row = keep ? m_model->rowOf(keep) : -1;
    selectRow(row >= 0 ? row : 0);
}

void BrowseWorkspace::loadClasses()
{
    auto classes = m_project->classes().list();
    if (!classes)
        Q_EMIT message(classes.error().message);
    m_filter->setClasses(classes ? *classes : QVector<core::LabelClass>());
}

bool BrowseWorkspace::selectRow(int row)
{
    if (!m_model || !m_model->ensureLoaded(row))
        return false;
    const QModelIndex index = m_model->index(row);
    m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_list->scrollTo(index);
    return true;
}

int BrowseWorkspace::currentRow() const
{
    return m_model ? m_list->currentIndex().row() : -1;
}

core::Id BrowseWorkspace::currentItemId() const
{
    const auto *row = m_model ? m_model->rowAt(currentRow()) : nullptr;
    return row ? row->item.id : 0;
}

core::Id BrowseWorkspace::itemIdAt(int row) const
{
    const auto *r = m_model && row >= 0 ? m_model->rowAt(row) : nullptr;
    return r ? r->item.id : 0;
}

void BrowseWorkspace::setViewerActive(bool active)
{
    if (active == m_viewerActive)
        return;
    m_viewerActive = active;
    if (active)
        onCurrentChanged();
    else
        m_view->clear();
}

void BrowseWorkspace::selectNext()
{
    if (m_model && !selectRow(currentRow() + 1))
        Q_EMIT message(tr("This is the last item"));
}

void BrowseWorkspace::selectPrevious()
{
    if (m_model && currentRow() > 0)
        selectRow(currentRow() - 1);
}

void BrowseWorkspace::selectNextUnlabeled()
{
    if (!m_model)
        return;
    core::store::ItemFilter unlabeled = m_model->filter();
    unlabeled.status = core::ItemStatus::Unlabeled;
    if (auto n = m_project->items().count(unlabeled); n && *n == 0) {
        Q_EMIT message(tr("No unlabeled items here"));
        return;
    }
    for (int row = currentRow() + 1; m_model->ensureLoaded(row); ++row) {
        if (m_model->rowAt(row)->item.status == core::ItemStatus::Unlabeled) {
            selectRow(row);
            return;
        }
    }
    Q_EMIT message(tr("No unlabeled items after this one"));
}

// Reads the selected item's labels, words and classes (small, indexed queries) and shows them.
void BrowseWorkspace::onCurrentChanged()
{
    const auto *row = m_model ? m_model->rowAt(currentRow()) : nullptr;
    if (!row) {
        m_view->clear();
        m_details->clear();
        Q_EMIT currentChanged(-1, m_model ? m_model->totalCount() : 0);
        return;
    }
    if (!m_viewerActive) {
        Q_EMIT currentChanged(currentRow(), m_model->totalCount());
        return;
    }
    ItemScene scene;
    scene.item = row->item;
    scene.absolutePath = m_project->absoluteMediaPath(row->item.path);
    auto annotations = m_project->annotations().forItem(row->item.id);
    auto words = m_project->annotations().words(row->item.id);
    auto classes = m_project->classes().list();
    if (!annotations || !words || !classes)
        Q_EMIT message(tr("Could not read all labels of item %1").arg(row->item.id));
    if (annotations)
        scene.annotations = *annotations;
    if (words)
        scene.words = *words;
    if (classes)
        for (const core::LabelClass &c : *classes)
            scene.classes.insert(c.id, c);
    m_view->setScene(scene);
    m_details->setScene(scene);
    Q_EMIT currentChanged(currentRow(), m_model->totalCount());
}

} // namespace annotune::ui
