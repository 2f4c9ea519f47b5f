#pragma once
// What a format reader produces and a writer consumes: images by file name with their labels by
// class index, independent of any project. applyImport (datasetimport.h) turns it into items,
// classes and annotations in one transaction; collectDataset builds it from a project.

#include "core/types.h"

#include <QByteArray>
#include <QHash>
#include <QStringList>
#include <QVector>

namespace annotune::core::formats {

// One label as a file describes it.
struct LabelRecord {
    int classIndex = -1;         // into Dataset::classes
    AnnotationKind kind = AnnotationKind::Box;
    QRectF box;                  // every kind but Tag; for polygons, polylines and points their bounds
    QPolygonF polygon;           // Polygon, Polyline, Points
    std::optional<double> score;
    QJsonObject attributes;      // what the format carries beyond geometry (difficult, occluded, rotation, rle, ...)
    QString where;               // names the record in messages ("annotations[12]", "line 4"); may be empty
};

// One image with its labels.
struct ImageRecord {
    QString fileName;            // as written in the file, relative to the images folder
    QString mediaPath;           // export side: the media's absolute path (for copying images)
    int width = 0;               // 0 when the format does not say
    int height = 0;
    QVector<LabelRecord> labels;
    QString where;               // names the record in messages
    QByteArray embeddedImage;    // encoded image bytes carried inside the annotation file (labelme imageData)
    std::optional<ItemStatus> status;
    std::optional<Split> split;  // where the format's layout says (train/val folders); informational
    Id itemId = 0;               // export side: the project item (COCO writes it as the image id); 0 when read
};

struct DatasetClass {
    QString name;
    ClassKind kind = ClassKind::Box;
    Id id = 0;                   // export side: the project class id (COCO category id); 0 when read
};

struct Dataset {
    QString source;              // the file or folder read, for messages
    QVector<DatasetClass> classes;
    QVector<ImageRecord> images;
    QStringList warnings;        // things read but not understood, said once each with a count

    // Index of the class with this name, appending it (with kind) when new.
    int classIndex(const QString &name, ClassKind kind = ClassKind::Box);

private:
    QHash<QString, int> m_index;
};

// What an export could not carry, counted by reason ("ellipse as box: 3").
struct ExportLoss {
    QHash<QString, qint64> counts;
    void add(const QString &reason, qint64 n = 1) { counts[reason] += n; }
    QStringList lines() const;
};

} // namespace annotune::core::formats
