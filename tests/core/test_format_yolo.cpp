// YOLO import and export: the shared fixtures in their layouts, a round trip through a project,
// data.yaml forms, malformed inputs that must leave the project untouched, and the loss report.

#include "core/formats/datasetexport.h"
#include "core/formats/datasetimport.h"
#include "core/formats/yolo.h"
#include "core/formats/yamlsubset.h"
#include "tests/common/projectstate.h"
#include "yolovoc_helpers.h"

#include <QCryptographicHash>
#include <QTemporaryDir>

using namespace annotune::core;
using namespace annotune::core::formats;
using namespace annotune::testing;

namespace {

const QString kDatumaro = QStringLiteral(ANNOTUNE_SHARED_DATA "/formats/datumaro/tests/assets");
const QString kLabelStudio = QStringLiteral(ANNOTUNE_SHARED_DATA "/formats/label-studio/tests/data");

int imageFiles(const QString &folder)
{
    int n = 0;
    QDirIterator it(folder, {QStringLiteral("*.jpg"), QStringLiteral("*.jpeg"), QStringLiteral("*.png")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

int distinctImages(const QString &folder)
{
    QSet<QByteArray> hashes;
    QDirIterator it(folder, {QStringLiteral("*.jpg"), QStringLiteral("*.jpeg"), QStringLiteral("*.png")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        f.open(QIODevice::ReadOnly);
        hashes.insert(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256));
    }
    return int(hashes.size());
}

int lineCount(const QString &file)
{
    QFile f(file);
    f.open(QIODevice::ReadOnly);
    int n = 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        n += line.trimmed().isEmpty() ? 0 : 1;
    return n;
}

} // namespace

class TestFormatYolo : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fixtures_data();
    void fixtures();
    void roundTrip();
    void polygonsRoundTrip();
    void yamlNames_data();
    void yamlNames();
    void pairingAndWarnings();
    void malformed_data();
    void malformed();
    void exportLoss();
    void unwritable();
};

void TestFormatYolo::fixtures_data()
{
    QTest::addColumn<QString>("root");
    QTest::addColumn<QString>("labels");  // folder whose .txt files are the label files
    QTest::addColumn<QString>("names");   // the class names file
    QTest::addColumn<QStringList>("skip"); // .txt files under labels that are not label files
    QTest::newRow("label-studio flat") << kLabelStudio + QStringLiteral("/test_import_yolo_data") << QStringLiteral("labels")
                                       << QStringLiteral("classes.txt") << QStringList{};
    QTest::newRow("label-studio uniform") << kLabelStudio + QStringLiteral("/test_import_yolo_data_unif_dims") << QStringLiteral("labels")
                                          << QStringLiteral("classes.txt") << QStringList{};
    QTest::newRow("datumaro ultralytics") << kDatumaro + QStringLiteral("/yolo_dataset/labels") << QStringLiteral("labels")
                                          << QStringLiteral("obj.names") << QStringList{};
    QTest::newRow("datumaro annotations") << kDatumaro + QStringLiteral("/yolo_dataset/annotations") << QStringLiteral("Annotations")
                                          << QStringLiteral("obj.names") << QStringList{};
    QTest::newRow("datumaro darknet") << kDatumaro + QStringLiteral("/yolo_dataset/strict") << QStringLiteral("obj_train_data")
                                      << QStringLiteral("obj.names") << QStringList{};
    QTest::newRow("roboflow") << kDatumaro + QStringLiteral("/roboflow_dataset/yolo") << QString() << QStringLiteral("data.yaml") << QStringList{};
}

// Counts come from the files themselves: label lines, names lines (data.yaml: the 2 names of
// its list, read by eye), image files and distinct image contents on disk.
void TestFormatYolo::fixtures()
{
    QFETCH(QString, root);
    QFETCH(QString, labels);
    QFETCH(QString, names);
    QFETCH(QStringList, skip);
    QVERIFY2(QFileInfo(root).isDir(), qPrintable(root));
    auto ds = readYolo(root, {});
    QVERIFY2(ds, ds ? "" : qPrintable(ds.error().message));
    const int expectedLabels = countLines(root + QLatin1Char('/') + labels, skip);
    const int expectedClasses = names.endsWith(QLatin1String(".yaml")) ? 2 : lineCount(root + QLatin1Char('/') + names);
    QCOMPARE(ds->classes.size(), expectedClasses);
    QCOMPARE(int(ds->images.size()), imageFiles(root));
    int labelCount = 0;
    for (const ImageRecord &img : ds->images)
        labelCount += int(img.labels.size());
    QCOMPARE(labelCount, expectedLabels);

    QTemporaryDir dir;
    auto project = freshProject(dir.path());
    auto report = applyImport(*project, *ds, {yoloImagesRoot(root)});
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->labels, qint64(expectedLabels));
    QCOMPARE(report->itemsAdded, distinctImages(root)); // identical images become one item
    QVERIFY(report->missingImages.isEmpty());
}

void TestFormatYolo::roundTrip()
{
    const QString root = kLabelStudio + QStringLiteral("/test_import_yolo_data");
    auto first = readYolo(root, {});
    QVERIFY(first);
    QTemporaryDir dir;
    auto project = freshProject(dir.path());
    QVERIFY(applyImport(*project, *first, {root}));
    auto collected = collectDataset(*project, {});
    QVERIFY(collected);
    auto written = writeYolo(*collected, dir.path() + QStringLiteral("/out"), WriteOptions{true});
    QVERIFY2(written, written ? "" : qPrintable(written.error().message));
    QCOMPARE(written->images, qint64(7));
    QCOMPARE(written->labels, qint64(25)); // 4+4+4+4+3+4+2 lines in the fixture's label files
    QVERIFY(written->loss.counts.isEmpty());
    auto again = readYolo(dir.path() + QStringLiteral("/out"), {});
    QVERIFY2(again, again ? "" : qPrintable(again.error().message));
    QCOMPARE(again->classes.size(), collected->classes.size());
    for (qsizetype i = 0; i < again->classes.size(); ++i)
        QCOMPARE(again->classes[i].name, collected->classes[i].name);
    compareDatasets(*collected, *again, 1e-6, false);
    compareDatasets(*first, *again, 1e-3, false); // first read vs final, only float noise clipped
}

void TestFormatYolo::polygonsRoundTrip()
{
    QTemporaryDir dir;
    const QString root = dir.path() + QStringLiteral("/in");
    writeImage(root + QStringLiteral("/images/train/a.png"), 40, 20, 1);
    writeImage(root + QStringLiteral("/images/val/b.png"), 30, 30, 2);
    writeFile(root + QStringLiteral("/labels/train/a.txt"), "0 0.1 0.1 0.5 0.2 0.3 0.9\n1 0.5 0.5 0.25 0.5\n");
    writeFile(root + QStringLiteral("/labels/val/b.txt"), "0 0 0 1 0 1 1 0 1\n");
    writeFile(root + QStringLiteral("/data.yaml"), "path: .\ntrain: images/train\nval: images/val\nnames:\n  - 'tri # angle'\n  - \"box\"\n");
    auto first = readYolo(root, {});
    QVERIFY2(first, first ? "" : qPrintable(first.error().message));
    QCOMPARE(first->classes[0].name, QStringLiteral("tri # angle"));
    QCOMPARE(first->classes[0].kind, ClassKind::Polygon);
    QCOMPARE(first->images[0].split, std::optional<Split>(Split::Train));
    QCOMPARE(first->images[1].split, std::optional<Split>(Split::Val));
    QCOMPARE(first->images[0].labels[0].polygon[2], QPointF(0.3 * 40, 0.9 * 20));
    auto project = freshProject(dir.path());
    QVERIFY(applyImport(*project, *first, {root}));
    auto collected = collectDataset(*project, {});
    QVERIFY(collected);
    auto written = writeYolo(*collected, dir.path() + QStringLiteral("/out"), WriteOptions{true});
    QVERIFY(written);
    QCOMPARE(written->loss.counts.value(QStringLiteral("note: boxes and polygons mixed (YOLO trainers expect one kind); polygons kept as segmentation lines")), 2);
    auto again = readYolo(dir.path() + QStringLiteral("/out"), {});
    QVERIFY(again);
    compareDatasets(*first, *again, 1e-6, false);
}

void TestFormatYolo::yamlNames_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QStringList>("names");
    QTest::newRow("flow list") << QByteArray("names: ['a', \"b c\", d]  # comment\nnc: 3\n") << QStringList{"a", "b c", "d"};
    QTest::newRow("flow list over lines") << QByteArray("names: [a,\n  b]\n") << QStringList{"a", "b"};
    QTest::newRow("block list") << QByteArray("# top\nnames:\n- a\n- 'it''s'\n") << QStringList{"a", "it's"};
    QTest::newRow("mapping") << QByteArray("path: ../x\nnames:\n  0: person\n  1: \"traffic light\"\n  2: x#y\n") << QStringList{"person", "traffic light", "x#y"};
    QTest::newRow("flow mapping") << QByteArray("names: {0: a, 1: b}\n") << QStringList{"a", "b"};
    QTest::newRow("crlf and bom") << QByteArray("\xEF\xBB\xBFnames: [a, b]\r\n") << QStringList{"a", "b"};
}

