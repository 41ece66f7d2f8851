// Gang placement over bucketed servers.
#include "sim/model/cluster.h"

#include <algorithm>
#include <cassert>

#include "sim/model/placement.h"

namespace dcsim::model {

PoolId Cluster::add_servers(std::uint32_t site, std::uint32_t hall, std::uint32_t server_type, int gpus_per_server,
                            int count) {
  PoolId id = kNoPool;
  for (PoolId p = 0; p < pools_.size(); ++p) {
    if (pools_[p].hall == hall && pools_[p].server_type == server_type) id = p;
  }
  if (id == kNoPool) {
    id = static_cast<PoolId>(pools_.size());
    Pool pool;
    pool.hall = hall;
    pool.site = site;
    pool.server_type = server_type;
    pool.gpus_per_server = gpus_per_server;
    pool.buckets.resize(static_cast<std::size_t>(gpus_per_server) + 1);
    pools_.push_back(std::move(pool));
  }
  Pool& pool = pools_[id];
  for (int i = 0; i < count; ++i) {
    const auto s = static_cast<ServerId>(free_.size());
    free_.push_back(gpus_per_server);
    down_.push_back(false);
    pool_of_.push_back(id);
    pool.servers.push_back(s);
    auto& bucket = pool.buckets[static_cast<std::size_t>(gpus_per_server)];
    bucket_pos_.push_back(static_cast<std::uint32_t>(bucket.size()));
    bucket.push_back(s);
  }
  total_gpus_ += static_cast<std::int64_t>(count) * gpus_per_server;
  ++pool.changes;
  return id;
}

std::int64_t Cluster::largest_pool_gpus() const {
  std::int64_t best = 0;
  for (const Pool& p : pools_) best = std::max(best, p.total_gpus());
  return best;
}

bool Cluster::fits(PoolId pool_id, int gpus) const {
  const Pool& pool = pools_[pool_id];
  const int n = pool.gpus_per_server;
  if (gpus >= n) return pool.buckets[static_cast<std::size_t>(n)].size() >= static_cast<std::size_t>(servers_needed(gpus, n));
  for (int k = gpus; k <= n; ++k) {
    if (!pool.buckets[static_cast<std::size_t>(k)].empty()) return true;
  }
  return false;
}

PoolId Cluster::choose_pool(int gpus, const char* allowed) const {
  PoolId best = kNoPool;
  std::size_t best_room = SIZE_MAX;
  for (PoolId p = 0; p < pools_.size(); ++p) {
    if (allowed != nullptr && allowed[p] == 0) continue;
    const Pool& pool = pools_[p];
    const int n = pool.gpus_per_server;
    std::size_t room = SIZE_MAX;
    if (gpus >= n) {
      const std::size_t whole = pool.buckets[static_cast<std::size_t>(n)].size();
      if (whole >= static_cast<std::size_t>(servers_needed(gpus, n))) room = whole;
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

void Cluster::plan(PoolId pool_id, int gpus, Placement& out) const {
  const Pool& pool = pools_[pool_id];
  const int n = pool.gpus_per_server;
  out.pool = pool_id;
  out.servers.clear();
  if (gpus >= n) {
    const auto& whole = pool.buckets[static_cast<std::size_t>(n)];
    const auto need = static_cast<std::size_t>(servers_needed(gpus, n));
    assert(whole.size() >= need);
    out.gpus_per_server_used = n;
    // Take from the back: O(1) removal and a deterministic choice.
    out.servers.assign(whole.end() - static_cast<std::ptrdiff_t>(need), whole.end());
    return;
  }
  out.gpus_per_server_used = gpus;
  for (int k = gpus; k <= n; ++k) {
    const auto& bucket = pool.buckets[static_cast<std::size_t>(k)];
    if (!bucket.empty()) {
      out.servers.push_back(bucket.back());
      return;
    }
  }
  assert(false && "plan() on a placement that does not fit");
}

// Bucket 0 (servers with no free GPU) is kept empty: nothing places on a full server, so its
// members are never asked for, and a job's start and end then move each of its servers once
// instead of twice on single-GPU servers (and on any server it fills).
void Cluster::move_to_bucket(Pool& pool, ServerId s, int new_free) {
  assert(&pool == &pools_[pool_of_[s]]);
  if (free_[s] > 0) {
    auto& from = pool.buckets[static_cast<std::size_t>(free_[s])];
    const std::uint32_t pos = bucket_pos_[s];
    const ServerId last = from.back();
    from[pos] = last;
    bucket_pos_[last] = pos;
    from.pop_back();
  }
  if (new_free > 0) {
    auto& to = pool.buckets[static_cast<std::size_t>(new_free)];
    bucket_pos_[s] = static_cast<std::uint32_t>(to.size());
    to.push_back(s);
  }
  ++pool.changes;
  if (whole_free_ != nullptr && (free_[s] == pool.gpus_per_server) != (new_free == pool.gpus_per_server))
    whole_free_->set_free(s, new_free == pool.gpus_per_server);
  free_[s] = new_free;
}

// A placement's servers are all in its pool: looked up once, not per server.
void Cluster::commit(const Placement& placement) {
  Pool& pool = pools_[placement.pool];
  for (ServerId s : placement.servers) {
    assert(free_[s] >= placement.gpus_per_server_used);
    move_to_bucket(pool, s, free_[s] - placement.gpus_per_server_used);
  }
}

void Cluster::release(const Placement& placement) {
  Pool& pool = pools_[placement.pool];
  for (ServerId s : placement.servers) move_to_bucket(pool, s, free_[s] + placement.gpus_per_server_used);
}

void Cluster::set_down(ServerId s) {
  assert(!down_[s] && free_[s] == pools_[pool_of_[s]].gpus_per_server);
  auto& bucket = pools_[pool_of_[s]].buckets[static_cast<std::size_t>(free_[s])];
  const std::uint32_t pos = bucket_pos_[s];
  bucket[pos] = bucket.back();
  bucket_pos_[bucket[pos]] = pos;
  bucket.pop_back();
  down_[s] = true;
  ++pools_[pool_of_[s]].changes;
  if (whole_free_ != nullptr) whole_free_->set_free(s, false);
}

void Cluster::set_up(ServerId s) {
  assert(down_[s]);
  auto& bucket = pools_[pool_of_[s]].buckets[static_cast<std::size_t>(free_[s])];
  bucket_pos_[s] = static_cast<std::uint32_t>(bucket.size());
  bucket.push_back(s);
  down_[s] = false;
  ++pools_[pool_of_[s]].changes;
  if (whole_free_ != nullptr) whole_free_->set_free(s, true);  // set_down took it wholly free
}

void Cluster::watch_whole_free(LeafFreeIndex* index) {
  whole_free_ = index;
  if (index == nullptr) return;
  for (ServerId s = 0; s < free_.size(); ++s)
    if (!down_[s] && free_[s] == pools_[pool_of_[s]].gpus_per_server && !index->is_free(s)) index->set_free(s, true);
}

}  // namespace dcsim::model
