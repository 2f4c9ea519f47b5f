#include "documentexport.h"

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/linkrepository.h"
#include "core/store/project.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSaveFile>
#include <QSet>

namespace annotune::core::formats {

namespace {

// One document page with what the exports need: words by id, fields in id order, links.
struct PageView {
    Item item;
    QHash<Id, Word> words;
    QVector<Word> wordOrder;
    QVector<Annotation> fields;
    QVector<AnnotationLink> links;
};

Result<PageView> loadPage(store::Project &project, const Item &item)
{
    PageView v{item, {}, {}, {}, {}};
    auto words = project.annotations().words(item.id);
    auto annotations = project.annotations().forItem(item.id);
    auto links = project.links().forItem(item.id);
    if (!words || !annotations || !links)
        return !words ? words.error() : !annotations ? annotations.error() : links.error();
    v.wordOrder = *words;
    for (const Word &w : *words)
        v.words.insert(w.id, w);
    for (const Annotation &a : *annotations)
        if (a.kind == AnnotationKind::Field)
            v.fields.append(a);
    v.links = *links;
    return v;
}

// Document pages grouped by document, in document id then page order.
Result<QMap<Id, QVector<Item>>> documentPages(store::Project &project)
{
    QMap<Id, QVector<Item>> out;
    store::ItemFilter filter;
    filter.kind = ItemKind::DocumentPage;
    Status st = project.items().forEach(filter, [&](const Item &it) {
        out[it.documentId.value_or(0)].append(it);
        return true;
    });
    if (!st)
        return st.error();
    for (QVector<Item> &pages : out)
        std::sort(pages.begin(), pages.end(), [](const Item &a, const Item &b) { return a.pageNo < b.pageNo; });
    return out;
}

Result<QHash<Id, QString>> classNames(store::Project &project)
{
    auto classes = project.classes().list();
    if (!classes)
        return classes.error();
    QHash<Id, QString> names;
    for (const LabelClass &c : *classes)
        names.insert(c.id, c.name);
    return names;
}

QJsonArray box(const QRectF &r) { return {r.left(), r.top(), r.right(), r.bottom()}; }

QJsonObject entity(int id, const QString &label, const QString &text, const QRectF &r, QJsonArray words)
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("label"), label}, {QStringLiteral("text"), text},
            {QStringLiteral("box"), box(r)}, {QStringLiteral("words"), words}, {QStringLiteral("linking"), QJsonArray()}};
}

// The FUNSD form of one page; entities numbered in field order, loose words appended as "other".
QJsonObject funsdForm(const PageView &v, const QHash<Id, QString> &classes, DocumentExportReport &r)
{
    QJsonArray form;
    QHash<Id, int> number;
    QSet<Id> used;
    for (const Annotation &a : v.fields) {
        QJsonArray words;
        for (Id w : a.wordIds) {
            used.insert(w);
            words.append(QJsonObject{{QStringLiteral("text"), v.words.value(w).text}, {QStringLiteral("box"), box(v.words.value(w).box)}});
        }
        number.insert(a.id, int(form.size()));
        form.append(entity(int(form.size()), classes.value(a.classId), a.rawText, a.box, words));
    }
    for (const Word &w : v.wordOrder) {
        if (used.contains(w.id))
            continue;
        QJsonArray words{QJsonObject{{QStringLiteral("text"), w.text}, {QStringLiteral("box"), box(w.box)}}};
        form.append(entity(int(form.size()), QStringLiteral("other"), w.text, w.box, words));
        ++r.looseWords;
    }
    for (const AnnotationLink &l : v.links) {
        if (!number.contains(l.fromId) || !number.contains(l.toId))
            continue;
        const QJsonArray pair{number.value(l.fromId), number.value(l.toId)};
        for (int end : {number.value(l.fromId), number.value(l.toId)}) {
            QJsonObject e = form[end].toObject();
            QJsonArray linking = e.value(QStringLiteral("linking")).toArray();
            if (!linking.contains(pair))
                linking.append(pair);
            e.insert(QStringLiteral("linking"), linking);
            form[end] = e;
        }
        ++r.links;
    }
    r.entities += v.fields.size();
    return {{QStringLiteral("form"), form}};
}

Status writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write (%2)").arg(path, file.errorString()));
    return {};
}

