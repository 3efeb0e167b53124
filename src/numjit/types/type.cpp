#include "numjit/types/type.h"

#include <charconv>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

namespace numjit::types {
namespace {

const auto& kScalarNames = abi::kScalarKindNames;

// The intern table: the key is the canonical name, which is unique per type.
struct Interner {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<Type>, std::less<>> by_name;

  const Type* intern(Type t) {
    std::lock_guard lock(mutex);
    auto it = by_name.find(t.name);
    if (it != by_name.end()) return it->second.get();
    auto owned = std::make_unique<Type>(std::move(t));
    const Type* result = owned.get();
    by_name.emplace(result->name, std::move(owned));
    return result;
  }
};

Interner& interner() {
  static Interner* instance = new Interner();  // never destroyed: types outlive everything
  return *instance;
}

char layout_char(Layout l) {
  switch (l) {
    case Layout::C: return 'C';
    case Layout::F: return 'F';
    default: return 'A';
  }
}

}  // namespace

const Type* list_item(const Type* list) {
  const Type* item = list->elements[0];
  return item->kind == TypeKind::Unknown ? int64() : item;
}

std::string_view scalar_name(ScalarKind k) { return kScalarNames[static_cast<size_t>(k)]; }

bool Type::is_integer() const {
  return is_scalar() && scalar >= ScalarKind::Int8 && scalar <= ScalarKind::UInt64;
}
bool Type::is_signed() const {
  return is_scalar() && scalar >= ScalarKind::Int8 && scalar <= ScalarKind::Int64;
}
bool Type::is_float() const {
  return is_scalar() && (scalar == ScalarKind::Float32 || scalar == ScalarKind::Float64);
}
bool Type::is_complex() const {
  return is_scalar() && (scalar == ScalarKind::Complex64 || scalar == ScalarKind::Complex128);
}
int Type::bits() const {
  switch (scalar) {
    case ScalarKind::Bool: return 1;
    case ScalarKind::Int8: case ScalarKind::UInt8: return 8;
    case ScalarKind::Int16: case ScalarKind::UInt16: return 16;
    case ScalarKind::Int32: case ScalarKind::UInt32: case ScalarKind::Float32: return 32;
    case ScalarKind::Int64: case ScalarKind::UInt64: case ScalarKind::Float64:
    case ScalarKind::Complex64: return 64;
    case ScalarKind::Complex128: return 128;
    default: return abi::is_time_kind(scalar) ? 64 : 0;
  }
}
const Type* Type::dtype() const { return numjit::types::scalar(scalar); }

const Type* unknown() {
  static const Type* t = interner().intern(Type{.kind = TypeKind::Unknown, .name = "undefined"});
  return t;
}
const Type* none() {
  static const Type* t = interner().intern(
      Type{.kind = TypeKind::NoneType, .scalar = ScalarKind::None, .name = "none"});
  return t;
}
const Type* scalar(ScalarKind kind) {
  if (kind == ScalarKind::None) return none();
  return interner().intern(
      Type{.kind = TypeKind::Scalar, .scalar = kind, .name = std::string(scalar_name(kind))});
}
const Type* boolean() { return scalar(ScalarKind::Bool); }
const Type* int64() { return scalar(ScalarKind::Int64); }
const Type* uint64() { return scalar(ScalarKind::UInt64); }
const Type* float64() { return scalar(ScalarKind::Float64); }
const Type* complex128() { return scalar(ScalarKind::Complex128); }

const Type* array(ScalarKind dtype, int ndim, Layout layout, bool readonly) {
  // A 0-d or 1-d contiguous array is both C and F; Numba calls it C.
  if (ndim <= 1 && layout == Layout::F) layout = Layout::C;
  std::string name = std::string(readonly ? "readonly " : "") + "array(" +
                     std::string(scalar_name(dtype)) + ", " + std::to_string(ndim) + "d, " +
                     layout_char(layout) + ")";
  return interner().intern(Type{.kind = TypeKind::Array, .scalar = dtype, .ndim = ndim,
                                .layout = layout, .readonly = readonly, .name = std::move(name)});
}

const Type* tuple(const std::vector<const Type*>& elements) {
  std::string name = "Tuple(";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i) name += ", ";
    name += elements[i]->name;
  }
  name += ")";
  return interner().intern(
      Type{.kind = TypeKind::Tuple, .elements = elements, .name = std::move(name)});
}

