// The item browser model: paged loading, filters and sort against the store, thumbnails.

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "labeling/itemlistmodel.h"
#include "labeling/thumbnailcache.h"

#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune;
using core::store::ItemFilter;
using core::store::ItemSort;
using labeling::ItemListModel;

class TestItemModel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<core::store::Project> m_project;
    core::Id m_classId = 0;
    QString m_realPng;

private Q_SLOTS:
    void initTestCase();
    void startsWithOnePage();
    void fetchMoreGrowsUntilAll();
    void filtersMatchStoreCounts_data();
    void filtersMatchStoreCounts();
    void sortByPathDescending();
    void rolesCarryCounts();
    void thumbnailArrivesForRealImage();
    void missingMediaGetsPlaceholder();
};

void TestItemModel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto created = core::store::Project::create(m_dir.filePath(QStringLiteral("p.annotune")));
    QVERIFY2(created, created ? "" : qPrintable(created.error().message));
    m_project = std::move(created.value());

    core::LabelClass cls;
    cls.name = QStringLiteral("cat");
    cls.color = Qt::red;
    auto classId = m_project->classes().add(cls, QStringLiteral("tester"));
    QVERIFY(classId);
    m_classId = *classId;

    QImage img(40, 30, QImage::Format_RGB32);
    img.fill(Qt::darkCyan);
    m_realPng = m_dir.filePath(QStringLiteral("real.png"));
    QVERIFY(img.save(m_realPng));

    QVector<core::Item> items;
    for (int i = 0; i < 1000; ++i) {
        core::Item it;
        it.path = i == 0 ? QStringLiteral("real.png") : QStringLiteral("img/%1.jpg").arg(i, 4, 10, QLatin1Char('0'));
        it.sha256 = i == 0 ? QStringLiteral("aa00") : QStringLiteral("%1").arg(i, 64, 16, QLatin1Char('0'));
        it.width = 640;
        it.height = 480;
        it.split = core::kAllSplits[i % 3];
        it.status = core::kAllStatuses[i % 5];
        items.append(it);
    }
    auto ids = m_project->items().insertMany(items, QStringLiteral("tester"));
    QVERIFY(ids);

    QVector<core::Annotation> anns;
    for (int i = 0; i < 1000; i += 7) {
        core::Annotation a;
        a.itemId = ids->at(i);
        a.classId = m_classId;
        a.box = QRectF(1, 2, 10, 20);
        anns.append(a);
        anns.append(a);
    }
    QVERIFY(m_project->annotations().insertMany(anns, QStringLiteral("tester")));
}

void TestItemModel::startsWithOnePage()
{
    ItemListModel model(*m_project);
    QCOMPARE(model.totalCount(), 1000);
    QCOMPARE(model.rowCount(), ItemListModel::kDefaultPageSize);
    QVERIFY(model.canFetchMore({}));
}

void TestItemModel::fetchMoreGrowsUntilAll()
{
    ItemListModel model(*m_project);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 2 * ItemListModel::kDefaultPageSize);
    QCOMPARE(inserted.size(), 1);
    int guard = 0;
    while (model.canFetchMore({}) && ++guard < 100)
        model.fetchMore({});
    QCOMPARE(model.rowCount(), 1000);
    QVERIFY(!model.canFetchMore({}));
    // Ids are unique and in id order by default.
    for (int r = 1; r < model.rowCount(); ++r)
        QVERIFY(model.data(model.index(r), ItemListModel::IdRole).toLongLong()
                > model.data(model.index(r - 1), ItemListModel::IdRole).toLongLong());
}

void TestItemModel::filtersMatchStoreCounts_data()
{
    QTest::addColumn<int>("which");
    QTest::newRow("status approved") << 0;
    QTest::newRow("class cat") << 1;
    QTest::newRow("split val") << 2;
    QTest::newRow("path contains 09") << 3;
    QTest::newRow("status unlabeled and class") << 4;
}

