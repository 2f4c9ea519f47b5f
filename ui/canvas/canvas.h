#pragma once
// The editing canvas: the current item's image with its annotations, zoom around the cursor, fit,
// 1:1, panning (middle button or space-drag), selection, and the active tool.

#include "abstracttool.h"
#include "canvasrenderer.h"
#include "core/types.h"
#include "labeling/changeevent.h"
#include "labeling/imagecache.h"
#include "spatialindex.h"
#include "viewtransform.h"

#include <QHash>
#include <QSet>
#include <QWidget>
#include <functional>

class QPainter;

namespace annotune::labeling {
class AnnotationDocument;
}

namespace annotune::ui {

// Shows the document's item. It never edits: tools call the document's intents. It keeps the view
// (ViewTransform, the only image<->screen conversion), the selection (ids), hidden classes, the
// class new shapes get, and a preview of a gesture in flight (shapes drawn in place of the stored
// ones until the tool commits). Images come from the ImageCache, decoded off the GUI thread.
class Canvas : public QWidget {
    Q_OBJECT
public:
    explicit Canvas(QWidget *parent = nullptr);
    ~Canvas() override;

    void setDocument(labeling::AnnotationDocument *document);
    void setImageCache(labeling::ImageCache *cache);
    labeling::AnnotationDocument *document() const { return m_doc; }
    const ViewTransform &view() const { return m_view; }
    QSizeF imageSize() const;
    labeling::ImageHandle image() const { return m_image; }
    bool imageShown() const { return m_image && !m_image->levels.isEmpty(); }

    // Tools: the canvas owns them; setTool picks one by id.
    void addTool(AbstractTool *tool);
    bool setTool(const QString &id);
    AbstractTool *tool() const { return m_tool; }

    const QVector<core::Id> &selection() const { return m_selection; }
    void setSelection(const QVector<core::Id> &ids);
    bool isSelected(core::Id id) const { return m_selectedSet.contains(id); }
    core::Id currentClass() const { return m_currentClass; }
    void setCurrentClass(core::Id id);
    void setHiddenClasses(const QSet<core::Id> &ids);
    const QSet<core::Id> &hiddenClasses() const { return m_hidden; }
    bool isShown(const core::Annotation &a) const { return !m_hidden.contains(a.classId); }
    QColor classColor(core::Id classId) const;
    QString className(core::Id classId) const;

    // Extra painting after the annotations and before the tool (document words, fields, links).
    using Layer = std::function<void(QPainter &, const ViewTransform &)>;
    void addLayer(Layer layer) { m_layers.append(std::move(layer)); }

    // Gesture feedback: these shapes are drawn instead of the stored ones with the same ids.
    void setPreview(const QVector<core::Annotation> &shapes);
    void clearPreview();

    // The topmost shown annotation at an image point (tolerance in screen pixels), or 0.
    core::Id annotationAt(const QPointF &image, double tolerancePx = 4) const;
    // Shown annotations whose bounds lie inside rect (image pixels).
    QVector<core::Id> annotationsInside(const QRectF &rect) const;
    // Image pixels per screen pixel times px: a distance that looks the same at every zoom.
    double toImageDistance(double px) const { return px / m_view.scale; }
    void showMessage(const QString &text) { Q_EMIT message(text); }

public Q_SLOTS:
    void fitToWindow();
    void actualSize();
    void zoomIn();
    void zoomOut();
    // Zooms by factor keeping the image point under anchor (screen) in place.
    void zoomAt(double factor, const QPointF &anchor);
    void panBy(const QPointF &delta);

Q_SIGNALS:
    void selectionChanged(const QVector<qint64> &ids);
    void currentClassChanged(qint64 classId);
    void zoomChanged(double zoom);
    void cursorMoved(const QPointF &imagePos);
    void message(const QString &text);
    void toolChanged(const QString &id);
    // After each paint: the item shown and whether its pixels (not just a placeholder) were drawn.
    void painted(qint64 itemId, bool withImage);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    void onDocumentChanged(const labeling::ChangeEvent &event);
    void onImageReady(qint64 itemId);
    void requestImage();
    void rebuild();
    void setScale(double scale, const QPointF &anchor);
    // The box fitToWindow fits the image into (the widget less a margin).
    QSize fitRoom() const;
    ToolEvent makeEvent(QMouseEvent *event) const;
    void paintCrosshair(QPainter &p);

    labeling::AnnotationDocument *m_doc = nullptr;
    labeling::ImageCache *m_cache = nullptr;
    labeling::ImageHandle m_image;
    core::Id m_imageItem = 0; // whose pixels m_image holds
    ViewTransform m_view;
    bool m_fit = true;
    SpatialIndex m_index;
    QHash<core::Id, QColor> m_colors;
    QHash<core::Id, QString> m_names;
    NameTags m_tags; // laid-out class names, reused by every frame
    QVector<AbstractTool *> m_tools;
    QVector<Layer> m_layers;
    AbstractTool *m_tool = nullptr;
    QVector<core::Id> m_selection;
    QSet<core::Id> m_selectedSet;
    QSet<core::Id> m_hidden;
    core::Id m_currentClass = 0;
    QHash<core::Id, core::Annotation> m_preview;
    bool m_spaceHeld = false;
    bool m_panning = false;
    QPointF m_lastPan;
    QPointF m_cursor{-1, -1}; // screen position for the crosshair; negative when outside
};

} // namespace annotune::ui
