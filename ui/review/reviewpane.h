#pragma once
// One pane of the side-by-side review: an item's image with one source's labels (ground truth or
// a run's predictions) drawn over it, zoom around the cursor and drag to pan. Panes joined by a
// ViewLink zoom and pan together.

#include "ui/canvas/viewtransform.h"
#include "ui/overlaypainter.h"

#include <QImage>
#include <QWidget>

namespace annotune::ui {

class ReviewPane : public QWidget {
    Q_OBJECT
public:
    explicit ReviewPane(const QString &title, QWidget *parent = nullptr);

    // Shows the scene; the image is decoded off the GUI thread (the labels draw at once).
    void setScene(const ItemScene &scene, const QString &caption = {});
    void clear();
    const ItemScene &scene() const { return m_scene; }
    const ViewTransform &view() const { return m_view; }
    // Sets the transform without emitting viewChanged (used by the link).
    void setView(const ViewTransform &view);
    void zoomAt(double factor, const QPointF &anchor);
    void fitToWindow();

Q_SIGNALS:
    // The user zoomed or panned this pane.
    void viewChanged(const annotune::ui::ViewTransform &view);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;

private:
    QSizeF imageSize() const;
    void onDecoded(quint64 generation, const QImage &image);

    QString m_title;
    QString m_caption;
    ItemScene m_scene;
    QImage m_image;
    quint64 m_generation = 0;
    ViewTransform m_view;
    bool m_fit = true;
    QPointF m_lastPos;
};

// Keeps panes on one transform: when one is zoomed or panned the others follow.
class ViewLink : public QObject {
    Q_OBJECT
public:
    explicit ViewLink(QObject *parent = nullptr) : QObject(parent) {}
    void add(ReviewPane *pane);
    const QVector<ReviewPane *> &panes() const { return m_panes; }

private:
    void forward(ReviewPane *from, const ViewTransform &view);
    QVector<ReviewPane *> m_panes;
};

} // namespace annotune::ui