void TestItemModel::filtersMatchStoreCounts()
{
    QFETCH(int, which);
    ItemFilter f;
    if (which == 0)
        f.status = core::ItemStatus::Approved;
    if (which == 1 || which == 4)
        f.classId = m_classId;
    if (which == 2)
        f.split = core::Split::Val;
    if (which == 3)
        f.pathContains = QStringLiteral("09");
    if (which == 4)
        f.status = core::ItemStatus::Unlabeled;
    auto expected = m_project->items().count(f);
    QVERIFY(expected);
    QVERIFY(*expected > 0 && *expected < 1000);

    ItemListModel model(*m_project);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setFilter(f);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.totalCount(), *expected);
    model.ensureLoaded(int(*expected));
    QCOMPARE(qint64(model.rowCount()), *expected);
    for (int r = 0; r < model.rowCount(); ++r) {
        const QModelIndex i = model.index(r);
        if (f.status)
            QCOMPARE(model.data(i, ItemListModel::StatusRole).toInt(), int(*f.status));
        if (f.split)
            QCOMPARE(model.data(i, ItemListModel::SplitRole).toInt(), int(*f.split));
        if (f.classId)
            QVERIFY(model.data(i, ItemListModel::AnnotationCountRole).toInt() > 0);
    }
}

void TestItemModel::sortByPathDescending()
{
    ItemListModel model(*m_project);
    model.setSort(ItemSort{ItemSort::Key::Path, true});
    QVERIFY(model.rowCount() > 1);
    QCOMPARE(model.data(model.index(0), ItemListModel::PathRole).toString(), QStringLiteral("real.png"));
    QCOMPARE(model.data(model.index(1), ItemListModel::PathRole).toString(), QStringLiteral("img/0999.jpg"));
    for (int r = 1; r < model.rowCount(); ++r)
        QVERIFY(model.data(model.index(r - 1), ItemListModel::PathRole).toString()
                > model.data(model.index(r), ItemListModel::PathRole).toString());
}

void TestItemModel::rolesCarryCounts()
{
    ItemListModel model(*m_project);
    const QModelIndex first = model.index(0);
    QCOMPARE(model.data(first, ItemListModel::AnnotationCountRole).toInt(), 2);
    const QVariantMap counts = model.data(first, ItemListModel::ClassCountsRole).toMap();
    QCOMPARE(counts.value(QString::number(m_classId)).toInt(), 2);
    QCOMPARE(model.data(model.index(1), ItemListModel::AnnotationCountRole).toInt(), 0);
    QCOMPARE(model.data(first, ItemListModel::WidthRole).toInt(), 640);
    QCOMPARE(model.data(first, Qt::DisplayRole).toString(), QStringLiteral("real.png"));
    QCOMPARE(model.data(first, ItemListModel::AbsolutePathRole).toString(), m_realPng);
}

void TestItemModel::thumbnailArrivesForRealImage()
{
    QTemporaryDir cacheDir;
    labeling::ThumbnailCache thumbs(cacheDir.path(), 32);
    ItemListModel model(*m_project, &thumbs);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QModelIndex first = model.index(0);
    QVERIFY(model.data(first, Qt::DecorationRole).value<QPixmap>().isNull()); // scheduled, not there yet
    QTRY_VERIFY(!changed.isEmpty());
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
    const QPixmap pm = model.data(first, Qt::DecorationRole).value<QPixmap>();
    QVERIFY(!pm.isNull());
    QCOMPARE(pm.size(), QSize(32, 24)); // 40 × 30 scaled to fit 32
    QVERIFY(!model.data(first, ItemListModel::ThumbnailMissingRole).toBool());
    QVERIFY(QFileInfo::exists(cacheDir.filePath(QStringLiteral("aa00-32.jpg"))));
}

void TestItemModel::missingMediaGetsPlaceholder()
{
    QTemporaryDir cacheDir;
    labeling::ThumbnailCache thumbs(cacheDir.path(), 32);
    ItemListModel model(*m_project, &thumbs);
    const QModelIndex second = model.index(1);
    QVERIFY(model.data(second, Qt::DecorationRole).value<QPixmap>().isNull());
    QTRY_VERIFY(model.data(second, ItemListModel::ThumbnailMissingRole).toBool());
    QVERIFY(!model.data(second, Qt::DecorationRole).value<QPixmap>().isNull());
    QVERIFY(!model.data(second, ItemListModel::PathRole).toString().isEmpty());
}

QTEST_MAIN(TestItemModel)
#include "test_itemmodel.moc"