void TestFormatYolo::yamlNames()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QStringList, names);
    QTemporaryDir dir;
    writeFile(dir.path() + QStringLiteral("/data.yaml"), yaml);
    auto ds = readYolo(dir.path(), {});
    QVERIFY2(ds, ds ? "" : qPrintable(ds.error().message));
    QStringList got;
    for (const DatasetClass &c : ds->classes)
        got << c.name;
    QCOMPARE(got, names);
}

void TestFormatYolo::pairingAndWarnings()
{
    QTemporaryDir dir;
    const QString root = dir.path() + QStringLiteral("/in");
    writeImage(root + QStringLiteral("/images/a.png"), 10, 10, 1);
    writeImage(root + QStringLiteral("/images/b.png"), 10, 10, 2);         // no label file: unlabelled
    writeImage(root + QStringLiteral("/side/c.png"), 10, 10, 3);           // label beside it
    writeFile(root + QStringLiteral("/side/c.txt"), "0 0.5 0.5 0.2 0.2\r\n\r\n");
    writeFile(root + QStringLiteral("/labels/a.txt"), "0 0.5 0.5 0.2 0.2\n");
    writeFile(root + QStringLiteral("/labels/orphan.txt"), "0 0.5 0.5 0.2 0.2\n");
    writeFile(root + QStringLiteral("/classes.txt"), "thing\n");
    auto ds = readYolo(root, {});
    QVERIFY(ds);
    QCOMPARE(ds->images.size(), 3);
    QCOMPARE(ds->images[0].labels.size(), 1); // images/a.png
    QCOMPARE(ds->images[1].labels.size(), 0); // images/b.png
    QCOMPARE(ds->images[2].labels.size(), 1); // side/c.png
    QCOMPARE(ds->warnings.size(), 1);
    QVERIFY2(ds->warnings[0].contains(QStringLiteral("labels/orphan.txt")), qPrintable(ds->warnings[0]));
}

