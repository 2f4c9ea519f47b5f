// Child process of test_killsafety: applies a scripted, seeded series of edits to one item through
// the annotation document, forever, and reports each on stdout (flushed) so the parent can kill
// it at any moment and know what must have reached the project file.
//
// Protocol, one line each:
//   pending N ID...      before edit N; the ids it may touch (0: a new annotation)
//   state ID CLASS X Y W H | state ID removed   the resulting state of a touched annotation
//   done N               edit N is applied (its state lines came just before)

#include "core/store/project.h"
#include "labeling/annotationdocument.h"

#include <QCoreApplication>
#include <QUndoStack>
#include <cstdio>
#include <random>

using namespace annotune;
using core::Id;

namespace {

void print(const char *fmt, auto... args)
{
    std::printf(fmt, args...);
}

void reportState(labeling::AnnotationDocument &doc, Id id)
{
    if (const core::Annotation *a = doc.find(id))
        print("state %lld %lld %.17g %.17g %.17g %.17g\n", qlonglong(id), qlonglong(a->classId), a->box.x(), a->box.y(),
              a->box.width(), a->box.height());
    else
        print("state %lld removed\n", qlonglong(id));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: killsafety_helper PROJECT ITEM_ID SEED\n");
        return 2;
    }
    auto project = core::store::Project::open(QString::fromLocal8Bit(argv[1]));
    if (!project) {
        std::fprintf(stderr, "%s\n", qPrintable(project.error().message));
        return 1;
    }
    labeling::AnnotationDocument doc(**project);
    if (!doc.load(QByteArray(argv[2]).toLongLong()))
        return 1;
    QVector<Id> classes;
    for (const core::LabelClass &c : doc.classes())
        if (c.kind == core::ClassKind::Box)
            classes.append(c.id);
    std::mt19937 rng(QByteArray(argv[3]).toUInt());
    const auto pick = [&](int n) { return int(rng() % unsigned(n)); };
    QVector<Id> touched;
    QVector<QVector<Id>> history; // ids each command on the undo stack touched
    QObject::connect(&doc, &labeling::AnnotationDocument::changed, [&](const labeling::ChangeEvent &e) { touched += e.ids; });
    for (int n = 1;; ++n) {
        const auto &all = doc.annotations();
        const Id some = all.isEmpty() ? 0 : all[pick(int(all.size()))].id;
        int op = some ? pick(9) : 0;
        if (op >= 6)
            op = 0; // adds outnumber removals, so the item fills up
        if (op == 5 && history.isEmpty())
            op = 0;
        const QVector<Id> may = op == 0 ? QVector<Id>{0} : op == 5 ? history.last() : QVector<Id>{some};
        print("pending %d", n);
        for (Id id : may)
            print(" %lld", qlonglong(id));
        print("\n");
        std::fflush(stdout);
        touched.clear();
        const QPointF p(pick(900), pick(600));
        switch (op) {
        case 0: {
            core::Annotation a;
            a.classId = classes[pick(int(classes.size()))];
            a.box = QRectF(p, QSizeF(5 + pick(90), 5 + pick(90)));
            doc.addAnnotation(a);
            break;
        }
        case 1: doc.moveAnnotations({some}, QPointF(pick(21) - 10, pick(21) - 10)); break;
        case 2: doc.resizeBox(some, QRectF(p, QSizeF(3 + pick(60), 3 + pick(60)))); break;
        case 3: doc.setClass({some}, classes[pick(int(classes.size()))]); break;
        case 4: doc.removeAnnotations({some}); break;
        default: doc.undo(); break;
        }
        for (Id id : touched)
            reportState(doc, id);
        print("done %d\n", n);
        std::fflush(stdout);
        if (op == 5)
            history.removeLast();
        else if (!touched.isEmpty())
            history.append(touched);
    }
}
