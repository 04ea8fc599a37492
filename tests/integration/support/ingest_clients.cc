#include "support/ingest_clients.h"

#include <algorithm>

#include "support/http_client.h"

namespace vitals::testing {

std::string batch_body(const std::string& name, size_t events) {
  std::string body;
  for (size_t i = 0; i < events; ++i) {
    const nlohmann::json event = {{"tenant", i % 2 == 0 ? "acme" : "globex"},
                                  {"type", "webhook"},
                                  {"key", "k" + std::to_string(i % 10)},
                                  {"status", "success"},
                                  {"latency_ms", 12},
                                  {"id", name + "-e" + std::to_string(i)}};
    body += event.dump();
    body += '\n';
  }
  return body;
}

IngestClients::IngestClients(Options options) : options_(std::move(options)) {
  for (int c = 0; c < options_.clients; ++c) threads_.emplace_back([this, c] { run(c); });
}

IngestClients::~IngestClients() {
  stop();
}

void IngestClients::stop() {
  stopping_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

std::vector<SentBatch> IngestClients::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

size_t IngestClients::acknowledged_batches() const {
  std::lock_guard lock(mutex_);
  return std::count_if(batches_.begin(), batches_.end(),
                       [](const SentBatch& b) { return b.acknowledged(); });
}

void IngestClients::run(int client) {
  HttpClient http;
  http.set_timeout(std::chrono::seconds(30));
  const HeaderList headers = {{"Authorization", "Bearer " + options_.token},
                              {"Content-Type", "application/x-ndjson"}};
  for (int n = 0; !stopping_; ++n) {
    SentBatch batch;
    batch.name = options_.run + "-c" + std::to_string(client) + "-b" + std::to_string(n);
    batch.body = batch_body(batch.name, options_.batch_size);
    batch.events = options_.batch_size;
    const HttpResponse answer = http.post(options_.url, batch.body, headers);
    batch.status = answer.status;
    batch.error = answer.status == 0 ? answer.error : answer.body;
    const bool acknowledged = batch.acknowledged();
    {
      std::lock_guard lock(mutex_);
      batches_.push_back(std::move(batch));
    }
    if (!acknowledged) return;
  }
}

}  // namespace vitals::testing
