// Gang placement over bucketed servers.
#include "sim/model/cluster.h"

#include <algorithm>
#include <bit>
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
    PoolRoom room;
    room.n = gpus_per_server;
    room.size = static_cast<std::uint32_t>(sizes_.size());
    for (std::uint32_t c = 0; c < sizes_.size(); ++c)
      if (sizes_[c].n == gpus_per_server) room.size = c;
    if (room.size == sizes_.size()) {
      SizeClass size;
      size.n = gpus_per_server;
      size.pools_with.assign(static_cast<std::size_t>(gpus_per_server) + 1, 0);
      sizes_.push_back(std::move(size));
    }
    room_.push_back(room);
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
    pushed(id, gpus_per_server);
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

inline void Cluster::pushed(PoolId p, int k) {
  PoolRoom& room = room_[p];
  SizeClass& size = sizes_[room.size];
  if (k == room.n) {
    ++room.whole;
    ++size.whole;
  }
  if (pools_[p].buckets[static_cast<std::size_t>(k)].size() == 1) {
    if (k < 64) room.mask |= std::uint64_t{1} << k;
    ++size.pools_with[static_cast<std::size_t>(k)];
  }
}

inline void Cluster::popped(PoolId p, int k) {
  PoolRoom& room = room_[p];
  SizeClass& size = sizes_[room.size];
  if (k == room.n) {
    --room.whole;
    --size.whole;
  }
  if (pools_[p].buckets[static_cast<std::size_t>(k)].empty()) {
    if (k < 64) room.mask &= ~(std::uint64_t{1} << k);
    --size.pools_with[static_cast<std::size_t>(k)];
  }
}

PoolId Cluster::choose_pool(int gpus, const char* allowed) const {
  // The least room any pool could leave: exact for partial servers, a lower bound for whole
  // servers (from the sum over the pools of a size, which may fit where no single pool does).
  std::size_t least = SIZE_MAX;
  for (const SizeClass& size : sizes_) {
    if (gpus >= size.n) {
      const auto need = static_cast<std::size_t>(servers_needed(gpus, size.n));
      if (size.whole >= static_cast<std::int64_t>(need)) least = std::min(least, need);
    } else {
      for (int k = gpus; k <= size.n; ++k) {
        if (size.pools_with[static_cast<std::size_t>(k)] > 0) {
          least = std::min(least, static_cast<std::size_t>(k));
          break;
        }
      }
    }
  }
  if (least == SIZE_MAX) return kNoPool;  // nothing fits in any pool
  PoolId best = kNoPool;
  std::size_t best_room = SIZE_MAX;
  for (PoolId p = 0; p < room_.size(); ++p) {
    if (allowed != nullptr && allowed[p] == 0) continue;
    const PoolRoom& pr = room_[p];
    const int n = pr.n;
    std::size_t room = SIZE_MAX;
    if (gpus >= n) {
      const auto whole = static_cast<std::size_t>(pr.whole);
      if (whole >= static_cast<std::size_t>(servers_needed(gpus, n))) room = whole;
    } else if (n < 64) {
      const std::uint64_t from = pr.mask >> gpus;  // gpus < n < 64
      if (from != 0) room = static_cast<std::size_t>(gpus + std::countr_zero(from));
    } else {
      const Pool& pool = pools_[p];
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
      if (best_room == least) break;  // no later pool leaves less, and ties keep the lowest id
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
    popped(pool_of_[s], free_[s]);
  }
  if (new_free > 0) {
    auto& to = pool.buckets[static_cast<std::size_t>(new_free)];
    bucket_pos_[s] = static_cast<std::uint32_t>(to.size());
    to.push_back(s);
    pushed(pool_of_[s], new_free);
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
  popped(pool_of_[s], free_[s]);
  down_[s] = true;
  ++pools_[pool_of_[s]].changes;
  if (whole_free_ != nullptr) whole_free_->set_free(s, false);
}

void Cluster::set_up(ServerId s) {
  assert(down_[s]);
  auto& bucket = pools_[pool_of_[s]].buckets[static_cast<std::size_t>(free_[s])];
  bucket_pos_[s] = static_cast<std::uint32_t>(bucket.size());
  bucket.push_back(s);
  pushed(pool_of_[s], free_[s]);
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
