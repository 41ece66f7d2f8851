// The event fingerprint: same events in the same order give the same value, anything else differs.
#include "sim/engine/fingerprint.h"

#include <gtest/gtest.h>

namespace dcsim::engine {
namespace {

TEST(EventFingerprint, EmptyValueAndHexFormat) {
  const EventFingerprint f;
  EXPECT_EQ(f.value(), 0xcbf29ce484222325ULL);
  EXPECT_EQ(f.hex(), "cbf29ce484222325");
}

TEST(EventFingerprint, HexIsSixteenLowercaseDigits) {
  EventFingerprint f;
  for (int i = 0; i < 100; ++i) {
    f.add(i, 1, 2);
    const std::string h = f.hex();
    ASSERT_EQ(h.size(), 16u);
    for (const char c : h) ASSERT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << h;
    ASSERT_EQ(std::stoull(h, nullptr, 16), f.value());
  }
}

TEST(EventFingerprint, IsDeterministicAndPinned) {
  EventFingerprint a;
  EventFingerprint b;
  for (int i = 0; i < 1000; ++i) {
    a.add(i * 17, static_cast<std::uint16_t>(i % 5), static_cast<std::uint32_t>(i));
    b.add(i * 17, static_cast<std::uint16_t>(i % 5), static_cast<std::uint32_t>(i));
  }
  EXPECT_EQ(a.value(), b.value());
  EXPECT_EQ(a.hex(), "c8afd35b93d71408");  // golden: a change here invalidates stored fingerprints
}

TEST(EventFingerprint, IsOrderSensitive) {
  EventFingerprint a;
  a.add(10, 1, 1);
  a.add(10, 1, 2);
  EventFingerprint b;
  b.add(10, 1, 2);
  b.add(10, 1, 1);
  EXPECT_NE(a.value(), b.value());
}

TEST(EventFingerprint, SeparatesTimeKindAndId) {
  auto one = [](SimTime t, std::uint16_t k, std::uint32_t id) {
    EventFingerprint f;
    f.add(t, k, id);
    return f.value();
  };
  const std::uint64_t base = one(5, 1, 2);
  EXPECT_NE(base, one(6, 1, 2));
  EXPECT_NE(base, one(5, 2, 2));
  EXPECT_NE(base, one(5, 1, 3));
  EXPECT_NE(one(0, 1, 0), one(0, 0, 1));
  EXPECT_NE(one(1, 0, 0), one(0, 0, 1));
  EXPECT_NE(one(0, 0, 0), EventFingerprint().value());
  EXPECT_NE(one(-1, 0, 0), one(1, 0, 0));
}

}  // namespace
}  // namespace dcsim::engine
