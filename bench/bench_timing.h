#pragma once

// What every benchmark here measures with: wall time, resident memory and percentiles.

#include <algorithm>
#include <chrono>
#include <fstream>
#include <vector>

namespace vitals::bench {

using Stopwatch = std::chrono::steady_clock;

inline double ms_since(Stopwatch::time_point start) {
  return std::chrono::duration<double, std::milli>(Stopwatch::now() - start).count();
}

// The process's resident set now, from /proc/self/statm.
inline double resident_mib() {
  std::ifstream in("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  in >> pages_total >> pages_resident;
  return double(pages_resident) * 4096.0 / (1024.0 * 1024.0);
}

// The p-th percentile (0–100) of `samples`, nearest rank; `samples` is sorted in place.
inline double percentile(std::vector<double>& samples, int p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const size_t rank = std::min(samples.size() - 1, samples.size() * static_cast<size_t>(p) / 100);
  return samples[rank];
}

}  // namespace vitals::bench
