#pragma once
// Items read ahead for the annotation document: the item row and its annotations, for the items
// next to the current one, so that switching to one does not wait for the store.

#include "core/store/project.h"
#include "core/types.h"

#include <QHash>
#include <QVector>
#include <optional>

namespace annotune::labeling {

// The store stays the one truth: a snapshot is handed out only while the project's change stamp
// shows no write since it was read, apart from the document's own writes, which it wraps in a
// WriteScope each; such a write drops the snapshot of the item written and keeps the others. Any
// other write (elsewhere in the program, another connection or process) drops them all. Image
// items with at most kMaxAnnotations annotations are read ahead; document pages (their words can
// be many) and larger items are read when loaded. GUI thread only (it reads on its connection).
class ItemSnapshots {
public:
    static constexpr int kMaxAnnotations = 400; // reading more ahead would stall the GUI thread
    struct Snapshot {
        core::Item item;
        QVector<core::Annotation> annotations;
    };

    explicit ItemSnapshots(core::store::Project &project) : m_project(project) {}

    // Reads those of itemIds not held yet (skipping pages and large items) and keeps only these.
    void prefetch(const QVector<core::Id> &itemIds);
    // The snapshot of itemId if one is held and the store has not changed since; either way none
    // is held for itemId afterwards.
    std::optional<Snapshot> take(core::Id itemId);
    // Whether a snapshot of itemId is held that take would hand out.
    bool holds(core::Id itemId);
    void clear() { m_snapshots.clear(); }

    // Lives around one write of the document to one item's rows, and nothing else.
    class WriteScope {
    public:
        WriteScope(ItemSnapshots &snapshots, core::Id itemId);
        ~WriteScope();
        WriteScope(const WriteScope &) = delete;
        WriteScope &operator=(const WriteScope &) = delete;

    private:
        ItemSnapshots &m_snapshots;
        core::Id m_itemId;
    };

private:
    // Drops everything when the store changed since the stamp; true when nothing was dropped.
    bool validate();

    core::store::Project &m_project;
    core::store::Project::ChangeStamp m_stamp; // when the held snapshots were last known current
    QHash<core::Id, Snapshot> m_snapshots;
};

} // namespace annotune::labeling
