// server.request_timeout and server.threads against clients that hold connections: a slowloris
// client is cut off after the timeout while others are served, a body that stalls stores
// nothing, and more connections than threads only make later clients wait.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <vector>

#include "support/raw_exchange.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr double kTimeout = 1.0;  // server.request_timeout below, in seconds

const std::string kSlowClientEvent =
    R"({"tenant":"acme","type":"slow_client","status":"success","counts":{"rows":1}})"
    "\n";

std::string post_head(size_t content_length) {
  return "POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
         "Authorization: Bearer dev-ingest-token\r\nContent-Type: application/x-ndjson\r\n"
         "Content-Length: " +
         std::to_string(content_length) + "\r\n\r\n";
}

class ConnectionLimits : public ::testing::Test {
 protected:
  ConnectionLimits() : vitals_("threads = 4\nrequest_timeout = \"1s\"\n") {}
  void SetUp() override { vitals_.start(); }

  // A normal client's request, timed, while a slow one is at work.
  void expect_served_quickly() {
    HttpClient client;
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(client.get(vitals_.url("/-/healthy")).status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(500));
  }

  double slow_client_events() {
    return vitals_.metric(
        R"(vitals_integration_events_total{integration_key="slow_client",)"
        R"(integration_type="slow_client",mode="default",status="success",tenant="acme"})");
  }

  VitalsProcess vitals_;
};

TEST_F(ConnectionLimits, AHeaderTrickledAByteAtATimeIsCutOffAfterTheTimeout) {
  const std::string request = post_head(kSlowClientEvent.size()) + kSlowClientEvent;
  auto slow = std::async(std::launch::async, [&] {
    return trickle_exchange(vitals_.port(), "", request, milliseconds(100), seconds(10));
  });
  std::this_thread::sleep_for(milliseconds(300));
  expect_served_quickly();
  const TrickleResult result = slow.get();
  std::printf("header trickle cut off after %.2f s, %zu bytes sent\n", result.closed_after,
              result.dripped);
  EXPECT_TRUE(result.closed) << result.reply;
  EXPECT_GE(result.closed_after, kTimeout * 0.9);
  EXPECT_LT(result.closed_after, kTimeout + 2.0);
  EXPECT_LT(result.dripped, request.size() / 2) << "the header never finished";
  EXPECT_EQ(slow_client_events(), -1);
}

TEST_F(ConnectionLimits, ABodyTrickledAByteAtATimeGets408AndStoresNothing) {
  const std::string body = kSlowClientEvent + kSlowClientEvent + kSlowClientEvent;
  auto slow = std::async(std::launch::async, [&] {
    return trickle_exchange(vitals_.port(), post_head(body.size()), body, milliseconds(100),
                            seconds(10));
  });
  std::this_thread::sleep_for(milliseconds(300));
  expect_served_quickly();
  const TrickleResult result = slow.get();
  std::printf("body trickle cut off after %.2f s, %zu body bytes sent\n", result.closed_after,
              result.dripped);
  EXPECT_TRUE(result.closed) << result.reply;
  EXPECT_NE(result.reply.find("HTTP/1.1 408"), std::string::npos) << result.reply;
  EXPECT_NE(result.reply.find("request_timeout"), std::string::npos);
  EXPECT_LT(result.closed_after, kTimeout + 2.0);
  EXPECT_LT(result.dripped, body.size());
  EXPECT_EQ(slow_client_events(), -1);
}

TEST_F(ConnectionLimits, ABodyThatStopsHalfWayGets408AndStoresNothing) {
  const std::string body = kSlowClientEvent + kSlowClientEvent;
  const auto started = std::chrono::steady_clock::now();
  const std::string reply = raw_exchange(
      vitals_.port(), post_head(body.size()) + body.substr(0, body.size() / 2), seconds(10));
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("half a body answered after %.2f s\n", took);
  EXPECT_NE(reply.find("HTTP/1.1 408"), std::string::npos) << reply;
  EXPECT_GE(took, kTimeout * 0.9);
  EXPECT_LT(took, kTimeout + 2.0);
  EXPECT_EQ(slow_client_events(), -1);
  // The same body sent whole is stored: nothing else was wrong with it.
  ASSERT_EQ(vitals_.ingest(body).status, 200);
  EXPECT_EQ(slow_client_events(), 2);
}

TEST_F(ConnectionLimits, MoreConnectionsThanThreadsWaitTheirTurn) {
  // Twelve silent connections for four threads: the first four hold a thread each until the
  // header timeout, the others wait in civetweb's queue and then the same.
  std::vector<std::unique_ptr<IdleConnection>> idle;
  for (int i = 0; i < 12; ++i) idle.push_back(std::make_unique<IdleConnection>(vitals_.port()));
  HttpClient client;
  client.set_timeout(seconds(20));
  const auto started = std::chrono::steady_clock::now();
  const HttpResponse during = client.get(vitals_.url("/-/healthy"));
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("12 idle connections on 4 threads: a request waited %.2f s\n", waited);
  EXPECT_EQ(during.status, 200) << during.error;
  EXPECT_LT(waited, 4 * kTimeout + 3.0) << "each idle connection is dropped after the timeout";
  idle.clear();
  HttpClient after;
  EXPECT_EQ(after.get(vitals_.url("/-/healthy")).status, 200);
  ASSERT_EQ(vitals_.ingest(kSlowClientEvent).status, 200);
  EXPECT_EQ(slow_client_events(), 1);
}

}  // namespace
}  // namespace vitals::testing
