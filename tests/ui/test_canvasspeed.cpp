// The shortcuts that keep switching items fast must not change what is shown: the label list's
// cached text draws and measures cells as the style does, and an image pre-scaled for
// fit-to-window paints the same pixels as scaling the pyramid level while painting.

#include "labeling/imagecache.h"
#include "ui/cachedtextdelegate.h"
#include "ui/canvas/canvasrenderer.h"
#include "ui/canvas/spatialindex.h"

#include <QApplication>
#include <QPainter>
#include <QStandardItemModel>
#include <QStaticText>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <random>

using namespace annotune;

class TestCanvasSpeed : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void delegateSizeMatchesTheStyle_data();
    void delegateSizeMatchesTheStyle();
    void delegatePaintsLikeTheStyle();
    void fittedSizeFollowsTheRoom();
    void cacheMakesTheFittedImage();
    void previewIsDecodedAtTheFittedSize();
    void requestDoesNotWaitForAPrefetch();
    void fittedImagePaintsLikeTheLevel();
    void backgroundIsPaintedOnlyAroundTheImage();
    void boxesPaintLikeAWidePen();
    void nameChipsPaintLikeText_data();
    void spatialIndexFindsWhatAScanFinds_data();
    void spatialIndexFindsWhatAScanFinds();
    void nameChipsPaintLikeText();

private:
    QImage renderTable(QAbstractItemDelegate *delegate, QTableView &view);
};

void TestCanvasSpeed::delegateSizeMatchesTheStyle_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("decoration");
    QTest::newRow("short") << QStringLiteral("box") << false;
    QTest::newRow("geometry") << QStringLiteral("1234, 567  45 × 23") << false;
    QTest::newRow("with a colour") << QStringLiteral("object") << true;
    QTest::newRow("long") << QStringLiteral("a much longer class name than fits in a column") << true;
}

void TestCanvasSpeed::delegateSizeMatchesTheStyle()
{
    QFETCH(QString, text);
    QFETCH(bool, decoration);
    QStandardItemModel model(1, 1);
    model.setData(model.index(0, 0), text);
    if (decoration)
        model.setData(model.index(0, 0), QColor(Qt::red), Qt::DecorationRole);
    QTableView view;
    view.setModel(&model);
    QStyleOptionViewItem option;
    option.initFrom(view.viewport());
    option.widget = &view;
    option.rect = QRect(0, 0, 80, 22);
    QStyledItemDelegate plain;
    ui::CachedTextDelegate cached;
    QCOMPARE(cached.sizeHint(option, model.index(0, 0)), plain.sizeHint(option, model.index(0, 0)));
    QCOMPARE(cached.sizeHint(option, model.index(0, 0)), plain.sizeHint(option, model.index(0, 0))); // from the cache
}

QImage TestCanvasSpeed::renderTable(QAbstractItemDelegate *delegate, QTableView &view)
{
    view.setItemDelegate(delegate);
    QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::black);
    view.render(&image);
    return image;
}

void TestCanvasSpeed::delegatePaintsLikeTheStyle()
{
    QStandardItemModel model(3, 2);
    const QStringList texts{QStringLiteral("object"), QStringLiteral("1234, 567  45 × 23 and then some more"),
                            QStringLiteral("box"), QStringLiteral("human"), QStringLiteral("bench"), QStringLiteral("x")};
    for (int i = 0; i < texts.size(); ++i)
        model.setData(model.index(i / 2, i % 2), texts[i]);
    model.setData(model.index(0, 0), QColor(Qt::yellow), Qt::DecorationRole);
    QTableView view;
    view.setModel(&model);
    view.setColumnWidth(1, 90); // the long text is elided
    view.resize(260, 120);
    view.selectionModel()->select(model.index(1, 0), QItemSelectionModel::Select);
    auto *plain = new QStyledItemDelegate(&view);
    auto *cached = new ui::CachedTextDelegate(&view);
    const QImage expected = renderTable(plain, view);
    const QImage first = renderTable(cached, view);
    const QImage again = renderTable(cached, view); // drawn from the cache
    QCOMPARE(again, first);
    // Text is antialiased the same way but may sit a sub-pixel apart: compare where ink is.
    int differing = 0, ink = 0;
    for (int y = 0; y < expected.height(); ++y)
        for (int x = 0; x < expected.width(); ++x) {
            const int a = qGray(expected.pixel(x, y)), b = qGray(first.pixel(x, y));
            ink += qAbs(a - qGray(expected.pixel(0, y))) > 40 ? 1 : 0;
            differing += qAbs(a - b) > 60 ? 1 : 0;
        }
    QVERIFY(ink > 100);
    QVERIFY2(differing * 20 < ink, qPrintable(QStringLiteral("%1 of %2 ink pixels differ").arg(differing).arg(ink)));
}

