#pragma once
// The content of one synthetic invoice (parties, number, dates, line items, amounts), the formats it
// is printed in, and the normalised values its field labels store.

#include <QDate>
#include <QStringList>
#include <QVector>

namespace annotune::labeling {

class DemoRandom;

enum class DateStyle { DayMonthName, UsSlashes, EuDots, Iso, MonthNameDayYear };
enum class AmountStyle { DollarPrefix, EuroCodeSuffix, EuroSignSuffix, PoundPrefix, CodePrefix, SwissCode };

struct InvoiceLine {
    QString description;
    int quantity = 1;
    qint64 unitCents = 0;
    qint64 amountCents() const { return quantity * unitCents; }
};

struct InvoiceData {
    QString vendor;
    QStringList vendorAddress;
    QString customer;
    QStringList customerAddress;
    QString number;
    QDate date;
    QDate dueDate;
    QVector<InvoiceLine> lines;
    int taxTenthsPercent = 0; // 85 is 8.5 %
    qint64 subtotalCents = 0;
    qint64 taxCents = 0;
    qint64 totalCents = 0;
    DateStyle dateStyle = DateStyle::Iso;
    AmountStyle amountStyle = AmountStyle::DollarPrefix;
};

// Draws the content of one invoice; amounts add up exactly (integer cents).
InvoiceData makeInvoiceData(DemoRandom &rng);

// A date as printed: "12 Mar 2024", "03/12/2024", "12.03.2024", "2024-03-12" or "March 12, 2024".
QString printedDate(const QDate &date, DateStyle style);
// An amount as printed, with its currency ("$1,234.50", "1.234,50 EUR") or without it ("1,234.50").
QString printedAmount(qint64 cents, AmountStyle style, bool withCurrency);
// A tax rate as printed: "20%", "8.5%".
QString printedPercent(int tenthsPercent);
// The normalised value of an amount: "1234.50".
QString plainAmount(qint64 cents);

} // namespace annotune::labeling
