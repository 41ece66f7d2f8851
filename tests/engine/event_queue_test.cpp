// The event queue against a std::set reference model, plus its tie-breaking and handle rules.
#include "sim/engine/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/engine/random.h"

namespace dcsim::engine {
namespace {

TEST(EventQueue, PopsInTimeOrder) {
  EventQueue q;
  const std::vector<SimTime> times = {50, 10, 40, 30, 20, 60, 0, -5};
  for (std::uint32_t i = 0; i < times.size(); ++i) q.push(times[i], 0, 1, i);
  SimTime last = INT64_MIN;
  std::size_t count = 0;
  while (!q.empty()) {
    const SimTime top_time = q.top().time;
    const Event e = q.pop();
    EXPECT_EQ(e.time, top_time);
    EXPECT_GE(e.time, last);
    EXPECT_EQ(e.time, times[e.id]);
    last = e.time;
    ++count;
  }
  EXPECT_EQ(count, times.size());
}

TEST(EventQueue, TiesGoToLowerPriorityThenEarlierPush) {
  EventQueue q;
  q.push(100, 2, 0, 0);
  q.push(100, 1, 0, 1);
  q.push(100, 2, 0, 2);
  q.push(100, 0, 0, 3);
  q.push(100, 1, 0, 4);
  q.push(99, 9, 0, 5);
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().id);
  EXPECT_EQ(order, (std::vector<std::uint32_t>{5, 3, 1, 4, 0, 2}));
}

TEST(EventQueue, RescheduleMovesEventAndTakesNewSequence) {
  EventQueue q;
  const EventHandle a = q.push(10, 0, 7, 0);
  const EventHandle b = q.push(20, 0, 7, 1);
  const EventHandle c = q.push(30, 0, 7, 2);
  q.reschedule(c, 5);  // to the front
  EXPECT_EQ(q.top().id, 2u);
  EXPECT_EQ(q.time_of(c), 5);
  EXPECT_EQ(q.top().time, 5);
  q.reschedule(a, 20);  // same instant as b, but rescheduled later, so after b
  q.reschedule(c, 40);  // to the back
  std::vector<std::uint32_t> order;
  std::vector<SimTime> times;
  while (!q.empty()) {
    const Event e = q.pop();
    order.push_back(e.id);
    times.push_back(e.time);
  }
  EXPECT_EQ(order, (std::vector<std::uint32_t>{1, 0, 2}));
  EXPECT_EQ(times, (std::vector<SimTime>{20, 20, 40}));
  EXPECT_FALSE(q.live(b));
}

TEST(EventQueue, CancelRemovesOnlyThatEvent) {
  EventQueue q;
  std::vector<EventHandle> h;
  for (std::uint32_t i = 0; i < 10; ++i) h.push_back(q.push(i * 10, 0, 0, i));
  q.cancel(h[0]);
  q.cancel(h[5]);
  q.cancel(h[9]);
  EXPECT_FALSE(q.live(h[5]));
  EXPECT_TRUE(q.live(h[4]));
  EXPECT_EQ(q.size(), 7u);
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().id);
  EXPECT_EQ(order, (std::vector<std::uint32_t>{1, 2, 3, 4, 6, 7, 8}));
}

TEST(EventQueue, HandlesAreReusedWithoutGrowth) {
  EventQueue q;
  for (int round = 0; round < 5; ++round) {
    std::vector<EventHandle> h;
    for (std::uint32_t i = 0; i < 10; ++i) h.push_back(q.push(round * 100 + i, 0, 0, i));
    for (const EventHandle x : h) {
      EXPECT_LT(x, 10u);
      EXPECT_TRUE(q.live(x));
    }
    while (!q.empty()) q.pop();
    for (const EventHandle x : h) EXPECT_FALSE(q.live(x));
  }
  EXPECT_FALSE(q.live(kNoEvent));
  EXPECT_FALSE(q.live(10));
}

TEST(EventQueue, ClearForgetsEverythingAndRestartsTies) {
  EventQueue q;
  const EventHandle h = q.push(1, 0, 0, 0);
  q.push(2, 0, 0, 1);
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0u);
  EXPECT_FALSE(q.live(h));
  q.push(5, 0, 0, 10);
  q.push(5, 0, 0, 11);
  EXPECT_EQ(q.pop().id, 10u);
  EXPECT_EQ(q.pop().id, 11u);
}

