#pragma once
// Errors as values at module boundaries: Result<T> holds a value or an Error a person can act on.

#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace annotune::core {

enum class ErrorCode {
    Usage,        // the caller asked for something malformed
    NotFound,     // a file, record or id does not exist
    BadInput,     // a file or record exists but cannot be used
    Io,           // the disk said no (read-only, full, permissions)
    Schema,       // the project file is from another version or not a project
    Conflict,     // a duplicate or a violated constraint
    Cancelled,    // the user stopped it
    Internal,     // a bug: should never reach a user
};

// What went wrong, which file or record, and why, in one line.
struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;
};

inline Error makeError(ErrorCode code, QString message) { return Error{code, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Error error) : m_value(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_value); }
    explicit operator bool() const { return ok(); }
    T &value() & { return std::get<T>(m_value); }
    const T &value() const & { return std::get<T>(m_value); }
    T &&value() && { return std::get<T>(std::move(m_value)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    const Error &error() const { return std::get<Error>(m_value); }

private:
    std::variant<T, Error> m_value;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace annotune::core
