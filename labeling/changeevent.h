#pragma once
// The one typed change notification of the annotation document: what happened and to which ids.

#include "core/types.h"

#include <QVector>

namespace annotune::labeling {

// Sent by AnnotationDocument::changed after the store and the in-memory state agree again.
struct ChangeEvent {
    enum class Kind {
        Loaded,   // another item was loaded, or the current one re-read: everything may differ
        Added,    // ids were added
        Removed,  // ids were removed
        Modified, // ids changed geometry, class or attributes (adds and removes may be mixed in)
        Status,   // the item's workflow status changed
        Classes,  // the label schema changed (names, colours, hotkeys)
        Words,    // a document page's words changed (ids: the words now there that changed)
        Links,    // links between annotations were added or removed (ids: link ids)
    };
    Kind kind = Kind::Loaded;
    QVector<core::Id> ids;
};

} // namespace annotune::labeling
