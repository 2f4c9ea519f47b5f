// Pascal VOC import and export: the shared fixtures, the coordinate convention, a round trip
// through a project, malformed and hostile files that must leave the project untouched, and
// the loss report.

#include "core/formats/datasetexport.h"
#include "core/formats/datasetimport.h"
#include "core/formats/voc.h"
#include "tests/common/projectstate.h"
#include "yolovoc_helpers.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QXmlStreamReader>

using namespace annotune::core;
using namespace annotune::core::formats;
using namespace annotune::testing;

namespace {

const QString kVoc = QStringLiteral(ANNOTUNE_SHARED_DATA "/formats/datumaro/tests/assets/voc_dataset");

// <object> elements in every annotation file, counted with a plain XML reader.
int countObjects(const QString &root)
{
    int n = 0;
    const QDir dir(root + QStringLiteral("/Annotations"));
    for (const QString &f : dir.entryList({QStringLiteral("*.xml")}, QDir::Files)) {
        QFile file(dir.filePath(f));
        file.open(QIODevice::ReadOnly);
        QXmlStreamReader xml(&file);
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("object"))
                ++n;
    }
    return n;
}

int labelmapClasses(const QString &root)
{
    QFile f(root + QStringLiteral("/labelmap.txt"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    int n = 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        n += line.trimmed().isEmpty() || line.startsWith('#') ? 0 : 1;
    return n;
}

const QByteArray kHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

QByteArray annotation(const QByteArray &objects, const QByteArray &size = "<size><width>20</width><height>10</height><depth>3</depth></size>",
                      const QByteArray &fileName = "a.png")
{
    return kHeader + "<annotation><filename>" + fileName + "</filename>" + size + objects + "</annotation>\n";
}

QByteArray object(const QByteArray &name, const QByteArray &box, const QByteArray &extra = {})
{
    return "<object><name>" + name + "</name>" + extra + "<bndbox>" + box + "</bndbox></object>";
}

const QByteArray kBox = "<xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax>";

} // namespace

class TestFormatVoc : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fixtures_data();
    void fixtures();
    void convention();
    void roundTrip();
    void malformed_data();
    void malformed();
    void exportLoss();
    void unwritable();
};

void TestFormatVoc::fixtures_data()
{
    QTest::addColumn<QString>("root");
    QTest::addColumn<int>("images");   // annotation files plus JPEGImages files without one (by listing)
    QTest::addColumn<int>("missing");  // images the folder lacks
    QTest::addColumn<int>("items");    // distinct image contents (md5 of the JPEGImages files)
    QTest::newRow("voc_dataset1") << kVoc + QStringLiteral("/voc_dataset1") << 2 << 0 << 1; // 1 xml + 2007_000002.jpg, same bytes
    QTest::newRow("voc_dataset2") << kVoc + QStringLiteral("/voc_dataset2") << 5 << 5 << 0; // 5 xml, no JPEGImages
    QTest::newRow("voc_dataset3") << kVoc + QStringLiteral("/voc_dataset3") << 1 << 0 << 1;
}

void TestFormatVoc::fixtures()
{
    QFETCH(QString, root);
    QFETCH(int, images);
    QFETCH(int, missing);
    QFETCH(int, items);
    auto ds = readVoc(root, {});
    QVERIFY2(ds, ds ? "" : qPrintable(ds.error().message));
    QCOMPARE(int(ds->images.size()), images);
    int labels = 0;
    for (const ImageRecord &img : ds->images)
        labels += int(img.labels.size());
    QCOMPARE(labels, countObjects(root));
    if (labelmapClasses(root) >= 0)
        QCOMPARE(int(ds->classes.size()), labelmapClasses(root));
    QTemporaryDir dir;
    auto project = freshProject(dir.path());
    ImportOptions options{vocImagesRoot(root)};
    options.skipMissingImages = missing > 0;
    auto report = applyImport(*project, *ds, options);
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->missingImages.size(), missing);
    QCOMPARE(report->itemsAdded, items);
    QCOMPARE(report->labels, missing ? 0 : qint64(labels));
}

// VOC's 1-based inclusive pixels become continuous edges: x = xmin - 1, right = xmax.
void TestFormatVoc::convention()
{
    auto ds = readVoc(kVoc + QStringLiteral("/voc_dataset1"), {});
    QVERIFY(ds);
    const ImageRecord &img = ds->images[0];
    QCOMPARE(img.fileName, QStringLiteral("2007_000001.jpg"));
    QCOMPARE(img.split, std::optional<Split>(Split::Train)); // ImageSets/Main/train.txt
    QCOMPARE(ds->images[1].split, std::optional<Split>(Split::Test)); // test.txt lists 2007_000002
    QCOMPARE(img.labels[0].box, QRectF(0, 1, 3, 3)); // cat: xmin 1, ymin 2, xmax 3, ymax 4
    QCOMPARE(img.labels[0].attributes, QJsonObject({{QStringLiteral("truncated"), true}}));
    const QJsonObject person = img.labels[1].attributes;
    QCOMPARE(person.value(QStringLiteral("parts")).toArray().size(), 1);
    QCOMPARE(person.value(QStringLiteral("parts"))[0][QStringLiteral("xmin")].toDouble(), 5.5);
    QCOMPARE(person.value(QStringLiteral("actions"))[QStringLiteral("phoning")].toBool(), true);
    QCOMPARE(toVocBox(img.labels[0].box).xmin, 1.0);
    QCOMPARE(toVocBox(img.labels[0].box).ymax, 4.0);
}

