#include "core/eval/cocojson.h"

#include "core/eval/rle.h"

#include <simdjson.h>

namespace annotune::core::eval {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// Where a record is, for messages: "annotations[12] (id 57)".
QString where(const char *list, size_t index, int64_t id = -1)
{
    QString w = QStringLiteral("%1[%2]").arg(QLatin1String(list)).arg(index);
    return id >= 0 ? w + QStringLiteral(" (id %1)").arg(id) : w;
}

std::optional<double> number(element e)
{
    double v = 0;
    if (e.get_double().get(v))
        return std::nullopt;
    return v;
}

// COCO ids are integers; a float id with no fraction (1.0) is taken as that integer.
std::optional<int64_t> integer(element e)
{
    int64_t v = 0;
    if (!e.get_int64().get(v))
        return v;
    const auto d = number(e);
    if (d && *d == static_cast<double>(static_cast<int64_t>(*d)))
        return static_cast<int64_t>(*d);
    return std::nullopt;
}

std::optional<int64_t> integerField(object o, const char *key)
{
    element e;
    if (o[key].get(e))
        return std::nullopt;
    return integer(e);
}

Result<std::vector<double>> numbers(array a, const char *what)
{
    std::vector<double> out;
    out.reserve(a.size());
    for (element e : a) {
        const auto v = number(e);
        if (!v)
            return makeError(ErrorCode::BadInput, QStringLiteral("%1 holds a value that is not a number").arg(QLatin1String(what)));
        out.push_back(*v);
    }
    return out;
}

Result<Segmentation> readSegmentation(element e)
{
    Segmentation s;
    array polys;
    if (!e.get_array().get(polys)) {
        for (element p : polys) {
            array coords;
            if (p.get_array().get(coords))
                return makeError(ErrorCode::BadInput, QStringLiteral("segmentation polygon is not an array"));
            auto xy = numbers(coords, "segmentation polygon");
            if (!xy)
                return xy.error();
            s.polygons.push_back(std::move(*xy));
        }
        return s;
    }
    object rle;
    array size;
    if (e.get_object().get(rle) || rle["size"].get_array().get(size) || size.size() != 2)
        return makeError(ErrorCode::BadInput, QStringLiteral("segmentation is neither polygons nor an RLE with size [h, w]"));
    Rle mask;
    mask.height = static_cast<int>(integer(size.at(0).value_unsafe()).value_or(-1));
    mask.width = static_cast<int>(integer(size.at(1).value_unsafe()).value_or(-1));
    if (mask.height < 0 || mask.width < 0)
        return makeError(ErrorCode::BadInput, QStringLiteral("RLE size is not two non-negative integers"));
    std::string_view text;
    array counts;
    if (!rle["counts"].get_string().get(text)) {
        auto decoded = decodeRleString(text);
        if (!decoded)
            return decoded.error();
        mask.counts = std::move(*decoded);
    } else if (!rle["counts"].get_array().get(counts)) {
        for (element c : counts)
            mask.counts.push_back(static_cast<uint32_t>(integer(c).value_or(0)));
    } else {
        return makeError(ErrorCode::BadInput, QStringLiteral("RLE has no counts"));
    }
    s.rle = std::move(mask);
    return s;
}

// The fields shared by annotations and detections: image, category, bbox, segmentation.
Status readObject(object o, CocoObject &out)
{
    const auto image = integerField(o, "image_id");
    const auto category = integerField(o, "category_id");
    if (!image || !category)
        return makeError(ErrorCode::BadInput, QStringLiteral("has no integer image_id and category_id"));
    out.imageId = *image;
    out.categoryId = *category;
    array bbox;
    if (!o["bbox"].get_array().get(bbox) && bbox.size() > 0) {
        auto v = numbers(bbox, "bbox");
        if (!v || v->size() != 4)
            return makeError(ErrorCode::BadInput, QStringLiteral("bbox is not four numbers [x, y, width, height]"));
        std::copy(v->begin(), v->end(), out.bbox.begin());
        out.hasBbox = true;
    }
    element seg;
    if (!o["segmentation"].get(seg) && !seg.is_null()) {
        auto s = readSegmentation(seg);
        if (!s)
            return s.error();
        out.segmentation = std::move(*s);
    }
    return {};
}

Error recordError(const QString &source, const QString &record, const QString &reason)
{
    return makeError(ErrorCode::BadInput, QStringLiteral("%1: %2 %3").arg(source, record, reason));
}

Result<element> parse(simdjson::dom::parser &parser, const simdjson::padded_string &json, const QString &source)
{
    element root;
    if (auto err = parser.parse(json).get(root))
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: not valid JSON (%2)").arg(source, QString::fromUtf8(simdjson::error_message(err))));
    return root;
}

Status readImagesAndCategories(object root, CocoGroundTruth &gt)
{
    array images, categories;
    if (root["images"].get_array().get(images) || root["categories"].get_array().get(categories))
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: has no \"images\" or \"categories\" array").arg(gt.source));
    size_t i = 0;
    for (element e : images) {
        object o;
        const auto id = e.get_object().get(o) ? std::nullopt : integerField(o, "id");
        if (!id)
            return recordError(gt.source, where("images", i), QStringLiteral("has no integer id"));
        const int w = static_cast<int>(integerField(o, "width").value_or(0));
        const int h = static_cast<int>(integerField(o, "height").value_or(0));
        gt.images.push_back({*id, w, h});
        ++i;
    }
    i = 0;
    for (element e : categories) {
        object o;
        const auto id = e.get_object().get(o) ? std::nullopt : integerField(o, "id");
        if (!id)
            return recordError(gt.source, where("categories", i), QStringLiteral("has no integer id"));
        std::string_view name;
        if (o["name"].get_string().get(name))
            name = {};
        gt.categories.push_back({*id, QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()))});
        ++i;
    }
    return {};
}

