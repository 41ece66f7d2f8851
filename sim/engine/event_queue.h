// The event queue: an indexed 4-ary heap ordered by (time, priority, insertion sequence), with
// handles to cancel or reschedule an event in O(log n). No allocation per event once warmed up.
#pragma once
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>
#include <vector>

#include "sim/engine/time.h"

namespace dcsim::engine {

using EventHandle = std::uint32_t;
inline constexpr EventHandle kNoEvent = UINT32_MAX;

struct Event {
  SimTime time = 0;
  std::uint8_t priority = 0;  // lower runs first at the same instant
  std::uint16_t kind = 0;     // the model's event kind
  std::uint32_t id = 0;       // index into the model's arrays
};

// Handles are slot numbers. A handle is freed when its event is popped or cancelled and the
// next push may hand it out again, so a model must forget a handle once its event has run.
// Same-instant ties go to the lower priority, then to the earlier push (or reschedule).
//
// Layout, chosen for the hold loop (pop one, push one) on large queues: each 32-byte heap entry
// carries the whole event, so pop and top never touch a second array; the storage is aligned so
// that the four children of a node fill exactly two cache lines; the slot table is a bare array
// of heap positions (4 bytes per handle), written once per entry moved.
class EventQueue {
 public:
  EventQueue() { heap_.resize(kPad); }
  EventQueue(const EventQueue&) = default;
  EventQueue& operator=(const EventQueue&) = default;
  // A moved-from queue is left empty and usable.
  EventQueue(EventQueue&& other) noexcept
      : heap_(std::move(other.heap_)),
        pos_(std::move(other.pos_)),
        free_head_(other.free_head_),
        next_sequence_(other.next_sequence_) {
    other.clear();
  }
  EventQueue& operator=(EventQueue&& other) noexcept {
    if (this != &other) {
      heap_ = std::move(other.heap_);
      pos_ = std::move(other.pos_);
      free_head_ = other.free_head_;
      next_sequence_ = other.next_sequence_;
      other.clear();
    }
    return *this;
  }

  EventHandle push(SimTime time, std::uint8_t priority, std::uint16_t kind, std::uint32_t id) {
    assert(next_sequence_ <= kSequenceMask);
    EventHandle slot;
    if (free_head_ != kNoEvent) {
      slot = free_head_;
      free_head_ = pos_[slot] & ~kFreeBit;
      if (free_head_ == kEndOfFreeList) free_head_ = kNoEvent;
    } else {
      assert(pos_.size() < kEndOfFreeList);  // handles fit below the free-list marker
      slot = static_cast<EventHandle>(pos_.size());
      pos_.push_back(0);
    }
    const Entry e = make_entry(time, priority, kind, id, order(priority, next_sequence_++), slot);
    heap_.push_back(e);
    sift_up(size() - 1, e);
    return slot;
  }

  bool empty() const { return heap_.size() == kPad; }
  std::size_t size() const { return heap_.size() - kPad; }

  Event top() const {
    assert(!empty());
    return heap_[kPad].event();
  }

  // Removes the earliest event and frees its handle.
  Event pop() {
    assert(!empty());
    Entry* const h = root();
    const Event event = h[0].event();
    free_slot(h[0].slot);
    const Entry last = heap_.back();
    heap_.pop_back();
    if (!empty()) refill_from_root(last);
    return event;
  }

  // Replaces the earliest event by a new one exactly as pop() then push() would (the new event gets
  // the handle pop() frees and the sequence number push() would give), with one sift instead of
  // two: a handler whose first act is to schedule its successor (a workload's next arrival) keeps
  // its event at the top until then, and the successor, soon due, rarely sinks far.
  EventHandle replace_top(SimTime time, std::uint8_t priority, std::uint16_t kind, std::uint32_t id) {
    assert(!empty());
    assert(next_sequence_ <= kSequenceMask);
    const EventHandle slot = root()[0].slot;
    sift_down(0, make_entry(time, priority, kind, id, order(priority, next_sequence_++), slot));
    return slot;
  }

  void cancel(EventHandle h) {
    assert(live(h));
    const std::size_t i = pos_[h];
    const Entry last = heap_.back();
    heap_.pop_back();
    if (i < size()) {
      if (i > 0 && before(last, root()[(i - 1) / 4]))
        sift_up(i, last);
      else
        sift_down(i, last);
    }
    free_slot(h);
  }

