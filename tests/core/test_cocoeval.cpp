// COCO evaluation: equal to pycocotools on the reference pair, hand-worked golden cases (crowd,
// empty images and classes, score ties, detection limits), RLE and polygon masks, confusion
// matrix, calibration, error messages, and the coco-eval command's output.

#include "core/eval/cocojson.h"
#include "core/eval/cocosummary.h"
#include "core/eval/confusion.h"
#include "core/eval/rle.h"

#include <QProcess>
#include <QtTest>

using namespace annotune::core::eval;

namespace {

const QString kData = QStringLiteral(ANNOTUNE_SHARED_DATA "/coco-eval/");

// One image per entry of `images` (640 x 480), categories 1..categories.
// gts: {image, category, x, y, w, h, crowd}; dts: {image, category, x, y, w, h, score}.
struct G { int image, category; double x, y, w, h; int crowd = 0; };
struct D { int image, category; double x, y, w, h, score; };

CocoGroundTruth groundTruth(int images, int categories, const std::vector<G> &gts)
{
    QString json = QStringLiteral("{\"images\":[");
    for (int i = 1; i <= images; ++i)
        json += QStringLiteral("%1{\"id\":%2,\"width\":640,\"height\":480}").arg(i > 1 ? "," : "").arg(i);
    json += QStringLiteral("],\"categories\":[");
    for (int k = 1; k <= categories; ++k)
        json += QStringLiteral("%1{\"id\":%2,\"name\":\"c%2\"}").arg(k > 1 ? "," : "").arg(k);
    json += QStringLiteral("],\"annotations\":[");
    for (size_t n = 0; n < gts.size(); ++n) {
        const G &g = gts[n];
        json += QStringLiteral("%1{\"id\":%2,\"image_id\":%3,\"category_id\":%4,\"bbox\":[%5,%6,%7,%8],\"area\":%9,\"iscrowd\":%10}")
                    .arg(n ? "," : "").arg(n + 1).arg(g.image).arg(g.category).arg(g.x).arg(g.y).arg(g.w).arg(g.h).arg(g.w * g.h).arg(g.crowd);
    }
    auto gt = parseCocoGroundTruth((json + QStringLiteral("]}")).toStdString(), QStringLiteral("gt.json"));
    if (!gt)
        qFatal("%s", qPrintable(gt.error().message));
    return *gt;
}

CocoDetections detections(const std::vector<D> &dts)
{
    QString json = QStringLiteral("[");
    for (size_t n = 0; n < dts.size(); ++n) {
        const D &d = dts[n];
        json += QStringLiteral("%1{\"image_id\":%2,\"category_id\":%3,\"bbox\":[%4,%5,%6,%7],\"score\":%8}")
                    .arg(n ? "," : "").arg(d.image).arg(d.category).arg(d.x).arg(d.y).arg(d.w).arg(d.h).arg(d.score);
    }
    auto dt = parseCocoDetections((json + QStringLiteral("]")).toStdString(), QStringLiteral("dt.json"));
    if (!dt)
        qFatal("%s", qPrintable(dt.error().message));
    return *dt;
}

std::vector<double> statsOf(const CocoGroundTruth &gt, const CocoDetections &dt, IouType type = IouType::Bbox)
{
    CocoParams params;
    params.iouType = type;
    auto ev = evaluateCoco(gt, dt, params);
    if (!ev)
        qFatal("%s", qPrintable(ev.error().message));
    std::vector<double> out;
    for (const CocoStat &s : summarize(*ev))
        out.push_back(s.value);
    return out;
}

void compareStats(const std::vector<double> &actual, const std::vector<double> &expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
        if (std::abs(actual[i] - expected[i]) > 1e-9)
            QFAIL(qPrintable(QStringLiteral("stat %1: %2, expected %3").arg(i).arg(actual[i], 0, 'g', 17).arg(expected[i], 0, 'g', 17)));
}

// COCO's compressed RLE string, written here from its documented rule to test the decoder.
std::string encodeRle(const std::vector<uint32_t> &counts)
{
    std::string s;
    for (size_t i = 0; i < counts.size(); ++i) {
        int64_t x = counts[i];
        if (i > 2)
            x -= counts[i - 2];
        bool more = true;
        while (more) {
            int64_t c = x & 0x1f;
            x >>= 5;
            more = (c & 0x10) ? x != -1 : x != 0;
            if (more)
                c |= 0x20;
            s.push_back(static_cast<char>(c + 48));
        }
    }
    return s;
}

} // namespace

