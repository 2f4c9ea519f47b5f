#pragma once
// A minimal streaming JSON writer over a QIODevice for exports of millions of records. Text goes
// straight into one fixed buffer (no per-append allocation or length scan) that is written out
// whenever it runs low.

#include <QIODevice>
#include <QString>
#include <cstring>
#include <memory>

namespace annotune::core::formats {

class JsonWriter {
public:
    explicit JsonWriter(QIODevice &out);
    ~JsonWriter() { flush(); }
    JsonWriter(const JsonWriter &) = delete;
    JsonWriter &operator=(const JsonWriter &) = delete;

    JsonWriter &raw(const char *s) { return bytes(s, std::strlen(s)); }
    JsonWriter &raw(char c) { reserve(1); *m_pos++ = c; return *this; }
    JsonWriter &bytes(const char *s, std::size_t n);
    // Doubles as the shortest text that reads back to the same value (integers without a point);
    // what is not finite as 0.
    JsonWriter &number(double v);
    JsonWriter &number(qint64 v);
    JsonWriter &string(const QString &s);
    // Writes "key": (with a leading comma when needed is the caller's job).
    JsonWriter &key(const char *k) { return raw('"').raw(k).bytes("\":", 2); }
    bool flush();
    bool failed() const { return m_failed; }

private:
    // Makes room for n more bytes (n at most kSlack) by writing out what is buffered.
    void reserve(std::size_t n) { if (std::size_t(m_end - m_pos) < n) flush(); }
    void escaped(const char *utf8, qsizetype n);

    static constexpr std::size_t kSize = 1 << 20;
    QIODevice &m_out;
    std::unique_ptr<char[]> m_buffer;
    char *m_pos;
    char *m_end;
    bool m_failed = false;
};

// Writes v as std::to_chars(first, last, v) does (the shortest text that reads back to v, plain
// notation where it is not longer than scientific) and returns the end; last - first >= 32.
char *shortestDouble(char *first, char *last, double v);

} // namespace annotune::core::formats
