#include "yamlsubset.h"

namespace annotune::core::formats {
namespace {

struct Line {
    int number = 0;
    int indent = 0;
    QString text; // without comment, trimmed
};

// Cuts a `#` comment that starts a line or follows whitespace, outside quotes.
QString stripComment(const QString &line)
{
    QChar quote;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            else if (c == QLatin1Char('\\') && quote == QLatin1Char('"'))
                ++i;
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            quote = c;
        } else if (c == QLatin1Char('#') && (i == 0 || line[i - 1].isSpace())) {
            return line.left(i);
        }
    }
    return line;
}

// Unquotes a scalar; an empty optional for an unterminated quote.
std::optional<QString> scalar(const QString &raw)
{
    const QString s = raw.trimmed();
    if (s.isEmpty() || (s[0] != QLatin1Char('"') && s[0] != QLatin1Char('\'')))
        return s;
    const QChar q = s[0];
    if (s.size() < 2 || !s.endsWith(q))
        return std::nullopt;
    const QString body = s.mid(1, s.size() - 2);
    if (q == QLatin1Char('\''))
        return QString(body).replace(QStringLiteral("''"), QStringLiteral("'"));
    QString out;
    for (qsizetype i = 0; i < body.size(); ++i) {
        if (body[i] != QLatin1Char('\\') || i + 1 == body.size()) {
            out += body[i];
            continue;
        }
        const QChar e = body[++i];
        out += e == QLatin1Char('n') ? QChar(QLatin1Char('\n')) : e == QLatin1Char('t') ? QChar(QLatin1Char('\t')) : e;
    }
    return out;
}

// Splits at separator characters outside quotes and brackets.
QStringList splitOutside(const QString &s, QChar sep, bool firstOnly = false)
{
    QStringList parts;
    QChar quote;
    int depth = 0;
    qsizetype start = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == QLatin1Char('"') || c == QLatin1Char('\''))
            quote = c;
        else if (c == QLatin1Char('[') || c == QLatin1Char('{'))
            ++depth;
        else if (c == QLatin1Char(']') || c == QLatin1Char('}'))
            --depth;
        else if (c == sep && depth == 0 && (sep != QLatin1Char(':') || i + 1 == s.size() || s[i + 1].isSpace())) {
            parts << s.mid(start, i - start);
            start = i + 1;
            if (firstOnly)
                break;
        }
    }
    parts << s.mid(start);
    return parts;
}

Result<QPair<QString, QString>> keyValue(const Line &l, const QString &file)
{
    const QStringList kv = splitOutside(l.text, QLatin1Char(':'), true);
    auto key = kv.size() == 2 ? scalar(kv[0]) : std::nullopt;
    auto value = kv.size() == 2 ? scalar(kv[1]) : std::nullopt;
    if (!key || !value)
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: line %2: expected \"key: value\" (or an unterminated quote)").arg(file).arg(l.number));
    return qMakePair(*key, *value);
}

// A flow collection `[a, b]` or `{k: v}`, possibly spread over several lines.
Status flowValue(const QVector<Line> &lines, qsizetype &i, const QString &first, YamlValue &v, const QString &file)
{
    QString text = first;
    const QChar close = first.startsWith(QLatin1Char('[')) ? QLatin1Char(']') : QLatin1Char('}');
    while (!text.endsWith(close) && i + 1 < lines.size())
        text += QLatin1Char(' ') + lines[++i].text;
    if (!text.endsWith(close))
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: line %2: the list or mapping is never closed (no \"%3\")").arg(file).arg(v.line).arg(close));
    const QString body = text.mid(1, text.size() - 2).trimmed();
    v.kind = close == QLatin1Char(']') ? YamlValue::Kind::List : YamlValue::Kind::Map;
    if (body.isEmpty())
        return {};
    for (const QString &part : splitOutside(body, QLatin1Char(','))) {
        if (v.kind == YamlValue::Kind::List) {
            auto s = scalar(part);
            if (!s)
                return makeError(ErrorCode::BadInput, QStringLiteral("%1: line %2: unterminated quote in %3").arg(file).arg(v.line).arg(part.trimmed()));
            v.list << *s;
        } else {
            auto kv = keyValue(Line{v.line, 0, part.trimmed()}, file);
            if (!kv)
                return kv.error();
            v.map << *kv;
        }
    }
    return {};
}

// Block `- a` or `k: v` lines following a key with no value.
Status blockValue(const QVector<Line> &lines, qsizetype &i, YamlValue &v, const QString &file)
{
    int itemIndent = -1;
    while (i + 1 < lines.size()) {
        const Line &l = lines[i + 1];
        const bool dash = l.text == QLatin1String("-") || l.text.startsWith(QLatin1String("- "));
        if (l.indent == 0 && !dash)
            break;
        ++i;
        if (itemIndent < 0)
            itemIndent = l.indent;
        if (l.indent != itemIndent)
            continue; // deeper structure: not part of the subset
        if (dash) {
            v.kind = YamlValue::Kind::List;
            auto s = scalar(l.text.mid(1));
            if (!s)
                return makeError(ErrorCode::BadInput, QStringLiteral("%1: line %2: unterminated quote").arg(file).arg(l.number));
            v.list << *s;
        } else {
            v.kind = YamlValue::Kind::Map;
            auto kv = keyValue(l, file);
            if (!kv)
                return kv.error();
            v.map << *kv;
        }
    }
    return {};
}

} // namespace

Result<QHash<QString, YamlValue>> parseYamlSubset(const QString &text, const QString &file)
{
    QVector<Line> lines;
    const QStringList raw = text.split(QLatin1Char('\n'));
    for (qsizetype n = 0; n < raw.size(); ++n) {
        QString content = stripComment(raw[n]);
        const QString trimmed = content.trimmed();
        if (trimmed.isEmpty() || trimmed == QLatin1String("---") || trimmed == QLatin1String("..."))
            continue;
        int indent = 0;
        while (indent < content.size() && (content[indent] == QLatin1Char(' ') || content[indent] == QLatin1Char('\t')))
            ++indent;
        lines << Line{int(n + 1), indent, trimmed};
    }
    QHash<QString, YamlValue> out;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].indent > 0)
            continue; // deeper structure under a key the subset does not know
        auto kv = keyValue(lines[i], file);
        if (!kv)
            return kv.error();
        YamlValue v;
        v.line = lines[i].number;
        const QString rest = splitOutside(lines[i].text, QLatin1Char(':'), true).value(1).trimmed();
        Status st;
        if (rest.isEmpty())
            st = blockValue(lines, i, v, file);
        else if (rest.startsWith(QLatin1Char('[')) || rest.startsWith(QLatin1Char('{')))
            st = flowValue(lines, i, rest, v, file);
        else
            v.scalar = kv->second;
        if (!st)
            return st.error();
        out.insert(kv->first, v);
    }
    return out;
}

} // namespace annotune::core::formats
