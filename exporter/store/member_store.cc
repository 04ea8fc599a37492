#include "store/member_store.h"

#include <algorithm>

namespace vitals {
namespace {

constexpr std::int64_t kNumberLimit = std::int64_t{1} << 32;

void sort_unique(std::vector<std::string>& members) {
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
}

Roaring bitmap_of(std::vector<std::uint32_t>& numbers) {
  std::sort(numbers.begin(), numbers.end());
  Roaring bitmap(numbers.size(), numbers.data());
  bitmap.runOptimize();
  bitmap.shrinkToFit();
  return bitmap;
}

}  // namespace

MemberStore::MemberStore(const std::string& path, size_t chunk)
    : db_(std::make_unique<sqlite::Database>(path)), chunk_(std::max<size_t>(chunk, 1)) {
  db_->exec("PRAGMA synchronous = FULL");
}

std::vector<std::uint32_t> MemberStore::known_numbers(
    const std::string& tenant_id, const std::vector<std::string>& members) const {
  std::lock_guard lock(mutex_);
  sqlite::Statement select(
      *db_, "SELECT number FROM audience_member_numbers WHERE tenant_id = ? AND member = ?");
  std::vector<std::uint32_t> out;
  out.reserve(members.size());
  for (const auto& member : members) {
    select.bind(1, tenant_id).bind(2, member);
    if (select.step()) out.push_back(static_cast<std::uint32_t>(select.column_int(0)));
    select.reset();
  }
  return out;
}

void MemberStore::assign_chunk(const std::string& tenant_id, const std::string* first,
                               const std::string* last, std::vector<std::uint32_t>& out) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  sqlite::Statement counter(*db_,
                            "SELECT next_number FROM audience_member_counters WHERE tenant_id = ?");
  counter.bind(1, tenant_id);
  std::int64_t next = counter.step() ? counter.column_int(0) : 0;
  const std::int64_t before = next;
  sqlite::Statement select(
      *db_, "SELECT number FROM audience_member_numbers WHERE tenant_id = ? AND member = ?");
  sqlite::Statement insert(
      *db_, "INSERT INTO audience_member_numbers (tenant_id, member, number) VALUES (?,?,?)");
  for (const std::string* member = first; member != last; ++member) {
    select.bind(1, tenant_id).bind(2, *member);
    if (select.step()) {
      out.push_back(static_cast<std::uint32_t>(select.column_int(0)));
    } else {
      if (next >= kNumberLimit) {
        throw MemberNumbersExhausted("the tenant has 2^32 distinct member ids; no more fit");
      }
      insert.bind(1, tenant_id).bind(2, *member).bind(3, next);
      insert.step();
      insert.reset();
      out.push_back(static_cast<std::uint32_t>(next++));
    }
    select.reset();
  }
  if (next != before) {
    sqlite::Statement save(
        *db_,
        "INSERT INTO audience_member_counters (tenant_id, next_number) "
        "VALUES (?,?) ON CONFLICT DO UPDATE SET next_number = excluded.next_number");
    save.bind(1, tenant_id).bind(2, next);
    save.step();
  }
  tx.commit();
}

// Sorted ids walk the primary-key B-tree in order, which keeps its pages hot.
std::vector<std::uint32_t> MemberStore::assign_numbers(
    const std::string& tenant_id, const std::vector<std::string>& sorted_members) {
  std::vector<std::uint32_t> numbers;
  numbers.reserve(sorted_members.size());
  const std::string* begin = sorted_members.data();
  const std::string* end = begin + sorted_members.size();
  for (const std::string* first = begin; first < end; first += chunk_) {
    assign_chunk(tenant_id, first, std::min(first + chunk_, end), numbers);
  }
  return numbers;
}

std::optional<Roaring> MemberStore::load_locked(const std::string& tenant_id,
                                                const std::string& audience_id) const {
  sqlite::Statement q(
      *db_, "SELECT bitmap FROM audience_member_sets WHERE tenant_id = ? AND audience_id = ?");
  q.bind(1, tenant_id).bind(2, audience_id);
  if (!q.step()) return std::nullopt;
  const std::string_view bytes = q.column_blob(0);
  return Roaring::readSafe(bytes.data(), bytes.size());
}

std::optional<Roaring> MemberStore::members(const std::string& tenant_id,
                                            const std::string& audience_id) const {
  std::lock_guard lock(mutex_);
  return load_locked(tenant_id, audience_id);
}

MemberStore::ChangeResult MemberStore::change(const std::string& tenant_id,
                                              const std::string& audience_id, Change change,
                                              std::vector<std::string> members, TimeMs now) {
  sort_unique(members);
  std::vector<std::uint32_t> numbers = change == Change::kRemove
                                           ? known_numbers(tenant_id, members)
                                           : assign_numbers(tenant_id, members);
  members = {};
  const Roaring given = bitmap_of(numbers);
  numbers = {};

  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  Roaring result;
  ChangeResult out;
  if (change == Change::kReplace) {
    result = given;
    out.changed = given.cardinality();
  } else {
    result = load_locked(tenant_id, audience_id).value_or(Roaring());
    const std::uint64_t before = result.cardinality();
    if (change == Change::kAdd) {
      result |= given;
      out.changed = result.cardinality() - before;
    } else {
      result -= given;
      out.changed = before - result.cardinality();
    }
    result.runOptimize();
    result.shrinkToFit();
  }
  out.members = result.cardinality();
  std::string bytes(result.getSizeInBytes(), '\0');
  result.write(bytes.data());
  sqlite::Statement save(*db_,
                         "INSERT INTO audience_member_sets (tenant_id, audience_id, member_count, "
                         "bitmap, updated_ms) VALUES (?,?,?,?,?) ON CONFLICT DO UPDATE SET "
                         "member_count = excluded.member_count, bitmap = excluded.bitmap, "
                         "updated_ms = excluded.updated_ms");
  save.bind(1, tenant_id)
      .bind(2, audience_id)
      .bind(3, static_cast<std::int64_t>(out.members))
      .bind_blob(4, bytes)
      .bind(5, now);
  save.step();
  tx.commit();
  return out;
}

}  // namespace vitals