void TestCanvasSpeed::fittedSizeFollowsTheRoom()
{
    using labeling::ImagePyramid;
    QCOMPARE(ImagePyramid::fittedSize(QSize(4000, 3000), QSize(976, 876)), QSize(976, 732));
    QCOMPARE(ImagePyramid::fittedSize(QSize(3000, 4000), QSize(976, 876)), QSize(657, 876));
    QVERIFY(!ImagePyramid::fittedSize(QSize(800, 600), QSize(976, 876)).isValid()); // shown unscaled
    QVERIFY(!ImagePyramid::fittedSize(QSize(4000, 3000), QSize()).isValid());
}

void TestCanvasSpeed::cacheMakesTheFittedImage()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.png"));
    QImage source(1200, 900, QImage::Format_RGB32);
    source.fill(QColor(40, 120, 200));
    QVERIFY(source.save(path));
    labeling::ImageCache cache;
    cache.setFitRoom(QSize(500, 500));
    cache.prefetch({{1, path}});
    cache.waitForIdle();
    QTRY_VERIFY(cache.cached(1) && cache.cached(1)->complete);
    const labeling::ImageHandle image = cache.cached(1);
    QCOMPARE(image->fitted.size(), QSize(500, 375));
    QVERIFY(image->fitted.format() == QImage::Format_RGB32);
    QCOMPARE(image->fitted.pixel(250, 180), source.pixel(0, 0));
}

void TestCanvasSpeed::previewIsDecodedAtTheFittedSize()
{
    QTemporaryDir dir;
    const QString big = dir.filePath(QStringLiteral("big.png")), near = dir.filePath(QStringLiteral("near.png"));
    QImage source(1200, 900, QImage::Format_RGB32);
    source.fill(QColor(200, 40, 40));
    QVERIFY(source.save(big));
    QVERIFY(source.copy(0, 0, 700, 500).save(near));
    labeling::ImageCache cache;
    cache.setPreviewSize(QSize(400, 400));
    cache.setFitRoom(QSize(300, 300));
    QVector<labeling::ImageHandle> delivered;
    connect(&cache, &labeling::ImageCache::imageReady, this, [&](qint64 id) { delivered.append(cache.cached(id)); });
    cache.request(1, big);
    QTRY_VERIFY(!delivered.isEmpty() && delivered.last()->complete);
    QVERIFY(!delivered.first()->complete); // the preview came first, at the size it is shown at
    QCOMPARE(delivered.first()->levels.first().size(), QSize(300, 225));
    QCOMPARE(delivered.first()->fitted.size(), QSize(300, 225));
    QCOMPARE(delivered.last()->levels.first().size(), QSize(1200, 900));
    QCOMPARE(delivered.last()->fitted.size(), QSize(300, 225));
    delivered.clear();
    cache.request(2, near); // within twice the preview size: one decode to the preview size, as before
    QTRY_VERIFY(!delivered.isEmpty() && delivered.last()->complete);
    QCOMPARE(delivered.last()->levels.first().size(), QSize(400, 285));
    QCOMPARE(delivered.last()->fitted.size(), QSize(300, 214));
}

void TestCanvasSpeed::requestDoesNotWaitForAPrefetch()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("photo.jpg"));
    QImage source(4000, 3000, QImage::Format_RGB32);
    for (int y = 0; y < source.height(); ++y)
        for (int x = 0; x < source.width(); ++x)
            source.setPixel(x, y, qRgb(x & 255, y & 255, (x ^ y) & 255));
    QVERIFY(source.save(path, "JPG", 90));
    labeling::ImageCache cache;
    cache.setPreviewSize(QSize(640, 480));
    cache.setFitRoom(QSize(616, 456));
    QVector<labeling::ImageHandle> delivered;
    connect(&cache, &labeling::ImageCache::imageReady, this, [&](qint64 id) { delivered.append(cache.cached(id)); });
    cache.prefetch({{7, path}}); // a full decode and pyramid: slow
    QVERIFY(!cache.request(7, path)); // the user arrives before it is done
    QTRY_VERIFY_WITH_TIMEOUT(!delivered.isEmpty() && delivered.last()->complete, 30000);
    QVERIFY2(!delivered.first()->complete, "the preview should come before the full decode");
    QCOMPARE(delivered.first()->fitted.size(), QSize(608, 456));
    QCOMPARE(cache.cached(7)->levels.first().size(), QSize(4000, 3000));
}

