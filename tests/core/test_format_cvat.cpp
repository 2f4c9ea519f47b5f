// CVAT for images 1.1: the datumaro fixtures import with the counts their files hold, a rich file
// survives read -> project -> export -> read, malformed files fail naming file and record without
// touching the project, and what CVAT cannot hold is counted as export loss.

#include "core/formats/cvatformat.h"
#include "core/formats/datasetexport.h"
#include "core/formats/datasetimport.h"
#include "core/formats/registry.h"
#include "core/store/project.h"
#include "tests/common/projectstate.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace annotune::core;
using namespace annotune::core::formats;

namespace {

QString fixture(const QString &rel)
{
    return QStringLiteral(ANNOTUNE_SHARED_DATA "/formats/datumaro/tests/assets/cvat_dataset/") + rel;
}

// Counted straight from the XML, independently of the reader: images, shapes with a label,
// shapes whose label is empty.
struct RawCounts {
    int images = 0, labelled = 0, unlabelled = 0;
};

RawCounts countRaw(const QString &path)
{
    static const QStringList shapes{"box", "polygon", "polyline", "points", "ellipse", "mask", "tag"};
    RawCounts c;
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    QXmlStreamReader xml(&f);
    bool inImage = false;
    while (!xml.atEnd()) {
        const auto t = xml.readNext();
        if (t == QXmlStreamReader::StartElement && xml.name() == u"image") {
            ++c.images;
            inImage = true;
        } else if (t == QXmlStreamReader::EndElement && xml.name() == u"image") {
            inImage = false;
        } else if (t == QXmlStreamReader::StartElement && inImage && shapes.contains(xml.name().toString())) {
            ++(xml.attributes().value(QLatin1String("label")).isEmpty() ? c.unlabelled : c.labelled);
        }
    }
    return c;
}

qsizetype labelCount(const Dataset &ds)
{
    qsizetype n = 0;
    for (const ImageRecord &img : ds.images)
        n += img.labels.size();
    return n;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// A folder with images/img0.jpg (8 x 8) and images/img1.jpg (10 x 10) from the fixture.
void copyImages(const QString &folder)
{
    QDir().mkpath(folder + "/images");
    for (const char *name : {"img0.jpg", "img1.jpg"})
        QVERIFY(QFile::copy(fixture(QStringLiteral("for_images/export_task/images/") + name), folder + "/images/" + name));
}

ImportOptions importFrom(const QString &root)
{
    ImportOptions o;
    o.imagesRoot = root;
    return o;
}

LabelRecord makeLabel(int classIndex, AnnotationKind kind, const QRectF &box)
{
    LabelRecord l;
    l.classIndex = classIndex;
    l.kind = kind;
    l.box = box;
    return l;
}

bool hasWarning(const QStringList &warnings, const QString &fragment)
{
    return std::any_of(warnings.cbegin(), warnings.cend(), [&](const QString &w) { return w.contains(fragment); });
}

// Every shape kind with CVAT's extras on two images; "cat" is used but not declared.
const char *kRichFile = R"(<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>1.1</version>
  <meta><task><labels>
    <label><name>car</name><type>rectangle</type>
      <attributes><attribute><name>color</name><input_type>select</input_type><values>red
blue</values></attribute></attributes></label>
    <label><name>road</name><type>polygon</type></label>
    <label><name>lane</name><type>polyline</type></label>
    <label><name>joint</name><type>points</type></label>
    <label><name>wheel</name><type>ellipse</type></label>
    <label><name>stain</name><type>mask</type></label>
    <label><name>sunny</name><type>tag</type></label>
  </labels></task></meta>
  <image id="0" name="img0.jpg" width="8" height="8">
    <box label="car" source="manual" occluded="1" xtl="0.5" ytl="1.25" xbr="6.125" ybr="7" rotation="12.5" z_order="2" group_id="3">
      <attribute name="color">red</attribute>
      <attribute name="parked">true</attribute>
    </box>
    <polygon label="road" occluded="0" points="1,1;7,1;7.5,6.25;0.333333,5" z_order="0"/>
    <polyline label="lane" occluded="0" points="0,0;4,4;8,2" z_order="1"/>
    <points label="joint" occluded="0" points="2,3;4.75,5" z_order="0"/>
    <tag label="sunny" source="auto"><attribute name="confidence">high</attribute></tag>
  </image>
  <image id="1" name="img1.jpg" width="10" height="10">
    <ellipse label="wheel" occluded="0" cx="5" cy="4.5" rx="2.5" ry="1.5" rotation="30" z_order="0"/>
    <mask label="stain" source="semi-auto" occluded="0" rle="3, 2, 1, 3, 3" left="2" top="3" width="4" height="3" z_order="0"/>
    <box label="cat" occluded="0" xtl="1" ytl="1" xbr="3" ybr="3" z_order="0"/>
  </image>
</annotations>
)";

} // namespace

