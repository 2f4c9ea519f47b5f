// Label Studio JSON task exports: the real exports in the shared fixtures (rectangles, rotated
// rectangles, polygons, predictions, several annotators) import with the counts they hold and
// survive a round trip through a project; every result type, the image file-name rule,
// malformed files refused without touching the project, and what the writer cannot carry.

#include "core/formats/datasetexport.h"
#include "core/formats/datasetimport.h"
#include "core/formats/labelstudio.h"
#include "core/formats/registry.h"
#include "core/store/annotationrepository.h"
#include "core/store/project.h"
#include "tests/common/projectstate.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtMath>
#include <QtTest>

using namespace annotune::core;
using namespace annotune::core::formats;

namespace {

const QString kFixtures = QStringLiteral(ANNOTUNE_SHARED_DATA "/formats/label-studio/tests/data");

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// Writes an image of the given size; files without a suffix are PNG (probing reads the content).
void writeImage(const QString &path, int w, int h)
{
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(QColor::fromRgb(qHash(QFileInfo(path).fileName()) | 0xff000000)); // distinct content per name
    QDir().mkpath(QFileInfo(path).absolutePath());
    QVERIFY(image.save(path, QFileInfo(path).suffix().isEmpty() ? "PNG" : nullptr));
}

QJsonArray loadArray(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(f.readAll()).array();
}

ImportOptions rootedAt(const QString &root)
{
    ImportOptions options;
    options.imagesRoot = root;
    return options;
}

// Labels as comparable text lines, geometry to 1e-6.
QStringList describe(const Dataset &ds, const ImageRecord &img, bool withIds = true)
{
    QStringList out;
    auto n = [](double v) { return QString::number(std::round(v * 1e6) / 1e6, 'f', 6); };
    for (const LabelRecord &l : img.labels) {
        QString line = QStringLiteral("%1 %2 box %3 %4 %5 %6").arg(ds.classes.value(l.classIndex).name, toText(l.kind), n(l.box.x()), n(l.box.y()),
                                                                 n(l.box.width()), n(l.box.height()));
        for (const QPointF &p : l.polygon)
            line += QStringLiteral(" (%1,%2)").arg(n(p.x()), n(p.y()));
        QJsonObject a = l.attributes;
        if (!withIds)
            a.remove("ls_id");
        if (a.contains("rotation"))
            a.insert("rotation", n(a.value("rotation").toDouble()));
        line += QLatin1Char(' ') + QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
        line += l.score ? QStringLiteral(" score %1").arg(n(*l.score)) : QString();
        out << line;
    }
    out.sort();
    return out;
}

QString baseName(const QString &fileName) { return QFileInfo(fileName).fileName(); }

// A one-task export around the given results for a 50 x 40 image a.png.
QByteArray oneTask(const QJsonArray &results, const QString &image = "/data/upload/1/a.png")
{
    QJsonObject task{{"id", 1}, {"data", QJsonObject{{"image", image}}},
                     {"annotations", QJsonArray{QJsonObject{{"id", 5}, {"result", results}, {"was_cancelled", false}}}}};
    return QJsonDocument(QJsonArray{task}).toJson();
}

QJsonObject rect(double x, double y, double w, double h, const QString &label = "car", int W = 50, int H = 40)
{
    return {{"type", "rectanglelabels"}, {"from_name", "label"}, {"to_name", "image"}, {"original_width", W}, {"original_height", H},
            {"value", QJsonObject{{"x", x}, {"y", y}, {"width", w}, {"height", h}, {"rotation", 0}, {"rectanglelabels", QJsonArray{label}}}}};
}

} // namespace

class TestFormatLabelStudio : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registered();
    void fixturesImportAndRoundTrip_data();
    void fixturesImportAndRoundTrip();
    void rotatedRectanglesTurnAboutTheirCorner();
    void textOnlyExportsAreRefused();
    void everyResultType();
    void fileNameRule_data();
    void fileNameRule();
    void malformedInputLeavesProjectUnchanged_data();
    void malformedInputLeavesProjectUnchanged();
    void exportReportsLoss();
    void unwritableOutputLeavesNothing();
};

void TestFormatLabelStudio::registered()
{
    const FormatInfo *f = findFormat(QStringLiteral("label-studio"));
    QVERIFY(f && f->read && f->write && f->imagesRoot && !f->outputIsFolder);
}

