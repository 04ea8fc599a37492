#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "api/api_context.h"
#include "http/router.h"

namespace vitals {

// The query of GET /v1/analytics/integrations/dashboard, once validated.
struct DashboardQuery {
  Step granularity = Step::kHour;
  std::optional<std::string> integration_key;
  std::optional<std::string> mode;
  std::optional<std::string> slug;
  TimeMs start = 0;  // start_date 00:00 UTC
  TimeMs end = 0;    // end_date + 1 day, 00:00 UTC (exclusive)
};

// FastAPI-style validation problems (422) or an ErrorResponse-style refusal (400).
struct DashboardQueryProblems {
  nlohmann::ordered_json detail = nlohmann::ordered_json::array();
};
struct DashboardQueryRefusal {
  std::string message;
};

std::variant<DashboardQuery, DashboardQueryProblems, DashboardQueryRefusal> parse_dashboard_query(
    const Request& request);

// The envelope over the given tenants, as JSON text; every panel is a view over the rollups.
std::string build_dashboard(const RollupEngine& rollups, const std::vector<std::string>& tenant_ids,
                            const DashboardQuery& query);

void register_dashboard_api(Router& router, ApiContext& ctx);

}  // namespace vitals
