#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vitals {

// Typed reads of a request body's fields. Each read returns a harmless default when the field is
// not acceptable and remembers the first problem ("title: must be a string of 1 to 256 bytes"),
// so a handler reads every field in a row and answers 400 with that problem. Unknown fields are
// ignored.
class JsonFields {
 public:
  explicit JsonFields(const nlohmann::json& object) : object_(object) {}

  // A required string of 1 to max_bytes bytes.
  std::string text(std::string_view name, size_t max_bytes);
  // A required string, one of `allowed`.
  std::string choice(std::string_view name, std::span<const std::string_view> allowed);
  // Absent or null: nullopt; otherwise as text().
  std::optional<std::string> nullable_text(std::string_view name, size_t max_bytes);
  // Absent: false; otherwise must be true or false.
  bool flag(std::string_view name);
  // Absent: {}; otherwise an object of at most max_bytes bytes as compact JSON.
  nlohmann::json object(std::string_view name, size_t max_bytes);

  // Records a problem found by the caller (a value outside a list, say).
  void reject(std::string_view name, std::string_view rule);
  const std::optional<std::string>& problem() const { return problem_; }

 private:
  const nlohmann::json* find(std::string_view name) const;

  const nlohmann::json& object_;
  std::optional<std::string> problem_;
};

}  // namespace vitals