TEST(EventQueue, PopReturnsKindAndPriority) {
  EventQueue q;
  q.push(3, 4, 513, 77);
  const Event e = q.pop();
  EXPECT_EQ(e.time, 3);
  EXPECT_EQ(e.priority, 4);
  EXPECT_EQ(e.kind, 513);
  EXPECT_EQ(e.id, 77u);
}

// Past a quarter million entries pops take a different child-selection path: sort a big heap.
TEST(EventQueue, LargeHeapPopsInOrder) {
  RandomStream rng(17, "large_heap");
  EventQueue q;
  constexpr std::uint32_t kN = 400'000;
  std::vector<SimTime> times(kN);
  for (std::uint32_t i = 0; i < kN; ++i) {
    times[i] = static_cast<SimTime>(rng.below(1'000'000)) - 500'000;
    q.push(times[i], static_cast<std::uint8_t>(i % 3), 0, i);
  }
  // Cancel and move a few on the way, so the large-heap sift_down and sift_up run too.
  for (std::uint32_t i = 0; i < kN; i += 1'000) q.reschedule(i, times[i] = -times[i]);
  std::vector<char> cancelled(kN, 0);
  for (std::uint32_t i = 500; i < kN; i += 1'000) {
    q.cancel(i);
    cancelled[i] = 1;
  }
  std::vector<std::tuple<SimTime, std::uint8_t, std::uint32_t>> out;
  while (!q.empty()) {
    const Event e = q.pop();
    ASSERT_EQ(e.time, times[e.id]);
    ASSERT_FALSE(cancelled[e.id]);
    out.emplace_back(e.time, e.priority, e.id);
  }
  EXPECT_EQ(out.size(), kN - kN / 1'000);
  for (std::size_t k = 1; k < out.size(); ++k) {
    const auto& [t0, p0, id0] = out[k - 1];
    const auto& [t1, p1, id1] = out[k];
    ASSERT_TRUE(t0 < t1 || (t0 == t1 && p0 <= p1)) << "position " << k;
  }
}

TEST(EventQueue, MovedFromQueueIsEmptyAndUsable) {
  EventQueue a;
  a.push(5, 0, 0, 1);
  a.push(3, 0, 0, 2);
  EventQueue b(std::move(a));
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b.pop().id, 2u);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): documented state
  EXPECT_EQ(a.size(), 0u);
  a.push(1, 0, 0, 9);
  EXPECT_EQ(a.top().id, 9u);
  EventQueue c;
  c = std::move(b);
  EXPECT_EQ(c.pop().id, 1u);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  const EventQueue copy = a;
  EXPECT_EQ(copy.top().id, 9u);
}

