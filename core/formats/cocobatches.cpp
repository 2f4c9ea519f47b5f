#include "cocobatches.h"

#include <QFile>
#include <QFileInfo>
#include <algorithm>
#include <array>
#include <cstring>

namespace annotune::core::formats::coco {
namespace {

constexpr std::size_t kBatchBytes = 1 << 20;
constexpr std::size_t kNone = std::string_view::npos;

bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The bytes the scanner stops at inside a list or object: quotes and brackets.
constexpr std::array<bool, 256> kStops = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : {'"', '{', '[', '}', ']'})
        t[c] = true;
    return t;
}();

} // namespace

Status JsonBatches::open(const QString &path, const CancelFlag *cancel)
{
    m_path = path;
    m_cancel = cancel;
    if (!QFileInfo(path).isFile())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no such file").arg(path));
    if (simdjson::padded_string::load(QFile::encodeName(path).toStdString()).get(m_file) != simdjson::SUCCESS)
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot read the file").arg(path));
    m_text = std::string_view(m_file);
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF")
        m_text.remove_prefix(3);
    return {};
}

std::size_t JsonBatches::skipSpace(std::size_t pos) const
{
    while (pos < m_text.size() && isSpace(m_text[pos]))
        ++pos;
    return pos;
}

// A quote ends the string unless an odd run of backslashes comes right before it.
std::size_t JsonBatches::stringEnd(std::size_t pos) const
{
    const char *begin = m_text.data();
    const char *end = begin + m_text.size();
    for (const char *from = begin + pos + 1; from < end;) {
        const auto *quote = static_cast<const char *>(std::memchr(from, '"', std::size_t(end - from)));
        if (!quote)
            break;
        std::size_t slashes = 0;
        while (quote - slashes > begin + pos + 1 && quote[-1 - std::ptrdiff_t(slashes)] == '\\')
            ++slashes;
        if (slashes % 2 == 0)
            return std::size_t(quote - begin) + 1;
        from = quote + 1;
    }
    throw SyntaxError{m_text.size(), QStringLiteral("the JSON is truncated inside a string")};
}

std::size_t JsonBatches::valueEnd(std::size_t pos) const
{
    if (pos >= m_text.size())
        throw SyntaxError{pos, QStringLiteral("the JSON is truncated (a value is missing)")};
    const char c = m_text[pos];
    if (c == '"')
        return stringEnd(pos);
    if (c != '{' && c != '[') {
        std::size_t end = pos;
        while (end < m_text.size() && !isSpace(m_text[end]) && !std::strchr(",]}:", m_text[end]))
            ++end;
        if (end == pos)
            throw SyntaxError{pos, QStringLiteral("the JSON is malformed (unexpected '%1')").arg(QChar(c))};
        return end;
    }
    std::string closers(1, c == '{' ? '}' : ']');
    const std::size_t size = m_text.size();
    for (std::size_t i = pos + 1; i < size; ++i) {
        while (i < size && !kStops[static_cast<unsigned char>(m_text[i])])
            ++i;
        if (i == size)
            break;
        const char d = m_text[i];
        if (d == '"')
            i = stringEnd(i) - 1;
        else if (d == '{' || d == '[')
            closers.push_back(d == '{' ? '}' : ']');
        else if (d == '}' || d == ']') {
            if (d != closers.back())
                throw SyntaxError{i, QStringLiteral("the JSON is malformed ('%1' where '%2' was expected)").arg(QChar(d), QChar(closers.back()))};
            closers.pop_back();
            if (closers.empty())
                return i + 1;
        }
    }
    throw SyntaxError{m_text.size(), QStringLiteral("the JSON is truncated (it ends inside a list or object)")};
}

// pos is at '['; hands the elements to fn in batches; returns the position after ']'.
std::size_t JsonBatches::walkElements(std::size_t pos, std::string_view name, const ElementFn &fn)
{
    pos = skipSpace(pos + 1);
    if (pos < m_text.size() && m_text[pos] == ']')
        return pos + 1;
    qsizetype index = 0, batchFirst = 0;
    std::size_t batchBegin = pos;
    for (;;) {
        const std::size_t end = valueEnd(pos);
        ++index;
        pos = skipSpace(end);
        const bool last = pos < m_text.size() && m_text[pos] == ']';
        if (!last && (pos >= m_text.size() || m_text[pos] != ','))
            throw SyntaxError{pos, QStringLiteral("the JSON is malformed or truncated (',' or ']' expected)")};
        if (last || end - batchBegin >= kBatchBytes) {
            parseBatch(batchBegin, end, name, batchFirst, fn);
            batchFirst = index;
            batchBegin = skipSpace(pos + 1);
        }
        if (last)
            return pos + 1;
        pos = skipSpace(pos + 1);
    }
}

