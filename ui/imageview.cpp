#include "imageview.h"

#include "labeling/imagedecode.h"
#include "style.h"

#include <QKeyEvent>
#include <QPainter>
#include <QScreen>
#include <QtConcurrent>
#include <cmath>

namespace annotune::ui {
namespace {
constexpr double kMinScale = 0.02;
constexpr double kMaxScale = 32.0;
constexpr double kStep = 1.25;
constexpr qint64 kHugePixels = 24'000'000; // decode a screen-sized preview first above this
constexpr int kMaxDecodeSide = 7680;       // stays under QImageReader's default allocation limit
}

ImageView::ImageView(QWidget *parent) : QWidget(parent)
{
    setFocusPolicy(Qt::ClickFocus);
    setMouseTracking(false);
    setMinimumSize(200, 200);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void ImageView::clear()
{
    ++m_generation;
    m_scene = {};
    m_pixmap = {};
    m_error.clear();
    setState(State::Empty);
    update();
}

void ImageView::setScene(const ItemScene &scene)
{
    ++m_generation;
    const bool sameItem = m_state != State::Empty && scene.item.id == m_scene.item.id;
    m_scene = scene;
    m_error.clear();
    if (!sameItem) {
        m_pixmap = {};
        m_fit = true;
    }
    if (sameItem && !m_pixmap.isNull()) { // labels changed, pixels did not
        setState(State::Ready);
        update();
        return;
    }
    setState(State::Loading);
    const qint64 pixels = qint64(scene.item.width) * scene.item.height;
    const QSize full(kMaxDecodeSide, kMaxDecodeSide);
    if (pixels > kHugePixels && m_pixmap.isNull()) {
        const QScreen *s = screen();
        const QSize screenSize = s ? s->size() * s->devicePixelRatio() : QSize(1920, 1080);
        startDecode(screenSize, true);
    } else {
        startDecode(full, false);
    }
    if (m_fit)
        fitToWindow();
    update();
}

void ImageView::startDecode(const QSize &maxSize, bool preview)
{
    const quint64 generation = m_generation;
    const QString path = m_scene.absolutePath;
    QtConcurrent::run([path, maxSize] {
        auto decoded = labeling::decodeImage(path, maxSize);
        return decoded ? Decoded{decoded.value(), {}} : Decoded{{}, decoded.error().message};
    }).then(this, [this, generation, preview](const Decoded &result) { onDecoded(generation, result, preview); });
}

void ImageView::onDecoded(quint64 generation, const Decoded &result, bool preview)
{
    if (generation != m_generation)
        return; // the user moved on
    if (!result.error.isEmpty()) {
        m_error = result.error;
        setState(State::Failed);
    } else {
        m_pixmap = QPixmap::fromImage(result.image);
        setState(State::Ready);
        if (preview)
            startDecode(QSize(kMaxDecodeSide, kMaxDecodeSide), false);
    }
    if (m_fit)
        fitToWindow();
    update();
}

void ImageView::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

QSizeF ImageView::imageSize() const
{
    if (m_scene.item.width > 0 && m_scene.item.height > 0)
        return QSizeF(m_scene.item.width, m_scene.item.height);
    return m_pixmap.isNull() ? QSizeF(800, 600) : QSizeF(m_pixmap.size());
}

QTransform ImageView::imageToScreen() const
{
    return QTransform(m_scale, 0, 0, m_scale, m_offset.x(), m_offset.y());
}

void ImageView::fitToWindow()
{
    m_fit = true;
    const QSizeF img = imageSize();
    const QSizeF room = QSizeF(size()) - QSizeF(24, 24);
    const double scale = qBound(kMinScale, std::min(room.width() / img.width(), room.height() / img.height()), kMaxScale);
    m_scale = scale;
    m_offset = QPointF((width() - img.width() * scale) / 2, (height() - img.height() * scale) / 2);
    Q_EMIT zoomChanged(m_scale);
    update();
}

void ImageView::actualSize()
{
    m_fit = false;
    setScale(1.0, QPointF(width() / 2.0, height() / 2.0));
}

void ImageView::zoomIn()
{
    m_fit = false;
    setScale(m_scale * kStep, QPointF(width() / 2.0, height() / 2.0));
}

void ImageView::zoomOut()
{
    m_fit = false;
    setScale(m_scale / kStep, QPointF(width() / 2.0, height() / 2.0));
}

// Changes the scale keeping the image point under anchor (screen coordinates) in place.
void ImageView::setScale(double scale, const QPointF &anchor)
{
    scale = qBound(kMinScale, scale, kMaxScale);
    m_offset = anchor - (anchor - m_offset) * (scale / m_scale);
    m_scale = scale;
    Q_EMIT zoomChanged(m_scale);
    update();
}

void ImageView::resizeEvent(QResizeEvent *)
{
    if (m_fit)
        fitToWindow();
}

void ImageView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), canvasColor());
    if (m_state == State::Empty) {
        paintMessage(p, tr("Select an item to view it"));
        return;
    }
    const QTransform t = imageToScreen();
    const QRectF frame = t.mapRect(QRectF(QPointF(0, 0), imageSize()));
    if (!m_pixmap.isNull()) {
        p.setRenderHint(QPainter::SmoothPixmapTransform, m_scale < 2.0);
        p.drawPixmap(frame, m_pixmap, QRectF(m_pixmap.rect()));
    } else {
        p.fillRect(frame, QColor(0x2a, 0x2c, 0x30));
    }
    paintOverlay(p, t, m_scene);
    if (m_state == State::Loading && m_pixmap.isNull())
        paintMessage(p, tr("Loading…"));
    else if (m_state == State::Failed)
        paintMessage(p, tr("Cannot show this image\n%1").arg(m_error));
}

void ImageView::paintMessage(QPainter &p, const QString &text)
{
    p.save();
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    p.setFont(f);
    const QRect box = p.fontMetrics().boundingRect(rect().adjusted(40, 0, -40, 0), Qt::AlignCenter | Qt::TextWordWrap, text)
                          .adjusted(-16, -10, 16, 10);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0, 0, 0, 150));
    p.setRenderHint(QPainter::Antialiasing);
    p.drawRoundedRect(box, 6, 6);
    p.setPen(QColor(0xe4, 0xe6, 0xea));
    p.drawText(box, Qt::AlignCenter | Qt::TextWordWrap, text);
    p.restore();
}

void ImageView::wheelEvent(QWheelEvent *event)
{
    if (m_state == State::Empty)
        return;
    m_fit = false;
    setScale(m_scale * std::pow(1.0015, event->angleDelta().y()), event->position());
    event->accept();
}

void ImageView::mousePressEvent(QMouseEvent *event)
{
    const bool pan = event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld);
    if (!pan)
        return QWidget::mousePressEvent(event);
    m_panning = true;
    m_lastPos = event->position().toPoint();
    setCursor(Qt::ClosedHandCursor);
}

void ImageView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_panning)
        return QWidget::mouseMoveEvent(event);
    m_fit = false;
    m_offset += event->position().toPoint() - m_lastPos;
    m_lastPos = event->position().toPoint();
    update();
}

void ImageView::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_panning)
        return QWidget::mouseReleaseEvent(event);
    m_panning = false;
    setCursor(m_spaceHeld ? Qt::OpenHandCursor : Qt::ArrowCursor);
}

void ImageView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        setCursor(Qt::OpenHandCursor);
        return;
    }
    QWidget::keyPressEvent(event);
}

void ImageView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        if (!m_panning)
            unsetCursor();
        return;
    }
    QWidget::keyReleaseEvent(event);
}

} // namespace annotune::ui
