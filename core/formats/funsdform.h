#pragma once
// A FUNSD form in memory and its JSON reader, shared by the FUNSD import and its tests.

#include "core/result.h"

#include <QRectF>
#include <QSize>
#include <QString>
#include <QVector>

namespace annotune::core::formats {

struct FunsdWord {
    QString text;
    QRectF box;
};

struct FunsdEntity {
    int id = 0;
    QString text;
    QString label;
    QRectF box;
    QVector<FunsdWord> words;
    QVector<QPair<int, int>> links; // [from, to] as listed on this entity
};

struct FunsdForm {
    QString jsonPath;
    QString imagePath;
    QVector<FunsdEntity> entities;
};

// The labels FUNSD uses, in its order.
const QStringList &funsdLabels();

// Parses and checks one form. imageSize bounds every box. Errors name the file, the entity id and
// the reason.
Result<FunsdForm> readFunsdForm(const QString &jsonPath, const QString &imagePath, QSize imageSize);

// [x0, y0, x1, y1] for a box, as FUNSD writes it.
QRectF funsdBox(double x0, double y0, double x1, double y1);

} // namespace annotune::core::formats
