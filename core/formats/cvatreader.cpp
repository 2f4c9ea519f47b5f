#include "cvatformat.h"
#include "cvatshapes.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QSet>
#include <QXmlStreamReader>

namespace annotune::core::formats {
namespace {

// Streams one CVAT for images file into a Dataset, stopping at the first error with its line.
class CvatReader {
public:
    CvatReader(QIODevice *device, const QString &path, const ReadOptions &options) : m_options(options)
    {
        m_xml.setDevice(device);
        m_ds.source = path;
    }
    Result<Dataset> read();

private:
    Status readProlog();
    Status readTopLevel();
    Status walkMeta();
    Status readLabel();
    Status readImage();
    Status readImageChildren(ImageRecord &img);
    Status readShape(ImageRecord &img, const QString &element, int ordinal);
    Status readShapeChildren(QJsonObject &attrs, const QString &where);
    void useClass(LabelRecord &l, const QString &name);
    void finishWarnings();

    Status endOf() const { return m_xml.hasError() ? xmlError() : Status{}; }
    Error xmlError() const;
    Error lineError(const QString &reason) const
    {
        return makeError(ErrorCode::BadInput, QStringLiteral("%1:%2: %3").arg(m_ds.source).arg(m_xml.lineNumber()).arg(reason));
    }
    Error recordError(const QString &where, const QString &reason) const
    {
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: %2: %3").arg(m_ds.source, where, reason));
    }
    QString line() const { return QStringLiteral(" (line %1)").arg(m_xml.lineNumber()); }
    void warn(const QString &what) { ++m_warnings[what]; }