void TestFormatYolo::malformed_data()
{
    QTest::addColumn<QString>("file");     // relative path of the file written with content
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("record");   // names the record in the message
    QTest::addColumn<QString>("reason");
    const QString label = QStringLiteral("labels/a.txt");
    QTest::newRow("class out of range") << label << QByteArray("0 0.5 0.5 0.1 0.1\n2 0.5 0.5 0.1 0.1\n") << "a.txt: line 2" << "class index 2 is out of range";
    QTest::newRow("negative class") << label << QByteArray("-1 0.5 0.5 0.1 0.1\n") << "a.txt: line 1" << "negative";
    QTest::newRow("fraction class") << label << QByteArray("1.5 0.5 0.5 0.1 0.1\n") << "a.txt: line 1" << "not a whole number";
    QTest::newRow("too few fields") << label << QByteArray("0 0.5 0.5 0.1\n") << "a.txt: line 1" << "4 fields";
    QTest::newRow("polygon of one point") << label << QByteArray("0 0.5 0.5\n") << "a.txt: line 1" << "3 fields";
    QTest::newRow("odd polygon") << label << QByteArray("0 .1 .1 .2 .2 .3 .3 .4\n") << "a.txt: line 1" << "8 fields";
    QTest::newRow("not a number") << label << QByteArray("0 0.5 abc 0.1 0.1\n") << "a.txt: line 1" << "\"abc\" is not a finite number";
    QTest::newRow("nan") << label << QByteArray("0 nan 0.5 0.1 0.1\n") << "a.txt: line 1" << "not a finite number";
    QTest::newRow("outside [0,1]") << label << QByteArray("0 1.5 0.5 0.1 0.1\n") << "a.txt: line 1" << "outside [0, 1]";
    QTest::newRow("negative width") << label << QByteArray("0 0.5 0.5 -0.2 0.1\n") << "a.txt: line 1" << "outside [0, 1]";
    QTest::newRow("non-utf8 names") << QStringLiteral("classes.txt") << QByteArray("c\xff\xfe\n") << "classes.txt" << "not valid UTF-8";
    QTest::newRow("truncated yaml") << QStringLiteral("data.yaml") << QByteArray("names: [a, b\n") << "data.yaml: line 1" << "never closed";
    QTest::newRow("yaml nc disagrees") << QStringLiteral("data.yaml") << QByteArray("nc: 3\nnames: [a, b]\n") << "data.yaml: line 1" << "nc is 3";
    QTest::newRow("empty class name") << QStringLiteral("classes.txt") << QByteArray("a\n\nb\n") << "classes.txt: line 2" << "empty class name";
    QTest::newRow("link outside the folder") << QStringLiteral("images/evil.png") << QByteArray("@link") << "images/evil.png" << "leads outside the chosen folder";
}

