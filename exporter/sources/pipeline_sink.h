#pragma once

#include "ingest/ingest_pipeline.h"
#include "sources/record_sink.h"
#include "tenancy/tenant_directory.h"

namespace vitals::sources {

// The sink every source uses in vitals: the pushed events' parser and pipeline, so scraped
// events get the same validation, idempotency by `id` and durability. A record may only claim
// the source's tenant; any other tenant is rejected as `unknown tenant`, as for a token that may
// not write it.
class PipelineSink final : public RecordSink {
 public:
  PipelineSink(IngestPipeline& pipeline, std::string source, Tenant tenant, TimeMs retention,
               const Clock& clock)
      : pipeline_(pipeline),
        source_(std::move(source)),
        tenant_(std::move(tenant)),
        retention_(retention),
        clock_(clock) {}

  Delivery deliver(std::string_view ndjson, const std::string& position) override;

 private:
  IngestPipeline& pipeline_;
  std::string source_;
  Tenant tenant_;
  TimeMs retention_;
  const Clock& clock_;
};

}  // namespace vitals::sources
