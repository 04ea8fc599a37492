#include "api/json_fields.h"

#include "api/json_values.h"

namespace vitals {
namespace {

std::string text_rule(size_t max_bytes) {
  return "a string of 1 to " + std::to_string(max_bytes) + " bytes";
}

bool is_text_of(const nlohmann::json& value, size_t max_bytes) {
  if (!value.is_string()) return false;
  const auto& text = value.get_ref<const std::string&>();
  return !text.empty() && text.size() <= max_bytes;
}

}  // namespace

const nlohmann::json* JsonFields::find(std::string_view name) const {
  const auto it = object_.find(name);
  return it == object_.end() ? nullptr : &*it;
}

void JsonFields::reject(std::string_view name, std::string_view rule) {
  if (!problem_) problem_ = std::string(name) + ": " + std::string(rule);
}

std::string JsonFields::text(std::string_view name, size_t max_bytes) {
  const nlohmann::json* value = find(name);
  if (!value || !is_text_of(*value, max_bytes)) {
    reject(name, "must be " + text_rule(max_bytes));
    return {};
  }
  return value->get<std::string>();
}

std::string JsonFields::choice(std::string_view name, std::span<const std::string_view> allowed) {
  const nlohmann::json* value = find(name);
  if (value && value->is_string()) {
    for (auto option : allowed) {
      if (value->get_ref<const std::string&>() == option) return std::string(option);
    }
  }
  reject(name, "must be one of " + comma_separated(allowed));
  return {};
}

std::optional<std::string> JsonFields::nullable_text(std::string_view name, size_t max_bytes) {
  const nlohmann::json* value = find(name);
  if (!value || value->is_null()) return std::nullopt;
  if (!is_text_of(*value, max_bytes)) {
    reject(name, "must be null or " + text_rule(max_bytes));
    return std::nullopt;
  }
  return value->get<std::string>();
}

bool JsonFields::flag(std::string_view name) {
  const nlohmann::json* value = find(name);
  if (!value) return false;
  if (!value->is_boolean()) {
    reject(name, "must be true or false");
    return false;
  }
  return value->get<bool>();
}

nlohmann::json JsonFields::object(std::string_view name, size_t max_bytes) {
  const nlohmann::json* value = find(name);
  if (!value) return nlohmann::json::object();
  if (!value->is_object() || value->dump().size() > max_bytes) {
    reject(name, "must be an object of at most " + std::to_string(max_bytes) + " bytes as JSON");
    return nlohmann::json::object();
  }
  return *value;
}

}  // namespace vitals