class TestFormatCvat : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registered();
    void taskFixture();
    void projectFixture();
    void videoRefused();
    void richFileReadsEverything();
    void goldenRoundTrip();
    void tolerated();
    void malformed_data();
    void malformed();
    void exportLoss();
    void unwritableOutput();
};

void TestFormatCvat::registered()
{
    const FormatInfo *f = findFormat(QStringLiteral("CVAT"));
    QVERIFY(f);
    QVERIFY(f->read && f->write && f->imagesRoot);
    QVERIFY(!f->outputIsFolder);
    QCOMPARE(f->imagesRoot(fixture("for_images/export_task/train.xml")), QDir::cleanPath(fixture("for_images/export_task/images")));
}

void TestFormatCvat::taskFixture()
{
    const QString path = fixture("for_images/export_task/train.xml");
    const RawCounts raw = countRaw(path); // 2 images, box + points labelled, polyline + polygon with label=""
    auto ds = readCvat(path, {});
    QVERIFY2(ds, qPrintable(ds ? QString() : ds.error().message));
    QCOMPARE(ds->images.size(), raw.images);
    QCOMPARE(labelCount(*ds), raw.labelled);
    QVERIFY(hasWarning(ds->warnings, QStringLiteral("shapes with an empty label were skipped: %1").arg(raw.unlabelled)));
    QCOMPARE(ds->classes.size(), 2);
    QCOMPARE(ds->classes[0].name, QStringLiteral("label1"));
    QCOMPARE(ds->images[0].fileName, QStringLiteral("img0.jpg"));
    QCOMPARE(ds->images[0].where, QStringLiteral("<image id=\"0\" name=\"img0.jpg\">"));
    const LabelRecord &box = ds->images[0].labels[0];
    QCOMPARE(box.kind, AnnotationKind::Box);
    QCOMPARE(box.box, QRectF(0, 2, 4, 2));
    QCOMPARE(box.attributes.value("occluded").toBool(), true);
    QCOMPARE(box.attributes.value("z_order").toInt(), 1);
    const QJsonObject values = box.attributes.value("attributes").toObject();
    QCOMPARE(values.value("a1").toString(), QStringLiteral("true"));
    QCOMPARE(values.value("a3").toString(), QStringLiteral("0003"));
    QCOMPARE(values.value("a4").toString(), QStringLiteral("2.4"));
    QCOMPARE(ds->images[1].labels[0].kind, AnnotationKind::Points);
    QCOMPARE(ds->images[1].labels[0].polygon, QPolygonF({{1, 2}, {3, 4}, {5, 6}}));

    QTemporaryDir dir;
    auto project = store::Project::create(dir.filePath("p.annotune"));
    QVERIFY(project);
    auto report = applyImport(**project, *ds, importFrom(cvatImagesRoot(path)));
    QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
    QCOMPARE(report->itemsAdded, raw.images);
    QCOMPARE(report->labels, qint64(raw.labelled));
    QCOMPARE(report->classesAdded, QStringList({"label1", "label2"}));
}

