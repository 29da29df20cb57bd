#pragma once
// Shared by the config tests: a scratch directory per test and helpers to load a file from text.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config/fields.hpp"
#include "config/load.hpp"
#include "config/validate.hpp"

namespace tfa::config::test {

namespace fs = std::filesystem;
using Vars = std::map<std::string, std::string, std::less<>>;

/// A scratch directory per test, removed afterwards.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("tfa-config-test-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    file_ = dir_ / "config.toml";
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& text, const std::string& name = "config.toml") {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }

  /// Loads `text` as the config file; returns the error message ("" on success).
  std::string error_of(const std::string& text, const Vars& vars = {}) {
    write(text);
    auto result = load_config(file_, environment_from(vars));
    if (result) return "";
    EXPECT_EQ(result.error().code, Errc::invalid_argument);
    return result.error().message;
  }

  /// The prefix of every message about the file: "PATH: ".
  std::string in_file() const { return file_.string() + ": "; }

  fs::path dir_;
  fs::path file_;  // where error_of() writes its text
};

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace tfa::config::test
