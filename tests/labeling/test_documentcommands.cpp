// The document-page commands: fields over words, links, and OCR corrections (edit, merge, split)
// with the fields that follow them: do, undo, redo, comparing the document's serialised page
// (words, fields, links) with the store after each step.

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/linkrepository.h"
#include "core/store/project.h"
#include "labeling/annotationdocument.h"

#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace annotune;
using core::Annotation;
using core::Id;
using core::Word;

namespace {

QString serialise(const QVector<Word> &words, const QVector<Annotation> &fields, QVector<core::AnnotationLink> links)
{
    QStringList lines;
    for (const Word &w : words)
        lines << QStringLiteral("w%1 %2 '%3' [%4 %5 %6 %7]").arg(w.id).arg(w.index).arg(w.text)
                     .arg(w.box.x()).arg(w.box.y()).arg(w.box.width()).arg(w.box.height());
    for (const Annotation &a : fields) {
        QStringList ids;
        for (Id id : a.wordIds)
            ids << QString::number(id);
        lines << QStringLiteral("a%1 class=%2 words=%3 raw='%4' value='%5'").arg(a.id).arg(a.classId)
                     .arg(ids.join(u','), a.rawText, a.value);
    }
    std::sort(links.begin(), links.end(), [](auto &x, auto &y) { return x.fromId < y.fromId; });
    for (const core::AnnotationLink &l : links)
        lines << QStringLiteral("link %1->%2").arg(l.fromId).arg(l.toId);
    return lines.join(u'\n');
}

} // namespace

