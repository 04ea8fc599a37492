#include "feed/alert_id.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace vitals {
namespace {

AlertIdGenerator::RandomBits constant_bits(std::uint64_t bits) {
  return [bits] { return bits; };
}

TEST(AlertId, IsPrefixAnd26CrockfordDigitsCarryingTheTime) {
  AlertIdGenerator ids;
  const std::string id = ids.next(1'783'080'000'123);
  EXPECT_EQ(id.size(), 30u);
  EXPECT_TRUE(id.starts_with("cha_"));
  EXPECT_EQ(id.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 4), std::string::npos);
  EXPECT_TRUE(is_alert_id(id));
  EXPECT_EQ(alert_id_time(id), 1'783'080'000'123);
}

TEST(AlertId, TimeIsEncodedAsTheUlidSpecificationDoes) {
  // The specification's example: 1469918176385 ms is "01ARYZ6S41".
  AlertIdGenerator ids(constant_bits(0));
  EXPECT_EQ(ids.next(1469918176385), "cha_01ARYZ6S410000000000000000");
}

TEST(AlertId, IdsOfOneMillisecondSortInCreationOrder) {
  AlertIdGenerator ids;
  std::vector<std::string> made;
  for (int i = 0; i < 1000; ++i) made.push_back(ids.next(5'000'000));
  EXPECT_TRUE(std::is_sorted(made.begin(), made.end()));
  EXPECT_EQ(std::adjacent_find(made.begin(), made.end()), made.end()) << "no id repeats";
  EXPECT_EQ(alert_id_time(made.back()), 5'000'000);
}

TEST(AlertId, IdsSortByCreationAsPlainStringsAcrossMilliseconds) {
  AlertIdGenerator ids;
  std::mt19937 steps(7);
  std::vector<std::string> made;
  TimeMs t = 1'700'000'000'000;
  for (int i = 0; i < 5000; ++i) {
    t += static_cast<TimeMs>(steps() % 3);  // often the same millisecond, sometimes not
    made.push_back(ids.next(t));
  }
  std::vector<std::string> sorted = made;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, made);
}

TEST(AlertId, ALaterMillisecondSortsAfterWhateverTheRandomPart) {
  std::uint64_t bits = ~std::uint64_t{0};
  AlertIdGenerator ids([&bits] { return bits; });
  const std::string high_random = ids.next(1000);
  bits = 0;
  EXPECT_LT(high_random, ids.next(1001));
}

TEST(AlertId, AnOverflowingRandomPartCarriesIntoTheTime) {
  AlertIdGenerator ids(constant_bits(~std::uint64_t{0}));  // the random part is at its maximum
  const std::string first = ids.next(1000);
  const std::string second = ids.next(1000);
  EXPECT_LT(first, second);
  EXPECT_EQ(alert_id_time(second), 1001);
}

TEST(AlertId, AClockSetBackStillGivesALargerId) {
  AlertIdGenerator ids;
  const std::string before = ids.next(10'000);
  EXPECT_LT(before, ids.next(9'000));
}

TEST(AlertId, AdvancePastSkipsBeyondAStoredId) {
  AlertIdGenerator future(constant_bits(0));
  const std::string stored = future.next(50'000);
  AlertIdGenerator ids;
  ids.advance_past("not an id");
  ids.advance_past(stored);
  EXPECT_GT(ids.next(20'000), stored);
}

TEST(AlertId, RejectsWhatIsNotAnAlertId) {
  AlertIdGenerator ids;
  const std::string id = ids.next(1000);
  EXPECT_FALSE(is_alert_id(id.substr(4)));
  EXPECT_FALSE(is_alert_id("chb_" + id.substr(4)));
  EXPECT_FALSE(is_alert_id(id + "0"));
  EXPECT_FALSE(is_alert_id("cha_01arz3ndektsv4rrffq69g5fav"));  // lower case does not sort
  EXPECT_FALSE(is_alert_id("cha_01ARZ3NDEKTSV4RRFFQ69G5FAU"));  // U is not a Crockford digit
  EXPECT_FALSE(is_alert_id("cha_81ARZ3NDEKTSV4RRFFQ69G5FAV"));  // more than 128 bits
  EXPECT_FALSE(alert_id_time("cha_"));
}

}  // namespace
}  // namespace vitals
