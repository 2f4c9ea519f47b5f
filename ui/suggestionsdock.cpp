#include "suggestionsdock.h"

#include "canvas/canvas.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "labeling/annotationdocument.h"
#include "projectjob.h"

#include <QComboBox>
#include <QKeyEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QVBoxLayout>

namespace annotune::ui {

using namespace annotune::core;

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
}

// Draws the shown suggestions dashed with their score over the canvas; lets every mouse event
// through to the canvas beneath.
class SuggestionOverlay : public QWidget {
public:
    SuggestionOverlay(Canvas &canvas, SuggestionsDock &dock) : QWidget(&canvas), m_canvas(canvas), m_dock(dock)
    {
        setAttribute(Qt::WA_TransparentForMouseEvents);
        setAttribute(Qt::WA_NoSystemBackground);
        setGeometry(canvas.rect());
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const ViewTransform &view = m_canvas.view();
        const Id selected = m_dock.selected();
        for (const Prediction &s : m_dock.visible()) {
            QColor color = m_canvas.classColor(s.classId);
            QPen pen(color, s.id == selected ? 3 : 1.5, Qt::DashLine);
            p.setPen(pen);
            p.setBrush(s.id == selected ? QBrush(QColor(color.red(), color.green(), color.blue(), 50)) : QBrush(Qt::NoBrush));
            QRectF box = view.toScreen(s.box);
            if (s.kind == AnnotationKind::Polygon && !s.polygon.isEmpty()) {
                QPolygonF poly;
                for (const QPointF &pt : s.polygon)
                    poly << view.toScreen(pt);
                p.drawPolygon(poly);
                box = poly.boundingRect();
            } else {
                p.drawRect(box);
            }
            const QString text = QStringLiteral("%1 %2").arg(m_canvas.className(s.classId)).arg(s.score, 0, 'f', 2);
            const QRectF label(box.bottomLeft() + QPointF(0, 2), QSizeF(p.fontMetrics().horizontalAdvance(text) + 8, 16));
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(255, 255, 255, 210));
            p.drawRect(label);
            p.setPen(color.darker(150));
            p.drawText(label, Qt::AlignCenter, text);
        }
    }

private:
    Canvas &m_canvas;
    SuggestionsDock &m_dock;
};

SuggestionsDock::SuggestionsDock(Canvas &canvas, QWidget *parent)
    : QDockWidget(tr("Suggestions"), parent), m_canvas(canvas), m_overlay(new SuggestionOverlay(canvas, *this)),
      m_job(new ProjectJob(this)), m_runs(new QComboBox(this)), m_classes(new QComboBox(this)),
      m_slider(new QSlider(Qt::Horizontal, this)), m_sliderLabel(new QLabel(this)), m_model(new QStandardItemModel(this)),
      m_list(new QListView(this)), m_queueKind(new QComboBox(this)), m_queue(new QStandardItemModel(this)),
      m_queueView(new QListView(this)), m_queueLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("suggestions"));
    auto *tabs = new QTabWidget(this);
    tabs->addTab(createSuggestionsPage(), tr("Suggestions"));
    tabs->addTab(createQueuesPage(), tr("Queues"));
    setWidget(tabs);
    canvas.installEventFilter(this);
    connect(&canvas, &Canvas::zoomChanged, m_overlay, qOverload<>(&QWidget::update));
    m_overlay->raise();
}

SuggestionsDock::~SuggestionsDock() = default;

