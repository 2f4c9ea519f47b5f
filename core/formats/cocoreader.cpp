// readCoco: a COCO instances file into a Dataset, with simdjson On-Demand so that a file of a
// million annotations is read once, in order, without building a document tree.

#include "coco.h"
#include "cocobatches.h"

#include <QDir>
#include <QFileInfo>
#include <array>

namespace annotune::core::formats {

using namespace coco;

namespace {

// Reads the three arrays in whatever order the file has them. Annotations met before their
// images or categories wait in m_pending until both are known.
class InstancesReader {
public:
    explicit InstancesReader(const ReadOptions &options) : m_options(options) {}

    // Called for each element of images, categories and annotations, in file order.
    void element(std::string_view array, od::value v, qsizetype i)
    {
        if (array == "images")
            readImage(v, i);
        else if (array == "categories")
            readCategory(v, i);
        else
            readOne(v, i);
    }

    // After the walk: the annotations that waited for their image or category, then the kinds.
    void finish()
    {
        for (auto &[where, raw] : m_pending)
            place(std::move(raw), where);
        m_pending.clear();
        setKinds();
    }

    Dataset &dataset() { return m_ds; }

private:
    static od::object object(od::value v, const QString &where)
    {
        if (v.type() != od::json_type::object)
            throw ParseError{where, QStringLiteral("expected an object")};
        return v.get_object();
    }

    void readImage(od::value v, qsizetype i)
    {
        const QString where = recordName(QLatin1StringView("images"), i);
        ImageRecord img;
        img.where = where;
        std::optional<qint64> id;
        for (od::field f : object(v, where)) {
            const std::string_view key = f.unescaped_key();
            if (key == "id")
                id = integer(f.value(), Path{where, "id"});
            else if (key == "file_name")
                img.fileName = text(f.value(), Path{where, "file_name"});
            else if (key == "width" || key == "height") {
                const qint64 n = integer(f.value(), Path{where, key == "width" ? "width" : "height"});
                if (n < 0 || n > std::numeric_limits<int>::max())
                    throw ParseError{Path{where, key == "width" ? "width" : "height"}.text(), QStringLiteral("%1 is not a valid image size").arg(n)};
                (key == "width" ? img.width : img.height) = int(n);
            }
        }
        if (!id)
            throw ParseError{where, QStringLiteral("the image has no id")};
        if (img.fileName.isEmpty())
            throw ParseError{where, QStringLiteral("the image has no file_name")};
        if (qint64(img.width) * img.height > m_options.maxImagePixels)
            throw ParseError{where, QStringLiteral("%1 x %2 is larger than the %3 pixels allowed").arg(img.width).arg(img.height).arg(m_options.maxImagePixels)};
        if (auto other = m_imageById.constFind(*id); other != m_imageById.constEnd())
            throw ParseError{Path{where, "id"}.text(), QStringLiteral("image id %1 is used twice (also %2)").arg(*id).arg(m_ds.images[*other].where)};
        m_imageById.insert(*id, int(m_ds.images.size()));
        m_ds.images.append(std::move(img));
    }

    void readCategory(od::value v, qsizetype i)
    {
        const QString where = recordName(QLatin1StringView("categories"), i);
        std::optional<qint64> id;
        QString name, super;
        for (od::field f : object(v, where)) {
            const std::string_view key = f.unescaped_key();
            if (key == "id")
                id = integer(f.value(), Path{where, "id"});
            else if (key == "name")
                name = text(f.value(), Path{where, "name"});
            else if (key == "supercategory" && f.value().type() == od::json_type::string)
                super = text(f.value(), Path{where, "supercategory"});
        }
        if (!id)
            throw ParseError{where, QStringLiteral("the category has no id")};
        if (name.trimmed().isEmpty())
            throw ParseError{where, QStringLiteral("the category has no name")};
        if (m_classById.contains(*id))
            throw ParseError{Path{where, "id"}.text(), QStringLiteral("category id %1 is used twice").arg(*id)};
        m_classById.insert(*id, m_ds.classIndex(name));
        m_supercategories += super.isEmpty() ? 0 : 1;
    }

    // Placed now when its image and category are known, else once the whole file is read.
    void readOne(od::value v, qsizetype i)
    {
        const QString where = recordName(QLatin1StringView("annotations"), i);
        RawAnnotation raw = readAnnotation(object(v, where), where);
        const bool known = (!raw.imageId || m_imageById.contains(*raw.imageId)) && (!raw.categoryId || m_classById.contains(*raw.categoryId));
        if (known)
            place(std::move(raw), where);
        else
            m_pending.emplace_back(where, std::move(raw));
    }

