#include "datasetexport.h"

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"

namespace annotune::core::formats {

Result<Dataset> collectDataset(store::Project &project, const ExportFilter &filter, ExportLoss *loss)
{
    Dataset ds;
    ds.source = project.path();
    auto classes = project.classes().list();
    if (!classes)
        return classes.error();
    QHash<Id, int> classIndex;
    for (const LabelClass &c : *classes) {
        if (c.kind == ClassKind::Field || (!filter.classNames.isEmpty() && !filter.classNames.contains(c.name)))
            continue;
        const int index = ds.classIndex(c.name, c.kind);
        ds.classes[index].id = c.id;
        classIndex.insert(c.id, index);
    }
    store::ItemFilter itemFilter;
    if (filter.approvedOnly)
        itemFilter.status = ItemStatus::Approved;
    itemFilter.split = filter.split;
    if (!filter.includeDocuments)
        itemFilter.kind = ItemKind::Image;
    QHash<Id, int> imageIndex;
    Status st = project.items().forEach(itemFilter, [&](const Item &it) {
        ImageRecord img;
        img.fileName = it.path;
        img.mediaPath = project.absoluteMediaPath(it.path);
        img.width = it.width;
        img.height = it.height;
        img.status = it.status;
        img.split = it.split;
        img.where = QStringLiteral("item %1").arg(it.id);
        img.itemId = it.id;
        imageIndex.insert(it.id, int(ds.images.size()));
        ds.images.append(img);
        return true;
    });
    if (!st)
        return st.error();
    st = project.annotations().forEachLabel([&](const Annotation &a) {
        auto img = imageIndex.constFind(a.itemId);
        if (img == imageIndex.constEnd())
            return true;
        auto cls = classIndex.constFind(a.classId);
        if (cls == classIndex.constEnd()) {
            if (loss && a.kind == AnnotationKind::Field)
                loss->add(QStringLiteral("document fields (no place in image formats)"));
            return true;
        }
        LabelRecord l;
        l.classIndex = *cls;
        l.kind = a.kind;
        l.box = a.box;
        l.polygon = a.polygon;
        l.score = a.score;
        l.attributes = a.attributes;
        ds.images[*img].labels.append(std::move(l));
        return true;
    });
    if (!st)
        return st.error();
    return ds;
}

} // namespace annotune::core::formats
