// The GPU fleet as flat arrays, grouped into pools (the servers of one type in one hall), and
// gang placement within a pool. A job never spans pools: gangs run on one server type in one
// hall. Servers are bucketed by free GPUs so every placement decision is O(GPUs per server).
#pragma once
#include <cstdint>
#include <vector>

namespace dcsim::model {

class LeafFreeIndex;

using ServerId = std::uint32_t;
using PoolId = std::uint32_t;
inline constexpr PoolId kNoPool = UINT32_MAX;

struct Pool {
  std::uint32_t hall = 0;
  std::uint32_t site = 0;
  std::uint32_t server_type = 0;
  int gpus_per_server = 1;
  std::vector<ServerId> servers;
  // buckets[k]: servers with exactly k free GPUs, k = 0..gpus_per_server.
  std::vector<std::vector<ServerId>> buckets;
  // Bumped at every change of a server's free GPUs or up/down state: lets a caller keep what it
  // worked out from the pool (the backfill reservation) until the pool changes.
  std::uint64_t changes = 0;
  std::int64_t total_gpus() const { return static_cast<std::int64_t>(servers.size()) * gpus_per_server; }
};

// Where a job runs: whole servers (gpus >= GPUs per server) or part of one server.
struct Placement {
  PoolId pool = kNoPool;
  int gpus_per_server_used = 0;  // GPUs taken on each listed server (whole: gpus_per_server)
  std::vector<ServerId> servers;
  std::int64_t allocated_gpus() const { return static_cast<std::int64_t>(servers.size()) * gpus_per_server_used; }
};

class Cluster {
 public:
  // Adds `count` servers of a type to a pool, creating the pool on first use.
  PoolId add_servers(std::uint32_t site, std::uint32_t hall, std::uint32_t server_type, int gpus_per_server,
                     int count);

  const std::vector<Pool>& pools() const { return pools_; }
  std::size_t server_count() const { return free_.size(); }
  int free_gpus(ServerId s) const { return free_[s]; }
  PoolId pool_of(ServerId s) const { return pool_of_[s]; }
  std::int64_t total_gpus() const { return total_gpus_; }
  std::int64_t largest_pool_gpus() const;

  // Servers a job of `gpus` needs in a pool: ceil(gpus / n) whole servers, or 1 if gpus < n.
  static int servers_needed(int gpus, int gpus_per_server);
  bool fits(PoolId pool, int gpus) const;
  // Best fit over pools: the pool whose chosen servers leave the least free room behind
  // (fewest wholly free servers for whole-server jobs, fewest free GPUs on the server for
  // partial jobs); ties go to the lowest pool id. kNoPool if nothing fits now.
  // `allowed`, when given, has one entry per pool: pools whose entry is 0 are not considered (a
  // workload's GPU type constraint).
  PoolId choose_pool(int gpus, const char* allowed = nullptr) const;
  // The servers a job would get in `pool` (it must fit); does not change anything.
  void plan(PoolId pool, int gpus, Placement& out) const;
  void commit(const Placement& placement);
  void release(const Placement& placement);
  // A failed server leaves the buckets (nothing is placed on it) until it is repaired; it must
  // hold no job when it goes down.
  void set_down(ServerId s);
  void set_up(ServerId s);
  bool is_down(ServerId s) const { return down_[s]; }
  // Keeps `index` told which servers are wholly free and up (LeafFreeIndex::set_free), from now
  // on: the fabric-aware placement reads it instead of sorting a pool's free servers. `index` must
  // outlive the cluster or be unset (nullptr) first.
  void watch_whole_free(LeafFreeIndex* index);

 private:
  void move_to_bucket(ServerId s, int new_free);

  std::vector<Pool> pools_;
  std::vector<int> free_;            // per server
  std::vector<PoolId> pool_of_;      // per server
  std::vector<std::uint32_t> bucket_pos_;  // per server: index in its bucket
  std::vector<bool> down_;                 // per server
  std::int64_t total_gpus_ = 0;
  LeafFreeIndex* whole_free_ = nullptr;
};

}  // namespace dcsim::model