    // Looks up the annotation's image and category and appends it to the image as a label.
    void place(RawAnnotation &&raw, const QString &where)
    {
        if (raw.caption || raw.panoptic) {
            ++(raw.caption ? m_captions : m_panoptic);
            return;
        }
        if (!raw.imageId)
            throw ParseError{where, QStringLiteral("the annotation has no image_id")};
        const auto image = m_imageById.constFind(*raw.imageId);
        if (image == m_imageById.constEnd())
            throw ParseError{Path{where, "image_id"}.text(), QStringLiteral("no image has id %1").arg(*raw.imageId)};
        if (!raw.categoryId)
            throw ParseError{where, QStringLiteral("the annotation has no category_id")};
        const auto category = m_classById.constFind(*raw.categoryId);
        if (category == m_classById.constEnd())
            throw ParseError{Path{where, "category_id"}.text(), QStringLiteral("no category has id %1").arg(*raw.categoryId)};
        // Annotations usually come grouped by image: trim the last image's list when they move on,
        // so that growth slack does not add up over a million labels.
        if (m_lastImage >= 0 && m_lastImage != *image)
            m_ds.images[m_lastImage].labels.squeeze();
        m_lastImage = *image;
        ImageRecord &img = m_ds.images[*image];
        LabelRecord label = toLabel(std::move(raw), *category, img.width, img.height, where);
        if (m_kinds.size() < m_ds.classes.size())
            m_kinds.resize(m_ds.classes.size());
        ++m_kinds[*category][std::size_t(label.kind)];
        img.labels.append(std::move(label));
    }

    // Each class is drawn as the kind most of its labels have; what was skipped is said once.
    void setKinds()
    {
        for (qsizetype c = 0; c < m_kinds.size(); ++c) {
            const auto &counts = m_kinds[c];
            const auto most = std::max_element(counts.begin(), counts.end());
            if (*most > 0)
                m_ds.classes[c].kind = ClassKind(most - counts.begin());
        }
        if (m_captions)
            m_ds.warnings << QStringLiteral("%1 captions were not imported (a project has no place for them)").arg(m_captions);
        if (m_panoptic)
            m_ds.warnings << QStringLiteral("%1 panoptic annotations were not imported (their segments live in PNG files)").arg(m_panoptic);
        if (m_supercategories)
            m_ds.warnings << QStringLiteral("%1 categories have a supercategory, which a project does not keep").arg(m_supercategories);
    }

    const ReadOptions &m_options;
    Dataset m_ds;
    QHash<qint64, int> m_imageById;
    int m_lastImage = -1;
    QHash<qint64, int> m_classById;
    QVector<std::array<qint64, 8>> m_kinds;  // per class: labels by AnnotationKind
    std::vector<std::pair<QString, RawAnnotation>> m_pending;
    qint64 m_captions = 0, m_panoptic = 0, m_supercategories = 0;
};

} // namespace

Result<Dataset> readCoco(const QString &path, const ReadOptions &options)
{
    JsonBatches file;
    if (Status st = file.open(path, options.cancel); !st)
        return st.error();
    InstancesReader reader(options);
    const auto element = [&](std::string_view array, od::value v, qsizetype i) { reader.element(array, v, i); };
    Status st = file.walkObject({"images", "categories", "annotations"}, element,
                                "not a COCO instances file (expected a JSON object with images, categories and annotations)");
    if (st)
        st = file.guarded([&] { reader.finish(); });
    if (!st)
        return st.error();
    Dataset &ds = reader.dataset();
    ds.source = path;
    return std::move(ds);
}

QString cocoImagesRoot(const QString &path)
{
    const QFileInfo info(path);
    const QDir folder = info.absoluteDir();
    if (folder.dirName() == QLatin1String("annotations")) {
        const QString base = info.completeBaseName();
        const QString subset = base.mid(base.lastIndexOf(QLatin1Char('_')) + 1);
        QDir root = folder;
        root.cdUp();
        for (const QString &candidate : {QStringLiteral("images/") + subset, subset, QStringLiteral("images")})
            if (!subset.isEmpty() && root.exists(candidate))
                return root.filePath(candidate);
        return root.path();
    }
    return folder.path();
}

} // namespace annotune::core::formats
