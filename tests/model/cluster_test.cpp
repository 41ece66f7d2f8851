// Gang placement: whole servers for big jobs, best fit on one server for small ones.
#include "sim/model/cluster.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace dcsim::model
