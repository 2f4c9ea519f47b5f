#include "cocoexport.h"

#include "core/geometry.h"
#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "jsonwriter.h"

#include <QDateTime>
#include <QHash>
#include <QSaveFile>

namespace annotune::core::formats {

Result<ExportReport> exportCoco(store::Project &project, const QString &out, const ExportOptions &options)
{
    auto classes = project.classes().list();
    if (!classes)
        return classes.error();
    QHash<Id, bool> exported; // class id -> exported as a COCO category
    for (const LabelClass &c : *classes)
        exported.insert(c.id, (c.kind == ClassKind::Box || c.kind == ClassKind::Polygon)
                                  && (options.classNames.isEmpty() || options.classNames.contains(c.name)));

    QSaveFile file(out);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write (%2)").arg(out, file.errorString()));
    ExportReport report;
    {
        JsonWriter w(file);
        w.raw("{\"info\":{").key("description").string(QStringLiteral("Annotune export of %1").arg(project.name()));
        w.raw(',').key("date_created").string(QDateTime::currentDateTimeUtc().toString(Qt::ISODate)).raw("},");
        w.key("licenses").raw("[],").key("categories").raw('[');
        bool first = true;
        for (const LabelClass &c : *classes) {
            if (!exported.value(c.id))
                continue;
            w.raw(first ? "" : ",").raw("{").key("id").number(qint64(c.id)).raw(',').key("name").string(c.name);
            w.raw(',').key("supercategory").string(QString()).raw('}');
            first = false;
        }
        w.raw("],").key("images").raw('[');
        store::ItemFilter filter;
        if (options.approvedOnly)
            filter.status = ItemStatus::Approved;
        filter.split = options.split;
        QSet<Id> images;
        first = true;
        Status st = project.items().forEach(filter, [&](const Item &it) {
            images.insert(it.id);
            w.raw(first ? "{" : ",{").key("id").number(qint64(it.id)).raw(',').key("file_name").string(it.path);
            w.raw(',').key("width").number(qint64(it.width)).raw(',').key("height").number(qint64(it.height)).raw('}');
            first = false;
            return !w.failed();
        });
        if (!st)
            return st.error();
        w.raw("],").key("annotations").raw('[');
        first = true;
        st = project.annotations().forEach([&](const Annotation &a) {
            if (!images.contains(a.itemId))
                return true;
            const bool geometric = a.kind == AnnotationKind::Box || a.kind == AnnotationKind::Polygon;
            if (!geometric || !exported.value(a.classId)) {
                report.skipped += (!geometric && options.classNames.isEmpty()) ? 1 : 0;
                return true;
            }
            const QRectF box = a.kind == AnnotationKind::Polygon ? a.polygon.boundingRect() : a.box;
            w.raw(first ? "{" : ",{").key("id").number(qint64(a.id)).raw(',').key("image_id").number(qint64(a.itemId));
            w.raw(',').key("category_id").number(qint64(a.classId)).raw(',').key("bbox").raw('[');
            w.number(box.x()).raw(',').number(box.y()).raw(',').number(box.width()).raw(',').number(box.height()).raw("],");
            w.key("area").number(a.kind == AnnotationKind::Polygon ? polygonArea(a.polygon) : box.width() * box.height());
            w.raw(',').key("iscrowd").raw('0').raw(',').key("segmentation").raw('[');
            if (a.kind == AnnotationKind::Polygon) {
                w.raw('[');
                for (qsizetype i = 0; i < a.polygon.size(); ++i)
                    w.raw(i ? "," : "").number(a.polygon[i].x()).raw(',').number(a.polygon[i].y());
                w.raw(']');
            }
            w.raw("]");
            if (a.score)
                w.raw(',').key("score").number(*a.score);
            w.raw('}');
            first = false;
            ++report.annotations;
            return !w.failed();
        });
        if (!st)
            return st.error();
        w.raw("]}\n");
        report.images = images.size();
        if (!w.flush())
            return makeError(ErrorCode::Io, QStringLiteral("%1: write failed (%2)").arg(out, file.errorString()));
    }
    if (!file.commit())
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot finish writing (%2)").arg(out, file.errorString()));
    return report;
}

} // namespace annotune::core::formats
