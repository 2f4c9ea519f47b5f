#include "fieldvalue.h"

#include <QDate>
#include <QRegularExpression>
#include <QStringList>

namespace annotune::labeling {

namespace {

int monthFromName(const QString &name)
{
    static const QStringList kMonths = {QStringLiteral("jan"), QStringLiteral("feb"), QStringLiteral("mar"),
                                        QStringLiteral("apr"), QStringLiteral("may"), QStringLiteral("jun"),
                                        QStringLiteral("jul"), QStringLiteral("aug"), QStringLiteral("sep"),
                                        QStringLiteral("oct"), QStringLiteral("nov"), QStringLiteral("dec")};
    const QString key = name.left(3).toLower();
    const int i = kMonths.indexOf(key);
    return i < 0 ? 0 : i + 1;
}

int fullYear(int year)
{
    return year < 100 ? 2000 + year : year;
}

QString iso(int year, int month, int day)
{
    const QDate d(fullYear(year), month, day);
    return d.isValid() ? d.toString(Qt::ISODate) : QString();
}

// "12 Mar 2024", "March 12, 2024", "12-Mar-24"
QString namedMonthDate(const QString &s)
{
    static const QRegularExpression dayFirst(QStringLiteral(R"(^(\d{1,2})[\s\-./]*([A-Za-z]{3,})\.?[\s\-./,]*(\d{2,4})$)"));
    static const QRegularExpression monthFirst(QStringLiteral(R"(^([A-Za-z]{3,})\.?\s*(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{2,4})$)"));
    if (auto m = dayFirst.match(s); m.hasMatch())
        if (const int month = monthFromName(m.captured(2)))
            return iso(m.captured(3).toInt(), month, m.captured(1).toInt());
    if (auto m = monthFirst.match(s); m.hasMatch())
        if (const int month = monthFromName(m.captured(1)))
            return iso(m.captured(3).toInt(), month, m.captured(2).toInt());
    return {};
}

// "2024-03-12", "03/12/2024", "12.03.2024"
QString numericDate(const QString &s)
{
    static const QRegularExpression isoForm(QStringLiteral(R"(^(\d{4})[\-/.](\d{1,2})[\-/.](\d{1,2})$)"));
    static const QRegularExpression local(QStringLiteral(R"(^(\d{1,2})([\-/.])(\d{1,2})\2(\d{2,4})$)"));
    if (auto m = isoForm.match(s); m.hasMatch())
        return iso(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    auto m = local.match(s);
    if (!m.hasMatch())
        return {};
    int a = m.captured(1).toInt(), b = m.captured(3).toInt();
    const bool monthFirst = m.captured(2) == QStringLiteral("/") ? a <= 12 : b > 12;
    return monthFirst ? iso(m.captured(4).toInt(), a, b) : iso(m.captured(4).toInt(), b, a);
}

} // namespace

FieldType fieldTypeForName(const QString &className)
{
    const QString n = className.toLower();
    if (n.contains(QStringLiteral("date")))
        return FieldType::Date;
    for (const char *word : {"total", "amount", "tax", "price", "sum", "vat", "balance", "due"})
        if (n.contains(QLatin1String(word)))
            return FieldType::Amount;
    return FieldType::Text;
}

QString normaliseDate(const QString &raw)
{
    const QString s = raw.simplified();
    const QString named = namedMonthDate(s);
    return named.isEmpty() ? numericDate(s) : named;
}

QString normaliseAmount(const QString &raw)
{
    QString s;
    for (QChar c : raw)
        if (c.isDigit() || c == u'.' || c == u',' || (c == u'-' && s.isEmpty()))
            s.append(c);
    while (!s.isEmpty() && !s.back().isDigit())
        s.chop(1);
    while (!s.isEmpty() && (s.front() == u'.' || s.front() == u','))
        s.remove(0, 1);
    if (s.isEmpty() || s == QStringLiteral("-"))
        return {};
    const qsizetype lastSep = std::max(s.lastIndexOf(u'.'), s.lastIndexOf(u','));
    const qsizetype decimals = lastSep < 0 ? 0 : s.size() - lastSep - 1;
    const bool hasDecimals = lastSep >= 0 && decimals <= 2
        && s.count(s.at(lastSep)) == 1; // "1,234,567" groups; "1.234,50" and "12,5" do not
    QString whole = hasDecimals ? s.left(lastSep) : s;
    whole.remove(u'.');
    whole.remove(u',');
    return hasDecimals ? whole + u'.' + s.mid(lastSep + 1) : whole;
}

QString normaliseValue(FieldType type, const QString &raw)
{
    QString out;
    if (type == FieldType::Date)
        out = normaliseDate(raw);
    else if (type == FieldType::Amount)
        out = normaliseAmount(raw);
    return out.isEmpty() ? raw.simplified() : out;
}

} // namespace annotune::labeling
