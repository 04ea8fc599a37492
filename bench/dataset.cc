#include "dataset.h"

#include <random>

#include "core/time_format.h"

namespace vitals::bench {

std::string tenant_name(int index) {
  return "tenant-" + std::to_string(index);
}

void generate_dataset(const DatasetShape& shape, TimeMs end, size_t batch_size,
                      const std::function<void(std::vector<StoredEvent>&)>& emit) {
  std::mt19937_64 rng(shape.seed);
  std::lognormal_distribution<double> latency(5.0, 1.0);
  const TimeMs span = shape.days * kMsPerDay;
  const TimeMs start = end - span;
  std::vector<std::string> tenants, types, keys, modes, categories;
  for (int i = 0; i < shape.tenants; ++i) tenants.push_back(tenant_name(i));
  for (int i = 0; i < shape.types; ++i) types.push_back("type_" + std::to_string(i));
  for (int i = 0; i < shape.keys; ++i) keys.push_back("key-" + std::to_string(i));
  for (int i = 0; i < shape.modes; ++i) modes.push_back("mode_" + std::to_string(i));
  for (int i = 0; i < shape.categories; ++i) categories.push_back("cat_" + std::to_string(i));
  std::vector<StoredEvent> batch;
  batch.reserve(batch_size);
  for (std::uint64_t i = 0; i < shape.events; ++i) {
    StoredEvent s;
    s.seq = static_cast<std::int64_t>(i + 1);
    Event& e = s.event;
    const auto key = rng() % keys.size();
    e.tenant_id = tenants[rng() % tenants.size()];
    e.type = types[key % types.size()];
    e.key = keys[key];
    e.mode = modes[rng() % modes.size()];
    const auto roll = rng() % 100;
    e.status = roll < 90 ? EventStatus::kSuccess
                         : (roll < 96 ? EventStatus::kVendorError : EventStatus::kException);
    if (is_failure(e.status)) e.error_category = categories[rng() % categories.size()];
    e.time = start + static_cast<TimeMs>(i * static_cast<std::uint64_t>(span) / shape.events);
    if (rng() % 10 != 0) e.latency_ms = latency(rng);
    batch.push_back(std::move(s));
    if (batch.size() == batch_size) {
      emit(batch);
      batch.clear();
    }
  }
  if (!batch.empty()) emit(batch);
}

void append_ndjson(const Event& e, std::string& out) {
  out += R"({"tenant":")" + e.tenant_id + R"(","type":")" + e.type + R"(","key":")" + e.key +
         R"(","mode":")" + e.mode + R"(","status":")" + std::string(status_name(e.status)) +
         R"(","time":")" + format_rfc3339_ms(e.time) + '"';
  if (e.latency_ms) out += R"(,"latency_ms":)" + std::to_string(*e.latency_ms);
  if (!e.error_category.empty()) out += R"(,"error":{"category":")" + e.error_category + R"("})";
  out += "}\n";
}

}  // namespace vitals::bench