void TestFormatLabelStudio::fixturesImportAndRoundTrip_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("images");  // name:WxH, sizes from each task's original_width/height
    QTest::addColumn<qint64>("labels");
    QTest::addColumn<QStringList>("classes");
    QTest::addColumn<QString>("warning");
    // Task 1 has two annotations (ids 1 and 2, 2 results each; 2 is newer), task 2 one with 2 results.
    QTest::newRow("yolo data") << "test_export_yolo/data.json" << QStringList{"image1:2800x2800", "image2:2800x2800"} << qint64(4)
                               << QStringList{"parasites", "white"} << "1 tasks have several annotations";
    // Three tasks with one annotation each: 23 + 1 + 1 rotated rectangles (counted below as well).
    QTest::newRow("obb") << "test_export_yolo/data_obb.json" << QStringList{"image1:597x768", "image2:433x768", "image3:716x768"}
                         << qint64(25) << QStringList{"Butterfly", "butterfly"} << "";
    QTest::newRow("polygons") << "test_export_yolo/data_polygons.json" << QStringList{"image2:640x426"} << qint64(1)
                              << QStringList{"Airplane"} << "";
    // Two image tasks (plus text and audio in data), 1 + 2 rectangles; each task has one prediction.
    QTest::newRow("csv") << "test_export_csv/csv_test.json" << QStringList{"0030019819f25b28.jpg:768x576", "00155094b7acc33b.jpg:768x510"}
                         << qint64(3) << QStringList{"Car"} << "2 predictions were ignored";
    QTest::newRow("json min") << "test_export_json_min/data.json" << QStringList{"example.png:128x128"} << qint64(1)
                              << QStringList{"Airplane"} << "";
}

void TestFormatLabelStudio::fixturesImportAndRoundTrip()
{
    QFETCH(QString, file);
    QFETCH(QStringList, images);
    QFETCH(qint64, labels);
    QFETCH(QStringList, classes);
    QFETCH(QString, warning);
    const QString path = kFixtures + QLatin1Char('/') + file;
    if (!QFileInfo::exists(path))
        QSKIP("shared fixture missing");
    if (file.endsWith("data_obb.json")) { // every task there has exactly one annotation of rectangles only
        qint64 results = 0;
        for (const QJsonValue &t : loadArray(path))
            results += t.toObject().value("annotations").toArray().at(0).toObject().value("result").toArray().size();
        QCOMPARE(results, labels);
    }
    QTemporaryDir dir;
    for (const QString &spec : images) {
        const QStringList size = spec.section(':', 1).split('x');
        writeImage(dir.path() + "/images/" + spec.section(':', 0, 0), size[0].toInt(), size[1].toInt());
    }
    auto first = readLabelStudio(path, {});
    QVERIFY2(first, first ? "" : qPrintable(first.error().message));
    QCOMPARE(first->images.size(), images.size());
    if (!warning.isEmpty())
        QVERIFY2(first->warnings.join('\n').contains(warning), qPrintable(first->warnings.join('\n')));
    QStringList names;
    for (const DatasetClass &c : first->classes)
        names << c.name;
    QCOMPARE(names, classes);

    auto project = store::Project::create(dir.path() + "/p.annotune");
    QVERIFY(project);
    auto report = applyImport(**project, *first, rootedAt(dir.path() + "/images"));
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->itemsAdded, int(images.size()));
    QCOMPARE(report->labels, labels);
    QCOMPARE(*(*project)->annotations().count(), labels);

    auto collected = collectDataset(**project, {});
    QVERIFY(collected);
    auto written = writeLabelStudio(*collected, dir.path() + "/out.json", {});
    QVERIFY2(written, written ? "" : qPrintable(written.error().message));
    QVERIFY(written->loss.counts.isEmpty());
    auto second = readLabelStudio(dir.path() + "/out.json", {});
    QVERIFY2(second, second ? "" : qPrintable(second.error().message));
    QCOMPARE(second->images.size(), first->images.size());
    // Labels reaching past their image were clipped on import (csv_test.json's second task has two);
    // the round trip keeps what the project holds, and everything else equals the file.
    const bool clipped = report->warnings.join(' ').contains("clipped");
    QCOMPARE(clipped, file.endsWith("csv_test.json"));
    for (const ImageRecord &img : first->images) {
        auto again = std::find_if(second->images.begin(), second->images.end(), [&](const ImageRecord &r) { return baseName(r.fileName) == img.fileName; });
        QVERIFY2(again != second->images.end(), qPrintable(img.fileName));
        QCOMPARE(again->fileName, QStringLiteral("images/") + img.fileName); // relative to the project folder
        QCOMPARE(QSize(again->width, again->height), QSize(img.width, img.height));
        auto held = std::find_if(collected->images.begin(), collected->images.end(), [&](const ImageRecord &r) { return r.fileName == again->fileName; });
        QVERIFY(held != collected->images.end());
        QCOMPARE(describe(*second, *again), describe(*collected, *held));
        if (!clipped)
            QCOMPARE(describe(*second, *again), describe(*first, img));
    }
}

