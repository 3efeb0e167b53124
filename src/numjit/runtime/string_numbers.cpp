// Strings of numbers and numbers of strings, as CPython writes and reads
// them: str(int), str(float) (repr's shortest round-trip digits), int(s),
// float(s), and the format-spec mini-language of f-strings and format().
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/python_literal.h"
#include "numjit/runtime/strings.h"

using numjit::abi::ExceptionKind;
using numjit::runtime::MemInfo;
using namespace numjit::runtime;

namespace {

MemInfo* from_ascii(const std::string& text) { return string_from_utf8(text); }

// CPython's float repr: the shortest digits that read back to the same
// value, in fixed notation when the decimal exponent is in [-4, 16), else
// as d.ddde+XX. `add_dot_zero` writes 1.0 rather than 1 (complex parts do
// not). A float32 has its own shortest digits and NumPy's thresholds.
std::string float_repr(double v, bool single, bool add_dot_zero) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto result = single ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(v), std::chars_format::scientific)
                       : std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, result.ptr);
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  size_t e = sci.find('e');
  int exponent = std::atoi(sci.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i)
    if (sci[i] != '.') digits += sci[i];
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int decimal_point = exponent + 1;  // digits before the point
  std::string out = negative ? "-" : "";
  // NumPy writes a float32 in scientific notation from 1e6 up and below 1e-4 (by value, not digits).
  double magnitude = std::fabs(v);
  bool scientific = single ? magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e6)
                           : decimal_point <= -4 || decimal_point > 16;
  if (scientific) {
    out += digits[0];
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp[16];
    std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    return out + exp;
  }
  if (decimal_point <= 0) return out + "0." + std::string(static_cast<size_t>(-decimal_point), '0') + digits;
  if (static_cast<size_t>(decimal_point) >= digits.size()) {
    out += digits + std::string(static_cast<size_t>(decimal_point) - digits.size(), '0');
    return add_dot_zero ? out + ".0" : out;
  }
  return out + digits.substr(0, static_cast<size_t>(decimal_point)) + "." + digits.substr(static_cast<size_t>(decimal_point));
}

struct FormatSpec {
  std::string fill = " ";  // one character, as UTF-8
  char align = 0;  // < > ^ = or 0 for the default
  char sign = '-';
  bool alternate = false;
  int64_t width = 0;
  char grouping = 0;
  int64_t precision = -1;
  char type = 0;
};

// The spec's text; its fill character may be any code point (then its UTF-8 bytes).
bool parse_spec(std::string s, FormatSpec& spec) {
  size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '=' ; };
  size_t fill_bytes = s.empty() ? 0 : (static_cast<unsigned char>(s[0]) < 0x80 ? 1
                                       : (static_cast<unsigned char>(s[0]) >> 5) == 6 ? 2
                                       : (static_cast<unsigned char>(s[0]) >> 4) == 14 ? 3 : 4);
  if (s.size() > fill_bytes && is_align(s[fill_bytes])) {
    spec.fill = s.substr(0, fill_bytes);
    spec.align = s[fill_bytes];
    i = fill_bytes + 1;
  } else if (!s.empty() && is_align(s[0])) {
    spec.align = s[0];
    i = 1;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) spec.sign = s[i++];
  if (i < s.size() && s[i] == '#') {
    spec.alternate = true;
    ++i;
  }
  if (i < s.size() && s[i] == '0') {
    if (!spec.align) {
      spec.fill = "0";
      spec.align = '=';
    }
    ++i;
  }
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) spec.width = spec.width * 10 + (s[i++] - '0');
  if (i < s.size() && (s[i] == ',' || s[i] == '_')) spec.grouping = s[i++];
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i == s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    spec.precision = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
      spec.precision = spec.precision * 10 + (s[i++] - '0');
  }
  if (i < s.size()) spec.type = s[i++];
  return i == s.size();
}

