#include "reviewpane.h"

#include <QFutureWatcher>
#include <QImageReader>
#include <QMouseEvent>
#include <QPainter>
#include <QPointer>
#include <QtConcurrent>

namespace annotune::ui {

ReviewPane::ReviewPane(const QString &title, QWidget *parent) : QWidget(parent), m_title(title)
{
    setMinimumSize(160, 120);
    setFocusPolicy(Qt::ClickFocus);
}

void ReviewPane::setScene(const ItemScene &scene, const QString &caption)
{
    const bool sameItem = scene.item.id == m_scene.item.id && !m_image.isNull();
    m_scene = scene;
    m_caption = caption;
    if (sameItem) {
        update();
        return;
    }
    m_image = {};
    const quint64 generation = ++m_generation;
    QPointer<ReviewPane> self(this);
    auto *watcher = new QFutureWatcher<QImage>(this);
    connect(watcher, &QFutureWatcher<QImage>::finished, this, [this, watcher, generation] {
        onDecoded(generation, watcher->result());
        watcher->deleteLater();
    });
    const QString path = scene.absolutePath;
    watcher->setFuture(QtConcurrent::run([path] {
        QImageReader reader(path);
        reader.setAutoTransform(true);
        return reader.read();
    }));
    update();
}

void ReviewPane::clear()
{
    ++m_generation;
    m_scene = {};
    m_image = {};
    m_caption.clear();
    update();
}

void ReviewPane::onDecoded(quint64 generation, const QImage &image)
{
    if (generation != m_generation)
        return;
    m_image = image;
    if (m_fit)
        fitToWindow();
    update();
}

QSizeF ReviewPane::imageSize() const
{
    if (!m_image.isNull())
        return m_image.size();
    return QSizeF(m_scene.item.width, m_scene.item.height);
}

void ReviewPane::setView(const ViewTransform &view)
{
    m_view = view;
    m_fit = false;
    update();
}

void ReviewPane::fitToWindow()
{
    const QSizeF size = imageSize();
    if (size.isEmpty())
        return;
    const double scale = std::min(width() / size.width(), (height() - 20) / size.height());
    m_view.scale = scale > 0 ? scale : 1.0;
    m_view.offset = QPointF((width() - size.width() * m_view.scale) / 2,
                            20 + (height() - 20 - size.height() * m_view.scale) / 2);
    m_fit = true;
    update();
}

void ReviewPane::zoomAt(double factor, const QPointF &anchor)
{
    const QPointF image = m_view.toImage(anchor);
    m_view.scale = std::clamp(m_view.scale * factor, 0.02, 64.0);
    m_view.offset = anchor - image * m_view.scale;
    m_fit = false;
    update();
    Q_EMIT viewChanged(m_view);
}

void ReviewPane::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base).darker(110));
    if (m_scene.item.id != 0) {
        p.save();
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        if (!m_image.isNull())
            p.drawImage(m_view.toScreen(QRectF(QPointF(0, 0), QSizeF(m_image.size()))), m_image);
        p.setRenderHint(QPainter::Antialiasing);
        paintOverlay(p, m_view.matrix(), m_scene);
        p.restore();
    }
    QRectF header(0, 0, width(), 20);
    p.fillRect(header, palette().color(QPalette::Window));
    p.setPen(palette().color(QPalette::WindowText));
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(header.adjusted(6, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft, m_title);
    p.setFont(font());
    p.drawText(header.adjusted(6, 0, -6, 0), Qt::AlignVCenter | Qt::AlignRight, m_caption);
}

void ReviewPane::resizeEvent(QResizeEvent *)
{
    if (m_fit)
        fitToWindow();
}

void ReviewPane::wheelEvent(QWheelEvent *event)
{
    zoomAt(event->angleDelta().y() > 0 ? 1.25 : 0.8, event->position());
}

void ReviewPane::mousePressEvent(QMouseEvent *event)
{
    m_lastPos = event->position();
}

void ReviewPane::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & (Qt::LeftButton | Qt::MiddleButton)))
        return;
    m_view.offset += event->position() - m_lastPos;
    m_lastPos = event->position();
    m_fit = false;
    update();
    Q_EMIT viewChanged(m_view);
}

void ReviewPane::mouseDoubleClickEvent(QMouseEvent *)
{
    fitToWindow();
    Q_EMIT viewChanged(m_view);
}

void ViewLink::add(ReviewPane *pane)
{
    m_panes.append(pane);
    connect(pane, &ReviewPane::viewChanged, this, [this, pane](const ViewTransform &view) { forward(pane, view); });
}

void ViewLink::forward(ReviewPane *from, const ViewTransform &view)
{
    for (ReviewPane *pane : std::as_const(m_panes))
        if (pane != from)
            pane->setView(view);
}

} // namespace annotune::ui
