#pragma once
// The charts of an evaluation: precision-recall curves per class, the confusion matrix as a
// heatmap and the reliability diagram, in tabs, each exportable as a PNG.

#include "evaluationdata.h"

#include <QWidget>

class QTabWidget;

namespace annotune::ui {

// Cells coloured by their share of the row (how each true class was predicted); counts written in.
class ConfusionHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionHeatmap(QWidget *parent = nullptr);
    void setMatrix(const core::eval::ConfusionMatrix &matrix, const QStringList &names);
    QSize sizeHint() const override { return {420, 360}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    core::eval::ConfusionMatrix m_matrix;
    QStringList m_names; // categoryIds order, then "background"
};

class ReviewCharts : public QWidget {
    Q_OBJECT
public:
    explicit ReviewCharts(QWidget *parent = nullptr);
    void setData(const EvaluationData &data);
    void clear();
    int chartCount() const;
    // Saves the shown chart as a PNG; false when it could not be written.
    bool exportCurrent(const QString &path) const;
    QTabWidget *tabs() const { return m_tabs; }

private:
    void chooseExport();
    QTabWidget *m_tabs;
};

} // namespace annotune::ui