class TestDocumentCommands : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<core::store::Project> m_project;
    std::unique_ptr<labeling::AnnotationDocument> m_doc;
    Id m_date = 0, m_total = 0, m_question = 0, m_answer = 0, m_item = 0;
    int m_run = 0;

    QString memory() { return serialise(m_doc->words(), m_doc->annotations(), m_doc->links()); }
    QString stored()
    {
        auto &p = *m_project;
        return serialise(*p.annotations().words(m_item), *p.annotations().forItem(m_item), *p.links().forItem(m_item));
    }
    Id wordId(int index) const { return m_doc->words().at(index).id; }
    // One command: act, then undo and redo, with memory == store after each step.
    QString roundTrip(const std::function<bool()> &act)
    {
        const QString before = memory();
        const int index = m_doc->undoStack()->index();
        if (!act())
            return QStringLiteral("<refused>");
        const QString after = memory();
        [&] {
            QCOMPARE(stored(), after);
            QVERIFY(after != before);
            QCOMPARE(m_doc->undoStack()->index(), index + 1);
            m_doc->undo();
            QCOMPARE(memory(), before);
            QCOMPARE(stored(), before);
            m_doc->redo();
            QCOMPARE(memory(), after);
            QCOMPARE(stored(), after);
        }();
        return after;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        auto project = core::store::Project::create(m_dir.filePath(QStringLiteral("d%1.annotune").arg(++m_run)));
        QVERIFY(project);
        m_project = std::move(*project);
        auto &classes = m_project->classes();
        const auto field = [&](const char *name, int pos) {
            return *classes.add({0, QString::fromLatin1(name), Qt::blue, core::ClassKind::Field, {}, pos}, QStringLiteral("t"));
        };
        m_date = field("invoice_date", 0);
        m_total = field("total", 1);
        m_question = field("question", 2);
        m_answer = field("answer", 3);
        core::Item page;
        page.kind = core::ItemKind::DocumentPage;
        page.path = QStringLiteral("p.png");
        page.sha256 = QString(64, u'b');
        page.width = 800;
        page.height = 1000;
        m_item = m_project->items().insertMany({page}, QStringLiteral("t"))->first();
        const QStringList texts = {QStringLiteral("Date:"), QStringLiteral("12"), QStringLiteral("Mar"),
                                   QStringLiteral("2024"), QStringLiteral("Total:"), QStringLiteral("$1,234.50")};
        QVector<Word> words;
        for (int i = 0; i < texts.size(); ++i)
            words.append(Word{0, m_item, i, texts[i], QRectF(10 + 60 * i, 20, 50, 12)});
        QVERIFY(m_project->annotations().insertWords(m_item, words));
        m_doc = std::make_unique<labeling::AnnotationDocument>(*m_project);
        QVERIFY(m_doc->load(m_item));
        QCOMPARE(m_doc->words().size(), 6);
    }
    void cleanup()
    {
        m_doc.reset();
        m_project.reset();
    }

    void assignWordsMakesANormalisedField()
    {
        const QString after = roundTrip([&] { return m_doc->assignWordsToField({wordId(3), wordId(1), wordId(2)}, m_date) != 0; });
        QVERIFY2(after.contains(QStringLiteral("raw='12 Mar 2024' value='2024-03-12'")), qPrintable(after));
        const Annotation &f = m_doc->annotations().first();
        QCOMPARE(f.box, QRectF(70, 20, 170, 12));
        // A word belongs to one field: taking "2024" for another field leaves "12 Mar" behind.
        roundTrip([&] { return m_doc->assignWordsToField({wordId(3)}, m_total) != 0; });
        QCOMPARE(m_doc->annotations().size(), 2);
        QCOMPARE(m_doc->annotations().first().rawText, QStringLiteral("12 Mar"));
        // Taking all of a field's words removes it.
        roundTrip([&] { return m_doc->assignWordsToField({wordId(1), wordId(2), wordId(3)}, m_date) != 0; });
        QCOMPARE(m_doc->annotations().size(), 1);
    }

    void editValueKeepsRawText()
    {
        const Id id = m_doc->assignWordsToField({wordId(5)}, m_total);
        QCOMPARE(m_doc->find(id)->value, QStringLiteral("1234.50"));
        const QString after = roundTrip([&] { return m_doc->setFieldValue(id, QStringLiteral("1234.5")); });
        QVERIFY(after.contains(QStringLiteral("raw='$1,234.50' value='1234.5'")));
        roundTrip([&] { return m_doc->setFieldWords(id, {wordId(4), wordId(5)}); });
        QCOMPARE(m_doc->find(id)->rawText, QStringLiteral("Total: $1,234.50"));
    }

    void linksAddAndRemove()
    {
        const Id q = m_doc->assignWordsToField({wordId(4)}, m_question);
        const Id a = m_doc->assignWordsToField({wordId(5)}, m_answer);
        QVERIFY(q && a);
        QVERIFY(roundTrip([&] { return m_doc->addLink(q, a) != 0; }).contains(QStringLiteral("link %1->%2").arg(q).arg(a)));
        QCOMPARE(m_doc->addLink(q, a), Id(0)); // no duplicates
        QCOMPARE(m_doc->links().size(), 1);
        roundTrip([&] { return m_doc->removeLink(m_doc->links().first().id); });
        QVERIFY(m_doc->links().isEmpty());
        m_doc->undo(); // the link is back, with a new id the next undo uses
        QCOMPARE(m_doc->links().size(), 1);
        m_doc->undo();
        m_doc->undo(); // and the add undone too
        QVERIFY(m_doc->links().isEmpty());
        QCOMPARE(stored(), memory());
    }

    void editWordUpdatesItsFields()
    {
        const Id id = m_doc->assignWordsToField({wordId(4), wordId(5)}, m_total);
        Word w = m_doc->words().at(5);
        w.text = QStringLiteral("$1,284.50");
        w.box.adjust(0, 0, 4, 0);
        const QString after = roundTrip([&] { return m_doc->editWord(w); });
        QVERIFY2(after.contains(QStringLiteral("raw='Total: $1,284.50' value='1284.50'")), qPrintable(after));
        QCOMPARE(m_doc->find(id)->box.right(), w.box.right());
    }

    void mergeAndSplitKeepFieldsOverTheWords()
    {
        const Id id = m_doc->assignWordsToField({wordId(1), wordId(2), wordId(3)}, m_date);
        const Id first = wordId(1);
        QString after = roundTrip([&] { return m_doc->mergeWords({wordId(1), wordId(2)}) != 0; });
        QCOMPARE(m_doc->words().size(), 5);
        QVERIFY2(after.contains(QStringLiteral("raw='12Mar 2024'")), qPrintable(after));
        QCOMPARE(m_doc->find(id)->wordIds, QVector<Id>({first, wordId(2)}));
        // Split it back at a space the user typed.
        Word w = *m_doc->findWord(first);
        w.text = QStringLiteral("12 Mar");
        QVERIFY(m_doc->editWord(w));
        after = roundTrip([&] { return m_doc->splitWord(first).size() == 2; });
        QCOMPARE(m_doc->words().size(), 6);
        QCOMPARE(m_doc->find(id)->wordIds.size(), 3);
        QVERIFY2(after.contains(QStringLiteral("raw='12 Mar 2024' value='2024-03-12'")), qPrintable(after));
    }
};

QTEST_GUILESS_MAIN(TestDocumentCommands)
#include "test_documentcommands.moc"
