// annotune-cli end to end: each command's output, exit codes (0 ok, 1 usage, 2 bad input) and the
// one-line error that names the file and the reason.

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(ANNOTUNE_CLI), args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

void writeImage(const QString &path, int w, int h, QRgb colour, const char *format)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QImage img(w, h, QImage::Format_RGB32);
    img.fill(colour);
    QVERIFY(img.save(path, format));
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString &n) const { return m_dir.filePath(n); }

private Q_SLOTS:
    void helpOnEveryCommand_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("top") << QStringList{QStringLiteral("--help")};
        for (const char *cmd : {"init", "demo", "stats"})
            QTest::newRow(cmd) << QStringList{QString::fromLatin1(cmd), QStringLiteral("--help")};
        QTest::newRow("import images") << QStringList{QStringLiteral("import"), QStringLiteral("images"), QStringLiteral("--help")};
        QTest::newRow("export coco") << QStringList{QStringLiteral("export"), QStringLiteral("coco"), QStringLiteral("--help")};
    }
    void helpOnEveryCommand()
    {
        QFETCH(QStringList, args);
        const Run r = cli(args);
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QStringLiteral("Usage")) || r.out.contains(QStringLiteral("usage")), qPrintable(r.out));
    }

    void usageErrorsExitOne_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no command") << QStringList{};
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")};
        QTest::newRow("missing argument") << QStringList{QStringLiteral("init")};
        QTest::newRow("bad option") << QStringList{QStringLiteral("stats"), QStringLiteral("x"), QStringLiteral("--nope")};
        QTest::newRow("out of range") << QStringList{QStringLiteral("demo"), QStringLiteral("x.annotune"), QStringLiteral("--shapes"), QStringLiteral("-4")};
    }
    void usageErrorsExitOne()
    {
        QFETCH(QStringList, args);
        QCOMPARE(cli(args).code, 1);
    }

    void initImportStatsExport()
    {
        const QString project = path(QStringLiteral("p.annotune"));
        Run r = cli({QStringLiteral("init"), project});
        QCOMPARE(r.code, 0);
        QVERIFY(QFileInfo::exists(project));

        r = cli({QStringLiteral("init"), project});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY(r.err.contains(project) && r.err.contains(QStringLiteral("already exists")));

        // A folder with images in several formats, a nested folder, a duplicate, a corrupt file and a text file.
        const QString media = path(QStringLiteral("media"));
        writeImage(media + QStringLiteral("/a.png"), 64, 48, qRgb(200, 10, 10), "PNG");
        writeImage(media + QStringLiteral("/b.jpg"), 80, 60, qRgb(10, 200, 10), "JPEG");
        writeImage(media + QStringLiteral("/nested/deeper/c.bmp"), 32, 32, qRgb(10, 10, 200), "BMP");
        QFile::copy(media + QStringLiteral("/a.png"), media + QStringLiteral("/nested/a-copy.PNG"));
        QFile corrupt(media + QStringLiteral("/broken.jpg"));
        QVERIFY(corrupt.open(QIODevice::WriteOnly));
        corrupt.write("this is not a jpeg at all");
        corrupt.close();
        QFile text(media + QStringLiteral("/notes.txt"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("ignored");
        text.close();

        r = cli({QStringLiteral("import"), QStringLiteral("images"), project, media});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QStringLiteral("imported 3 images, skipped 1 duplicates, 1 unreadable")), qPrintable(r.out));
        QVERIFY2(r.err.contains(QStringLiteral("broken.jpg")), qPrintable(r.err));

        // Importing again adds nothing: every file is a duplicate by hash.
        r = cli({QStringLiteral("import"), QStringLiteral("images"), project, media});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QStringLiteral("imported 0 images, skipped 4 duplicates")), qPrintable(r.out));

        r = cli({QStringLiteral("stats"), project});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QStringLiteral("items 3")));
        QVERIFY(r.out.contains(QStringLiteral("status unlabeled 3")));

        const QString json = path(QStringLiteral("out/coco.json"));
        QDir().mkpath(path(QStringLiteral("out")));
        r = cli({QStringLiteral("export"), QStringLiteral("coco"), project, json});
        QCOMPARE(r.code, 0);
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonParseError err;
        const QJsonObject root = QJsonDocument::fromJson(f.readAll(), &err).object();
        QCOMPARE(err.error, QJsonParseError::NoError);
        const QJsonArray images = root.value(QStringLiteral("images")).toArray();
        QCOMPARE(images.size(), 3);
        QStringList sizes;
        for (const auto &v : images)
            sizes << QStringLiteral("%1x%2").arg(v[QStringLiteral("width")].toInt()).arg(v[QStringLiteral("height")].toInt());
        sizes.sort();
        QCOMPARE(sizes, (QStringList{QStringLiteral("32x32"), QStringLiteral("64x48"), QStringLiteral("80x60")}));
    }

    void badInputExitsTwoWithOneLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        const QString missing = m_dir.filePath(QStringLiteral("missing.annotune"));
        QTest::newRow("stats missing") << QStringList{QStringLiteral("stats"), missing} << QStringLiteral("no such project file");
        QTest::newRow("import missing project") << QStringList{QStringLiteral("import"), QStringLiteral("images"), missing, m_dir.path()}
                                                << QStringLiteral("no such project file");
        QTest::newRow("export bad split") << QStringList{QStringLiteral("export"), QStringLiteral("coco"), m_dir.filePath(QStringLiteral("p.annotune")),
                                                         m_dir.filePath(QStringLiteral("x.json")), QStringLiteral("--split"), QStringLiteral("holdout")}
                                          << QStringLiteral("holdout");
        QTest::newRow("import missing folder") << QStringList{QStringLiteral("import"), QStringLiteral("images"),
                                                              m_dir.filePath(QStringLiteral("p.annotune")), m_dir.filePath(QStringLiteral("nowhere"))}
                                               << QStringLiteral("no such folder");
        QTest::newRow("export unwritable") << QStringList{QStringLiteral("export"), QStringLiteral("coco"), m_dir.filePath(QStringLiteral("p.annotune")),
                                                          m_dir.filePath(QStringLiteral("no/such/dir/x.json"))}
                                           << QStringLiteral("cannot write");
        QTest::newRow("train fold outside the folds") << QStringList{QStringLiteral("train"), m_dir.filePath(QStringLiteral("p.annotune")),
                                                                     QStringLiteral("--task"), QStringLiteral("extraction"), QStringLiteral("--cv-folds"),
                                                                     QStringLiteral("3"), QStringLiteral("--cv-fold"), QStringLiteral("5")}
                                                      << QStringLiteral("cv_fold must be below cv_folds");
    }
    void badInputExitsTwoWithOneLine()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const Run r = cli(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
    }

    void notAProjectIsRefusedUntouched()
    {
        const QString file = path(QStringLiteral("notes.annotune"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("plain text, not a project");
        f.close();
        const Run r = cli({QStringLiteral("stats"), file});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(file) && r.err.contains(QStringLiteral("not an Annotune project")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("plain text, not a project"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
