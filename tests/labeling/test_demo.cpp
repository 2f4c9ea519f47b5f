// The demo generator: deterministic from its seed, the promised counts and statuses, geometry inside
// the images, invoice fields over their words, word boxes where the ink is, and no overwriting.

#include "core/geometry.h"
#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "labeling/demoproject.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune;
using namespace annotune::core;

namespace {

constexpr int kShapes = 12;
constexpr int kInvoices = 4;

labeling::DemoOptions smallDemo(quint32 seed)
{
    labeling::DemoOptions o;
    o.seed = seed;
    o.shapes = kShapes;
    o.invoices = kInvoices;
    return o;
}

std::unique_ptr<store::Project> openProject(const QString &path)
{
    auto p = store::Project::open(path, store::Project::Access::ReadOnly);
    if (!p)
        qFatal("%s", qPrintable(p.error().message));
    return std::move(p.value());
}

QVector<Item> allItems(store::Project &p)
{
    QVector<Item> items;
    const Status st = p.items().forEach({}, [&](const Item &it) {
        items.append(it);
        return true;
    });
    if (!st)
        qFatal("%s", qPrintable(st.error().message));
    return items;
}

QHash<Id, LabelClass> classesById(store::Project &p)
{
    QHash<Id, LabelClass> out;
    const QVector<LabelClass> list = p.classes().list().value();
    for (const LabelClass &c : list)
        out.insert(c.id, c);
    return out;
}

// Everything generated, with database ids replaced by what they stand for (item position, class
// name, word index), so two projects can be compared line by line.
QStringList snapshot(store::Project &p)
{
    QStringList out;
    const QVector<Item> items = allItems(p);
    const QHash<Id, LabelClass> classes = classesById(p);
    for (int i = 0; i < items.size(); ++i) {
        const Item &it = items[i];
        out << QStringLiteral("item %1 %2 %3 %4x%5 %6 %7").arg(i).arg(it.path, it.sha256).arg(it.width).arg(it.height)
                   .arg(toText(it.status), toText(it.split));
        const QVector<Word> words = p.annotations().words(it.id).value();
        QHash<Id, int> wordIndex;
        for (const Word &w : words) {
            wordIndex.insert(w.id, w.index);
            out << QStringLiteral("  word ") + QString::number(w.index) + QLatin1Char(' ') + w.text
                       + QStringLiteral(" %1 %2 %3 %4").arg(w.box.x()).arg(w.box.y()).arg(w.box.width()).arg(w.box.height());
        }
        const QVector<Annotation> labels = p.annotations().forItem(it.id).value();
        for (const Annotation &a : labels) {
            QJsonObject o = toJson(a);
            o.remove(QStringLiteral("id"));
            o[QStringLiteral("item")] = i;
            o[QStringLiteral("class")] = classes.value(a.classId).name;
            QJsonArray idx;
            for (Id w : a.wordIds)
                idx.append(wordIndex.value(w, -1));
            o[QStringLiteral("words")] = idx;
            out << QStringLiteral("  label ") + QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
        }
    }
    return out;
}

QStringList hashes(store::Project &p)
{
    QStringList out;
    for (const Item &it : allItems(p))
        out << it.sha256;
    return out;
}

QString fileSha(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
}

int darkPixels(const QImage &image, const QRect &r)
{
    int n = 0;
    const QRect in = r.intersected(image.rect());
    for (int y = in.top(); y <= in.bottom(); ++y)
        for (int x = in.left(); x <= in.right(); ++x)
            n += qGray(image.pixel(x, y)) < 110;
    return n;
}

} // namespace

class TestDemo : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sameSeedSameProject();
    void otherSeedOtherData();
    void countsAndStatuses();
    void shapesGeometry();
    void invoiceFields();
    void wordBoxesCoverInk();
    void refusesExistingProject();
    void refusesExistingMediaFolder();

private:
    QTemporaryDir m_dirA, m_dirB;
    QString m_pathA, m_pathB;
};

void TestDemo::initTestCase()
{
    QVERIFY(m_dirA.isValid() && m_dirB.isValid());
    m_pathA = m_dirA.filePath(QStringLiteral("demo.annotune"));
    m_pathB = m_dirB.filePath(QStringLiteral("demo.annotune"));
    int lastDone = 0, lastTotal = 0;
    auto a = labeling::generateDemo(m_pathA, smallDemo(3), [&](int done, int total) {
        lastDone = qMax(lastDone, done);
        lastTotal = total;
    });
    QVERIFY2(a.ok(), a.ok() ? "" : qPrintable(a.error().message));
    QCOMPARE(lastDone, kShapes + kInvoices);
    QCOMPARE(lastTotal, kShapes + kInvoices);
    QCOMPARE(a->images, kShapes);
    QCOMPARE(a->invoices, kInvoices);
    QVERIFY(a->words > 0);
    auto b = labeling::generateDemo(m_pathB, smallDemo(3));
    QVERIFY2(b.ok(), b.ok() ? "" : qPrintable(b.error().message));
}

