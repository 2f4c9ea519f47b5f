#include "demoinvoices.h"

#include "demoinvoicedata.h"
#include "demorandom.h"

#include <QFontDatabase>

namespace annotune::labeling {

using core::ClassKind;

namespace {

const QStringList kFamilies{QStringLiteral("DejaVu Sans"), QStringLiteral("DejaVu Serif"),
                            QStringLiteral("DejaVu Sans Mono"), QStringLiteral("DejaVu Sans Condensed")};
const QStringList kTitles{QStringLiteral("INVOICE"), QStringLiteral("Invoice"), QStringLiteral("TAX INVOICE")};
const QStringList kNumberLabels{QStringLiteral("Invoice No."), QStringLiteral("Invoice #"),
                                QStringLiteral("Invoice Number:"), QStringLiteral("Inv. No:")};
const QStringList kDateLabels{QStringLiteral("Date:"), QStringLiteral("Invoice Date"), QStringLiteral("Issued:"),
                              QStringLiteral("Date of issue:")};
const QStringList kDueLabels{QStringLiteral("Due Date:"), QStringLiteral("Payment Due"), QStringLiteral("Due:"),
                             QStringLiteral("Pay by:")};
const QStringList kBillTo{QStringLiteral("Bill to:"), QStringLiteral("Billed To"), QStringLiteral("Customer:")};
const QStringList kTotalLabels{QStringLiteral("Total"), QStringLiteral("Total due"), QStringLiteral("Amount due"),
                               QStringLiteral("Balance due")};
const QStringList kTaxLabels{QStringLiteral("Tax (%1)"), QStringLiteral("VAT %1"), QStringLiteral("Sales tax %1")};
const QStringList kColumns[] = {
    {QStringLiteral("Description"), QStringLiteral("Qty"), QStringLiteral("Unit Price"), QStringLiteral("Amount")},
    {QStringLiteral("Item"), QStringLiteral("Quantity"), QStringLiteral("Rate"), QStringLiteral("Total")},
};
const QColor kInks[] = {QColor(0, 0, 0), QColor(0x22, 0x22, 0x22), QColor(0x14, 0x21, 0x3d)};

// The random choices that make one invoice's look and layout.
struct Style {
    QFont body, bold, small, vendor, title;
    QColor ink, accent, paper;
    qreal left = 0, right = 0, top = 0, column = 0, lineSpacing = 1, rowSpacing = 1;
    bool vendorRight = false, metaRight = false, headerFill = false, zebra = false, rowRules = false;
    QString titleText, numberLabel, dateLabel, dueLabel, billTo, totalLabel, taxLabel;
    QStringList columns;
};

QFont makeFont(const QString &family, int px, bool bold)
{
    QFont f(QFontDatabase::hasFamily(family) ? family
                                             : QFontDatabase::systemFont(QFontDatabase::GeneralFont).family());
    f.setPixelSize(px);
    f.setBold(bold);
    f.setHintingPreference(QFont::PreferNoHinting);
    return f;
}

// f, made smaller until text fits in maxWidth.
QFont fitted(QFont f, const QString &text, qreal maxWidth)
{
    while (f.pixelSize() > 14 && PageWriter::width(text, f) > maxWidth)
        f.setPixelSize(f.pixelSize() - 2);
    return f;
}

// accent mixed into white: a light fill that dark text stays readable on.
QColor tint(const QColor &accent, double amount)
{
    const auto mix = [&](int c) { return int(255 - (255 - c) * amount); };
    return QColor(mix(accent.red()), mix(accent.green()), mix(accent.blue()));
}

Style makeStyle(DemoRandom &rng, const InvoiceData &d)
{
    Style s;
    const QString family = rng.pick(kFamilies);
    const QString heading = rng.chance(0.7) ? family : rng.pick(kFamilies);
    const int px = rng.between(19, 24);
    s.body = makeFont(family, px, false);
    s.bold = makeFont(family, px, true);
    s.small = makeFont(family, px - 3, false);
    s.ink = rng.pick(kInks);
    s.accent = QColor::fromHsv(rng.between(0, 359), rng.between(40, 160), rng.between(110, 190));
    s.paper = QColor(255 - rng.between(0, 4), 255 - rng.between(0, 4), 255 - rng.between(0, 8));
    s.left = rng.between(90, 140);
    s.right = kInvoicePageSize.width() - rng.between(90, 140);
    s.top = rng.between(80, 150);
    s.column = rng.between(150, 200);
    s.lineSpacing = rng.uniform(1.1, 1.35);
    s.rowSpacing = rng.uniform(1.45, 2.0);
    s.vendorRight = rng.chance(0.35);
    s.metaRight = rng.chance(0.6);
    s.headerFill = rng.chance(0.5);
    s.zebra = rng.chance(0.3);
    s.rowRules = !s.zebra && rng.chance(0.5);
    s.titleText = rng.pick(kTitles);
    s.numberLabel = rng.pick(kNumberLabels);
    s.dateLabel = rng.pick(kDateLabels);
    s.dueLabel = rng.pick(kDueLabels);
    s.billTo = rng.pick(kBillTo);
    s.totalLabel = rng.pick(kTotalLabels);
    s.taxLabel = rng.pick(kTaxLabels).arg(printedPercent(d.taxTenthsPercent));
    s.columns = rng.pick(kColumns);
    const qreal half = (s.right - s.left) * 0.55;
    s.vendor = fitted(makeFont(heading, rng.between(34, 46), true), d.vendor, half);
    s.title = fitted(makeFont(heading, rng.between(40, 60), rng.chance(0.6)), s.titleText, half);
    return s;
}

// Vendor name and address on one side, the title on the other. Returns the y below them.
qreal drawHeader(PageWriter &w, const InvoiceData &d, const Style &s, QVector<InvoiceField> &fields)
{
    const auto drawTitle = [&] {
        w.write(s.titleText, s.title, s.vendorRight ? s.left : s.right, s.top,
                s.vendorRight ? Qt::AlignLeft : Qt::AlignRight);
    };
    if (s.vendorRight)
        drawTitle();
    const Qt::Alignment side = s.vendorRight ? Qt::AlignRight : Qt::AlignLeft;
    const qreal x = s.vendorRight ? s.right : s.left;
    fields.append({QStringLiteral("vendor"), w.write(d.vendor, s.vendor, x, s.top, side), d.vendor});
    qreal y = s.top + PageWriter::lineHeight(s.vendor) + 6;
    for (const QString &line : d.vendorAddress) {
        w.write(line, s.body, x, y, side);
        y += PageWriter::lineHeight(s.body) * s.lineSpacing;
    }
    if (!s.vendorRight)
        drawTitle();
    y = qMax(y, s.top + PageWriter::lineHeight(s.title)) + 20;
    w.painter().fillRect(QRectF(s.left, y, s.right - s.left, 3), s.accent);
    return y + 40;
}

// Invoice number, date and due date as label/value rows at x. Returns the y below them.
qreal drawMeta(PageWriter &w, const InvoiceData &d, const Style &s, qreal y, QVector<InvoiceField> &fields)
{
    const struct {
        QString label, printed, field, value;
    } rows[] = {
        {s.numberLabel, d.number, QStringLiteral("invoice_number"), d.number},
        {s.dateLabel, printedDate(d.date, d.dateStyle), QStringLiteral("invoice_date"), d.date.toString(Qt::ISODate)},
        {s.dueLabel, printedDate(d.dueDate, d.dateStyle), QStringLiteral("due_date"), d.dueDate.toString(Qt::ISODate)},
    };
    qreal labelWidth = 0, valueWidth = 0;
    for (const auto &row : rows) {
        labelWidth = qMax(labelWidth, PageWriter::width(row.label, s.bold));
        valueWidth = qMax(valueWidth, PageWriter::width(row.printed, s.body));
    }
    const qreal x = s.metaRight ? s.right - labelWidth - 24 - valueWidth : s.left;
    for (const auto &row : rows) {
        w.write(row.label, s.bold, x, y);
        const QVector<int> words = s.metaRight ? w.write(row.printed, s.body, s.right, y, Qt::AlignRight)
                                               : w.write(row.printed, s.body, x + labelWidth + 24, y);
        fields.append({row.field, words, row.value});
        y += PageWriter::lineHeight(s.body) * s.lineSpacing;
    }
    return y;
}

qreal drawBillTo(PageWriter &w, const InvoiceData &d, const Style &s, qreal y)
{
    const qreal x = s.metaRight ? s.left : s.left + (s.right - s.left) * 0.55;
    w.write(s.billTo, s.bold, x, y);
    y += PageWriter::lineHeight(s.bold) * s.lineSpacing;
    for (const QString &line : QStringList{d.customer} + d.customerAddress) {
        w.write(line, s.body, x, y);
        y += PageWriter::lineHeight(s.body) * s.lineSpacing;
    }
    return y;
}

// The two blocks under the header, the left one written first (reading order).
qreal drawParties(PageWriter &w, const InvoiceData &d, const Style &s, qreal y, QVector<InvoiceField> &fields)
{
    if (s.metaRight) {
        const qreal below = drawBillTo(w, d, s, y);
        return qMax(below, drawMeta(w, d, s, y, fields)) + 50;
    }
    const qreal below = drawMeta(w, d, s, y, fields);
    return qMax(below, drawBillTo(w, d, s, y)) + 50;
}

void drawRow(PageWriter &w, const Style &s, const QStringList &cells, const QFont &font, qreal top)
{
    const qreal limit = s.right - 3 * s.column - s.left;
    w.write(cells[0], PageWriter::width(cells[0], font) > limit ? fitted(font, cells[0], limit) : font, s.left, top);
    for (int c = 1; c < 4; ++c)
        w.write(cells[c], font, s.right - (3 - c) * s.column, top, Qt::AlignRight);
}

// The line items table. Returns the y below it.
qreal drawTable(PageWriter &w, const InvoiceData &d, const Style &s, qreal y)
{
    const qreal rowHeight = PageWriter::lineHeight(s.body) * s.rowSpacing;
    const qreal pad = (rowHeight - PageWriter::lineHeight(s.body)) / 2;
    const QRectF band(s.left - 10, y, s.right - s.left + 20, rowHeight);
    if (s.headerFill)
        w.painter().fillRect(band, tint(s.accent, 0.25));
    else
        w.painter().fillRect(QRectF(band.left(), band.bottom() - 2, band.width(), 2), s.accent);
    drawRow(w, s, s.columns, s.bold, y + pad);
    y += rowHeight;
    for (int i = 0; i < d.lines.size(); ++i) {
        const InvoiceLine &line = d.lines[i];
        if (s.zebra && i % 2 == 1)
            w.painter().fillRect(band.translated(0, y - band.top()), tint(s.accent, 0.08));
        drawRow(w, s,
                {line.description, QString::number(line.quantity), printedAmount(line.unitCents, d.amountStyle, false),
                 printedAmount(line.amountCents(), d.amountStyle, false)},
                s.body, y + pad);
        y += rowHeight;
        if (s.rowRules)
            w.painter().fillRect(QRectF(band.left(), y - 1, band.width(), 1), QColor(210, 210, 210));
    }
    w.painter().fillRect(QRectF(band.left(), y + 4, band.width(), 2), s.accent);
    return y + 30;
}

// Subtotal, tax and total under the amount column. Returns the y below them.
qreal drawTotals(PageWriter &w, const InvoiceData &d, const Style &s, qreal y, QVector<InvoiceField> &fields)
{
    const qreal widest = PageWriter::width(printedAmount(d.totalCents, d.amountStyle, true), s.bold);
    const qreal labelX = s.right - qMax(1.3 * s.column, widest + 40);
    const auto row = [&](const QString &label, qint64 cents, const QString &field, const QFont &font) {
        w.write(label, font, labelX, y, Qt::AlignRight);
        fields.append({field, w.write(printedAmount(cents, d.amountStyle, true), font, s.right, y, Qt::AlignRight),
                       plainAmount(cents)});
        y += PageWriter::lineHeight(font) * s.lineSpacing;
    };
    row(QStringLiteral("Subtotal"), d.subtotalCents, QStringLiteral("subtotal"), s.body);
    row(s.taxLabel, d.taxCents, QStringLiteral("tax"), s.body);
    y += 8;
    row(s.totalLabel, d.totalCents, QStringLiteral("total"), s.bold);
    return y;
}

void drawFooter(PageWriter &w, const InvoiceData &d, const Style &s, qreal y)
{
    const QStringList lines{
        QStringLiteral("Payment terms: net %1 days").arg(d.date.daysTo(d.dueDate)),
        QStringLiteral("Please quote %1 with your payment.").arg(d.number),
        QStringLiteral("Thank you for your business!")};
    const qreal step = PageWriter::lineHeight(s.small) * s.lineSpacing;
    y = qMax(y + 60, kInvoicePageSize.height() - s.top - step * lines.size());
    for (const QString &line : lines) {
        w.write(line, s.small, s.left, y);
        y += step;
    }
}

// Faint scanner lines, drawn before the text so they never hide it.
void addPaperMarks(QImage &image, DemoRandom &rng)
{
    QPainter p(&image);
    const int lines = rng.between(0, 3);
    for (int i = 0; i < lines; ++i) {
        const int grey = rng.between(205, 235);
        p.setPen(QPen(QColor(grey, grey, grey), rng.uniform(0.8, 2.0)));
        const bool horizontal = rng.chance(0.6);
        const qreal at = rng.uniform(0, horizontal ? image.height() : image.width());
        p.drawLine(horizontal ? QLineF(0, at, image.width(), at) : QLineF(at, 0, at, image.height()));
    }
}

// Dust specks and a sprinkle of darker paper pixels over everything.
void addDust(QImage &image, DemoRandom &rng)
{
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    const int specks = rng.between(60, 500);
    for (int i = 0; i < specks; ++i) {
        const int grey = rng.between(120, 200);
        p.setBrush(QColor(grey, grey, grey));
        const qreal r = rng.uniform(0.4, 1.4);
        p.drawEllipse(QPointF(rng.uniform(0, image.width()), rng.uniform(0, image.height())), r, r);
    }
    p.end();
    const int pixels = image.width() * image.height() / 200;
    for (int i = 0; i < pixels; ++i) {
        const quint32 r = rng.bits();
        const int x = int(r % quint32(image.width())), y = int((r >> 11) % quint32(image.height()));
        const QRgb px = image.pixel(x, y);
        const int dark = rng.between(6, 24);
        image.setPixel(x, y, qRgb(qMax(0, qRed(px) - dark), qMax(0, qGreen(px) - dark), qMax(0, qBlue(px) - dark)));
    }
}

} // namespace

const QVector<DemoClass> &invoiceFieldClasses()
{
    static const QVector<DemoClass> classes{
        {QStringLiteral("vendor"), ClassKind::Field, QColor(0x1f, 0x77, 0xb4)},
        {QStringLiteral("invoice_number"), ClassKind::Field, QColor(0xff, 0x7f, 0x0e)},
        {QStringLiteral("invoice_date"), ClassKind::Field, QColor(0x2c, 0xa0, 0x2c)},
        {QStringLiteral("due_date"), ClassKind::Field, QColor(0xd6, 0x27, 0x28)},
        {QStringLiteral("subtotal"), ClassKind::Field, QColor(0x94, 0x67, 0xbd)},
        {QStringLiteral("tax"), ClassKind::Field, QColor(0x8c, 0x56, 0x4b)},
        {QStringLiteral("total"), ClassKind::Field, QColor(0xe3, 0x77, 0xc2)},
    };
    return classes;
}

InvoicePage renderInvoice(DemoRandom &rng)
{
    const InvoiceData d = makeInvoiceData(rng);
    const Style s = makeStyle(rng, d);
    InvoicePage page;
    page.image = QImage(kInvoicePageSize, QImage::Format_RGB32);
    page.image.fill(s.paper);
    addPaperMarks(page.image, rng);
    {
        PageWriter w(page.image);
        w.setInk(s.ink);
        qreal y = drawHeader(w, d, s, page.fields);
        y = drawParties(w, d, s, y, page.fields);
        y = drawTable(w, d, s, y);
        y = drawTotals(w, d, s, y, page.fields);
        drawFooter(w, d, s, y);
        page.words = w.takeWords();
    }
    addDust(page.image, rng);
    return page;
}

} // namespace annotune::labeling