// Random push/pop/cancel/reschedule against a std::set of (time, priority, sequence, tag).
// Times come from a small range so that ties on time, and on priority, are frequent.
TEST(EventQueue, MatchesReferenceUnderRandomOperations) {
  using Key = std::tuple<SimTime, std::uint8_t, std::uint64_t, std::uint32_t>;
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    RandomStream rng(seed, "event_queue_test");
    EventQueue q;
    std::set<Key> ref;
    std::map<std::uint32_t, std::pair<EventHandle, Key>> by_tag;  // live events
    std::uint64_t sequence = 0;
    std::uint32_t next_tag = 0;
    SimTime now = 0;
    std::size_t max_size = 0;

    for (int op = 0; op < 40'000; ++op) {
      const std::uint64_t r = rng.below(100);
      // Drift between growing and shrinking so the heap passes through many sizes.
      const bool grow_phase = (op / 5'000) % 2 == 0;
      if (ref.empty() || r < (grow_phase ? 45u : 25u)) {
        const SimTime t = now + static_cast<SimTime>(rng.below(50));
        const auto prio = static_cast<std::uint8_t>(rng.below(3));
        const std::uint32_t tag = next_tag++;
        const EventHandle h = q.push(t, prio, static_cast<std::uint16_t>(tag & 0xffff), tag);
        const Key k{t, prio, sequence++, tag};
        ref.insert(k);
        by_tag[tag] = {h, k};
      } else if (r < 65) {
        const Event e = q.pop();
        const Key expected = *ref.begin();
        ref.erase(ref.begin());
        ASSERT_EQ(e.time, std::get<0>(expected)) << "op " << op;
        ASSERT_EQ(e.priority, std::get<1>(expected)) << "op " << op;
        ASSERT_EQ(e.id, std::get<3>(expected)) << "op " << op;
        ASSERT_EQ(e.kind, static_cast<std::uint16_t>(e.id & 0xffff));
        ASSERT_FALSE(q.live(by_tag[e.id].first));
        by_tag.erase(e.id);
        now = e.time;
      } else {
        auto it = by_tag.begin();
        std::advance(it, static_cast<long>(rng.below(by_tag.size())));
        const EventHandle h = it->second.first;
        const Key old = it->second.second;
        ASSERT_TRUE(q.live(h));
        ASSERT_EQ(q.time_of(h), std::get<0>(old));
        ref.erase(old);
        if (r < 80) {
          q.cancel(h);
          ASSERT_FALSE(q.live(h));
          by_tag.erase(it);
        } else {
          const SimTime t = now + static_cast<SimTime>(rng.below(50));
          q.reschedule(h, t);
          const Key k{t, std::get<1>(old), sequence++, std::get<3>(old)};
          ref.insert(k);
          it->second.second = k;
          ASSERT_EQ(q.time_of(h), t);
        }
      }
      ASSERT_EQ(q.size(), ref.size());
      if (!ref.empty()) {
        ASSERT_EQ(q.top().id, std::get<3>(*ref.begin())) << "op " << op;
        ASSERT_EQ(q.top().time, std::get<0>(*ref.begin()));
      }
      max_size = std::max(max_size, ref.size());
    }
    // Drain and compare the remaining order exactly.
    while (!ref.empty()) {
      ASSERT_EQ(q.pop().id, std::get<3>(*ref.begin()));
      ref.erase(ref.begin());
    }
    EXPECT_TRUE(q.empty());
    EXPECT_GT(max_size, 300u);  // the test exercised a deep heap
  }
}

// replace_top is pop() then push() in one sift: the same handle, the same sequence number, so two
// queues driven one way and the other pop the same events with the same handles, ties included.
TEST(EventQueue, ReplaceTopActsAsPopThenPush) {
  EventQueue a, b;
  RandomStream rng(7, "replace_top");
  std::vector<EventHandle> handles_a, handles_b;
  for (std::uint32_t k = 0; k < 300; ++k) {
    const auto t = static_cast<SimTime>(rng.below(100));
    const auto prio = static_cast<std::uint8_t>(rng.below(2));
    handles_a.push_back(a.push(t, prio, 1, k));
    handles_b.push_back(b.push(t, prio, 1, k));
  }
  ASSERT_EQ(handles_a, handles_b);
  for (std::uint32_t k = 0; k < 5000; ++k) {
    const Event top = a.top();
    const SimTime t = top.time + static_cast<SimTime>(rng.below(20));  // ties with queued events too
    const auto prio = static_cast<std::uint8_t>(rng.below(2));
    if (rng.below(3) == 0) {  // now and then a plain pop and push, as for other kinds
      const Event ea = a.pop();
      const Event eb = b.pop();
      ASSERT_EQ(ea.id, eb.id);
      ASSERT_EQ(a.push(t, prio, 2, 1000 + k), b.push(t, prio, 2, 1000 + k));
      continue;
    }
    const Event popped = b.pop();
    ASSERT_EQ(popped.id, top.id);
    ASSERT_EQ(popped.time, top.time);
    const EventHandle hb = b.push(t, prio, 3, 100000 + k);
    const EventHandle ha = a.replace_top(t, prio, 3, 100000 + k);
    ASSERT_EQ(ha, hb) << "step " << k;
    ASSERT_EQ(a.time_of(ha), t);
    ASSERT_EQ(a.size(), b.size());
  }
  while (!a.empty()) {
    const Event ea = a.pop();
    const Event eb = b.pop();
    ASSERT_EQ(ea.id, eb.id);
    ASSERT_EQ(ea.time, eb.time);
    ASSERT_EQ(ea.kind, eb.kind);
    ASSERT_EQ(ea.priority, eb.priority);
  }
  EXPECT_TRUE(b.empty());
}

}  // namespace
}  // namespace dcsim::engine