void TestFormatVoc::roundTrip()
{
    const QString root = kVoc + QStringLiteral("/voc_dataset1");
    auto first = readVoc(root, {});
    QVERIFY(first);
    QTemporaryDir dir;
    auto project = freshProject(dir.path());
    QVERIFY(applyImport(*project, *first, {vocImagesRoot(root)}));
    auto collected = collectDataset(*project, {});
    QVERIFY(collected);
    auto written = writeVoc(*collected, dir.path() + QStringLiteral("/out"), WriteOptions{true});
    QVERIFY2(written, written ? "" : qPrintable(written.error().message));
    QVERIFY(written->loss.counts.isEmpty());
    auto again = readVoc(dir.path() + QStringLiteral("/out"), {});
    QVERIFY2(again, again ? "" : qPrintable(again.error().message));
    QCOMPARE(again->classes.size(), collected->classes.size());
    for (qsizetype i = 0; i < again->classes.size(); ++i)
        QCOMPARE(again->classes[i].name, collected->classes[i].name);
    compareDatasets(*collected, *again, 1e-9, true);
    Dataset labelled = *first; // 2007_000002.jpg has the same bytes as 2007_000001.jpg: one item
    labelled.images.removeIf([](const ImageRecord &img) { return img.labels.isEmpty(); });
    compareDatasets(labelled, *again, 1e-9, true);
    QVERIFY(again->warnings.isEmpty());
}

void TestFormatVoc::malformed_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("record");
    QTest::addColumn<QString>("reason");
    const QByteArray ok = object("cat", kBox);
    QTest::newRow("truncated") << annotation(ok).left(120) << "a.xml: line" << "XML error";
    QTest::newRow("missing bndbox") << annotation("<object><name>cat</name></object>") << "a.xml: line 2 <object> 1" << "has no <bndbox>";
    QTest::newRow("missing name") << annotation(ok + "<object><bndbox>" + kBox + "</bndbox></object>") << "<object> 2" << "has no <name>";
    QTest::newRow("missing xmax") << annotation(object("cat", "<xmin>1</xmin><ymin>1</ymin><ymax>5</ymax>")) << "<object> 1" << "has no <xmax>";
    QTest::newRow("xmin > xmax") << annotation(object("cat", "<xmin>9</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax>")) << "<object> 1" << "xmin 9 > xmax 5";
    QTest::newRow("non-numeric") << annotation(object("cat", "<xmin>one</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax>")) << "<object> 1" << "\"one\" is not a finite number";
    QTest::newRow("infinite") << annotation(object("cat", "<xmin>1</xmin><ymin>1</ymin><xmax>inf</xmax><ymax>5</ymax>")) << "<object> 1" << "not a finite number";
    QTest::newRow("bad flag") << annotation(object("cat", kBox, "<difficult>maybe</difficult>")) << "<object> 1" << "not 0 or 1";
    QTest::newRow("negative size") << annotation(ok, "<size><width>-20</width><height>10</height></size>") << "<size>" << "not a whole number of pixels";
    QTest::newRow("huge size") << annotation(ok, "<size><width>100000</width><height>100000</height></size>") << "<size>" << "over the limit";
    QTest::newRow("unknown class") << annotation(object("zebra", kBox)) << "a.xml: <object> 1" << "not in labelmap.txt";
    QTest::newRow("billion laughs") << QByteArray("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">"
                                                  "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;\">]><annotation><filename>&lol3;</filename></annotation>")
                                    << "a.xml: line 1" << "DTD and entities are not allowed";
    QTest::newRow("external entity") << QByteArray("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<annotation><filename>&x;</filename></annotation>")
                                     << "a.xml: line" << "DTD and entities are not allowed";
    QTest::newRow("undeclared entity") << annotation(object("&x;", kBox)) << "a.xml: line" << "XML error";
    QTest::newRow("not utf-8") << annotation(object("c\xff\xfe", kBox)) << "a.xml: line" << "XML error";
    QTest::newRow("wrong root") << QByteArray("<doc/>") << "a.xml: line 1" << "expected <annotation>";
    QTest::newRow("parent path") << annotation(ok, {}, "../../etc/passwd") << "Annotations/a.xml: file name \"../../etc/passwd\"" << "would leave the chosen folder";
    QTest::newRow("absolute path") << annotation(ok, {}, "/etc/passwd") << "Annotations/a.xml" << "absolute paths are not allowed";
    QTest::newRow("outside the image") << annotation(object("cat", "<xmin>100</xmin><ymin>1</ymin><xmax>120</xmax><ymax>5</ymax>"))
                                       << "Annotations/a.xml <object> 1" << "lies outside the 20 x 10 image";
}

