// The GPU fleet as flat arrays, grouped into pools (the servers of one type in one hall), and
// gang placement within a pool. A job never spans pools: gangs run on one server type in one
// hall. Servers are bucketed by free GPUs so every placement decision is O(GPUs per server).
#pragma once
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
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
  // buckets[k]: the up servers with exactly k free GPUs, k = 1..gpus_per_server (buckets[0] is
  // kept empty: nothing is ever placed on a full server, so they are not listed).
  std::vector<std::vector<ServerId>> buckets;
  // Bumped at every change of a server's free GPUs or up/down state: lets a caller keep what it
  // worked out from the pool (the backfill reservation) until the pool changes.
  std::uint64_t changes = 0;
  std::int64_t total_gpus() const { return static_cast<std::int64_t>(servers.size()) * gpus_per_server; }
};

// A placement's servers, as a std::vector<ServerId> is used here, but up to kInline of them held
// in place: a small gang's list then sits in its job's record, not behind a pointer, so the job's
// end (an hour of simulated time later, its record cold) costs one cache miss fewer.
class ServerList {
 public:
  static constexpr std::uint32_t kInline = 8;
  ServerList() = default;
  ServerList(std::initializer_list<ServerId> ids) { assign(ids.begin(), ids.end()); }
  ServerList(const ServerList& o) { assign(o.begin(), o.end()); }
  ServerList(ServerList&& o) noexcept { take(o); }
  ServerList& operator=(const ServerList& o) {
    if (this != &o) assign(o.begin(), o.end());
    return *this;
  }
  ServerList& operator=(ServerList&& o) noexcept {
    if (this != &o) {
      release_heap();
      take(o);
    }
    return *this;
  }
  ~ServerList() { release_heap(); }

  ServerId* data() { return cap_ > kInline ? heap_ : inline_; }
  const ServerId* data() const { return cap_ > kInline ? heap_ : inline_; }
  ServerId* begin() { return data(); }
  ServerId* end() { return data() + size_; }
  const ServerId* begin() const { return data(); }
  const ServerId* end() const { return data() + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ServerId& operator[](std::size_t i) { return data()[i]; }
  ServerId operator[](std::size_t i) const { return data()[i]; }
  ServerId front() const { return data()[0]; }
  ServerId back() const { return data()[size_ - 1]; }
  void clear() { size_ = 0; }
  void reserve(std::size_t n) {
    if (n <= cap_) return;
    auto* grown = new ServerId[n];
    std::copy(begin(), end(), grown);
    release_heap();
    heap_ = grown;
    cap_ = static_cast<std::uint32_t>(n);
  }
  void push_back(ServerId s) {
    if (size_ == cap_) reserve(2 * static_cast<std::size_t>(cap_));
    data()[size_++] = s;
  }
  template <class It>
  void assign(It first, It last) {
    const auto n = static_cast<std::size_t>(std::distance(first, last));
    size_ = 0;
    reserve(n);
    ServerId* out = data();
    for (; first != last; ++first) *out++ = *first;  // a few ids: a loop, not a memmove call
    size_ = static_cast<std::uint32_t>(n);
  }
  friend bool operator==(const ServerList& a, const ServerList& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  void release_heap() {
    if (cap_ > kInline) delete[] heap_;
    cap_ = kInline;
  }
  // Leaves `o` empty and inline.
  void take(ServerList& o) {
    size_ = o.size_;
    cap_ = o.cap_;
    if (o.cap_ > kInline) {
      heap_ = o.heap_;
    } else {
      std::copy(o.inline_, o.inline_ + o.size_, inline_);
    }
    o.size_ = 0;
    o.cap_ = kInline;
  }
  union {
    ServerId inline_[kInline];
    ServerId* heap_;
  };
  std::uint32_t size_ = 0;
  std::uint32_t cap_ = kInline;  // above kInline: heap_ holds them
};

// Where a job runs: whole servers (gpus >= GPUs per server) or part of one server.
struct Placement {
  PoolId pool = kNoPool;
  int gpus_per_server_used = 0;  // GPUs taken on each listed server (whole: gpus_per_server)
  ServerList servers;
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
  // Inline, and without a division on single-GPU servers: placement asks it at every start.
  static int servers_needed(int gpus, int gpus_per_server) {
    if (gpus_per_server == 1) return gpus < 1 ? 1 : gpus;
    return gpus >= gpus_per_server ? (gpus + gpus_per_server - 1) / gpus_per_server : 1;
  }
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
  inline void move_to_bucket(Pool& pool, ServerId s, int new_free);
  // Keep room_ and sizes_ told of a server put in (pushed) or taken out of (popped) bucket k of
  // pool p, after the bucket changed.
  inline void pushed(PoolId p, int k);
  inline void popped(PoolId p, int k);

  std::vector<Pool> pools_;
  // What choose_pool reads of each pool, packed (a dozen bytes a pool, not its bucket vectors):
  // bit k of `mask` set when buckets[k] is not empty (k < 64), `whole` = buckets[n].size().
  struct PoolRoom {
    std::uint64_t mask = 0;
    int n = 1;
    std::uint32_t size = 0;  // index in sizes_
    std::int64_t whole = 0;
  };
  std::vector<PoolRoom> room_;
  // Per distinct gpus_per_server over all pools: how many pools have bucket k not empty, and the
  // wholly free servers of all of them. Bounds the least room any pool could leave, so that
  // choose_pool answers kNoPool without a scan when nothing fits anywhere, and stops its scan at
  // the first pool leaving that least room (no later pool can beat it: ties go to the lowest id).
  struct SizeClass {
    int n = 1;
    std::vector<std::uint32_t> pools_with;  // [k], k = 0..n
    std::int64_t whole = 0;
  };
  std::vector<SizeClass> sizes_;
  std::vector<int> free_;            // per server
  std::vector<PoolId> pool_of_;      // per server
  std::vector<std::uint32_t> bucket_pos_;  // per server: index in its bucket
  std::vector<bool> down_;                 // per server
  std::int64_t total_gpus_ = 0;
  LeafFreeIndex* whole_free_ = nullptr;
};

}  // namespace dcsim::model
