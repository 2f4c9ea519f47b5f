// annotune-cli export-model: only an approved run's model leaves the project, with a model card
// naming its task, classes, metrics, gate results, data snapshot, config and reviewer.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

Run cli(const QStringList &args, int timeoutMs = 300000)
{
    QProcess p;
    p.start(QStringLiteral(ANNOTUNE_CLI), args);
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestExportModel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString &n) const { return m_dir.filePath(n); }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(cli({QStringLiteral("demo"), path(QStringLiteral("d.annotune")), QStringLiteral("--shapes"), QStringLiteral("9"),
                      QStringLiteral("--invoices"), QStringLiteral("0")}).code, 0);
        QFile config(path(QStringLiteral("tiny.json")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"image_size": 64, "width": 4, "batch_size": 2, "epochs": 1, "mosaic": false, "device": "cpu"})");
        config.close();
        const Run train = cli({QStringLiteral("train"), path(QStringLiteral("d.annotune")), QStringLiteral("--task"), QStringLiteral("detection"),
                               QStringLiteral("--config"), config.fileName(), QStringLiteral("--max-steps"), QStringLiteral("2")});
        QVERIFY2(train.code == 0, qPrintable(train.err));
    }

    void refusesAnUnapprovedRun()
    {
        const QString out = path(QStringLiteral("unapproved"));
        const Run r = cli({QStringLiteral("export-model"), path(QStringLiteral("d.annotune")), QStringLiteral("--run"), QStringLiteral("1"), out});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("not approved")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out));
    }

    void writesModelAndCardOnceApproved()
    {
        QCOMPARE(cli({QStringLiteral("approve"), path(QStringLiteral("d.annotune")), QStringLiteral("--run"), QStringLiteral("1"),
                      QStringLiteral("--reviewer"), QStringLiteral("rita")}).code, 0);
        const QString out = path(QStringLiteral("export"));
        const Run r = cli({QStringLiteral("export-model"), path(QStringLiteral("d.annotune")), QStringLiteral("--run"), QStringLiteral("1"), out});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(QFileInfo(out + QStringLiteral("/model.pt")).size() > 0);
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/model.json")));
        QFile card(out + QStringLiteral("/model-card.json"));
        QVERIFY(card.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(card.readAll()).object();
        QCOMPARE(o.value(QStringLiteral("task")).toString(), QStringLiteral("detection"));
        QCOMPARE(o.value(QStringLiteral("reviewer")).toString(), QStringLiteral("rita"));
        QVERIFY(o.value(QStringLiteral("classes")).toArray().contains(QStringLiteral("circle")));
        QCOMPARE(o.value(QStringLiteral("data_snapshot")).toString().size(), 64);
        QCOMPARE(o.value(QStringLiteral("config")).toObject().value(QStringLiteral("image_size")).toInt(), 64);
        QVERIFY(o.contains(QStringLiteral("metrics")) && o.contains(QStringLiteral("gate")));

        // An existing folder is never overwritten.
        const Run again = cli({QStringLiteral("export-model"), path(QStringLiteral("d.annotune")), QStringLiteral("--run"), QStringLiteral("1"), out});
        QCOMPARE(again.code, 2);
        QVERIFY(again.err.contains(QStringLiteral("already exists")));
    }
};

QTEST_GUILESS_MAIN(TestExportModel)
#include "test_exportmodel.moc"