void TestFormatCvat::projectFixture()
{
    const QString path = fixture("for_images/export_project/annotations.xml");
    const RawCounts raw = countRaw(path); // 6 images (2 in each of Test, Train, Validation), 12 shapes
    auto ds = readCvat(path, {});
    QVERIFY2(ds, qPrintable(ds ? QString() : ds.error().message));
    QCOMPARE(ds->images.size(), raw.images);
    QCOMPARE(labelCount(*ds), raw.labelled);
    QCOMPARE(raw.unlabelled, 0);
    // A project export keeps each subset's images in images/<subset>/; ids repeat across subsets.
    QCOMPARE(ds->images[0].fileName, QStringLiteral("Test/img0.jpg"));
    QCOMPARE(ds->images[2].fileName, QStringLiteral("Train/img0.jpg"));
    QCOMPARE(ds->images[0].split, std::optional(Split::Test));
    QCOMPARE(ds->images[2].split, std::optional(Split::Train));
    QCOMPARE(ds->images[4].split, std::optional(Split::Val));
    QCOMPARE(ds->images[0].labels[1].kind, AnnotationKind::Polyline);
    QCOMPARE(ds->classes[1].kind, ClassKind::Polyline); // label2 has no <type>: its first use decides

    QTemporaryDir dir;
    auto project = store::Project::create(dir.filePath("p.annotune"));
    QVERIFY(project);
    auto report = applyImport(**project, *ds, importFrom(cvatImagesRoot(path)));
    QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
    // The three subset folders hold byte-identical copies of img0.jpg and img1.jpg (same md5),
    // so the six records become two items carrying all twelve labels.
    QCOMPARE(report->itemsAdded, 2);
    QCOMPARE(report->labels, qint64(raw.labelled));
}

void TestFormatCvat::videoRefused()
{
    const QString path = fixture("for_video/annotations.xml");
    auto ds = readCvat(path, {});
    QVERIFY(!ds);
    QCOMPARE(ds.error().code, ErrorCode::BadInput);
    QVERIFY2(ds.error().message.startsWith(path + ":70: <track id=\"0\">"), qPrintable(ds.error().message));
    QVERIFY(ds.error().message.contains("CVAT for video is not supported; export as CVAT for images"));
}

void TestFormatCvat::richFileReadsEverything()
{
    QTemporaryDir dir;
    writeFile(dir.filePath("rich.xml"), kRichFile);
    auto ds = readCvat(dir.filePath("rich.xml"), {});
    QVERIFY2(ds, qPrintable(ds ? QString() : ds.error().message));
    QCOMPARE(ds->classes.size(), 8);
    QCOMPARE(ds->classes[5].kind, ClassKind::Mask);
    QCOMPARE(ds->classes[7].name, QStringLiteral("cat"));
    QVERIFY(hasWarning(ds->warnings, "not declared in <meta> were imported as classes: cat (1)"));
    const auto &a = ds->images[0].labels;
    QCOMPARE(a[0].attributes.value("rotation").toDouble(), 12.5);
    QCOMPARE(a[0].attributes.value("group_id").toInt(), 3);
    QCOMPARE(a[0].attributes.value("source").toString(), QStringLiteral("manual"));
    QCOMPARE(a[0].box, QRectF(QPointF(0.5, 1.25), QPointF(6.125, 7)));
    QCOMPARE(a[1].polygon.size(), 4);
    QCOMPARE(a[2].kind, AnnotationKind::Polyline);
    QCOMPARE(a[4].kind, AnnotationKind::Tag);
    QCOMPARE(a[4].attributes.value("attributes").toObject().value("confidence").toString(), QStringLiteral("high"));
    const auto &b = ds->images[1].labels;
    QCOMPARE(b[0].kind, AnnotationKind::Ellipse);
    QCOMPARE(b[0].box, QRectF(2.5, 3, 5, 3));
    QCOMPARE(b[0].attributes.value("rotation").toDouble(), 30.0);
    QCOMPARE(b[1].kind, AnnotationKind::Mask);
    QCOMPARE(b[1].box, QRectF(2, 3, 4, 3));
    const QJsonObject rle = b[1].attributes.value("rle").toObject();
    QCOMPARE(rle.value("cvat_rle").toString(), QStringLiteral("3, 2, 1, 3, 3"));
    QCOMPARE(rle.value("left").toInt(), 2);
    QCOMPARE(rle.value("height").toInt(), 3);
}