// The file name of a page's form, unique among the names already used.
QString formName(const Document &doc, const Item &page, QSet<QString> &used)
{
    QString name = QFileInfo(doc.path).completeBaseName();
    if (doc.pageCount > 1)
        name += QStringLiteral("-p%1").arg(page.pageNo + 1, 3, 10, QLatin1Char('0'));
    if (used.contains(name))
        name += QStringLiteral("-%1").arg(page.id);
    used.insert(name);
    return name;
}

Status exportFunsdPage(store::Project &project, const PageView &v, const QString &name, const QString &outDir,
                       const QHash<Id, QString> &classes, DocumentExportReport &r)
{
    const QByteArray json = QJsonDocument(funsdForm(v, classes, r)).toJson(QJsonDocument::Compact);
    if (Status st = writeFile(QStringLiteral("%1/annotations/%2.json").arg(outDir, name), json); !st)
        return st;
    const QString source = project.absoluteMediaPath(v.item.path);
    const QString target = QStringLiteral("%1/images/%2.%3").arg(outDir, name, QFileInfo(source).suffix());
    QFile::remove(target);
    if (!QFile::copy(source, target))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot copy the page image to %2").arg(source, target));
    ++r.pages;
    return {};
}

// One document's line of the fields export.
QJsonObject fieldsLine(const Document &doc, const QVector<PageView> &pages, const QHash<Id, QString> &classes,
                       DocumentExportReport &r)
{
    QJsonArray fields;
    for (const PageView &v : pages) {
        for (const Annotation &a : v.fields) {
            QJsonArray ids, texts;
            for (Id w : a.wordIds) {
                ids.append(w);
                texts.append(v.words.value(w).text);
            }
            fields.append(QJsonObject{{QStringLiteral("class"), classes.value(a.classId)},
                                      {QStringLiteral("value"), a.value}, {QStringLiteral("raw_text"), a.rawText},
                                      {QStringLiteral("page"), v.item.pageNo}, {QStringLiteral("item_id"), v.item.id},
                                      {QStringLiteral("word_ids"), ids}, {QStringLiteral("words"), texts},
                                      {QStringLiteral("box"), box(a.box)}});
        }
        r.entities += v.fields.size();
    }
    return {{QStringLiteral("document"), doc.path}, {QStringLiteral("document_id"), doc.id},
            {QStringLiteral("pages"), doc.pageCount}, {QStringLiteral("fields"), fields}};
}

} // namespace

Result<DocumentExportReport> exportFields(store::Project &project, const QString &outFile)
{
    auto documents = documentPages(project);
    auto classes = classNames(project);
    if (!documents || !classes)
        return !documents ? documents.error() : classes.error();
    QSaveFile file(outFile);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write (%2)").arg(outFile, file.errorString()));
    DocumentExportReport report;
    for (auto it = documents->cbegin(); it != documents->cend(); ++it) {
        auto doc = project.items().document(it.key());
        if (!doc)
            return doc.error();
        QVector<PageView> pages;
        for (const Item &page : it.value()) {
            auto view = loadPage(project, page);
            if (!view)
                return view.error();
            pages.append(*view);
        }
        file.write(QJsonDocument(fieldsLine(*doc, pages, *classes, report)).toJson(QJsonDocument::Compact) + '\n');
        report.pages += int(pages.size());
        ++report.documents;
    }
    if (!file.commit())
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write (%2)").arg(outFile, file.errorString()));
    return report;
}

Result<DocumentExportReport> exportFunsd(store::Project &project, const QString &outDir)
{
    for (const char *sub : {"/annotations", "/images"})
        if (!QDir().mkpath(outDir + QLatin1String(sub)))
            return makeError(ErrorCode::Io, QStringLiteral("%1%2: cannot create the folder").arg(outDir, QLatin1String(sub)));
    auto documents = documentPages(project);
    auto classes = classNames(project);
    if (!documents || !classes)
        return !documents ? documents.error() : classes.error();
    DocumentExportReport report;
    QSet<QString> names;
    for (auto it = documents->cbegin(); it != documents->cend(); ++it) {
        auto doc = project.items().document(it.key());
        if (!doc)
            return doc.error();
        for (const Item &page : it.value()) {
            auto view = loadPage(project, page);
            if (!view)
                return view.error();
            if (Status st = exportFunsdPage(project, *view, formName(*doc, page, names), outDir, *classes, report); !st)
                return st.error();
        }
        ++report.documents;
    }
    return report;
}

} // namespace annotune::core::formats
