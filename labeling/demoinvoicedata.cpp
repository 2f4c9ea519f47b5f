#include "demoinvoicedata.h"

#include "demorandom.h"

#include <QLocale>

namespace annotune::labeling {

namespace {

const QStringList kVendorFirst{
    QStringLiteral("Northwind"), QStringLiteral("Bluebird"), QStringLiteral("Granite"), QStringLiteral("Summit"),
    QStringLiteral("Harbor"), QStringLiteral("Cedar"), QStringLiteral("Redwood"), QStringLiteral("Atlas"),
    QStringLiteral("Silverline"), QStringLiteral("Meridian"), QStringLiteral("Kestrel"), QStringLiteral("Orchard"),
    QStringLiteral("Pioneer"), QStringLiteral("Lakeside"), QStringLiteral("Ironbridge"), QStringLiteral("Brightwater")};
const QStringList kVendorSecond{
    QStringLiteral("Supplies"), QStringLiteral("Logistics"), QStringLiteral("Office Solutions"),
    QStringLiteral("Hardware"), QStringLiteral("Consulting"), QStringLiteral("Print Works"),
    QStringLiteral("Electrical"), QStringLiteral("Foods"), QStringLiteral("Textiles"), QStringLiteral("Software"),
    QStringLiteral("Engineering"), QStringLiteral("Catering")};
const QStringList kVendorSuffix{QStringLiteral("Ltd"), QStringLiteral("Inc."), QStringLiteral("GmbH"),
                                QStringLiteral("LLC"), QStringLiteral("& Co."), QStringLiteral("S.A."), QString()};
const QStringList kCustomers{
    QStringLiteral("Hartley & Sons"), QStringLiteral("Blue Fern Dental"), QStringLiteral("City of Westbrook"),
    QStringLiteral("Vantage Architects"), QStringLiteral("Marlow Bakery"), QStringLiteral("Oakridge Primary School"),
    QStringLiteral("Tessellate Design Studio"), QStringLiteral("Quayside Hotel"), QStringLiteral("Kiran Patel"),
    QStringLiteral("Maria Gonzalez"), QStringLiteral("Lindqvist Bikes AB"), QStringLiteral("Green Valley Farm")};
const QStringList kStreets{
    QStringLiteral("Market Street"), QStringLiteral("Oak Avenue"), QStringLiteral("Mill Lane"),
    QStringLiteral("Station Road"), QStringLiteral("Harbour View"), QStringLiteral("King Street"),
    QStringLiteral("Elm Grove"), QStringLiteral("Industrial Park Way"), QStringLiteral("Bahnhofstrasse"),
    QStringLiteral("Rue de la Paix")};
const QStringList kCities{
    QStringLiteral("Springfield, IL 62704"), QStringLiteral("Leeds LS1 4DY"), QStringLiteral("80331 Munich"),
    QStringLiteral("69002 Lyon"), QStringLiteral("Portland, OR 97205"), QStringLiteral("Bristol BS1 5TR"),
    QStringLiteral("1012 AB Amsterdam"), QStringLiteral("Dublin D02 XY45")};
const QStringList kProducts{
    QStringLiteral("A4 copy paper, box of 5 reams"), QStringLiteral("Wireless mouse"),
    QStringLiteral("Consulting hours"), QStringLiteral("Toner cartridge, black"), QStringLiteral("LED desk lamp"),
    QStringLiteral("Shipping and handling"), QStringLiteral("Annual software licence"),
    QStringLiteral("USB-C cable 2 m"), QStringLiteral("Ergonomic office chair"),
    QStringLiteral("Network switch, 24 ports"), QStringLiteral("Business cards (500)"),
    QStringLiteral("Monthly cleaning service"), QStringLiteral("Catering for 12 people"),
    QStringLiteral("Site survey"), QStringLiteral("Steel brackets M8"), QStringLiteral("Installation labour"),
    QStringLiteral("Cotton tote bags"), QStringLiteral("Web hosting, 12 months"),
    QStringLiteral("Laptop stand"), QStringLiteral("Whiteboard markers, pack of 10")};
constexpr int kTaxRates[] = {0, 50, 70, 85, 100, 190, 200}; // tenths of a percent
constexpr int kPaymentDays[] = {14, 30, 30, 45, 60};
constexpr int kMagnitudes[] = {100, 1000, 1000, 10000, 100000}; // cents

QString numberFor(DemoRandom &rng, int year)
{
    switch (rng.between(0, 4)) {
    case 0: return QStringLiteral("INV-%1-%2").arg(year).arg(rng.between(1, 9999), 4, 10, QLatin1Char('0'));
    case 1: return QStringLiteral("#%1").arg(rng.between(10000, 999999));
    case 2: return QStringLiteral("%1/%2").arg(year).arg(rng.between(1, 9999), 4, 10, QLatin1Char('0'));
    case 3: return QStringLiteral("A%1").arg(rng.between(1000000, 9999999));
    default: return QStringLiteral("INV%1").arg(rng.between(1, 999999), 6, 10, QLatin1Char('0'));
    }
}

QStringList addressFor(DemoRandom &rng)
{
    return {QStringLiteral("%1 %2").arg(rng.between(1, 240)).arg(rng.pick(kStreets)), rng.pick(kCities)};
}

InvoiceLine lineFor(DemoRandom &rng)
{
    InvoiceLine line;
    line.description = rng.pick(kProducts);
    line.quantity = rng.chance(0.3) ? 1 : rng.between(1, 24);
    const int magnitude = rng.pick(kMagnitudes);
    line.unitCents = rng.between(magnitude, magnitude * 10 - 1);
    if (rng.chance(0.3)) // round prices are common
        line.unitCents -= line.unitCents % 100;
    return line;
}

// Groups the whole units of cents with sep and appends the cents after dec.
QString grouped(qint64 cents, QChar sep, QChar dec)
{
    QString units = QString::number(cents / 100);
    for (qsizetype i = units.size() - 3; i > 0; i -= 3)
        units.insert(i, sep);
    return units + dec + QStringLiteral("%1").arg(cents % 100, 2, 10, QLatin1Char('0'));
}

} // namespace

InvoiceData makeInvoiceData(DemoRandom &rng)
{
    InvoiceData d;
    const QString suffix = rng.pick(kVendorSuffix);
    d.vendor = rng.pick(kVendorFirst) + QLatin1Char(' ') + rng.pick(kVendorSecond);
    if (!suffix.isEmpty())
        d.vendor += QLatin1Char(' ') + suffix;
    d.vendorAddress = addressFor(rng);
    d.customer = rng.pick(kCustomers);
    d.customerAddress = addressFor(rng);
    d.date = QDate(2022, 1, 1).addDays(rng.between(0, 3 * 365));
    d.dueDate = d.date.addDays(rng.pick(kPaymentDays));
    d.number = numberFor(rng, d.date.year());
    const int lines = rng.between(1, 9);
    for (int i = 0; i < lines; ++i) {
        d.lines.append(lineFor(rng));
        d.subtotalCents += d.lines.last().amountCents();
    }
    d.taxTenthsPercent = rng.pick(kTaxRates);
    d.taxCents = (d.subtotalCents * d.taxTenthsPercent + 500) / 1000;
    d.totalCents = d.subtotalCents + d.taxCents;
    d.dateStyle = DateStyle(rng.between(0, 4));
    d.amountStyle = AmountStyle(rng.between(0, 5));
    return d;
}

QString printedDate(const QDate &date, DateStyle style)
{
    const QLocale c = QLocale::c();
    switch (style) {
    case DateStyle::DayMonthName: return c.toString(date, QStringLiteral("d MMM yyyy"));
    case DateStyle::UsSlashes: return c.toString(date, QStringLiteral("MM/dd/yyyy"));
    case DateStyle::EuDots: return c.toString(date, QStringLiteral("dd.MM.yyyy"));
    case DateStyle::Iso: return c.toString(date, QStringLiteral("yyyy-MM-dd"));
    case DateStyle::MonthNameDayYear: return c.toString(date, QStringLiteral("MMMM d, yyyy"));
    }
    return {};
}

QString printedAmount(qint64 cents, AmountStyle style, bool withCurrency)
{
    const QChar comma(QLatin1Char(',')), dot(QLatin1Char('.'));
    switch (style) {
    case AmountStyle::DollarPrefix:
        return (withCurrency ? QStringLiteral("$") : QString()) + grouped(cents, comma, dot);
    case AmountStyle::EuroCodeSuffix:
        return grouped(cents, dot, comma) + (withCurrency ? QStringLiteral(" EUR") : QString());
    case AmountStyle::EuroSignSuffix:
        return grouped(cents, dot, comma) + (withCurrency ? QStringLiteral(" \u20ac") : QString());
    case AmountStyle::PoundPrefix:
        return (withCurrency ? QStringLiteral("\u00a3") : QString()) + grouped(cents, comma, dot);
    case AmountStyle::CodePrefix:
        return (withCurrency ? QStringLiteral("USD ") : QString()) + grouped(cents, comma, dot);
    case AmountStyle::SwissCode:
        return (withCurrency ? QStringLiteral("CHF ") : QString()) + grouped(cents, QLatin1Char('\''), dot);
    }
    return {};
}

QString printedPercent(int tenthsPercent)
{
    if (tenthsPercent % 10 == 0)
        return QStringLiteral("%1%").arg(tenthsPercent / 10);
    return QStringLiteral("%1.%2%").arg(tenthsPercent / 10).arg(tenthsPercent % 10);
}

QString plainAmount(qint64 cents)
{
    return QStringLiteral("%1.%2").arg(cents / 100).arg(cents % 100, 2, 10, QLatin1Char('0'));
}

} // namespace annotune::labeling