class TestCocoEval : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void referenceMatchesPycocotools_data();
    void referenceMatchesPycocotools();
    void crowdRegionsAreIgnored();
    void emptyImagesAndClasses();
    void scoreTiesKeepImageOrder();
    void detectionLimits();
    void masksFromRleAndPolygons();
    void rleStringRoundTrip();
    void confusionMatrixWithBackground();
    void calibrationBins();
    void errorsNameFileAndRecord();
    void commandPrintsSummaryLines();
};

void TestCocoEval::referenceMatchesPycocotools_data()
{
    QTest::addColumn<QString>("iouType");
    QTest::newRow("bbox") << QStringLiteral("bbox");
    QTest::newRow("segm") << QStringLiteral("segm");
}

void TestCocoEval::referenceMatchesPycocotools()
{
    QFETCH(QString, iouType);
    auto gt = readCocoGroundTruth(kData + QStringLiteral("gt_dataset.json"));
    auto dt = readCocoDetections(kData + QStringLiteral("dt_dataset.json"));
    QVERIFY2(gt, qPrintable(gt ? QString() : gt.error().message));
    QVERIFY2(dt, qPrintable(dt ? QString() : dt.error().message));
    // pycocotools COCOeval.stats on these files, bbox and segm alike: ../shared/data/README.md,
    // "Reference figures".
    const std::vector<double> reference{0.6947194719471946, 0.6947194719471946, 0.6947194719471946, -1.0,
                                        0.7920792079207921, 0.0, 0.6666666666666666, 0.75, 0.75, -1.0,
                                        0.7916666666666666, 0.0};
    compareStats(statsOf(*gt, *dt, *iouTypeFromString(iouType)), reference);
}

void TestCocoEval::crowdRegionsAreIgnored()
{
    // One 10x10 box (area 100: small) and a crowd region beside it. Two detections inside the
    // crowd region score higher than the true positive: IoU with a crowd region is intersection
    // over detection area (= 1 here) and a crowd region may be matched many times, so both are
    // ignored. Precision is then 1 at every recall: AP = 1 at every threshold, APs = 1, no
    // medium or large ground truth (-1). AR1 sees only the top detection, an ignored one: 0.
    const auto gt = groundTruth(1, 1, {{1, 1, 0, 0, 10, 10}, {1, 1, 100, 0, 50, 50, 1}});
    const auto dt = detections({{1, 1, 110, 10, 5, 5, 0.95}, {1, 1, 120, 20, 5, 5, 0.93}, {1, 1, 0, 0, 10, 10, 0.9}});
    compareStats(statsOf(gt, dt), {1, 1, 1, 1, -1, -1, 0, 1, 1, 1, -1, -1});
    // Counted as false positives they would have given precision 1/3 at recall 1.
}

void TestCocoEval::emptyImagesAndClasses()
{
    // Class 1: image 1 holds a box found exactly (score .9); image 2 holds nothing but gets a
    // class-1 detection scored .95. In score order: FP, TP -> recall 0, 1; precision 0, 1/2;
    // envelope 1/2, 1/2, so every recall threshold gets 1/2: AP = 0.5. Class 2 has a detection
    // but no ground truth, class 3 has neither: both are -1 and left out of the means.
    // AR1 keeps the top detection per image (the TP in image 1): 1.
    const auto gt = groundTruth(2, 3, {{1, 1, 0, 0, 10, 10}});
    const auto dt = detections({{1, 1, 0, 0, 10, 10, 0.9}, {2, 1, 0, 0, 10, 10, 0.95}, {1, 2, 50, 50, 10, 10, 0.99}});
    compareStats(statsOf(gt, dt), {0.5, 0.5, 0.5, 0.5, -1, -1, 1, 1, 1, 1, -1, -1});
    // With no detections at all: precision and recall 0 where ground truth exists.
    compareStats(statsOf(gt, detections({})), {0, 0, 0, 0, -1, -1, 0, 0, 0, 0, -1, -1});
}

void TestCocoEval::scoreTiesKeepImageOrder()
{
    // Two images with one box each; both detections score .5: image 1's misses, image 2's hits.
    // Ties keep image order (stable sort), so FP then TP: recall 0, 1/2; precision 0, 1/2.
    // Thresholds 0.00..0.50 (51 of 101) get 1/2, the rest 0: AP = 25.5 / 101.
    // (Hit first would give 51 / 101.) AR = 1/2.
    const auto gt = groundTruth(2, 1, {{1, 1, 0, 0, 10, 10}, {2, 1, 0, 0, 10, 10}});
    const auto dt = detections({{1, 1, 50, 50, 10, 10, 0.5}, {2, 1, 0, 0, 10, 10, 0.5}});
    const double ap = 25.5 / 101;
    compareStats(statsOf(gt, dt), {ap, ap, ap, ap, -1, -1, 0.5, 0.5, 0.5, 0.5, -1, -1});
}

