#include "dataset.h"

#include <algorithm>

namespace annotune::core::formats {

int Dataset::classIndex(const QString &name, ClassKind kind)
{
    if (m_index.isEmpty() && !classes.isEmpty())
        for (int i = 0; i < classes.size(); ++i)
            m_index.insert(classes[i].name, i);
    auto it = m_index.constFind(name);
    if (it != m_index.constEnd())
        return *it;
    classes.append(DatasetClass{name, kind});
    m_index.insert(name, int(classes.size() - 1));
    return int(classes.size() - 1);
}

QStringList ExportLoss::lines() const
{
    QStringList out;
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it)
        out << QStringLiteral("%1: %2").arg(it.key()).arg(it.value());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace annotune::core::formats
