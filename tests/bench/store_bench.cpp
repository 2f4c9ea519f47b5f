// Store benchmark: a synthetic 100,000-item / 1,000,000-annotation project. Prints the bulk insert
// rate, open + first page time, class-filter time and the latency of single durable edits.
// Targets (issue "Foundation"): >= 500,000 annotations/s, <= 1 s, <= 100 ms, p99 <= 5 ms.
// Usage: store_bench [items] [annotations per item] [folder]

#include "core/geometry.h"
#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <random>

using namespace annotune::core;
using namespace annotune::core::store;

namespace {

double ms(const QElapsedTimer &t) { return t.nsecsElapsed() / 1e6; }

QVector<Item> makeItems(int n)
{
    QVector<Item> items;
    items.reserve(n);
    for (int i = 0; i < n; ++i) {
        Item it;
        it.path = QStringLiteral("images/%1/%2.jpg").arg(i / 1000, 3, 10, QLatin1Char('0')).arg(i, 6, 10, QLatin1Char('0'));
        it.sha256 = QString::fromLatin1(QCryptographicHash::hash(QByteArray::number(i), QCryptographicHash::Sha256).toHex());
        it.sizeBytes = 200000 + i;
        it.width = 1920;
        it.height = 1080;
        it.split = splitForHash(it.sha256);
        it.status = kAllStatuses[i % 5];
        items.append(it);
    }
    return items;
}

QVector<Annotation> makeAnnotations(const QVector<Id> &items, const QVector<Id> &classes, int perItem, std::mt19937 &rng)
{
    std::uniform_real_distribution<double> pos(0, 1800), size(5, 200);
    QVector<Annotation> out;
    out.reserve(items.size() * perItem);
    for (Id item : items)
        for (int k = 0; k < perItem; ++k) {
            Annotation a;
            a.itemId = item;
            // The last class is rare (about 1 label in 500) so the class filter is also measured
            // where matching items are far apart.
            a.classId = rng() % 500 == 0 ? classes.last() : classes[rng() % (classes.size() - 1)];
            a.box = QRectF(pos(rng), pos(rng) * 0.5, size(rng), size(rng));
            out.append(a);
        }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int itemCount = argc > 1 ? std::atoi(argv[1]) : 100000;
    const int perItem = argc > 2 ? std::atoi(argv[2]) : 10;
    QTemporaryDir tmp(argc > 3 ? QString::fromLocal8Bit(argv[3]) + QStringLiteral("/store_bench-XXXXXX") : QString());
    const QString file = tmp.filePath(QStringLiteral("bench.annotune"));
    std::mt19937 rng(1234);
    QVector<Id> classIds;
    {
        auto p = Project::create(file);
        if (!p) {
            std::fprintf(stderr, "store_bench: %s\n", qPrintable(p.error().message));
            return 2;
        }
        Project &project = **p;
        for (int c = 0; c < 20; ++c)
            classIds << *project.classes().add({0, QStringLiteral("class%1").arg(c), QColor::fromHsv(c * 18, 200, 220),
                                                ClassKind::Box, {}, c}, QStringLiteral("bench"));
        const QVector<Item> items = makeItems(itemCount);
        QElapsedTimer t;
        t.start();
        auto ids = project.items().insertMany(items, QStringLiteral("bench"));
        const double itemMs = ms(t);
        const QVector<Annotation> anns = makeAnnotations(*ids, classIds, perItem, rng);
        t.restart();
        auto n = project.annotations().insertMany(anns, QStringLiteral("bench"));
        const double annMs = ms(t);
        if (!ids || !n) {
            std::fprintf(stderr, "store_bench: insert failed\n");
            return 2;
        }
        std::printf("store_bench: %d items, %lld annotations\n", itemCount, static_cast<long long>(*n));
        std::printf("bulk insert items:        %8.1f ms  (%.0f items/s)\n", itemMs, itemCount / (itemMs / 1000));
        std::printf("bulk insert annotations:  %8.1f ms  (%.0f annotations/s; target >= 500000)\n", annMs,
                    *n / (annMs / 1000));
    }
    {
        QElapsedTimer t;
        t.start();
        auto p = Project::open(file);
        auto page = (*p)->items().page({}, {}, 0, 200);
        auto total = (*p)->items().count({});
        auto byStatus = (*p)->items().countsByStatus();
        const double openMs = ms(t);
        std::printf("open + first page (200 rows, counts): %8.1f ms  (target <= 1000; %d rows of %lld)\n", openMs,
                    int(page->size()), static_cast<long long>(*total));

        for (Id cls : {classIds[7], classIds.last()}) {
            ItemFilter byClass;
            byClass.classId = cls;
            t.restart();
            auto firstPage = (*p)->items().page(byClass, {}, 0, 200);
            const double pageMs = ms(t);
            t.restart();
            auto classCount = (*p)->items().count(byClass);
            const double countMs = ms(t);
            std::printf("filter by %s class: first page %.1f ms (%d rows), full count %.1f ms (%lld items)  (target <= 100)\n",
                        cls == classIds.last() ? "a rare" : "a common", pageMs, int(firstPage->size()), countMs,
                        static_cast<long long>(*classCount));
        }

        // Single durable edits: each one its own transaction with synchronous=FULL and an audit row.
        auto anns = (*p)->annotations().forItem(page->at(0).item.id);
        Annotation a = anns->first();
        std::vector<double> lat;
        for (int i = 0; i < 1000; ++i) {
            a.box.translate(1, 0);
            t.restart();
            if (!(*p)->annotations().update(a, QStringLiteral("bench")))
                return 2;
            lat.push_back(ms(t));
        }
        std::sort(lat.begin(), lat.end());
        std::printf("durable edit commit: p50 %.3f ms, p99 %.3f ms, max %.3f ms  (target p99 <= 5)\n", lat[lat.size() / 2],
                    lat[lat.size() * 99 / 100], lat.back());
    }
    return 0;
}
