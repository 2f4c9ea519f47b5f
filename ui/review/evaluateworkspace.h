#pragma once
// The Evaluate workspace: pick run A (and optionally B) and a split, evaluate in a ProjectJob,
// and review: the metrics table with deltas and per-class gains and losses, the items with their
// errors worst first, ground truth / run A / run B side by side in linked views, charts, and the
// approval gate. From an item a reviewer can open it in Annotate to fix its ground truth, or mark
// a disagreement for another reviewer.

#include "evaluationdata.h"

#include <QWidget>
#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace annotune::ui {

class ApprovalPanel;
class ErrorsBrowser;
class MetricsModel;
class ProjectJob;
class ReviewCharts;
class ReviewPane;
class ViewLink;

class EvaluateWorkspace : public QWidget {
    Q_OBJECT
public:
    // Asks for the disagreement comment; nullopt cancels.
    using CommentProvider = std::function<std::optional<QString>()>;

    explicit EvaluateWorkspace(QWidget *parent = nullptr);
    ~EvaluateWorkspace() override;

    void setProject(core::store::Project *project);
    // Re-reads the project's runs into the pickers (keeps the picks where they still exist).
    void reloadRuns();
    // Picks runs and split (runB 0: none) and starts the evaluation; false when busy or no run A.
    bool evaluate(core::Id runA, core::Id runB, std::optional<core::Split> split);
    bool evaluate();
    // Shows results computed elsewhere (what a finished evaluation calls).
    void setData(const EvaluationData &data);
    const EvaluationData *data() const { return m_data.get(); }
    // Shows the item in the three panes.
    void showItem(core::Id itemId);
    core::Id currentItemId() const { return m_itemId; }
    // Moves the current item to in_review with the comment; false when it could not.
    bool markDisagreement();
    void setCommentProvider(CommentProvider provider) { m_askComment = std::move(provider); }

    MetricsModel *metricsModel() const { return m_metrics; }
    MetricsModel *classModel() const { return m_classes; }
    ErrorsBrowser *errors() const { return m_errors; }
    ReviewCharts *charts() const { return m_charts; }
    ApprovalPanel *approval() const { return m_approval; }
    ViewLink *viewLink() const { return m_link; }
    ReviewPane *pane(int i) const { return m_panes[i]; }

Q_SIGNALS:
    // The user asked to edit this item's ground truth in the Annotate workspace.
    void editRequested(qint64 itemId);
    void message(const QString &text);
    // An evaluation finished and its results are shown.
    void evaluated();

private:
    QWidget *createTopBar();
    QWidget *createReviewArea();
    QWidget *createSidePanel();
    void updateGainsLosses();

    core::store::Project *m_project = nullptr;
    std::unique_ptr<EvaluationData> m_data;
    ProjectJob *m_job;
    QComboBox *m_runA;
    QComboBox *m_runB;
    QComboBox *m_split;
    QPushButton *m_evaluate;
    QLabel *m_summary;
    MetricsModel *m_metrics;
    MetricsModel *m_classes;
    QLabel *m_gainsLosses;
    ErrorsBrowser *m_errors;
    ReviewCharts *m_charts;
    ApprovalPanel *m_approval;
    ViewLink *m_link;
    ReviewPane *m_panes[3] = {};
    QLabel *m_fields[3] = {};
    core::Id m_itemId = 0;
    CommentProvider m_askComment;
};

} // namespace annotune::ui
