// Checks the integration-test helpers themselves against real processes, so a failing
// integration test points at vitals rather than at its harness.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>

#include <gtest/gtest.h>

#include "support/alertmanager_server.h"
#include "support/http_client.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/prometheus_server.h"
#include "support/promtool.h"
#include "support/raw_exchange.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace vitals::testing {
namespace {

using namespace std::chrono_literals;

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

TEST(FreeLoopbackPort, CanBeBound) {
  const int port = free_loopback_port();
  ASSERT_GT(port, 0);
  ASSERT_LT(port, 65536);

  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ::close(fd);
}

TEST(TempDir, WritesFilesAndRemovesEverything) {
  std::filesystem::path root;
  {
    TempDir dir;
    root = dir.path();
    ASSERT_TRUE(std::filesystem::is_directory(root));
    const auto file = dir.write_file("nested/a.txt", std::string("x\0y", 3));
    EXPECT_EQ(file, root / "nested/a.txt");
    EXPECT_EQ(slurp(file), std::string("x\0y", 3));
  }
  EXPECT_FALSE(std::filesystem::exists(root));
}

TEST(TempDir, DistinctInstancesDoNotShare) {
  TempDir a;
  TempDir b;
  EXPECT_NE(a.path(), b.path());
}

TEST(WaitUntil, ReportsWhetherTheConditionWasMet) {
  int calls = 0;
  EXPECT_TRUE(wait_until([&] { return ++calls >= 3; }, 5s, 1ms));
  EXPECT_EQ(calls, 3);
  EXPECT_FALSE(wait_until([] { return false; }, 20ms, 5ms));
}

class ChildProcessTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::filesystem::path log_ = dir_.path() / "child.log";
};

TEST_F(ChildProcessTest, TerminateStopsSleepWithSigterm) {
  ChildProcess sleeper;
  sleeper.start({"/bin/sleep", "30"}, {}, log_);
  ASSERT_GT(sleeper.pid(), 0);
  EXPECT_TRUE(sleeper.running());

  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(sleeper.terminate(5s), -SIGTERM);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_FALSE(sleeper.running());
  EXPECT_EQ(sleeper.exit_status(), -SIGTERM);
  // Once reaped, terminating again must not signal anything and reports the same status.
  EXPECT_EQ(sleeper.terminate(5s), -SIGTERM);
}

TEST_F(ChildProcessTest, TerminateFallsBackToSigkill) {
  ChildProcess stubborn;
  // exec keeps the ignored SIGTERM in the sleeping process itself, leaving no orphan behind.
  stubborn.start({"/bin/sh", "-c", "trap '' TERM; exec /bin/sleep 30"}, {}, log_);
  // Give the shell time to install the trap, otherwise SIGTERM would simply end it.
  ASSERT_TRUE(wait_until(
      [&] {
        std::ifstream status("/proc/" + std::to_string(stubborn.pid()) + "/comm");
        std::string comm;
        status >> comm;
        return comm == "sleep";
      },
      10s, 5ms));
  EXPECT_EQ(stubborn.terminate(200ms), -SIGKILL);
}

TEST_F(ChildProcessTest, ReportsExitCodeAndCapturesOutputAndEnvironment) {
  ChildProcess child;
  child.start({"sh", "-c", "echo out:$VITALS_SELFTEST; echo err >&2; exit 3"},
              {{"VITALS_SELFTEST", "hello"}}, log_);
  const auto status = child.wait_exit(10s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 3);
  const std::string log = child.read_log();
  EXPECT_NE(log.find("out:hello"), std::string::npos) << log;
  EXPECT_NE(log.find("err"), std::string::npos) << log;
}

TEST_F(ChildProcessTest, WaitExitTimesOutWhileRunning) {
  ChildProcess sleeper;
  sleeper.start({"/bin/sleep", "30"}, {}, log_);
  EXPECT_FALSE(sleeper.wait_exit(50ms).has_value());
  EXPECT_EQ(sleeper.kill_hard(), -SIGKILL);
}

