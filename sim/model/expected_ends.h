// The running jobs of one pool by expected end (start + time limit), for the EASY backfill
// reservation: starts and ends are O(1), and the (end, id) order is worked out only when a
// reservation asks for it, by merging what changed since the last time into the last order.
//
// Why not a tree or a sorted array kept up to date: most starts and ends never meet a reservation
// (a fleet whose queue is empty never asks), and at a million GPUs a tree's search at every start
// was a quarter of the run, moving a sorted array's later entries another quarter.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/engine/time.h"

namespace dcsim::model {

struct ExpectedEnd {
  engine::SimTime end = 0;
  std::uint64_t id = 0;                // unique among running jobs: ties in end go by id
  std::uint32_t slot = 0;
  std::uint32_t whole_servers = 0;     // 0 for a job on part of one server
  friend bool operator==(const ExpectedEnd& a, const ExpectedEnd& b) { return a.end == b.end && a.id == b.id; }
};

inline bool ends_before(const ExpectedEnd& a, const ExpectedEnd& b) { return a.end != b.end ? a.end < b.end : a.id < b.id; }

class ExpectedEnds {
 public:
  void add(const ExpectedEnd& e) {
    if (!valid_) return;
    added_.push_back(e);
    drop_if_stale();
  }
  void remove(const ExpectedEnd& e) {
    if (!valid_) return;
    removed_.push_back(e);
    drop_if_stale();
  }
  // Every running job in (end, id) order; `running` lists them in any order and is read only when
  // the kept order was dropped (too many changes since the last call).
  const std::vector<ExpectedEnd>& ordered(const std::vector<ExpectedEnd>& running) {
    if (!valid_) {
      sorted_.assign(running.begin(), running.end());
      std::sort(sorted_.begin(), sorted_.end(), ends_before);
      valid_ = true;
    } else if (!added_.empty() || !removed_.empty()) {
      merge();
    }
    return sorted_;
  }
  std::size_t pending() const { return added_.size() + removed_.size(); }

 private:
  // Past this many changes a fresh sort of the running jobs costs about what merging would, and
  // a pool that no reservation visits keeps no log at all.
  void drop_if_stale() {
    if (pending() > std::max<std::size_t>(64, sorted_.size())) {
      valid_ = false;
      added_.clear();
      removed_.clear();
    }
  }
  // sorted_ + added_ - removed_, in order: a job may have started and ended since the last call
  // (in added_ and removed_, never in sorted_), so each removal cancels one match of either.
  void merge() {
    std::sort(added_.begin(), added_.end(), ends_before);
    std::sort(removed_.begin(), removed_.end(), ends_before);
    merged_.clear();
    std::size_t i = 0, j = 0, r = 0;
    while (i < sorted_.size() || j < added_.size()) {
      const bool from_sorted = j == added_.size() || (i < sorted_.size() && ends_before(sorted_[i], added_[j]));
      const ExpectedEnd& e = from_sorted ? sorted_[i++] : added_[j++];
      while (r < removed_.size() && ends_before(removed_[r], e)) ++r;  // not found: nothing to cancel
      if (r < removed_.size() && removed_[r] == e) {
        ++r;
        continue;
      }
      merged_.push_back(e);
    }
    sorted_.swap(merged_);
    added_.clear();
    removed_.clear();
  }

  std::vector<ExpectedEnd> sorted_, added_, removed_, merged_;
  bool valid_ = false;
};

}  // namespace dcsim::model
