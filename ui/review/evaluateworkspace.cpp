#include "evaluateworkspace.h"

#include "approvalpanel.h"
#include "errorsbrowser.h"
#include "metricsmodel.h"
#include "reviewcharts.h"
#include "reviewpane.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "ui/projectjob.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace annotune::ui {

using namespace annotune::core;

EvaluateWorkspace::EvaluateWorkspace(QWidget *parent)
    : QWidget(parent), m_job(new ProjectJob(this)), m_runA(new QComboBox(this)), m_runB(new QComboBox(this)),
      m_split(new QComboBox(this)), m_evaluate(new QPushButton(tr("Evaluate"), this)), m_summary(new QLabel(this)),
      m_metrics(new MetricsModel(MetricsModel::Kind::Metrics, this)),
      m_classes(new MetricsModel(MetricsModel::Kind::Classes, this)), m_gainsLosses(new QLabel(this)),
      m_errors(new ErrorsBrowser(this)), m_charts(new ReviewCharts(this)), m_approval(new ApprovalPanel(this)),
      m_link(new ViewLink(this))
{
    auto *mainSplit = new QSplitter(Qt::Horizontal, this);
    mainSplit->addWidget(createSidePanel());
    mainSplit->addWidget(createReviewArea());
    mainSplit->setStretchFactor(1, 1);
    mainSplit->setSizes({380, 1100});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(createTopBar());
    layout->addWidget(mainSplit, 1);
    m_askComment = [this]() -> std::optional<QString> {
        bool ok = false;
        const QString text = QInputDialog::getMultiLineText(this, tr("Mark Disagreement"),
                                                            tr("What should another reviewer look at?"), {}, &ok);
        return ok ? std::optional<QString>(text) : std::nullopt;
    };
    connect(m_errors, &ErrorsBrowser::itemSelected, this, &EvaluateWorkspace::showItem);
    connect(m_evaluate, &QPushButton::clicked, this, [this] { evaluate(); });
    connect(m_runA, &QComboBox::currentIndexChanged, this, [this] { m_approval->setRun(m_runA->currentData().toLongLong()); });
    setProject(nullptr);
}

EvaluateWorkspace::~EvaluateWorkspace() = default;

QWidget *EvaluateWorkspace::createTopBar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_split->addItem(tr("All splits"));
    for (Split s : kAllSplits)
        m_split->addItem(toText(s), int(s));
    m_split->setCurrentIndex(m_split->findData(int(Split::Test)));
    m_runA->setMinimumWidth(200);
    m_runB->setMinimumWidth(200);
    row->addWidget(new QLabel(tr("Run A"), bar));
    row->addWidget(m_runA);
    row->addWidget(new QLabel(tr("Run B"), bar));
    row->addWidget(m_runB);
    row->addWidget(new QLabel(tr("Split"), bar));
    row->addWidget(m_split);
    row->addWidget(m_evaluate);
    row->addWidget(m_summary, 1);
    return bar;
}

static QTableView *tableFor(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(22);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    return view;
}

QWidget *EvaluateWorkspace::createSidePanel()
{
    auto *tabs = new QTabWidget(this);
    auto *metricsPage = new QWidget(tabs);
    auto *layout = new QVBoxLayout(metricsPage);
    layout->addWidget(tableFor(m_metrics, metricsPage), 3);
    layout->addWidget(new QLabel(tr("Per class (AP or entity F1)"), metricsPage));
    layout->addWidget(tableFor(m_classes, metricsPage), 2);
    m_gainsLosses->setWordWrap(true);
    m_gainsLosses->setTextFormat(Qt::RichText);
    layout->addWidget(m_gainsLosses);
    tabs->addTab(metricsPage, tr("Metrics"));
    tabs->addTab(m_approval, tr("Gate && Approval"));
    return tabs;
}

