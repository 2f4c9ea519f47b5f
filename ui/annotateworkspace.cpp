#include "annotateworkspace.h"
#include "suggestionsdock.h"

#include "actionregistry.h"
#include "annotationlistdock.h"
#include "canvas/boxtool.h"
#include "canvas/canvas.h"
#include "canvas/polygontool.h"
#include "canvas/selecttool.h"
#include "classpicker.h"
#include "documentlabeling.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "labeling/annotationdocument.h"
#include "labeling/imagecache.h"
#include "labeling/labelschema.h"
#include "labelschemadialog.h"
#include "tagspanel.h"

#include <QAction>
#include <QDockWidget>
#include <QInputDialog>
#include <QSettings>
#include <QTimer>
#include <QUndoView>

namespace annotune::ui {
namespace {
constexpr int kPanelsLateMs = 500; // no paint with the image came (a covered window, a slow decode)
}

AnnotateWorkspace::AnnotateWorkspace(ActionRegistry &actions, QWidget *parent)
    : QMainWindow(parent), m_cache(new labeling::ImageCache(8, this)), m_canvas(new Canvas(this)),
      m_classes(new ClassPicker(this)), m_tags(new TagsPanel(this)), m_list(new AnnotationListDock(this)),
      m_history(new QUndoView()), m_registry(actions), m_panelsLate(new QTimer(this))
{
    setWindowFlags(Qt::Widget);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    setCentralWidget(m_canvas);
    m_canvas->setImageCache(m_cache);
    m_canvas->addTool(new SelectTool(*m_canvas));
    m_canvas->addTool(new BoxTool(*m_canvas));
    m_canvas->addTool(new PolygonTool(*m_canvas));
    m_askComment = [this]() -> std::optional<QString> {
        bool ok = false;
        const QString text = QInputDialog::getText(this, tr("Reject Item"), tr("What needs fixing?"), QLineEdit::Normal,
                                                   {}, &ok);
        return ok ? std::optional<QString>(text) : std::nullopt;
    };
    createDocks();
    registerActions(actions);
    m_docLabels = new DocumentLabeling(*this, *m_canvas, actions);
    m_ownActions += m_docLabels->actions();
    connect(m_docLabels, &DocumentLabeling::message, this, &AnnotateWorkspace::message);
    m_classes->setReservedKeys([this](const QKeySequence &key) { return !m_registry.clashesWith(key).isEmpty(); });
    createToolBar();
    connect(m_canvas, &Canvas::message, this, &AnnotateWorkspace::message);
    m_list->setLoadsDeferred(true);
    m_panelsLate->setSingleShot(true);
    m_panelsLate->setInterval(kPanelsLateMs);
    connect(m_panelsLate, &QTimer::timeout, this, &AnnotateWorkspace::catchUpPanels);
    connect(m_canvas, &Canvas::painted, this, &AnnotateWorkspace::onCanvasPainted);
    connect(m_canvas, &Canvas::selectionChanged, m_list, &AnnotationListDock::setSelection);
    connect(m_list, &AnnotationListDock::selectionEdited, m_canvas, &Canvas::setSelection);
    connect(m_canvas, &Canvas::currentClassChanged, m_classes, &ClassPicker::setCurrent);
    connect(m_classes, &ClassPicker::classChosen, this, &AnnotateWorkspace::chooseClass);
    connect(m_classes, &ClassPicker::hiddenChanged, this, [this](const QSet<qint64> &hidden) {
        m_canvas->setHiddenClasses(hidden);
        saveHidden();
    });
    connect(m_tags, &TagsPanel::tagsEdited, this, [this](const QSet<qint64> &ids) {
        if (m_doc && m_doc->itemId())
            m_doc->setTags(ids);
    });
    setActive(false);
}

AnnotateWorkspace::~AnnotateWorkspace()
{
    setProject(nullptr);
}

void AnnotateWorkspace::createDocks()
{
    auto *history = new QDockWidget(tr("History"), this);
    history->setObjectName(QStringLiteral("history"));
    history->setWidget(m_history);
    m_history->setEmptyLabel(tr("<opened>"));
    addDockWidget(Qt::LeftDockWidgetArea, m_classes);
    addDockWidget(Qt::LeftDockWidgetArea, m_tags);
    addDockWidget(Qt::RightDockWidgetArea, m_list);
    addDockWidget(Qt::RightDockWidgetArea, history);
    m_history->setMinimumHeight(80);
    for (QDockWidget *d : {static_cast<QDockWidget *>(m_classes), static_cast<QDockWidget *>(m_tags)})
        d->setMinimumWidth(200);
    for (QDockWidget *d : {static_cast<QDockWidget *>(m_list), history})
        d->setMinimumWidth(340);
    m_classes->setMinimumHeight(220);
    m_list->setMinimumHeight(260);
    m_suggestions = new SuggestionsDock(*m_canvas, this);
    addDockWidget(Qt::RightDockWidgetArea, m_suggestions);
    tabifyDockWidget(history, m_suggestions);
    connect(m_suggestions, &SuggestionsDock::message, this, &AnnotateWorkspace::message);
}

void AnnotateWorkspace::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_docksSized)
        return;
    m_docksSized = true; // sizes only stick once the window has its real size
    auto *history = findChild<QDockWidget *>(QStringLiteral("history"));
    resizeDocks({m_classes, m_tags}, {height() * 2 / 3, height() / 3}, Qt::Vertical);
    resizeDocks({m_list, history}, {height() * 2 / 3, height() / 3}, Qt::Vertical);
    resizeDocks({m_classes, m_list}, {230, 400}, Qt::Horizontal);
}

