#include "cvatformat.h"

#include <QFileInfo>
#include <array>
#include <utility>

namespace annotune::core::formats {
namespace {

constexpr std::array<std::pair<ClassKind, const char *>, 7> kTypes{
    {{ClassKind::Box, "rectangle"}, {ClassKind::Polygon, "polygon"}, {ClassKind::Polyline, "polyline"},
     {ClassKind::Points, "points"}, {ClassKind::Ellipse, "ellipse"}, {ClassKind::Mask, "mask"},
     {ClassKind::Tag, "tag"}}};

} // namespace

QString cvatImagesRoot(const QString &path)
{
    const QFileInfo info(path);
    const QString folder = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
    const QString images = folder + QStringLiteral("/images");
    return QFileInfo(images).isDir() ? images : folder;
}

QString cvatLabelType(ClassKind kind)
{
    for (const auto &[k, name] : kTypes)
        if (k == kind)
            return QString::fromLatin1(name);
    return QStringLiteral("any");
}

std::optional<ClassKind> classKindFromCvatType(const QString &type)
{
    for (const auto &[k, name] : kTypes)
        if (type.compare(QLatin1String(name), Qt::CaseInsensitive) == 0)
            return k;
    return std::nullopt;
}

} // namespace annotune::core::formats