    QXmlStreamReader m_xml;
    const ReadOptions &m_options;
    Dataset m_ds;
    bool m_isProject = false;
    QVector<bool> m_kindKnown;        // per class: kind declared in <meta> or taken from a use
    QSet<QString> m_declared;         // label names in <meta>
    QMap<QString, int> m_undeclared;  // label name -> uses, for labels missing from <meta>
    QSet<QString> m_imageKeys;        // subset + id, to find duplicates
    qint64 m_attributeSpecs = 0;
    QMap<QString, qint64> m_warnings; // reason -> count
};

Error CvatReader::xmlError() const
{
    if (m_xml.error() == QXmlStreamReader::PrematureEndOfDocumentError)
        return lineError(QStringLiteral("the XML ends early (truncated file?)"));
    // The decoder runs ahead of the parser, so the line number would mislead here.
    if (m_xml.error() == QXmlStreamReader::NotWellFormedError && m_xml.errorString().contains(QLatin1String("encoded")))
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: the text is not valid in the file's encoding (UTF-8 unless it declares another)").arg(m_ds.source));
    if (m_xml.error() == QXmlStreamReader::NoError)
        return lineError(QStringLiteral("the file holds no XML element"));
    return lineError(QStringLiteral("not well-formed XML: %1").arg(m_xml.errorString()));
}

Result<Dataset> CvatReader::read()
{
    if (Status st = readProlog(); !st)
        return st.error();
    if (m_xml.name() != u"annotations")
        return lineError(QStringLiteral("the root element is <%1>, not <annotations>: not a CVAT XML file").arg(m_xml.name()));
    if (Status st = readTopLevel(); !st)
        return st.error();
    finishWarnings();
    return std::move(m_ds);
}

// Everything before the root element; a DTD is refused before any entity could expand.
Status CvatReader::readProlog()
{
    while (!m_xml.atEnd()) {
        const auto token = m_xml.readNext();
        if (token == QXmlStreamReader::DTD)
            return lineError(QStringLiteral("DTD and entities are not allowed"));
        if (token == QXmlStreamReader::StartElement)
            return {};
    }
    return xmlError();
}

Status CvatReader::readTopLevel()
{
    while (m_xml.readNextStartElement()) {
        Status st;
        if (m_xml.name() == u"version") {
            const QString version = m_xml.readElementText().trimmed();
            if (version != u"1.1" && version != u"1.0")
                warn(QStringLiteral("CVAT XML version %1 is not 1.1; read as 1.1").arg(version));
        } else if (m_xml.name() == u"meta") {
            st = walkMeta();
        } else if (m_xml.name() == u"image") {
            st = readImage();
        } else if (m_xml.name() == u"track") {
            return lineError(QStringLiteral("<track id=\"%1\">: CVAT for video is not supported; export as CVAT for images")
                                 .arg(m_xml.attributes().value(QLatin1String("id"))));
        } else {
            warn(QStringLiteral("unknown elements under <annotations> were skipped (<%1>)").arg(m_xml.name()));
            m_xml.skipCurrentElement();
        }
        if (!st)
            return st;
        if (cancelled(m_options.cancel))
            return makeError(ErrorCode::Cancelled, QStringLiteral("%1: reading cancelled").arg(m_ds.source));
    }
    return endOf();
}

// <meta> holds <task> or <project> with <labels> somewhere below; everything else is informational.
Status CvatReader::walkMeta()
{
    while (m_xml.readNextStartElement()) {
        Status st;
        if (m_xml.name() == u"label") {
            st = readLabel();
        } else {
            if (m_xml.name() == u"project")
                m_isProject = true;
            st = walkMeta();
        }
        if (!st)
            return st;
    }
    return endOf();
}

Status CvatReader::readLabel()
{
    const QString at = QStringLiteral("<label>") + line();
    QString name, type;
    while (m_xml.readNextStartElement()) {
        if (m_xml.name() == u"name") {
            name = m_xml.readElementText();
        } else if (m_xml.name() == u"type") {
            type = m_xml.readElementText().trimmed();
        } else if (m_xml.name() == u"attributes") {
            while (m_xml.readNextStartElement()) {
                m_attributeSpecs += m_xml.name() == u"attribute";
                m_xml.skipCurrentElement();
            }
        } else {
            m_xml.skipCurrentElement();
        }
    }
    if (m_xml.hasError())
        return xmlError();
    if (name.trimmed().isEmpty())
        return recordError(at, QStringLiteral("a label without a <name>"));
    if (m_declared.contains(name))
        return {};
    m_declared.insert(name);
    const auto kind = classKindFromCvatType(type);
    const int index = m_ds.classIndex(name, kind.value_or(ClassKind::Box));
    m_kindKnown.resize(m_ds.classes.size());
    m_kindKnown[index] = kind.has_value();
    return {};
}

std::optional<Split> splitFromSubset(QStringView subset)
{
    const QString s = subset.toString().toLower();
    if (s == u"train")
        return Split::Train;
    if (s == u"val" || s == u"valid" || s == u"validation")
        return Split::Val;
    if (s == u"test")
        return Split::Test;
    return std::nullopt;
}

Status CvatReader::readImage()
{
    const QXmlStreamAttributes a = m_xml.attributes();
    const QString name = a.value(QLatin1String("name")).toString();
    const QString at = QStringLiteral("<image id=\"%1\" name=\"%2\">").arg(a.value(QLatin1String("id")), name);
    bool okId = false, okW = false, okH = false;
    const int id = a.value(QLatin1String("id")).toInt(&okId);
    const int width = a.value(QLatin1String("width")).toInt(&okW), height = a.value(QLatin1String("height")).toInt(&okH);
    if (!okId || id < 0)
        return recordError(at + line(), QStringLiteral("the image id is missing or not a whole number"));
    if (name.isEmpty())
        return recordError(at + line(), QStringLiteral("the image has no name"));
    if (!okW || !okH)
        return recordError(at + line(), QStringLiteral("the image has no width and height (CVAT for images gives every image's size)"));
    if (width <= 0 || height <= 0)
        return recordError(at + line(), QStringLiteral("image size %1 x %2 is not positive").arg(width).arg(height));
    if (qint64(width) * height > m_options.maxImagePixels)
        return recordError(at + line(), QStringLiteral("%1 x %2 pixels is over the limit of %3").arg(width).arg(height).arg(m_options.maxImagePixels));
    const QString subset = a.value(QLatin1String("subset")).toString();
    if (m_imageKeys.contains(subset + QLatin1Char('\n') + QString::number(id)))
        return recordError(at + line(), QStringLiteral("image id %1 appears twice%2").arg(id).arg(subset.isEmpty() ? QString() : QStringLiteral(" in subset %1").arg(subset)));
    m_imageKeys.insert(subset + QLatin1Char('\n') + QString::number(id));

    ImageRecord img;
    // Project exports keep each subset's images in images/<subset>/.
    img.fileName = m_isProject && !subset.isEmpty() ? subset + QLatin1Char('/') + name : name;
    img.width = width;
    img.height = height;
    img.where = at;
    img.split = splitFromSubset(subset);
    if (!subset.isEmpty() && !img.split)
        warn(QStringLiteral("images in subsets other than train/val/test keep the project's split (subset %1)").arg(subset));
    if (Status st = readImageChildren(img); !st)
        return st;
    m_ds.images.append(std::move(img));
    return {};
}

Status CvatReader::readImageChildren(ImageRecord &img)
{
    QHash<QString, int> ordinals;
    while (m_xml.readNextStartElement()) {
        const QString element = m_xml.name().toString();
        if (cvat::shapeKind(element)) {
            if (Status st = readShape(img, element, ++ordinals[element]); !st)
                return st;
        } else {
            warn(QStringLiteral("unknown elements inside <image> were skipped (<%1>)").arg(element));
            m_xml.skipCurrentElement();
        }
    }
    return endOf();
}

Status CvatReader::readShape(ImageRecord &img, const QString &element, int ordinal)
{
    const QString where = QStringLiteral("%1 %2 %3").arg(img.where, element).arg(ordinal) + line();
    const QXmlStreamAttributes a = m_xml.attributes();
    if (!a.hasAttribute(QLatin1String("label")))
        return recordError(where, QStringLiteral("the label attribute is missing"));
    LabelRecord l;
    l.where = where;
    if (QString reason = cvat::parseShape(element, a, l); !reason.isEmpty())
        return recordError(where, reason);
    if (Status st = readShapeChildren(l.attributes, where); !st)
        return st;
    const QString label = a.value(QLatin1String("label")).toString();
    if (label.isEmpty()) {
        warn(QStringLiteral("shapes with an empty label were skipped"));
        return {};
    }
    useClass(l, label);
    img.labels.append(std::move(l));
    return {};
}

// A shape's <attribute name="...">value</attribute> children, kept as text under "attributes".
Status CvatReader::readShapeChildren(QJsonObject &attrs, const QString &where)
{
    QJsonObject values;
    while (m_xml.readNextStartElement()) {
        if (m_xml.name() == u"attribute") {
            const QString name = m_xml.attributes().value(QLatin1String("name")).toString();
            if (name.isEmpty())
                return recordError(where, QStringLiteral("an <attribute> without a name") + line());
            values.insert(name, m_xml.readElementText());
        } else {
            warn(QStringLiteral("unknown elements inside shapes were skipped (<%1>)").arg(m_xml.name()));
            m_xml.skipCurrentElement();
        }
    }
    if (!values.isEmpty())
        attrs.insert(QStringLiteral("attributes"), values);
    return endOf();
}

// The class for a shape's label; a label <meta> did not declare still becomes a class.
void CvatReader::useClass(LabelRecord &l, const QString &name)
{
    if (!m_declared.contains(name))
        ++m_undeclared[name];
    static_assert(int(ClassKind::Mask) == int(AnnotationKind::Mask) && int(ClassKind::Polyline) == int(AnnotationKind::Polyline));
    const ClassKind kind = ClassKind(int(l.kind)); // the two enums list the same kinds in the same order
    l.classIndex = m_ds.classIndex(name, kind);
    m_kindKnown.resize(m_ds.classes.size());
    if (!m_kindKnown[l.classIndex]) {
        m_ds.classes[l.classIndex].kind = kind;
        m_kindKnown[l.classIndex] = true;
    }
}

void CvatReader::finishWarnings()
{
    for (auto it = m_warnings.constBegin(); it != m_warnings.constEnd(); ++it)
        m_ds.warnings << QStringLiteral("%1: %2").arg(it.key()).arg(it.value());
    if (!m_undeclared.isEmpty()) {
        QStringList uses;
        for (auto it = m_undeclared.constBegin(); it != m_undeclared.constEnd(); ++it)
            uses << QStringLiteral("%1 (%2)").arg(it.key()).arg(it.value());
        m_ds.warnings << QStringLiteral("labels used but not declared in <meta> were imported as classes: %1").arg(uses.join(QStringLiteral(", ")));
    }
    if (m_attributeSpecs)
        m_ds.warnings << QStringLiteral("label attribute definitions in <meta> were not kept (shapes keep their values): %1").arg(m_attributeSpecs);
}

} // namespace

Result<Dataset> readCvat(const QString &path, const ReadOptions &options)
{
    const QString file = QFileInfo(path).isDir() ? QDir(path).filePath(QStringLiteral("annotations.xml")) : path;
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(QFileInfo::exists(file) ? ErrorCode::Io : ErrorCode::NotFound,
                         QStringLiteral("%1: cannot open (%2)").arg(file, in.errorString()));
    return CvatReader(&in, file, options).read();
}

} // namespace annotune::core::formats
