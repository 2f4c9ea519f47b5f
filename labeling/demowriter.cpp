#include "demowriter.h"

#include "core/geometry.h"
#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "demorandom.h"

namespace annotune::labeling {

using namespace annotune::core;

namespace {

// The workflow state of a labelled item: mostly labeled, in review or approved, a few rejected.
ItemStatus labelledStatus(quint32 seed, quint32 index)
{
    DemoRandom rng(seed, DemoRandom::Stream::Status, index);
    const double u = rng.unit();
    if (u < 0.4)
        return ItemStatus::Labeled;
    if (u < 0.65)
        return ItemStatus::InReview;
    if (u < 0.92)
        return ItemStatus::Approved;
    return ItemStatus::Rejected;
}

} // namespace

Status DemoWriter::writeClasses()
{
    int position = 0;
    for (const QVector<DemoClass> *list : {&shapeClasses(), &sceneTagClasses(), &invoiceFieldClasses()}) {
        for (const DemoClass &demo : *list) {
            LabelClass c;
            c.name = demo.name;
            c.color = demo.color;
            c.kind = demo.kind;
            c.position = position++;
            if (c.kind == ClassKind::Box || c.kind == ClassKind::Polygon)
                c.hotkey = QString::number(c.position + 1);
            auto id = m_project.classes().add(c, m_project.author());
            if (!id)
                return id.error();
            c.id = *id;
            m_classes.insert(c.name, c);
        }
    }
    return {};
}

Item DemoWriter::itemFor(const MediaProbe &probe, ItemKind kind, int index) const
{
    Item it;
    it.kind = kind;
    it.path = m_project.storedMediaPath(probe.path);
    it.sizeBytes = probe.sizeBytes;
    it.sha256 = probe.sha256;
    it.width = probe.width;
    it.height = probe.height;
    it.split = splitForHash(probe.sha256);
    const quint32 statusIndex = quint32(index) * 2 + (kind == ItemKind::DocumentPage ? 1 : 0);
    it.status = leftUnlabeled(index) ? ItemStatus::Unlabeled : labelledStatus(m_seed, statusIndex);
    return it;
}

Annotation DemoWriter::shapeAnnotation(Id itemId, const ShapeObject &object) const
{
    const LabelClass c = m_classes.value(object.className);
    Annotation a;
    a.itemId = itemId;
    a.classId = c.id;
    a.box = object.outline.boundingRect();
    a.kind = c.kind == ClassKind::Polygon ? AnnotationKind::Polygon : AnnotationKind::Box;
    if (a.kind == AnnotationKind::Polygon)
        a.polygon = object.outline;
    return a;
}

Status DemoWriter::writeShapes(const QList<RenderedShapes> &shapes)
{
    QVector<Item> items;
    for (int i = 0; i < shapes.size(); ++i)
        items.append(itemFor(shapes[i].probe, ItemKind::Image, i));
    auto ids = m_project.items().insertMany(items, m_project.author());
    if (!ids)
        return ids.error();
    QVector<Annotation> labels;
    for (int i = 0; i < shapes.size(); ++i) {
        if (leftUnlabeled(i))
            continue;
        for (const ShapeObject &object : shapes[i].objects)
            labels.append(shapeAnnotation(ids->at(i), object));
        if (!shapes[i].tag.isEmpty()) {
            Annotation tag;
            tag.itemId = ids->at(i);
            tag.classId = m_classes.value(shapes[i].tag).id;
            tag.kind = AnnotationKind::Tag;
            labels.append(tag);
        }
    }
    auto inserted = m_project.annotations().insertMany(labels, m_project.author());
    if (!inserted)
        return inserted.error();
    m_report.images = int(shapes.size());
    m_report.annotations += *inserted;
    return {};
}

Status DemoWriter::writeInvoices(const QList<RenderedInvoice> &invoices)
{
    QVector<Item> pages;
    for (int i = 0; i < invoices.size(); ++i) {
        const MediaProbe &probe = invoices[i].probe;
        const Document doc{0, m_project.storedMediaPath(probe.path), probe.sha256, 1};
        auto docId = m_project.items().insertDocument(doc, m_project.author());
        if (!docId)
            return docId.error();
        Item page = itemFor(probe, ItemKind::DocumentPage, i);
        page.documentId = *docId;
        page.pageNo = 0;
        pages.append(page);
    }
    auto ids = m_project.items().insertMany(pages, m_project.author());
    if (!ids)
        return ids.error();
    QVector<Annotation> fields;
    for (int i = 0; i < invoices.size(); ++i)
        if (Status st = writeInvoiceWords(ids->at(i), invoices[i], !leftUnlabeled(i), fields); !st)
            return st;
    auto inserted = m_project.annotations().insertMany(fields, m_project.author());
    if (!inserted)
        return inserted.error();
    m_report.invoices = int(invoices.size());
    m_report.annotations += *inserted;
    return {};
}

// Stores the page's words; for a labelled page, adds its fields (over the stored word ids) to fields.
Status DemoWriter::writeInvoiceWords(Id itemId, const RenderedInvoice &invoice, bool labelled,
                                     QVector<Annotation> &fields)
{
    QVector<Word> words;
    for (int k = 0; k < invoice.words.size(); ++k)
        words.append(Word{0, itemId, k, invoice.words[k].text, invoice.words[k].box, 1.0, WordSource::Synthetic});
    if (Status st = m_project.annotations().insertWords(itemId, words); !st)
        return st;
    m_report.words += words.size();
    if (!labelled)
        return {};
    auto stored = m_project.annotations().words(itemId);
    if (!stored)
        return stored.error();
    if (stored->size() != words.size())
        return makeError(ErrorCode::Internal, QStringLiteral("item %1: %2 words stored, %3 read back")
                                                  .arg(itemId).arg(words.size()).arg(stored->size()));
    for (const InvoiceField &f : invoice.fields) {
        Annotation a;
        a.itemId = itemId;
        a.classId = m_classes.value(f.className).id;
        a.kind = AnnotationKind::Field;
        a.value = f.value;
        QStringList texts;
        for (int k : f.words) {
            a.wordIds.append(stored->at(k).id);
            texts << stored->at(k).text;
            a.box |= stored->at(k).box;
        }
        a.rawText = texts.join(QLatin1Char(' '));
        fields.append(a);
    }
    return {};
}

} // namespace annotune::labeling
