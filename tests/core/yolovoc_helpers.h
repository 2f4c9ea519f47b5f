#pragma once
// Helpers shared by the YOLO and VOC format tests: a fresh project, small files and images on
// disk, and a comparison of two datasets by image file name.

#include "core/formats/dataset.h"
#include "core/store/project.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QtTest>
#include <memory>

namespace annotune::testing {

inline std::unique_ptr<core::store::Project> freshProject(const QString &folder)
{
    auto p = core::store::Project::create(folder + QStringLiteral("/p.annotune"));
    if (!p)
        qFatal("cannot create project: %s", qPrintable(p.error().message));
    return std::move(*p);
}

inline void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    f.write(data);
}

// A PNG of this size with a pixel that depends on seed, so images hash differently.
inline void writeImage(const QString &path, int w, int h, int seed = 0)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QImage img(w, h, QImage::Format_RGB32);
    img.fill(Qt::gray);
    img.setPixel(0, 0, qRgb(seed % 256, (seed / 256) % 256, 7));
    QVERIFY(img.save(path, "PNG"));
}

// Non-empty lines of every .txt file under folder (recursively) whose name is not in skip.
inline int countLines(const QString &folder, const QStringList &skip = {})
{
    int n = 0;
    QDirIterator it(folder, {QStringLiteral("*.txt")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        if (skip.contains(it.fileName()))
            continue;
        QFile f(file);
        f.open(QIODevice::ReadOnly);
        for (const QByteArray &line : f.readAll().split('\n'))
            n += line.trimmed().isEmpty() ? 0 : 1;
    }
    return n;
}

// Everything the formats carry, compared image by image (matched by file base name): class
// names, label kinds, boxes and polygon vertices within tolerance, attributes when asked.
inline void compareDatasets(const core::formats::Dataset &a, const core::formats::Dataset &b, double tolerance, bool attributes)
{
    using namespace core::formats;
    QHash<QString, const ImageRecord *> byName;
    for (const ImageRecord &img : b.images)
        byName.insert(QFileInfo(img.fileName).fileName(), &img);
    int compared = 0;
    for (const ImageRecord &img : a.images) {
        const ImageRecord *other = byName.value(QFileInfo(img.fileName).fileName());
        QVERIFY2(other, qPrintable(img.fileName));
        QCOMPARE(other->labels.size(), img.labels.size());
        for (qsizetype i = 0; i < img.labels.size(); ++i) {
            const LabelRecord &x = img.labels[i];
            const LabelRecord &y = other->labels[i];
            QCOMPARE(b.classes[y.classIndex].name, a.classes[x.classIndex].name);
            QCOMPARE(y.kind, x.kind);
            QVERIFY2(std::abs(x.box.x() - y.box.x()) < tolerance && std::abs(x.box.y() - y.box.y()) < tolerance
                         && std::abs(x.box.width() - y.box.width()) < tolerance && std::abs(x.box.height() - y.box.height()) < tolerance,
                     qPrintable(QStringLiteral("%1 label %2").arg(img.fileName).arg(i)));
            QCOMPARE(y.polygon.size(), x.polygon.size());
            for (qsizetype k = 0; k < x.polygon.size(); ++k)
                QVERIFY(QLineF(x.polygon[k], y.polygon[k]).length() < tolerance);
            if (attributes)
                QCOMPARE(y.attributes, x.attributes);
            ++compared;
        }
    }
    QVERIFY(compared > 0);
}

} // namespace annotune::testing