const Type* named_tuple(std::string_view class_key, const std::vector<std::string>& fields,
                        const std::vector<const Type*>& elements) {
  std::string name = "NamedTuple[" + std::string(class_key) + "](";
  for (size_t i = 0; i < elements.size(); ++i) name += (i ? ", " : "") + fields[i] + ": " + elements[i]->name;
  name += ")";
  return interner().intern(Type{.kind = TypeKind::Tuple, .elements = elements, .name = std::move(name),
                                .class_key = std::string(class_key), .fields = fields});
}

const Type* tuple_like(const Type* tuple_type, const std::vector<const Type*>& elements) {
  if (tuple_type->is_named_tuple() && tuple_type->fields.size() == elements.size())
    return named_tuple(tuple_type->class_key, tuple_type->fields, elements);
  return tuple(elements);
}

bool is_jitclass_instance(const Type* t) {
  return t->kind == TypeKind::List && t->typed_container && t->elements[0]->is_named_tuple() &&
         t->elements[0]->class_key.ends_with(kJitclassFieldsSuffix);
}

std::string jitclass_key(const Type* instance) {
  const std::string& key = instance->elements[0]->class_key;
  return key.substr(0, key.size() - kJitclassFieldsSuffix.size());
}

const Type* optional(const Type* payload) {
  if (payload->kind == TypeKind::Optional || payload->kind == TypeKind::NoneType) return payload;
  return interner().intern(Type{.kind = TypeKind::Optional, .elements = {payload},
                                .name = "OptionalType(" + payload->name + ")"});
}

const Type* string_literal(std::string_view text) {
  std::string quoted;
  for (char c : text) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return interner().intern(Type{.kind = TypeKind::StringLiteral, .name = "str('" + quoted + "')", .text = std::string(text)});
}
const Type* string() {
  static const Type* t = interner().intern(Type{.kind = TypeKind::String, .name = "unicode_type"});
  return t;
}
const Type* slice() {
  static const Type* t = interner().intern(Type{.kind = TypeKind::Slice, .name = "slice"});
  return t;
}
const Type* range() {
  static const Type* t = interner().intern(Type{.kind = TypeKind::Range, .name = "range"});
  return t;
}
const Type* dtype_value(const Type* dtype) { return opaque("dtype(" + dtype->name + ")"); }
bool is_dtype_value(const Type* t) { return t->kind == TypeKind::Opaque && t->name.starts_with("dtype("); }
const Type* dtype_of_value(const Type* t) {
  return is_dtype_value(t) ? parse(t->name.substr(6, t->name.size() - 7)) : nullptr;  // dtype(<name>)
}
bool is_limits_value(const Type* t) {
  return t->kind == TypeKind::Opaque && (t->name.starts_with("finfo(") || t->name.starts_with("iinfo("));
}

const Type* pointer(const Type* pointee) {
  std::string name = pointee->kind == TypeKind::NoneType ? "voidptr" : "CPointer(" + pointee->name + ")";
  return interner().intern(Type{.kind = TypeKind::Pointer, .elements = {pointee}, .name = std::move(name)});
}