// Each case: a valid two-class dataset with one file replaced; the read or the import must fail
// with the file and record named, and the project must stay exactly as it was.
void TestFormatYolo::malformed()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, record);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const QString root = dir.path() + QStringLiteral("/in");
    writeImage(root + QStringLiteral("/images/a.png"), 20, 10);
    writeFile(root + QStringLiteral("/labels/a.txt"), "0 0.5 0.5 0.2 0.2\n");
    writeFile(root + QStringLiteral("/classes.txt"), "a\nb\n");
    if (content == "@link") {
        writeImage(dir.path() + QStringLiteral("/outside.png"), 20, 10, 9);
        QVERIFY(QFile::link(dir.path() + QStringLiteral("/outside.png"), root + QLatin1Char('/') + file));
        writeFile(root + QStringLiteral("/labels/evil.txt"), "0 0.5 0.5 0.2 0.2\n");
    } else {
        writeFile(root + QLatin1Char('/') + file, content);
    }
    auto project = freshProject(dir.path());
    const QByteArray before = projectStateHash(*project);
    QString message;
    auto ds = readYolo(root, {});
    if (!ds) {
        message = ds.error().message;
    } else {
        auto report = applyImport(*project, *ds, {root});
        QVERIFY2(!report, "import should fail");
        message = report.error().message;
    }
    qInfo().noquote() << message;
    QVERIFY2(message.contains(reason), qPrintable(message));
    QVERIFY2(message.contains(record), qPrintable(message));
    QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
    QCOMPARE(projectStateHash(*project), before);
}

