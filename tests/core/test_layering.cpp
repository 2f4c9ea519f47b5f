// Keeps the layering of DESIGN.md honest: torch and OpenCV only in training/engine, SQLite only in
// core/store, no Widgets in core or labeling, and no include that points up the module graph.

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Rule {
    QRegularExpression include; // what is included
    QString allowedUnder;       // only files under this folder may include it ("" = nowhere)
    QStringList appliesTo;      // folders the rule looks at
};

QList<Rule> rules()
{
    const QStringList all{QStringLiteral("app"), QStringLiteral("ui"), QStringLiteral("core"),
                          QStringLiteral("labeling"), QStringLiteral("training")};
    auto re = [](const char *p) { return QRegularExpression(QString::fromLatin1(p)); };
    return {
        {re(R"(^\s*#\s*include\s*[<"](torch/|ATen/|c10/|opencv2/))"), QStringLiteral("training/engine/"), all},
        {re(R"(^\s*#\s*include\s*[<"](sqlite3\.h|QSql))"), QStringLiteral("core/store/"), all},
        // (a plain literal: moc misreads this pattern as a raw string)
        {re("^\\s*#\\s*include\\s*[<\"](poppler|tesseract/|leptonica/|allheaders\\.h)"), QStringLiteral("labeling/"), all},
        {re(R"(^\s*#\s*include\s*[<"](QtWidgets|QWidget|QMainWindow|QDialog|QApplication|QPushButton))"), QString(),
         {QStringLiteral("core"), QStringLiteral("labeling"), QStringLiteral("training")}},
        {re(R"(^\s*#\s*include\s*"(labeling|ui|training|app)/)"), QString(), {QStringLiteral("core")}},
        {re(R"(^\s*#\s*include\s*"(ui|training|app)/)"), QString(), {QStringLiteral("labeling")}},
        {re(R"(^\s*#\s*include\s*"(ui|app|labeling)/)"), QString(), {QStringLiteral("training")}},
    };
}

// Returns "file:line: include" for every include that breaks a rule under root.
QStringList violations(const QString &root)
{
    QStringList out;
    const auto all = rules();
    QDirIterator it(root, {QStringLiteral("*.h"), QStringLiteral("*.cpp"), QStringLiteral("*.hpp")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString rel = QDir(root).relativeFilePath(file);
        const QString top = rel.section(QLatin1Char('/'), 0, 0);
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        int lineNo = 0;
        while (!f.atEnd()) {
            const QString line = QString::fromUtf8(f.readLine());
            ++lineNo;
            if (!line.contains(QLatin1String("#")))
                continue;
            for (const Rule &r : all) {
                if (!r.appliesTo.contains(top) || !r.include.match(line).hasMatch())
                    continue;
                if (!r.allowedUnder.isEmpty() && rel.startsWith(r.allowedUnder))
                    continue;
                out << QStringLiteral("%1:%2: %3").arg(rel).arg(lineNo).arg(line.trimmed());
            }
        }
    }
    return out;
}

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
}

} // namespace

class TestLayering : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void detectsViolationsInAFixtureTree()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("ui/view.cpp")), "#include <torch/torch.h>\n#include <QWidget>\n");
        writeFile(dir.filePath(QStringLiteral("labeling/x.cpp")), "#include <sqlite3.h>\n#include \"ui/mainwindow.h\"\n");
        writeFile(dir.filePath(QStringLiteral("core/y.h")), "#include <QWidget>\n#include \"labeling/z.h\"\n");
        writeFile(dir.filePath(QStringLiteral("training/engine/ok.cpp")), "#include <torch/torch.h>\n#include <opencv2/core.hpp>\n");
        writeFile(dir.filePath(QStringLiteral("core/store/ok.cpp")), "#include <sqlite3.h>\n");
        writeFile(dir.filePath(QStringLiteral("ui/pdf.cpp")), "#include <poppler-qt6.h>\n");
        writeFile(dir.filePath(QStringLiteral("labeling/ok.cpp")), "#include <tesseract/baseapi.h>\n#include <poppler-qt6.h>\n");
        const QStringList found = violations(dir.path());
        QCOMPARE(found.size(), 6);
        QVERIFY(found.filter(QStringLiteral("ui/pdf.cpp:1")).size() == 1);
        QVERIFY(found.filter(QStringLiteral("ui/view.cpp:1")).size() == 1);
        QVERIFY(found.filter(QStringLiteral("labeling/x.cpp:1")).size() == 1);
        QVERIFY(found.filter(QStringLiteral("labeling/x.cpp:2")).size() == 1);
        QVERIFY(found.filter(QStringLiteral("core/y.h")).size() == 2);
    }

    void projectSourcesFollowTheLayering()
    {
        const QString root = QStringLiteral(ANNOTUNE_SOURCE_DIR);
        QVERIFY(QFileInfo::exists(root + QStringLiteral("/core/store/database.cpp")));
        const QStringList found = violations(root);
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestLayering)
#include "test_layering.moc"
