#include "jsonwriter.h"

#include <cmath>

namespace annotune::core::formats {

JsonWriter &JsonWriter::number(double v)
{
    if (!std::isfinite(v))
        v = 0;
    char buf[32];
    const double rounded = std::round(v);
    auto res = rounded == v && std::abs(v) < 1e15 ? std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v))
                                                   : std::to_chars(buf, buf + sizeof buf, v);
    m_buffer.append(buf, res.ptr - buf);
    return maybeFlush();
}

JsonWriter &JsonWriter::number(qint64 v)
{
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    m_buffer.append(buf, res.ptr - buf);
    return maybeFlush();
}

JsonWriter &JsonWriter::string(const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    m_buffer.append('"');
    for (char c : utf8) {
        switch (c) {
        case '"': m_buffer.append("\\\""); break;
        case '\\': m_buffer.append("\\\\"); break;
        case '\n': m_buffer.append("\\n"); break;
        case '\r': m_buffer.append("\\r"); break;
        case '\t': m_buffer.append("\\t"); break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char esc[8];
                std::snprintf(esc, sizeof esc, "\\u%04x", c);
                m_buffer.append(esc);
            } else {
                m_buffer.append(c);
            }
        }
    }
    m_buffer.append('"');
    return maybeFlush();
}

bool JsonWriter::flush()
{
    if (!m_buffer.isEmpty() && !m_failed)
        m_failed = m_out.write(m_buffer) != m_buffer.size();
    m_buffer.clear();
    return !m_failed;
}

} // namespace annotune::core::formats