// Inserts the grouping character every `every` digits of the integer part.
std::string grouped(const std::string& digits, char separator, int every) {
  size_t end = digits.find_first_not_of("0123456789abcdefABCDEF");
  if (end == std::string::npos) end = digits.size();
  std::string head = digits.substr(0, end);
  std::string out;
  for (size_t i = 0; i < head.size(); ++i) {
    if (i && (head.size() - i) % every == 0) out += separator;
    out += head[i];
  }
  return out + digits.substr(end);
}

// Pads sign + body to the width, as the alignment asks.
std::string padded(const FormatSpec& spec, const std::string& sign, const std::string& body, char default_align) {
  int64_t length = static_cast<int64_t>(sign.size() + body.size());
  if (length >= spec.width) return sign + body;
  auto pad = static_cast<size_t>(spec.width - length);
  auto fills = [&](size_t n) {
    std::string out;
    for (size_t k = 0; k < n; ++k) out += spec.fill;
    return out;
  };
  std::string fill = fills(pad);
  switch (spec.align ? spec.align : default_align) {
    case '<': return sign + body + fill;
    case '^': return fills(pad / 2) + sign + body + fills(pad - pad / 2);
    case '=': return sign + fill + body;
    default: return fill + sign + body;
  }
}

bool spec_error(const char* message) {
  raise(ExceptionKind::ValueError, message);
  return false;
}

std::string unknown_code(char type, const char* type_name) {
  return std::string("Unknown format code '") + type + "' for object of type '" + type_name + "'";
}

bool format_float(double v, const FormatSpec& spec, bool single, std::string& out) {
  char type = spec.type;
  if (type && !std::strchr("eEfFgG%n", type)) return spec_error(unknown_code(type, "float").c_str());
  std::string sign = std::signbit(v) && !std::isnan(v) ? "-" : spec.sign == '+' ? "+" : spec.sign == ' ' ? " " : "";
  double magnitude = std::fabs(v);
  std::string body;
  if (!type && spec.precision < 0) {
    body = float_repr(magnitude, single, true);
  } else {
    char conversion = type == 'n' ? 'g' : type == '%' ? 'f' : type ? type : 'g';
    int64_t precision = spec.precision < 0 ? 6 : spec.precision;
    if (!type && precision == 0) precision = 1;
    double x = type == '%' ? magnitude * 100 : magnitude;
    auto printed = [&](char how, int64_t digits) {
      std::string format = std::string("%") + (spec.alternate ? "#" : "") + ".*" + how;
      int n = std::snprintf(nullptr, 0, format.c_str(), static_cast<int>(digits), x);
      std::string text(static_cast<size_t>(n) + 1, '\0');
      std::snprintf(text.data(), text.size(), format.c_str(), static_cast<int>(digits), x);
      text.resize(static_cast<size_t>(n));
      return text;
    };
    if (!type && std::isfinite(x)) {
      // Without a type, precision counts significant digits as 'g' does, but
      // the exponent form starts at exponent p - 1 and a fixed result keeps a
      // digit after the point (Python's format(1.125, '.1') is '1e+00').
      std::string scientific = printed('e', precision - 1);
      int exponent = std::atoi(scientific.c_str() + scientific.find('e') + 1);
      auto strip = [&](std::string t) {  // trailing zeros of the fraction, as 'g' drops them
        if (spec.alternate) return t;
        size_t e = t.find('e');
        std::string mantissa = t.substr(0, e), rest = e == std::string::npos ? "" : t.substr(e);
        if (mantissa.find('.') != std::string::npos) {
          while (mantissa.back() == '0') mantissa.pop_back();
          if (mantissa.back() == '.') mantissa.pop_back();
        }
        return mantissa + rest;
      };
      if (exponent < -4 || exponent >= precision - 1) {
        body = strip(scientific);
      } else {
        body = strip(printed('f', precision - 1 - exponent));
        if (body.find('.') == std::string::npos) body += ".0";
      }
    } else {
      body = printed(conversion, precision);
    }
    if (type == '%') body += "%";
  }
  if (spec.grouping) body = grouped(body, spec.grouping, 3);
  out = padded(spec, sign, body, '>');
  return true;
}