void AnnotateWorkspace::setProject(core::store::Project *project)
{
    m_canvas->setDocument(nullptr);
    m_list->setDocument(nullptr);
    m_docLabels->setDocument(nullptr);
    m_history->setStack(nullptr);
    m_panelsStale = false;
    m_panelsLate->stop();
    m_suggestions->setDocument(nullptr, nullptr);
    m_cache->clear();
    delete m_doc; // both refer to the old project: gone before it is
    delete m_schema;
    m_doc = nullptr;
    m_schema = nullptr;
    m_project = project;
    m_clipboard.clear();
    if (!project) {
        setActive(m_active);
        return;
    }
    const QString author = QSettings().value(QStringLiteral("review/author")).toString().trimmed();
    if (!author.isEmpty())
        project->setAuthor(author);
    m_doc = new labeling::AnnotationDocument(*project, this);
    m_schema = new labeling::LabelSchema(*project, this);
    connect(m_doc, &labeling::AnnotationDocument::changed, this, &AnnotateWorkspace::onDocumentChanged);
    connect(m_doc, &labeling::AnnotationDocument::writeFailed, this,
            [this](const QString &why) { Q_EMIT message(tr("Not saved, undone: %1").arg(why)); });
    connect(m_schema, &labeling::LabelSchema::changed, this, [this](bool annotationsTouched) {
        if (core::Status st = m_doc->reload(annotationsTouched); !st)
            Q_EMIT message(st.error().message);
        Q_EMIT schemaChanged();
    });
    connect(m_schema, &labeling::LabelSchema::writeFailed, this, &AnnotateWorkspace::message);
    m_canvas->setDocument(m_doc);
    m_list->setDocument(m_doc);
    m_docLabels->setDocument(m_doc);
    m_history->setStack(m_doc->undoStack());
    m_suggestions->setDocument(project, m_doc);
    m_classes->setHidden(loadHidden());
    m_canvas->setHiddenClasses(m_classes->hidden());
    refreshClasses();
    setActive(m_active);
}

bool AnnotateWorkspace::showItem(core::Id itemId)
{
    if (!m_doc)
        return false;
    if (itemId == 0) {
        m_doc->clear();
        return false;
    }
    if (core::Status st = m_doc->load(itemId); !st) {
        Q_EMIT message(st.error().message);
        return false;
    }
    // Neighbours are decoded after this item is painted, so they do not compete with it.
    QTimer::singleShot(40, this, &AnnotateWorkspace::prefetchAround);
    return true;
}