void TestDemo::sameSeedSameProject()
{
    auto a = openProject(m_pathA);
    auto b = openProject(m_pathB);
    const QStringList snapA = snapshot(*a), snapB = snapshot(*b);
    QVERIFY(snapA.size() > kShapes + kInvoices);
    QCOMPARE(snapA, snapB);
    for (const Item &it : allItems(*a)) {
        const QString fileA = a->absoluteMediaPath(it.path), fileB = b->absoluteMediaPath(it.path);
        QVERIFY2(fileA != fileB, qPrintable(fileA));
        QCOMPARE(fileSha(fileA), it.sha256);
        QCOMPARE(fileSha(fileB), it.sha256);
    }
}

void TestDemo::otherSeedOtherData()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("other.annotune"));
    auto r = labeling::generateDemo(path, smallDemo(4));
    QVERIFY(r.ok());
    auto a = openProject(m_pathA);
    auto c = openProject(path);
    const QStringList hashesA = hashes(*a), hashesC = hashes(*c);
    QCOMPARE(hashesC.size(), hashesA.size());
    for (const QString &h : hashesC)
        QVERIFY2(!hashesA.contains(h), qPrintable(h));
}

void TestDemo::countsAndStatuses()
{
    auto p = openProject(m_pathA);
    const QVector<Item> items = allItems(*p);
    QCOMPARE(items.size(), kShapes + kInvoices);
    int unlabeled = 0;
    QSet<ItemStatus> seen;
    for (int i = 0; i < items.size(); ++i) {
        const Item &it = items[i];
        const bool invoice = i >= kShapes;
        const int index = invoice ? i - kShapes : i;
        QCOMPARE(toText(it.kind), toText(invoice ? ItemKind::DocumentPage : ItemKind::Image));
        QVERIFY2(it.path.endsWith(QStringLiteral("%1/%2.png").arg(invoice ? "invoices" : "shapes")
                                      .arg(index, 4, 10, QLatin1Char('0'))), qPrintable(it.path));
        QVERIFY(QDir::isRelativePath(it.path));
        QCOMPARE(toText(it.split), toText(splitForHash(it.sha256)));
        QCOMPARE(it.documentId.has_value(), invoice);
        const int labels = int(p->annotations().forItem(it.id)->size());
        seen.insert(it.status);
        if (index % 3 == 2) {
            ++unlabeled;
            QCOMPARE(toText(it.status), toText(ItemStatus::Unlabeled));
            QCOMPARE(labels, 0);
        } else {
            QVERIFY(it.status != ItemStatus::Unlabeled);
            QVERIFY2(labels >= 1, qPrintable(it.path));
        }
    }
    QCOMPARE(unlabeled, kShapes / 3 + kInvoices / 3);
    QCOMPARE(p->items().countsByStatus()->value(ItemStatus::Unlabeled), unlabeled);
    QVERIFY(seen.size() >= 3); // a mix of workflow states, not one
}

void TestDemo::shapesGeometry()
{
    auto p = openProject(m_pathA);
    const QHash<Id, LabelClass> classes = classesById(*p);
    int polygons = 0, boxes = 0;
    for (const Item &it : allItems(*p)) {
        if (it.kind != ItemKind::Image)
            continue;
        const QRectF bounds(0, 0, it.width, it.height);
        const QVector<Annotation> labels = p->annotations().forItem(it.id).value();
        for (const Annotation &a : labels) {
            const LabelClass c = classes.value(a.classId);
            if (a.kind == AnnotationKind::Tag) {
                QCOMPARE(toText(c.kind), toText(ClassKind::Tag));
                continue;
            }
            QVERIFY2(bounds.contains(a.box) && a.box.width() > 4 && a.box.height() > 4, qPrintable(it.path));
            if (a.kind == AnnotationKind::Polygon) {
                ++polygons;
                QCOMPARE(toText(c.kind), toText(ClassKind::Polygon));
                QVERIFY(a.polygon.size() >= 3);
                for (const QPointF &pt : a.polygon)
                    QVERIFY(bounds.contains(pt));
                QCOMPARE(a.box, a.polygon.boundingRect());
                QVERIFY(polygonArea(a.polygon) > 10);
            } else {
                ++boxes;
                QCOMPARE(toText(a.kind), toText(AnnotationKind::Box));
                QCOMPARE(toText(c.kind), toText(ClassKind::Box));
            }
        }
    }
    QVERIFY(polygons > 0);
    QVERIFY(boxes > 0);
}