void TestCanvasSpeed::fittedImagePaintsLikeTheLevel()
{
    // A smooth gradient: scaling it while painting or beforehand gives nearly the same pixels.
    QImage level(1000, 750, QImage::Format_RGB32);
    for (int y = 0; y < level.height(); ++y)
        for (int x = 0; x < level.width(); ++x)
            level.setPixel(x, y, qRgb(x * 255 / 1000, y * 255 / 750, 128));
    labeling::ImagePyramid pyramid;
    pyramid.fullSize = QSize(4000, 3000);
    pyramid.levels = {level};
    pyramid.complete = true;
    const QSize room(488, 388);
    const QSize fitted = labeling::ImagePyramid::fittedSize(pyramid.fullSize, room);
    ui::RenderScene scene;
    scene.image = &pyramid;
    scene.imageSize = QSizeF(pyramid.fullSize);
    scene.view.scale = std::min(double(room.width()) / 4000, double(room.height()) / 3000);
    scene.view.offset = QPointF((512 - 4000 * scene.view.scale) / 2, (412 - 3000 * scene.view.scale) / 2);
    scene.viewport = QRectF(0, 0, 512, 412);
    const auto paint = [&] {
        QImage out(512, 412, QImage::Format_RGB32);
        out.fill(Qt::black);
        QPainter p(&out);
        ui::paintImage(p, scene);
        return out;
    };
    const QImage scaledWhilePainting = paint();
    pyramid.fitted = level.scaled(fitted, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    const QImage copied = paint();
    int worst = 0;
    for (int y = 40; y < 370; ++y)
        for (int x = 20; x < 490; ++x)
            for (int shift : {16, 8, 0})
                worst = std::max(worst, qAbs(int((scaledWhilePainting.pixel(x, y) >> shift) & 255)
                                             - int((copied.pixel(x, y) >> shift) & 255)));
    QVERIFY2(worst <= 8, qPrintable(QStringLiteral("largest channel difference %1").arg(worst)));
    QCOMPARE(copied.pixel(255, 2), QColor(Qt::black).rgb()); // the margin stays unpainted
    pyramid.fitted.fill(Qt::green); // it is the fitted image that is painted, edge to edge
    const QImage marked = paint();
    QCOMPARE(marked.pixel(12, 23), QColor(Qt::green).rgb());
    QCOMPARE(marked.pixel(12 + fitted.width() - 1, 23 + fitted.height() - 1), QColor(Qt::green).rgb());
    QCOMPARE(marked.pixel(11, 23), QColor(Qt::black).rgb());
    scene.view.scale *= 1.01; // zoomed: the level is scaled again
    QVERIFY(paint().pixel(256, 206) != QColor(Qt::green).rgb());
}

// The canvas fills its background only around an opaque image copied at the fit size; the frame
// is the same as filling everything first, whatever the view and the image.
void TestCanvasSpeed::backgroundIsPaintedOnlyAroundTheImage()
{
    QImage level(1000, 750, QImage::Format_RGB32);
    level.fill(QColor(30, 160, 90));
    labeling::ImagePyramid pyramid;
    pyramid.fullSize = QSize(4000, 3000);
    pyramid.levels = {level};
    pyramid.complete = true;
    const QSize room(488, 388);
    pyramid.fitted = level.scaled(labeling::ImagePyramid::fittedSize(pyramid.fullSize, room));
    ui::RenderScene scene;
    scene.image = &pyramid;
    scene.imageSize = QSizeF(pyramid.fullSize);
    scene.viewport = QRectF(0, 0, 512, 412);
    const double fit = std::min(double(room.width()) / 4000, double(room.height()) / 3000);
    const QColor background(0x1e, 0x1f, 0x22);
    const auto paint = [&](bool around) {
        QImage out(512, 412, QImage::Format_ARGB32_Premultiplied);
        out.fill(Qt::magenta); // what an unpainted pixel would show
        QPainter p(&out);
        if (around)
            ui::fillAround(p, scene.viewport, ui::opaqueImageRect(p, scene), background);
        else
            p.fillRect(scene.viewport, background);
        ui::paintImage(p, scene);
        return out;
    };
    struct View {
        double scale;
        QPointF offset;
        bool copied; // whether the image is a plain copy, so the background is not painted under it
    };
    const QVector<View> views{{fit, QPointF(12.3, 23.6), true},  // fitted, centred
                              {fit, QPointF(-100.2, 200.7), true}, // fitted, partly out of the view
                              {fit * 1.5, QPointF(-50, -40), false}}; // zoomed: the level is scaled
    for (const View &v : views) {
        scene.view.scale = v.scale;
        scene.view.offset = v.offset;
        QImage probe(1, 1, QImage::Format_RGB32);
        QPainter p(&probe);
        QCOMPARE(!ui::opaqueImageRect(p, scene).isNull(), v.copied);
        p.end();
        QCOMPARE(paint(true), paint(false));
    }
    scene.view.scale = fit;
    scene.view.offset = QPointF(12, 23);
    QImage probe(1, 1, QImage::Format_RGB32);
    QPainter p(&probe);
    QCOMPARE(ui::opaqueImageRect(p, scene), QRectF(12, 23, 488, 366));
    p.end();
    pyramid.fitted = pyramid.fitted.convertToFormat(QImage::Format_ARGB32_Premultiplied);
    pyramid.fitted.fill(QColor(255, 0, 0, 100)); // see-through: the background shows under it
    p.begin(&probe);
    QVERIFY(ui::opaqueImageRect(p, scene).isNull());
    p.end();
    QCOMPARE(paint(true), paint(false));
}

// paintBox draws what a 2-pixel pen and a tinted brush draw (square corners), give or take a
// pixel where an edge falls half-way between two: every pixel that differs has its colour next
// to it in the other picture, and few differ.
void TestCanvasSpeed::boxesPaintLikeAWidePen()
{
    const QColor color(255, 200, 0);
    QColor tint = color;
    tint.setAlpha(40);
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> unit(0, 1);
    int differing = 0, outlined = 0;
    for (int k = 0; k < 300; ++k) {
        const QRectF box(20 + unit(rng) * 10, 20 + unit(rng) * 10, 0.5 + unit(rng) * (k % 3 == 0 ? 3 : 30),
                         0.5 + unit(rng) * (k % 3 == 1 ? 3 : 30));
        QImage pen(80, 80, QImage::Format_ARGB32_Premultiplied);
        pen.fill(QColor(60, 70, 80));
        QImage fills = pen;
        {
            QPainter p(&pen);
            QPen wide(color, 2);
            wide.setJoinStyle(Qt::MiterJoin);
            p.setPen(wide);
            p.setBrush(tint);
            p.drawRect(box);
        }
        {
            QPainter p(&fills);
            ui::paintBox(p, box, color, tint);
        }
        const auto near = [](const QImage &img, int x, int y, QRgb value) {
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx)
                    if (img.pixel(x + dx, y + dy) == value)
                        return true;
            return false;
        };
        for (int y = 1; y < 79; ++y)
            for (int x = 1; x < 79; ++x) {
                outlined += pen.pixel(x, y) == color.rgb() ? 1 : 0;
                if (pen.pixel(x, y) == fills.pixel(x, y))
                    continue;
                ++differing;
                QVERIFY2(near(fills, x, y, pen.pixel(x, y)) && near(pen, x, y, fills.pixel(x, y)),
                         qPrintable(QStringLiteral("box %1 pixel %2,%3").arg(k).arg(x).arg(y)));
            }
    }
    QVERIFY2(differing * 50 < outlined, qPrintable(QStringLiteral("%1 of %2").arg(differing).arg(outlined)));
}

