// The number after `"key":` in a JSON text such as summary.json, for end-to-end tests that check
// one figure without parsing the whole file. Money may be written quoted or bare; either reads.
#pragma once
#include <gtest/gtest.h>

#include <string>

namespace dcsim::test_support {

// The first number after the first `"key":`; a missing key fails the test and gives -1.
inline double json_number(const std::string& json, const std::string& key) {
  const std::size_t at = json.find("\"" + key + "\":");
  EXPECT_NE(at, std::string::npos) << key;
  if (at == std::string::npos) return -1.0;
  const std::size_t from = json.find_first_of("-0123456789", at + key.size() + 3);
  EXPECT_NE(from, std::string::npos) << key;
  if (from == std::string::npos) return -1.0;
  return std::stod(json.substr(from));
}

}  // namespace dcsim::test_support
