// The field value normalisers: dates to ISO 8601, amounts to plain numbers, types from names.

#include "labeling/fieldvalue.h"

#include <QtTest>

using namespace annotune::labeling;

class TestFieldValue : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dates_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("iso");
        QTest::newRow("day month-name year") << "12 Mar 2024" << "2024-03-12";
        QTest::newRow("us slashes") << "03/12/2024" << "2024-03-12";
        QTest::newRow("month-name day, year") << "March 12, 2024" << "2024-03-12";
        QTest::newRow("european dots") << "12.03.2024" << "2024-03-12";
        QTest::newRow("iso kept") << "2024-03-12" << "2024-03-12";
        QTest::newRow("day over 12 with slashes") << "25/12/2023" << "2023-12-25";
        QTest::newRow("dashes short year") << "12-Mar-24" << "2024-03-12";
        QTest::newRow("ordinal") << "Mar 1st, 2024" << "2024-03-01";
        QTest::newRow("not a date") << "Invoice" << "";
        QTest::newRow("impossible day") << "31.02.2024" << "";
    }
    void dates()
    {
        QFETCH(QString, raw);
        QFETCH(QString, iso);
        QCOMPARE(normaliseDate(raw), iso);
    }

    void amounts_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("plain");
        QTest::newRow("dollars") << "$1,234.50" << "1234.50";
        QTest::newRow("euro european") << "1.234,50 EUR" << "1234.50";
        QTest::newRow("swiss apostrophe") << "CHF 1'234.50" << "1234.50";
        QTest::newRow("plain") << "99" << "99";
        QTest::newRow("comma decimals") << "12,5" << "12.5";
        QTest::newRow("groups only") << "1,234,567" << "1234567";
        QTest::newRow("trailing dot") << "USD 15.00." << "15.00";
        QTest::newRow("negative") << "-42.10 €" << "-42.10";
        QTest::newRow("no number") << "n/a" << "";
    }
    void amounts()
    {
        QFETCH(QString, raw);
        QFETCH(QString, plain);
        QCOMPARE(normaliseAmount(raw), plain);
    }

    void typesAndFallback()
    {
        QCOMPARE(fieldTypeForName(QStringLiteral("invoice_date")), FieldType::Date);
        QCOMPARE(fieldTypeForName(QStringLiteral("Total")), FieldType::Amount);
        QCOMPARE(fieldTypeForName(QStringLiteral("vendor")), FieldType::Text);
        QCOMPARE(normaliseValue(FieldType::Amount, QStringLiteral(" n/a ")), QStringLiteral("n/a"));
        QCOMPARE(normaliseValue(FieldType::Text, QStringLiteral("ACME   Corp ")), QStringLiteral("ACME Corp"));
        QCOMPARE(normaliseValue(FieldType::Date, QStringLiteral("12 Mar 2024")), QStringLiteral("2024-03-12"));
    }
};

QTEST_GUILESS_MAIN(TestFieldValue)
#include "test_fieldvalue.moc"
