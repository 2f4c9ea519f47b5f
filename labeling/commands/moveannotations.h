#pragma once
// Moves annotations by one offset (a drag, or arrow-key nudges that merge into one step).

#include "annotationchange.h"

namespace annotune::labeling {

// A mergeable move takes over the following mergeable move of the same ids, so a run of nudges
// undoes in one step. The later move has already written its state; merging only adopts it.
class MoveAnnotations : public AnnotationChange {
public:
    static constexpr int kMergeId = 0x4d4f5645; // "MOVE"

    MoveAnnotations(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before,
                    QVector<core::Annotation> after, bool mergeable);
    int id() const override { return m_mergeable ? kMergeId : -1; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    bool m_mergeable;
};

} // namespace annotune::labeling
