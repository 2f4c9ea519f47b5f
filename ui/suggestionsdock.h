#pragma once
// The Suggestions dock of the Annotate workspace: pick a run whose predictions are offered on the
// current item (drawn dashed with their score over the canvas), a confidence threshold per class,
// accept (Enter) or reject (Delete) the selected suggestion, accept all above the thresholds; and
// the uncertainty and disagreement queues, whose items open on activation.

#include "suggestions.h"

#include <QDockWidget>

class QComboBox;
class QLabel;
class QListView;
class QSlider;
class QStandardItemModel;

namespace annotune::labeling {
struct ChangeEvent;
}

namespace annotune::ui {

class Canvas;
class ProjectJob;
class SuggestionOverlay;

class SuggestionsDock : public QDockWidget {
    Q_OBJECT
public:
    SuggestionsDock(Canvas &canvas, QWidget *parent = nullptr);
    ~SuggestionsDock() override;

    // Hook: called by the workspace whenever its project (and so its document) changes.
    void setDocument(core::store::Project *project, labeling::AnnotationDocument *doc);
    // Offers runId's predictions (0: none).
    void setRun(core::Id runId);
    core::Id runId() const { return m_set.runId(); }
    void setThreshold(core::Id classId, double threshold);
    const SuggestionSet &suggestions() const { return m_set; }
    QVector<core::Prediction> visible() const;
    QStandardItemModel *listModel() const { return m_model; }
    QListView *listView() const { return m_list; }

    // Selects a suggestion by prediction id (false when it is not shown).
    bool select(core::Id predictionId);
    core::Id selected() const;
    core::Id acceptSelected();
    bool rejectSelected();
    QVector<core::Id> acceptAll();
    // Computes a queue in a ProjectJob; results land in the queue list.
    bool computeQueue(bool disagreement);
    QStandardItemModel *queueModel() const { return m_queue; }

Q_SIGNALS:
    // The user activated an item of a queue.
    void itemRequested(qint64 itemId);
    void message(const QString &text);
    void queueReady();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *createSuggestionsPage();
    QWidget *createQueuesPage();
    void reloadRuns();
    void reloadItem();
    void refresh();
    void onDocumentChanged(const labeling::ChangeEvent &event);
    void fillClasses();
    void syncSlider();

    Canvas &m_canvas;
    core::store::Project *m_project = nullptr;
    labeling::AnnotationDocument *m_doc = nullptr;
    SuggestionSet m_set;
    SuggestionOverlay *m_overlay;
    ProjectJob *m_job;
    QComboBox *m_runs;
    QComboBox *m_classes;
    QSlider *m_slider;
    QLabel *m_sliderLabel;
    QStandardItemModel *m_model;
    QListView *m_list;
    QComboBox *m_queueKind;
    QStandardItemModel *m_queue;
    QListView *m_queueView;
    QLabel *m_queueLabel;
};

} // namespace annotune::ui
