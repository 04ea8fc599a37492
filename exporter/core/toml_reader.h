#pragma once

#include <toml++/toml.h>

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/time_format.h"

namespace vitals {

// A mistake in a TOML file, with where it is.
struct SourceProblem {
  std::string file;
  int line = 0;  // 0 when the problem has no single place (e.g. a missing table)
  std::string key;
  std::string message;
  std::string to_string() const;
};

// Walks one TOML table, reporting every problem with its place and rejecting unknown keys, so
// that a misspelt key is an error rather than a silently ignored setting.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, std::string file,
              std::vector<SourceProblem>& problems)
      : table_(table), path_(std::move(path)), file_(std::move(file)), problems_(problems) {}

  ~TableReader() {
    for (auto&& [key, node] : table_) {
      if (!seen_.count(std::string(key.str()))) {
        problem(node, std::string(key.str()), "unknown key");
      }
    }
  }

  const toml::node* get(std::string_view key) {
    seen_.insert(std::string(key));
    return table_.get(key);
  }

  template <class T>
  std::optional<T> value(std::string_view key, std::string_view type_name) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    if (auto v = node->value<T>()) return v;
    problem(*node, std::string(key), "must be " + std::string(type_name));
    return std::nullopt;
  }

  std::optional<std::string> string(std::string_view key) {
    return value<std::string>(key, "a string");
  }

  std::optional<TimeMs> duration(std::string_view key) {
    auto text = string(key);
    if (!text) return std::nullopt;
    auto d = parse_duration(*text);
    if (!d) problem(*get(key), std::string(key), "is not a duration like \"15s\" or \"35d\"");
    return d;
  }

  // An integer or a float.
  std::optional<double> number(std::string_view key) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    if (auto v = node->value<double>()) return v;
    problem(*node, std::string(key), "must be a number");
    return std::nullopt;
  }

  std::optional<std::vector<std::string>> string_list(std::string_view key) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    const toml::array* list = node->as_array();
    std::vector<std::string> out;
    for (size_t i = 0; list && i < list->size(); ++i) {
      auto text = list->at(i).value<std::string>();
      if (!text) break;
      out.push_back(std::move(*text));
    }
    if (!list || out.size() != list->size()) {
      problem(*node, std::string(key), "must be an array of strings");
      return std::nullopt;
    }
    return out;
  }

  // An inline table of strings, e.g. labels = { team = "data" }.
  std::optional<std::map<std::string, std::string>> string_table(std::string_view key) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    const toml::table* table = node->as_table();
    if (!table) {
      problem(*node, std::string(key), "must be a table of strings");
      return std::nullopt;
    }
    std::map<std::string, std::string> out;
    for (auto&& [name, value] : *table) {
      auto text = value.value<std::string>();
      if (!text) {
        problem(value, std::string(key) + "." + std::string(name.str()), "must be a string");
        return std::nullopt;
      }
      out.emplace(std::string(name.str()), std::move(*text));
    }
    return out;
  }

  void problem(const toml::node& node, const std::string& key, std::string message) {
    problems_.push_back(
        {file_, static_cast<int>(node.source().begin.line), qualified(key), std::move(message)});
  }

  void problem_here(const std::string& key, std::string message) {
    problem(table_, key, std::move(message));
  }

  // At the line of `node` when there is one (a key that is present), else at the table's.
  void problem_at(const toml::node* node, const std::string& key, std::string message) {
    problem(node ? *node : table_, key, std::move(message));
  }

  std::string qualified(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  const std::string& file() const { return file_; }
  std::vector<SourceProblem>& problems() { return problems_; }

 private:
  const toml::table& table_;
  std::string path_;
  std::string file_;
  std::vector<SourceProblem>& problems_;
  std::set<std::string> seen_;
};

// Parses TOML text; a syntax error becomes one problem with its line, and nullopt.
inline std::optional<toml::table> parse_toml(std::string_view text, const std::string& file,
                                             std::vector<SourceProblem>& problems) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    problems.push_back(
        {file, static_cast<int>(e.source().begin.line), "", std::string(e.description())});
    return std::nullopt;
  }
}

// The whole file as text; nullopt (and a problem) when it cannot be read.
inline std::optional<std::string> read_source_file(const std::string& path,
                                                   std::vector<SourceProblem>& problems) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back({path, 0, "", "cannot read the file"});
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string SourceProblem::to_string() const {
  std::ostringstream out;
  out << file;
  if (line > 0) out << ":" << line;
  if (!key.empty()) out << ": " << key;
  out << ": " << message;
  return out.str();
}

}  // namespace vitals
