#include "linktool.h"

#include "canvas.h"
#include "documentlayer.h"
#include "labeling/annotationdocument.h"

#include <QKeyEvent>
#include <QPainter>

namespace annotune::ui {

using core::Id;

void LinkTool::deactivate()
{
    m_source = 0;
    m_canvas.update();
}

void LinkTool::mousePress(const ToolEvent &e)
{
    labeling::AnnotationDocument *doc = m_canvas.document();
    if (!documenthit::isPage(doc))
        return;
    const double tol = m_canvas.toImageDistance(3);
    if (e.button == Qt::RightButton) {
        if (const Id link = documenthit::linkAt(*doc, e.image, tol); link && doc->removeLink(link))
            m_canvas.showMessage(tr("Link removed"));
        return;
    }
    const Id hit = documenthit::fieldAt(*doc, e.image, tol);
    if (m_source) { // second click of click-click linking
        finish(hit);
        return;
    }
    m_source = hit;
    m_pointer = e.image;
    m_moved = false;
    if (hit)
        m_canvas.setSelection({hit});
    m_canvas.update();
}

void LinkTool::mouseMove(const ToolEvent &e)
{
    m_pointer = e.image;
    if (m_source && (e.buttons & Qt::LeftButton))
        m_moved = true;
    if (m_source)
        m_canvas.update();
}

void LinkTool::mouseRelease(const ToolEvent &e)
{
    if (!m_source || e.button != Qt::LeftButton || !m_moved)
        return; // a plain click keeps the source and waits for the target click
    finish(documenthit::fieldAt(*m_canvas.document(), e.image, m_canvas.toImageDistance(3)));
}

void LinkTool::finish(Id target)
{
    const Id source = m_source;
    m_source = 0;
    labeling::AnnotationDocument *doc = m_canvas.document();
    if (target && target != source) {
        if (doc->addLink(source, target)) {
            m_canvas.showMessage(tr("Linked %1 → %2").arg(m_canvas.className(doc->find(source)->classId),
                                                         m_canvas.className(doc->find(target)->classId)));
            m_canvas.setSelection({target});
        } else {
            m_canvas.showMessage(tr("Already linked"));
        }
    }
    m_canvas.update();
}

bool LinkTool::keyPress(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape && m_source) {
        m_source = 0;
        m_canvas.update();
        return true;
    }
    return false;
}

void LinkTool::paint(QPainter &p, const ViewTransform &view)
{
    const labeling::AnnotationDocument *doc = m_canvas.document();
    const core::Annotation *source = m_source && doc ? doc->find(m_source) : nullptr;
    if (!source)
        return;
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(230, 60, 140), 2, Qt::DashLine));
    const QRectF from = view.toScreen(source->box);
    const QPointF to = view.toScreen(m_pointer);
    documenthit::drawArrow(p, documenthit::arrowBetween(from, QRectF(to, QSizeF(0.1, 0.1))));
    p.restore();
}

void LinkTool::documentChanged()
{
    const labeling::AnnotationDocument *doc = m_canvas.document();
    if (m_source && (!doc || !doc->find(m_source)))
        m_source = 0;
}

Qt::CursorShape LinkTool::cursorAt(const QPointF &image) const
{
    const labeling::AnnotationDocument *doc = m_canvas.document();
    return documenthit::isPage(doc) && documenthit::fieldAt(*doc, image, 0) ? Qt::PointingHandCursor : Qt::ArrowCursor;
}

} // namespace annotune::ui
