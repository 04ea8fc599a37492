#pragma once

#include <memory>
#include <vector>

#include "core/clock.h"
#include "core/wakeable_loop.h"
#include "ingest/ingest_pipeline.h"
#include "metrics/source_metrics.h"
#include "notify/curl_sender.h"
#include "sources/pipeline_sink.h"
#include "sources/source_config.h"
#include "sources/source_runner.h"
#include "store/source_position_store.h"
#include "tenancy/tenant_directory.h"

namespace vitals::sources {

// Every configured source, each polled on a thread of its own (a slow or hung service delays
// only its own source, by at most its timeout). Positions are read from the store once, here;
// from then on each source keeps its own and writes it with its events.
class SourceManager {
 public:
  struct Context {
    IngestPipeline& pipeline;
    const TenantDirectory& tenants;
    SourcePositionStore& positions;
    SourceMetrics& metrics;
    const Clock& clock;
    TimeMs retention;
  };

  SourceManager(const std::vector<SourceConfig>& configs, const Context& context);
  ~SourceManager();

  void start();
  void stop();  // waits for the requests in progress, each bounded by its source's timeout
  size_t size() const { return running_.size(); }

 private:
  struct Running {
    std::unique_ptr<notify::CurlSender> http;  // only for HTTP sources
    std::unique_ptr<PipelineSink> sink;
    std::unique_ptr<SourceRunner> runner;
    std::unique_ptr<WakeableLoop> loop;
  };

  std::unique_ptr<Running> build(const SourceConfig& config, const Context& context);

  std::vector<std::unique_ptr<Running>> running_;
};

}  // namespace vitals::sources