const Type* bytes() {
  static const Type* t = interner().intern(Type{.kind = TypeKind::Array, .scalar = ScalarKind::UInt8, .ndim = 1,
                                                .layout = Layout::C, .readonly = true, .name = "bytes"});
  return t;
}
const Type* numpy_random_generator() {
  static const Type* t = interner().intern(Type{.kind = TypeKind::Generator, .name = "NumPyRandomGeneratorType"});
  return t;
}
// Containers hold run-time strings: a string constant stored in one becomes one.
static const Type* stored(const Type* t) {
  if (t->kind == TypeKind::Tuple) {
    std::vector<const Type*> elements;
    for (const Type* e : t->elements) elements.push_back(stored(e));
    return tuple_like(t, elements);
  }
  return t->kind == TypeKind::StringLiteral ? string() : t;
}

const Type* dict(const Type* key, const Type* value, bool typed) {
  key = stored(key);
  value = stored(value);
  std::string name = typed ? "DictType[" + key->name + "," + value->name + "]"
                           : "dict(" + key->name + ", " + value->name + ")";
  return interner().intern(
      Type{.kind = TypeKind::Dict, .elements = {key, value}, .name = std::move(name), .typed_container = typed});
}
const Type* list(const Type* item, bool typed) {
  item = stored(item);
  std::string name = typed ? "ListType[" + item->name + "]" : "list(" + item->name + ")";
  return interner().intern(Type{.kind = TypeKind::List, .elements = {item}, .name = std::move(name), .typed_container = typed});
}
const Type* as_typed_container(const Type* container) {
  if (container->kind == TypeKind::List) return list(container->elements[0], true);
  if (container->kind == TypeKind::Dict) return dict(container->elements[0], container->elements[1], true);
  return container;
}

const Type* set_of(const Type* item) {
  item = stored(item);
  return interner().intern(Type{.kind = TypeKind::Set, .elements = {item}, .name = "set(" + item->name + ")"});
}

const Type* opaque(const std::string& what) {
  return interner().intern(Type{.kind = TypeKind::Opaque, .name = what});
}

const Type* integer_of(int bits, bool is_signed) {
  switch (bits) {
    case 8: return scalar(is_signed ? ScalarKind::Int8 : ScalarKind::UInt8);
    case 16: return scalar(is_signed ? ScalarKind::Int16 : ScalarKind::UInt16);
    case 32: return scalar(is_signed ? ScalarKind::Int32 : ScalarKind::UInt32);
    default: return scalar(is_signed ? ScalarKind::Int64 : ScalarKind::UInt64);
  }
}
const Type* float_of(int bits) { return scalar(bits <= 32 ? ScalarKind::Float32 : ScalarKind::Float64); }
const Type* complex_of(int float_bits) {
  return scalar(float_bits <= 32 ? ScalarKind::Complex64 : ScalarKind::Complex128);
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The comma-separated parts of a type list, commas inside brackets aside.
std::vector<std::string_view> split_top_level(std::string_view inner) {
  std::vector<std::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= inner.size(); ++i) {
    if (i < inner.size() && (inner[i] == '(' || inner[i] == '[')) ++depth;
    if (i < inner.size() && (inner[i] == ')' || inner[i] == ']')) --depth;
    if (i == inner.size() || (inner[i] == ',' && depth == 0)) {
      std::string_view part = trim(inner.substr(start, i - start));
      if (!part.empty()) parts.push_back(part);
      start = i + 1;
    }
  }
  return parts;
}

std::vector<const Type*> parse_all(const std::vector<std::string_view>& parts) {
  std::vector<const Type*> out;
  for (std::string_view part : parts) out.push_back(parse(part));
  return out;
}

}  // namespace

