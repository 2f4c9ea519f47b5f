#include "approvalpanel.h"

#include "core/store/project.h"
#include "ui/projectjob.h"

#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace annotune::ui {

using namespace annotune::core;

ApprovalPanel::ApprovalPanel(QWidget *parent)
    : QWidget(parent), m_job(new ProjectJob(this)), m_rules(new QPlainTextEdit(this)), m_results(new QStandardItemModel(this)),
      m_resultsView(new QListView(this)), m_verdict(new QLabel(this)), m_check(new QPushButton(tr("Check Gate"), this)),
      m_approve(new QPushButton(tr("Approve…"), this))
{
    m_rules->setReadOnly(true);
    m_rules->setMaximumHeight(110);
    m_resultsView->setModel(m_results);
    m_resultsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_verdict->setWordWrap(true);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_check);
    buttons->addWidget(m_approve);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Gate rules (project setting %1)").arg(QLatin1String(eval::kGateRulesKey)), this));
    layout->addWidget(m_rules);
    layout->addLayout(buttons);
    layout->addWidget(m_resultsView, 1);
    layout->addWidget(m_verdict);
    m_askReviewer = [this]() -> std::optional<QString> {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Approve Run"), tr("Reviewer name:"), QLineEdit::Normal,
                                                   m_project ? m_project->author() : QString(), &ok);
        return ok ? std::optional<QString>(name) : std::nullopt;
    };
    connect(m_check, &QPushButton::clicked, this, &ApprovalPanel::check);
    connect(m_approve, &QPushButton::clicked, this, &ApprovalPanel::approve);
    setRun(0);
}

void ApprovalPanel::setProject(store::Project *project)
{
    m_project = project;
    m_results->clear();
    m_verdict->clear();
    loadRules();
}

void ApprovalPanel::setRun(Id runId)
{
    m_runId = runId;
    m_check->setEnabled(runId != 0);
    m_approve->setEnabled(runId != 0);
}

void ApprovalPanel::loadRules()
{
    if (!m_project) {
        m_rules->clear();
        return;
    }
    auto rules = eval::loadGateRules(*m_project);
    m_rules->setPlainText(rules ? QString::fromUtf8(QJsonDocument(eval::toJson(*rules)).toJson(QJsonDocument::Indented))
                                : rules.error().message);
}

bool ApprovalPanel::check()
{
    return start(false, {});
}

bool ApprovalPanel::approve()
{
    if (!m_project || m_runId == 0 || m_job->isRunning())
        return false;
    const auto reviewer = m_askReviewer();
    if (!reviewer)
        return false;
    if (reviewer->trimmed().isEmpty()) {
        m_verdict->setText(tr("A reviewer's name is needed to approve."));
        Q_EMIT finished(false, 0, m_verdict->text());
        return false;
    }
    return start(true, reviewer->trimmed());
}

bool ApprovalPanel::start(bool approve, const QString &reviewer)
{
    if (!m_project || m_runId == 0 || m_job->isRunning())
        return false;
    auto report = std::make_shared<eval::GateReport>();
    auto rules = std::make_shared<eval::GateRules>();
    auto approvalId = std::make_shared<Id>(0);
    const Id runId = m_runId;
    auto work = [=](store::Project &project, const ProgressFn &, const CancelFlag *) -> Result<QString> {
        if (!approve) {
            auto checked = eval::checkGate(project, runId);
            if (!checked)
                return checked.error();
            *report = checked->report;
            *rules = checked->rules;
            return QString();
        }
        auto outcome = eval::approveRun(project, runId, reviewer);
        if (!outcome)
            return outcome.error();
        *report = outcome->check.report;
        *rules = outcome->check.rules;
        *approvalId = outcome->approvalId.value_or(0);
        return QString();
    };
    connect(m_job, &ProjectJob::finished, this, [this, report, rules, approvalId, approve](const Result<QString> &result) {
        disconnect(m_job, &ProjectJob::finished, this, nullptr);
        if (!result) {
            m_verdict->setText(result.error().message);
            Q_EMIT finished(false, 0, result.error().message);
            return;
        }
        // The rules the verdict rests on, as the worker read them.
        m_rules->setPlainText(QString::fromUtf8(QJsonDocument(eval::toJson(*rules)).toJson(QJsonDocument::Indented)));
        showOutcome(*report, *approvalId, approve);
    });
    return m_job->start(m_project->path(), !approve, approve ? tr("Approving run %1").arg(runId) : tr("Checking the gate"),
                        work);
}

void ApprovalPanel::showOutcome(const eval::GateReport &report, Id approvalId, bool approving)
{
    m_results->clear();
    for (const auto &rule : report.rules) {
        auto *row = new QStandardItem(QStringLiteral("%1  %2").arg(rule.passed ? QStringLiteral("✔") : QStringLiteral("✘"), rule.message));
        row->setForeground(rule.passed ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
        m_results->appendRow(row);
    }
    QString message;
    if (approvalId != 0)
        message = tr("Run %1 approved (approval %2).").arg(m_runId).arg(approvalId);
    else if (report.passed())
        message = report.rules.isEmpty() ? tr("No gate rules are set; every rule holds.") : tr("Every gate rule holds.");
    else
        message = (approving ? tr("Not approved: %1") : tr("The gate fails: %1")).arg(report.failureLine());
    m_verdict->setText(message);
    Q_EMIT finished(report.passed(), approvalId, message);
}

QString ApprovalPanel::verdict() const
{
    return m_verdict->text();
}

} // namespace annotune::ui
