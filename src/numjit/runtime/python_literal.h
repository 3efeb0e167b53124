// A string's Python literal ('text', with backslashes, quotes and control
// characters escaped; other UTF-8 bytes as they are), for the exception
// arguments compiled code hands the dispatcher as a literal of their tuple
// (lower/exception_arguments.h): written by the compiler for constants and
// by the runtime for a message made at run time.
#pragma once

#include <cstdio>
#include <string>

namespace numjit::abi {

inline std::string python_string_literal(const std::string& s) {
  std::string out = "'";
  for (unsigned char ch : s) {
    if (ch == '\\' || ch == '\'') {
      out += '\\';
      out += static_cast<char>(ch);
    } else if (ch < 0x20 || ch == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", ch);
      out += escaped;
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out + "'";
}

}  // namespace numjit::abi