// A folder with a valid image and labelmap and one annotation file; the read or the import must
// fail naming file and record, leaving the project as it was.
void TestFormatVoc::malformed()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, record);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const QString root = dir.path() + QStringLiteral("/voc");
    writeImage(root + QStringLiteral("/JPEGImages/a.png"), 20, 10);
    writeFile(root + QStringLiteral("/labelmap.txt"), "# label:color_rgb:parts:actions\ncat:1,2,3::\n");
    writeFile(root + QStringLiteral("/Annotations/a.xml"), xml);
    auto project = freshProject(dir.path());
    const QByteArray before = projectStateHash(*project);
    QString message;
    auto ds = readVoc(root, {});
    if (!ds) {
        message = ds.error().message;
    } else {
        auto report = applyImport(*project, *ds, {vocImagesRoot(root)});
        QVERIFY2(!report, "import should fail");
        message = report.error().message;
    }
    qInfo().noquote() << message;
    QVERIFY2(message.contains(reason), qPrintable(message));
    QVERIFY2(message.contains(record), qPrintable(message));
    QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
    QCOMPARE(projectStateHash(*project), before);
}

void TestFormatVoc::exportLoss()
{
    QTemporaryDir dir;
    Dataset ds;
    ds.classIndex(QStringLiteral("thing"));
    ImageRecord img;
    img.fileName = QStringLiteral("sub/a.png");
    img.mediaPath = dir.path() + QStringLiteral("/missing.png");
    img.width = 100;
    img.height = 50;
    auto add = [&](AnnotationKind kind, QJsonObject attributes = {}, std::optional<double> score = {}) {
        LabelRecord l;
        l.classIndex = 0;
        l.kind = kind;
        l.box = QRectF(10, 10, 20, 20);
        if (kind == AnnotationKind::Polygon || kind == AnnotationKind::Polyline)
            l.polygon = QPolygonF({QPointF(10, 10), QPointF(30, 10), QPointF(30, 30)});
        l.attributes = attributes;
        l.score = score;
        img.labels << l;
    };
    add(AnnotationKind::Box, {{QStringLiteral("difficult"), true}, {QStringLiteral("color"), QStringLiteral("red")}}, 0.9);
    add(AnnotationKind::Polygon);
    add(AnnotationKind::Polygon);
    add(AnnotationKind::Polyline);
    add(AnnotationKind::Ellipse, {{QStringLiteral("rotation"), 10}});
    add(AnnotationKind::Mask, {{QStringLiteral("rle"), QStringLiteral("x")}});
    add(AnnotationKind::Tag);
    ds.images << img;
    auto report = writeVoc(ds, dir.path() + QStringLiteral("/out"), WriteOptions{true});
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->labels, qint64(6));
    const QHash<QString, qint64> expected{
        {QStringLiteral("polygon labels written as their bounding boxes"), 2},
        {QStringLiteral("polyline labels written as their bounding boxes"), 1},
        {QStringLiteral("ellipse labels written as their bounding boxes"), 1},
        {QStringLiteral("mask labels written as their bounding boxes"), 1},
        {QStringLiteral("tag labels (no place in VOC)"), 1},
        {QStringLiteral("scores (not carried by VOC)"), 1},
        {QStringLiteral("attribute \"color\" (not carried by VOC)"), 1},
        {QStringLiteral("images not copied (media file missing)"), 1},
    };
    QCOMPARE(report->loss.counts, expected);
    auto again = readVoc(dir.path() + QStringLiteral("/out"), {});
    QVERIFY(again);
    QCOMPARE(again->images[0].fileName, QStringLiteral("a.png"));
    QCOMPARE(again->images[0].labels.size(), 6);
    QCOMPARE(again->images[0].labels[0].attributes, QJsonObject({{QStringLiteral("difficult"), true}}));
    QCOMPARE(again->images[0].labels[1].box, QRectF(10, 10, 20, 20));
}

void TestFormatVoc::unwritable()
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
    auto result = writeVoc(ds, dir.path() + QStringLiteral("/file/out"), {});
    QVERIFY(!result);
    QVERIFY2(result.error().message.contains(QStringLiteral("file/out")), qPrintable(result.error().message));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), before);
    CancelFlag cancel{true};
    WriteOptions options;
    options.cancel = &cancel;
    auto cancelled = writeVoc(ds, dir.path() + QStringLiteral("/out"), options);
    QVERIFY(!cancelled);
    QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), before);
}

QTEST_GUILESS_MAIN(TestFormatVoc)
#include "test_format_voc.moc"