void TestFormatYolo::exportLoss()
{
    QTemporaryDir dir;
    writeImage(dir.path() + QStringLiteral("/m/a.png"), 100, 50);
    Dataset ds;
    ds.classIndex(QStringLiteral("thing"));
    ImageRecord img;
    img.fileName = QStringLiteral("m/a.png");
    img.mediaPath = dir.path() + QStringLiteral("/m/a.png");
    img.width = 100;
    img.height = 50;
    auto add = [&](AnnotationKind kind, QJsonObject attributes = {}, std::optional<double> score = {}) {
        LabelRecord l;
        l.classIndex = 0;
        l.kind = kind;
        l.box = QRectF(10, 10, 20, 20);
        if (kind == AnnotationKind::Polygon || kind == AnnotationKind::Polyline || kind == AnnotationKind::Points)
            l.polygon = QPolygonF({QPointF(10, 10), QPointF(30, 10), QPointF(30, 30)});
        l.attributes = attributes;
        l.score = score;
        img.labels << l;
    };
    add(AnnotationKind::Box, {{QStringLiteral("difficult"), true}}, 0.5);
    add(AnnotationKind::Polygon);
    add(AnnotationKind::Ellipse, {{QStringLiteral("rotation"), 30}});
    add(AnnotationKind::Ellipse);
    add(AnnotationKind::Mask);
    add(AnnotationKind::Polyline);
    add(AnnotationKind::Points);
    add(AnnotationKind::Tag);
    ds.images << img;
    auto report = writeYolo(ds, dir.path() + QStringLiteral("/out"), {});
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->labels, qint64(5)); // box, polygon, two ellipses, mask
    const QHash<QString, qint64> expected{
        {QStringLiteral("ellipses written as their bounding boxes"), 2},
        {QStringLiteral("masks written as their bounding boxes"), 1},
        {QStringLiteral("polyline labels (no place in YOLO)"), 1},
        {QStringLiteral("points labels (no place in YOLO)"), 1},
        {QStringLiteral("tag labels (no place in YOLO)"), 1},
        {QStringLiteral("scores (not carried by YOLO label files)"), 1},
        {QStringLiteral("label attributes (not carried by YOLO)"), 1},
        {QStringLiteral("note: boxes and polygons mixed (YOLO trainers expect one kind); polygons kept as segmentation lines"), 1},
    };
    QCOMPARE(report->loss.counts, expected);
    QCOMPARE(lineCount(dir.path() + QStringLiteral("/out/labels/train/a.txt")), 5);
    QVERIFY(!QFileInfo::exists(dir.path() + QStringLiteral("/out/images"))); // not copied unless asked
}

void TestFormatYolo::unwritable()
{
    QTemporaryDir dir;
    Dataset ds;
    ds.classIndex(QStringLiteral("thing"));
    ImageRecord img;
    img.fileName = QStringLiteral("a.png");
    img.width = img.height = 10;
    ds.images << img;
    writeFile(dir.path() + QStringLiteral("/file"), "x");
    const QStringList before = QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    auto underFile = writeYolo(ds, dir.path() + QStringLiteral("/file/out"), {});
    QVERIFY(!underFile);
    QVERIFY2(underFile.error().message.contains(QStringLiteral("file/out")), qPrintable(underFile.error().message));
    writeFile(dir.path() + QStringLiteral("/full/keep.txt"), "mine");
    auto full = writeYolo(ds, dir.path() + QStringLiteral("/full"), {});
    QVERIFY(!full);
    QCOMPARE(full.error().code, ErrorCode::Conflict);
    QCOMPARE(QDir(dir.path() + QStringLiteral("/full")).entryList(QDir::Files), QStringList{QStringLiteral("keep.txt")});
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), before + QStringList{QStringLiteral("full")});
}

QTEST_GUILESS_MAIN(TestFormatYolo)
#include "test_format_yolo.moc"
