#include "numjit/support/diagnostics.h"

#include <algorithm>

namespace numjit {

const std::string* SourceFile::line(int lineno) const {
  int index = lineno - first_line;
  if (index < 0 || index >= static_cast<int>(lines.size())) return nullptr;
  return &lines[index];
}

void CompileError::locate(std::string function, std::shared_ptr<const SourceFile> source) {
  if (located()) return;
  function_ = std::move(function);
  source_ = std::move(source);
}

std::string CompileError::render() const {
  std::string out = render_located();
  for (const std::string& note : notes_) out += "\n" + note;
  return out;
}

std::string CompileError::render_located() const {
  if (!source_) return message_;
  std::string base = source_->filename;
  std::string out = "in " + function_ + " (" + base;
  if (!span_.valid()) return out + ")\n" + message_;
  out += ":" + std::to_string(span_.line) + ":" + std::to_string(span_.col + 1) + ")\n";
  const std::string* text = source_->line(span_.line);
  if (!text) return out + message_;
  std::string src = *text;
  while (!src.empty() && (src.back() == '\n' || src.back() == '\r')) src.pop_back();
  std::string number = std::to_string(span_.line);
  std::string gutter(number.size(), ' ');
  int start = std::clamp(span_.col, 0, static_cast<int>(src.size()));
  int end = span_.end_line == span_.line ? span_.end_col : static_cast<int>(src.size());
  end = std::clamp(end, start + 1, std::max(start + 1, static_cast<int>(src.size())));
  out += " " + number + " | " + src + "\n";
  out += " " + gutter + " | " + std::string(start, ' ') + std::string(end - start, '^') + " " +
         message_;
  return out;
}

}  // namespace numjit
