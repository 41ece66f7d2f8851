// Fuzzes the EnergyPlus weather-file reader (it reads a path, so the input goes to a temp file).
#include <cstdio>

#include "fuzz/fuzz_file.h"
#include "sim/traces/epw.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = dcsim::fuzz::write_temp(data, size, ".epw");
  (void)dcsim::traces::read_epw(path);
  std::remove(path.c_str());
  return 0;
}
