#pragma once
// A large JSON file read as a stream of array elements. A light scanner finds the members of the
// root object (or the elements of a root array) and cuts the big arrays into batches of about a
// megabyte; simdjson On-Demand parses one batch at a time. Peak memory is the file plus one
// batch's index, rather than the file plus an index for the whole file (about 1.5 bytes per
// byte of COCO), which is what keeps a million-annotation import within 3x the file size.

#include "cocojson.h"
#include "core/progress.h"

#include <functional>

namespace annotune::core::formats::coco {

// Called for each element of a walked array: the array's name ("" for a root array), the
// element, and its index in the array. May throw ParseError or simdjson_error.
using ElementFn = std::function<void(std::string_view array, od::value element, qsizetype index)>;

class JsonBatches {
public:
    // Loads path (a UTF-8 byte order mark is skipped). Fails NotFound or Io. The walks stop
    // with Cancelled between batches once cancel is set.
    Status open(const QString &path, const CancelFlag *cancel = nullptr);
    // The root must be an object; the elements of the members named in `arrays` (each must be a
    // list) go to fn in file order; other members are checked for balance and skipped.
    Status walkObject(std::initializer_list<std::string_view> arrays, const ElementFn &fn, const char *expected);
    // The root must be an array; its elements go to fn.
    Status walkArray(const ElementFn &fn, const char *expected);
    // Runs fn, turning a ParseError, SyntaxError or simdjson error it throws into a BadInput
    // error naming the file (and the line or JSON path).
    Status guarded(const std::function<void()> &fn);

private:
    struct SyntaxError {
        std::size_t offset;
        QString reason;
    };
    std::size_t skipSpace(std::size_t pos) const;
    std::size_t valueEnd(std::size_t pos) const;   // throws SyntaxError
    std::size_t stringEnd(std::size_t pos) const;  // pos at the opening quote; throws SyntaxError
    std::size_t walkElements(std::size_t pos, std::string_view name, const ElementFn &fn);
    void parseBatch(std::size_t begin, std::size_t end, std::string_view name, qsizetype first, const ElementFn &fn);
    Error lineError(std::size_t offset, const QString &reason) const;

    struct Stopped {};
    QString m_path;
    const CancelFlag *m_cancel = nullptr;
    simdjson::padded_string m_file;
    std::string_view m_text;           // the file without its byte order mark
    std::string m_batch;               // "[" + elements + "]" + padding
    std::size_t m_batchOffset = 0;     // offset in m_text of m_batch[1]
    od::parser m_parser;
    od::document m_doc;
    bool m_haveDoc = false;            // m_doc holds the current batch (its location is known)
};

} // namespace annotune::core::formats::coco