void TestCocoEval::detectionLimits()
{
    // One box; detections .9 (miss), .8 (miss), .7 (hit). maxDets 1 keeps the .9: AR1 = 0;
    // AR10 = AR100 = 1. Precision at the hit is 1/3 and is the envelope everywhere: AP = 1/3.
    const auto gt = groundTruth(1, 1, {{1, 1, 0, 0, 10, 10}});
    const double third = 1.0 / 3;
    compareStats(statsOf(gt, detections({{1, 1, 100, 100, 10, 10, 0.9}, {1, 1, 200, 100, 10, 10, 0.8}, {1, 1, 0, 0, 10, 10, 0.7}})),
                 {third, third, third, third, -1, -1, 0, 1, 1, 1, -1, -1});
    // 100 misses scored above the hit: the hit is the 101st detection of the image and dropped.
    std::vector<D> many;
    for (int i = 0; i < 100; ++i)
        many.push_back({1, 1, 300.0 + i, 300, 10, 10, 0.9});
    many.push_back({1, 1, 0, 0, 10, 10, 0.1});
    compareStats(statsOf(gt, detections(many)), {0, 0, 0, 0, -1, -1, 0, 0, 0, 0, -1, -1});
    // With 99 misses it is the 100th: recall 1 at precision 1/100 (AR10 still 0).
    many.erase(many.begin());
    compareStats(statsOf(gt, detections(many)), {0.01, 0.01, 0.01, 0.01, -1, -1, 0, 0, 1, 1, -1, -1});
}

void TestCocoEval::masksFromRleAndPolygons()
{
    // A 20x20 image; the ground truth is the 10x10 square at the origin as an uncompressed RLE
    // (column-major: each of 10 columns 10 on, 10 off) and, in a second image, as a compressed
    // string. The detection is the polygon of the same square, which COCO rasterises to exactly
    // those 100 pixels: IoU 1, AP 1. One row off would be IoU .9 and fail AP75.
    std::vector<uint32_t> counts{0};
    for (int x = 0; x < 10; ++x) {
        counts.push_back(10);
        counts.push_back(x < 9 ? 10 : 210);
    }
    QString list;
    for (uint32_t c : counts)
        list += (list.isEmpty() ? QString() : QStringLiteral(",")) + QString::number(c);
    const QString json = QStringLiteral(
        "{\"images\":[{\"id\":1,\"width\":20,\"height\":20},{\"id\":2,\"width\":20,\"height\":20}],\"categories\":[{\"id\":1}],"
        "\"annotations\":[{\"id\":1,\"image_id\":1,\"category_id\":1,\"area\":100,\"bbox\":[0,0,10,10],"
        "\"segmentation\":{\"size\":[20,20],\"counts\":[%1]}},"
        "{\"id\":2,\"image_id\":2,\"category_id\":1,\"area\":100,\"bbox\":[0,0,10,10],"
        "\"segmentation\":{\"size\":[20,20],\"counts\":\"%2\"}}]}").arg(list, QString::fromStdString(encodeRle(counts)));
    auto gt = parseCocoGroundTruth(json.toStdString(), QStringLiteral("gt.json"));
    QVERIFY2(gt, qPrintable(gt ? QString() : gt.error().message));
    QCOMPARE(gt->annotations[1].segmentation.rle->counts, counts);
    auto dt = parseCocoDetections(
        "[{\"image_id\":1,\"category_id\":1,\"segmentation\":[[0,0,0,10,10,10,10,0]],\"score\":0.9},"
        " {\"image_id\":2,\"category_id\":1,\"segmentation\":[[0,0,0,10,10,10,10,0]],\"score\":0.8}]", QStringLiteral("dt.json"));
    QVERIFY(dt);
    const Rle square = rleFromPolygon({0, 0, 0, 10, 10, 10, 10, 0}, 20, 20);
    QCOMPARE(square.counts, counts);
    QCOMPARE(rleBbox(square), (std::array<double, 4>{0, 0, 10, 10}));
    compareStats(statsOf(*gt, *dt, IouType::Segm), {1, 1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1});
}