QWidget *EvaluateWorkspace::createReviewArea()
{
    auto *panes = new QWidget(this);
    auto *paneRow = new QHBoxLayout(panes);
    paneRow->setContentsMargins(0, 0, 0, 0);
    const QString titles[3] = {tr("Ground truth"), tr("Run A"), tr("Run B")};
    for (int i = 0; i < 3; ++i) {
        auto *column = new QVBoxLayout;
        m_panes[i] = new ReviewPane(titles[i], panes);
        m_link->add(m_panes[i]);
        m_fields[i] = new QLabel(panes);
        m_fields[i]->setWordWrap(true);
        m_fields[i]->setVisible(false);
        column->addWidget(m_panes[i], 1);
        column->addWidget(m_fields[i]);
        paneRow->addLayout(column, 1);
    }
    auto *editButton = new QPushButton(tr("Edit in Annotate"), this);
    editButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    editButton->setToolTip(tr("Open this item in the Annotate workspace to fix its ground truth (Ctrl+E)"));
    auto *disagreeButton = new QPushButton(tr("Mark Disagreement…"), this);
    disagreeButton->setToolTip(tr("Send the item back to review with a comment for another reviewer"));
    connect(editButton, &QPushButton::clicked, this, [this] {
        if (m_itemId != 0)
            Q_EMIT editRequested(m_itemId);
    });
    connect(disagreeButton, &QPushButton::clicked, this, &EvaluateWorkspace::markDisagreement);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(editButton);
    buttons->addWidget(disagreeButton);
    buttons->addStretch();
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(panes, 1);
    topLayout->addLayout(buttons);

    auto *bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_errors);
    bottom->addWidget(m_charts);
    bottom->setSizes({560, 480});
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setSizes({480, 380});
    return split;
}

void EvaluateWorkspace::setProject(store::Project *project)
{
    m_project = project;
    m_data.reset();
    m_itemId = 0;
    m_metrics->clear();
    m_classes->clear();
    m_errors->clear();
    m_charts->clear();
    m_gainsLosses->clear();
    m_summary->clear();
    for (auto *pane : m_panes)
        pane->clear();
    m_approval->setProject(project);
    reloadRuns();
}

void EvaluateWorkspace::reloadRuns()
{
    const Id a = m_runA->currentData().toLongLong();
    const Id b = m_runB->currentData().toLongLong();
    m_runA->clear();
    m_runB->clear();
    m_runB->addItem(tr("— none —"), 0);
    if (m_project) {
        auto runs = m_project->runs().list();
        for (const Run &run : runs ? *runs : QVector<Run>{}) {
            const QString text = QStringLiteral("#%1 %2 (%3, %4)").arg(run.id).arg(run.name, run.task, toText(run.status));
            m_runA->addItem(text, run.id);
            m_runB->addItem(text, run.id);
        }
    }
    if (int i = m_runA->findData(a); i >= 0)
        m_runA->setCurrentIndex(i);
    if (int i = m_runB->findData(b); i >= 0)
        m_runB->setCurrentIndex(i);
    m_evaluate->setEnabled(m_runA->count() > 0);
    m_approval->setRun(m_runA->currentData().toLongLong());
}

bool EvaluateWorkspace::evaluate(Id runA, Id runB, std::optional<Split> split)
{
    if (int i = m_runA->findData(runA); i >= 0)
        m_runA->setCurrentIndex(i);
    m_runB->setCurrentIndex(std::max(0, m_runB->findData(runB)));
    m_split->setCurrentIndex(split ? m_split->findData(int(*split)) : 0);
    return evaluate();
}

bool EvaluateWorkspace::evaluate()
{
    if (!m_project || m_runA->count() == 0 || m_job->isRunning())
        return false;
    EvaluationRequest request;
    request.runA = m_runA->currentData().toLongLong();
    request.runB = m_runB->currentData().toLongLong();
    if (m_split->currentIndex() > 0)
        request.split = Split(m_split->currentData().toInt());
    else
        request.split.reset();
    auto out = std::make_shared<EvaluationData>();
    auto work = [request, out](store::Project &project, const ProgressFn &, const CancelFlag *) -> Result<QString> {
        auto data = computeEvaluation(project, request);
        if (!data)
            return data.error();
        *out = std::move(*data);
        return QString();
    };
    connect(m_job, &ProjectJob::finished, this, [this, out](const Result<QString> &result) {
        disconnect(m_job, &ProjectJob::finished, this, nullptr);
        if (!result) {
            m_summary->setText(result.error().message);
            Q_EMIT message(result.error().message);
            return;
        }
        setData(*out);
    });
    m_summary->setText(tr("Evaluating…"));
    return m_job->start(m_project->path(), true, tr("Evaluating run %1").arg(request.runA), work);
}

} // namespace annotune::ui
