#include "canvas.h"

#include "abstracttool.h"
#include "canvasrenderer.h"
#include "hittest.h"
#include "core/store/project.h"
#include "labeling/annotationdocument.h"
#include "ui/style.h"

#include <QKeyEvent>
#include <QPainter>
#include <cmath>

namespace annotune::ui {
namespace {
constexpr double kMinScale = 0.01;
constexpr double kMaxScale = 40.0;
constexpr double kStep = 1.25;
constexpr int kFitMargin = 24; // screen pixels around an image fitted to the window
}

Canvas::Canvas(QWidget *parent) : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setMinimumSize(200, 200);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

Canvas::~Canvas()
{
    qDeleteAll(m_tools);
}

void Canvas::setDocument(labeling::AnnotationDocument *document)
{
    if (m_doc)
        disconnect(m_doc, nullptr, this, nullptr);
    m_doc = document;
    if (m_doc)
        connect(m_doc, &labeling::AnnotationDocument::changed, this, &Canvas::onDocumentChanged);
    onDocumentChanged({labeling::ChangeEvent::Kind::Loaded, {}});
}

void Canvas::setImageCache(labeling::ImageCache *cache)
{
    m_cache = cache;
    connect(m_cache, &labeling::ImageCache::imageReady, this, &Canvas::onImageReady);
}

QSizeF Canvas::imageSize() const
{
    if (m_doc && m_doc->item().width > 0 && m_doc->item().height > 0)
        return QSizeF(m_doc->item().width, m_doc->item().height);
    if (m_image && m_image->fullSize.isValid())
        return QSizeF(m_image->fullSize);
    return QSizeF(800, 600);
}

void Canvas::addTool(AbstractTool *tool)
{
    m_tools.append(tool);
    if (!m_tool)
        setTool(tool->id());
}

bool Canvas::setTool(const QString &id)
{
    for (AbstractTool *t : m_tools) {
        if (t->id() != id)
            continue;
        if (m_tool == t)
            return true;
        if (m_tool)
            m_tool->deactivate();
        clearPreview();
        m_tool = t;
        m_tool->activate();
        setCursor(m_tool->cursorAt({}));
        Q_EMIT toolChanged(id);
        update();
        return true;
    }
    return false;
}

void Canvas::setSelection(const QVector<core::Id> &ids)
{
    QVector<core::Id> kept;
    for (core::Id id : ids)
        if (m_doc && m_doc->find(id) && !kept.contains(id))
            kept.append(id);
    if (kept == m_selection)
        return;
    m_selection = kept;
    m_selectedSet = QSet<core::Id>(kept.begin(), kept.end());
    update();
    Q_EMIT selectionChanged(m_selection);
}

void Canvas::setCurrentClass(core::Id id)
{
    if (id == m_currentClass)
        return;
    m_currentClass = id;
    Q_EMIT currentClassChanged(id);
}

void Canvas::setHiddenClasses(const QSet<core::Id> &ids)
{
    m_hidden = ids;
    update();
}

QColor Canvas::classColor(core::Id classId) const
{
    return m_colors.value(classId, QColor(0xff, 0x00, 0xaa));
}

QString Canvas::className(core::Id classId) const
{
    return m_names.value(classId, QStringLiteral("class %1").arg(classId));
}

void Canvas::setPreview(const QVector<core::Annotation> &shapes)
{
    m_preview.clear();
    for (const core::Annotation &a : shapes)
        m_preview.insert(a.id, a);
    update();
}

void Canvas::clearPreview()
{
    if (m_preview.isEmpty())
        return;
    m_preview.clear();
    update();
}

core::Id Canvas::annotationAt(const QPointF &image, double tolerancePx) const
{
    if (!m_doc)
        return 0;
    const double tol = toImageDistance(tolerancePx);
    const QRectF probe(image - QPointF(tol, tol), QSizeF(2 * tol, 2 * tol));
    const QVector<int> hits = m_index.query(probe);
    const auto &all = m_doc->annotations();
    core::Id best = 0;
    double bestArea = 0;
    for (int i : hits) { // the smallest shape under the point wins: nested boxes stay reachable
        const core::Annotation &a = all[i];
        if (!isShown(a))
            continue;
        const bool inside = hittest::touches(a, image, tol);
        const double area = a.box.width() * a.box.height();
        if (inside && (!best || area < bestArea)) {
            best = a.id;
            bestArea = area;
        }
    }
    return best;
}

QVector<core::Id> Canvas::annotationsInside(const QRectF &rect) const
{
    QVector<core::Id> out;
    if (!m_doc)
        return out;
    for (int i : m_index.query(rect)) {
        const core::Annotation &a = m_doc->annotations()[i];
        if (isShown(a) && rect.contains(a.box))
            out.append(a.id);
    }
    return out;
}

void Canvas::onDocumentChanged(const labeling::ChangeEvent &event)
{
    using Kind = labeling::ChangeEvent::Kind;
    if (event.kind == Kind::Loaded || event.kind == Kind::Classes) {
        m_colors.clear();
        m_names.clear();
        if (m_doc)
            for (const core::LabelClass &c : m_doc->classes()) {
                m_colors.insert(c.id, c.color);
                m_names.insert(c.id, c.name);
            }
    }
    if (event.kind == Kind::Loaded) {
        m_preview.clear();
        const core::Id item = m_doc ? m_doc->itemId() : 0;
        if (!m_image || item == 0 || m_imageItem != item) {
            m_image = nullptr;
            m_imageItem = item;
        }
        requestImage();
        if (m_fit)
            fitToWindow();
    }
    rebuild();
    setSelection(m_selection); // drops ids that no longer exist
    if (m_tool)
        m_tool->documentChanged();
    update();
}

void Canvas::rebuild()
{
    if (m_doc)
        m_index.build(m_doc->annotations(), imageSize());
    else
        m_index.build({}, {});
}

void Canvas::requestImage()
{
    if (!m_cache || !m_doc || !m_doc->itemId())
        return;
    m_cache->setPreviewSize(size() * devicePixelRatio());
    m_cache->setFitRoom(fitRoom() * devicePixelRatio());
    const QString path = m_doc->project().absoluteMediaPath(m_doc->item().path);
    if (auto image = m_cache->request(m_doc->itemId(), path))
        m_image = image;
}

void Canvas::onImageReady(qint64 itemId)
{
    if (!m_doc || itemId != m_doc->itemId())
        return;
    if (auto image = m_cache->cached(itemId)) {
        m_image = image;
        m_imageItem = itemId;
        if (!m_image->error.isEmpty())
            Q_EMIT message(m_image->error);
    }
    update();
}

void Canvas::fitToWindow()
{
    m_fit = true;
    const QSizeF img = imageSize();
    const QSizeF room = fitRoom();
    m_view.scale = qBound(kMinScale, std::min(room.width() / img.width(), room.height() / img.height()), kMaxScale);
    m_view.offset = QPointF((width() - img.width() * m_view.scale) / 2, (height() - img.height() * m_view.scale) / 2);
    Q_EMIT zoomChanged(m_view.scale);
    update();
}

QSize Canvas::fitRoom() const
{
    return size() - QSize(kFitMargin, kFitMargin);
}

void Canvas::actualSize()
{
    m_fit = false;
    setScale(1.0, QPointF(width() / 2.0, height() / 2.0));
}

void Canvas::zoomIn() { zoomAt(kStep, QPointF(width() / 2.0, height() / 2.0)); }
void Canvas::zoomOut() { zoomAt(1 / kStep, QPointF(width() / 2.0, height() / 2.0)); }

void Canvas::zoomAt(double factor, const QPointF &anchor)
{
    m_fit = false;
    setScale(m_view.scale * factor, anchor);
}

void Canvas::panBy(const QPointF &delta)
{
    m_fit = false;
    m_view.offset += delta;
    update();
}

void Canvas::setScale(double scale, const QPointF &anchor)
{
    scale = qBound(kMinScale, scale, kMaxScale);
    m_view.offset = anchor - (anchor - m_view.offset) * (scale / m_view.scale);
    m_view.scale = scale;
    Q_EMIT zoomChanged(scale);
    update();
}

void Canvas::resizeEvent(QResizeEvent *)
{
    if (m_cache) // later decodes match the new fit size
        m_cache->setFitRoom(fitRoom() * devicePixelRatio());
    if (m_fit)
        fitToWindow();
}

void Canvas::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    if (!m_doc || !m_doc->itemId()) {
        p.fillRect(rect(), canvasColor());
        p.setPen(QColor(0xe4, 0xe6, 0xea));
        p.drawText(rect(), Qt::AlignCenter, tr("Select an item to annotate it"));
        Q_EMIT painted(0, false);
        return;
    }
    RenderScene scene{m_image.get(), imageSize(), m_view, QRectF(rect()), &m_doc->annotations(), &m_index,
                      &m_colors, &m_names, &m_hidden, &m_selectedSet, &m_preview, &m_tags};
    fillAround(p, rect(), opaqueImageRect(p, scene), canvasColor()); // not under the image: it covers that
    paintImage(p, scene);
    QFont f = p.font();
    f.setPointSizeF(qMax(7.0, f.pointSizeF() * 0.85));
    p.setFont(f);
    paintAnnotations(p, scene);
    paintTags(p, scene);
    for (const Layer &layer : m_layers)
        layer(p, m_view);
    if (m_tool)
        m_tool->paint(p, m_view);
    if (m_tool && m_tool->wantsCrosshair())
        paintCrosshair(p);
    if (m_image && !m_image->error.isEmpty()) {
        p.setPen(QColor(0xff, 0x90, 0x90));
        p.drawText(rect().adjusted(20, 20, -20, -20), Qt::AlignBottom | Qt::AlignHCenter | Qt::TextWordWrap,
                   tr("Cannot show this image: %1").arg(m_image->error));
    }
    Q_EMIT painted(m_doc->itemId(), imageShown());
}

void Canvas::paintCrosshair(QPainter &p)
{
    if (m_cursor.x() < 0 || m_panning)
        return;
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(QPen(QColor(255, 255, 255, 150), 1, Qt::DashLine));
    p.drawLine(QPointF(0, m_cursor.y()), QPointF(width(), m_cursor.y()));
    p.drawLine(QPointF(m_cursor.x(), 0), QPointF(m_cursor.x(), height()));
}

} // namespace annotune::ui
