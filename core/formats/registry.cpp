#include "registry.h"

#include "cvatformat.h"

namespace annotune::core::formats {

// Each format adds its entry here as it lands.
const QVector<FormatInfo> &allFormats()
{
    static const QVector<FormatInfo> formats{
        {QStringLiteral("cvat"), QStringLiteral("CVAT for images 1.1 XML"), false, readCvat, writeCvat, cvatImagesRoot},
    };
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
