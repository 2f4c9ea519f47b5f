#pragma once
// Stores ingested documents: page images saved beside the project with their provenance, and one
// document with its page items and words written in one transaction. Shared by the PDF and scan
// importers.

#include "core/media.h"
#include "core/result.h"
#include "core/types.h"

#include <QImage>
#include <QStringList>
#include <QVector>

namespace annotune::core::store {
class Project;
}

namespace annotune::labeling {

// One page ready to store: its image file (absolute path and facts) and its words in page pixels.
struct PageRecord {
    core::MediaProbe probe;
    QVector<core::Word> words;
};

// One source file (a PDF, a scan, a multi-page TIFF) as pages.
struct DocumentRecord {
    QString sourcePath; // absolute
    QString sha256;     // of the source file
    QVector<PageRecord> pages;
};

// What a document import did: ids of the new documents, counts, and a line per problem.
struct DocumentImportReport {
    QVector<core::Id> documents;
    int pages = 0;
    qint64 words = 0;
    int ocrPages = 0;
    int duplicates = 0;
    QStringList failed; // "file: reason", one per file that was not imported
    QStringList notes;  // "file page N: no text found", ...
};

// SHA-256 of a file's bytes in hex, or an error naming the file.
core::Result<QString> fileSha256(const QString &path);

// Where the page images of a document with this hash go: <project>-media/documents/<hash prefix>.
QString documentMediaFolder(const core::store::Project &project, const QString &sha256);

// Saves image as PNG at path with the source document's hash and page number in a text chunk
// (so identical pages of different documents stay distinct files), then probes it.
core::Result<core::MediaProbe> savePageImage(const QImage &image, const QString &path, const QString &docSha256,
                                             int pageNo);

// True when a document with this source hash, or an item with this media hash, is already stored.
core::Result<bool> alreadyImported(core::store::Project &project, const QString &sha256);

// Writes the document, one DocumentPage item per page (split chosen by the document's hash, so all
// its pages share one) and each page's words, in one transaction. Returns the document id.
core::Result<core::Id> storeDocument(core::store::Project &project, const DocumentRecord &doc);

// Removes files written for a document that was not stored, and their folder when left empty.
void removePageImages(const QStringList &files);

} // namespace annotune::labeling
