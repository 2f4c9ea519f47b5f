#pragma once
// A minimal streaming JSON writer over a QIODevice for exports of millions of records.

#include <QByteArray>
#include <QIODevice>
#include <QString>
#include <charconv>

namespace annotune::core::formats {

class JsonWriter {
public:
    explicit JsonWriter(QIODevice &out) : m_out(out) { m_buffer.reserve(1 << 20); }
    ~JsonWriter() { flush(); }

    JsonWriter &raw(const char *s) { m_buffer.append(s); return maybeFlush(); }
    JsonWriter &raw(char c) { m_buffer.append(c); return maybeFlush(); }
    JsonWriter &number(double v);
    JsonWriter &number(qint64 v);
    JsonWriter &string(const QString &s);
    // Writes "key": (with a leading comma when needed is the caller's job).
    JsonWriter &key(const char *k) { m_buffer.append('"').append(k).append("\":"); return *this; }
    bool flush();
    bool failed() const { return m_failed; }

private:
    JsonWriter &maybeFlush() { if (m_buffer.size() > (1 << 20)) flush(); return *this; }
    QIODevice &m_out;
    QByteArray m_buffer;
    bool m_failed = false;
};

} // namespace annotune::core::formats