void TestFormatLabelStudio::rotatedRectanglesTurnAboutTheirCorner()
{
    const QString path = kFixtures + "/test_export_yolo/data_obb.json";
    if (!QFileInfo::exists(path))
        QSKIP("shared fixture missing");
    auto ds = readLabelStudio(path, {});
    QVERIFY(ds);
    const QJsonArray raw = loadArray(path).at(0).toObject().value("annotations").toArray().at(0).toObject().value("result").toArray();
    QCOMPARE(ds->images[0].labels.size(), raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const QJsonObject r = raw[i].toObject(), v = r.value("value").toObject();
        const double W = r.value("original_width").toDouble(), H = r.value("original_height").toDouble();
        const LabelRecord &l = ds->images[0].labels[i];
        QCOMPARE(l.attributes.value("rotation").toDouble(), v.value("rotation").toDouble());
        QCOMPARE(l.attributes.value("ls_id").toString(), r.value("id").toString());
        // The unrotated frame's top-left corner, turned about the frame's centre, is Label Studio's (x, y).
        const double a = qDegreesToRadians(v.value("rotation").toDouble());
        const QPointF d = l.box.topLeft() - l.box.center();
        const QPointF corner = l.box.center() + QPointF(d.x() * std::cos(a) - d.y() * std::sin(a), d.x() * std::sin(a) + d.y() * std::cos(a));
        QVERIFY(std::abs(corner.x() - v.value("x").toDouble() * W / 100) < 1e-9);
        QVERIFY(std::abs(corner.y() - v.value("y").toDouble() * H / 100) < 1e-9);
        QVERIFY(std::abs(l.box.width() - v.value("width").toDouble() * W / 100) < 1e-9);
    }
    // Written back, the percentages are the file's own to 1e-9.
    QTemporaryDir dir;
    QVERIFY(writeLabelStudio(*ds, dir.path() + "/out.json", {}));
    const QJsonArray again = loadArray(dir.path() + "/out.json").at(0).toObject().value("annotations").toArray().at(0).toObject().value("result").toArray();
    QCOMPARE(again.size(), raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i)
        for (const char *key : {"x", "y", "width", "height", "rotation"}) {
            const double was = raw[i].toObject().value("value").toObject().value(key).toDouble();
            const double now = again[i].toObject().value("value").toObject().value(key).toDouble();
            QVERIFY2(std::abs(was - now) < 1e-9, qPrintable(QStringLiteral("result %1 %2: %3 vs %4").arg(i).arg(key).arg(was).arg(now)));
        }
}

void TestFormatLabelStudio::textOnlyExportsAreRefused()
{
    // csv_test2.json and the repeater export hold no task with data.image (text and a list of images).
    for (const char *file : {"test_export_csv/csv_test2.json", "test_export_json_min/data_repeater.json"}) {
        const QString path = kFixtures + QLatin1Char('/') + QLatin1String(file);
        if (!QFileInfo::exists(path))
            QSKIP("shared fixture missing");
        auto ds = readLabelStudio(path, {});
        QVERIFY(!ds);
        QVERIFY(ds.error().message.contains("no task names an image"));
    }
}

