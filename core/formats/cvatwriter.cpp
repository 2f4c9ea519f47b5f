#include "cvatformat.h"
#include "cvatshapes.h"

#include <QMap>
#include <QSaveFile>
#include <QSet>
#include <QXmlStreamWriter>

namespace annotune::core::formats {
namespace {

// CVAT's own attributes on a shape element; every other scalar extra becomes an <attribute> child.
const QSet<QString> &elementKeys()
{
    static const QSet<QString> keys{QStringLiteral("occluded"), QStringLiteral("z_order"), QStringLiteral("source"),
                                    QStringLiteral("group_id"), QStringLiteral("rotation"), QStringLiteral("rle"),
                                    QStringLiteral("attributes")};
    return keys;
}

QString valueText(const QJsonValue &v)
{
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble())
        return cvat::numberText(v.toDouble());
    return v.toString();
}

// A label's <attribute> children by name: its CVAT attributes, then other formats' scalar extras.
QMap<QString, QString> childAttributes(const LabelRecord &l, ExportLoss &loss)
{
    QMap<QString, QString> out;
    const QJsonObject values = l.attributes.value(QStringLiteral("attributes")).toObject();
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        out.insert(it.key(), valueText(*it));
    for (auto it = l.attributes.constBegin(); it != l.attributes.constEnd(); ++it) {
        if (elementKeys().contains(it.key()))
            continue;
        if (it->isObject() || it->isArray())
            loss.add(QStringLiteral("structured label attributes (%1)").arg(it.key()));
        else
            out.insert(it.key(), valueText(*it));
    }
    if (l.kind == AnnotationKind::Box || l.kind == AnnotationKind::Ellipse)
        return out; // rotation is an attribute of the element itself
    if (l.attributes.contains(QStringLiteral("rotation")))
        out.insert(QStringLiteral("rotation"), valueText(l.attributes.value(QStringLiteral("rotation"))));
    return out;
}

// Attribute values seen per class, so <meta> can declare them (checkbox when all are true/false).
using AttributeValues = QVector<QMap<QString, QSet<QString>>>;

void writeLabelAttributes(QXmlStreamWriter &xml, const QMap<QString, QSet<QString>> &attributes)
{
    xml.writeStartElement(QStringLiteral("attributes"));
    for (auto it = attributes.constBegin(); it != attributes.constEnd(); ++it) {
        QStringList values(it->constBegin(), it->constEnd());
        values.sort();
        const bool checkbox = std::all_of(values.cbegin(), values.cend(), [](const QString &v) { return v == u"true" || v == u"false"; });
        xml.writeStartElement(QStringLiteral("attribute"));
        xml.writeTextElement(QStringLiteral("name"), it.key());
        xml.writeTextElement(QStringLiteral("mutable"), QStringLiteral("False"));
        xml.writeTextElement(QStringLiteral("input_type"), checkbox ? QStringLiteral("checkbox") : QStringLiteral("text"));
        xml.writeTextElement(QStringLiteral("default_value"), checkbox ? QStringLiteral("false") : values.value(0));
        xml.writeTextElement(QStringLiteral("values"), checkbox ? QStringLiteral("false\ntrue") : values.value(0));
        xml.writeEndElement();
    }
    xml.writeEndElement();
}

void writeMeta(QXmlStreamWriter &xml, const Dataset &ds, const AttributeValues &attributes)
{
    xml.writeStartElement(QStringLiteral("meta"));
    xml.writeStartElement(QStringLiteral("task"));
    xml.writeTextElement(QStringLiteral("size"), QString::number(ds.images.size()));
    xml.writeTextElement(QStringLiteral("mode"), QStringLiteral("annotation"));
    xml.writeStartElement(QStringLiteral("labels"));
    for (qsizetype i = 0; i < ds.classes.size(); ++i) {
        xml.writeStartElement(QStringLiteral("label"));
        xml.writeTextElement(QStringLiteral("name"), ds.classes[i].name);
        xml.writeTextElement(QStringLiteral("type"), cvatLabelType(ds.classes[i].kind));
        writeLabelAttributes(xml, attributes[i]);
        xml.writeEndElement();
    }
    xml.writeEndElement(); // labels
    xml.writeEndElement(); // task
    xml.writeEndElement(); // meta
}

QString subsetName(Split split)
{
    switch (split) {
    case Split::Train: return QStringLiteral("Train");
    case Split::Val: return QStringLiteral("Validation");
    case Split::Test: return QStringLiteral("Test");
    }
    return {};
}

// One <image> with its shapes; counts what it writes and what it cannot carry.
void writeImage(QXmlStreamWriter &xml, const Dataset &ds, qsizetype index, WriteReport &report)
{
    const ImageRecord &img = ds.images[index];
    xml.writeStartElement(QStringLiteral("image"));
    xml.writeAttribute(QStringLiteral("id"), QString::number(index));
    xml.writeAttribute(QStringLiteral("name"), img.fileName);
    xml.writeAttribute(QStringLiteral("width"), QString::number(img.width));
    xml.writeAttribute(QStringLiteral("height"), QString::number(img.height));
    if (img.split)
        xml.writeAttribute(QStringLiteral("subset"), subsetName(*img.split));
    if (img.status && (*img.status == ItemStatus::Approved || *img.status == ItemStatus::InReview || *img.status == ItemStatus::Rejected))
        report.loss.add(QStringLiteral("review status of images (approved, in review, rejected)"));
    for (const LabelRecord &l : img.labels) {
        const QString element = cvat::elementFor(l);
        if (element.isEmpty()) {
            report.loss.add(l.kind == AnnotationKind::Mask    ? QStringLiteral("masks without CVAT run lengths")
                            : l.kind == AnnotationKind::Field ? QStringLiteral("document fields (no place in image formats)")
                                                              : QStringLiteral("%1 labels").arg(toText(l.kind)));
            continue;
        }
        if (l.score)
            report.loss.add(QStringLiteral("scores"));
        xml.writeStartElement(element);
        xml.writeAttribute(QStringLiteral("label"), ds.classes.value(l.classIndex).name);
        cvat::writeShapeAttributes(xml, l);
        const QMap<QString, QString> children = childAttributes(l, report.loss);
        for (auto it = children.constBegin(); it != children.constEnd(); ++it) {
            xml.writeStartElement(QStringLiteral("attribute"));
            xml.writeAttribute(QStringLiteral("name"), it.key());
            xml.writeCharacters(*it);
            xml.writeEndElement();
        }
        xml.writeEndElement();
        ++report.labels;
    }
    xml.writeEndElement();
    ++report.images;
}

AttributeValues collectAttributeValues(const Dataset &ds)
{
    AttributeValues out(ds.classes.size());
    ExportLoss ignored; // counted when the shapes are written
    for (const ImageRecord &img : ds.images)
        for (const LabelRecord &l : img.labels)
            if (l.classIndex >= 0 && l.classIndex < out.size()) {
                const QMap<QString, QString> children = childAttributes(l, ignored);
                for (auto it = children.constBegin(); it != children.constEnd(); ++it)
                    out[l.classIndex][it.key()].insert(*it);
            }
    return out;
}

} // namespace

Result<WriteReport> writeCvat(const Dataset &ds, const QString &out, const WriteOptions &options)
{
    QSaveFile file(out);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write (%2)").arg(out, file.errorString()));
    QXmlStreamWriter xml(&file);
    xml.setAutoFormatting(true);
    xml.setAutoFormattingIndent(2);
    xml.writeStartDocument();
    xml.writeStartElement(QStringLiteral("annotations"));
    xml.writeTextElement(QStringLiteral("version"), QStringLiteral("1.1"));
    writeMeta(xml, ds, collectAttributeValues(ds));
    WriteReport report;
    for (qsizetype i = 0; i < ds.images.size(); ++i) {
        if (cancelled(options.cancel)) {
            file.cancelWriting();
            return makeError(ErrorCode::Cancelled, QStringLiteral("%1: export cancelled; nothing was written").arg(out));
        }
        writeImage(xml, ds, i, report);
    }
    xml.writeEndDocument();
    if (xml.hasError() || !file.commit())
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write (%2)").arg(out, file.errorString()));
    return report;
}

} // namespace annotune::core::formats
