// FUNSD: the 149 training forms round-trip (words, entities, labels, boxes, links compared as sets),
// the stored counts equal the files', and malformed forms fail with a message naming file, entity
// and reason while the project stays unchanged.

#include "../common/projectstate.h"
#include "core/formats/documentexport.h"
#include "core/formats/funsdimport.h"
#include "core/store/annotationrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/linkrepository.h"
#include "core/store/project.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune;
using namespace annotune::core;

namespace {

const QString kFunsd = QStringLiteral(ANNOTUNE_SHARED_DATA "/funsd-train");

QJsonArray readForm(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("form")).toArray();
}

// An entity without its id: text, label, box and words, as one comparable string.
QString entityKey(const QJsonObject &e)
{
    QJsonObject copy = e;
    copy.remove(QStringLiteral("id"));
    copy.remove(QStringLiteral("linking"));
    return QString::fromUtf8(QJsonDocument(copy).toJson(QJsonDocument::Compact));
}

// A form as sets: entity keys (with multiplicity) and links between entity keys. FUNSD lists each
// link on both of its entities and a few twice on one; sets make both listings one link.
struct FormSets {
    QStringList entities;
    QSet<QString> links;
    bool operator==(const FormSets &o) const { return entities == o.entities && links == o.links; }
};

FormSets formSets(const QJsonArray &form)
{
    FormSets s;
    QHash<int, QString> byId;
    for (const QJsonValue &v : form) {
        byId.insert(v.toObject().value(QStringLiteral("id")).toInt(), entityKey(v.toObject()));
        s.entities << entityKey(v.toObject());
    }
    s.entities.sort();
    for (const QJsonValue &v : form)
        for (const QJsonValue &l : v.toObject().value(QStringLiteral("linking")).toArray())
            s.links.insert(byId.value(l.toArray()[0].toInt()) + QStringLiteral(" -> ") + byId.value(l.toArray()[1].toInt()));
    return s;
}

void writeJson(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class TestFunsd : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;

    std::unique_ptr<store::Project> newProject()
    {
        auto p = store::Project::create(m_dir.filePath(QStringLiteral("f%1.annotune").arg(++m_n)));
        if (!p)
            qFatal("%s", qPrintable(p.error().message));
        return std::move(p.value());
    }

    // A one-form FUNSD folder whose form is the first training form changed by edit.
    QString brokenCopy(const QString &name, const std::function<QByteArray(QJsonObject)> &edit)
    {
        const QString dir = m_dir.filePath(name);
        const QString stem = QStringLiteral("0000971160");
        QDir().mkpath(dir + QStringLiteral("/images"));
        QFile::copy(kFunsd + QStringLiteral("/images/%1.png").arg(stem), dir + QStringLiteral("/images/%1.png").arg(stem));
        QFile f(kFunsd + QStringLiteral("/annotations/%1.json").arg(stem));
        f.open(QIODevice::ReadOnly);
        writeJson(dir + QStringLiteral("/annotations/%1.json").arg(stem), edit(QJsonDocument::fromJson(f.readAll()).object()));
        return dir;
    }

    void expectRefused(const QString &dir, const QString &needle)
    {
        auto project = newProject();
        const QByteArray before = testing::projectStateHash(*project);
        auto r = formats::importFunsd(*project, dir);
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(QStringLiteral("0000971160.json")) && r.error().message.contains(needle),
                 qPrintable(r.error().message));
        QCOMPARE(testing::projectStateHash(*project), before);
    }