void TestFormatLabelStudio::everyResultType()
{
    auto geo = [](const QString &type, const QJsonObject &value) {
        return QJsonObject{{"type", type}, {"to_name", "img"}, {"from_name", type}, {"original_width", 200}, {"original_height", 100}, {"value", value}};
    };
    const QJsonArray results{
        geo("polygonlabels", {{"points", QJsonArray{QJsonArray{10, 10}, QJsonArray{20, 10}, QJsonArray{20, 20}}}, {"polygonlabels", QJsonArray{"roof"}}}),
        geo("polygonlabels", {{"points", QJsonArray{QJsonArray{10, 10}, QJsonArray{20, 30}}}, {"closed", false}, {"polygonlabels", QJsonArray{"wire"}}}),
        geo("keypointlabels", {{"x", 50}, {"y", 50}, {"width", 1}, {"keypointlabels", QJsonArray{"eye"}}}),
        geo("ellipselabels", {{"x", 50}, {"y", 50}, {"radiusX", 10}, {"radiusY", 20}, {"rotation", 15}, {"ellipselabels", QJsonArray{"ball"}}}),
        geo("brushlabels", {{"rle", QJsonArray{1, 2}}, {"brushlabels", QJsonArray{"x"}}}),
        QJsonObject{{"type", "choices"}, {"to_name", "img"}, {"from_name", "weather"}, {"value", QJsonObject{{"choices", QJsonArray{"sunny", "dry"}}}}},
    };
    QJsonObject task{{"id", 9}, {"data", QJsonObject{{"img", "/data/local-files/?d=sub/dir/a%20b.png"}}},
                     {"predictions", QJsonArray{QJsonObject{{"score", 0.75}, {"result", results}}}}};
    QTemporaryDir dir;
    writeFile(dir.path() + "/t.json", QJsonDocument(QJsonArray{task}).toJson());
    auto ds = readLabelStudio(dir.path() + "/t.json", {});
    QVERIFY2(ds, ds ? "" : qPrintable(ds.error().message));
    QCOMPARE(ds->images.size(), 1);
    const ImageRecord &img = ds->images[0];
    QCOMPARE(img.fileName, QStringLiteral("sub/dir/a b.png"));
    QCOMPARE(img.labels.size(), 6); // brushlabels are skipped, two choices
    QVERIFY(ds->warnings.join('\n').contains("1 results of type brushlabels were skipped"));
    QCOMPARE(img.labels[0].kind, AnnotationKind::Polygon);
    QCOMPARE(img.labels[0].polygon[1], QPointF(40, 10));
    QCOMPARE(img.labels[1].kind, AnnotationKind::Polyline);
    QCOMPARE(img.labels[2].kind, AnnotationKind::Points);
    QCOMPARE(img.labels[2].polygon, QPolygonF{QPointF(100, 50)});
    QCOMPARE(img.labels[3].kind, AnnotationKind::Ellipse);
    QCOMPARE(img.labels[3].box, QRectF(80, 30, 40, 40));
    QCOMPARE(img.labels[3].attributes.value("rotation").toDouble(), 15.0);
    QCOMPARE(img.labels[4].kind, AnnotationKind::Tag);
    QCOMPARE(ds->classes[img.labels[5].classIndex].name, QStringLiteral("dry"));
    QCOMPARE(ds->classes[img.labels[5].classIndex].kind, ClassKind::Tag);
    for (const LabelRecord &l : img.labels)
        QCOMPARE(l.score.value_or(-1), 0.75); // predictions are used as the file has no annotations

    QVERIFY(writeLabelStudio(*ds, dir.path() + "/out.json", {}));
    auto again = readLabelStudio(dir.path() + "/out.json", {});
    QVERIFY(again);
    QCOMPARE(again->images[0].fileName, img.fileName);
    QCOMPARE(describe(*again, again->images[0], false), describe(*ds, img, false)); // ids are made up where missing
}

void TestFormatLabelStudio::fileNameRule_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("fileName");
    QTest::newRow("upload") << "/data/upload/1/8f3a-abc.jpg" << "8f3a-abc.jpg";
    QTest::newRow("s3") << "s3://bucket/some/key/x.png" << "x.png";
    QTest::newRow("https with query") << "https://host/a/b%20c.jpg?token=1#f" << "b c.jpg";
    QTest::newRow("local files") << "/data/local-files/?d=dataset1/images/1.jpg" << "dataset1/images/1.jpg";
    QTest::newRow("relative path") << "images/1.jpg" << "images/1.jpg";
    QTest::newRow("absolute path") << "/home/u/pics/1.jpg" << "1.jpg";
    QTest::newRow("windows path") << "C:\\pics\\1.jpg" << "1.jpg";
}

