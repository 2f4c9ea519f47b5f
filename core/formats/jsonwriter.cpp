#include "jsonwriter.h"

#include <charconv>
#include <cmath>

namespace annotune::core::formats {
namespace {

constexpr double kPowers[] = {1, 10, 100, 1000, 10000};

// Writes the n decimal digits of m (zero-padded to n) ending at end; returns the start.
char *digitsBackwards(char *end, unsigned long long m, int n)
{
    for (int i = 0; i < n; ++i, m /= 10)
        *--end = char('0' + m % 10);
    return end;
}

} // namespace

// Most coordinates in label files have a few decimals (123.45). For those the shortest text is
// found directly: the first k (1..4) for which round(v * 10^k) / 10^k is v again. Division of an
// exact integer by an exact power of ten is correctly rounded, so the test is exact, and below
// 1e9 only one k-decimal text can read back to v. From 0.01 on, plain notation is never longer
// than scientific, so the text is what to_chars writes. Everything else goes to to_chars.
char *shortestDouble(char *first, char *last, double v)
{
    const double a = std::abs(v);
    if (a >= 0.01 && a < 1e9 && a != std::floor(a)) {
        for (int k = 1; k <= 4; ++k) {
            const double scaled = std::round(a * kPowers[k]);
            if (scaled / kPowers[k] != a)
                continue;
            const auto m = static_cast<unsigned long long>(scaled);
            const auto p = static_cast<unsigned long long>(kPowers[k]);
            char buf[32];
            char *end = buf + sizeof buf;
            char *start = digitsBackwards(end, m % p, k);
            *--start = '.';
            unsigned long long whole = m / p;
            do {
                *--start = char('0' + whole % 10);
                whole /= 10;
            } while (whole);
            if (v < 0)
                *--start = '-';
            std::memcpy(first, start, std::size_t(end - start));
            return first + (end - start);
        }
    }
    return std::to_chars(first, last, v).ptr;
}

JsonWriter::JsonWriter(QIODevice &out) : m_out(out), m_buffer(new char[kSize])
{
    m_pos = m_buffer.get();
    m_end = m_pos + kSize;
}

JsonWriter &JsonWriter::bytes(const char *s, std::size_t n)
{
    while (n) {
        reserve(1);
        const std::size_t part = std::min(n, std::size_t(m_end - m_pos));
        std::memcpy(m_pos, s, part);
        m_pos += part;
        s += part;
        n -= part;
    }
    return *this;
}

JsonWriter &JsonWriter::number(double v)
{
    reserve(32);
    if (!std::isfinite(v))
        v = 0;
    const double rounded = std::round(v);
    if (rounded == v && std::abs(v) < 1e15)
        m_pos = std::to_chars(m_pos, m_end, static_cast<long long>(v)).ptr;
    else
        m_pos = shortestDouble(m_pos, m_end, v);
    return *this;
}

JsonWriter &JsonWriter::number(qint64 v)
{
    reserve(24);
    m_pos = std::to_chars(m_pos, m_end, static_cast<long long>(v)).ptr;
    return *this;
}

JsonWriter &JsonWriter::string(const QString &s)
{
    raw('"');
    bool ascii = true;
    for (QChar c : s)
        ascii = ascii && c.unicode() < 0x80;
    if (ascii) {
        // Latin-1 of ASCII text is its UTF-8; converted in place, 64 characters at a time.
        const QChar *p = s.constData();
        for (qsizetype left = s.size(); left > 0;) {
            char chunk[64];
            const qsizetype n = std::min<qsizetype>(left, sizeof chunk);
            for (qsizetype i = 0; i < n; ++i)
                chunk[i] = char(p[i].unicode());
            escaped(chunk, n);
            p += n;
            left -= n;
        }
    } else {
        const QByteArray utf8 = s.toUtf8();
        escaped(utf8.constData(), utf8.size());
    }
    return raw('"');
}

void JsonWriter::escaped(const char *utf8, qsizetype n)
{
    for (qsizetype i = 0; i < n; ++i) {
        const char c = utf8[i];
        reserve(8);
        switch (c) {
        case '"': *m_pos++ = '\\'; *m_pos++ = '"'; break;
        case '\\': *m_pos++ = '\\'; *m_pos++ = '\\'; break;
        case '\n': *m_pos++ = '\\'; *m_pos++ = 'n'; break;
        case '\r': *m_pos++ = '\\'; *m_pos++ = 'r'; break;
        case '\t': *m_pos++ = '\\'; *m_pos++ = 't'; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static const char hex[] = "0123456789abcdef";
                std::memcpy(m_pos, "\\u00", 4);
                m_pos[4] = hex[(c >> 4) & 0xf];
                m_pos[5] = hex[c & 0xf];
                m_pos += 6;
            } else {
                *m_pos++ = c;
            }
        }
    }
}

bool JsonWriter::flush()
{
    const qint64 n = m_pos - m_buffer.get();
    if (n && !m_failed)
        m_failed = m_out.write(m_buffer.get(), n) != n;
    m_pos = m_buffer.get();
    return !m_failed;
}

} // namespace annotune::core::formats
