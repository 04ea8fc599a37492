#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vitals::testing {

// One POST of events to /api/v1/events and how it ended.
struct SentBatch {
  // Every event's id is `name` + "-e" + its index in the batch, so the store can be asked which
  // of a batch's events it holds.
  std::string name;
  std::string body;  // NDJSON, as sent (to send again with the same ids)
  size_t events = 0;
  long status = 0;  // 0: no HTTP answer (connection refused or reset, timeout)
  std::string error;

  bool acknowledged() const { return status == 200; }
};

// The NDJSON of one batch named `name`: `events` successful webhook events over both example
// tenants, each with its own id (see SentBatch::name).
std::string batch_body(const std::string& name, size_t events);

// Several clients ingesting at full speed, each a thread with its own keep-alive connection,
// POSTing batches back to back. A client stops at its first batch that is not acknowledged (the
// server died or refuses) or when stop() is called, and every batch it sent is recorded.
class IngestClients {
 public:
  struct Options {
    std::string url;  // of /api/v1/events
    std::string token = "dev-ingest-token";
    int clients = 4;
    size_t batch_size = 20;
    std::string run = "run";  // batch names are `run`-c<client>-b<n>, unique per run
  };

  explicit IngestClients(Options options);
  ~IngestClients();
  IngestClients(const IngestClients&) = delete;
  IngestClients& operator=(const IngestClients&) = delete;

  // Waits for every client to finish its current batch.
  void stop();
  // Batches sent so far, acknowledged or not.
  std::vector<SentBatch> batches() const;
  size_t acknowledged_batches() const;

 private:
  void run(int client);

  Options options_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<SentBatch> batches_;
  std::vector<std::thread> threads_;
};

}  // namespace vitals::testing