const Type* parse(std::string_view text) {
  text = trim(text);
  for (size_t k = 1; k < static_cast<size_t>(ScalarKind::Count); ++k)
    if (text == kScalarNames[k]) return scalar(static_cast<ScalarKind>(k));
  if (text == "boolean") return boolean();
  if (text == "unicode_type") return string();
  if (text == "NumPyRandomGeneratorType") return numpy_random_generator();
  if (text == "bytes") return bytes();
  if (text == "voidptr") return pointer(none());
  if (text.starts_with("CPointer(") && text.ends_with(")")) {
    const Type* pointee = parse(text.substr(9, text.size() - 10));
    return pointee && pointee->is_scalar() ? pointer(pointee) : nullptr;
  }
  // A Python object the dispatcher cannot pass to compiled code; kept so the
  // compiler can point at the parameter that receives it.
  if (text.starts_with("pyobject(") && text.ends_with(")")) return opaque(std::string(text));
  if (text.starts_with("str('") && text.ends_with("')")) {
    std::string value;
    std::string_view quoted = text.substr(5, text.size() - 7);
    for (size_t i = 0; i < quoted.size(); ++i) {
      if (quoted[i] == '\\' && i + 1 < quoted.size()) ++i;
      value += quoted[i];
    }
    return string_literal(value);
  }
  if (text.starts_with("list(") && text.ends_with(")")) {
    const Type* item = parse(text.substr(5, text.size() - 6));
    return item ? list(item) : nullptr;
  }
  if (text.starts_with("set(") && text.ends_with(")")) {
    const Type* item = parse(text.substr(4, text.size() - 5));
    return item ? set_of(item) : nullptr;
  }
  if (text.starts_with("ListType[") && text.ends_with("]")) {
    const Type* item = parse(text.substr(9, text.size() - 10));
    return item ? list(item, true) : nullptr;
  }
  for (std::string_view prefix : {"dict(", "DictType["}) {
    if (!text.starts_with(prefix)) continue;
    auto parts = parse_all(split_top_level(text.substr(prefix.size(), text.size() - prefix.size() - 1)));
    if (parts.size() != 2 || parts[0] == nullptr || parts[1] == nullptr) return nullptr;
    return dict(parts[0], parts[1], prefix == "DictType[");
  }
  if (text.starts_with("NamedTuple[") && text.ends_with(")")) {
    size_t key_end = text.find("](");
    if (key_end == std::string_view::npos) return nullptr;
    std::vector<std::string> fields;
    std::vector<const Type*> elements;
    for (std::string_view part : split_top_level(text.substr(key_end + 2, text.size() - key_end - 3))) {
      size_t colon = part.find(": ");
      const Type* element = colon == std::string_view::npos ? nullptr : parse(part.substr(colon + 2));
      if (!element) return nullptr;
      fields.emplace_back(part.substr(0, colon));
      elements.push_back(element);
    }
    return named_tuple(text.substr(11, key_end - 11), fields, elements);
  }
  if (text.starts_with("Tuple(") && text.ends_with(")")) {
    std::vector<const Type*> elements = parse_all(split_top_level(text.substr(6, text.size() - 7)));
    for (const Type* e : elements)
      if (!e) return nullptr;
    return tuple(elements);
  }
  bool readonly = false;
  if (text.starts_with("readonly ")) {
    readonly = true;
    text = trim(text.substr(9));
  }
  if (text.starts_with("array(") && text.ends_with(")")) {
    std::string_view inner = text.substr(6, text.size() - 7);
    size_t c1 = inner.find(','), c2 = inner.rfind(',');
    if (c1 == std::string_view::npos || c1 == c2) return nullptr;
    const Type* dt = parse(inner.substr(0, c1));
    std::string_view nd = trim(inner.substr(c1 + 1, c2 - c1 - 1));
    std::string_view lay = trim(inner.substr(c2 + 1));
    if (!dt || !dt->is_scalar() || nd.size() < 2 || nd.back() != 'd') return nullptr;
    int ndim = -1;
    auto digits = nd.substr(0, nd.size() - 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ndim);
    if (ec != std::errc() || end != digits.data() + digits.size()) return nullptr;
    Layout layout = lay == "C" ? Layout::C : lay == "F" ? Layout::F : Layout::Any;
    if (ndim < 0 || ndim > abi::kMaxNdim) return nullptr;
    return array(dt->scalar, ndim, layout, readonly);
  }
  return nullptr;
}

}  // namespace numjit::types
