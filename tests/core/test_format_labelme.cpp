// labelme JSON: every shape type of versions 4 and 5 read from fixtures built here after
// labelme's documented format, a golden round trip through a project, malformed files refused
// without touching the project, and what the writer cannot carry.

#include "core/formats/datasetexport.h"
#include "core/formats/datasetimport.h"
#include "core/formats/labelme.h"
#include "core/formats/labelmemask.h"
#include "core/formats/registry.h"
#include "core/store/annotationrepository.h"
#include "core/store/project.h"
#include "tests/common/projectstate.h"

#include <QBuffer>
#include <QDirIterator>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune::core;
using namespace annotune::core::formats;

namespace {

QByteArray pngBytes(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QImage picture(int w, int h)
{
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(QColor(w % 255, h % 255, 90));
    return image;
}

// The mask used in the v5 fixture: 5 x 4 pixels placed at (10, 20); set where (x + y) is even
// except the first column, so the set pixels' bounds are x 11..14, y 20..23.
QImage maskImage()
{
    QImage m(5, 4, QImage::Format_Grayscale8);
    m.fill(0);
    for (int y = 0; y < 4; ++y)
        for (int x = 1; x < 5; ++x)
            if ((x + y) % 2 == 0)
                m.setPixel(x, y, qRgb(255, 255, 255));
    return m;
}

QJsonObject shape(const QString &label, const QString &type, const QJsonArray &points, const QJsonObject &extra = {})
{
    QJsonObject s{{"label", label}, {"shape_type", type}, {"points", points}, {"group_id", QJsonValue()}, {"flags", QJsonObject()}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        s.insert(it.key(), it.value());
    return s;
}

QJsonArray pts(std::initializer_list<std::pair<double, double>> list)
{
    QJsonArray out;
    for (auto [x, y] : list)
        out.append(QJsonArray{x, y});
    return out;
}

// Builds the fixture tree under root: v5/a.json (every shape type, image flags, the image
// beside it), v5/c.json (image only embedded as imageData), v4/ann/b.json (imagePath
// "..\images\b.png"), and other.json and tasks.json, which are not labelme files.
void buildFixture(const QString &root)
{
    writeFile(root + "/v5/a.png", pngBytes(picture(100, 80)));
    QJsonArray shapes{
        shape("car", "polygon", pts({{1, 2}, {30, 4}, {20, 40}}), {{"group_id", 3}, {"description", "left lane"}}),
        shape("sign", "rectangle", pts({{60, 50}, {40, 10}}), {{"flags", QJsonObject{{"occluded", true}}}}),
        shape("wheel", "circle", pts({{50, 40}, {53, 44}})),
        shape("edge", "line", pts({{0, 0}, {99, 79}})),
        shape("eye", "point", pts({{12.5, 7.25}})),
        shape("road", "linestrip", pts({{0, 70}, {50, 60}, {99, 75}})),
        shape("blob", "mask", pts({{10, 20}, {14, 23}}), {{"mask", QString::fromLatin1(pngBytes(maskImage()).toBase64())}}),
    };
    QJsonObject a{{"version", "5.2.1"}, {"flags", QJsonObject{{"night", true}, {"blurry", false}}}, {"shapes", shapes},
                  {"imagePath", "a.png"}, {"imageData", QJsonValue()}, {"imageHeight", 80}, {"imageWidth", 100}};
    writeFile(root + "/v5/a.json", QJsonDocument(a).toJson());
    QJsonObject c{{"version", "5.0.1"}, {"flags", QJsonObject()}, {"shapes", QJsonArray{shape("car", "rectangle", pts({{1, 1}, {9, 9}}))}},
                  {"imagePath", "c.png"}, {"imageData", QString::fromLatin1(pngBytes(picture(20, 10)).toBase64())},
                  {"imageHeight", 10}, {"imageWidth", 20}};
    writeFile(root + "/v5/c.json", QJsonDocument(c).toJson());
    writeFile(root + "/v4/images/b.png", pngBytes(picture(64, 48)));
    QJsonObject b{{"version", "4.5.6"}, {"flags", QJsonObject()}, {"lineColor", QJsonArray{0, 255, 0, 128}},
                  {"shapes", QJsonArray{QJsonObject{{"label", "car"}, {"points", pts({{5, 5}, {20, 5}, {20, 30}, {5, 30}})}, {"group_id", QJsonValue()},
                                                    {"shape_type", "polygon"}, {"flags", QJsonObject()}, {"line_color", QJsonValue()}}}},
                  {"imagePath", "..\\images\\b.png"}, {"imageData", QJsonValue()}, {"imageHeight", 48}, {"imageWidth", 64}};
    writeFile(root + "/v4/ann/b.json", QJsonDocument(b).toJson());
    writeFile(root + "/other.json", "{\"categories\": []}");
    writeFile(root + "/tasks.json", "[{\"data\": {}}]");
}

ImportOptions rootedAt(const QString &root)
{
    ImportOptions options;
    options.imagesRoot = root;
    return options;
}

QString className(const Dataset &ds, const LabelRecord &l) { return ds.classes.value(l.classIndex).name; }

// Labels as comparable text lines, geometry to 1e-6.
QStringList describe(const Dataset &ds, const ImageRecord &img)
{
    QStringList out;
    auto n = [](double v) { return QString::number(std::round(v * 1e6) / 1e6, 'f', 6); };
    for (const LabelRecord &l : img.labels) {
        QString line = QStringLiteral("%1 %2 box %3 %4 %5 %6").arg(className(ds, l), toText(l.kind), n(l.box.x()), n(l.box.y()), n(l.box.width()), n(l.box.height()));
        for (const QPointF &p : l.polygon)
            line += QStringLiteral(" (%1,%2)").arg(n(p.x()), n(p.y()));
        line += QLatin1Char(' ') + QString::fromUtf8(QJsonDocument(l.attributes).toJson(QJsonDocument::Compact));
        out << line;
    }
    out.sort();
    return out;
}

const ImageRecord *byBaseName(const Dataset &ds, const QString &base)
{
    for (const ImageRecord &img : ds.images)
        if (QFileInfo(img.fileName).fileName() == base)
            return &img;
    return nullptr;
}

} // namespace

class TestFormatLabelme : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registered();
    void readsEveryShapeType();
    void mitLabelMeXmlIsNotThisFormat();
    void goldenRoundTrip();
    void malformedInputLeavesProjectUnchanged_data();
    void malformedInputLeavesProjectUnchanged();
    void exportReportsLoss();
    void unwritableOutputLeavesNothing();
};

void TestFormatLabelme::registered()
{
    const FormatInfo *f = findFormat(QStringLiteral("labelme"));
    QVERIFY(f && f->read && f->write && f->imagesRoot && f->outputIsFolder);
}

void TestFormatLabelme::readsEveryShapeType()
{
    QTemporaryDir dir;
    buildFixture(dir.path());
    auto ds = readLabelme(dir.path(), {});
    QVERIFY2(ds, ds ? "" : qPrintable(ds.error().message));
    QCOMPARE(ds->images.size(), 3); // a.json, c.json, b.json; other.json and tasks.json are skipped
    QVERIFY(ds->warnings.join(' ').contains("2 JSON files that are not objects with a \"shapes\" list"));
    QCOMPARE(ds->images[0].fileName, QStringLiteral("v4/images/b.png")); // "..\images\b.png" from v4/ann
    QCOMPARE(ds->images[1].fileName, QStringLiteral("v5/a.png"));
    QCOMPARE(ds->images[2].fileName, QStringLiteral("v5/c.png"));
    QVERIFY(!ds->images[2].embeddedImage.isEmpty());
    QCOMPARE(QImage::fromData(ds->images[2].embeddedImage).size(), QSize(20, 10));

    const ImageRecord &a = ds->images[1];
    QCOMPARE(a.width, 100);
    QCOMPARE(a.labels.size(), 8); // 7 shapes and the one true image flag
    QHash<QString, const LabelRecord *> byClass;
    for (const LabelRecord &l : a.labels)
        byClass.insert(className(*ds, l), &l);
    QCOMPARE(byClass["car"]->kind, AnnotationKind::Polygon);
    QCOMPARE(byClass["car"]->attributes.value("group_id").toInt(), 3);
    QCOMPARE(byClass["car"]->attributes.value("description").toString(), QStringLiteral("left lane"));
    QCOMPARE(byClass["sign"]->box, QRectF(40, 10, 20, 40)); // corners given bottom-right first
    QVERIFY(byClass["sign"]->attributes.value("flags").toObject().value("occluded").toBool());
    QCOMPARE(byClass["wheel"]->kind, AnnotationKind::Ellipse);
    QCOMPARE(byClass["wheel"]->box, QRectF(45, 35, 10, 10)); // radius 5 = |(3, 4)|
    QCOMPARE(byClass["edge"]->kind, AnnotationKind::Polyline);
    QCOMPARE(byClass["eye"]->kind, AnnotationKind::Points);
    QCOMPARE(byClass["road"]->polygon.size(), 3);
    QCOMPARE(byClass["night"]->kind, AnnotationKind::Tag);
    QVERIFY(!byClass.contains("blurry"));

    const LabelRecord &blob = *byClass["blob"];
    QCOMPARE(blob.kind, AnnotationKind::Mask);
    QCOMPARE(blob.box, QRectF(11, 20, 4, 4));
    const QJsonObject rle = blob.attributes.value("rle").toObject();
    QCOMPARE(rle.value("size").toArray(), (QJsonArray{80, 100}));
    // Decode the column-major runs independently and compare with the mask image.
    QVector<int> bits;
    int value = 0;
    for (const QJsonValue &run : rle.value("counts").toArray()) {
        bits.append(QVector<int>(run.toInt(), value));
        value = 1 - value;
    }
    QCOMPARE(bits.size(), 80 * 100);
    const QImage m = maskImage();
    for (int x = 0; x < 100; ++x)
        for (int y = 0; y < 80; ++y) {
            const bool inMask = x >= 10 && x < 15 && y >= 20 && y < 24 && qGray(m.pixel(x - 10, y - 20)) > 0;
            QCOMPARE(bits[x * 80 + y], inMask ? 1 : 0);
        }
}

void TestFormatLabelme::mitLabelMeXmlIsNotThisFormat()
{
    // datumaro's labelme_dataset is the MIT LabelMe XML format (Annotations/*.xml), not labelme JSON.
    const QString fixture = QStringLiteral(ANNOTUNE_SHARED_DATA "/formats/datumaro/tests/assets/labelme_dataset");
    if (!QFileInfo::exists(fixture))
        QSKIP("shared fixture missing");
    auto ds = readLabelme(fixture, {});
    QVERIFY(!ds);
    QVERIFY(ds.error().message.contains("no labelme JSON files found"));
}

void TestFormatLabelme::goldenRoundTrip()
{
    QTemporaryDir dir;
    buildFixture(dir.path() + "/in");
    auto first = readLabelme(dir.path() + "/in", {});
    QVERIFY(first);
    auto project = store::Project::create(dir.path() + "/p.annotune");
    QVERIFY(project);
    auto report = applyImport(**project, *first, rootedAt(dir.path() + "/in"));
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->itemsAdded, 3);
    QCOMPARE(report->labels, qint64(10)); // 8 on a, 1 on c, 1 on b
    QVERIFY(QFileInfo::exists(dir.path() + "/p-media/imported/c.png")); // the embedded image
    auto collected = collectDataset(**project, {});
    QVERIFY(collected);
    WriteOptions options;
    options.copyImages = true;
    auto written = writeLabelme(*collected, dir.path() + "/out", options);
    QVERIFY2(written, written ? "" : qPrintable(written.error().message));
    QCOMPARE(written->images, qint64(3));
    QVERIFY(written->loss.counts.isEmpty());
    auto second = readLabelme(dir.path() + "/out", {});
    QVERIFY2(second, second ? "" : qPrintable(second.error().message));
    QCOMPARE(second->images.size(), 3);
    for (const ImageRecord &img : first->images) {
        const ImageRecord *again = byBaseName(*second, QFileInfo(img.fileName).fileName());
        QVERIFY2(again, qPrintable(img.fileName));
        QCOMPARE(again->width, img.width);
        QCOMPARE(again->height, img.height);
        QCOMPARE(describe(*second, *again), describe(*first, img));
    }
    for (const DatasetClass &c : first->classes) {
        auto it = std::find_if(second->classes.begin(), second->classes.end(), [&](const DatasetClass &d) { return d.name == c.name; });
        QVERIFY(it != second->classes.end());
        QCOMPARE(it->kind, c.kind);
    }
}

