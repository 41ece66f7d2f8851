// A scratch folder of its own for each test: ctest runs tests of one binary in parallel
// processes, so a shared folder such as ::testing::TempDir() lets one test's clean-up delete
// another test's files. The name carries the suite, the test and the process id.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace dcsim::test_support {

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix = "dcsim") {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string test = info ? std::string(info->test_suite_name()) + "_" + info->name() : "no_test";
    dir_ = std::filesystem::temp_directory_path() / (prefix + "_" + test + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  // Writes text byte for byte and returns the file's path.
  std::string write(const std::string& name, const std::string& text) const {
    const std::filesystem::path path = dir_ / name;
    std::ofstream out(path, std::ios::binary);
    out << text;
    return path.string();
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  const std::filesystem::path& folder() const { return dir_; }
  std::string operator/(const std::string& name) const { return path(name); }

 private:
  std::filesystem::path dir_;
};

}  // namespace dcsim::test_support
