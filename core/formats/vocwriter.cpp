// Writing a Pascal VOC folder through a staged folder.

#include "stagedfolder.h"
#include "textlines.h"
#include "voc.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QSet>
#include <QXmlStreamWriter>

namespace annotune::core::formats {
namespace {

const QSet<QString> kCarried{QStringLiteral("difficult"), QStringLiteral("truncated"), QStringLiteral("occluded"),
                             QStringLiteral("pose"), QStringLiteral("parts"), QStringLiteral("actions")};

bool on(const QJsonObject &a, const char *key) { return a.value(QLatin1String(key)).toBool(); }

void writeBox(QXmlStreamWriter &x, const VocBox &b)
{
    x.writeStartElement(QStringLiteral("bndbox"));
    x.writeTextElement(QStringLiteral("xmin"), formatNumber(b.xmin));
    x.writeTextElement(QStringLiteral("ymin"), formatNumber(b.ymin));
    x.writeTextElement(QStringLiteral("xmax"), formatNumber(b.xmax));
    x.writeTextElement(QStringLiteral("ymax"), formatNumber(b.ymax));
    x.writeEndElement();
}

// Counts what VOC cannot carry for this label; false when it is left out altogether.
bool account(const LabelRecord &l, ExportLoss &loss)
{
    if (l.kind == AnnotationKind::Tag || l.kind == AnnotationKind::Field) {
        loss.add(QStringLiteral("%1 labels (no place in VOC)").arg(toText(l.kind)));
        return false;
    }
    if (l.kind != AnnotationKind::Box)
        loss.add(QStringLiteral("%1 labels written as their bounding boxes").arg(toText(l.kind)));
    if (l.score)
        loss.add(QStringLiteral("scores (not carried by VOC)"));
    for (auto it = l.attributes.constBegin(); it != l.attributes.constEnd(); ++it)
        if (!kCarried.contains(it.key()) && !(it.key() == QLatin1String("rotation") && l.kind == AnnotationKind::Ellipse)
            && !(it.key() == QLatin1String("rle") && l.kind == AnnotationKind::Mask))
            loss.add(QStringLiteral("attribute \"%1\" (not carried by VOC)").arg(it.key()));
    return true;
}

void writeObject(QXmlStreamWriter &x, const QString &className, const LabelRecord &l)
{
    const QJsonObject &a = l.attributes;
    x.writeStartElement(QStringLiteral("object"));
    x.writeTextElement(QStringLiteral("name"), className);
    x.writeTextElement(QStringLiteral("pose"), a.value(QStringLiteral("pose")).toString(QStringLiteral("Unspecified")));
    x.writeTextElement(QStringLiteral("truncated"), on(a, "truncated") ? QStringLiteral("1") : QStringLiteral("0"));
    x.writeTextElement(QStringLiteral("difficult"), on(a, "difficult") ? QStringLiteral("1") : QStringLiteral("0"));
    if (on(a, "occluded"))
        x.writeTextElement(QStringLiteral("occluded"), QStringLiteral("1"));
    writeBox(x, toVocBox(l.box));
    for (const QJsonValue &v : a.value(QStringLiteral("parts")).toArray()) {
        const QJsonObject p = v.toObject();
        x.writeStartElement(QStringLiteral("part"));
        x.writeTextElement(QStringLiteral("name"), p.value(QStringLiteral("name")).toString());
        writeBox(x, {p.value(QStringLiteral("xmin")).toDouble(), p.value(QStringLiteral("ymin")).toDouble(),
                     p.value(QStringLiteral("xmax")).toDouble(), p.value(QStringLiteral("ymax")).toDouble()});
        x.writeEndElement();
    }
    if (a.contains(QStringLiteral("actions"))) {
        x.writeStartElement(QStringLiteral("actions"));
        const QJsonObject actions = a.value(QStringLiteral("actions")).toObject();
        for (auto it = actions.constBegin(); it != actions.constEnd(); ++it)
            x.writeTextElement(it.key(), it.value().toBool() ? QStringLiteral("1") : QStringLiteral("0"));
        x.writeEndElement();
    }
    x.writeEndElement();
}

QByteArray annotationXml(const Dataset &ds, const ImageRecord &img, const QString &fileName, WriteReport &report)
{
    QByteArray out;
    QXmlStreamWriter x(&out);
    x.setAutoFormatting(true);
    x.writeStartDocument();
    x.writeStartElement(QStringLiteral("annotation"));
    x.writeTextElement(QStringLiteral("folder"), QStringLiteral("JPEGImages"));
    x.writeTextElement(QStringLiteral("filename"), fileName);
    x.writeStartElement(QStringLiteral("size"));
    x.writeTextElement(QStringLiteral("width"), QString::number(img.width));
    x.writeTextElement(QStringLiteral("height"), QString::number(img.height));
    x.writeTextElement(QStringLiteral("depth"), QStringLiteral("3"));
    x.writeEndElement();
    x.writeTextElement(QStringLiteral("segmented"), QStringLiteral("0"));
    for (const LabelRecord &l : img.labels) {
        if (!account(l, report.loss))
            continue;
        writeObject(x, ds.classes.value(l.classIndex).name, l);
        ++report.labels;
    }
    x.writeEndElement();
    x.writeEndDocument();
    return out;
}

QByteArray labelmap(const Dataset &ds)
{
    QString text = QStringLiteral("# label:color_rgb:parts:actions\n");
    for (const DatasetClass &c : ds.classes)
        text += c.name + QStringLiteral(":::\n");
    return text.toUtf8();
}

// A stem not used yet ("a", "a-2", ...), compared case-insensitively.
QString uniqueStem(QSet<QString> &used, const QString &stem)
{
    QString candidate = stem.isEmpty() ? QStringLiteral("image") : stem;
    for (int n = 2; used.contains(candidate.toLower()); ++n)
        candidate = QStringLiteral("%1-%2").arg(stem).arg(n);
    used.insert(candidate.toLower());
    return candidate;
}

} // namespace

Result<WriteReport> writeVoc(const Dataset &ds, const QString &out, const WriteOptions &options)
{
    StagedFolder staged;
    if (Status st = staged.begin(out); !st)
        return st.error();
    QDir().mkpath(staged.path() + QStringLiteral("/Annotations"));
    WriteReport report;
    QSet<QString> used;
    QHash<Split, QStringList> ids;
    for (const ImageRecord &img : ds.images) {
        if (cancelled(options.cancel))
            return makeError(ErrorCode::Cancelled, QStringLiteral("%1: export cancelled; nothing was written").arg(out));
        const QFileInfo media(img.fileName);
        const QString id = uniqueStem(used, media.completeBaseName());
        const QString fileName = media.suffix().isEmpty() ? id : id + QLatin1Char('.') + media.suffix();
        if (Status st = staged.writeFile(QStringLiteral("Annotations/%1.xml").arg(id), annotationXml(ds, img, fileName, report)); !st)
            return st.error();
        if (options.copyImages) {
            if (!QFileInfo::exists(img.mediaPath))
                report.loss.add(QStringLiteral("images not copied (media file missing)"));
            else if (Status st = staged.copyFile(img.mediaPath, QStringLiteral("JPEGImages/") + fileName); !st)
                return st.error();
        }
        ids[img.split.value_or(Split::Train)] << id;
        ++report.images;
    }
    for (Split s : kAllSplits) {
        const QByteArray list = ids.value(s).isEmpty() ? QByteArray() : (ids.value(s).join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8();
        if (Status st = staged.writeFile(QStringLiteral("ImageSets/Main/%1.txt").arg(toText(s)), list); !st)
            return st.error();
    }
    if (Status st = staged.writeFile(QStringLiteral("labelmap.txt"), labelmap(ds)); !st)
        return st.error();
    if (Status st = staged.commit(); !st)
        return st.error();
    return report;
}

} // namespace annotune::core::formats