void TestCocoEval::rleStringRoundTrip()
{
    const std::vector<uint32_t> counts{0, 5, 3, 200000, 7, 1, 1, 65536, 2, 40};
    auto decoded = decodeRleString(encodeRle(counts));
    QVERIFY(decoded);
    QCOMPARE(*decoded, counts);
    QVERIFY(!decodeRleString("ab~"));
    const Rle a{4, 4, {2, 4, 10}}, b{4, 4, {4, 4, 8}};
    QCOMPARE(rleIntersection(a, b), uint64_t(2));
    QCOMPARE(rleArea(rleUnion({a, b})), uint64_t(6));
}

void TestCocoEval::confusionMatrixWithBackground()
{
    // Box A (class 1) is found as class 2: cell (1, 2). Box B (class 2) is missed: (2, bg).
    // A far class-1 detection is background: (bg, 1). A lower-scored class-1 detection on A
    // finds A already taken: another (bg, 1).
    const auto gt = groundTruth(1, 2, {{1, 1, 0, 0, 10, 10}, {1, 2, 100, 100, 20, 20}});
    const auto dt = detections({{1, 2, 0, 0, 10, 10, 0.9}, {1, 1, 300, 300, 10, 10, 0.8}, {1, 1, 1, 1, 10, 10, 0.7}});
    auto cm = confusionMatrix(gt, dt);
    QVERIFY(cm);
    const std::vector<int64_t> expected{0, 1, 0, //
                                        0, 0, 1, //
                                        2, 0, 0};
    QCOMPARE(cm->counts, expected);
}

void TestCocoEval::calibrationBins()
{
    // Detections .95 and .85 miss, .75 hits: bins 9, 8, 7 each hold one with accuracy 0, 0, 1.
    // ECE = (|0 - .95| + |0 - .85| + |1 - .75|) / 3 = 2.05 / 3.
    const auto gt = groundTruth(1, 1, {{1, 1, 0, 0, 10, 10}});
    auto ev = evaluateCoco(gt, detections({{1, 1, 100, 100, 10, 10, 0.95}, {1, 1, 200, 100, 10, 10, 0.85}, {1, 1, 0, 0, 10, 10, 0.75}}));
    QVERIFY(ev);
    const Calibration &c = ev->calibration;
    QCOMPARE(c.bins.size(), size_t(10));
    QCOMPARE(c.bins[9].count, int64_t(1));
    QCOMPARE(c.bins[7].accuracy, 1.0);
    QCOMPARE(c.bins[8].accuracy, 0.0);
    QCOMPARE(c.bins[0].count, int64_t(0));
    QVERIFY(std::abs(c.expectedCalibrationError - 2.05 / 3) < 1e-12);
}

void TestCocoEval::errorsNameFileAndRecord()
{
    const auto gt = groundTruth(1, 1, {});
    auto ev = evaluateCoco(gt, detections({{1, 1, 0, 0, 1, 1, 0.5}, {7, 1, 0, 0, 1, 1, 0.5}}));
    QVERIFY(!ev);
    QVERIFY2(ev.error().message.contains(QLatin1String("dt.json: results[1] refers to image 7")), qPrintable(ev.error().message));
    auto bad = parseCocoDetections("[{\"image_id\":1,\"category_id\":1,\"bbox\":[1,2,3],\"score\":1}]", QStringLiteral("r.json"));
    QVERIFY(!bad);
    QVERIFY2(bad.error().message.startsWith(QLatin1String("r.json: results[0] bbox")), qPrintable(bad.error().message));
    auto broken = parseCocoGroundTruth("{\"images\": [", QStringLiteral("g.json"));
    QVERIFY(!broken && broken.error().message.startsWith(QLatin1String("g.json: not valid JSON")));
    auto missing = readCocoGroundTruth(QStringLiteral("/nonexistent/gt.json"));
    QVERIFY(!missing && missing.error().message.contains(QLatin1String("/nonexistent/gt.json")));
}

void TestCocoEval::commandPrintsSummaryLines()
{
    QProcess p;
    p.start(QStringLiteral(ANNOTUNE_CLI), {QStringLiteral("coco-eval"), kData + QStringLiteral("gt_dataset.json"),
                                           kData + QStringLiteral("dt_dataset.json"), QStringLiteral("--iou-type"), QStringLiteral("segm")});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 12);
    QCOMPARE(lines[0], QStringLiteral(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.695"));
    QCOMPARE(lines[1], QStringLiteral(" Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.695"));
    QCOMPARE(lines[3], QStringLiteral(" Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000"));
    QCOMPARE(lines[6], QStringLiteral(" Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.667"));
    QCOMPARE(lines[10], QStringLiteral(" Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.792"));
}

QTEST_GUILESS_MAIN(TestCocoEval)
#include "test_cocoeval.moc"
