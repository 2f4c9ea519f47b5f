// The Annotate workspace's actions: tools, editing, classes and review, registered by id with
// labelImg's keys where it has one, and what they do.

#include "actionregistry.h"
#include "annotateworkspace.h"
#include "canvas/canvas.h"
#include "classpicker.h"
#include "core/store/annotationrepository.h"
#include "core/store/project.h"
#include "labeling/annotationdocument.h"
#include "style.h"

#include <QAction>
#include <QActionGroup>
#include <QStyle>
#include <QToolBar>
#include <QUndoGroup>
#include <QUndoStack>

namespace annotune::ui {

namespace {
constexpr double kNudge = 1.0;
constexpr double kNudgeFast = 10.0;
constexpr double kPasteOffset = 10.0;
} // namespace

void AnnotateWorkspace::registerActions(ActionRegistry &registry)
{
    const auto add = [&](const char *id, const QString &text, const QKeySequence &key, auto slot) {
        QAction *a = registry.add(QString::fromLatin1(id), text, key);
        if (!a)
            return a;
        connect(a, &QAction::triggered, this, slot);
        m_ownActions.append(a);
        addAction(a);
        return a;
    };
    auto *tools = new QActionGroup(this);
    const auto tool = [&](const char *id, const QString &text, Qt::Key key) {
        QAction *a = add(id, text, QKeySequence(key), [this, id] { m_canvas->setTool(QString::fromLatin1(id)); });
        a->setCheckable(true);
        tools->addAction(a);
    };
    tool("tool.select", tr("&Select and Edit"), Qt::Key_V);
    tool("tool.box", tr("Draw &Box"), Qt::Key_W);
    tool("tool.polygon", tr("Draw &Polygon"), Qt::Key_P);
    registry.action(QStringLiteral("tool.select"))->setChecked(true);
    connect(m_canvas, &Canvas::toolChanged, this, [&registry](const QString &id) {
        if (QAction *a = registry.action(id))
            a->setChecked(true);
    });

    add("edit.undo", tr("&Undo"), QKeySequence::Undo, [this] { if (m_doc) m_doc->undo(); });
    add("edit.redo", tr("&Redo"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), [this] { if (m_doc) m_doc->redo(); });
    add("edit.delete", tr("&Delete Selected"), QKeySequence(Qt::Key_Delete), &AnnotateWorkspace::deleteSelection);
    add("edit.copy", tr("&Copy"), QKeySequence::Copy, &AnnotateWorkspace::copySelection);
    add("edit.paste", tr("&Paste"), QKeySequence::Paste, &AnnotateWorkspace::paste);
    add("edit.duplicate", tr("D&uplicate"), QKeySequence(Qt::CTRL | Qt::Key_D), &AnnotateWorkspace::duplicateSelection);
    add("edit.selectAll", tr("Select &All Labels"), QKeySequence::SelectAll, &AnnotateWorkspace::selectAll);
    add("edit.copyPrevious", tr("Copy Labels from &Previous Item"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V),
        &AnnotateWorkspace::copyFromPrevious);
    const struct { const char *id; const char *text; QKeyCombination key; QPointF step; } nudges[] = {
        {"edit.nudgeLeft", "Nudge Left", QKeyCombination(Qt::Key_Left), {-kNudge, 0}},
        {"edit.nudgeRight", "Nudge Right", QKeyCombination(Qt::Key_Right), {kNudge, 0}},
        {"edit.nudgeUp", "Nudge Up", QKeyCombination(Qt::Key_Up), {0, -kNudge}},
        {"edit.nudgeDown", "Nudge Down", QKeyCombination(Qt::Key_Down), {0, kNudge}},
        {"edit.nudgeLeftFast", "Nudge Left ×10", Qt::SHIFT | Qt::Key_Left, {-kNudgeFast, 0}},
        {"edit.nudgeRightFast", "Nudge Right ×10", Qt::SHIFT | Qt::Key_Right, {kNudgeFast, 0}},
        {"edit.nudgeUpFast", "Nudge Up ×10", Qt::SHIFT | Qt::Key_Up, {0, -kNudgeFast}},
        {"edit.nudgeDownFast", "Nudge Down ×10", Qt::SHIFT | Qt::Key_Down, {0, kNudgeFast}},
    };
    for (const auto &n : nudges) {
        const QPointF step = n.step;
        add(n.id, tr(n.text), QKeySequence(n.key), [this, step] { nudge(step); });
    }
    for (int i = 1; i <= 9; ++i)
        add(QStringLiteral("class.pick%1").arg(i).toLatin1().constData(), tr("Use Class %1").arg(i),
            QKeySequence(Qt::Key_0 + i), [this, i] { chooseClass(m_classes->classAt(i - 1)); });
    add("class.schema", tr("&Label Schema…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L), &AnnotateWorkspace::editSchema);

    add("review.markLabeled", tr("Mark &Labeled"), QKeySequence(Qt::CTRL | Qt::Key_Return),
        [this] { setItemStatus(core::ItemStatus::Labeled); });
    add("review.submit", tr("&Send to Review"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return),
        [this] { setItemStatus(core::ItemStatus::InReview); });
    add("review.approve", tr("&Approve"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A),
        [this] { setItemStatus(core::ItemStatus::Approved); });
    add("review.reject", tr("&Reject…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), &AnnotateWorkspace::rejectItem);

    // The shared view actions act on the canvas while this workspace is shown.
    const auto view = [&](const char *id, void (Canvas::*slot)()) {
        if (QAction *a = registry.action(QString::fromLatin1(id)))
            connect(a, &QAction::triggered, m_canvas, [this, slot] { if (m_active) (m_canvas->*slot)(); });
    };
    view("view.fit", &Canvas::fitToWindow);
    view("view.actualSize", &Canvas::actualSize);
    view("view.zoomIn", &Canvas::zoomIn);
    view("view.zoomOut", &Canvas::zoomOut);
}

void AnnotateWorkspace::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Annotate"));
    bar->setObjectName(QStringLiteral("annotateToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (const char *id : {"tool.select", "tool.box", "tool.polygon", "tool.words", "tool.link", "", "edit.undo", "edit.redo", "edit.delete", "",
                           "edit.copyPrevious", "", "review.markLabeled", "review.submit", "review.approve",
                           "review.reject", "", "class.schema"}) {
        if (!*id)
            bar->addSeparator();
        else if (QAction *a = m_registry.action(QString::fromLatin1(id)))
            bar->addAction(a);
    }
}

void AnnotateWorkspace::setActive(bool active)
{
    m_active = active;
    const bool enabled = active && m_doc;
    for (QAction *a : m_ownActions)
        if (a)
            a->setEnabled(enabled);
    if (enabled && m_project && m_project->readOnly())
        for (QAction *a : m_ownActions)
            if (a && !a->objectName().startsWith(QLatin1String("tool.")) && a->objectName() != QLatin1String("edit.copy"))
                a->setEnabled(false);
    if (active)
        m_canvas->setFocus();
}

void AnnotateWorkspace::copySelection()
{
    m_clipboard.clear();
    for (core::Id id : m_canvas->selection())
        if (const core::Annotation *a = m_doc->find(id))
            m_clipboard.append(*a);
    m_pasteCount = 0;
    Q_EMIT message(tr("Copied %n label(s)", nullptr, int(m_clipboard.size())));
}

void AnnotateWorkspace::paste()
{
    if (m_clipboard.isEmpty() || !m_doc->itemId())
        return;
    // Pasting on the item copied from offsets each paste so copies do not hide each other.
    const bool sameItem = m_clipboard.first().itemId == m_doc->itemId();
    const double offset = sameItem ? kPasteOffset * ++m_pasteCount : 0;
    const QVector<core::Id> ids = m_doc->paste(m_clipboard, QPointF(offset, offset));
    if (!ids.isEmpty())
        m_canvas->setSelection(ids);
}

void AnnotateWorkspace::duplicateSelection()
{
    const QVector<core::Id> ids = m_doc->duplicate(m_canvas->selection(), QPointF(kPasteOffset, kPasteOffset));
    if (!ids.isEmpty())
        m_canvas->setSelection(ids);
}

void AnnotateWorkspace::deleteSelection()
{
    if (!m_canvas->tool() || !m_canvas->tool()->busy())
        m_doc->removeAnnotations(m_canvas->selection());
}

void AnnotateWorkspace::selectAll()
{
    QVector<core::Id> ids;
    for (const core::Annotation &a : m_doc->annotations())
        if (a.kind != core::AnnotationKind::Tag && m_canvas->isShown(a))
            ids.append(a.id);
    m_canvas->setSelection(ids);
}

void AnnotateWorkspace::copyFromPrevious()
{
    const core::Id previous = m_neighbours ? m_neighbours(-1) : 0;
    if (!previous || !m_doc->itemId())
        return Q_EMIT message(tr("There is no previous item"));
    auto labels = m_project->annotations().forItem(previous);
    if (!labels)
        return Q_EMIT message(labels.error().message);
    const QVector<core::Id> ids = m_doc->paste(*labels);
    m_canvas->setSelection(ids);
    Q_EMIT message(tr("Copied %n label(s) from the previous item", nullptr, int(ids.size())));
}

void AnnotateWorkspace::nudge(QPointF delta)
{
    if (!m_canvas->selection().isEmpty())
        m_doc->moveAnnotations(m_canvas->selection(), delta, true);
}

void AnnotateWorkspace::setItemStatus(core::ItemStatus status)
{
    if (!m_doc || !m_doc->itemId())
        return;
    if (core::Status st = m_doc->setStatus(status); !st)
        return Q_EMIT message(st.error().message);
    Q_EMIT message(tr("Item %1: %2 by %3").arg(m_doc->itemId()).arg(statusTitle(status), m_project->author()));
}

void AnnotateWorkspace::rejectItem()
{
    if (!m_doc || !m_doc->itemId())
        return;
    const std::optional<QString> comment = m_askComment();
    if (!comment)
        return;
    if (core::Status st = m_doc->setStatus(core::ItemStatus::Rejected, *comment); !st)
        return Q_EMIT message(st.error().message);
    Q_EMIT message(tr("Item %1 rejected: %2").arg(m_doc->itemId()).arg(*comment));
}

} // namespace annotune::ui
