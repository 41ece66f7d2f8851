// Running the dcsim executable from the CLI tests: its exit code, standard output and standard
// error, as a user sees them. One copy for every test file of cli_tests.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace dcsim::cli_test {

inline const std::filesystem::path kSource = DCSIM_SOURCE_DIR;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `dcsim ARGS` (ARGS quoted by the caller as for sh) in `cwd`, or in the test's own
// folder when `cwd` is empty.
inline Outcome dcsim(const std::string& args, const std::filesystem::path& cwd = {}) {
  const std::filesystem::path err_file =
      std::filesystem::temp_directory_path() / ("dcsim-cli-test-" + std::to_string(::getpid()) + ".err");
  std::string cmd = "'" + std::string(DCSIM_EXE) + "' " + args + " 2>'" + err_file.string() + "'";
  if (!cwd.empty()) cmd = "cd '" + cwd.string() + "' && " + cmd;
  Outcome o;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) o.out.append(buf, n);
  const int status = ::pclose(pipe);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream ef(err_file);
  o.err.assign(std::istreambuf_iterator<char>(ef), {});
  std::filesystem::remove(err_file);
  return o;
}

// A whole file, byte for byte ("" when it cannot be read).
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace dcsim::cli_test
