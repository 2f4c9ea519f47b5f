#include "funsdimport.h"

#include "core/geometry.h"
#include "core/logging.h"
#include "core/media.h"
#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/linkrepository.h"
#include "core/store/project.h"
#include "funsdform.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSet>

namespace annotune::core::formats {

namespace {

// A checked form with the facts of its image.
struct LoadedForm {
    FunsdForm form;
    MediaProbe probe;
};

// The image of a form: images/<stem>.png (or .jpg), as FUNSD lays them out.
QString imageFor(const QString &dir, const QString &stem)
{
    for (const char *suffix : {".png", ".jpg", ".jpeg", ".PNG"}) {
        const QString path = QStringLiteral("%1/images/%2%3").arg(dir, stem, QLatin1String(suffix));
        if (QFileInfo::exists(path))
            return path;
    }
    return {};
}

Result<QVector<LoadedForm>> readForms(const QString &dir, const ProgressFn &progress, const CancelFlag *cancel)
{
    const QDir annotations(dir + QStringLiteral("/annotations"));
    if (!annotations.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no annotations folder (FUNSD keeps forms in "
                                                             "annotations/*.json and images in images/)").arg(dir));
    const QStringList files = annotations.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVector<LoadedForm> out;
    for (int i = 0; i < files.size(); ++i) {
        if (cancelled(cancel))
            return makeError(ErrorCode::Cancelled, QStringLiteral("%1: FUNSD import cancelled; nothing was imported").arg(dir));
        const QString json = annotations.filePath(files[i]);
        const QString image = imageFor(dir, QFileInfo(files[i]).completeBaseName());
        if (image.isEmpty())
            return makeError(ErrorCode::NotFound, QStringLiteral("%1: no image images/%2.png for it").arg(json, QFileInfo(files[i]).completeBaseName()));
        const MediaProbe probe = probeImage(image);
        if (!probe.error.isEmpty())
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: %2").arg(image, probe.error));
        auto form = readFunsdForm(json, image, QSize(probe.width, probe.height));
        if (!form)
            return form.error();
        out.append({*form, probe});
        if (progress)
            progress(i + 1, files.size());
    }
    return out;
}

// The Field class for each FUNSD label, added when missing. A class of that name with another kind
// is an error.
Result<QHash<QString, Id>> fieldClasses(store::Project &project, QStringList &added)
{
    auto classes = project.classes().list();
    if (!classes)
        return classes.error();
    QHash<QString, Id> ids;
    for (const LabelClass &c : *classes) {
        if (!funsdLabels().contains(c.name))
            continue;
        if (c.kind != ClassKind::Field)
            return makeError(ErrorCode::Conflict, QStringLiteral("class '%1': is a %2 class; FUNSD entities need a field class")
                                                      .arg(c.name, toText(c.kind)));
        ids.insert(c.name, c.id);
    }
    static const QColor colors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                                    QColor(0x7f, 0x7f, 0x7f)};
    for (int k = 0; k < funsdLabels().size(); ++k) {
        const QString &name = funsdLabels()[k];
        if (ids.contains(name))
            continue;
        LabelClass c{0, name, colors[k], ClassKind::Field, {}, int(classes->size()) + k};
        auto id = project.classes().add(c, project.author());
        if (!id)
            return id.error();
        ids.insert(name, *id);
        added << name;
    }
    return ids;
}

// Links between the stored entities of a form, each distinct [from, to] once (FUNSD lists a link
// on both of its entities). Returns how many were stored.
Result<qint64> storeLinks(store::Project &project, Id itemId, const FunsdForm &form)
{
    auto annotations = project.annotations().forItem(itemId);
    if (!annotations)
        return annotations.error();
    QHash<int, Id> byFunsdId;
    for (int k = 0; k < form.entities.size(); ++k)
        byFunsdId.insert(form.entities[k].id, annotations->at(k).id);
    QVector<AnnotationLink> links;
    QSet<QPair<int, int>> seen;
    for (const FunsdEntity &e : form.entities)
        for (const auto &pair : e.links)
            if (!seen.contains(pair)) {
                seen.insert(pair);
                links.append(AnnotationLink{0, byFunsdId.value(pair.first), byFunsdId.value(pair.second)});
            }
    return project.links().insertMany(links, project.author());
}

// Stores one form's document, page, words, entities and links.
Status storeForm(store::Project &project, const LoadedForm &f, const QHash<QString, Id> &classes, FunsdImportReport &r)
{
    const MediaProbe &p = f.probe;
    auto docId = project.items().insertDocument(Document{0, project.storedMediaPath(p.path), p.sha256, 1}, project.author());
    if (!docId)
        return docId.error();
    Item page;
    page.kind = ItemKind::DocumentPage;
    page.path = project.storedMediaPath(p.path);
    page.sizeBytes = p.sizeBytes;
    page.sha256 = p.sha256;
    page.width = p.width;
    page.height = p.height;
    page.split = splitForHash(p.sha256);
    page.documentId = *docId;
    // A form that comes with entities has been labelled by whoever made the file.
    page.status = f.form.entities.isEmpty() ? ItemStatus::Unlabeled : ItemStatus::Labeled;
    auto itemIds = project.items().insertMany({page}, project.author());
    if (!itemIds)
        return itemIds.error();
    const Id itemId = itemIds->first();
    QVector<Word> words;
    for (const FunsdEntity &e : f.form.entities)
        for (const FunsdWord &w : e.words)
            words.append(Word{0, itemId, int(words.size()), w.text, w.box, 1.0, WordSource::Imported});
    if (Status st = project.annotations().insertWords(itemId, words); !st)
        return st;
    auto stored = project.annotations().words(itemId);
    if (!stored)
        return stored.error();
    QVector<Annotation> entities;
    int next = 0;
    for (const FunsdEntity &e : f.form.entities) {
        Annotation a;
        a.itemId = itemId;
        a.classId = classes.value(e.label);
        a.kind = AnnotationKind::Field;
        a.box = e.box;
        a.value = e.text;
        a.rawText = e.text;
        for (qsizetype k = 0; k < e.words.size(); ++k)
            a.wordIds.append(stored->at(next++).id);
        entities.append(a);
    }
    if (auto n = project.annotations().insertMany(entities, project.author()); !n)
        return n.error();
    auto links = storeLinks(project, itemId, f.form);
    if (!links)
        return links.error();
    ++r.forms;
    r.words += words.size();
    r.entities += entities.size();
    r.links += *links;
    return {};
}

} // namespace

Result<FunsdImportReport> importFunsd(store::Project &project, const QString &dir, const ProgressFn &progress,
                                      const CancelFlag *cancel)
{
    auto forms = readForms(dir, progress, cancel);
    if (!forms)
        return forms.error();
    FunsdImportReport report;
    Status st = project.transaction([&]() -> Status {
        auto classes = fieldClasses(project, report.classesAdded);
        if (!classes)
            return classes.error();
        for (const LoadedForm &f : *forms) {
            auto known = project.items().containsHash(f.probe.sha256, 0);
            if (!known)
                return known.error();
            if (*known) {
                ++report.duplicates;
                continue;
            }
            if (Status one = storeForm(project, f, *classes, report); !one)
                return makeError(one.error().code, QStringLiteral("%1: %2").arg(f.form.jsonPath, one.error().message));
        }
        return {};
    });
    if (!st)
        return st.error();
    logger("core.formats")->info("{}: {} FUNSD forms, {} words, {} entities, {} links", str(dir), report.forms,
                                 report.words, report.entities, report.links);
    return report;
}

} // namespace annotune::core::formats
