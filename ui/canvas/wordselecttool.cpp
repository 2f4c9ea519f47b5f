#include "wordselecttool.h"

#include "canvas.h"
#include "documentlayer.h"
#include "labeling/annotationdocument.h"

#include <QKeyEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace annotune::ui {

using core::Id;

namespace {
constexpr double kDragPx = 4;
} // namespace

void WordSelectTool::setSelectedWords(const QVector<Id> &ids)
{
    m_words = ids;
    sortAndEmit();
}

void WordSelectTool::deactivate()
{
    m_dragging = false;
    m_band = {};
    m_hover = 0;
    m_canvas.update();
}

void WordSelectTool::mousePress(const ToolEvent &e)
{
    if (e.button != Qt::LeftButton || !documenthit::isPage(m_canvas.document()))
        return;
    m_start = e.image;
    m_dragging = true;
    m_additive = e.modifiers & (Qt::ShiftModifier | Qt::ControlModifier);
    m_band = {};
}

void WordSelectTool::mouseMove(const ToolEvent &e)
{
    if (!m_dragging) {
        hover(e.image);
        return;
    }
    if (QLineF(m_canvas.view().toScreen(m_start), e.screen).length() >= kDragPx)
        m_band = QRectF(m_start, e.image).normalized();
    m_canvas.update();
}

void WordSelectTool::mouseRelease(const ToolEvent &e)
{
    if (!m_dragging || e.button != Qt::LeftButton)
        return;
    m_dragging = false;
    const labeling::AnnotationDocument &doc = *m_canvas.document();
    QVector<Id> hit;
    if (!m_band.isNull())
        hit = documenthit::wordsIn(doc, m_band);
    else if (const Id w = documenthit::wordAt(doc, e.image, m_canvas.toImageDistance(2)))
        hit = {w};
    m_band = {};
    if (!m_additive) {
        m_words = hit;
    } else if (hit.size() == 1 && m_words.contains(hit.first())) {
        m_words.removeAll(hit.first()); // shift-click on a selected word drops it
    } else {
        for (Id id : hit)
            if (!m_words.contains(id))
                m_words.append(id);
    }
    // A click on a field's word selects the field too (for the form panel, links and deleting).
    const Id field = hit.size() == 1 ? documenthit::fieldAt(doc, e.image, 0) : 0;
    m_canvas.setSelection(field ? QVector<Id>{field} : QVector<Id>());
    sortAndEmit();
}

bool WordSelectTool::keyPress(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape && (!m_words.isEmpty() || m_dragging)) {
        m_dragging = false;
        m_band = {};
        m_words.clear();
        sortAndEmit();
        return true;
    }
    return false;
}

void WordSelectTool::hover(const QPointF &image)
{
    const labeling::AnnotationDocument *doc = m_canvas.document();
    const Id w = documenthit::isPage(doc) ? documenthit::wordAt(*doc, image, m_canvas.toImageDistance(1)) : 0;
    if (w == m_hover)
        return;
    m_hover = w;
    if (const core::Word *word = w ? doc->findWord(w) : nullptr) {
        const QString text = tr("Word “%1” (confidence %2)").arg(word->text).arg(word->confidence, 0, 'f', 2);
        m_canvas.showMessage(text);
        QToolTip::showText(m_canvas.mapToGlobal(m_canvas.view().toScreen(word->box.bottomLeft()).toPoint()),
                           word->text, &m_canvas);
    } else {
        QToolTip::hideText();
    }
    m_canvas.update();
}

void WordSelectTool::sortAndEmit()
{
    const labeling::AnnotationDocument *doc = m_canvas.document();
    if (doc) {
        m_words.removeIf([&](Id id) { return !doc->findWord(id); });
        std::stable_sort(m_words.begin(), m_words.end(),
                         [&](Id a, Id b) { return doc->findWord(a)->index < doc->findWord(b)->index; });
    }
    m_canvas.update();
    Q_EMIT wordsSelected(m_words);
}

void WordSelectTool::paint(QPainter &p, const ViewTransform &view)
{
    const labeling::AnnotationDocument *doc = m_canvas.document();
    if (!documenthit::isPage(doc))
        return;
    p.save();
    p.setPen(QPen(QColor(255, 160, 0), 2));
    p.setBrush(QColor(255, 200, 0, 70));
    for (Id id : m_words)
        if (const core::Word *w = doc->findWord(id))
            p.drawRect(view.toScreen(w->box).adjusted(-1, -1, 1, 1));
    if (const core::Word *w = m_hover ? doc->findWord(m_hover) : nullptr) {
        p.setPen(QPen(QColor(0, 150, 255), 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(view.toScreen(w->box).adjusted(-2, -2, 2, 2));
    }
    if (!m_band.isNull()) {
        p.setPen(QPen(QColor(0, 150, 255), 1, Qt::DashLine));
        p.setBrush(QColor(0, 150, 255, 40));
        p.drawRect(view.toScreen(m_band));
    }
    p.restore();
}

void WordSelectTool::documentChanged()
{
    const labeling::AnnotationDocument *doc = m_canvas.document();
    const auto before = m_words.size();
    if (doc)
        m_words.removeIf([&](Id id) { return !doc->findWord(id); });
    if (!doc || !doc->findWord(m_hover))
        m_hover = 0;
    if (m_words.size() != before)
        Q_EMIT wordsSelected(m_words);
}

Qt::CursorShape WordSelectTool::cursorAt(const QPointF &image) const
{
    const labeling::AnnotationDocument *doc = m_canvas.document();
    return documenthit::isPage(doc) && documenthit::wordAt(*doc, image, 0) ? Qt::IBeamCursor : Qt::ArrowCursor;
}

} // namespace annotune::ui
