#pragma once
// Normalisers for document field values: what a person reads on a page ("12 Mar 2024",
// "1.234,50 EUR") turned into the value a model is trained on ("2024-03-12", "1234.50").

#include <QString>

namespace annotune::labeling {

enum class FieldType { Text, Date, Amount };

// The type a field's values have, guessed from its class name ("invoice_date" is a date,
// "total" or "tax_amount" an amount, anything else text).
FieldType fieldTypeForName(const QString &className);

// A date as ISO 8601 yyyy-MM-dd, or an empty string when raw is not a date. Numeric dates with
// slashes are read month first (03/12/2024 is March 12), with dots or dashes day first
// (12.03.2024 is March 12); a first number over 12 is always the day.
QString normaliseDate(const QString &raw);

// An amount as a plain number with a dot before the decimals and no grouping ("1234.50"), or
// an empty string when raw holds no number. Currency signs and codes are dropped; the last of
// ',' and '.' followed by one or two digits is the decimal separator, '\'' and spaces group.
QString normaliseAmount(const QString &raw);

// The normalised value of raw for a field of that type: the trimmed text, with single spaces,
// when the type is Text or the text cannot be read as the type.
QString normaliseValue(FieldType type, const QString &raw);

} // namespace annotune::labeling
