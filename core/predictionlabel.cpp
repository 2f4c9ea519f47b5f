#include "predictionlabel.h"

namespace annotune::core {

Annotation annotationFromPrediction(const Prediction &prediction)
{
    Annotation a;
    a.itemId = prediction.itemId;
    a.classId = prediction.classId;
    a.kind = prediction.kind;
    a.box = prediction.box;
    a.polygon = prediction.polygon;
    a.wordIds = prediction.wordIds;
    a.value = prediction.value;
    a.runId = prediction.runId;
    a.score = prediction.score;
    a.attributes = prediction.attributes;
    return a;
}

} // namespace annotune::core