void TestDemo::invoiceFields()
{
    auto p = openProject(m_pathA);
    const QHash<Id, LabelClass> classes = classesById(*p);
    const QRegularExpression iso(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    int labelled = 0;
    for (const Item &it : allItems(*p)) {
        if (it.kind != ItemKind::DocumentPage)
            continue;
        const QVector<Word> words = p->annotations().words(it.id).value();
        QVERIFY(words.size() > 20);
        QHash<Id, Word> byId;
        for (const Word &w : words)
            byId.insert(w.id, w);
        QHash<QString, Annotation> fields;
        const QVector<Annotation> labels = p->annotations().forItem(it.id).value();
        for (const Annotation &a : labels) {
            QCOMPARE(toText(a.kind), toText(AnnotationKind::Field));
            QCOMPARE(toText(classes.value(a.classId).kind), toText(ClassKind::Field));
            QStringList texts;
            QRectF box;
            for (Id w : a.wordIds) {
                QVERIFY2(byId.contains(w), qPrintable(QStringLiteral("word %1 of %2").arg(w).arg(it.path)));
                texts << byId.value(w).text;
                box |= byId.value(w).box;
            }
            QVERIFY(!a.wordIds.isEmpty());
            QCOMPARE(a.rawText, texts.join(QLatin1Char(' ')));
            QCOMPARE(a.box, box);
            fields.insert(classes.value(a.classId).name, a);
        }
        if (fields.isEmpty())
            continue;
        ++labelled;
        for (const char *name : {"vendor", "invoice_number", "invoice_date", "due_date", "subtotal", "tax", "total"})
            QVERIFY2(fields.contains(QLatin1String(name)), name);
        QVERIFY2(iso.match(fields[QStringLiteral("invoice_date")].value).hasMatch(),
                 qPrintable(fields[QStringLiteral("invoice_date")].value));
        QVERIFY(QDate::fromString(fields[QStringLiteral("due_date")].value, Qt::ISODate) >=
                QDate::fromString(fields[QStringLiteral("invoice_date")].value, Qt::ISODate));
        bool ok[3] = {};
        const double subtotal = fields[QStringLiteral("subtotal")].value.toDouble(&ok[0]);
        const double tax = fields[QStringLiteral("tax")].value.toDouble(&ok[1]);
        const double total = fields[QStringLiteral("total")].value.toDouble(&ok[2]);
        QVERIFY(ok[0] && ok[1] && ok[2]);
        QCOMPARE(qRound64(total * 100), qRound64(subtotal * 100) + qRound64(tax * 100));
        QCOMPARE(fields[QStringLiteral("vendor")].value, fields[QStringLiteral("vendor")].rawText);
        QCOMPARE(fields[QStringLiteral("invoice_number")].value, fields[QStringLiteral("invoice_number")].rawText);
    }
    QCOMPARE(labelled, kInvoices - kInvoices / 3);
}

void TestDemo::wordBoxesCoverInk()
{
    auto p = openProject(m_pathA);
    int checked = 0, touching = 0;
    for (const Item &it : allItems(*p)) {
        if (it.kind != ItemKind::DocumentPage)
            continue;
        const QImage image(p->absoluteMediaPath(it.path));
        QCOMPARE(image.size(), QSize(it.width, it.height));
        const QVector<Word> words = p->annotations().words(it.id).value();
        for (const Word &w : words) {
            QVERIFY2(QRectF(image.rect()).contains(w.box), qPrintable(w.text));
            const QRect box = w.box.toAlignedRect();
            const int inside = darkPixels(image, box);
            QVERIFY2(inside >= 0.03 * box.width() * box.height(), qPrintable(QStringLiteral("%1 in %2").arg(w.text, it.path)));
            // The pixel columns 2 px outside the box's left and right edges fall in the space between
            // words (or margin), so they hold no ink but for a glyph's overhang (the hook of a serif
            // "J"). A box off by a few pixels would cut through glyph stems there instead.
            const QRect left(box.left() - 2, box.top(), 1, box.height());
            const QRect right(box.right() + 2, box.top(), 1, box.height());
            const int beside = darkPixels(image, left) + darkPixels(image, right);
            QVERIFY2(beside <= 3, qPrintable(QStringLiteral("ink beside \"%1\" in %2").arg(w.text, it.path)));
            touching += beside > 0;
            ++checked;
        }
    }
    QVERIFY(checked > 100);
    QVERIFY2(touching * 50 <= checked, qPrintable(QStringLiteral("%1 of %2 words touch ink").arg(touching).arg(checked)));
}

void TestDemo::refusesExistingProject()
{
    const QByteArray before = fileSha(m_pathA).toLatin1();
    const QFileInfo info(m_pathA);
    const QDateTime modified = info.lastModified();
    auto r = labeling::generateDemo(m_pathA, smallDemo(9));
    QVERIFY(!r.ok());
    QCOMPARE(int(r.error().code), int(ErrorCode::Conflict));
    QCOMPARE(fileSha(m_pathA).toLatin1(), before);
    QCOMPARE(QFileInfo(m_pathA).lastModified(), modified);
    QCOMPARE(hashes(*openProject(m_pathA)).size(), kShapes + kInvoices);
}

void TestDemo::refusesExistingMediaFolder()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("taken-media")));
    const QString path = dir.filePath(QStringLiteral("taken.annotune"));
    auto r = labeling::generateDemo(path, smallDemo(1));
    QVERIFY(!r.ok());
    QCOMPARE(int(r.error().code), int(ErrorCode::Conflict));
    QVERIFY(!QFileInfo::exists(path));
    QVERIFY(QDir(dir.filePath(QStringLiteral("taken-media"))).isEmpty());
}

QTEST_MAIN(TestDemo)
#include "test_demo.moc"
