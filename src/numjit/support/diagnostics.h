// Compile errors as data: a kind, a message and a source span, rendered in one
// place with the source line and a caret under the span. User errors
// (TypingError, UnsupportedError) and internal errors (a bug in numjit) are
// distinct kinds so the bindings raise distinct Python classes.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace numjit {

// The source a function came from: its file name and the text of the lines the
// function occupies, starting at `first_line` (1-based, as in the file).
struct SourceFile {
  std::string filename;
  int first_line = 1;
  std::vector<std::string> lines;

  const std::string* line(int lineno) const;
};

// A span in a source file, 1-based line numbers and 0-based columns in the
// file's own coordinates (CPython's ast convention).
struct SourceSpan {
  int line = 0, col = 0, end_line = 0, end_col = 0;
  bool valid() const { return line > 0; }
};

enum class ErrorKind { Typing, Unsupported, Internal };

class CompileError : public std::runtime_error {
 public:
  CompileError(ErrorKind kind, std::string message, SourceSpan span = {})
      : std::runtime_error(message), kind_(kind), message_(std::move(message)), span_(span) {}

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const SourceSpan& span() const { return span_; }

  // Where the error was found, filled in as it propagates out of a function's
  // compilation (the innermost function wins).
  void locate(std::string function, std::shared_ptr<const SourceFile> source);
  bool located() const { return source_ != nullptr; }
  // Extra lines after the caret, e.g. the call chain that led to the error.
  void add_note(std::string note) { notes_.push_back(std::move(note)); }

  // "in f (file.py:12:13)\n   12 | <line>\n      |     ^^^ <message>"
  std::string render() const;

 private:
  std::string render_located() const;
  ErrorKind kind_;
  std::string message_;
  SourceSpan span_;
  std::string function_;
  std::shared_ptr<const SourceFile> source_;
  std::vector<std::string> notes_;
};

[[noreturn]] inline void typing_error(const SourceSpan& span, std::string message) {
  throw CompileError(ErrorKind::Typing, std::move(message), span);
}
[[noreturn]] inline void unsupported(const SourceSpan& span, std::string message) {
  throw CompileError(ErrorKind::Unsupported, std::move(message), span);
}
[[noreturn]] inline void internal_error(std::string message, SourceSpan span = {}) {
  throw CompileError(ErrorKind::Internal, "internal compiler error: " + std::move(message), span);
}

}  // namespace numjit
