#include "registry.h"

#include "coco.h"

namespace annotune::core::formats {

// Each format adds its entry here as it lands.
const QVector<FormatInfo> &allFormats()
{
    static const QVector<FormatInfo> formats{
        {QStringLiteral("coco"), QStringLiteral("COCO instances JSON (boxes, polygons, RLE masks)"), false, readCoco, writeCoco, cocoImagesRoot},
        {QStringLiteral("coco-results"), QStringLiteral("COCO results JSON (detections by project item and class id)"), false, readCocoResults, nullptr, cocoImagesRoot},
    };
    return formats;
}

const FormatInfo *findFormat(const QString &name)
{
    for (const FormatInfo &f : allFormats())
        if (f.name.compare(name, Qt::CaseInsensitive) == 0)
            return &f;
    return nullptr;
}

} // namespace annotune::core::formats