QWidget *SuggestionsDock::createSuggestionsPage()
{
    auto *page = new QWidget(this);
    m_slider->setRange(0, 100);
    m_slider->setValue(int(SuggestionSet::kDefaultThreshold * 100));
    m_list->setModel(m_model);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setUniformItemSizes(true);
    auto *accept = new QPushButton(tr("Accept"), page);
    auto *reject = new QPushButton(tr("Reject"), page);
    auto *acceptAllButton = new QPushButton(tr("Accept All Above"), page);
    accept->setToolTip(tr("Accept the selected suggestion (Enter in the list)"));
    reject->setToolTip(tr("Reject the selected suggestion (Delete in the list)"));
    auto *form = new QVBoxLayout(page);
    auto *runRow = new QHBoxLayout;
    runRow->addWidget(new QLabel(tr("Run"), page));
    runRow->addWidget(m_runs, 1);
    form->addLayout(runRow);
    auto *thresholdRow = new QHBoxLayout;
    thresholdRow->addWidget(m_classes, 1);
    thresholdRow->addWidget(m_slider, 2);
    thresholdRow->addWidget(m_sliderLabel);
    form->addLayout(thresholdRow);
    form->addWidget(m_list, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(accept);
    buttons->addWidget(reject);
    buttons->addWidget(acceptAllButton);
    form->addLayout(buttons);

    m_runs->installEventFilter(this); // re-reads the runs before the list opens
    m_list->installEventFilter(this); // Enter accepts, Delete rejects (before the window's actions)
    connect(accept, &QPushButton::clicked, this, &SuggestionsDock::acceptSelected);
    connect(reject, &QPushButton::clicked, this, &SuggestionsDock::rejectSelected);
    connect(acceptAllButton, &QPushButton::clicked, this, &SuggestionsDock::acceptAll);
    connect(m_runs, &QComboBox::activated, this, [this] { setRun(m_runs->currentData().toLongLong()); });
    connect(m_classes, &QComboBox::currentIndexChanged, this, &SuggestionsDock::syncSlider);
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        m_sliderLabel->setText(QString::number(value / 100.0, 'f', 2));
        const Id classId = m_classes->currentData().toLongLong();
        if (classId == 0) { // every class
            for (int i = 1; i < m_classes->count(); ++i)
                m_set.setThreshold(m_classes->itemData(i).toLongLong(), value / 100.0);
        } else {
            m_set.setThreshold(classId, value / 100.0);
        }
        refresh();
    });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, m_overlay, qOverload<>(&QWidget::update));
    m_sliderLabel->setText(QStringLiteral("0.50"));
    return page;
}

QWidget *SuggestionsDock::createQueuesPage()
{
    auto *page = new QWidget(this);
    m_queueKind->addItem(tr("Uncertain (unlabeled, model least sure)"));
    m_queueKind->addItem(tr("Disagreement (approved model vs label)"));
    auto *compute = new QPushButton(tr("Compute"), page);
    m_queueView->setModel(m_queue);
    m_queueView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_queueView->setUniformItemSizes(true);
    m_queueLabel->setWordWrap(true);
    auto *layout = new QVBoxLayout(page);
    auto *row = new QHBoxLayout;
    row->addWidget(m_queueKind, 1);
    row->addWidget(compute);
    layout->addLayout(row);
    layout->addWidget(m_queueLabel);
    layout->addWidget(m_queueView, 1);
    connect(compute, &QPushButton::clicked, this, [this] { computeQueue(m_queueKind->currentIndex() == 1); });
    connect(m_queueView, &QListView::activated, this,
            [this](const QModelIndex &index) { Q_EMIT itemRequested(index.data(kIdRole).toLongLong()); });
    return page;
}

void SuggestionsDock::setDocument(store::Project *project, labeling::AnnotationDocument *doc)
{
    if (m_doc)
        disconnect(m_doc, nullptr, this, nullptr);
    m_project = project;
    m_doc = doc;
    m_set.clear();
    m_queue->clear();
    m_queueLabel->clear();
    m_runs->clear(); // another project: no run chosen
    if (m_doc)
        connect(m_doc, &labeling::AnnotationDocument::changed, this, &SuggestionsDock::onDocumentChanged);
    reloadRuns();
    refresh();
}