void TestFormatLabelme::malformedInputLeavesProjectUnchanged_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("record");
    QTest::addColumn<QString>("fragment");
    auto doc = [](const QJsonArray &shapes, const QJsonObject &extra = {}) {
        QJsonObject o{{"version", "5.2.1"}, {"flags", QJsonObject()}, {"shapes", shapes}, {"imagePath", "a.png"},
                      {"imageData", QJsonValue()}, {"imageHeight", 40}, {"imageWidth", 50}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            o.insert(it.key(), it.value());
        return QJsonDocument(o).toJson();
    };
    const QJsonArray ok{shape("car", "rectangle", pts({{1, 1}, {5, 5}}))};
    QTest::newRow("truncated") << doc(ok).left(60) << "offset" << "not valid JSON";
    QTest::newRow("not an object") << QByteArray("[1, 2]") << "top level" << "not a labelme file";
    QTest::newRow("no shapes") << QByteArray("{\"imagePath\": \"a.png\"}") << "top level" << "not a labelme file";
    QTest::newRow("shapes not a list") << doc({}, {{"shapes", 7}}) << "shapes" << "not a list";
    QTest::newRow("polygon of 2 points") << doc({shape("car", "polygon", pts({{1, 1}, {5, 5}}))}) << "shapes[0] (\"car\")" << "at least 3 points, this one has 2";
    QTest::newRow("rectangle of 3 points") << doc({shape("car", "rectangle", pts({{1, 1}, {5, 5}, {6, 6}}))}) << "shapes[0]" << "2 corner points";
    QTest::newRow("unknown shape type") << doc({shape("car", "hexagon", pts({{1, 1}}))}) << "shapes[0]" << "unknown shape_type \"hexagon\"";
    QTest::newRow("point not numbers") << doc({shape("car", "point", QJsonArray{QJsonArray{"a", 2}})}) << "shapes[0] (\"car\") points[0]" << "not [x, y]";
    QTest::newRow("no label") << doc({shape("", "point", pts({{1, 1}}))}) << "shapes[0]" << "needs a label";
    QTest::newRow("bad imageData") << doc(ok, {{"imageData", "%%%not base64%%%"}}) << "imageData" << "not valid base64";
    QTest::newRow("bad mask base64") << doc({shape("m", "mask", pts({{1, 1}, {2, 2}}), {{"mask", "@@@"}})}) << "shapes[0] (\"m\") mask" << "not valid base64";
    QTest::newRow("mask not an image") << doc({shape("m", "mask", pts({{1, 1}, {2, 2}}), {{"mask", "aGVsbG8="}})}) << "shapes[0] (\"m\") mask" << "not a readable image";
    QTest::newRow("mask larger than the image") << doc({shape("m", "mask", pts({{0, 0}, {1, 1}}), {{"mask", QString::fromLatin1(pngBytes(picture(60, 10)).toBase64())}})})
                                               << "shapes[0] (\"m\") mask" << "larger than its 50 x 40 image";
    QTest::newRow("negative size") << doc(ok, {{"imageHeight", -4}}) << "imageWidth/imageHeight" << "not a size in whole pixels";
    QTest::newRow("huge size") << doc(ok, {{"imageHeight", 100000}, {"imageWidth", 100000}}) << "imageWidth/imageHeight" << "over the limit";
    QTest::newRow("parent path") << doc(ok, {{"imagePath", "../../etc/passwd"}}) << "imagePath" << "leads outside the folder";
    QTest::newRow("absolute path") << doc(ok, {{"imagePath", "/etc/passwd"}}) << "imagePath" << "is absolute";
    QTest::newRow("windows absolute") << doc(ok, {{"imagePath", "C:\\Windows\\win.ini"}}) << "imagePath" << "is absolute";
    QTest::newRow("box outside the image") << doc({shape("car", "rectangle", pts({{200, 200}, {300, 300}}))}) << "a.json shapes[0]" << "lies outside the 50 x 40 image";
    QByteArray latin1 = doc({shape("car", "point", pts({{1, 1}}))});
    latin1.replace("\"car\"", "\"c\xE9r\"");
    QTest::newRow("non-UTF-8 label") << latin1 << "offset" << "not valid JSON";
}

