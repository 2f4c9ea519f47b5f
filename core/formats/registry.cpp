#include "registry.h"

#include "cvatformat.h"
#include "labelme.h"
#include "labelstudio.h"
#include "voc.h"
#include "yolo.h"
#include "coco.h"

namespace annotune::core::formats {

// Each format adds its entry here as it lands.
const QVector<FormatInfo> &allFormats()
{
    static const QVector<FormatInfo> formats{
        {QStringLiteral("cvat"), QStringLiteral("CVAT for images 1.1 XML"), false, readCvat, writeCvat, cvatImagesRoot},
        {QStringLiteral("labelme"), QStringLiteral("labelme JSON files, one per image (a file or a folder)"), true, readLabelme, writeLabelme, labelmeImagesRoot},
        {QStringLiteral("label-studio"), QStringLiteral("Label Studio JSON task export"), false, readLabelStudio, writeLabelStudio, labelStudioImagesRoot},
        {QStringLiteral("yolo"), QStringLiteral("YOLO labels (Ultralytics, darknet, flat; boxes and segmentation)"), true, readYolo, writeYolo, yoloImagesRoot},
        {QStringLiteral("voc"), QStringLiteral("Pascal VOC XML (Annotations, ImageSets, JPEGImages)"), true, readVoc, writeVoc, vocImagesRoot},
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