TEST_F(ChildProcessTest, DestructorKillsRunningChild) {
  pid_t pid = -1;
  {
    ChildProcess sleeper;
    sleeper.start({"/bin/sleep", "30"}, {}, log_);
    pid = sleeper.pid();
  }
  // The destructor killed and reaped it: the PID is no longer a child of ours.
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST_F(ChildProcessTest, MissingProgramThrows) {
  ChildProcess child;
  EXPECT_THROW(child.start({"/nonexistent/program"}, {}, log_), std::system_error);
  EXPECT_FALSE(child.running());
}

// Accepts one connection on a loopback port, records the request bytes it receives and answers
// 204, so tests can see exactly what HttpClient puts on the wire.
class OneShotRecorder {
 public:
  OneShotRecorder() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(listener_, 1) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::system_error(errno, std::generic_category(), "recorder listen");
    }
    port_ = ntohs(addr.sin_port);
    server_ = std::thread([this] { serve(); });
  }
  ~OneShotRecorder() {
    ::shutdown(listener_, SHUT_RDWR);
    if (server_.joinable()) server_.join();
    ::close(listener_);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/x"; }
  // Waits for the single request to have been answered.
  std::string request() {
    if (server_.joinable()) server_.join();
    return request_;
  }

 private:
  void serve() {
    const int conn = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) return;
    char buffer[4096];
    while (!complete()) {
      const ssize_t n = ::recv(conn, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      request_.append(buffer, static_cast<size_t>(n));
    }
    const std::string reply = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
    [[maybe_unused]] ssize_t sent = ::send(conn, reply.data(), reply.size(), MSG_NOSIGNAL);
    ::close(conn);
  }

  bool complete() const {
    const auto end = request_.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const std::string head = request_.substr(0, end);
    const auto cl = head.find("Content-Length: ");
    const size_t length = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 16));
    return request_.size() >= end + 4 + length;
  }

  int listener_ = -1;
  int port_ = 0;
  std::thread server_;
  std::string request_;
};

TEST(HttpClient, SendsMethodHeadersAndBinaryBodyExactly) {
  const std::string gzip_like("\x1f\x8b\x00\x01binary", 10);
  OneShotRecorder recorder;
  HttpClient client;
  client.set_default_header("Authorization", "Bearer token");
  const HttpResponse response =
      client.patch(recorder.url(), gzip_like,
                   {{"Content-Encoding", "gzip"}, {"X-Twice", "1"}, {"X-Twice", "2"}});
  EXPECT_EQ(response.status, 204) << response.error;

  const std::string request = recorder.request();
  EXPECT_TRUE(request.starts_with("PATCH /x HTTP/1.1\r\n")) << request;
  EXPECT_NE(request.find("Authorization: Bearer token\r\n"), std::string::npos);
  EXPECT_NE(request.find("Content-Encoding: gzip\r\n"), std::string::npos);
  EXPECT_NE(request.find("X-Twice: 1\r\nX-Twice: 2\r\n"), std::string::npos);
  EXPECT_NE(request.find("Content-Length: 10\r\n"), std::string::npos);
  EXPECT_EQ(request.find("Content-Type"), std::string::npos) << "libcurl added a Content-Type";
  EXPECT_EQ(request.find("Expect"), std::string::npos);
  EXPECT_EQ(request.find("Accept-Encoding"), std::string::npos);
  EXPECT_TRUE(request.ends_with("\r\n\r\n" + gzip_like));
}

TEST(HttpClient, DeleteWithoutBodySendsNoBody) {
  OneShotRecorder recorder;
  EXPECT_EQ(HttpClient().del(recorder.url()).status, 204);
  const std::string request = recorder.request();
  EXPECT_TRUE(request.starts_with("DELETE /x HTTP/1.1\r\n")) << request;
  EXPECT_EQ(request.find("Content-Length"), std::string::npos);
}

// One Prometheus for every test that only needs some HTTP server or a Prometheus to query.
class PrometheusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Nothing listens on the target, so `up` for job "vitals" will be 0: enough to query.
    prometheus_ = new PrometheusServer("127.0.0.1:" + std::to_string(free_loopback_port()));
  }
  static void TearDownTestSuite() {
    delete prometheus_;
    prometheus_ = nullptr;
  }

  static PrometheusServer* prometheus_;
  HttpClient client_;
};