void TestFormatLabelme::malformedInputLeavesProjectUnchanged()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, record);
    QFETCH(QString, fragment);
    QTemporaryDir dir;
    writeFile(dir.path() + "/data/a.png", pngBytes(picture(50, 40)));
    writeFile(dir.path() + "/data/a.json", json);
    auto project = store::Project::create(dir.path() + "/p.annotune");
    QVERIFY(project);
    const QByteArray before = annotune::testing::projectStateHash(**project);
    const QString file = dir.path() + "/data/a.json";
    QString message;
    auto ds = readLabelme(file, {});
    if (!ds) {
        message = ds.error().message;
    } else {
        auto report = applyImport(**project, *ds, rootedAt(labelmeImagesRoot(file)));
        QVERIFY2(!report, "the import should have failed");
        message = report.error().message;
    }
    QVERIFY2(message.contains("a.json"), qPrintable(message));
    QVERIFY2(message.contains(record), qPrintable(message));
    QVERIFY2(message.contains(fragment), qPrintable(message));
    QVERIFY(!message.contains('\n'));
    QCOMPARE(annotune::testing::projectStateHash(**project), before);
}

void TestFormatLabelme::exportReportsLoss()
{
    Dataset ds;
    const int cls = ds.classIndex("thing", ClassKind::Box);
    const int tag = ds.classIndex("sunny", ClassKind::Tag);
    ImageRecord img;
    img.fileName = "images/x.png";
    img.width = 100, img.height = 100;
    auto label = [&](AnnotationKind kind, QRectF box, QPolygonF poly = {}, QJsonObject attributes = {}) {
        LabelRecord l;
        l.classIndex = kind == AnnotationKind::Tag ? tag : cls, l.kind = kind, l.box = box, l.polygon = poly, l.attributes = attributes;
        img.labels << l;
    };
    label(AnnotationKind::Box, QRectF(10, 10, 20, 10), {}, {{"rotation", 30}});
    label(AnnotationKind::Ellipse, QRectF(10, 10, 30, 10));
    label(AnnotationKind::Ellipse, QRectF(10, 10, 10, 10));
    label(AnnotationKind::Points, QRectF(1, 1, 2, 2), QPolygonF{QPointF(1, 1), QPointF(3, 3)});
    label(AnnotationKind::Box, QRectF(1, 1, 2, 2), {}, {{"occluded", true}});
    label(AnnotationKind::Mask, QRectF(1, 1, 2, 2), {}, {{"rle", QJsonObject{{"size", QJsonArray{100, 100}}, {"counts", QJsonArray{10000}}}}});
    label(AnnotationKind::Mask, QRectF(1, 1, 2, 2), {}, {{"rle", QJsonObject{{"size", QJsonArray{100, 100}}, {"counts", QJsonArray{3}}}}});
    label(AnnotationKind::Tag, {});
    img.labels.back().score = 0.5;
    ds.images << img;
    QTemporaryDir dir;
    auto report = writeLabelme(ds, dir.path() + "/out", {});
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    const QStringList loss = report->loss.lines();
    QCOMPARE(loss, (QStringList{"ellipses that are not circles written as 32-point polygons: 1", "empty masks: 1",
                                "label attributes labelme has no field for: 1", "label scores (labelme has none): 1",
                                "masks without readable run lengths: 1", "point sets split into one point shape per point: 1",
                                "rotated boxes written as polygons: 1"}));
    QFile f(dir.path() + "/out/images/x.json");
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject written = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(written.value("shapes").toArray().size(), 6); // polygon, polygon, circle, 2 points, rectangle
    QVERIFY(written.value("flags").toObject().value("sunny").toBool());
    QCOMPARE(written.value("imagePath").toString(), QStringLiteral("x.png"));
}

void TestFormatLabelme::unwritableOutputLeavesNothing()
{
    QTemporaryDir dir;
    writeFile(dir.path() + "/file", "x");
    Dataset ds;
    ds.images << ImageRecord{"a.png", {}, 10, 10, {}, {}, {}, {}, {}};
    auto report = writeLabelme(ds, dir.path() + "/file/out", {});
    QVERIFY(!report);
    QCOMPARE(report.error().code, ErrorCode::Io);
    // An existing folder with files is refused, not merged into.
    writeFile(dir.path() + "/full/keep.txt", "x");
    QVERIFY(!writeLabelme(ds, dir.path() + "/full", {}));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), (QStringList{"file", "full"}));
    QCOMPARE(QDir(dir.path() + "/full").entryList(QDir::Files), QStringList{"keep.txt"});
}

QTEST_GUILESS_MAIN(TestFormatLabelme)
#include "test_format_labelme.moc"
