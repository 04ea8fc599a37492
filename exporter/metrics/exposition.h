#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <string_view>
#include <vector>

namespace vitals {

enum class ExpositionFormat { kText004, kOpenMetrics100 };

// Chooses OpenMetrics only when the scraper lists it in Accept, as Prometheus does.
ExpositionFormat negotiate_exposition(std::string_view accept_header);
std::string_view content_type_of(ExpositionFormat format);

std::string render_exposition(const std::vector<prometheus::MetricFamily>& families,
                              ExpositionFormat format);

}  // namespace vitals