PrometheusServer* PrometheusTest::prometheus_ = nullptr;

TEST_F(PrometheusTest, HttpClientGetsStatusBodyAndLowerCasedHeaders) {
  const HttpResponse ready = client_.get(prometheus_->base_url() + "/-/ready");
  EXPECT_EQ(ready.status, 200);

  const HttpResponse info = client_.get(prometheus_->base_url() + "/api/v1/status/buildinfo");
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(info.json().at("status"), "success");
  EXPECT_NE(info.headers.at("content-type").find("application/json"), std::string::npos);
  EXPECT_EQ(info.header("Content-Type"), info.headers.at("content-type"));

  EXPECT_EQ(client_.get(prometheus_->base_url() + "/no/such/path").status, 404);
}

TEST_F(PrometheusTest, HttpClientPostsBodyVerbatim) {
  const HttpResponse response = client_.post(
      prometheus_->base_url() + "/api/v1/query", "query=" + HttpClient::url_encode("up"),
      {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json().at("status"), "success");
}

TEST_F(PrometheusTest, HttpClientNeitherFollowsRedirectsNorDecompresses) {
  const HttpResponse root = client_.get(prometheus_->base_url() + "/");
  EXPECT_EQ(root.status / 100, 3);
  EXPECT_FALSE(root.header("location").empty());

  const HttpResponse metrics =
      client_.get(prometheus_->base_url() + "/metrics", {{"Accept-Encoding", "gzip"}});
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-encoding"), "gzip");
  ASSERT_GE(metrics.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(metrics.body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(metrics.body[1]), 0x8b);
}

TEST_F(PrometheusTest, HttpClientReportsTransportErrorsAsStatusZero) {
  const HttpResponse refused =
      client_.get("http://127.0.0.1:" + std::to_string(free_loopback_port()) + "/");
  EXPECT_EQ(refused.status, 0);
  EXPECT_FALSE(refused.error.empty());
}

TEST_F(PrometheusTest, RawExchangeSendsBytesAsGiven) {
  const std::string reply = raw_exchange(
      prometheus_->port(), "GET /-/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply;
  EXPECT_TRUE(raw_exchange(prometheus_->port(), "NONSENSE\r\n\r\n").starts_with("HTTP/1.1 400"));
}

TEST_F(PrometheusTest, QueryOfUpSucceeds) {
  nlohmann::json answer;
  // The first scrape of the (absent) target records up == 0 within a scrape interval or two.
  const bool scraped = wait_until(
      [&] {
        answer = prometheus_->query("up{job=\"vitals\"}");
        return answer.at("status") == "success" && !answer.at("data").at("result").empty();
      },
      30s, 200ms);
  EXPECT_TRUE(scraped) << answer.dump() << "\n" << prometheus_->read_log();
  EXPECT_EQ(answer.at("status"), "success");
  EXPECT_EQ(prometheus_->query("up").at("status"), "success");
  EXPECT_EQ(prometheus_->query("up{").at("status"), "error");
}

TEST(Promtool, ValidAndInvalidExpositionsExitDifferently) {
  const PromtoolResult valid = promtool_check_metrics(
      "# HELP vitals_selftest_total A counter for the self-test.\n"
      "# TYPE vitals_selftest_total counter\n"
      "vitals_selftest_total 1\n");
  const PromtoolResult invalid = promtool_check_metrics("this is { not an exposition\n");
  EXPECT_EQ(valid.exit_code, 0) << valid.output;
  EXPECT_NE(invalid.exit_code, 0);
  EXPECT_NE(valid.exit_code, invalid.exit_code);
  EXPECT_FALSE(invalid.output.empty());
}

TEST(Alertmanager, StartsAndListsAlerts) {
  AlertmanagerServer alertmanager;
  EXPECT_EQ(HttpClient().get(alertmanager.base_url() + "/-/ready").status, 200);
  const nlohmann::json alerts = alertmanager.alerts();
  EXPECT_TRUE(alerts.is_array()) << alerts.dump();
  alertmanager.stop();
  alertmanager.stop();
}

}  // namespace
}  // namespace vitals::testing