void JsonBatches::parseBatch(std::size_t begin, std::size_t end, std::string_view name, qsizetype first, const ElementFn &fn)
{
    if (cancelled(m_cancel))
        throw Stopped{};
    const std::size_t length = end - begin + 2;
    m_batch.assign(length + simdjson::SIMDJSON_PADDING, ' ');
    m_batch[0] = '[';
    std::memcpy(m_batch.data() + 1, m_text.data() + begin, end - begin);
    m_batch[length - 1] = ']';
    m_batchOffset = begin;
    m_haveDoc = false;
    m_doc = m_parser.iterate(m_batch.data(), length, m_batch.size());
    m_haveDoc = true;
    qsizetype index = first;
    for (od::value v : m_doc.get_array())
        fn(name, v, index++);
}

Status JsonBatches::walkObject(std::initializer_list<std::string_view> arrays, const ElementFn &fn, const char *expected)
{
    return guarded([&] {
        std::size_t pos = skipSpace(0);
        if (pos >= m_text.size() || m_text[pos] != '{')
            throw SyntaxError{pos, QLatin1String(expected)};
        pos = skipSpace(pos + 1);
        while (pos < m_text.size() && m_text[pos] != '}') {
            if (m_text[pos] != '"')
                throw SyntaxError{pos, QStringLiteral("the JSON is malformed (a member name was expected)")};
            const std::size_t keyEnd = stringEnd(pos);
            const std::string_view key = m_text.substr(pos + 1, keyEnd - pos - 2);
            pos = skipSpace(keyEnd);
            if (pos >= m_text.size() || m_text[pos] != ':')
                throw SyntaxError{pos, QStringLiteral("the JSON is malformed or truncated (':' expected)")};
            pos = skipSpace(pos + 1);
            if (std::find(arrays.begin(), arrays.end(), key) == arrays.end())
                pos = valueEnd(pos);
            else if (pos < m_text.size() && m_text[pos] == '[')
                pos = walkElements(pos, key, fn);
            else
                throw ParseError{QString::fromUtf8(key.data(), qsizetype(key.size())), QStringLiteral("expected a list")};
            pos = skipSpace(pos);
            if (pos < m_text.size() && m_text[pos] == ',')
                pos = skipSpace(pos + 1);
            else if (pos >= m_text.size() || m_text[pos] != '}')
                throw SyntaxError{pos, QStringLiteral("the JSON is malformed or truncated (',' or '}' expected)")};
        }
        if (pos >= m_text.size())
            throw SyntaxError{pos, QStringLiteral("the JSON is truncated (the root object is not closed)")};
        if (skipSpace(pos + 1) != m_text.size())
            throw SyntaxError{skipSpace(pos + 1), QStringLiteral("unexpected content after the JSON object")};
    });
}

Status JsonBatches::walkArray(const ElementFn &fn, const char *expected)
{
    return guarded([&] {
        const std::size_t pos = skipSpace(0);
        if (pos >= m_text.size() || m_text[pos] != '[')
            throw SyntaxError{pos, QLatin1String(expected)};
        const std::size_t end = walkElements(pos, {}, fn);
        if (skipSpace(end) != m_text.size())
            throw SyntaxError{skipSpace(end), QStringLiteral("unexpected content after the JSON list")};
    });
}

Status JsonBatches::guarded(const std::function<void()> &walk)
{
    try {
        walk();
    } catch (const Stopped &) {
        return makeError(ErrorCode::Cancelled, QStringLiteral("%1: reading cancelled").arg(m_path));
    } catch (const SyntaxError &e) {
        return lineError(e.offset, e.reason);
    } catch (const ParseError &e) {
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: %2: %3").arg(m_path, e.where, e.reason));
    } catch (const simdjson::simdjson_error &e) {
        QString reason = QString::fromUtf8(simdjson::error_message(e.error()));
        if (e.error() == simdjson::UTF8_ERROR)
            reason = QStringLiteral("the file is not valid UTF-8");
        else
            reason = QStringLiteral("the JSON is malformed (%1)").arg(reason);
        const char *at = nullptr;
        if (m_haveDoc && m_doc.current_location().get(at) == simdjson::SUCCESS && at > m_batch.data() && at < m_batch.data() + m_batch.size())
            return lineError(m_batchOffset + std::size_t(at - m_batch.data() - 1), reason);
        return lineError(m_batchOffset, reason);
    }
    return {};
}

Error JsonBatches::lineError(std::size_t offset, const QString &reason) const
{
    offset = std::min(offset, m_text.size());
    const int line = 1 + int(std::count(m_text.begin(), m_text.begin() + std::ptrdiff_t(offset), '\n'));
    return makeError(ErrorCode::BadInput, QStringLiteral("%1: line %2: %3").arg(m_path).arg(line).arg(reason));
}

} // namespace annotune::core::formats::coco