bool format_int(int64_t v, bool is_unsigned, const FormatSpec& spec, std::string& out) {
  char type = spec.type ? spec.type : 'd';
  if (std::strchr("eEfFgG%", type)) {
    return format_float(is_unsigned ? static_cast<double>(static_cast<uint64_t>(v)) : static_cast<double>(v), spec, false,
                        out);
  }
  if (spec.precision >= 0) return spec_error("Precision not allowed in integer format specifier");
  bool negative = !is_unsigned && v < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string body, prefix;
  if (type == 'c') return spec_error("format code 'c' is not supported in compiled code");
  int base = type == 'x' || type == 'X' ? 16 : type == 'o' ? 8 : type == 'b' ? 2 : 10;
  if (base == 10 && type != 'd' && type != 'n') return spec_error(unknown_code(type, "int").c_str());
  char digits[80];
  auto r = std::to_chars(digits, digits + sizeof digits, magnitude, base);
  body.assign(digits, r.ptr);
  if (type == 'X')
    for (char& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (spec.grouping) body = grouped(body, spec.grouping, base == 10 ? 3 : 4);
  if (spec.alternate && base != 10) prefix = type == 'x' ? "0x" : type == 'X' ? "0X" : type == 'o' ? "0o" : "0b";
  std::string sign = negative ? "-" : spec.sign == '+' ? "+" : spec.sign == ' ' ? " " : "";
  out = padded(spec, sign + prefix, body, '>');
  return true;
}

MemInfo* formatted(bool ok, const std::string& text) { return ok ? from_ascii(text) : nullptr; }

bool read_spec(MemInfo* spec_mi, FormatSpec& spec) {
  return parse_spec(spec_mi ? utf8_of(spec_mi) : std::string(), spec) || spec_error("Invalid format specifier");
}

}  // namespace

// str(x) of an integer (`is_unsigned` reads it as uint64).
extern "C" MemInfo* numjit_rt_str_from_int(int64_t v, int32_t is_unsigned) {
  return from_ascii(is_unsigned ? std::to_string(static_cast<uint64_t>(v)) : std::to_string(v));
}

// str(x) of a float: flags bit 1 for float32's shortest digits, bit 2 to leave off ".0".
extern "C" MemInfo* numjit_rt_str_from_float(double v, int32_t flags) {
  return from_ascii(float_repr(v, flags & 1, !(flags & 2)));
}

extern "C" MemInfo* numjit_rt_str_format_int(int64_t v, int32_t is_unsigned, MemInfo* spec_mi) {
  if (is_unsigned == 2 && (!spec_mi || string_of(spec_mi)->length == 0)) return from_ascii(v ? "True" : "False");
  FormatSpec spec;
  std::string out;
  return formatted(read_spec(spec_mi, spec) && format_int(v, is_unsigned == 1, spec, out), out);
}

extern "C" MemInfo* numjit_rt_str_format_float(double v, int32_t single, MemInfo* spec_mi) {
  FormatSpec spec;
  std::string out;
  return formatted(read_spec(spec_mi, spec) && format_float(v, spec, single, out), out);
}

