#include "crypto/password_hasher.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace tfa::crypto {
namespace {

// The smallest cost libsodium allows keeps these tests fast; the parameters do not change
// what is checked.
constexpr Argon2Params kCheap{1, 8};

TEST(PasswordHasher, HashesAsArgon2idPhcStringThatVerifies) {
  const auto hasher = PasswordHasher::create(kCheap).value();
  const auto hash = hasher.hash("correct horse battery staple").value();
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=8,t=1,p=1$", 0), 0u) << hash;
  EXPECT_TRUE(hasher.verify(hash, "correct horse battery staple"));
  EXPECT_FALSE(hasher.verify(hash, "correct horse battery stapl"));
  EXPECT_FALSE(hasher.verify(hash, ""));
}

TEST(PasswordHasher, SaltsEachHash) {
  const auto hasher = PasswordHasher::create(kCheap).value();
  EXPECT_NE(hasher.hash("same").value(), hasher.hash("same").value());
}

TEST(PasswordHasher, MalformedHashesNeverVerify) {
  const auto hasher = PasswordHasher::create(kCheap).value();
  EXPECT_FALSE(hasher.verify("", "x"));
  EXPECT_FALSE(hasher.verify("$argon2id$garbage", "x"));
  EXPECT_FALSE(hasher.verify(std::string(1000, 'a'), "x"));
}

TEST(PasswordHasher, NeedsRehashWhenParametersChange) {
  const auto cheap = PasswordHasher::create(kCheap).value();
  const auto stronger = PasswordHasher::create({2, 16}).value();
  const auto hash = cheap.hash("pw").value();
  EXPECT_FALSE(cheap.needs_rehash(hash));
  EXPECT_TRUE(stronger.needs_rehash(hash));
  EXPECT_TRUE(stronger.verify(hash, "pw")) << "old hashes still verify under new settings";
  EXPECT_TRUE(stronger.needs_rehash("not a hash"));
}

TEST(PasswordHasher, RejectsParametersBelowTheMinimum) {
  EXPECT_FALSE(PasswordHasher::create({0, 8}).has_value());
  EXPECT_FALSE(PasswordHasher::create({1, 7}).has_value());
  EXPECT_FALSE(PasswordHasher::create(kCheap, -1).has_value());
}

/// `threads` threads, each with a copy of `hasher`, verify `hash` against "pw" (right) and "px"
/// (wrong) `rounds` times; returns how many rounds answered both rightly.
int right_answers_from_threads(const PasswordHasher& hasher, const std::string& hash, int threads, int rounds) {
  std::atomic<int> right{0};
  std::vector<std::thread> running;
  for (int t = 0; t < threads; ++t) {
    running.emplace_back([copy = hasher, &hash, &right, rounds] {
      for (int i = 0; i < rounds; ++i) right += copy.verify(hash, "pw") && !copy.verify(hash, "px") ? 1 : 0;
    });
  }
  for (auto& thread : running) thread.join();
  return right.load();
}

TEST(PasswordHasher, ALongHashRunsOnTheHashersThreadsAndStillVerifies) {
  // 1 MiB for one pass: long enough to be handed to the hasher's own threads.
  const auto limited = PasswordHasher::create({1, PasswordHasher::kLongHash}, 2).value();
  const auto hash = limited.hash("pw").value();
  EXPECT_EQ(right_answers_from_threads(limited, hash, 3, 3), 9);
  EXPECT_TRUE(PasswordHasher::create(kCheap).value().verify(hash, "pw")) << "an unlimited hasher reads it";
}

TEST(PasswordHasher, ALimitedHasherStillHashesAndVerifiesFromManyThreads) {
  // One hash at a time over every copy; the calls queue, and each still gets its answer.
  const auto limited = PasswordHasher::create(kCheap, 1).value();
  const auto hash = limited.hash("pw").value();
  EXPECT_EQ(right_answers_from_threads(limited, hash, 4, 25), 100);
}

}  // namespace
}  // namespace tfa::crypto
