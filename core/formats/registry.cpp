#include "registry.h"

namespace annotune::core::formats {

// Each format adds its entry here as it lands.
const QVector<FormatInfo> &allFormats()
{
    static const QVector<FormatInfo> formats{};
    return formats;
}

const FormatInfo *findFormat(const QString &name)
{
    for (const FormatInfo &f : allFormats())
        if (f.name.compare(name, Qt::CaseInsensitive) == 0)
            return &f;
    return nullptr;
}

} // namespace annotune::core::formats
