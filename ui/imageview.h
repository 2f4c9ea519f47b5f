#pragma once
// The large view of the selected item: its image decoded off the GUI thread, its labels drawn
// over it, zoom around the cursor, fit, 1:1 and panning.

#include "overlaypainter.h"

#include <QPixmap>
#include <QWidget>

namespace annotune::ui {

// Shows one ItemScene. setScene returns at once: the image is decoded by QtConcurrent and a
// "loading" state is painted meanwhile (labels are already drawn on the item's frame). Huge
// images are first decoded at screen size, then at the full size the view supports. Results of
// an item the user has already left are dropped.
class ImageView : public QWidget {
    Q_OBJECT
public:
    enum class State { Empty, Loading, Ready, Failed };

    explicit ImageView(QWidget *parent = nullptr);

    void setScene(const ItemScene &scene);
    void clear();
    const ItemScene &scene() const { return m_scene; }
    core::Id itemId() const { return m_state == State::Empty ? 0 : m_scene.item.id; }
    State state() const { return m_state; }
    QString errorText() const { return m_error; }
    double zoom() const { return m_scale; }

public Q_SLOTS:
    void fitToWindow();
    void actualSize();
    void zoomIn();
    void zoomOut();

Q_SIGNALS:
    void stateChanged(annotune::ui::ImageView::State state);
    void zoomChanged(double zoom);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;

private:
    struct Decoded {
        QImage image;
        QString error;
    };
    void startDecode(const QSize &maxSize, bool preview);
    void onDecoded(quint64 generation, const Decoded &result, bool preview);
    void setState(State state);
    QSizeF imageSize() const;
    QTransform imageToScreen() const;
    void setScale(double scale, const QPointF &anchor);
    void paintMessage(QPainter &p, const QString &text);

    ItemScene m_scene;
    QPixmap m_pixmap;
    State m_state = State::Empty;
    QString m_error;
    quint64 m_generation = 0;
    double m_scale = 1.0;
    QPointF m_offset;          // where the image's origin is on screen
    bool m_fit = true;         // keep fitting on resize until the user zooms
    bool m_spaceHeld = false;
    bool m_panning = false;
    QPoint m_lastPos;
};

} // namespace annotune::ui
