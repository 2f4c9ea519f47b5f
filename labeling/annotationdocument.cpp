#include "annotationdocument.h"

#include "commands/addannotations.h"
#include "commands/changeannotationclass.h"
#include "commands/editgeometry.h"
#include "commands/moveannotations.h"
#include "commands/removeannotations.h"
#include "commands/setitemtags.h"
#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/linkrepository.h"
#include "core/store/project.h"

#include <QUndoStack>

namespace annotune::labeling {

using core::Annotation;
using core::AnnotationKind;
using core::Id;

AnnotationDocument::AnnotationDocument(core::store::Project &project, QObject *parent)
    : QObject(parent), m_project(project), m_group(this), m_snapshots(project)
{
}

AnnotationDocument::~AnnotationDocument() = default;

core::Status AnnotationDocument::readClasses()
{
    auto classes = m_project.classes().list();
    if (!classes)
        return classes.error();
    m_classes = *classes;
    return {};
}

core::Status AnnotationDocument::load(Id itemId)
{
    std::optional<ItemSnapshots::Snapshot> read = m_snapshots.take(itemId);
    if (!read) {
        auto item = m_project.items().get(itemId);
        if (!item)
            return item.error();
        auto annotations = m_project.annotations().forItem(itemId);
        if (!annotations)
            return annotations.error();
        read = ItemSnapshots::Snapshot{*item, *annotations};
    }
    if (core::Status st = readClasses(); !st)
        return st;
    m_item = std::move(read->item);
    m_annotations = std::move(read->annotations);
    reindex();
    if (core::Status st = readPage(); !st)
        return st;
    QUndoStack *&stack = m_stacks[itemId];
    if (!stack)
        stack = new QUndoStack(&m_group);
    m_group.setActiveStack(stack);
    Q_EMIT changed({ChangeEvent::Kind::Loaded, {}});
    return {};
}

void AnnotationDocument::prefetch(const QVector<Id> &itemIds)
{
    QVector<Id> others = itemIds;
    others.removeAll(m_item.id);
    m_snapshots.prefetch(others);
}

core::Status AnnotationDocument::write(Id itemId, const std::function<core::Status()> &fn)
{
    const ItemSnapshots::WriteScope scope(m_snapshots, itemId);
    return m_project.transaction(fn);
}

core::Status AnnotationDocument::reload(bool clearHistory)
{
    if (clearHistory) {
        m_group.setActiveStack(nullptr);
        qDeleteAll(m_stacks);
        m_stacks.clear();
    }
    if (m_item.id)
        return load(m_item.id);
    core::Status st = readClasses();
    Q_EMIT changed({ChangeEvent::Kind::Classes, {}});
    return st;
}

void AnnotationDocument::clear()
{
    m_item = {};
    m_annotations.clear();
    m_index.clear();
    m_words.clear();
    m_links.clear();
    m_group.setActiveStack(nullptr);
    Q_EMIT changed({ChangeEvent::Kind::Loaded, {}});
}

void AnnotationDocument::reindex()
{
    m_index.clear();
    m_index.reserve(m_annotations.size());
    for (int i = 0; i < m_annotations.size(); ++i)
        m_index.insert(m_annotations[i].id, i);
}

const Annotation *AnnotationDocument::find(Id id) const
{
    const auto it = m_index.constFind(id);
    return it == m_index.cend() ? nullptr : &m_annotations[*it];
}

const core::LabelClass *AnnotationDocument::classById(Id id) const
{
    for (const core::LabelClass &c : m_classes)
        if (c.id == id)
            return &c;
    return nullptr;
}

QSet<Id> AnnotationDocument::tagClassIds() const
{
    QSet<Id> out;
    for (const Annotation &a : m_annotations)
        if (a.kind == AnnotationKind::Tag)
            out.insert(a.classId);
    return out;
}

QUndoStack *AnnotationDocument::undoStack() const
{
    return m_group.activeStack();
}

void AnnotationDocument::undo()
{
    if (QUndoStack *s = undoStack())
        s->undo();
}

void AnnotationDocument::redo()
{
    if (QUndoStack *s = undoStack())
        s->redo();
}

core::Result<QVector<Annotation>> AnnotationDocument::applyChange(Id itemId, const QVector<Annotation> &from,
                                                                   const QVector<Annotation> &to)
{
    QSet<Id> fromIds, toIds;
    for (const Annotation &a : from)
        fromIds.insert(a.id);
    for (const Annotation &a : to)
        toIds.insert(a.id);
    QVector<Id> removed;
    for (const Annotation &a : from)
        if (!toIds.contains(a.id))
            removed.append(a.id);
    QVector<Annotation> stored;
    auto &repo = m_project.annotations();
    const QString author = m_project.author();
    core::Status st = write(itemId, [&]() -> core::Status {
        for (Id id : removed)
            if (core::Status r = repo.remove(id, author); !r)
                return r;
        for (Annotation a : to) {
            if (!a.id) { // a new annotation: an id above any this session has seen (see maxId)
                auto top = repo.maxId();
                if (!top)
                    return top.error();
                a.id = std::max(*top, m_highWater) + 1;
                m_highWater = a.id;
            }
            Id id = a.id;
            if (fromIds.contains(a.id)) {
                if (core::Status u = repo.update(a, author); !u)
                    return u;
            } else if (auto added = repo.add(a, author); added) {
                id = *added;
            } else {
                return added.error();
            }
            auto row = repo.get(id);
            if (!row)
                return row.error();
            stored.append(*row);
        }
        return {};
    });
    m_lastWriteOk = bool(st);
    if (!st)
        return st.error(); // ids handed out in the failed transaction stay unused: harmless
    m_lastWritten.clear();
    for (const Annotation &a : stored)
        m_lastWritten.append(a.id);
    if (itemId == m_item.id) {
        mirror(removed, stored);
        if (!removed.isEmpty() && !m_links.isEmpty()) // the store dropped the links of removed annotations
            if (auto links = m_project.links().forItem(itemId))
                m_links = *links;
        const auto kind = from.isEmpty() ? ChangeEvent::Kind::Added
                          : to.isEmpty() ? ChangeEvent::Kind::Removed
                                         : ChangeEvent::Kind::Modified;
        QVector<Id> ids = removed;
        ids += m_lastWritten;
        Q_EMIT changed({kind, ids});
    }
    return stored;
}

// Applies a successful write to the in-memory list, keeping id order.
void AnnotationDocument::mirror(const QVector<Id> &removed, const QVector<Annotation> &stored)
{
    const QSet<Id> gone(removed.begin(), removed.end());
    bool appended = false;
    if (!gone.isEmpty())
        m_annotations.removeIf([&](const Annotation &a) { return gone.contains(a.id); });
    if (!gone.isEmpty())
        reindex();
    for (const Annotation &a : stored) {
        if (const auto it = m_index.constFind(a.id); it != m_index.cend()) {
            m_annotations[*it] = a;
        } else {
            m_annotations.append(a);
            appended = true;
        }
    }
    if (appended) {
        std::sort(m_annotations.begin(), m_annotations.end(),
                  [](const Annotation &a, const Annotation &b) { return a.id < b.id; });
        reindex();
    }
}

bool AnnotationDocument::pushChange(QUndoCommand *command)
{
    QUndoStack *stack = undoStack();
    if (!stack || m_project.readOnly()) {
        delete command;
        if (m_project.readOnly())
            Q_EMIT writeFailed(tr("This project is open read-only"));
        return false;
    }
    m_lastWriteOk = false;
    stack->push(command);
    return m_lastWriteOk;
}

QVector<Annotation> AnnotationDocument::snapshot(const QVector<Id> &ids) const
{
    QVector<Annotation> out;
    for (Id id : ids)
        if (const Annotation *a = find(id))
            out.append(*a);
    return out;
}

} // namespace annotune::labeling
