#pragma once

#include <roaring/roaring.hh>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/sqlite.h"

namespace vitals {

// Raised when a tenant would need more than 2^32 distinct member ids.
class MemberNumbersExhausted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Audience member sets, durable in the shared SQLite database (opened after EventStore, which
// migrates the schema).
//
// Each tenant numbers its member ids once, densely from 0, and never renumbers; a set is then a
// Roaring bitmap of numbers, so a set of 10 million members is a few megabytes and the overlap
// of two is a bitmap AND. The numbering is written in short transactions of `chunk` ids, so a
// huge upload never holds SQLite's write lock long enough to stall ingest; a number assigned by an
// upload that then fails is harmless (it only names an id). The set itself changes in one
// transaction, so readers see the old set or the new one.
class MemberStore {
 public:
  explicit MemberStore(const std::string& path, size_t chunk = 20000);

  enum class Change { kReplace, kAdd, kRemove };
  struct ChangeResult {
    std::uint64_t members = 0;  // the set's size afterwards
    std::uint64_t changed = 0;  // members added (kAdd), removed (kRemove) or stored (kReplace)
  };

  // `members` may repeat and be unsorted; it is consumed.
  ChangeResult change(const std::string& tenant_id, const std::string& audience_id, Change change,
                      std::vector<std::string> members, TimeMs now);

  // The audience's set, or nullopt when none was ever stored.
  std::optional<Roaring> members(const std::string& tenant_id,
                                 const std::string& audience_id) const;

  // The numbers of `members` that the tenant has; ids it never saw are left out.
  std::vector<std::uint32_t> known_numbers(const std::string& tenant_id,
                                           const std::vector<std::string>& members) const;

 private:
  std::vector<std::uint32_t> assign_numbers(const std::string& tenant_id,
                                            const std::vector<std::string>& sorted_members);
  void assign_chunk(const std::string& tenant_id, const std::string* first, const std::string* last,
                    std::vector<std::uint32_t>& out);
  std::optional<Roaring> load_locked(const std::string& tenant_id,
                                     const std::string& audience_id) const;

  std::unique_ptr<sqlite::Database> db_;
  size_t chunk_;
  mutable std::mutex mutex_;
};

}  // namespace vitals
