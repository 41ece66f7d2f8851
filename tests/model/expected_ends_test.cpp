// ExpectedEnds: the (end, id) order it hands the EASY reservation is exactly a sort of the
// running jobs, whatever starts and ends came between two asks (merged, or re-sorted after the
// log was dropped), including jobs that started and ended between two asks.
#include "sim/model/expected_ends.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace dcsim::model {
namespace {

void expect_sorted_copy_of(const std::vector<ExpectedEnd>& got, std::vector<ExpectedEnd> running) {
  std::sort(running.begin(), running.end(), ends_before);
  ASSERT_EQ(got.size(), running.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].end, running[i].end) << i;
    EXPECT_EQ(got[i].id, running[i].id) << i;
    EXPECT_EQ(got[i].slot, running[i].slot) << i;
  }
}

TEST(ExpectedEnds, OrderIsASortOfTheRunningJobsThroughRandomStartsAndEnds) {
  std::mt19937_64 rng(7);
  ExpectedEnds order;
  std::vector<ExpectedEnd> running;
  std::uint64_t next_id = 1;
  int asks = 0, merged_asks = 0;
  for (int step = 0; step < 20000; ++step) {
    const auto roll = rng() % 100;
    if (roll < 48 || running.empty()) {
      // Ends on a coarse grid, so that many tie and go by id.
      const ExpectedEnd e{static_cast<engine::SimTime>(rng() % 50), next_id++, static_cast<std::uint32_t>(step), 0};
      running.push_back(e);
      order.add(e);
    } else if (roll < 96) {
      const std::size_t k = rng() % running.size();
      order.remove(running[k]);
      running[k] = running.back();
      running.pop_back();
    } else {
      // Bursts of changes between asks: sometimes under the log's bound (merged), sometimes over.
      merged_asks += order.pending() > 0 && order.pending() <= std::max<std::size_t>(64, running.size());
      expect_sorted_copy_of(order.ordered(running), running);
      EXPECT_EQ(order.pending(), 0u);
      ++asks;
    }
  }
  EXPECT_GT(asks, 500);
  EXPECT_GT(merged_asks, 200);
}

TEST(ExpectedEnds, AJobThatStartedAndEndedBetweenTwoAsksIsNotInTheOrder) {
  ExpectedEnds order;
  std::vector<ExpectedEnd> running = {{10, 1, 0, 0}, {5, 2, 1, 0}};
  expect_sorted_copy_of(order.ordered(running), running);
  const ExpectedEnd brief{7, 3, 2, 0};
  order.add(brief);
  order.add({7, 4, 3, 4});
  order.remove(brief);
  running.push_back({7, 4, 3, 4});
  order.remove(running[0]);
  running.erase(running.begin());
  expect_sorted_copy_of(order.ordered(running), running);
  EXPECT_EQ(order.ordered(running).size(), 2u);
}

}  // namespace
}  // namespace dcsim::model