void TestFormatLabelStudio::fileNameRule()
{
    QFETCH(QString, url);
    QFETCH(QString, fileName);
    QTemporaryDir dir;
    writeFile(dir.path() + "/t.json", oneTask({rect(1, 1, 2, 2)}, url));
    auto ds = readLabelStudio(dir.path() + "/t.json", {});
    QVERIFY(ds);
    QCOMPARE(ds->images[0].fileName, fileName);
}

void TestFormatLabelStudio::malformedInputLeavesProjectUnchanged_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("record");
    QTest::addColumn<QString>("fragment");
    const QString r0 = "tasks[0].annotations[0].result[0]";
    QJsonObject noWidth = rect(1, 1, 2, 2);
    noWidth.remove("original_width");
    QJsonObject infinite = rect(1, 1, 2, 2);
    infinite.insert("value", QJsonObject{{"x", "inf"}, {"y", 1}, {"width", 2}, {"height", 2}, {"rectanglelabels", QJsonArray{"car"}}});
    const QJsonObject twoPoints{{"type", "polygonlabels"}, {"to_name", "image"}, {"original_width", 50}, {"original_height", 40},
                                {"value", QJsonObject{{"points", QJsonArray{QJsonArray{1, 1}, QJsonArray{2, 2}}}, {"polygonlabels", QJsonArray{"car"}}}}};
    QJsonObject badPoint = twoPoints;
    badPoint.insert("value", QJsonObject{{"points", QJsonArray{QJsonArray{1, 1}, QJsonArray{"x", 2}, QJsonArray{3, 3}}}, {"polygonlabels", QJsonArray{"car"}}});
    QTest::newRow("truncated") << oneTask({rect(1, 1, 2, 2)}).left(80) << "offset" << "not valid JSON";
    QTest::newRow("not an array") << QByteArray("{\"id\": 1}") << "top level" << "JSON array of tasks";
    QTest::newRow("task without data") << QByteArray("[{\"id\": 1, \"annotations\": []}]") << "tasks[0] (id 1)" << "needs a data object";
    QTest::newRow("no original size") << oneTask({noWidth}) << r0 << "original_width is missing";
    QTest::newRow("negative width") << oneTask({rect(1, 1, -2, 2)}) << r0 << "negative size";
    QTest::newRow("infinite x") << oneTask({infinite}) << r0 << "x is not a finite number";
    QTest::newRow("polygon of 2 points") << oneTask({twoPoints}) << r0 << "at least 3 points, this one has 2";
    QTest::newRow("point not numbers") << oneTask({badPoint}) << r0 + ".value.points[1]" << "not [x, y]";
    QTest::newRow("empty label") << oneTask({rect(1, 1, 2, 2, "")}) << r0 + ".value.rectanglelabels[0]" << "not a non-empty string";
    QTest::newRow("huge image") << oneTask({rect(1, 1, 2, 2, "car", 100000, 100000)}) << r0 << "over the limit";
    QTest::newRow("sizes disagree") << oneTask({rect(1, 1, 2, 2), rect(1, 1, 2, 2, "car", 60, 40)}) << "result[1]" << "differs from 50 x 40";
    QTest::newRow("parent path") << oneTask({rect(1, 1, 2, 2)}, "/data/local-files/?d=../../etc/passwd") << "tasks[0] (id 1)" << "would leave the chosen folder";
    QTest::newRow("absolute path") << oneTask({rect(1, 1, 2, 2)}, "/data/local-files/?d=/etc/passwd") << "tasks[0] (id 1)" << "absolute paths are not allowed";
    QTest::newRow("box outside the image") << oneTask({rect(300, 300, 10, 10)}) << r0 << "lies outside the 50 x 40 image";
    QByteArray latin1 = oneTask({rect(1, 1, 2, 2)});
    latin1.replace("\"car\"", "\"c\xE9r\"");
    QTest::newRow("non-UTF-8 label") << latin1 << "offset" << "not valid JSON";
    QTest::newRow("no image") << QByteArray("[{\"id\": 1, \"data\": {\"text\": \"hello\"}}]") << "data.image" << "no task names an image";
}

