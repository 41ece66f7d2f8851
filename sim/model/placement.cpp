// Pack and spread placement of whole-server jobs over a fabric's leaves.
#include "sim/model/placement.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <tuple>
#include <utility>

namespace dcsim::model {

namespace {

struct LeafRoom {
  int leaf = 0;
  int pod = 0;
  std::size_t begin = 0;  // into the sorted free list
  int size = 0;
};

// Leaves of `rooms` (sorted fullest first) a greedy pack needs for `count` servers; 0 if they
// cannot hold it.
int leaves_needed(const std::vector<LeafRoom>& rooms, int count) {
  int taken = 0;
  for (std::size_t i = 0; i < rooms.size(); ++i) {
    taken += rooms[i].size;
    if (taken >= count) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool fuller(const LeafRoom& a, const LeafRoom& b) { return a.size != b.size ? a.size > b.size : a.leaf < b.leaf; }

}  // namespace

void place_on_fabric(PlacementPolicy policy, std::vector<FreeServer>& free, int count, std::vector<std::uint32_t>& out) {
  out.clear();
  assert(count >= 0 && static_cast<std::size_t>(count) <= free.size());
  if (count <= 0) return;
  std::sort(free.begin(), free.end(), [](const FreeServer& a, const FreeServer& b) {
    return std::tie(a.leaf, a.position, a.server) < std::tie(b.leaf, b.position, b.server);
  });
  std::vector<LeafRoom> leaves;
  for (std::size_t i = 0; i < free.size(); ++i) {
    if (leaves.empty() || leaves.back().leaf != free[i].leaf) leaves.push_back({free[i].leaf, free[i].pod, i, 0});
    ++leaves.back().size;
  }
  // (leaf index, servers taken from it), then written out leaf by leaf.
  std::vector<std::pair<std::size_t, int>> take;
  if (policy == PlacementPolicy::spread) {
    std::vector<int> per_leaf(leaves.size(), 0);
    int left = count;
    for (int round = 0; left > 0; ++round)
      for (std::size_t l = 0; l < leaves.size() && left > 0; ++l)
        if (leaves[l].size > round) {
          ++per_leaf[l];
          --left;
        }
    for (std::size_t l = 0; l < leaves.size(); ++l)
      if (per_leaf[l] > 0) take.emplace_back(l, per_leaf[l]);
  } else {
    // Candidate pods: those that hold the job alone; the best by (leaves, free room, pod).
    std::vector<LeafRoom> best;
    std::tuple<int, int, int> best_key{0, 0, 0};
    for (std::size_t i = 0; i < leaves.size();) {
      std::size_t j = i;
      std::vector<LeafRoom> pod_rooms;
      int room = 0;
      for (; j < leaves.size() && leaves[j].pod == leaves[i].pod; ++j) {
        pod_rooms.push_back(leaves[j]);
        room += leaves[j].size;
      }
      std::sort(pod_rooms.begin(), pod_rooms.end(), fuller);
      const int need = leaves_needed(pod_rooms, count);
      const std::tuple<int, int, int> key{need, room, leaves[i].pod};
      if (need > 0 && (best.empty() || key < best_key)) {
        best = std::move(pod_rooms);
        best_key = key;
      }
      i = j;
    }
    if (best.empty()) {  // no pod holds it: the fullest leaves of the hall
      best = leaves;
      std::sort(best.begin(), best.end(), fuller);
    }
    const int need = leaves_needed(best, count);
    assert(need > 0);
    int left = count;
    for (int i = 0; i + 1 < need; ++i) left -= best[static_cast<std::size_t>(i)].size;
    // The last leaf: the smallest that holds the rest (ties: the lowest leaf).
    auto last = static_cast<std::size_t>(need - 1);
    for (std::size_t i = last + 1; i < best.size(); ++i)
      if (best[i].size >= left && best[i].size < best[last].size) last = i;
    // Map the chosen rooms back to their indices in `leaves` (sorted by leaf).
    auto index_of = [&leaves](int leaf) {
      return static_cast<std::size_t>(std::lower_bound(leaves.begin(), leaves.end(), leaf,
                                                       [](const LeafRoom& r, int l) { return r.leaf < l; }) -
                                      leaves.begin());
    };
    for (int i = 0; i + 1 < need; ++i) {
      const std::size_t l = index_of(best[static_cast<std::size_t>(i)].leaf);
      take.emplace_back(l, leaves[l].size);
    }
    take.emplace_back(index_of(best[last].leaf), left);
    std::sort(take.begin(), take.end());
  }
  for (const auto& [l, n] : take)
    for (int k = 0; k < n; ++k) out.push_back(free[leaves[l].begin + static_cast<std::size_t>(k)].server);
}

void LeafFreeIndex::build(std::vector<Entry> servers, std::size_t server_count) {
  std::sort(servers.begin(), servers.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.set, a.leaf, a.position, a.server) < std::tie(b.set, b.leaf, b.position, b.server);
  });
  leaf_slot_.assign(server_count, -1);
  position_.assign(server_count, 0);
  free_.assign(server_count, 0);
  ++version_;
  leaves_.clear();
  pods_.clear();
  sets_.clear();
  std::vector<int> leaf_servers;  // tracked servers per leaf: the largest free count it can reach
  for (const Entry& e : servers) {
    assert(e.server < server_count);
    const bool new_set = pods_.empty() || sets_.size() != e.set + 1;
    if (new_set) {
      if (sets_.size() < e.set + 1) sets_.resize(e.set + 1);
      Set& set = sets_[e.set];
      set.first_pod = set.end_pod = static_cast<std::uint32_t>(pods_.size());
      set.first = set.end = static_cast<std::uint32_t>(leaves_.size());
    }
    Set& set = sets_[e.set];
    if (new_set || leaves_.back().leaf != e.leaf) {
      if (new_set || pods_.back().pod != e.pod) {
        pods_.push_back({e.pod, static_cast<std::uint32_t>(leaves_.size()), static_cast<std::uint32_t>(leaves_.size()), e.set, 0, {}});
        set.end_pod = static_cast<std::uint32_t>(pods_.size());
      }
      leaves_.push_back({e.leaf, static_cast<std::uint32_t>(pods_.size() - 1), {}});
      leaf_servers.push_back(0);
      pods_.back().end = set.end = static_cast<std::uint32_t>(leaves_.size());
    }
    leaf_slot_[e.server] = static_cast<int>(leaves_.size() - 1);
    position_[e.server] = e.position;
    ++leaf_servers.back();
  }
  for (std::size_t l = 0; l < leaves_.size(); ++l) {
    Pod& pod = pods_[leaves_[l].pod];
    const auto most = static_cast<std::size_t>(leaf_servers[l]) + 1;
    leaves_[l].free.reserve(most - 1);
    if (pod.hist.size() < most) pod.hist.resize(most, 0);
    if (sets_[pod.set].hist.size() < most) sets_[pod.set].hist.resize(most, 0);
  }
}

void LeafFreeIndex::set_free(std::uint32_t server, bool free) {
  if (!tracks(server)) return;
  Leaf& leaf = leaves_[static_cast<std::size_t>(leaf_slot_[server])];
  const auto before = leaf.free.size();
  // The list stays sorted by (position, server): a leaf holds at most a switch's ports, so the
  // insertion's shift is short, and placing takes a prefix without sorting.
  const auto at = std::lower_bound(leaf.free.begin(), leaf.free.end(), server, [this](std::uint32_t a, std::uint32_t b) {
    return std::make_pair(position_[a], a) < std::make_pair(position_[b], b);
  });
  if (free) {
    assert(!free_[server]);
    leaf.free.insert(at, server);
  } else {
    assert(free_[server] && at != leaf.free.end() && *at == server);
    leaf.free.erase(at);
  }
  free_[server] = free ? 1 : 0;
  ++version_;
  const auto after = leaf.free.size();
  Pod& pod = pods_[leaf.pod];
  Set& set = sets_[pod.set];
  const int delta = free ? 1 : -1;
  pod.room += delta;
  set.room += delta;
  if (before > 0) {
    --pod.hist[before];
    --set.hist[before];
  }
  if (after > 0) {
    ++pod.hist[after];
    ++set.hist[after];
  }
}

// What leaves_needed gives for the leaves this histogram counts: greedy, fullest first.
int LeafFreeIndex::leaves_needed(const std::vector<int>& hist, int count) {
  int taken = 0;
  int need = 0;
  for (auto c = static_cast<int>(hist.size()) - 1; c > 0; --c) {
    const int n = hist[static_cast<std::size_t>(c)];
    if (taken + c * n >= count) return need + (count - taken + c - 1) / c;
    taken += c * n;
    need += n;
  }
  return 0;
}

// place_on_fabric's choices, worked out from the free-count histogram of the leaves in scope
// instead of sorting them: one pass over the scope's leaves in leaf order then writes the servers.
void LeafFreeIndex::place(PlacementPolicy policy, std::uint32_t set_id, int count, std::vector<std::uint32_t>& out) const {
  for (const Memo& m : memo_)
    if (m.version == version_ && m.set == set_id && m.count == count && m.policy == policy) {
      out.assign(m.servers.begin(), m.servers.end());
      return;
    }
  compute(policy, set_id, count, out);
  Memo& m = memo_[memo_next_];
  memo_next_ = (memo_next_ + 1) % kMemos;
  m.version = version_;
  m.set = set_id;
  m.count = count;
  m.policy = policy;
  m.servers.assign(out.begin(), out.end());
}

void LeafFreeIndex::compute(PlacementPolicy policy, std::uint32_t set_id, int count, std::vector<std::uint32_t>& out) const {
  out.clear();
  assert(count >= 0 && count <= free_count(set_id));
  if (count <= 0) return;
  const Set& set = sets_[set_id];
  auto take = [&out](const Leaf& leaf, int n) {  // its n free servers of lowest position
    out.insert(out.end(), leaf.free.begin(), leaf.free.begin() + n);
  };
  if (policy == PlacementPolicy::spread) {
    // Round r gives one server to each leaf with more than r free, in leaf order. After `rounds`
    // full rounds a leaf has given min(free, rounds); the next round's first `extra` such leaves
    // one more.
    const std::vector<int>& hist = set.hist;
    auto dealt = [&hist](int rounds) {
      int total = 0;
      for (std::size_t c = 1; c < hist.size(); ++c) total += hist[c] * std::min(static_cast<int>(c), rounds);
      return total;
    };
    int rounds = 0;
    while (rounds + 1 < static_cast<int>(hist.size()) && dealt(rounds + 1) <= count) ++rounds;
    int extra = count - dealt(rounds);
    for (std::uint32_t l = set.first; l < set.end; ++l) {
      const auto size = static_cast<int>(leaves_[l].free.size());
      int n = std::min(size, rounds);
      if (extra > 0 && size > rounds) {
        ++n;
        --extra;
      }
      if (n > 0) take(leaves_[l], n);
    }
    return;
  }
  // The pod that holds the job alone with the fewest leaves, then the least room, then the
  // lowest pod number; without one, the whole set.
  const Pod* best = nullptr;
  std::tuple<int, int, int> best_key{0, 0, 0};
  for (std::uint32_t p = set.first_pod; p < set.end_pod; ++p) {
    const Pod& pod = pods_[p];
    if (pod.room < count) continue;
    const std::tuple<int, int, int> key{leaves_needed(pod.hist, count), pod.room, pod.pod};
    if (best == nullptr || key < best_key) {
      best = &pod;
      best_key = key;
    }
  }
  const std::vector<int>& hist = best != nullptr ? best->hist : set.hist;
  const std::uint32_t first = best != nullptr ? best->first : set.first;
  const std::uint32_t end = best != nullptr ? best->end : set.end;
  // The fullest need - 1 leaves (ties: the lowest leaves) are taken whole: every leaf with more
  // than `cut` free, and the `at_cut` lowest with exactly `cut`.
  const int need = leaves_needed(hist, count);
  assert(need > 0);
  const int top = static_cast<int>(hist.size()) - 1;
  int cut = top + 1;
  int at_cut = 0;
  int left = count;
  for (int c = top, whole = need - 1; c > 0 && whole > 0; --c) {
    const int n = std::min(whole, hist[static_cast<std::size_t>(c)]);
    if (n == 0) continue;
    cut = c;
    at_cut = n;
    whole -= n;
    left -= n * c;
  }
  // The last leaf: among the others, the smallest that holds the rest (ties: the lowest leaf).
  int last = 0;
  for (int c = left; c <= top && last == 0; ++c) {
    const int others = c > cut ? 0 : hist[static_cast<std::size_t>(c)] - (c == cut ? at_cut : 0);
    if (others > 0) last = c;
  }
  assert(last > 0);
  bool last_taken = false;
  for (std::uint32_t l = first; l < end; ++l) {
    const auto size = static_cast<int>(leaves_[l].free.size());
    if (size > cut || (size == cut && at_cut > 0)) {
      if (size == cut) --at_cut;
      take(leaves_[l], size);
    } else if (size == last && !last_taken) {
      last_taken = true;
      take(leaves_[l], left);
    }
  }
}

}  // namespace dcsim::model