// Labels compared kind by kind, geometry within 1e-6, attributes exactly, classes by name.
void compareImages(const Dataset &want, const ImageRecord &w, const Dataset &got, const ImageRecord &g)
{
    QCOMPARE(g.width, w.width);
    QCOMPARE(g.height, w.height);
    QCOMPARE(g.labels.size(), w.labels.size());
    for (qsizetype i = 0; i < w.labels.size(); ++i) {
        const LabelRecord &a = w.labels[i], &b = g.labels[i];
        QCOMPARE(got.classes[b.classIndex].name, want.classes[a.classIndex].name);
        QCOMPARE(b.kind, a.kind);
        QVERIFY2(std::abs(b.box.x() - a.box.x()) < 1e-6 && std::abs(b.box.y() - a.box.y()) < 1e-6 &&
                     std::abs(b.box.width() - a.box.width()) < 1e-6 && std::abs(b.box.height() - a.box.height()) < 1e-6,
                 qPrintable(a.where));
        QCOMPARE(b.polygon.size(), a.polygon.size());
        for (qsizetype k = 0; k < a.polygon.size(); ++k)
            QVERIFY(QLineF(a.polygon[k], b.polygon[k]).length() < 1e-6);
        QCOMPARE(b.attributes, a.attributes);
    }
}

void TestFormatCvat::goldenRoundTrip()
{
    QTemporaryDir dir;
    copyImages(dir.path());
    writeFile(dir.filePath("rich.xml"), kRichFile);
    auto first = readCvat(dir.filePath("rich.xml"), {});
    QVERIFY(first);
    auto project = store::Project::create(dir.filePath("p.annotune"));
    QVERIFY(project);
    auto imported = applyImport(**project, *first, importFrom(dir.filePath("images")));
    QVERIFY2(imported, qPrintable(imported ? QString() : imported.error().message));
    QCOMPARE(imported->labels, labelCount(*first));
    auto collected = collectDataset(**project, {});
    QVERIFY(collected);
    auto written = writeCvat(*collected, dir.filePath("out.xml"), {});
    QVERIFY2(written, qPrintable(written ? QString() : written.error().message));
    QCOMPARE(written->images, 2);
    QCOMPARE(written->labels, labelCount(*first));
    QVERIFY2(written->loss.counts.isEmpty(), qPrintable(written->loss.lines().join("; ")));
    auto second = readCvat(dir.filePath("out.xml"), {});
    QVERIFY2(second, qPrintable(second ? QString() : second.error().message));
    QCOMPARE(second->classes.size(), first->classes.size());
    for (qsizetype i = 0; i < first->classes.size(); ++i) {
        QCOMPARE(second->classes[i].name, first->classes[i].name);
        QCOMPARE(second->classes[i].kind, first->classes[i].kind);
    }
    QCOMPARE(second->images.size(), first->images.size());
    for (const ImageRecord &g : second->images) {
        QVERIFY(g.fileName.startsWith("images/"));
        auto w = std::find_if(first->images.cbegin(), first->images.cend(),
                              [&](const ImageRecord &r) { return g.fileName.endsWith(r.fileName); });
        QVERIFY(w != first->images.cend());
        compareImages(*first, *w, *second, g);
    }
    // What was read back writes out byte for byte the same: the file is a fixed point.
    QVERIFY(writeCvat(*second, dir.filePath("again.xml"), {}));
    QFile a(dir.filePath("out.xml")), b(dir.filePath("again.xml"));
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QCOMPARE(b.readAll(), a.readAll());
}

