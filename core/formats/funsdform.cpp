#include "funsdform.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace annotune::core::formats {

namespace {

// Why a form cannot be used, as an Error naming the file.
Error bad(const QString &file, const QString &why) { return makeError(ErrorCode::BadInput, file + QStringLiteral(": ") + why); }

// Reads [x0, y0, x1, y1] into box; false when it is not four numbers with x0 <= x1 and y0 <= y1.
bool readBox(const QJsonValue &v, QRectF &box)
{
    const QJsonArray a = v.toArray();
    if (a.size() != 4)
        return false;
    for (const QJsonValue &n : a)
        if (!n.isDouble())
            return false;
    if (a[0].toDouble() > a[2].toDouble() || a[1].toDouble() > a[3].toDouble())
        return false;
    box = funsdBox(a[0].toDouble(), a[1].toDouble(), a[2].toDouble(), a[3].toDouble());
    return true;
}

bool inside(const QRectF &box, QSize size)
{
    return box.left() >= 0 && box.top() >= 0 && box.right() <= size.width() && box.bottom() <= size.height();
}

QString boxText(const QRectF &b)
{
    return QStringLiteral("[%1, %2, %3, %4]").arg(b.left()).arg(b.top()).arg(b.right()).arg(b.bottom());
}

// Reads one entity's words; an empty string, else why they cannot be used.
QString readWords(const QJsonArray &words, QSize imageSize, FunsdEntity &e)
{
    for (qsizetype k = 0; k < words.size(); ++k) {
        const QJsonObject w = words[k].toObject();
        FunsdWord word;
        if (!w.value(QStringLiteral("text")).isString() || !readBox(w.value(QStringLiteral("box")), word.box))
            return QStringLiteral("word %1 needs a text and a box [x0, y0, x1, y1]").arg(k);
        if (!inside(word.box, imageSize))
            return QStringLiteral("word %1 box %2 lies outside the image (%3x%4)").arg(k).arg(boxText(word.box))
                .arg(imageSize.width()).arg(imageSize.height());
        word.text = w.value(QStringLiteral("text")).toString();
        e.words.append(word);
    }
    return {};
}

// Reads one entity; an empty string, else why it cannot be used.
QString readEntity(const QJsonObject &o, QSize imageSize, FunsdEntity &e)
{
    if (!o.value(QStringLiteral("id")).isDouble())
        return QStringLiteral("needs a numeric id");
    e.id = o.value(QStringLiteral("id")).toInt();
    e.text = o.value(QStringLiteral("text")).toString();
    e.label = o.value(QStringLiteral("label")).toString();
    if (!funsdLabels().contains(e.label))
        return QStringLiteral("label '%1' is not one of %2").arg(e.label, funsdLabels().join(QStringLiteral(", ")));
    if (!readBox(o.value(QStringLiteral("box")), e.box))
        return QStringLiteral("needs a box [x0, y0, x1, y1]");
    if (!inside(e.box, imageSize))
        return QStringLiteral("box %1 lies outside the image (%2x%3)").arg(boxText(e.box)).arg(imageSize.width()).arg(imageSize.height());
    if (const QString why = readWords(o.value(QStringLiteral("words")).toArray(), imageSize, e); !why.isEmpty())
        return why;
    for (const QJsonValue &l : o.value(QStringLiteral("linking")).toArray()) {
        const QJsonArray pair = l.toArray();
        if (pair.size() != 2 || !pair[0].isDouble() || !pair[1].isDouble())
            return QStringLiteral("each link must be a pair of entity ids");
        e.links.append({pair[0].toInt(), pair[1].toInt()});
    }
    return {};
}

// Every link must name entities of this form.
QString checkLinks(const QVector<FunsdEntity> &entities)
{
    QSet<int> ids;
    for (const FunsdEntity &e : entities)
        ids.insert(e.id);
    for (const FunsdEntity &e : entities)
        for (const auto &[from, to] : e.links)
            for (int end : {from, to})
                if (!ids.contains(end))
                    return QStringLiteral("entity %1: links to unknown entity %2").arg(e.id).arg(end);
    return {};
}

} // namespace

const QStringList &funsdLabels()
{
    static const QStringList labels{QStringLiteral("question"), QStringLiteral("answer"), QStringLiteral("header"),
                                    QStringLiteral("other")};
    return labels;
}

QRectF funsdBox(double x0, double y0, double x1, double y1) { return QRectF(QPointF(x0, y0), QPointF(x1, y1)); }

Result<FunsdForm> readFunsdForm(const QString &jsonPath, const QString &imagePath, QSize imageSize)
{
    QFile file(jsonPath);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot read (%2)").arg(jsonPath, file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return bad(jsonPath, QStringLiteral("not valid JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.object().value(QStringLiteral("form")).isArray())
        return bad(jsonPath, QStringLiteral("no \"form\" array of entities"));
    FunsdForm form{jsonPath, imagePath, {}};
    QSet<int> seen;
    const QJsonArray entities = doc.object().value(QStringLiteral("form")).toArray();
    for (qsizetype i = 0; i < entities.size(); ++i) {
        FunsdEntity e;
        if (const QString why = readEntity(entities[i].toObject(), imageSize, e); !why.isEmpty())
            return bad(jsonPath, QStringLiteral("entity %1: %2")
                                     .arg(entities[i].toObject().value(QStringLiteral("id")).toVariant().toString(), why));
        if (seen.contains(e.id))
            return bad(jsonPath, QStringLiteral("entity %1: the id is used twice").arg(e.id));
        seen.insert(e.id);
        form.entities.append(e);
    }
    if (const QString why = checkLinks(form.entities); !why.isEmpty())
        return bad(jsonPath, why);
    return form;
}

} // namespace annotune::core::formats