// Re-reads the project's runs, keeping the chosen one (runs finish while the user labels).
void SuggestionsDock::reloadRuns()
{
    const Id current = m_runs->currentData().toLongLong();
    const QSignalBlocker blocker(m_runs);
    m_runs->clear();
    m_runs->addItem(tr("— no suggestions —"), 0);
    if (!m_project)
        return;
    auto runs = m_project->runs().list();
    for (const Run &run : runs ? *runs : QVector<Run>{})
        m_runs->addItem(QStringLiteral("#%1 %2 (%3)").arg(run.id).arg(run.name, run.task), run.id);
    m_runs->setCurrentIndex(std::max(0, m_runs->findData(current)));
}

void SuggestionsDock::setRun(Id runId)
{
    if (int i = m_runs->findData(runId); i >= 0)
        m_runs->setCurrentIndex(i);
    reloadItem();
}

// Loads the chosen run's predictions for the document's item (thresholds are kept).
void SuggestionsDock::reloadItem()
{
    const Id runId = m_runs->currentData().toLongLong();
    if (!m_project || !m_doc) {
        m_set.clear();
    } else if (Status st = m_set.load(*m_project, runId, m_doc->itemId()); !st) {
        Q_EMIT message(st.error().message);
    }
    refresh();
}

void SuggestionsDock::onDocumentChanged(const labeling::ChangeEvent &event)
{
    using Kind = labeling::ChangeEvent::Kind;
    if (event.kind == Kind::Loaded || event.kind == Kind::Classes)
        fillClasses();
    if (event.kind == Kind::Loaded && m_doc->itemId() != m_set.itemId())
        reloadItem();
    else
        refresh();
}

// The class picker lists the schema's classes; the same ones again (every item switch) change
// nothing, so it is not repainted.
void SuggestionsDock::fillClasses()
{
    const QVector<LabelClass> &classes = m_doc->classes();
    bool same = m_classes->count() == classes.size() + 1;
    for (int i = 0; same && i < classes.size(); ++i)
        same = m_classes->itemData(i + 1).toLongLong() == classes[i].id && m_classes->itemText(i + 1) == classes[i].name;
    if (same)
        return;
    const Id current = m_classes->currentData().toLongLong();
    const QSignalBlocker blocker(m_classes);
    m_classes->clear();
    m_classes->addItem(tr("All classes"), 0);
    for (const LabelClass &c : classes)
        m_classes->addItem(c.name, c.id);
    m_classes->setCurrentIndex(std::max(0, m_classes->findData(current)));
}

void SuggestionsDock::syncSlider()
{
    const Id classId = m_classes->currentData().toLongLong();
    const double t = classId == 0 ? SuggestionSet::kDefaultThreshold : m_set.threshold(classId);
    const QSignalBlocker blocker(m_slider);
    m_slider->setValue(int(std::lround(t * 100)));
    m_sliderLabel->setText(QString::number(t, 'f', 2));
}

void SuggestionsDock::setThreshold(Id classId, double threshold)
{
    if (int i = m_classes->findData(classId); i >= 0)
        m_classes->setCurrentIndex(i);
    m_slider->setValue(int(std::lround(threshold * 100)));
    m_set.setThreshold(classId, threshold); // also when the class is not in the picker
    refresh();
}

QVector<Prediction> SuggestionsDock::visible() const
{
    return m_doc ? m_set.visible(*m_doc) : QVector<Prediction>{};
}

// Rebuilds the list from the visible suggestions, keeping the selection where it can.
void SuggestionsDock::refresh()
{
    const Id keep = selected();
    const int keepRow = m_list->currentIndex().row();
    m_model->clear();
    for (const Prediction &p : visible()) {
        auto *row = new QStandardItem(QStringLiteral("%1  %2").arg(m_canvas.className(p.classId)).arg(p.score, 0, 'f', 2));
        row->setData(p.id, kIdRole);
        row->setForeground(m_canvas.classColor(p.classId).darker(130));
        m_model->appendRow(row);
    }
    if (!select(keep) && m_model->rowCount() > 0)
        m_list->setCurrentIndex(m_model->index(std::clamp(keepRow, 0, m_model->rowCount() - 1), 0));
    m_overlay->setGeometry(m_canvas.rect());
    m_overlay->update();
}