void TestFormatCvat::tolerated()
{
    QTemporaryDir dir;
    writeFile(dir.filePath("t.xml"), "\xEF\xBB\xBF<annotations>\r\n<version>1.1</version><meta><task><labels/></task></meta>\r\n"
                                     "<image id=\"0\" name=\"a b/\xC3\xA9t\xC3\xA9.jpg\" width=\"8\" height=\"8\" subset=\"default\">"
                                     "<cuboid label=\"x\"/><skeleton label=\"y\"><points label=\"z\" points=\"1,1\"/></skeleton>"
                                     "<box label=\"dog\" xtl=\" 1\" ytl=\"1\" xbr=\"2\" ybr=\"2\" extra=\"kept?\"><note/></box>"
                                     "<polyline label=\"\" points=\"1,1;2,2\"/></image></annotations>");
    auto ds = readCvat(dir.filePath("t.xml"), {});
    QVERIFY2(ds, qPrintable(ds ? QString() : ds.error().message));
    QCOMPARE(ds->images.size(), 1);
    QCOMPARE(ds->images[0].fileName, QString::fromUtf8("a b/\xC3\xA9t\xC3\xA9.jpg"));
    QCOMPARE(ds->images[0].split, std::nullopt);
    QCOMPARE(labelCount(*ds), 1);
    QCOMPARE(ds->classes.size(), 1);
    QVERIFY(hasWarning(ds->warnings, "unknown elements inside <image> were skipped (<cuboid>): 1"));
    QVERIFY(hasWarning(ds->warnings, "unknown elements inside <image> were skipped (<skeleton>): 1"));
    QVERIFY(hasWarning(ds->warnings, "unknown elements inside shapes were skipped (<note>): 1"));
    QVERIFY(hasWarning(ds->warnings, "subsets other than train/val/test keep the project's split (subset default): 1"));
    QVERIFY(hasWarning(ds->warnings, "empty label were skipped: 1"));
    QVERIFY(hasWarning(ds->warnings, "dog (1)"));
    // A folder reads its annotations.xml.
    writeFile(dir.filePath("annotations.xml"), kRichFile);
    QVERIFY(readCvat(dir.path(), {}));
}

namespace {

// Line 1 holds the head; the first <image> starts line 2.
QByteArray cvatFile(const QByteArray &images)
{
    return "<annotations><version>1.1</version><meta><task><labels><label><name>car</name></label></labels></task></meta>\n" + images +
           "\n</annotations>\n";
}

QByteArray image0(const QByteArray &shapes)
{
    return "<image id=\"0\" name=\"img0.jpg\" width=\"8\" height=\"8\">" + shapes + "</image>";
}

} // namespace

