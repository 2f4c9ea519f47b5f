#pragma once
// The interchange formats by name: how to read one into a Dataset and write a Dataset out.
// annotune-cli's import/export commands and the GUI dialogs go through this table only.

#include "core/progress.h"
#include "core/result.h"
#include "dataset.h"

#include <QHash>

namespace annotune::core::formats {

struct ReadOptions {
    // COCO results and other files that name classes by number: number -> class name.
    // The caller fills it from the project's classes (class id -> name).
    QHash<qint64, QString> classNamesById;
    // COCO results name images by number: item id -> file name under the import's images folder.
    // The caller fills it from the project's items (stored path; images folder = project folder).
    QHash<qint64, QString> fileNamesById;
    qint64 maxImagePixels = 1'000'000'000;
    const CancelFlag *cancel = nullptr;
};

struct WriteOptions {
    bool copyImages = false;     // folder formats: copy the media beside the labels
    const CancelFlag *cancel = nullptr;
};

struct WriteReport {
    qint64 images = 0;
    qint64 labels = 0;
    ExportLoss loss;             // what the format could not carry, by reason, with counts
};

using ReadFn = Result<Dataset> (*)(const QString &path, const ReadOptions &options);
// out is a file for single-file formats and a folder for folder formats. Writers write to a
// temporary name beside out and rename into place, so a failure leaves no half-written output.
using WriteFn = Result<WriteReport> (*)(const Dataset &dataset, const QString &out, const WriteOptions &options);
// The folder image file names in `path` are relative to, when the user does not choose one.
using ImagesRootFn = QString (*)(const QString &path);

struct FormatInfo {
    QString name;                // "coco", "yolo", "voc", "labelme", "label-studio", "cvat", "coco-results"
    QString description;
    bool outputIsFolder = false;
    ReadFn read = nullptr;
    WriteFn write = nullptr;     // nullptr: import only
    ImagesRootFn imagesRoot = nullptr;
};

const QVector<FormatInfo> &allFormats();
const FormatInfo *findFormat(const QString &name);

} // namespace annotune::core::formats
