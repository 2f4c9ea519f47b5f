#pragma once
// The small part of YAML that dataset descriptions (Ultralytics data.yaml) use: top-level
// `key: value` scalars, plain or quoted; lists as `[a, 'b']` or block `- a` lines; mappings as
// block `0: a` lines or `{0: a}`; `#` comments. Anything deeper is skipped, not interpreted.

#include "core/result.h"

#include <QHash>
#include <QPair>
#include <QStringList>
#include <QVector>

namespace annotune::core::formats {

struct YamlValue {
    enum class Kind { Scalar, List, Map };
    Kind kind = Kind::Scalar;
    QString scalar;
    QStringList list;
    QVector<QPair<QString, QString>> map; // in file order
    int line = 0;                         // 1-based line of the key
};

// Top-level keys of text. Fails with BadInput naming file and line for an unterminated quote or
// bracket, or a top-level line that is not `key: value`.
Result<QHash<QString, YamlValue>> parseYamlSubset(const QString &text, const QString &file);

} // namespace annotune::core::formats