bool SuggestionsDock::select(Id predictionId)
{
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->item(row)->data(kIdRole).toLongLong() == predictionId) {
            m_list->setCurrentIndex(m_model->index(row, 0));
            return true;
        }
    return false;
}

Id SuggestionsDock::selected() const
{
    const QModelIndex index = m_list->currentIndex();
    return index.isValid() ? index.data(kIdRole).toLongLong() : 0;
}

Id SuggestionsDock::acceptSelected()
{
    if (!m_doc || selected() == 0)
        return 0;
    const Id id = m_set.accept(*m_doc, selected());
    if (id != 0)
        Q_EMIT message(tr("Suggestion accepted as annotation %1").arg(id));
    return id;
}

bool SuggestionsDock::rejectSelected()
{
    if (!m_project || selected() == 0)
        return false;
    if (Status st = m_set.reject(*m_project, selected(), m_project->author()); !st) {
        Q_EMIT message(st.error().message);
        return false;
    }
    refresh();
    return true;
}

QVector<Id> SuggestionsDock::acceptAll()
{
    if (!m_doc)
        return {};
    const auto ids = m_set.acceptAll(*m_doc);
    Q_EMIT message(tr("%n suggestion(s) accepted", nullptr, int(ids.size())));
    return ids;
}

bool SuggestionsDock::computeQueue(bool disagreement)
{
    const Id runId = m_runs->currentData().toLongLong();
    if (!m_project || runId == 0 || m_job->isRunning()) {
        m_queueLabel->setText(tr("Choose a run on the Suggestions tab first."));
        return false;
    }
    auto entries = std::make_shared<QVector<QueueEntry>>();
    auto used = std::make_shared<Id>(runId);
    auto work = [=](store::Project &project, const ProgressFn &, const CancelFlag *) -> Result<QString> {
        auto queue = disagreement ? disagreementQueue(project, runId, used.get()) : uncertaintyQueue(project, runId);
        if (!queue)
            return queue.error();
        *entries = std::move(*queue);
        return QString();
    };
    connect(m_job, &ProjectJob::finished, this, [=](const Result<QString> &result) {
        disconnect(m_job, &ProjectJob::finished, this, nullptr);
        m_queue->clear();
        if (!result) {
            m_queueLabel->setText(result.error().message);
            return;
        }
        for (const QueueEntry &e : std::as_const(*entries)) {
            const QString text = disagreement ? tr("#%1  %2 errors (severity %3)").arg(e.item.id).arg(e.count).arg(e.value, 0, 'f', 2)
                                              : tr("#%1  uncertainty %2 (%3 predictions)").arg(e.item.id).arg(e.value, 0, 'f', 3).arg(e.count);
            auto *row = new QStandardItem(text);
            row->setData(e.item.id, kIdRole);
            m_queue->appendRow(row);
        }
        m_queueLabel->setText(disagreement ? tr("%1 labeled items where run %2 disagrees").arg(entries->size()).arg(*used)
                                           : tr("%1 unlabeled items, most uncertain first").arg(entries->size()));
        Q_EMIT queueReady();
    });
    return m_job->start(m_project->path(), true, tr("Computing the queue"), work);
}

bool SuggestionsDock::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_runs && event->type() == QEvent::MouseButtonPress)
        reloadRuns();
    if (watched == &m_canvas && event->type() == QEvent::Resize)
        m_overlay->setGeometry(m_canvas.rect());
    if (watched == m_list && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        const bool accept = key == Qt::Key_Return || key == Qt::Key_Enter;
        const bool reject = key == Qt::Key_Delete || key == Qt::Key_Backspace;
        if (accept || reject) {
            event->accept();
            if (event->type() == QEvent::KeyPress)
                accept ? void(acceptSelected()) : void(rejectSelected());
            return true;
        }
    }
    return QDockWidget::eventFilter(watched, event);
}

} // namespace annotune::ui
