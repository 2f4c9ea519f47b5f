#pragma once
// Writes the rendered demo into a project: the label schema, the shapes images with their boxes,
// polygons and tags, and the invoices as documents with their words and field labels. The caller
// wraps the calls in one transaction.

#include "core/result.h"
#include "labeling/demoinvoices.h"
#include "labeling/demoproject.h"
#include "labeling/demoshapes.h"

#include <QHash>

namespace annotune::core::store {
class Project;
}

namespace annotune::labeling {

// One rendered shapes image as written to disk: its file facts and its labels, without pixels.
struct RenderedShapes {
    MediaProbe probe;
    QVector<ShapeObject> objects;
    QString tag;
    QString error; // non-empty: why the image could not be written
};

// One rendered invoice page as written to disk.
struct RenderedInvoice {
    MediaProbe probe;
    QVector<PageWord> words;
    QVector<InvoiceField> fields;
    QString error;
};

// Items whose index gives 2 modulo 3 are left unlabeled: a third of the images and of the invoices.
inline bool leftUnlabeled(int index) { return index % 3 == 2; }

class DemoWriter {
public:
    DemoWriter(core::store::Project &project, quint32 seed) : m_project(project), m_seed(seed) {}

    // Adds every class of the demo schema: shape classes, scene tags, invoice fields.
    core::Status writeClasses();
    core::Status writeShapes(const QList<RenderedShapes> &shapes);
    core::Status writeInvoices(const QList<RenderedInvoice> &invoices);

    DemoReport report() const { return m_report; }

private:
    core::Item itemFor(const MediaProbe &probe, core::ItemKind kind, int index) const;
    core::Annotation shapeAnnotation(core::Id itemId, const ShapeObject &object) const;
    core::Status writeInvoiceWords(core::Id itemId, const RenderedInvoice &invoice, bool labelled,
                                   QVector<core::Annotation> &fields);

    core::store::Project &m_project;
    quint32 m_seed = 0;
    QHash<QString, core::LabelClass> m_classes; // by name, with their ids once written
    DemoReport m_report;
};

} // namespace annotune::labeling