void TestCanvasSpeed::nameChipsPaintLikeText_data()
{
    QTest::addColumn<double>("dpr");
    QTest::newRow("1x") << 1.0;
    QTest::newRow("2x") << 2.0;
}

// Class names are copied from chips drawn once; at whole pixels they are the same pixels as the
// text drawn on its rectangle each time.
void TestCanvasSpeed::nameChipsPaintLikeText()
{
    QFETCH(double, dpr);
    QHash<core::Id, QColor> colors{{1, QColor(255, 200, 0)}, {2, QColor(40, 60, 160)}};
    QHash<core::Id, QString> names{{1, QStringLiteral("night")}, {2, QStringLiteral("overcast sky")}};
    QVector<core::Annotation> tags(2);
    for (int i = 0; i < 2; ++i) {
        tags[i].kind = core::AnnotationKind::Tag;
        tags[i].classId = i + 1;
    }
    const QSet<core::Id> none;
    ui::NameTags cache;
    ui::RenderScene scene;
    scene.annotations = &tags;
    scene.colors = &colors;
    scene.names = &names;
    scene.hidden = &none;
    scene.tags = &cache;
    QFont font;
    font.setPointSizeF(8.5);
    const auto canvas = [&] {
        QImage out(QSize(200, 80) * dpr, QImage::Format_ARGB32_Premultiplied);
        out.setDevicePixelRatio(dpr);
        out.fill(QColor(30, 31, 34));
        return out;
    };
    QImage chips = canvas(), text = canvas();
    for (int round = 0; round < 2; ++round) { // drawn, then copied from the cache
        QPainter p(&chips);
        p.setFont(font);
        ui::paintTags(p, scene);
    }
    QPainter p(&text); // what paintTags drew before: a rectangle and the text on it
    p.setFont(font);
    const QFontMetrics fm = p.fontMetrics();
    QPointF at(10, 10 + fm.height());
    for (const core::Annotation &a : tags) {
        const QColor color = colors[a.classId];
        QStaticText laid(names[a.classId]);
        laid.setTextFormat(Qt::PlainText);
        laid.prepare(QTransform(), font);
        const QRectF r(at.x(), at.y() - fm.height() - 2, laid.size().width() + 8, fm.height() + 2);
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        p.drawRect(r);
        p.setPen(color.lightness() > 150 ? Qt::black : Qt::white);
        p.drawStaticText(QPointF(r.x() + 4, r.y() + 1), laid);
        at.ry() += fm.height() + 6;
    }
    p.end();
    int differing = 0;
    for (int y = 0; y < text.height(); ++y)
        for (int x = 0; x < text.width(); ++x)
            differing += text.pixel(x, y) != chips.pixel(x, y) ? 1 : 0;
    QCOMPARE(differing, 0);
    QVERIFY(text.pixel(QPoint(14, 14) * dpr) != QColor(30, 31, 34).rgb()); // something was drawn
}