void TestFormatCvat::malformed_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("record");   // the file is followed by this
    QTest::addColumn<QString>("reason");
    const QString img0 = QStringLiteral(": <image id=\"0\" name=\"img0.jpg\">");
    const QByteArray laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;\">"
                              "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">]><annotations>&lol2;</annotations>";
    QTest::newRow("truncated") << cvatFile(image0("<box label=\"car\" xtl=\"0\"")).left(170) << ":2:" << "the XML ends early";
    QTest::newRow("empty file") << QByteArray() << ":1:" << "the XML ends early";
    QTest::newRow("billion laughs") << laughs << ":1:" << "DTD and entities are not allowed";
    QTest::newRow("external entity") << QByteArray("<!DOCTYPE a [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<annotations>&xxe;</annotations>")
                                     << ":1:" << "DTD and entities are not allowed";
    QTest::newRow("undeclared entity") << cvatFile(image0("<tag label=\"&xxe;\"/>")) << ":2:" << "not well-formed XML";
    QTest::newRow("not cvat") << QByteArray("<dataset><image/></dataset>") << ":1:" << "not <annotations>";
    QTest::newRow("non-numeric coordinate") << cvatFile(image0("<box label=\"car\" xtl=\"abc\" ytl=\"0\" xbr=\"2\" ybr=\"2\"/>"))
                                            << img0 + " box 1 (line 2)" << "xtl=\"abc\" is not a number";
    QTest::newRow("infinite coordinate") << cvatFile(image0("<box label=\"car\" xtl=\"0\" ytl=\"0\" xbr=\"inf\" ybr=\"2\"/>"))
                                         << img0 + " box 1 (line 2)" << "xbr=\"inf\" is not a number";
    QTest::newRow("xbr < xtl") << cvatFile(image0("<box label=\"car\" xtl=\"0\" ytl=\"0\" xbr=\"1\" ybr=\"1\"/><box label=\"car\" xtl=\"5\" ytl=\"0\" xbr=\"1\" ybr=\"2\"/>"))
                               << img0 + " box 2 (line 2)" << "xbr (1) is less than xtl (5)";
    QTest::newRow("polygon of 2 points") << cvatFile(image0("<polygon label=\"car\" points=\"1,1;2,2\"/>"))
                                         << img0 + " polygon 1 (line 2)" << "a polygon needs at least 3 points, this one has 2";
    QTest::newRow("polyline of 1 point") << cvatFile(image0("<polyline label=\"car\" points=\"1,1\"/>"))
                                         << img0 + " polyline 1 (line 2)" << "a polyline needs at least 2 points, this one has 1";
    QTest::newRow("point not a pair") << cvatFile(image0("<points label=\"car\" points=\"1,1;2\"/>"))
                                      << img0 + " points 1 (line 2)" << "point \"2\" is not a pair of numbers";
    QTest::newRow("missing label") << cvatFile(image0("<box xtl=\"0\" ytl=\"0\" xbr=\"2\" ybr=\"2\"/>"))
                                   << img0 + " box 1 (line 2)" << "the label attribute is missing";
    QTest::newRow("z_order not a number") << cvatFile(image0("<box label=\"car\" xtl=\"0\" ytl=\"0\" xbr=\"2\" ybr=\"2\" z_order=\"top\"/>"))
                                          << img0 + " box 1 (line 2)" << "z_order=\"top\" is not a whole number";
    QTest::newRow("negative radius") << cvatFile(image0("<ellipse label=\"car\" cx=\"4\" cy=\"4\" rx=\"-1\" ry=\"2\"/>"))
                                     << img0 + " ellipse 1 (line 2)" << "negative radius";
    QTest::newRow("mask runs wrong") << cvatFile(image0("<mask label=\"car\" rle=\"1, 4\" left=\"0\" top=\"0\" width=\"2\" height=\"2\"/>"))
                                     << img0 + " mask 1 (line 2)" << "add up to 5, not the mask's 2 x 2 = 4 pixels";
    QTest::newRow("duplicate image id") << cvatFile(image0("") + "\n<image id=\"0\" name=\"img1.jpg\" width=\"10\" height=\"10\"/>")
                                        << ": <image id=\"0\" name=\"img1.jpg\"> (line 3)" << "image id 0 appears twice";
    QTest::newRow("id not a number") << cvatFile("<image id=\"x\" name=\"img0.jpg\" width=\"8\" height=\"8\"/>")
                                     << ": <image id=\"x\" name=\"img0.jpg\"> (line 2)" << "not a whole number";
    QTest::newRow("no size") << cvatFile("<image id=\"0\" name=\"img0.jpg\"/>") << img0 + " (line 2)" << "has no width and height";
    QTest::newRow("negative size") << cvatFile("<image id=\"0\" name=\"img0.jpg\" width=\"-8\" height=\"8\"/>") << img0 + " (line 2)"
                                   << "image size -8 x 8 is not positive";
    QTest::newRow("too many pixels") << cvatFile("<image id=\"0\" name=\"img0.jpg\" width=\"100000\" height=\"100000\"/>")
                                     << img0 + " (line 2)" << "over the limit of 1000000000";
    QTest::newRow("track") << cvatFile("<track id=\"4\" label=\"car\"><box frame=\"0\" xtl=\"0\" ytl=\"0\" xbr=\"1\" ybr=\"1\"/></track>")
                           << ":2: <track id=\"4\">" << "CVAT for video is not supported; export as CVAT for images";
    QTest::newRow("non-UTF-8 name") << cvatFile("<image id=\"0\" name=\"\xff\xfe.jpg\" width=\"8\" height=\"8\"/>") << ": the text" << "is not valid in the file's encoding";
    // These read, and applyImport refuses them.
    QTest::newRow("parent path") << cvatFile("<image id=\"0\" name=\"../../etc/passwd\" width=\"8\" height=\"8\"/>")
                                 << ": <image id=\"0\" name=\"../../etc/passwd\">" << "\"..\" would leave the chosen folder";
    QTest::newRow("absolute path") << cvatFile("<image id=\"0\" name=\"/etc/passwd\" width=\"8\" height=\"8\"/>")
                                   << ": <image id=\"0\" name=\"/etc/passwd\">" << "absolute paths are not allowed";
    QTest::newRow("box outside image") << cvatFile(image0("<box label=\"car\" xtl=\"100\" ytl=\"100\" xbr=\"120\" ybr=\"110\"/>"))
                                       << img0 + " box 1 (line 2)" << "lies outside the 8 x 8 image";
    QTest::newRow("missing image") << cvatFile("<image id=\"0\" name=\"nope.jpg\" width=\"8\" height=\"8\"/>")
                                   << ": 1 referenced images are missing" << "<image id=\"0\" name=\"nope.jpg\">: nope.jpg: no such file";
}

