#include "core/json_writer.h"

#include <charconv>
#include <cmath>

namespace vitals {

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (first_in_container_.empty()) return;
  if (!first_in_container_.back()) out_ += ',';
  first_in_container_.back() = false;
}

JsonWriter& JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  first_in_container_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  out_ += bracket;
  first_in_container_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  write_string(name);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  write_string(text);
  return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t n) {
  before_value();
  char digits[24];
  out_.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t n) {
  before_value();
  char digits[24];
  out_.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
  return *this;
}

JsonWriter& JsonWriter::value(double x) {
  if (!std::isfinite(x)) return null();
  before_value();
  char digits[32];
  const char* end = std::to_chars(digits, digits + sizeof digits, x).ptr;
  const std::string_view text(digits, static_cast<size_t>(end - digits));
  out_ += text;
  if (text.find_first_of(".e") == std::string_view::npos) out_ += ".0";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

std::string JsonWriter::take() {
  first_in_container_.clear();
  after_key_ = false;
  return std::move(out_);
}

namespace {

// The escaped form of a quote, a backslash or a control character.
std::string_view escape_of(char c, char (&buffer)[6]) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    default:
      buffer[0] = '\\';
      buffer[1] = 'u';
      buffer[2] = '0';
      buffer[3] = '0';
      buffer[4] = kHex[(c >> 4) & 0xf];
      buffer[5] = kHex[c & 0xf];
      return {buffer, 6};
  }
}

}  // namespace

// Runs of characters that need no escape are appended whole: the envelope's strings (keys,
// times, names) seldom hold one, and a character at a time was a tenth of its writing.
void JsonWriter::write_string(std::string_view text) {
  out_ += '"';
  size_t run_start = 0;  // of the characters not yet appended
  char buffer[6];
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\') continue;
    const std::string_view escaped = escape_of(c, buffer);
    out_.append(text.data() + run_start, i - run_start);
    out_ += escaped;
    run_start = i + 1;
  }
  out_.append(text.data() + run_start, text.size() - run_start);
  out_ += '"';
}

}  // namespace vitals