void TestCanvasSpeed::spatialIndexFindsWhatAScanFinds_data()
{
    QTest::addColumn<int>("count");
    for (int n : {0, 1, 7, 40, 600, 10000})
        QTest::newRow(qPrintable(QString::number(n))) << n;
}

// The grid is sized to the annotations; whatever its size, a query finds exactly what looking at
// every annotation finds (tags and empty boxes are never found), in drawing order.
void TestCanvasSpeed::spatialIndexFindsWhatAScanFinds()
{
    QFETCH(int, count);
    const QSizeF image(4000, 3000);
    std::mt19937 rng(count);
    std::uniform_real_distribution<double> x(-100, 4100), y(-100, 3100), side(0, 400);
    QVector<core::Annotation> annotations(count);
    for (int i = 0; i < count; ++i) {
        annotations[i].id = i + 1;
        annotations[i].box = QRectF(x(rng), y(rng), side(rng), side(rng));
        if (i % 13 == 5)
            annotations[i].kind = core::AnnotationKind::Tag;
        if (i % 17 == 3)
            annotations[i].box = QRectF();
    }
    ui::SpatialIndex index;
    index.build(annotations, image);
    for (int q = 0; q < 200; ++q) {
        const QRectF rect = q == 0 ? QRectF(QPointF(-10, -10), image + QSizeF(20, 20)) // the whole image
                                   : QRectF(x(rng), y(rng), side(rng) * 3, side(rng) * 2);
        QVector<int> expected;
        for (int i = 0; i < count; ++i) {
            const core::Annotation &a = annotations[i];
            const QRectF b = a.box.normalized();
            if (a.kind != core::AnnotationKind::Tag && !a.box.isNull() && (b.intersects(rect) || rect.contains(b.topLeft())))
                expected.append(i);
        }
        QCOMPARE(index.query(rect), expected);
    }
}

QTEST_MAIN(TestCanvasSpeed)
#include "test_canvasspeed.moc"
