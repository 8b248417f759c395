// Status and Result<T>: errors as values that carry context.
//
// Every fallible function in lib/ returns a Status or a Result<T>; no exception
// crosses a stage boundary. A Status is a code plus a message that names what
// failed and where (file, line or record), e.g.
//
//   Status s = reader->Next(&doc);
//   if (!s.ok()) std::cerr << s.ToString();   // "invalid input: docs.jsonl:17: ..."
//
// Success costs one enum compare and an empty string.
#ifndef NEARDUP_STATUS_H_
#define NEARDUP_STATUS_H_

#include <optional>
#include <string>
#include <utility>

namespace neardup {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller passed options or arguments that cannot work
  kInvalidInput,     // a document, record or file content is malformed
  kNotFound,         // a file or a requested id does not exist
  kIOError,          // reading or writing failed at the operating-system level
  kInternal,         // a broken invariant inside neardup (a bug)
};

// Returns a stable lower-case name, e.g. "invalid input".
const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return Status(StatusCode::kInvalidArgument, std::move(msg));
  }
  static Status InvalidInput(std::string msg) {
    return Status(StatusCode::kInvalidInput, std::move(msg));
  }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(StatusCode::kIOError, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "<code name>: <message>", or "ok".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;  // context first, then detail: "a.jsonl:3: missing field \"text\""
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  // REQUIRES: !status.ok() (an OK Result holds a value)
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok()
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace neardup

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define NEARDUP_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::neardup::Status neardup_status_ = (expr);        \
    if (!neardup_status_.ok()) return neardup_status_; \
  } while (0)

#endif  // NEARDUP_STATUS_H_
