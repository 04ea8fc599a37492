// The vitals command line outside `serve`.

#include <gtest/gtest.h>

#include "support/process.h"
#include "support/temp_dir.h"

namespace vitals::testing {
namespace {

struct Run {
  int status;
  std::string output;
};

Run run_vitals(const std::vector<std::string>& args, const TempDir& dir) {
  std::vector<std::string> argv = {VITALS_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess p;
  p.start(argv, {}, dir.path() / "out.log");
  auto status = p.wait_exit(std::chrono::seconds(30));
  return {status.value_or(-1), p.read_log()};
}

TEST(Cli, CheckConfigAcceptsTheExample) {
  TempDir dir;
  auto r = run_vitals({"check", "config", std::string(VITALS_SOURCE_DIR) + "/examples/vitals.toml"},
                      dir);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("OK"), std::string::npos);
}

TEST(Cli, CheckConfigNamesFileLineAndKeyOfEveryProblem) {
  TempDir dir;
  const auto path = dir.write_file("bad.toml",
                                   "[server]\n"
                                   "listen = \"nowhere\"\n"
                                   "[[tenants]]\n"
                                   "slug = \"Acme!\"\n"
                                   "[[tokens]]\n"
                                   "token = \"long-enough-token\"\n"
                                   "role = \"root\"\n"
                                   "tenants = [\"*\"]\n");
  auto r = run_vitals({"check", "config", path.string()}, dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find(path.string() + ":2: server.listen"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(path.string() + ":4: tenants[0].slug"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(path.string() + ":7: tokens[0].role"), std::string::npos) << r.output;
}

TEST(Cli, ServeRefusesAnInvalidConfiguration) {
  TempDir dir;
  const auto path = dir.write_file("bad.toml", "[storage]\nretention = \"forever\"\n");
  auto r = run_vitals({"serve", "--config", path.string()}, dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("storage.retention"), std::string::npos) << r.output;
}

TEST(Cli, UnknownCommandsPrintUsage) {
  TempDir dir;
  auto r = run_vitals({"frobnicate"}, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("usage:"), std::string::npos);
  EXPECT_EQ(run_vitals({"version"}, dir).status, 0);
}

}  // namespace
}  // namespace vitals::testing
