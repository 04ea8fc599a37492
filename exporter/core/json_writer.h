#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals {

// Writes JSON text straight into a string, for responses with thousands of rows where building
// an nlohmann tree first (an allocation per object, key and string) costs more than computing
// the numbers. Integers are written as integers; finite doubles as the shortest text that reads
// back to the same double, with ".0" when whole (as nlohmann writes them); non-finite ones as
// null. Strings are expected to be valid UTF-8 (they come from validated
// input) and are escaped as JSON requires.
class JsonWriter {
 public:
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(std::uint64_t n);
  JsonWriter& value(std::int64_t n);
  JsonWriter& value(double x);
  JsonWriter& value(std::optional<double> x) { return x ? value(*x) : null(); }
  JsonWriter& null();

  // Room for `bytes` of text, when the caller can tell how long the document will be: growing
  // a string of hundreds of kilobytes by doubling copies it a dozen times.
  JsonWriter& reserve(size_t bytes) {
    out_.reserve(bytes);
    return *this;
  }

  // The text written so far; the writer is empty afterwards.
  std::string take();

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void before_value();
  void write_string(std::string_view text);

  std::string out_;
  // One flag per open object or array: nothing written in it yet. (std::vector<bool>'s bit
  // access showed in profiles of the envelope.)
  std::vector<unsigned char> first_in_container_;
  bool after_key_ = false;
};

}  // namespace vitals