extern "C" MemInfo* numjit_rt_str_format_str(MemInfo* s, MemInfo* spec_mi) {
  FormatSpec spec;
  if (!read_spec(spec_mi, spec)) return nullptr;
  if (spec.type && spec.type != 's') return formatted(spec_error(unknown_code(spec.type, "str").c_str()), "");
  if (spec.sign == ' ') return formatted(spec_error("Space not allowed in string format specifier"), "");
  if (spec.sign == '+') return formatted(spec_error("Sign not allowed in string format specifier"), "");
  if (spec.alternate) return formatted(spec_error("Alternate form (#) not allowed in string format specifier"), "");
  if (spec.align == '=') return formatted(spec_error("'=' alignment not allowed in string format specifier"), "");
  if (spec.grouping)
    return formatted(spec_error(spec.grouping == ',' ? "Cannot specify ',' with 's'." : "Cannot specify '_' with 's'."), "");
  std::string text = utf8_of(s);
  // Width and precision count code points: pad and cut on the string itself.
  numjit_str* str = string_of(s);
  int64_t length = spec.precision >= 0 ? std::min(spec.precision, str->length) : str->length;
  MemInfo* cut = nullptr;
  if (length != str->length) {
    cut = new_string(length);
    if (!cut) return nullptr;
    std::memcpy(string_of(cut)->chars(), str->chars(), static_cast<size_t>(length) * 4);
    text = utf8_of(cut);
    numjit_rt_meminfo_decref(cut);
  }
  if (length >= spec.width) return from_ascii(text);
  FormatSpec by_chars = spec;
  by_chars.width = spec.width - length + static_cast<int64_t>(text.size());  // padding counts characters
  return from_ascii(padded(by_chars, "", text, '<'));
}

// int(s, base): ValueError naming the text when it is not an integer literal.
extern "C" int32_t numjit_rt_str_to_int(MemInfo* s, int64_t base, int64_t* out) {
  std::string message = "invalid literal for int() with base " + std::to_string(base) + ": '" + utf8_of(s) + "'";
  std::string text = ascii_number_text(s);
  size_t b = text.find_first_not_of(" \t\n\r\f\v");
  size_t e = text.find_last_not_of(" \t\n\r\f\v");
  std::string t = b == std::string::npos ? "" : text.substr(b, e - b + 1);
  bool negative = !t.empty() && t[0] == '-';
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) t.erase(0, 1);
  if ((base == 16 || base == 8 || base == 2) && t.size() > 2 && t[0] == '0' &&
      std::tolower(t[1]) == (base == 16 ? 'x' : base == 8 ? 'o' : 'b'))
    t.erase(0, 2);
  std::string digits;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '_' && i > 0 && i + 1 < t.size() && t[i - 1] != '_') continue;
    digits += t[i];
  }
  uint64_t magnitude = 0;
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, static_cast<int>(base));
  if (digits.empty() || r.ptr != digits.data() + digits.size() || r.ec == std::errc::invalid_argument) {
    raise(ExceptionKind::ValueError, message.c_str());
    return numjit::abi::kStatusError;
  }
  if (r.ec == std::errc::result_out_of_range || magnitude > (negative ? uint64_t(1) << 63 : INT64_MAX)) {
    raise(ExceptionKind::ValueError, ("int() of '" + utf8_of(s) + "' does not fit in 64 bits").c_str());
    return numjit::abi::kStatusError;
  }
  *out = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return numjit::abi::kStatusOk;
}

// float(s): Python's literals, inf and nan spellings included.
extern "C" int32_t numjit_rt_str_to_float(MemInfo* s, double* out) {
  std::string text = ascii_number_text(s);
  size_t b = text.find_first_not_of(" \t\n\r\f\v");
  size_t e = text.find_last_not_of(" \t\n\r\f\v");
  std::string t = b == std::string::npos ? "" : text.substr(b, e - b + 1);
  std::string digits;
  for (size_t i = 0; i < t.size(); ++i) {
    bool between_digits = i > 0 && i + 1 < t.size() && std::isdigit(static_cast<unsigned char>(t[i - 1])) &&
                          std::isdigit(static_cast<unsigned char>(t[i + 1]));
    if (t[i] == '_' && between_digits) continue;
    digits += t[i];
  }
  std::string lower;
  for (char c : digits) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t sign = !lower.empty() && (lower[0] == '+' || lower[0] == '-') ? 1 : 0;
  std::string word = lower.substr(sign);
  if (word == "inf" || word == "infinity" || word == "nan") {
    double v = word == "nan" ? NAN : INFINITY;
    *out = sign && lower[0] == '-' ? -v : v;
    return numjit::abi::kStatusOk;
  }
  bool plain = !word.empty() && word.find_first_not_of("0123456789.e+-") == std::string::npos;
  if (plain) {
    const char* start = digits.c_str() + (sign && digits[0] == '+' ? 1 : 0);
    auto r = std::from_chars(start, digits.c_str() + digits.size(), *out);
    if (r.ptr == digits.c_str() + digits.size() && r.ec != std::errc::invalid_argument) {
      if (r.ec == std::errc::result_out_of_range) *out = std::strtod(digits.c_str(), nullptr);  // inf or 0, signed
      return numjit::abi::kStatusOk;
    }
  }
  raise(ExceptionKind::ValueError, ("could not convert string to float: '" + utf8_of(s) + "'").c_str());
  return numjit::abi::kStatusError;
}