  // Moves a live event to a new time with a fresh sequence number, as if pushed now.
  void reschedule(EventHandle h, SimTime time) {
    assert(live(h));
    assert(next_sequence_ <= kSequenceMask);
    const std::size_t i = pos_[h];
    Entry e = root()[i];
    const bool earlier = time_key(time) < e.time_key;  // the new sequence is the largest: equal times move later
    e.time_key = time_key(time);
    e.order = order(e.priority, next_sequence_++);
    if (earlier)
      sift_up(i, e);
    else
      sift_down(i, e);
  }

  bool live(EventHandle h) const { return h < pos_.size() && (pos_[h] & kFreeBit) == 0; }

  SimTime time_of(EventHandle h) const {
    assert(live(h));
    return heap_[kPad + pos_[h]].event().time;
  }

  void reserve(std::size_t n) {
    heap_.reserve(kPad + n);
    pos_.reserve(n);
  }

  // Drops every event and forgets every handle; capacity is kept. The queue then orders ties
  // exactly as a new one would.
  void clear() {
    heap_.resize(kPad);
    pos_.clear();
    free_head_ = kNoEvent;
    next_sequence_ = 0;
  }

 private:
  // Priority in the top 8 bits of `order`, sequence below: one compare settles both.
  static constexpr int kPriorityShift = 56;
  static constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << kPriorityShift) - 1;
  // A free slot's position word is kFreeBit | next free slot (kEndOfFreeList ends the list).
  static constexpr std::uint32_t kFreeBit = 0x8000'0000u;
  static constexpr std::uint32_t kEndOfFreeList = kFreeBit - 1;
  // Logical index i lives at storage index i + kPad, so children 4i+1..4i+4 start on a multiple
  // of four entries (128 bytes) from the 64-byte-aligned base.
  static constexpr std::size_t kPad = 3;
  // Above this many entries (8 MiB of heap) pops use the branchy child selection.
  static constexpr std::size_t kBigHeap = std::size_t{1} << 18;
  // Above this many entries (512 KiB of heap) pops prefetch the next level.
  static constexpr std::size_t kPrefetchHeap = std::size_t{1} << 14;

  // The event's fields, its time kept with the sign bit flipped (time_key: signed times in unsigned
  // order), so that (time_key, order) compares as one 128-bit number.
  struct Entry {
    std::uint64_t time_key;
    std::uint64_t order;  // priority << 56 | sequence
    std::uint32_t id;
    std::uint16_t kind;
    std::uint8_t priority;
    std::uint8_t unused;
    EventHandle slot;
    std::uint32_t unused2;
    Event event() const { return Event{static_cast<SimTime>(time_key ^ kSignBit), priority, kind, id}; }
  };
  static_assert(sizeof(Entry) == 32);
  static constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;
  static std::uint64_t time_key(SimTime t) { return static_cast<std::uint64_t>(t) ^ kSignBit; }
  static Entry make_entry(SimTime time, std::uint8_t priority, std::uint16_t kind, std::uint32_t id, std::uint64_t order,
                          EventHandle slot) {
    return Entry{time_key(time), order, id, kind, priority, 0, slot, 0};
  }

