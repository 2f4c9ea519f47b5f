#pragma once
// Renders the demo's synthetic invoices: an A4 page at 150 DPI with varied layouts, fonts, date and
// amount formats and scan-like noise, with every word's box and the field labels over those words.

#include "labeling/demopagewriter.h"
#include "labeling/demoshapes.h"

namespace annotune::labeling {

class DemoRandom;

inline constexpr QSize kInvoicePageSize{1240, 1754};

// A labelled field: its class, the indexes of its words on the page, and its normalised value
// (ISO 8601 dates, plain amounts such as "1234.50").
struct InvoiceField {
    QString className;
    QVector<int> words;
    QString value;
};

struct InvoicePage {
    QImage image;
    QVector<PageWord> words; // in reading order
    QVector<InvoiceField> fields;
};

// The field classes of invoices: vendor, invoice_number, invoice_date, due_date, subtotal, tax, total.
const QVector<DemoClass> &invoiceFieldClasses();

// Draws one invoice from rng; the same random state gives the same pixels, words and fields.
InvoicePage renderInvoice(DemoRandom &rng);

} // namespace annotune::labeling