void AnnotateWorkspace::prefetchAround()
{
    if (!m_neighbours || !m_project)
        return;
    QVector<QPair<core::Id, QString>> ahead;
    for (int offset : {1, -1, 2}) { // forward first: that is where annotators go
        const core::Id id = m_neighbours(offset);
        if (!id)
            continue;
        if (auto item = m_project->items().get(id))
            ahead.append({id, m_project->absoluteMediaPath(item->path)});
    }
    m_cache->prefetch(ahead);
    if (m_doc) // the next switch either way takes its rows from memory
        m_doc->prefetch({m_neighbours(1), m_neighbours(-1)});
}

void AnnotateWorkspace::onDocumentChanged(const labeling::ChangeEvent &event)
{
    using Kind = labeling::ChangeEvent::Kind;
    if (event.kind == Kind::Loaded)
        panelsStale();
    if (event.kind == Kind::Loaded || event.kind == Kind::Classes)
        refreshClasses();
    m_tags->setChecked(m_doc->tagClassIds());
    if (event.kind != Kind::Loaded && m_doc->itemId())
        Q_EMIT itemEdited(m_doc->item(), int(m_doc->annotations().size()));
}

void AnnotateWorkspace::panelsStale()
{
    m_panelsStale = true;
    if (!m_canvas->isVisible()) { // no paint is coming
        catchUpPanels();
        return;
    }
    m_panelsLate->start();
}

void AnnotateWorkspace::onCanvasPainted(core::Id itemId, bool withImage)
{
    // Queued: the panels repaint in a frame of their own, after this one is on the screen (unless
    // yet another item was loaded meanwhile: then they wait for that one's paint). No item, or an
    // image that cannot be shown, is done too.
    const bool done = withImage || !itemId || (m_canvas->image() && !m_canvas->image()->error.isEmpty());
    if (m_panelsStale && done && m_doc && itemId == m_doc->itemId())
        QMetaObject::invokeMethod(
            this,
            [this, itemId] {
                if (m_doc && m_doc->itemId() == itemId)
                    catchUpPanels();
            },
            Qt::QueuedConnection);
}

void AnnotateWorkspace::catchUpPanels()
{
    if (!m_panelsStale)
        return;
    m_panelsStale = false;
    m_panelsLate->stop();
    m_list->catchUp();
    m_list->setSelection(m_canvas->selection());
    m_history->setStack(m_doc ? m_doc->undoStack() : nullptr);
}

void AnnotateWorkspace::refreshClasses()
{
    if (!m_doc)
        return;
    m_classes->setIncludeFields(m_doc->item().kind == core::ItemKind::DocumentPage);
    m_classes->setClasses(m_doc->classes());
    m_tags->setClasses(m_doc->classes());
    m_tags->setChecked(m_doc->tagClassIds());
    if (!m_doc->classById(m_canvas->currentClass()))
        m_canvas->setCurrentClass(m_classes->classAt(0));
    m_classes->setCurrent(m_canvas->currentClass());
}

void AnnotateWorkspace::chooseClass(qint64 classId)
{
    if (!m_doc || !m_doc->classById(classId))
        return;
    m_canvas->setCurrentClass(classId);
    m_classes->setCurrent(classId);
    if (m_docLabels->labelSelection(classId))
        return;
    if (!m_canvas->selection().isEmpty())
        m_doc->setClass(m_canvas->selection(), classId);
    Q_EMIT message(tr("Class: %1").arg(m_doc->classById(classId)->name));
}

QSet<core::Id> AnnotateWorkspace::loadHidden() const
{
    QSet<core::Id> out;
    const QStringList ids = QSettings().value(QStringLiteral("annotate/hidden/") + m_project->path()).toStringList();
    for (const QString &id : ids)
        out.insert(id.toLongLong());
    return out;
}

void AnnotateWorkspace::saveHidden()
{
    if (!m_project)
        return;
    QStringList ids;
    for (core::Id id : m_canvas->hiddenClasses())
        ids << QString::number(id);
    QSettings().setValue(QStringLiteral("annotate/hidden/") + m_project->path(), ids);
}

void AnnotateWorkspace::editSchema()
{
    if (!m_schema)
        return;
    LabelSchemaDialog dialog(*m_schema, m_registry, this);
    dialog.exec();
}

} // namespace annotune::ui
