#pragma once
// Name tables for enums: one constexpr array of (value, name) pairs per enum, and the two lookups
// every module uses to turn values into the words stored in files and the database, and back.

#include <QLatin1String>
#include <QString>
#include <array>
#include <optional>
#include <utility>

namespace annotune::core {

template <typename E, std::size_t N>
QString nameOf(const std::array<std::pair<E, const char *>, N> &table, E v)
{
    for (const auto &[value, name] : table)
        if (value == v)
            return QString::fromLatin1(name);
    return {};
}

// Case-insensitive; nullopt for a name the table does not hold.
template <typename E, std::size_t N>
std::optional<E> valueOf(const std::array<std::pair<E, const char *>, N> &table, const QString &s)
{
    for (const auto &[value, name] : table)
        if (s.compare(QLatin1String(name), Qt::CaseInsensitive) == 0)
            return value;
    return std::nullopt;
}

} // namespace annotune::core
