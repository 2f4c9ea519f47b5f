#include "documentwriter.h"

#include "core/geometry.h"
#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageWriter>

namespace annotune::labeling {

using namespace annotune::core;

Result<QString> fileSha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot read (%2)").arg(path, file.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot read (%2)").arg(path, file.errorString()));
    return QString::fromLatin1(hash.result().toHex());
}

QString documentMediaFolder(const store::Project &project, const QString &sha256)
{
    return QStringLiteral("%1/%2-media/documents/%3").arg(project.folder(), project.name(), sha256.left(16));
}

Result<MediaProbe> savePageImage(const QImage &image, const QString &path, const QString &docSha256, int pageNo)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot create the folder").arg(QFileInfo(path).absolutePath()));
    QImageWriter writer(path, "png");
    writer.setText(QStringLiteral("Annotune-Source"), QStringLiteral("%1 page %2").arg(docSha256).arg(pageNo + 1));
    if (!writer.write(image))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write (%2)").arg(path, writer.errorString()));
    MediaProbe probe = probeImage(path);
    if (!probe.error.isEmpty())
        return makeError(ErrorCode::Io, QStringLiteral("%1: %2").arg(path, probe.error));
    return probe;
}

Result<bool> alreadyImported(store::Project &project, const QString &sha256)
{
    auto doc = project.items().findDocumentByHash(sha256);
    if (!doc)
        return doc.error();
    if (doc->has_value())
        return true;
    return project.items().containsHash(sha256, 0);
}

Result<Id> storeDocument(store::Project &project, const DocumentRecord &doc)
{
    auto train = project.settings().value(QStringLiteral("split.train"), QStringLiteral("0.8"));
    auto val = project.settings().value(QStringLiteral("split.val"), QStringLiteral("0.1"));
    if (!train || !val)
        return (train ? val : train).error();
    const Split split = splitForHash(doc.sha256, train->toDouble(), val->toDouble());
    Id docId = 0;
    Status st = project.transaction([&]() -> Status {
        const Document d{0, project.storedMediaPath(doc.sourcePath), doc.sha256, int(doc.pages.size())};
        auto id = project.items().insertDocument(d, project.author());
        if (!id)
            return id.error();
        docId = *id;
        QVector<Item> items;
        for (int p = 0; p < doc.pages.size(); ++p) {
            const MediaProbe &probe = doc.pages[p].probe;
            Item it;
            it.kind = ItemKind::DocumentPage;
            it.path = project.storedMediaPath(probe.path);
            it.sizeBytes = probe.sizeBytes;
            it.sha256 = probe.sha256;
            it.width = probe.width;
            it.height = probe.height;
            it.split = split;
            it.documentId = docId;
            it.pageNo = p;
            items.append(it);
        }
        auto ids = project.items().insertMany(items, project.author());
        if (!ids)
            return ids.error();
        for (int p = 0; p < doc.pages.size(); ++p)
            if (Status words = project.annotations().insertWords(ids->at(p), doc.pages[p].words); !words)
                return words;
        return {};
    });
    if (!st)
        return makeError(st.error().code, QStringLiteral("%1: %2").arg(doc.sourcePath, st.error().message));
    return docId;
}

void removePageImages(const QStringList &files)
{
    QStringList folders;
    for (const QString &f : files) {
        QFile::remove(f);
        const QString folder = QFileInfo(f).absolutePath();
        if (!folders.contains(folder))
            folders << folder;
    }
    for (const QString &folder : folders)
        QDir().rmdir(folder); // only when empty
}

} // namespace annotune::labeling
