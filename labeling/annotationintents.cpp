// The intent methods of AnnotationDocument: each turns what the user meant into one undo command.

#include "annotationdocument.h"

#include "commands/addannotations.h"
#include "commands/changeannotationclass.h"
#include "commands/editgeometry.h"
#include "commands/moveannotations.h"
#include "commands/removeannotations.h"
#include "commands/setitemtags.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"

#include <QCoreApplication>

namespace annotune::labeling {

using core::Annotation;
using core::AnnotationKind;
using core::Id;

namespace {

bool hasGeometry(const Annotation &a)
{
    return a.kind != AnnotationKind::Tag && a.kind != AnnotationKind::Field;
}

bool isVertexShape(const Annotation &a)
{
    return a.kind == AnnotationKind::Polygon || a.kind == AnnotationKind::Polyline || a.kind == AnnotationKind::Points;
}

void translate(Annotation &a, QPointF delta)
{
    a.box.translate(delta);
    a.polygon.translate(delta);
}

} // namespace

bool AnnotationDocument::clipToImage(Annotation &a) const
{
    if (!hasGeometry(a))
        return true;
    const QRectF frame(0, 0, m_item.width > 0 ? m_item.width : 1e9, m_item.height > 0 ? m_item.height : 1e9);
    if (isVertexShape(a)) {
        for (QPointF &p : a.polygon)
            p = QPointF(qBound(frame.left(), p.x(), frame.right()), qBound(frame.top(), p.y(), frame.bottom()));
        a.box = a.polygon.boundingRect();
        return a.polygon.size() >= (a.kind == AnnotationKind::Polygon ? 3 : 1) && polygonUsable(a);
    }
    a.box = a.box.normalized().intersected(frame);
    return a.box.width() >= 1 && a.box.height() >= 1;
}

bool AnnotationDocument::polygonUsable(const Annotation &a)
{
    return a.kind != AnnotationKind::Polygon || (a.box.width() >= 1 && a.box.height() >= 1);
}

QVector<Id> AnnotationDocument::addAnnotations(QVector<Annotation> annotations, const QString &text)
{
    QVector<Annotation> usable;
    for (Annotation a : annotations) {
        a.id = 0;
        a.itemId = m_item.id;
        a.author = m_project.author();
        a.createdAt = 0;
        a.revision = 1;
        if (clipToImage(a))
            usable.append(a);
    }
    if (usable.isEmpty() || !m_item.id)
        return {};
    auto *cmd = new AddAnnotations(*this, m_item.id, {}, usable);
    if (!text.isEmpty())
        cmd->setText(text);
    return pushChange(cmd) ? m_lastWritten : QVector<Id>();
}

Id AnnotationDocument::addAnnotation(const Annotation &annotation)
{
    const QVector<Id> ids = addAnnotations({annotation});
    return ids.isEmpty() ? 0 : ids.first();
}

bool AnnotationDocument::removeAnnotations(const QVector<Id> &ids)
{
    QVector<Annotation> before = snapshot(ids);
    return !before.isEmpty() && pushChange(new RemoveAnnotations(*this, m_item.id, before, {}));
}

bool AnnotationDocument::moveAnnotations(const QVector<Id> &ids, QPointF delta, bool mergeable)
{
    QVector<Annotation> before = snapshot(ids);
    before.removeIf([](const Annotation &a) { return !hasGeometry(a); });
    if (before.isEmpty())
        return false;
    // Keep the moved shapes inside the image: limit delta by their joint bounds.
    QRectF bounds;
    for (const Annotation &a : before)
        bounds |= a.box;
    if (m_item.width > 0 && m_item.height > 0) {
        delta.setX(qBound(-bounds.left(), delta.x(), m_item.width - bounds.right()));
        delta.setY(qBound(-bounds.top(), delta.y(), m_item.height - bounds.bottom()));
    }
    if (delta.isNull())
        return false;
    QVector<Annotation> after = before;
    for (Annotation &a : after)
        translate(a, delta);
    return pushChange(new MoveAnnotations(*this, m_item.id, before, after, mergeable));
}

bool AnnotationDocument::editOne(Id id, const std::function<bool(Annotation &)> &edit)
{
    const Annotation *current = find(id);
    if (!current || !hasGeometry(*current))
        return false;
    Annotation next = *current;
    if (!edit(next) || !clipToImage(next))
        return false;
    if (next.box == current->box && next.polygon == current->polygon)
        return false;
    return pushChange(new EditGeometry(*this, m_item.id, {*current}, {next}));
}

bool AnnotationDocument::resizeBox(Id id, const QRectF &box)
{
    return editOne(id, [&](Annotation &a) {
        if (isVertexShape(a))
            return false;
        a.box = box.normalized();
        return true;
    });
}

bool AnnotationDocument::setVertices(Id id, const QPolygonF &polygon)
{
    return editOne(id, [&](Annotation &a) {
        if (!isVertexShape(a))
            return false;
        a.polygon = polygon;
        return true;
    });
}

bool AnnotationDocument::moveVertex(Id id, int index, const QPointF &to)
{
    return editOne(id, [&](Annotation &a) {
        if (!isVertexShape(a) || index < 0 || index >= a.polygon.size())
            return false;
        a.polygon[index] = to;
        return true;
    });
}

bool AnnotationDocument::insertVertex(Id id, int index, const QPointF &at)
{
    return editOne(id, [&](Annotation &a) {
        if (!isVertexShape(a) || index < 0 || index > a.polygon.size())
            return false;
        a.polygon.insert(index, at);
        return true;
    });
}

bool AnnotationDocument::removeVertex(Id id, int index)
{
    return editOne(id, [&](Annotation &a) {
        const int minimum = a.kind == AnnotationKind::Polygon ? 3 : 1;
        if (!isVertexShape(a) || index < 0 || index >= a.polygon.size() || a.polygon.size() <= minimum)
            return false;
        a.polygon.remove(index);
        return true;
    });
}

bool AnnotationDocument::setClass(const QVector<Id> &ids, Id classId)
{
    if (!classById(classId))
        return false;
    QVector<Annotation> before = snapshot(ids);
    before.removeIf([classId](const Annotation &a) { return a.classId == classId; });
    if (before.isEmpty())
        return false;
    QVector<Annotation> after = before;
    for (Annotation &a : after)
        a.classId = classId;
    return pushChange(new ChangeAnnotationClass(*this, m_item.id, before, after));
}

bool AnnotationDocument::setTags(const QSet<Id> &tagClassIds)
{
    QVector<Annotation> removed;
    QSet<Id> present;
    for (const Annotation &a : m_annotations) {
        if (a.kind != AnnotationKind::Tag)
            continue;
        present.insert(a.classId);
        if (!tagClassIds.contains(a.classId))
            removed.append(a);
    }
    QVector<Annotation> added;
    for (Id classId : tagClassIds) {
        if (present.contains(classId) || !classById(classId))
            continue;
        Annotation a;
        a.itemId = m_item.id;
        a.classId = classId;
        a.kind = AnnotationKind::Tag;
        a.author = m_project.author();
        added.append(a);
    }
    if (removed.isEmpty() && added.isEmpty())
        return false;
    return pushChange(new SetItemTags(*this, m_item.id, removed, added));
}

QVector<Id> AnnotationDocument::duplicate(const QVector<Id> &ids, QPointF offset)
{
    return paste(snapshot(ids), offset);
}

QVector<Id> AnnotationDocument::paste(const QVector<Annotation> &annotations, QPointF offset)
{
    QVector<Annotation> copies;
    for (Annotation a : annotations) {
        if (a.kind == AnnotationKind::Field)
            continue; // fields refer to one page's words
        translate(a, offset);
        a.runId.reset();
        a.score.reset();
        copies.append(a);
    }
    return addAnnotations(copies, QCoreApplication::translate("AnnotationDocument", "Paste %n label(s)", nullptr,
                                                              int(copies.size())));
}

core::Status AnnotationDocument::setStatus(core::ItemStatus status, const QString &comment)
{
    if (!m_item.id)
        return core::makeError(core::ErrorCode::Usage, tr("No item is open"));
    core::Status st;
    {
        const ItemSnapshots::WriteScope scope(m_snapshots, m_item.id);
        st = m_project.items().setStatus(m_item.id, status, m_project.author(), comment);
    }
    if (!st)
        return st;
    m_item.status = status;
    Q_EMIT changed({ChangeEvent::Kind::Status, {m_item.id}});
    return {};
}

} // namespace annotune::labeling