void TestFormatCvat::malformed()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, record);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    copyImages(dir.path());
    const QString path = dir.filePath("bad.xml");
    writeFile(path, xml);
    auto project = store::Project::create(dir.filePath("p.annotune"));
    QVERIFY(project);
    const QByteArray before = annotune::testing::projectStateHash(**project);
    QString message;
    auto ds = readCvat(path, {});
    if (ds) {
        auto report = applyImport(**project, *ds, importFrom(dir.filePath("images")));
        QVERIFY2(!report, "the import should have failed");
        message = report.error().message;
    } else {
        QCOMPARE(ds.error().code, ErrorCode::BadInput);
        message = ds.error().message;
    }
    QVERIFY2(message.startsWith(path + record), qPrintable(message));
    QVERIFY2(message.contains(reason), qPrintable(message));
    QVERIFY(!message.contains('\n'));
    QCOMPARE(annotune::testing::projectStateHash(**project), before);
}

void TestFormatCvat::exportLoss()
{
    Dataset ds;
    ds.classIndex("car", ClassKind::Box);
    ds.classIndex("total", ClassKind::Field);
    ds.classIndex("blob", ClassKind::Mask);
    ImageRecord img;
    img.fileName = "a.jpg";
    img.width = img.height = 16;
    img.status = ItemStatus::Approved;
    LabelRecord box = makeLabel(0, AnnotationKind::Box, QRectF(1, 1, 4, 4));
    box.score = 0.9;
    box.attributes = QJsonObject{{"difficult", true}, {"bbox_extra", QJsonArray{1, 2}}};
    LabelRecord field = makeLabel(1, AnnotationKind::Field, QRectF(0, 0, 2, 2));
    LabelRecord cocoMask = makeLabel(2, AnnotationKind::Mask, QRectF(0, 0, 2, 2));
    cocoMask.attributes = QJsonObject{{"rle", QJsonObject{{"counts", QJsonArray{0, 4}}, {"size", QJsonArray{2, 2}}}}};
    img.labels = {box, field, field, cocoMask};
    ds.images = {img, img};
    QTemporaryDir dir;
    auto report = writeCvat(ds, dir.filePath("out.xml"), {});
    QVERIFY(report);
    QCOMPARE(report->images, 2);
    QCOMPARE(report->labels, 2);
    const QHash<QString, qint64> want{{"document fields (no place in image formats)", 4},
                                      {"masks without CVAT run lengths", 2},
                                      {"scores", 2},
                                      {"structured label attributes (bbox_extra)", 2},
                                      {"review status of images (approved, in review, rejected)", 2}};
    QCOMPARE(report->loss.counts, want);
    auto back = readCvat(dir.filePath("out.xml"), {});
    QVERIFY(back);
    // A scalar extra from another format travels as a CVAT attribute.
    QCOMPARE(back->images[0].labels[0].attributes.value("attributes").toObject().value("difficult").toString(), QStringLiteral("true"));
}

void TestFormatCvat::unwritableOutput()
{
    QTemporaryDir dir;
    Dataset ds;
    ds.classIndex("car");
    ImageRecord img;
    img.fileName = "a.jpg";
    img.width = img.height = 8;
    ds.images = {img};
    QDir().mkpath(dir.filePath("taken.xml"));
    for (const QString &out : {dir.filePath("no/such/folder/out.xml"), dir.filePath("taken.xml")}) {
        auto report = writeCvat(ds, out, {});
        QVERIFY(!report);
        QCOMPARE(report.error().code, ErrorCode::Io);
        QVERIFY2(report.error().message.startsWith(out + ": cannot write"), qPrintable(report.error().message));
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList{"taken.xml"});
    QVERIFY(QDir(dir.filePath("taken.xml")).isEmpty());
}

QTEST_GUILESS_MAIN(TestFormatCvat)
#include "test_format_cvat.moc"
