#include "demoshapes.h"

#include "demorandom.h"

#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QRadialGradient>
#include <QTransform>
#include <cmath>
#include <numbers>

namespace annotune::labeling {

using core::ClassKind;

namespace {

constexpr double kPi = std::numbers::pi;
constexpr QSize kSizes[] = {{640, 480}, {640, 480}, {640, 480}, {800, 600}, {512, 512}, {640, 360}};
constexpr int kMaxObjects = 8;

QColor randomColor(DemoRandom &rng, double satLo, double satHi, double valLo, double valHi, int alpha = 255)
{
    return QColor::fromHsvF(float(rng.unit()), float(rng.uniform(satLo, satHi)), float(rng.uniform(valLo, valHi)),
                            float(alpha / 255.0));
}

// n vertices around c; odd vertices at r * innerRatio (a star when innerRatio < 1).
QPolygonF ring(QPointF c, double r, int n, double rotation, double innerRatio = 1.0)
{
    QPolygonF out;
    for (int k = 0; k < n; ++k) {
        const double a = rotation + 2 * kPi * k / n;
        const double rk = (k % 2 == 1) ? r * innerRatio : r;
        out << c + QPointF(rk * std::cos(a), rk * std::sin(a));
    }
    return out;
}

QPolygonF placed(const QPolygonF &unit, QPointF c, double r, double rotation)
{
    QTransform t;
    t.translate(c.x(), c.y());
    t.rotateRadians(rotation);
    t.scale(r, r);
    return t.map(unit);
}

QPolygonF outlineFor(const QString &cls, QPointF c, double r, double rotation, DemoRandom &rng)
{
    if (cls == QLatin1String("circle"))
        return ring(c, r, 24, 0);
    if (cls == QLatin1String("triangle"))
        return ring(c, r, 3, rotation);
    if (cls == QLatin1String("hexagon"))
        return ring(c, r, 6, rotation);
    if (cls == QLatin1String("star"))
        return ring(c, r, 10, rotation, rng.uniform(0.38, 0.55));
    if (cls == QLatin1String("rectangle")) {
        const double h = rng.uniform(0.3, 0.9);
        return placed(QPolygonF{{-1, -h}, {1, -h}, {1, h}, {-1, h}}, c, r, rotation);
    }
    const double t = rng.uniform(0.22, 0.38); // cross: arm half-width
    return placed(QPolygonF{{-t, -1}, {t, -1}, {t, -t}, {1, -t}, {1, t}, {t, t},
                            {t, 1}, {-t, 1}, {-t, t}, {-1, t}, {-1, -t}, {-t, -t}},
                  c, r, rotation);
}

// A smooth irregular closed curve around c: clutter that is no object.
QPainterPath blobPath(QPointF c, double r, DemoRandom &rng)
{
    const int n = rng.between(5, 8);
    QPolygonF pts;
    for (int k = 0; k < n; ++k)
        pts << ring(c, r * rng.uniform(0.5, 1.3), n, 0).at(k);
    QPainterPath path(0.5 * (pts.last() + pts.first()));
    for (int k = 0; k < n; ++k)
        path.quadTo(pts[k], 0.5 * (pts[k] + pts[(k + 1) % n]));
    return path;
}

void paintGradient(QPainter &p, QSize size, DemoRandom &rng)
{
    const QColor a = randomColor(rng, 0.05, 0.55, 0.3, 0.95);
    const QColor b = randomColor(rng, 0.05, 0.55, 0.3, 0.95);
    const QPointF p0(rng.uniform(0, size.width()), rng.uniform(0, size.height()));
    if (rng.chance(0.6)) {
        QLinearGradient g(p0, QPointF(rng.uniform(0, size.width()), rng.uniform(0, size.height())));
        g.setColorAt(0, a);
        g.setColorAt(1, b);
        p.fillRect(QRect(QPoint(), size), g);
    } else {
        QRadialGradient g(p0, qMax(size.width(), size.height()) * rng.uniform(0.4, 1.2));
        g.setColorAt(0, a);
        g.setColorAt(1, b);
        p.fillRect(QRect(QPoint(), size), g);
    }
}

QPointF anywhere(QSize size, DemoRandom &rng)
{
    return {rng.uniform(0, size.width()), rng.uniform(0, size.height())};
}

void paintLine(QPainter &p, QSize size, DemoRandom &rng, double maxWidth)
{
    p.setPen(QPen(randomColor(rng, 0.0, 0.8, 0.1, 1.0, rng.between(60, 220)), rng.uniform(0.7, maxWidth),
                  Qt::SolidLine, Qt::RoundCap));
    p.setBrush(Qt::NoBrush);
    QPainterPath path(anywhere(size, rng));
    if (rng.chance(0.5))
        path.lineTo(anywhere(size, rng));
    else
        path.quadTo(anywhere(size, rng), anywhere(size, rng));
    p.drawPath(path);
}

// Gradient, translucent blobs, lines and specks. Returns how cluttered the result is.
int paintBackground(QPainter &p, QSize size, DemoRandom &rng)
{
    paintGradient(p, size, rng);
    const double minDim = qMin(size.width(), size.height());
    const int blobs = rng.between(1, 9);
    for (int i = 0; i < blobs; ++i) {
        p.setPen(Qt::NoPen);
        p.setBrush(randomColor(rng, 0.1, 0.7, 0.2, 1.0, rng.between(40, 150)));
        p.drawPath(blobPath(anywhere(size, rng), minDim * rng.uniform(0.05, 0.3), rng));
    }
    const int lines = rng.between(2, 22);
    for (int i = 0; i < lines; ++i)
        paintLine(p, size, rng, 3.5);
    const int specks = rng.between(0, 60);
    p.setPen(Qt::NoPen);
    for (int i = 0; i < specks; ++i) {
        p.setBrush(randomColor(rng, 0.0, 0.6, 0.0, 1.0, rng.between(80, 255)));
        const double r = rng.uniform(0.8, 3.0);
        p.drawEllipse(anywhere(size, rng), r, r);
    }
    return blobs + lines + specks / 10;
}

void paintObject(QPainter &p, const QString &cls, const QPolygonF &outline, DemoRandom &rng)
{
    const QColor fill = randomColor(rng, 0.45, 1.0, 0.3, 1.0);
    const QRectF box = outline.boundingRect();
    QBrush brush(fill);
    if (rng.chance(0.35)) {
        QLinearGradient g(box.topLeft(), box.bottomRight());
        g.setColorAt(0, fill.lighter(135));
        g.setColorAt(1, fill.darker(150));
        brush = QBrush(g);
    }
    if (rng.chance(0.5))
        p.setPen(QPen(fill.darker(rng.between(130, 250)), rng.uniform(1.0, 3.0), Qt::SolidLine, Qt::RoundCap,
                      Qt::RoundJoin));
    else
        p.setPen(Qt::NoPen);
    p.setBrush(brush);
    if (cls == QLatin1String("circle"))
        p.drawEllipse(box.center(), box.width() / 2, box.height() / 2);
    else
        p.drawPolygon(outline);
}

// True when box and one of the placed objects' boxes hide too much of each other.
bool overlapsTooMuch(const QRectF &box, const QVector<ShapeObject> &objects)
{
    for (const ShapeObject &o : objects) {
        const QRectF other = o.outline.boundingRect();
        const QRectF inter = box.intersected(other);
        const double smaller = qMin(box.width() * box.height(), other.width() * other.height());
        if (inter.width() * inter.height() > 0.4 * smaller)
            return true;
    }
    return false;
}

void placeObject(QPainter &p, QSize size, DemoRandom &rng, ShapesScene &scene)
{
    const QString cls = rng.pick(shapeClasses()).name;
    const double minDim = qMin(size.width(), size.height());
    const QRectF inside = QRectF(QPointF(), size).adjusted(3, 3, -3, -3);
    constexpr int kAttempts = 30;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        // Every scene gets at least one object: the first one's last try is in the middle.
        const bool middle = attempt == kAttempts - 1 && scene.objects.isEmpty();
        const double r = minDim * (middle ? 0.12 : rng.uniform(0.05, 0.2));
        const QPointF c = middle ? QPointF(size.width() / 2.0, size.height() / 2.0) : anywhere(size, rng);
        const QPolygonF outline = outlineFor(cls, c, r, rng.uniform(0, 2 * kPi), rng);
        const QRectF box = outline.boundingRect();
        if (!inside.contains(box) || overlapsTooMuch(box, scene.objects))
            continue;
        paintObject(p, cls, outline, rng);
        scene.objects.append(ShapeObject{cls, outline});
        return;
    }
}

// Sensor-like grain of up to +-amplitude, the same on the three channels (colour noise would make
// the PNG files several times bigger for no gain).
void addNoise(QImage &image, int amplitude, DemoRandom &rng)
{
    if (amplitude <= 0)
        return;
    const int span = 2 * amplitude + 1;
    for (int y = 0; y < image.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < image.width(); x += 4) {
            const quint32 r = rng.bits();
            for (int k = 0; k < 4 && x + k < image.width(); ++k) {
                const int d = int((r >> (8 * k)) & 0xff) % span - amplitude;
                const QRgb px = line[x + k];
                line[x + k] = qRgb(qBound(0, qRed(px) + d, 255), qBound(0, qGreen(px) + d, 255),
                                   qBound(0, qBlue(px) + d, 255));
            }
        }
    }
}

} // namespace

