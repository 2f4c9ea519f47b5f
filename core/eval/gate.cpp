#include "core/eval/gate.h"

#include <QJsonDocument>

namespace annotune::core::eval {

namespace {

QString headline(const QString &task) { return task == QLatin1String("extraction") ? QStringLiteral("f1") : QStringLiteral("AP"); }
QString figure(double v) { return QString::number(v, 'f', 3); }

Error bad(const QString &source, const QString &why) { return makeError(ErrorCode::BadInput, QStringLiteral("%1: gate rules: %2").arg(source, why)); }

Result<double> fraction(const QJsonValue &v, const QString &key, const QString &source)
{
    if (!v.isDouble() || v.toDouble() < 0)
        return bad(source, QStringLiteral("'%1' must be a number >= 0").arg(key));
    return v.toDouble();
}

RuleResult minMetric(const QString &name, double needed, const GateInputs &in, const QString &split)
{
    RuleResult r{QStringLiteral("min ") + name, false, {{QStringLiteral("metric"), name}, {QStringLiteral("needed"), needed}}, {}};
    const double value = in.metrics.value(name, -1);
    if (value < 0) {
        r.message = QStringLiteral("gate rule '%1' fails: %2 was not measured for run %3 on %4").arg(r.rule, name).arg(in.runId).arg(split);
        return r;
    }
    r.figures.insert(QStringLiteral("value"), value);
    r.passed = value >= needed;
    r.message = QStringLiteral("gate rule '%1' %2: %3 is %4 on %5, needs >= %6")
                    .arg(r.rule, r.passed ? QStringLiteral("holds") : QStringLiteral("fails"), name, figure(value), split, figure(needed));
    return r;
}

RuleResult regression(const QString &name, double tolerance, const GateInputs &in)
{
    RuleResult r{QStringLiteral("regression ") + name, true, {{QStringLiteral("metric"), name}, {QStringLiteral("tolerance"), tolerance}}, {}};
    if (!in.approvedRunId) {
        r.message = QStringLiteral("gate rule '%1' holds: no approved %2 model to compare with").arg(r.rule, in.task);
        return r;
    }
    const double value = in.metrics.value(name, -1), before = in.approvedMetrics.value(name, -1);
    r.figures.insert(QStringLiteral("approved_run"), *in.approvedRunId);
    if (value < 0 || before < 0) {
        r.passed = false;
        r.message = QStringLiteral("gate rule '%1' fails: %2 was not measured for run %3 or approved run %4")
                        .arg(r.rule, name).arg(in.runId).arg(*in.approvedRunId);
        return r;
    }
    r.figures.insert(QStringLiteral("value"), value);
    r.figures.insert(QStringLiteral("approved_value"), before);
    r.passed = before - value <= tolerance + 1e-12;
    r.message = QStringLiteral("gate rule '%1' %2: %3 is %4 against %5 of approved run %6 (drop %7, tolerance %8)")
                    .arg(r.rule, r.passed ? QStringLiteral("holds") : QStringLiteral("fails"), name, figure(value), figure(before))
                    .arg(*in.approvedRunId).arg(figure(std::max(0.0, before - value)), figure(tolerance));
    return r;
}

} // namespace

Result<GateRules> gateRulesFromJson(const QByteArray &json, const QString &source)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        return bad(source, error.error != QJsonParseError::NoError ? error.errorString() : QStringLiteral("expected a JSON object"));
    GateRules rules;
    const QJsonObject o = doc.object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        if (key == QLatin1String("split")) {
            const auto split = splitFromString(it->toString());
            if (!split)
                return bad(source, QStringLiteral("'split' must be train, val or test"));
            rules.split = *split;
        } else if (key == QLatin1String("min_metrics") && it->isObject()) {
            const QJsonObject m = it->toObject();
            for (auto mt = m.begin(); mt != m.end(); ++mt) {
                auto v = fraction(*mt, QStringLiteral("min_metrics.") + mt.key(), source);
                if (!v)
                    return v.error();
                rules.minMetrics.insert(mt.key(), *v);
            }
        } else if (key == QLatin1String("max_regression")) {
            auto v = fraction(*it, key, source);
            if (!v)
                return v.error();
            rules.maxRegression = *v;
        } else if (key == QLatin1String("regression_metrics") && it->isArray()) {
            for (const QJsonValue &v : it->toArray())
                rules.regressionMetrics.append(v.toString());
        } else if (key == QLatin1String("min_reviewed") && it->isDouble() && it->toInt(-1) >= 0) {
            rules.minReviewed = it->toInt();
        } else {
            return bad(source, QStringLiteral("unknown key or wrong type: '%1'").arg(key));
        }
    }
    return rules;
}

QJsonObject toJson(const GateRules &rules)
{
    QJsonObject min;
    for (auto it = rules.minMetrics.cbegin(); it != rules.minMetrics.cend(); ++it)
        min.insert(it.key(), it.value());
    QJsonObject o{{QStringLiteral("split"), toText(rules.split)}, {QStringLiteral("min_metrics"), min},
                  {QStringLiteral("min_reviewed"), rules.minReviewed}};
    if (rules.maxRegression)
        o.insert(QStringLiteral("max_regression"), *rules.maxRegression);
    if (!rules.regressionMetrics.isEmpty())
        o.insert(QStringLiteral("regression_metrics"), QJsonArray::fromStringList(rules.regressionMetrics));
    return o;
}

GateReport evaluateGate(const GateRules &rules, const GateInputs &in)
{
    GateReport report;
    const QString split = toText(rules.split);
    for (auto it = rules.minMetrics.cbegin(); it != rules.minMetrics.cend(); ++it)
        report.rules.append(minMetric(it.key(), it.value(), in, split));
    if (rules.maxRegression) {
        QStringList names = rules.regressionMetrics;
        if (names.isEmpty())
            names = rules.minMetrics.isEmpty() ? QStringList{headline(in.task)} : rules.minMetrics.keys();
        for (const QString &name : names)
            report.rules.append(regression(name, *rules.maxRegression, in));
    }
    if (rules.minReviewed > 0) {
        RuleResult r{QStringLiteral("min reviewed"), in.reviewed >= rules.minReviewed,
                     {{QStringLiteral("reviewed"), in.reviewed}, {QStringLiteral("needed"), rules.minReviewed}}, {}};
        r.message = QStringLiteral("gate rule '%1' %2: %3 predictions of run %4 reviewed by a person, needs %5")
                        .arg(r.rule, r.passed ? QStringLiteral("holds") : QStringLiteral("fails")).arg(in.reviewed).arg(in.runId)
                        .arg(rules.minReviewed);
        report.rules.append(r);
    }
    return report;
}

bool GateReport::passed() const
{
    return std::all_of(rules.begin(), rules.end(), [](const RuleResult &r) { return r.passed; });
}

QString GateReport::failureLine() const
{
    QStringList failing;
    for (const RuleResult &r : rules)
        if (!r.passed)
            failing.append(r.message);
    return failing.join(QStringLiteral("; "));
}

QJsonArray GateReport::toJson() const
{
    QJsonArray out;
    for (const RuleResult &r : rules)
        out.append(QJsonObject{{QStringLiteral("rule"), r.rule}, {QStringLiteral("passed"), r.passed},
                               {QStringLiteral("figures"), r.figures}, {QStringLiteral("message"), r.message}});
    return out;
}

} // namespace annotune::core::eval