// KeyError(key) for a dict lookup that found nothing: the key as the
// exception's argument (a number, a bool or a string), as Python raises it.
extern "C" void numjit_rt_raise_key_error(int32_t kind, const void* key) {
  using numjit::abi::ScalarKind;
  std::string literal;
  if (static_cast<uint8_t>(kind) == numjit::abi::kStringKindCode) {
    MemInfo* text;
    std::memcpy(&text, key, sizeof(text));
    literal = numjit::abi::python_string_literal(utf8_of(text));
  } else {
    auto k = static_cast<ScalarKind>(kind);
    auto read = [&](auto value) {
      std::memcpy(&value, key, sizeof(value));
      return value;
    };
    switch (k) {
      case ScalarKind::Bool: literal = read(uint8_t{}) ? "True" : "False"; break;
      case ScalarKind::Int8: literal = std::to_string(read(int8_t{})); break;
      case ScalarKind::Int16: literal = std::to_string(read(int16_t{})); break;
      case ScalarKind::Int32: literal = std::to_string(read(int32_t{})); break;
      case ScalarKind::Int64: literal = std::to_string(read(int64_t{})); break;
      case ScalarKind::UInt8: literal = std::to_string(read(uint8_t{})); break;
      case ScalarKind::UInt16: literal = std::to_string(read(uint16_t{})); break;
      case ScalarKind::UInt32: literal = std::to_string(read(uint32_t{})); break;
      case ScalarKind::UInt64: literal = std::to_string(read(uint64_t{})); break;
      case ScalarKind::Float32: literal = float_repr(read(float{}), true, true); break;
      case ScalarKind::Float64: literal = float_repr(read(double{}), false, true); break;
      default: break;
    }
  }
  std::string message = literal.empty() ? std::string("key not found in dict")
                                        : std::string(1, numjit::abi::kExceptionArgumentsMarker) + "(" + literal + ",)";
  numjit_rt_raise(static_cast<int32_t>(ExceptionKind::KeyError), message.c_str());
}

// An exception whose arguments compiled code wrote at run time as the text of
// a tuple of literals (Inferrer::message_at_run_time): `raise E("bad", n)`.
extern "C" void numjit_rt_set_error_arguments(void* exc_class, MemInfo* tuple_text) {
  std::string message(1, numjit::abi::kExceptionArgumentsMarker);
  message += utf8_of(tuple_text);
  numjit_rt_set_error(exc_class, message.c_str());
}

extern "C" void numjit_rt_raise_text(int32_t kind, MemInfo* text) {
  std::string message = text ? utf8_of(text) : std::string();
  if (!message.empty() && message[0] == numjit::abi::kExceptionArgumentsMarker)  // text, not an argument literal
    message = std::string(1, numjit::abi::kExceptionArgumentsMarker) + "(" + numjit::abi::python_string_literal(message) + ",)";
  numjit_rt_raise(kind, message.c_str());
}