private Q_SLOTS:
    void goldenRoundTrip()
    {
        const QStringList files = QDir(kFunsd + QStringLiteral("/annotations")).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 149);
        qint64 words = 0, entities = 0;
        for (const QString &f : files)
            for (const QJsonValue &e : readForm(kFunsd + QStringLiteral("/annotations/") + f)) {
                ++entities;
                words += e.toObject().value(QStringLiteral("words")).toArray().size();
            }
        auto project = newProject();
        auto r = formats::importFunsd(*project, kFunsd);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->forms, 149);
        QCOMPARE(r->words, words);          // empty-text words are kept, as in the files
        QCOMPARE(r->entities, entities);
        QCOMPARE(*project->annotations().count(), entities);
        QCOMPARE(*project->links().count(), r->links);
        QCOMPARE(r->classesAdded, (QStringList{QStringLiteral("question"), QStringLiteral("answer"),
                                               QStringLiteral("header"), QStringLiteral("other")}));

        const QString out = m_dir.filePath(QStringLiteral("export"));
        auto written = formats::exportFunsd(*project, out);
        QVERIFY2(written, written ? "" : qPrintable(written.error().message));
        QCOMPARE(written->pages, 149);
        QCOMPARE(written->looseWords, qint64(0));
        for (const QString &f : files) {
            const FormSets original = formSets(readForm(kFunsd + QStringLiteral("/annotations/") + f));
            const FormSets back = formSets(readForm(out + QStringLiteral("/annotations/") + f));
            QVERIFY2(original.entities == back.entities, qPrintable(f + QStringLiteral(": entities differ")));
            QVERIFY2(original.links == back.links, qPrintable(f + QStringLiteral(": links differ")));
            QVERIFY(QFile::exists(out + QStringLiteral("/images/") + QFileInfo(f).completeBaseName() + QStringLiteral(".png")));
        }
        // A second import finds every form already there.
        auto again = formats::importFunsd(*project, kFunsd);
        QVERIFY(again);
        QCOMPARE(again->duplicates, 149);
        QCOMPARE(again->forms, 0);
    }

    void fieldsExportHasOneLinePerDocument()
    {
        auto project = newProject();
        QVERIFY(formats::importFunsd(*project, kFunsd));
        const QString out = m_dir.filePath(QStringLiteral("fields.jsonl"));
        auto r = formats::exportFields(*project, out);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 149);
        const QJsonObject first = QJsonDocument::fromJson(lines.first()).object();
        QVERIFY(first.value(QStringLiteral("document")).toString().endsWith(QStringLiteral("0000971160.png")));
        const QJsonArray fields = first.value(QStringLiteral("fields")).toArray();
        const QJsonArray original = readForm(kFunsd + QStringLiteral("/annotations/0000971160.json"));
        QCOMPARE(fields.size(), original.size());
        const QJsonObject f2 = fields[2].toObject();
        QCOMPARE(f2.value(QStringLiteral("raw_text")).toString(), QStringLiteral("Suggestion:"));
        QCOMPARE(f2.value(QStringLiteral("class")).toString(), QStringLiteral("question"));
        QCOMPARE(f2.value(QStringLiteral("page")).toInt(), 0);
        QCOMPARE(f2.value(QStringLiteral("words")).toArray(), QJsonArray{QStringLiteral("Suggestion:")});
        QCOMPARE(f2.value(QStringLiteral("word_ids")).toArray().size(), 1);
    }

    void truncatedJson()
    {
        expectRefused(brokenCopy(QStringLiteral("trunc"), [](QJsonObject o) {
            const QByteArray all = QJsonDocument(o).toJson();
            return all.left(all.size() / 2);
        }), QStringLiteral("not valid JSON"));
    }

    void wordOutsideTheImage()
    {
        expectRefused(brokenCopy(QStringLiteral("outside"), [](QJsonObject o) {
            QJsonArray form = o.value(QStringLiteral("form")).toArray();
            QJsonObject e = form[2].toObject();
            QJsonArray words = e.value(QStringLiteral("words")).toArray();
            QJsonObject w = words[0].toObject();
            w.insert(QStringLiteral("box"), QJsonArray{95, 355, 5000, 370});
            words[0] = w;
            e.insert(QStringLiteral("words"), words);
            form[2] = e;
            o.insert(QStringLiteral("form"), form);
            return QJsonDocument(o).toJson();
        }), QStringLiteral("entity 2: word 0 box [95, 355, 5000, 370] lies outside the image (762x1000)"));
    }

    void linkToUnknownEntity()
    {
        expectRefused(brokenCopy(QStringLiteral("link"), [](QJsonObject o) {
            QJsonArray form = o.value(QStringLiteral("form")).toArray();
            QJsonObject e = form[2].toObject();
            e.insert(QStringLiteral("linking"), QJsonArray{QJsonArray{2, 999}});
            form[2] = e;
            o.insert(QStringLiteral("form"), form);
            return QJsonDocument(o).toJson();
        }), QStringLiteral("entity 2: links to unknown entity 999"));
    }

    void unknownLabel()
    {
        expectRefused(brokenCopy(QStringLiteral("label"), [](QJsonObject o) {
            QJsonArray form = o.value(QStringLiteral("form")).toArray();
            QJsonObject e = form[1].toObject();
            e.insert(QStringLiteral("label"), QStringLiteral("questoin"));
            form[1] = e;
            o.insert(QStringLiteral("form"), form);
            return QJsonDocument(o).toJson();
        }), QStringLiteral("entity 1: label 'questoin'"));
    }
};

QTEST_GUILESS_MAIN(TestFunsd)
#include "test_funsd.moc"
