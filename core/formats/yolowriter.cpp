// Writing the Ultralytics YOLO layout through a staged folder.

#include "stagedfolder.h"
#include "textlines.h"
#include "yolo.h"

#include <QFileInfo>
#include <QSet>

namespace annotune::core::formats {
namespace {

QString splitFolder(Split s)
{
    switch (s) {
    case Split::Val: return QStringLiteral("val");
    case Split::Test: return QStringLiteral("test");
    case Split::Train: break;
    }
    return QStringLiteral("train");
}

// A stem not yet used in this split's folder ("a", "a-2", ...), compared case-insensitively.
QString uniqueStem(QSet<QString> &used, const QString &stem)
{
    QString candidate = stem.isEmpty() ? QStringLiteral("image") : stem;
    for (int n = 2; used.contains(candidate.toLower()); ++n)
        candidate = QStringLiteral("%1-%2").arg(stem).arg(n);
    used.insert(candidate.toLower());
    return candidate;
}

QString boxLine(int cls, const QRectF &b, int w, int h)
{
    return QStringLiteral("%1 %2 %3 %4 %5").arg(cls).arg(formatNumber(b.center().x() / w), formatNumber(b.center().y() / h),
                                                        formatNumber(b.width() / w), formatNumber(b.height() / h));
}

// The line for one label, or an empty string when YOLO has no place for it; conversions and
// left-out labels are counted in loss.
QString labelLine(const LabelRecord &l, int w, int h, ExportLoss &loss)
{
    if (l.score)
        loss.add(QStringLiteral("scores (not carried by YOLO label files)"));
    switch (l.kind) {
    case AnnotationKind::Box:
        break;
    case AnnotationKind::Polygon: {
        QStringList parts{QString::number(l.classIndex)};
        for (const QPointF &p : l.polygon)
            parts << formatNumber(p.x() / w) << formatNumber(p.y() / h);
        if (!l.attributes.isEmpty())
            loss.add(QStringLiteral("label attributes (not carried by YOLO)"));
        return parts.join(QLatin1Char(' '));
    }
    case AnnotationKind::Ellipse:
        loss.add(QStringLiteral("ellipses written as their bounding boxes"));
        return boxLine(l.classIndex, l.box, w, h);
    case AnnotationKind::Mask:
        loss.add(QStringLiteral("masks written as their bounding boxes"));
        return boxLine(l.classIndex, l.box, w, h);
    default:
        loss.add(QStringLiteral("%1 labels (no place in YOLO)").arg(toText(l.kind)));
        return {};
    }
    if (!l.attributes.isEmpty())
        loss.add(QStringLiteral("label attributes (not carried by YOLO)"));
    return boxLine(l.classIndex, l.box, w, h);
}

QString quoted(const QString &s)
{
    QString e = s;
    e.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + e + QLatin1Char('"');
}

QByteArray dataYaml(const Dataset &ds, const QSet<Split> &splits)
{
    QString text = QStringLiteral("# Ultralytics YOLO dataset written by Annotune\npath: .\n");
    for (Split s : kAllSplits)
        if (splits.contains(s))
            text += QStringLiteral("%1: images/%1\n").arg(splitFolder(s));
    text += QStringLiteral("nc: %1\nnames:\n").arg(ds.classes.size());
    for (qsizetype i = 0; i < ds.classes.size(); ++i)
        text += QStringLiteral("  %1: %2\n").arg(i).arg(quoted(ds.classes[i].name));
    return text.toUtf8();
}

} // namespace

Result<WriteReport> writeYolo(const Dataset &ds, const QString &out, const WriteOptions &options)
{
    StagedFolder staged;
    if (Status st = staged.begin(out); !st)
        return st.error();
    WriteReport report;
    QHash<Split, QSet<QString>> stems;
    QSet<Split> splits;
    qint64 boxes = 0, polygons = 0;
    for (const ImageRecord &img : ds.images) {
        if (cancelled(options.cancel))
            return makeError(ErrorCode::Cancelled, QStringLiteral("%1: export cancelled; nothing was written").arg(out));
        const Split split = img.split.value_or(Split::Train);
        splits.insert(split);
        const QFileInfo media(img.fileName);
        const QString stem = uniqueStem(stems[split], media.completeBaseName());
        QStringList lines;
        if (img.width <= 0 || img.height <= 0) {
            if (!img.labels.isEmpty())
                report.loss.add(QStringLiteral("labels on images of unknown size"), img.labels.size());
        } else {
            for (const LabelRecord &l : img.labels) {
                const QString line = labelLine(l, img.width, img.height, report.loss);
                if (line.isEmpty())
                    continue;
                lines << line;
                ++(l.kind == AnnotationKind::Polygon ? polygons : boxes);
            }
        }
        const QString folder = splitFolder(split);
        QByteArray text = lines.join(QLatin1Char('\n')).toUtf8();
        if (!lines.isEmpty())
            text += '\n';
        if (Status st = staged.writeFile(QStringLiteral("labels/%1/%2.txt").arg(folder, stem), text); !st)
            return st.error();
        if (options.copyImages) {
            if (!QFileInfo::exists(img.mediaPath))
                report.loss.add(QStringLiteral("images not copied (media file missing)"));
            else if (Status st = staged.copyFile(img.mediaPath, QStringLiteral("images/%1/%2.%3").arg(folder, stem, media.suffix())); !st)
                return st.error();
        }
        ++report.images;
        report.labels += lines.size();
    }
    if (boxes && polygons)
        report.loss.add(QStringLiteral("note: boxes and polygons mixed (YOLO trainers expect one kind); polygons kept as segmentation lines"), polygons);
    if (Status st = staged.writeFile(QStringLiteral("data.yaml"), dataYaml(ds, splits)); !st)
        return st.error();
    if (Status st = staged.commit(); !st)
        return st.error();
    return report;
}

} // namespace annotune::core::formats
