#include "textlines.h"

#include <QFile>
#include <QStringDecoder>
#include <cmath>

namespace annotune::core::formats {

Result<QString> readUtf8File(const QString &path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot read (%2)").arg(path, file.errorString()));
    if (file.size() > maxBytes)
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: file is %2 bytes, over the limit of %3").arg(path).arg(file.size()).arg(maxBytes));
    QByteArray bytes = file.readAll();
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: not valid UTF-8 text").arg(path));
    return text;
}

Result<QStringList> readTextLines(const QString &path, qint64 maxBytes)
{
    auto text = readUtf8File(path, maxBytes);
    if (!text)
        return text.error();
    QStringList lines = text->split(QLatin1Char('\n'));
    for (QString &line : lines)
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

QString formatNumber(double v)
{
    if (std::abs(v - std::round(v)) < 1e-9 && std::abs(v) < 1e15)
        return QString::number(qint64(std::llround(v)));
    return QString::number(v, 'g', 12);
}

Result<QJsonDocument> readJsonFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: cannot read (%2)").arg(path, f.errorString()));
    QByteArray bytes = f.readAll();
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    QJsonParseError error;
    QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: offset %2: not valid JSON (%3)")
                                                  .arg(path).arg(error.offset).arg(error.errorString()));
    return doc;
}

} // namespace annotune::core::formats
