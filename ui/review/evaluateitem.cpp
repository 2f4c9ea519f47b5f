// EvaluateWorkspace: showing results and one item across sources, and the reviewer's actions on it.
#include "evaluateworkspace.h"

#include "approvalpanel.h"
#include "errorsbrowser.h"
#include "metricsmodel.h"
#include "reviewcharts.h"
#include "reviewpane.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"

#include <QLabel>

namespace annotune::ui {

using namespace annotune::core;

namespace {
// Predictions below this score are not drawn (the confusion matrix leaves them out too).
constexpr double kShownScore = 0.25;

QString fieldsText(const ItemScene &scene)
{
    QStringList lines;
    for (const Annotation &a : scene.annotations)
        if (a.kind == AnnotationKind::Field)
            lines << QStringLiteral("<b>%1</b>: %2").arg(scene.classes.value(a.classId).name,
                                                         (a.value.isEmpty() ? a.rawText : a.value).toHtmlEscaped());
    return lines.mid(0, 12).join(QStringLiteral("<br>"));
}
} // namespace

void EvaluateWorkspace::setData(const EvaluationData &data)
{
    m_data = std::make_unique<EvaluationData>(data);
    m_metrics->setData(data);
    m_classes->setData(data);
    m_errors->setItems(data.errorsA, data.setA.classes);
    m_charts->setData(data);
    updateGainsLosses();
    m_summary->setText(tr("%1 run, %2 items evaluated%3").arg(data.a.task).arg(data.a.items)
                           .arg(data.b ? tr(", compared with run %1").arg(data.request.runB) : QString()));
    m_panes[2]->setVisible(data.b.has_value());
    m_fields[2]->setVisible(false);
    m_errors->selectFirst();
    Q_EMIT evaluated();
}

void EvaluateWorkspace::updateGainsLosses()
{
    if (!m_data || !m_data->comparison) {
        m_gainsLosses->clear();
        return;
    }
    const auto list = [](const QVector<eval::ClassDelta> &deltas) {
        QStringList parts;
        for (const auto &d : deltas.mid(0, 6))
            parts << QStringLiteral("%1 %2").arg(d.name.toHtmlEscaped()).arg(d.delta(), 0, 'f', 3);
        return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
    };
    const auto &c = *m_data->comparison;
    m_gainsLosses->setText(tr("<span style='color:#2e7d32'><b>Gains:</b> %1</span><br>"
                              "<span style='color:#c62828'><b>Losses:</b> %2</span><br>"
                              "%3 items better, %4 worse in B")
                               .arg(list(c.gains), list(c.losses)).arg(c.better.size()).arg(c.worse.size()));
}

void EvaluateWorkspace::showItem(Id itemId)
{
    m_itemId = itemId;
    if (!m_data || !m_project)
        return;
    const eval::EvalItem *found = nullptr;
    for (const auto &item : m_data->setA.items)
        if (item.item.id == itemId)
            found = &item;
    if (!found)
        return;
    ItemScene truth;
    truth.item = found->item;
    truth.absolutePath = m_project->absoluteMediaPath(found->item.path);
    truth.words = found->words;
    truth.classes = m_data->setA.classes;
    truth.annotations = found->truth;
    const auto sceneOf = [&](const QVector<Prediction> &predictions) {
        ItemScene scene = truth;
        scene.annotations.clear();
        for (const Prediction &p : predictions)
            if (p.score >= kShownScore || p.kind == AnnotationKind::Field)
                scene.annotations.append(predictionAsAnnotation(p));
        return scene;
    };
    const ItemScene scenes[3] = {truth, sceneOf(found->predictions), sceneOf(m_data->predictionsB.value(itemId))};
    const int shown = m_data->b ? 3 : 2;
    for (int i = 0; i < shown; ++i) {
        m_panes[i]->setScene(scenes[i], tr("#%1 · %2 labels").arg(itemId).arg(scenes[i].annotations.size()));
        const QString fields = fieldsText(scenes[i]);
        m_fields[i]->setText(fields);
        m_fields[i]->setVisible(!fields.isEmpty());
    }
}

bool EvaluateWorkspace::markDisagreement()
{
    if (!m_project || m_itemId == 0 || m_project->readOnly())
        return false;
    const auto comment = m_askComment();
    if (!comment)
        return false;
    const QString text = comment->trimmed().isEmpty() ? tr("Model and label disagree") : comment->trimmed();
    const Status status = m_project->items().setStatus(m_itemId, ItemStatus::InReview, m_project->author(), text);
    if (!status) {
        Q_EMIT message(status.error().message);
        return false;
    }
    Q_EMIT message(tr("Item %1 sent to review: %2").arg(m_itemId).arg(text));
    return true;
}

} // namespace annotune::ui