Result<simdjson::padded_string> loadFile(const QString &path)
{
    simdjson::padded_string text;
    if (simdjson::padded_string::load(path.toStdString()).get(text))
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: cannot be read").arg(path));
    return text;
}

Result<CocoGroundTruth> parsePaddedGroundTruth(const simdjson::padded_string &json, const QString &source)
{
    simdjson::dom::parser parser;
    auto root = parse(parser, json, source);
    if (!root)
        return root.error();
    CocoGroundTruth gt;
    gt.source = source;
    object top;
    array annotations;
    if (root->get_object().get(top) || top["annotations"].get_array().get(annotations))
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: is not a COCO ground-truth object with an \"annotations\" array").arg(source));
    if (auto s = readImagesAndCategories(top, gt); !s)
        return s.error();
    gt.annotations.reserve(annotations.size());
    size_t i = 0;
    for (element e : annotations) {
        object o;
        CocoObject a;
        a.id = e.get_object().get(o) ? -1 : integerField(o, "id").value_or(-1);
        if (a.id < 0)
            return recordError(source, where("annotations", i), QStringLiteral("has no integer id"));
        if (auto s = readObject(o, a); !s)
            return recordError(source, where("annotations", i, a.id), s.error().message);
        element area;
        if (!o["area"].get(area))
            a.area = number(area).value_or(-1);
        a.crowd = integerField(o, "iscrowd").value_or(0) != 0;
        gt.annotations.push_back(std::move(a));
        ++i;
    }
    return gt;
}

Result<CocoDetections> parsePaddedDetections(const simdjson::padded_string &json, const QString &source)
{
    simdjson::dom::parser parser;
    auto root = parse(parser, json, source);
    if (!root)
        return root.error();
    array list;
    if (root->get_array().get(list))
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: is not a COCO results array").arg(source));
    CocoDetections dt;
    dt.source = source;
    dt.detections.reserve(list.size());
    size_t i = 0;
    for (element e : list) {
        object o;
        CocoObject d;
        d.id = static_cast<int64_t>(i + 1);
        if (e.get_object().get(o))
            return recordError(source, where("results", i), QStringLiteral("is not an object"));
        if (auto s = readObject(o, d); !s)
            return recordError(source, where("results", i), s.error().message);
        element score;
        if (o["score"].get(score) || !number(score))
            return recordError(source, where("results", i), QStringLiteral("has no numeric score"));
        d.score = *number(score);
        if (!d.hasBbox && d.segmentation.empty())
            return recordError(source, where("results", i), QStringLiteral("has neither bbox nor segmentation"));
        if (d.hasBbox)
            d.area = d.bbox[2] * d.bbox[3]; // pycocotools' loadRes: box results get the box area
        dt.detections.push_back(std::move(d));
        ++i;
    }
    return dt;
}

} // namespace

Result<CocoGroundTruth> parseCocoGroundTruth(std::string_view json, const QString &source)
{
    return parsePaddedGroundTruth(simdjson::padded_string(json), source);
}

Result<CocoDetections> parseCocoDetections(std::string_view json, const QString &source)
{
    return parsePaddedDetections(simdjson::padded_string(json), source);
}

Result<CocoGroundTruth> readCocoGroundTruth(const QString &path)
{
    auto text = loadFile(path);
    if (!text)
        return text.error();
    return parsePaddedGroundTruth(*text, path);
}

Result<CocoDetections> readCocoDetections(const QString &path)
{
    auto text = loadFile(path);
    if (!text)
        return text.error();
    return parsePaddedDetections(*text, path);
}

} // namespace annotune::core::eval
