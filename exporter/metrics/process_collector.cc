#include "metrics/process_collector.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace vitals {
namespace {

prometheus::MetricFamily gauge_family(std::string name, std::string help, double value,
                                      prometheus::MetricType type = prometheus::MetricType::Gauge) {
  prometheus::MetricFamily f{std::move(name), std::move(help), type, {}};
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  f.metric.push_back(m);
  return f;
}

double boot_time_seconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime") {
      in >> value;
      return value;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

int open_fds() {
  int n = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (dirent* entry = readdir(dir)) {
      if (entry->d_name[0] != '.') ++n;
    }
    closedir(dir);
  }
  return n - 1;  // the directory handle itself
}

}  // namespace

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  std::ifstream in("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may contain spaces.
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  std::vector<std::string> values;
  while (fields >> field) values.push_back(field);
  std::vector<prometheus::MetricFamily> out;
  if (values.size() < 22) return out;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  // Indexes count from field 3 (state) of proc(5).
  const double cpu = (std::stod(values[11]) + std::stod(values[12])) / ticks;
  const double start = boot_time_seconds() + std::stod(values[19]) / ticks;
  const double vsize = std::stod(values[20]);
  const double rss = std::stod(values[21]) * page;
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  out.push_back(gauge_family("process_cpu_seconds_total",
                             "Total user and system CPU time spent in seconds.", cpu,
                             prometheus::MetricType::Counter));
  out.push_back(
      gauge_family("process_resident_memory_bytes", "Resident memory size in bytes.", rss));
  out.push_back(
      gauge_family("process_virtual_memory_bytes", "Virtual memory size in bytes.", vsize));
  out.push_back(gauge_family("process_start_time_seconds",
                             "Start time of the process since unix epoch in seconds.", start));
  out.push_back(gauge_family("process_open_fds", "Number of open file descriptors.", open_fds()));
  out.push_back(gauge_family("process_max_fds", "Maximum number of open file descriptors.",
                             static_cast<double>(limit.rlim_cur)));
  return out;
}

}  // namespace vitals
