#include "itemsnapshots.h"

#include "core/store/annotationrepository.h"
#include "core/store/itemrepository.h"

namespace annotune::labeling {

bool ItemSnapshots::validate()
{
    const core::store::Project::ChangeStamp now = m_project.changeStamp();
    if (now == m_stamp)
        return true;
    m_snapshots.clear();
    m_stamp = now;
    return false;
}

void ItemSnapshots::prefetch(const QVector<core::Id> &itemIds)
{
    validate();
    for (auto it = m_snapshots.begin(); it != m_snapshots.end();)
        it = itemIds.contains(it.key()) ? std::next(it) : m_snapshots.erase(it);
    for (core::Id id : itemIds) {
        if (!id || m_snapshots.contains(id))
            continue;
        auto item = m_project.items().get(id);
        if (!item || item->kind == core::ItemKind::DocumentPage)
            continue;
        auto count = m_project.annotations().countForItem(id);
        if (!count || *count > kMaxAnnotations)
            continue;
        auto annotations = m_project.annotations().forItem(id);
        if (annotations) // reads leave the stamp as it was: a commit meanwhile shows at take
            m_snapshots.insert(id, {*item, *annotations});
    }
}

std::optional<ItemSnapshots::Snapshot> ItemSnapshots::take(core::Id itemId)
{
    if (!validate())
        return std::nullopt;
    const auto it = m_snapshots.find(itemId);
    if (it == m_snapshots.end())
        return std::nullopt;
    Snapshot out = std::move(*it);
    m_snapshots.erase(it);
    return out;
}

bool ItemSnapshots::holds(core::Id itemId)
{
    return validate() && m_snapshots.contains(itemId);
}

ItemSnapshots::WriteScope::WriteScope(ItemSnapshots &snapshots, core::Id itemId)
    : m_snapshots(snapshots), m_itemId(itemId)
{
    m_snapshots.validate(); // a write by someone else before this one drops everything
}

ItemSnapshots::WriteScope::~WriteScope()
{
    // The rows this connection changed meanwhile are the document's, all of m_itemId; a commit of
    // another connection meanwhile could be anything.
    const core::store::Project::ChangeStamp now = m_snapshots.m_project.changeStamp();
    if (now.others != m_snapshots.m_stamp.others)
        m_snapshots.m_snapshots.clear();
    else
        m_snapshots.m_snapshots.remove(m_itemId);
    m_snapshots.m_stamp = now;
}

} // namespace annotune::labeling