void TestFormatLabelStudio::malformedInputLeavesProjectUnchanged()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, record);
    QFETCH(QString, fragment);
    QTemporaryDir dir;
    writeImage(dir.path() + "/data/a.png", 50, 40);
    const QString file = dir.path() + "/data/export.json";
    writeFile(file, json);
    auto project = store::Project::create(dir.path() + "/p.annotune");
    QVERIFY(project);
    const QByteArray before = annotune::testing::projectStateHash(**project);
    QString message;
    auto ds = readLabelStudio(file, {});
    if (!ds) {
        message = ds.error().message;
    } else {
        auto report = applyImport(**project, *ds, rootedAt(labelStudioImagesRoot(file)));
        QVERIFY2(!report, "the import should have failed");
        message = report.error().message;
    }
    QVERIFY2(message.contains("export.json"), qPrintable(message));
    QVERIFY2(message.contains(record), qPrintable(message));
    QVERIFY2(message.contains(fragment), qPrintable(message));
    QVERIFY(!message.contains('\n'));
    QCOMPARE(annotune::testing::projectStateHash(**project), before);
}

void TestFormatLabelStudio::exportReportsLoss()
{
    Dataset ds;
    const int cls = ds.classIndex("thing", ClassKind::Box);
    ImageRecord img;
    img.fileName = "images/x.png";
    img.width = 100, img.height = 100;
    auto label = [&](AnnotationKind kind, QRectF box, QPolygonF poly = {}, QJsonObject attributes = {}) {
        LabelRecord l;
        l.classIndex = cls, l.kind = kind, l.box = box, l.polygon = poly, l.attributes = attributes;
        img.labels << l;
    };
    label(AnnotationKind::Box, QRectF(10, 20, 40, 20), {}, {{"rotation", 90}});
    label(AnnotationKind::Mask, QRectF(1, 1, 2, 2), {}, {{"rle", QJsonObject{{"size", QJsonArray{100, 100}}, {"counts", QJsonArray{10000}}}}});
    label(AnnotationKind::Field, QRectF(1, 1, 2, 2));
    label(AnnotationKind::Points, QRectF(1, 1, 2, 2), QPolygonF{QPointF(1, 1), QPointF(3, 3)});
    ds.images << img;
    img.fileName = "unknown-size.png";
    img.width = 0, img.height = 0;
    img.labels.resize(1);
    ds.images << img;
    QTemporaryDir dir;
    auto report = writeLabelStudio(ds, dir.path() + "/out.json", {});
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->loss.lines(), (QStringList{"document fields (no place in Label Studio): 1", "labels on images of unknown size: 1",
                                                "masks (Label Studio brush format not written): 1", "point sets split into one keypoint per point: 1"}));
    QCOMPARE(report->labels, qint64(2));
    const QJsonArray tasks = loadArray(dir.path() + "/out.json");
    QCOMPARE(tasks.size(), 2);
    QCOMPARE(tasks[0].toObject().value("data").toObject().value("image").toString(), QStringLiteral("/data/local-files/?d=images/x.png"));
    const QJsonArray results = tasks[0].toObject().value("annotations").toArray().at(0).toObject().value("result").toArray();
    QCOMPARE(results.size(), 3); // the box and two keypoints
    // A 40 x 20 box centred at (30, 30) turned by 90 degrees: Label Studio's corner is (40, 10).
    const QJsonObject v = results[0].toObject().value("value").toObject();
    QVERIFY(std::abs(v.value("x").toDouble() - 40) < 1e-9 && std::abs(v.value("y").toDouble() - 10) < 1e-9);
    QCOMPARE(v.value("rotation").toDouble(), 90.0);
}

void TestFormatLabelStudio::unwritableOutputLeavesNothing()
{
    QTemporaryDir dir;
    writeFile(dir.path() + "/file", "x");
    Dataset ds;
    ds.images << ImageRecord{"a.png", {}, 10, 10, {}, {}, {}, {}, {}};
    auto report = writeLabelStudio(ds, dir.path() + "/file/out.json", {});
    QVERIFY(!report);
    QCOMPARE(report.error().code, ErrorCode::Io);
    QVERIFY(report.error().message.contains("out.json"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{"file"});
}

QTEST_GUILESS_MAIN(TestFormatLabelStudio)
#include "test_format_labelstudio.moc"
