// The document-page intents of AnnotationDocument: fields over words, links between entities.
// (OCR corrections are in documentwords.cpp.)

#include "annotationdocument.h"

#include "commands/addannotations.h"
#include "commands/annotationchange.h"
#include "commands/linkcommands.h"
#include "core/store/annotationrepository.h"
#include "core/store/linkrepository.h"
#include "core/store/project.h"
#include "fieldvalue.h"

#include <QCoreApplication>
#include <algorithm>

namespace annotune::labeling {

using core::Annotation;
using core::AnnotationKind;
using core::AnnotationLink;
using core::Id;

core::Status AnnotationDocument::readPage()
{
    m_words.clear();
    m_links.clear();
    if (m_item.kind != core::ItemKind::DocumentPage)
        return {};
    auto words = m_project.annotations().words(m_item.id);
    if (!words)
        return words.error();
    auto links = m_project.links().forItem(m_item.id);
    if (!links)
        return links.error();
    m_words = *words;
    m_links = *links;
    return {};
}

const core::Word *AnnotationDocument::findWord(Id id) const
{
    for (const core::Word &w : m_words)
        if (w.id == id)
            return &w;
    return nullptr;
}

// a with wordIds (known words only) in reading order, its raw text, value and box following them.
Annotation AnnotationDocument::fieldOver(Annotation a, QVector<Id> wordIds) const
{
    QVector<const core::Word *> words;
    for (Id id : wordIds)
        if (const core::Word *w = findWord(id); w && std::none_of(words.begin(), words.end(), [&](auto *x) { return x == w; }))
            words.append(w);
    std::stable_sort(words.begin(), words.end(), [](auto *x, auto *y) { return x->index < y->index; });
    QStringList text;
    a.wordIds.clear();
    a.box = {};
    for (const core::Word *w : words) {
        a.wordIds.append(w->id);
        text << w->text;
        a.box = a.box.isNull() ? w->box : a.box.united(w->box);
    }
    a.kind = AnnotationKind::Field;
    a.rawText = text.join(u' ');
    const core::LabelClass *c = classById(a.classId);
    a.value = normaliseValue(fieldTypeForName(c ? c->name : QString()), a.rawText);
    return a;
}

Id AnnotationDocument::assignWordsToField(const QVector<Id> &wordIds, Id classId)
{
    if (!m_item.id || !classById(classId) || wordIds.isEmpty())
        return 0;
    Annotation field;
    field.itemId = m_item.id;
    field.classId = classId;
    field.author = m_project.author();
    field = fieldOver(field, wordIds);
    if (field.wordIds.isEmpty())
        return 0;
    const QSet<Id> taken(field.wordIds.begin(), field.wordIds.end());
    QVector<Annotation> before, after;
    for (const Annotation &a : m_annotations) {
        if (a.kind != AnnotationKind::Field || std::none_of(a.wordIds.begin(), a.wordIds.end(), [&](Id w) { return taken.contains(w); }))
            continue;
        before.append(a);
        QVector<Id> kept;
        for (Id w : a.wordIds)
            if (!taken.contains(w))
                kept.append(w);
        if (!kept.isEmpty())
            after.append(fieldOver(a, kept));
    }
    after.append(field);
    auto *cmd = new AnnotationChange(*this, m_item.id, before, after,
                                     QCoreApplication::translate("AnnotationDocument", "Label %1 as %2")
                                         .arg(field.rawText.left(24), classById(classId)->name));
    if (!pushChange(cmd))
        return 0;
    for (Id id : m_lastWritten)
        if (const Annotation *a = find(id); a && a->classId == classId && a->wordIds == field.wordIds)
            return id;
    return 0;
}

bool AnnotationDocument::setFieldWords(Id annotationId, const QVector<Id> &wordIds)
{
    const Annotation *a = find(annotationId);
    if (!a || a->kind != AnnotationKind::Field)
        return false;
    const Annotation next = fieldOver(*a, wordIds);
    if (next.wordIds.isEmpty() || next.wordIds == a->wordIds)
        return false;
    return pushChange(new AnnotationChange(*this, m_item.id, {*a}, {next},
                                           QCoreApplication::translate("AnnotationDocument", "Change words of a field")));
}

bool AnnotationDocument::setFieldValue(Id annotationId, const QString &value)
{
    const Annotation *a = find(annotationId);
    if (!a || a->kind != AnnotationKind::Field || a->value == value)
        return false;
    Annotation next = *a;
    next.value = value;
    return pushChange(new AnnotationChange(*this, m_item.id, {*a}, {next},
                                           QCoreApplication::translate("AnnotationDocument", "Edit value to %1").arg(value)));
}

Id AnnotationDocument::addLink(Id fromId, Id toId)
{
    if (fromId == toId || !find(fromId) || !find(toId))
        return 0;
    for (const AnnotationLink &l : m_links)
        if (l.fromId == fromId && l.toId == toId)
            return 0;
    AnnotationLink link;
    link.fromId = fromId;
    link.toId = toId;
    auto *cmd = new AddLink(*this, m_item.id, link);
    if (!pushChange(cmd))
        return 0;
    return cmd->link().id;
}

bool AnnotationDocument::removeLink(Id linkId)
{
    for (const AnnotationLink &l : m_links)
        if (l.id == linkId)
            return pushChange(new RemoveLink(*this, m_item.id, l));
    return false;
}

core::Result<QVector<AnnotationLink>> AnnotationDocument::applyLinkChange(Id itemId, const QVector<AnnotationLink> &remove,
                                                                         const QVector<AnnotationLink> &add)
{
    QVector<AnnotationLink> stored;
    auto &repo = m_project.links();
    const QString author = m_project.author();
    core::Status st = write(itemId, [&]() -> core::Status {
        for (const AnnotationLink &l : remove)
            if (core::Status r = repo.remove(l.id, author); !r)
                return r;
        for (AnnotationLink l : add) {
            auto id = repo.add(l, author);
            if (!id)
                return id.error();
            l.id = *id;
            l.author = author;
            stored.append(l);
        }
        return {};
    });
    m_lastWriteOk = bool(st);
    if (!st)
        return st.error();
    QVector<Id> ids;
    if (itemId == m_item.id) {
        m_links.removeIf([&](const AnnotationLink &l) {
            return std::any_of(remove.begin(), remove.end(), [&](const AnnotationLink &r) { return r.id == l.id; });
        });
        m_links.append(stored);
    }
    for (const AnnotationLink &l : remove)
        ids.append(l.id);
    for (const AnnotationLink &l : stored)
        ids.append(l.id);
    m_lastWritten = ids;
    if (itemId == m_item.id)
        Q_EMIT changed({ChangeEvent::Kind::Links, ids});
    return stored;
}

} // namespace annotune::labeling
