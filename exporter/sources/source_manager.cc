#include "sources/source_manager.h"

#include <random>
#include <stdexcept>

#include "sources/file_tailer.h"
#include "sources/http_source.h"

namespace vitals::sources {
namespace {

std::function<double()> jitter() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0, 1)(*engine); };
}

}  // namespace

SourceManager::SourceManager(const std::vector<SourceConfig>& configs, const Context& context) {
  for (const auto& config : configs) running_.push_back(build(config, context));
}

SourceManager::~SourceManager() {
  stop();
}

std::unique_ptr<SourceManager::Running> SourceManager::build(const SourceConfig& config,
                                                             const Context& context) {
  const Tenant* tenant = context.tenants.find(config.tenant);
  if (!tenant) throw std::runtime_error("source " + config.name + ": unknown tenant");
  auto r = std::make_unique<Running>();
  r->sink = std::make_unique<PipelineSink>(context.pipeline, config.name, *tenant,
                                           context.retention, context.clock);
  const auto saved = context.positions.load(config.name);
  std::unique_ptr<Source> source;
  if (config.http) {
    r->http = std::make_unique<notify::CurlSender>();
    source = std::make_unique<HttpSource>(*config.http, config.timeout, *r->http, *r->sink, saved,
                                          tenant->slug);
  } else {
    source = std::make_unique<FileTailer>(*config.file, *r->sink, saved);
  }
  r->runner = std::make_unique<SourceRunner>(config.name, std::move(source),
                                             SourceRunner::Timing{config.interval, config.backoff},
                                             context.metrics, context.clock, jitter());
  SourceRunner* runner = r->runner.get();
  r->loop = std::make_unique<WakeableLoop>([runner] {
    const TimeMs rest = runner->run_once();
    return WakeableLoop::Rest{rest, rest};
  });
  return r;
}

void SourceManager::start() {
  for (auto& r : running_) r->loop->start();
}

void SourceManager::stop() {
  for (auto& r : running_) r->runner->request_stop();
  for (auto& r : running_) r->loop->stop();
}

}  // namespace vitals::sources
