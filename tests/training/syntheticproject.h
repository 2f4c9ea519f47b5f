#pragma once
// Tiny synthetic projects for training tests: 64x64 images with one or two coloured squares
// (class "square", a box class) or disks ("disk", a polygon class), and short "pages" of words
// whose field "total" is the word after "Total:".

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/training/jobspec.h"

#include <QCryptographicHash>
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QRandomGenerator>

namespace annotune::tests {

using namespace annotune::core;

// A detection run small enough to train in seconds on the synthetic images (CPU).
inline training::JobSpec tinyDetection()
{
    training::JobSpec s;
    s.task = training::TrainTask::Detection;
    s.device = training::DevicePreference::Cpu;
    s.imageSize = 64;
    s.width = 4;
    s.batchSize = 4;
    s.epochs = 3;
    s.learningRate = 0.01;
    s.warmupSteps = 2;
    s.mosaic = false;
    s.loaderThreads = 2;
    return s;
}

inline Item syntheticItem(const QString &path, ItemKind kind, int n, Split split)
{
    Item it;
    it.kind = kind;
    it.path = path;
    it.sha256 = QString::fromLatin1(QCryptographicHash::hash(path.toUtf8() + QByteArray::number(n), QCryptographicHash::Sha256).toHex());
    it.width = 64;
    it.height = 64;
    it.split = split;
    it.status = ItemStatus::Labeled;
    return it;
}

// Draws image n with its objects and returns their annotations (item id unset).
inline QVector<Annotation> drawImage(const QString &file, int n, Id square, Id disk)
{
    QRandomGenerator rng(quint32(n + 1));
    QImage image(64, 64, QImage::Format_RGB32);
    image.fill(QColor(40 + rng.bounded(60), 40, 60));
    QPainter p(&image);
    QVector<Annotation> out;
    for (int k = 0; k < 1 + n % 2; ++k) {
        const int size = 14 + rng.bounded(10), x = 4 + k * 30 + rng.bounded(4), y = 6 + rng.bounded(34);
        const bool isSquare = (n + k) % 2 == 0;
        p.setBrush(isSquare ? QColor(230, 200, 40) : QColor(60, 220, 230));
        p.setPen(Qt::NoPen);
        Annotation a;
        a.box = QRectF(x, y, size, size);
        a.classId = isSquare ? square : disk;
        a.kind = isSquare ? AnnotationKind::Box : AnnotationKind::Polygon;
        if (isSquare)
            p.drawRect(a.box);
        else {
            p.drawEllipse(a.box);
            a.polygon = QPolygonF(a.box);
        }
        out.append(a);
    }
    p.end();
    image.save(file);
    return out;
}

// Creates dir/synthetic.annotune with `images` images (every fifth in val) and `pages` pages.
inline std::unique_ptr<store::Project> makeSyntheticProject(const QString &dir, int images, int pages)
{
    auto project = store::Project::create(dir + QStringLiteral("/synthetic.annotune"));
    if (!project)
        return nullptr;
    auto &pr = **project;
    const Id square = *pr.classes().add({0, QStringLiteral("square"), QColor(Qt::yellow), ClassKind::Box, {}, 0}, QStringLiteral("t"));
    const Id disk = *pr.classes().add({0, QStringLiteral("disk"), QColor(Qt::cyan), ClassKind::Polygon, {}, 1}, QStringLiteral("t"));
    const Id total = *pr.classes().add({0, QStringLiteral("total"), QColor(Qt::red), ClassKind::Field, {}, 2}, QStringLiteral("t"));
    QDir(dir).mkpath(QStringLiteral("media"));
    QVector<Annotation> labels;
    for (int n = 0; n < images + pages; ++n) {
        const bool image = n < images;
        const QString rel = QStringLiteral("media/%1.png").arg(n);
        const QVector<Annotation> drawn = drawImage(dir + QLatin1Char('/') + rel, n, square, disk);
        const Split split = n % 5 == 4 ? Split::Val : Split::Train;
        const Id id = pr.items().insertMany({syntheticItem(rel, image ? ItemKind::Image : ItemKind::DocumentPage, n, split)}, QStringLiteral("t"))->first();
        if (image) {
            for (Annotation a : drawn) {
                a.itemId = id;
                labels.append(a);
            }
            continue;
        }
        const QStringList texts{QStringLiteral("Invoice"), QStringLiteral("No"), QString::number(1000 + n), QStringLiteral("Total:"),
                                QStringLiteral("%1.%2").arg(10 + n * 7 % 90).arg(n % 100, 2, 10, QLatin1Char('0')), QStringLiteral("thanks")};
        QVector<Word> words;
        for (int w = 0; w < texts.size(); ++w)
            words.append(Word{0, id, w, texts[w], QRectF(4 + (w % 3) * 20, 8 + (w / 3) * 20, 16, 8), 1.0, WordSource::Synthetic});
        if (!pr.annotations().insertWords(id, words))
            qFatal("synthetic project: cannot store the words");
        const QVector<Word> stored = *pr.annotations().words(id);
        Annotation field;
        field.itemId = id;
        field.classId = total;
        field.kind = AnnotationKind::Field;
        field.wordIds = {stored[4].id};
        field.box = stored[4].box;
        field.value = stored[4].text;
        labels.append(field);
    }
    if (!pr.annotations().insertMany(labels, QStringLiteral("t")))
        qFatal("synthetic project: cannot store the labels");
    return std::move(*project);
}

} // namespace annotune::tests