  template <class T>
  struct CacheLineAllocator {
    using value_type = T;
    CacheLineAllocator() = default;
    template <class U>
    CacheLineAllocator(const CacheLineAllocator<U>&) {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64})); }
    void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t{64}); }
    friend bool operator==(const CacheLineAllocator&, const CacheLineAllocator&) { return true; }
  };

  static std::uint64_t order(std::uint8_t priority, std::uint64_t sequence) {
    return (static_cast<std::uint64_t>(priority) << kPriorityShift) | sequence;
  }

  // One 128-bit compare of (time, order): no branch to mispredict, and half the instructions of
  // comparing the two words apart.
  static unsigned __int128 key(const Entry& e) { return (static_cast<unsigned __int128>(e.time_key) << 64) | e.order; }
  [[gnu::always_inline]] static bool before(const Entry& a, const Entry& b) { return key(a) < key(b); }

  Entry* root() { return heap_.data() + kPad; }
  const Entry* root() const { return heap_.data() + kPad; }

  // Both sifts carry the moving entry in a hole and write each displaced entry once.
  [[gnu::always_inline]] void sift_up(std::size_t i, const Entry& e) {
    Entry* const h = root();
    std::uint32_t* const pos = pos_.data();
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!before(e, h[parent])) break;
      h[i] = h[parent];
      pos[h[i].slot] = static_cast<std::uint32_t>(i);
      i = parent;
    }
    h[i] = e;
    pos[e.slot] = static_cast<std::uint32_t>(i);
  }

  // Index of the earliest child of i, or n if i is a leaf. Four children are settled by a
  // two-round tournament. Branch-free selection wins while the heap is cache-resident; on big
  // heaps a predicted branch lets the CPU start loading the next level early, which wins instead.
  template <bool kBranchy>
  [[gnu::always_inline]] static std::size_t min_child(const Entry* h, std::size_t i, std::size_t n) {
    std::size_t c = 4 * i + 1;
    if (c + 3 < n) {
      if constexpr (kBranchy) {
        const std::size_t a = before(h[c + 1], h[c]) ? c + 1 : c;
        const std::size_t b = before(h[c + 3], h[c + 2]) ? c + 3 : c + 2;
        return before(h[b], h[a]) ? b : a;
      } else {
        const std::size_t a = c + before(h[c + 1], h[c]);
        const std::size_t b = c + 2 + before(h[c + 3], h[c + 2]);
        return before(h[b], h[a]) ? b : a;
      }
    }
    if (c >= n) return n;
    for (std::size_t j = c + 1; j < n; ++j)
      if (before(h[j], h[c])) c = j;
    return c;
  }

  void sift_down(std::size_t i, const Entry& e) {
    Entry* const h = root();
    std::uint32_t* const pos = pos_.data();
    const std::size_t n = size();
    for (;;) {
      const std::size_t c = min_child<false>(h, i, n);
      if (c == n || !before(h[c], e)) break;
      h[i] = h[c];
      pos[h[i].slot] = static_cast<std::uint32_t>(i);
      i = c;
    }
    h[i] = e;
    pos[e.slot] = static_cast<std::uint32_t>(i);
  }

  // After a pop the entry taken from the end almost always belongs near the bottom again, so the
  // hole first sinks to a leaf along the earliest children (no compare against e), and e then
  // rises from there (Floyd's bottom-up heap repair).
  void refill_from_root(const Entry& e) {
    if (size() > kBigHeap)
      refill_from_root<true, true>(e);
    else if (size() > kPrefetchHeap)
      refill_from_root<false, true>(e);
    else
      refill_from_root<false, false>(e);
  }

  template <bool kBranchy, bool kPrefetch>
  void refill_from_root(const Entry& e) {
    Entry* const h = root();
    std::uint32_t* const pos = pos_.data();
    const std::size_t n = size();
    std::size_t i = 0;
    for (;;) {
      // The next level's candidates (the children of all four children) are one contiguous
      // 512-byte block: fetch it while this level's compares run, once the heap outgrows the L2
      // cache (below that the eight prefetches only add instructions).
      if constexpr (kPrefetch) {
        const std::size_t grand = 16 * i + 5;
        if (grand < n) {
          const char* p = reinterpret_cast<const char*>(h + grand);
          for (int line = 0; line < 8; ++line) __builtin_prefetch(p + 64 * line);
        }
      }
      const std::size_t c = min_child<kBranchy>(h, i, n);
      if (c == n) break;
      h[i] = h[c];
      pos[h[i].slot] = static_cast<std::uint32_t>(i);
      i = c;
    }
    sift_up(i, e);
  }

  void free_slot(EventHandle slot) {
    pos_[slot] = kFreeBit | (free_head_ == kNoEvent ? kEndOfFreeList : free_head_);
    free_head_ = slot;
  }

  std::vector<Entry, CacheLineAllocator<Entry>> heap_;  // kPad unused entries, then the heap
  std::vector<std::uint32_t> pos_;  // handle -> heap index, or kFreeBit | next free handle
  EventHandle free_head_ = kNoEvent;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace dcsim::engine
