#include "registry.h"

#include "voc.h"
#include "yolo.h"

namespace annotune::core::formats {

// Each format adds its entry here as it lands.
const QVector<FormatInfo> &allFormats()
{
    static const QVector<FormatInfo> formats{
        {QStringLiteral("yolo"), QStringLiteral("YOLO labels (Ultralytics, darknet, flat; boxes and segmentation)"), true, readYolo, writeYolo, yoloImagesRoot},
        {QStringLiteral("voc"), QStringLiteral("Pascal VOC XML (Annotations, ImageSets, JPEGImages)"), true, readVoc, writeVoc, vocImagesRoot},
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