const QVector<DemoClass> &shapeClasses()
{
    static const QVector<DemoClass> classes{
        {QStringLiteral("rectangle"), ClassKind::Box, QColor(0xe6, 0x19, 0x4b)},
        {QStringLiteral("cross"), ClassKind::Box, QColor(0xf5, 0x82, 0x31)},
        {QStringLiteral("circle"), ClassKind::Polygon, QColor(0x3c, 0xb4, 0x4b)},
        {QStringLiteral("triangle"), ClassKind::Polygon, QColor(0x43, 0x63, 0xd8)},
        {QStringLiteral("star"), ClassKind::Polygon, QColor(0xff, 0xe1, 0x19)},
        {QStringLiteral("hexagon"), ClassKind::Polygon, QColor(0x91, 0x1e, 0xb4)},
    };
    return classes;
}

const QVector<DemoClass> &sceneTagClasses()
{
    static const QVector<DemoClass> classes{
        {QStringLiteral("busy"), ClassKind::Tag, QColor(0x80, 0x80, 0x00)},
        {QStringLiteral("calm"), ClassKind::Tag, QColor(0x46, 0xf0, 0xf0)},
    };
    return classes;
}

ShapesScene renderShapesScene(DemoRandom &rng)
{
    const QSize size = rng.pick(kSizes);
    ShapesScene scene;
    scene.image = QImage(size, QImage::Format_RGB32);
    QPainter p(&scene.image);
    p.setRenderHint(QPainter::Antialiasing);
    const int clutter = paintBackground(p, size, rng);
    const int wanted = rng.between(1, kMaxObjects);
    for (int i = 0; i < wanted; ++i)
        placeObject(p, size, rng, scene);
    const int overLines = rng.between(0, 2); // clutter in front of objects, too
    for (int i = 0; i < overLines; ++i)
        paintLine(p, size, rng, 1.5);
    p.end();
    addNoise(scene.image, rng.chance(0.5) ? rng.between(1, 3) : 0, rng);
    const qsizetype n = scene.objects.size();
    if (n >= 6 && clutter >= 16)
        scene.tag = QStringLiteral("busy");
    else if (n <= 3 && clutter <= 18)
        scene.tag = QStringLiteral("calm");
    return scene;
}

} // namespace annotune::labeling
