// Gang placement: whole servers for big jobs, best fit on one server for small ones.
#include "sim/model/cluster.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <random>
#include <utility>
#include <vector>

namespace dcsim::model {
namespace {

TEST(ClusterPlacement, LargeJobTakesWholeServersAndCountsIdleGpusAsAllocated) {
  Cluster c;
  c.add_servers(0, 0, 0, 8, 4);
  ASSERT_TRUE(c.fits(0, 12));
  Placement p;
  c.plan(0, 12, p);
  EXPECT_EQ(p.servers.size(), 2u);
  EXPECT_EQ(p.allocated_gpus(), 16);
  c.commit(p);
  EXPECT_FALSE(c.fits(0, 24));
  EXPECT_TRUE(c.fits(0, 16));
  c.release(p);
  EXPECT_TRUE(c.fits(0, 32));
}

TEST(ClusterPlacement, SmallJobGoesToTheServerWithFewestFreeGpusThatFits) {
  Cluster c;
  c.add_servers(0, 0, 0, 8, 3);
  Placement a, b, d, e;
  c.plan(0, 5, a);  // server X: 3 free left
  c.commit(a);
  c.plan(0, 2, b);
  EXPECT_EQ(b.servers[0], a.servers[0]) << "best fit: X's 3 free GPUs beat a fresh server's 8";
  c.commit(b);
  EXPECT_EQ(c.free_gpus(a.servers[0]), 1);
  c.plan(0, 3, d);  // X has 1 free: too few, so a fresh server Y (5 free left)
  EXPECT_NE(d.servers[0], a.servers[0]);
  c.commit(d);
  c.plan(0, 4, e);
  EXPECT_EQ(e.servers[0], d.servers[0]) << "Y's 5 free beat the last server's 8";
  c.commit(e);
  EXPECT_EQ(c.free_gpus(d.servers[0]), 1);
}

TEST(ClusterPlacement, WholeServerJobsDoNotUsePartlyBusyServers) {
  Cluster c;
  c.add_servers(0, 0, 0, 8, 2);
  Placement small;
  c.plan(0, 1, small);
  c.commit(small);
  EXPECT_FALSE(c.fits(0, 16));
  EXPECT_TRUE(c.fits(0, 8));
  EXPECT_FALSE(c.fits(0, 9));
}

TEST(ClusterPlacement, ChoosesTheTightestPoolAndNeverSpansPools) {
  Cluster c;
  c.add_servers(0, 0, 0, 1, 10);  // pool 0: 10 GPUs
  c.add_servers(0, 1, 0, 1, 4);   // pool 1: 4 GPUs in another hall
  EXPECT_EQ(c.choose_pool(3), 1u) << "best fit: fewest wholly free servers that fit";
  EXPECT_EQ(c.choose_pool(5), 0u);
  EXPECT_EQ(c.choose_pool(11), kNoPool) << "a job never spans halls";
  EXPECT_EQ(c.largest_pool_gpus(), 10);
  EXPECT_EQ(c.total_gpus(), 14);
}

// The backfill keeps its reservation per pool while the pool's `changes` stays: every change of a
// server's free GPUs or up/down state must move it, and only in that server's pool.
TEST(ClusterPlacement, ChangesCountMovesWithEveryChangeOfItsPoolOnly) {
  Cluster c;
  const PoolId a = c.add_servers(0, 0, 0, 8, 2);
  const PoolId b = c.add_servers(0, 1, 0, 8, 2);
  auto changes = [&](PoolId p) { return c.pools()[p].changes; };
  const std::uint64_t a0 = changes(a);
  const std::uint64_t b0 = changes(b);
  Placement p;
  c.plan(a, 4, p);
  EXPECT_TRUE(c.fits(a, 8));
  EXPECT_EQ(changes(a), a0) << "planning changes nothing";
  c.commit(p);
  const std::uint64_t a1 = changes(a);
  EXPECT_GT(a1, a0);
  c.release(p);
  const std::uint64_t a2 = changes(a);
  EXPECT_GT(a2, a1);
  c.set_down(c.pools()[a].servers[1]);
  const std::uint64_t a3 = changes(a);
  EXPECT_GT(a3, a2);
  c.set_up(c.pools()[a].servers[1]);
  EXPECT_GT(changes(a), a3);
  EXPECT_EQ(changes(b), b0) << "pool b was never touched";
}

// A placement's ServerList keeps up to kInline servers in place and more on the heap, and copies,
// moves and reassigns like the std::vector it replaced.
TEST(ServerList, GrowsPastInlineAndCopiesAndMoves) {
  ServerList a;
  EXPECT_TRUE(a.empty());
  for (ServerId s = 0; s < ServerList::kInline; ++s) a.push_back(100 + s);
  const ServerId* inline_data = a.data();
  a.push_back(999);  // past the inline room: moves to the heap, keeps the order
  ASSERT_EQ(a.size(), ServerList::kInline + 1);
  EXPECT_NE(a.data(), inline_data);
  for (ServerId s = 0; s < ServerList::kInline; ++s) EXPECT_EQ(a[s], 100 + s);
  EXPECT_EQ(a.back(), 999u);
  EXPECT_EQ(a.front(), 100u);

  ServerList copy = a;
  EXPECT_TRUE(copy == a);
  copy[0] = 7;
  EXPECT_EQ(a[0], 100u) << "a copy owns its servers";

  ServerList moved = std::move(copy);
  EXPECT_EQ(moved.size(), ServerList::kInline + 1);
  EXPECT_EQ(moved[0], 7u);
  EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty and usable
  copy.push_back(5);
  EXPECT_EQ(copy.size(), 1u);

  const std::vector<ServerId> few = {3, 1, 2};
  moved.assign(few.begin(), few.end());
  EXPECT_EQ(std::vector<ServerId>(moved.begin(), moved.end()), few);
  ServerList small;
  small.assign(few.begin(), few.end());
  ServerList small_moved = std::move(small);
  EXPECT_EQ(std::vector<ServerId>(small_moved.begin(), small_moved.end()), few);
  small_moved = a;  // inline list takes a heap-sized one
  EXPECT_TRUE(small_moved == a);
  small_moved.clear();
  EXPECT_TRUE(small_moved.empty());
}

// Full servers are in no bucket (nothing places on them), yet they come back when released:
// single-GPU servers fill, drain and fill again with the same best-fit choices.
TEST(ClusterPlacement, FullServersLeaveAndRejoinTheirBucket) {
  Cluster c;
  const PoolId p = c.add_servers(0, 0, 0, 1, 4);
  Placement a, b;
  c.plan(p, 3, a);
  c.commit(a);
  EXPECT_TRUE(c.pools()[p].buckets[0].empty());
  EXPECT_EQ(c.pools()[p].buckets[1].size(), 1u);
  EXPECT_FALSE(c.fits(p, 2));
  c.plan(p, 1, b);
  c.commit(b);
  EXPECT_EQ(c.choose_pool(1), kNoPool);
  c.release(a);
  EXPECT_TRUE(c.pools()[p].buckets[0].empty());
  EXPECT_EQ(c.pools()[p].buckets[1].size(), 3u);
  for (ServerId s : a.servers) EXPECT_EQ(c.free_gpus(s), 1);
  EXPECT_EQ(c.free_gpus(b.servers[0]), 0);
  EXPECT_TRUE(c.fits(p, 3));
  c.release(b);
  EXPECT_EQ(c.pools()[p].buckets[1].size(), 4u);
}

// choose_pool reads packed per-pool summaries and stops early; its choice must stay the plain
// best fit over the buckets (below, the scan it replaced) through any sequence of starts, ends,
// failures and repairs, on mixed server sizes (1, 4, 8 and 72 GPUs: past the 64-bit mask) and
// with a GPU type mask.
PoolId best_fit_by_scan(const Cluster& c, int gpus, const char* allowed) {
  PoolId best = kNoPool;
  std::size_t best_room = SIZE_MAX;
  for (PoolId p = 0; p < c.pools().size(); ++p) {
    if (allowed != nullptr && allowed[p] == 0) continue;
    const Pool& pool = c.pools()[p];
    const int n = pool.gpus_per_server;
    std::size_t room = SIZE_MAX;
    if (gpus >= n) {
      const std::size_t whole = pool.buckets[static_cast<std::size_t>(n)].size();
      if (whole >= static_cast<std::size_t>(Cluster::servers_needed(gpus, n))) room = whole;
    } else {
      for (int k = gpus; k <= n; ++k) {
        if (!pool.buckets[static_cast<std::size_t>(k)].empty()) {
          room = static_cast<std::size_t>(k);
          break;
        }
      }
    }
    if (room < best_room) {
      best_room = room;
      best = p;
    }
  }
  return best;
}

TEST(ClusterPlacement, ChoosePoolMatchesTheBestFitScanThroughRandomChanges) {
  Cluster c;
  const int sizes[] = {8, 4, 8, 1, 72, 8, 4, 8};
  const int counts[] = {6, 5, 3, 12, 2, 4, 6, 1};
  for (std::uint32_t h = 0; h < 8; ++h) c.add_servers(0, h, h % 3, sizes[h], counts[h]);
  const std::vector<char> allowed = {1, 0, 1, 1, 0, 1, 0, 1};
  const int requests[] = {1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 24, 40, 64, 71, 72, 100, 144};
  std::mt19937 rng(12345);  // raw draws only: the same sequence on every standard library
  std::vector<Placement> running;
  std::vector<ServerId> down;
  int placed = 0;
  int refused = 0;
  for (int step = 0; step < 4000; ++step) {
    for (int gpus : requests) {
      ASSERT_EQ(c.choose_pool(gpus), best_fit_by_scan(c, gpus, nullptr)) << "step " << step << ", " << gpus << " GPUs";
      ASSERT_EQ(c.choose_pool(gpus, allowed.data()), best_fit_by_scan(c, gpus, allowed.data()))
          << "step " << step << ", " << gpus << " GPUs, masked";
    }
    const std::uint32_t action = rng() % 10;
    if (action < 5) {  // start a job where the best fit says
      const int gpus = requests[rng() % std::size(requests)];
      const PoolId p = c.choose_pool(gpus, rng() % 2 ? allowed.data() : nullptr);
      if (p == kNoPool) {
        ++refused;
        continue;
      }
      Placement pl;
      c.plan(p, gpus, pl);
      c.commit(pl);
      running.push_back(pl);
      ++placed;
    } else if (action < 9 && !running.empty()) {  // end one
      const std::size_t i = rng() % running.size();
      c.release(running[i]);
      running[i] = running.back();
      running.pop_back();
    } else if (action == 9) {  // fail a wholly free server, or repair one
      if (!down.empty() && rng() % 2) {
        c.set_up(down.back());
        down.pop_back();
      } else {
        const auto s = static_cast<ServerId>(rng() % c.server_count());
        if (!c.is_down(s) && c.free_gpus(s) == c.pools()[c.pool_of(s)].gpus_per_server) {
          c.set_down(s);
          down.push_back(s);
        }
      }
    }
  }
  EXPECT_GT(placed, 500) << "the sequence must place jobs";
  EXPECT_GT(refused, 50) << "and fill the pools often enough to refuse some";
}

}  // namespace
}  // namespace dcsim::model
