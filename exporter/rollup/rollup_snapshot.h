#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "rollup/rollup_engine.h"

namespace vitals {

// The rollups saved to a file, so that a restart reads them back in seconds instead of
// replaying every stored event through the rollups (minutes at 10 M events).
//
// A snapshot is consistent with one point of the event store: it holds exactly the events up
// to its applied seq. The caller stamps it with a fingerprint of the store at that seq and, on
// loading, accepts it only if the store still shows that fingerprint; then it replays the events
// after the seq. The file is written to a temporary name, synced and renamed, so a crash while
// writing leaves the previous snapshot (or none); a damaged file fails its checksum and is
// ignored.
//
// The rollups are written in parts of about `buckets_per_part` buckets, each with its own
// checksum and listed in a directory at the end of the file, and read back on every core.
void save_rollup_snapshot(const RollupEngine& rollups, const std::string& path,
                          std::string_view store_fingerprint,
                          size_t buckets_per_part = RollupEngine::kBucketsPerSnapshotPart);

struct SnapshotLoad {
  bool loaded = false;
  std::int64_t applied_seq = 0;
  std::string problem;  // why it was not loaded; empty when there was no file
};

// `accept(applied_seq, fingerprint)` decides whether the snapshot matches the store. Leaves
// `rollups` untouched unless the snapshot is read whole and accepted.
SnapshotLoad load_rollup_snapshot(
    RollupEngine& rollups, const std::string& path,
    const std::function<bool(std::int64_t applied_seq, const std::string& fingerprint)>& accept);

}  // namespace vitals
