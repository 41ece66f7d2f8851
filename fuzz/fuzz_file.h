// The readers of files fuzzed through a temporary file of this process's own.
#pragma once
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

namespace dcsim::fuzz {

inline std::string write_temp(const std::uint8_t* data, std::size_t size, const char* suffix) {
  const std::string path = "/tmp/dcsim-fuzz-" + std::to_string(::getpid()) + suffix;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

}  // namespace dcsim::fuzz
