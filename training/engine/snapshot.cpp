#include "snapshot.h"

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"

#include <QCryptographicHash>
#include <algorithm>
#include <tuple>

namespace annotune::training::engine {

using namespace annotune::core;
namespace ct = annotune::core::training;

namespace {

bool classForTask(const LabelClass &c, ct::TrainTask task)
{
    if (task == ct::TrainTask::Extraction)
        return c.kind == ClassKind::Field;
    return c.kind == ClassKind::Box || c.kind == ClassKind::Polygon;
}

Status fillItem(store::Project &project, SnapshotItem &s, const QVector<LabelClass> &classes)
{
    s.absolutePath = project.absoluteMediaPath(s.item.path);
    auto annotations = project.annotations().forItem(s.item.id);
    if (!annotations)
        return annotations.error();
    for (const Annotation &a : *annotations) {
        const bool known = std::any_of(classes.begin(), classes.end(), [&](const LabelClass &c) { return c.id == a.classId; });
        if (known && !a.runId)
            s.annotations.append(a);
    }
    if (s.item.kind == ItemKind::DocumentPage) {
        auto words = project.annotations().words(s.item.id);
        if (!words)
            return words.error();
        s.words = *words;
    }
    return {};
}

void hashItem(QCryptographicHash &h, const SnapshotItem &s)
{
    h.addData(QByteArray::number(s.item.id) + ':' + s.item.sha256.toLatin1() + ':' + toText(s.item.split).toLatin1());
    for (const Annotation &a : s.annotations)
        h.addData(QByteArray::number(a.id) + '@' + QByteArray::number(a.revision) + ';');
    h.addData(QByteArray::number(s.words.size()));
}

} // namespace

int DatasetSnapshot::classIndex(Id classId) const
{
    for (int i = 0; i < classes.size(); ++i)
        if (classes[i].id == classId)
            return i;
    return -1;
}

bool selected(ItemStatus status, ct::LabelSelection selection)
{
    if (selection == ct::LabelSelection::Approved)
        return status == ItemStatus::Approved;
    return status == ItemStatus::Labeled || status == ItemStatus::InReview || status == ItemStatus::Approved;
}

Result<DatasetSnapshot> takeSnapshot(store::Project &project, const ct::JobSpec &spec, bool withUnlabeled)
{
    const ct::TrainTask task = spec.task;
    const ct::LabelSelection selection = spec.labels;
    DatasetSnapshot snap;
    auto classes = project.classes().list();
    if (!classes)
        return classes.error();
    QStringList unknown = spec.classes;
    for (const LabelClass &c : *classes) {
        if (!classForTask(c, task))
            continue;
        if (!spec.classes.isEmpty() && !spec.classes.contains(c.name))
            continue;
        unknown.removeAll(c.name);
        snap.classes.append(c);
    }
    if (!unknown.isEmpty())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: no %2 class named %3").arg(project.path(), ct::toText(task), unknown.join(QStringLiteral(", "))));
    if (snap.classes.isEmpty())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: no %2 classes to train").arg(project.path(), ct::toText(task)));
    store::ItemFilter filter;
    filter.kind = task == ct::TrainTask::Extraction ? ItemKind::DocumentPage : ItemKind::Image;
    QVector<SnapshotItem> chosen;
    Status st = project.items().forEach(filter, [&](const Item &item) {
        if (selected(item.status, selection) || (withUnlabeled && item.status == ItemStatus::Unlabeled))
            chosen.append(SnapshotItem{item, {}, {}, {}});
        return true;
    });
    if (!st)
        return st.error();
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const LabelClass &c : snap.classes)
        h.addData(QByteArray::number(c.id) + '=' + c.name.toUtf8() + ';');
    if (spec.folds > 1) {
        // Folds by content hash: the same items whatever their order or ids in the project.
        std::stable_sort(chosen.begin(), chosen.end(), [](const SnapshotItem &a, const SnapshotItem &b) {
            return std::tie(a.item.sha256, a.item.pageNo) < std::tie(b.item.sha256, b.item.pageNo);
        });
        h.addData(QByteArray("folds=") + QByteArray::number(spec.folds) + '/' + QByteArray::number(spec.fold) + ';');
    }
    int labelled = 0;
    for (SnapshotItem &s : chosen) {
        if (Status fs = fillItem(project, s, snap.classes); !fs)
            return fs.error();
        hashItem(h, s);
        if (!selected(s.item.status, selection))
            snap.unlabeled.append(std::move(s));
        else if (spec.folds > 1)
            (labelled++ % spec.folds == spec.fold ? snap.val : snap.train).append(std::move(s));
        else
            (s.item.split == Split::Train ? snap.train : s.item.split == Split::Val ? snap.val : snap.test).append(std::move(s));
    }
    snap.hash = QString::fromLatin1(h.result().toHex());
    if (snap.train.isEmpty())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: no %2 training items with %3 labels")
                                                  .arg(project.path(), ct::toText(task), ct::toText(selection)));
    return snap;
}

Result<QVector<SnapshotItem>> loadItems(store::Project &project, const QVector<Item> &items)
{
    QVector<SnapshotItem> out;
    out.reserve(items.size());
    for (const Item &item : items) {
        SnapshotItem s{item, project.absoluteMediaPath(item.path), {}, {}};
        if (item.kind == ItemKind::DocumentPage) {
            auto words = project.annotations().words(item.id);
            if (!words)
                return words.error();
            s.words = *words;
        }
        out.append(std::move(s));
    }
    return out;
}

} // namespace annotune::training::engine
