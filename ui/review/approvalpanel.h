#pragma once
// The approval gate in the Evaluate workspace: the stored gate rules, a check of run A against
// them (each rule passed or failed, with its figures) and "Approve…", which records the approval
// only when every rule holds and otherwise says which rule fails. Checks run in a ProjectJob.

#include "core/eval/approval.h"

#include <QWidget>
#include <functional>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStandardItemModel;
class QListView;

namespace annotune::ui {

class ProjectJob;

class ApprovalPanel : public QWidget {
    Q_OBJECT
public:
    // Asks for the reviewer's name; nullopt cancels.
    using ReviewerProvider = std::function<std::optional<QString>()>;

    explicit ApprovalPanel(QWidget *parent = nullptr);
    void setProject(core::store::Project *project);
    void setRun(core::Id runId);
    void setReviewerProvider(ReviewerProvider provider) { m_askReviewer = std::move(provider); }

    // Starts a gate check (approve=false) or an approval of the run; false when busy or no run.
    bool check();
    bool approve();
    QString verdict() const; // the last outcome in one line
    QStandardItemModel *rulesModel() const { return m_results; }
    QPushButton *approveButton() const { return m_approve; }

Q_SIGNALS:
    // After a check or an approval: approvalId is 0 when nothing was recorded.
    void finished(bool passed, qint64 approvalId, const QString &message);

private:
    bool start(bool approve, const QString &reviewer);
    void showOutcome(const core::eval::GateReport &report, core::Id approvalId, bool approving);
    void loadRules();

    core::store::Project *m_project = nullptr;
    core::Id m_runId = 0;
    ReviewerProvider m_askReviewer;
    ProjectJob *m_job;
    QPlainTextEdit *m_rules;
    QStandardItemModel *m_results;
    QListView *m_resultsView;
    QLabel *m_verdict;
    QPushButton *m_check;
    QPushButton *m_approve;
};

} // namespace annotune::ui
