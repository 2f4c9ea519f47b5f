// readCocoResults: a COCO results file (detections of a model) into a Dataset whose images are
// the project items the results name by id.

#include "coco.h"
#include "cocobatches.h"

namespace annotune::core::formats {

using namespace coco;

namespace {

// Turns each result into a label of the image its image_id names.
class ResultsReader {
public:
    explicit ResultsReader(const ReadOptions &options) : m_options(options) {}

    void element(od::value v, qsizetype i)
    {
        const QString where = recordName(QLatin1StringView(), i);
        if (v.type() != od::json_type::object)
            throw ParseError{where, QStringLiteral("expected an object")};
        place(readAnnotation(v.get_object(), where), where);
    }

    Dataset &dataset() { return m_ds; }

private:
    void place(RawAnnotation &&raw, const QString &where)
    {
        if (!raw.imageId)
            throw ParseError{where, QStringLiteral("the result has no image_id")};
        if (!raw.categoryId)
            throw ParseError{where, QStringLiteral("the result has no category_id")};
        if (!raw.score)
            throw ParseError{where, QStringLiteral("the result has no score")};
        if (!raw.bbox && raw.polygons.isEmpty() && raw.rle.isEmpty())
            throw ParseError{where, QStringLiteral("the result has neither bbox nor segmentation")};
        const int image = imageIndex(*raw.imageId, where);
        const int cls = classIndex(*raw.categoryId, where);
        m_ds.images[image].labels.append(toLabel(std::move(raw), cls, 0, 0, where));
    }

    int imageIndex(qint64 id, const QString &where)
    {
        if (auto it = m_images.constFind(id); it != m_images.constEnd())
            return *it;
        const auto name = m_options.fileNamesById.constFind(id);
        if (name == m_options.fileNamesById.constEnd())
            throw ParseError{Path{where, "image_id"}.text(),
                             QStringLiteral("no project image has id %1 (results name images by the ids of this project's COCO export)").arg(id)};
        ImageRecord img;
        img.fileName = *name;
        img.where = QStringLiteral("image_id %1").arg(id);
        m_images.insert(id, int(m_ds.images.size()));
        m_ds.images.append(img);
        return int(m_ds.images.size() - 1);
    }

    int classIndex(qint64 id, const QString &where)
    {
        const auto name = m_options.classNamesById.constFind(id);
        if (name == m_options.classNamesById.constEnd())
            throw ParseError{Path{where, "category_id"}.text(),
                             QStringLiteral("no project class has id %1 (results name classes by the category ids of this project's COCO export)").arg(id)};
        return m_ds.classIndex(*name);
    }

    const ReadOptions &m_options;
    Dataset m_ds;
    QHash<qint64, int> m_images;
};

} // namespace

Result<Dataset> readCocoResults(const QString &path, const ReadOptions &options)
{
    JsonBatches file;
    if (Status st = file.open(path, options.cancel); !st)
        return st.error();
    ResultsReader reader(options);
    const auto element = [&](std::string_view, od::value v, qsizetype i) { reader.element(v, i); };
    if (Status st = file.walkArray(element, "not a COCO results file (expected a JSON list of detections)"); !st)
        return st.error();
    Dataset &ds = reader.dataset();
    ds.source = path;
    return std::move(ds);
}

} // namespace annotune::core::formats
