#pragma once
// SecretBytes holds key material: TOTP secrets, HMAC keys, sealing keys.
//
// - Move-only: a secret is never copied by accident; copy_of() makes an explicit copy.
// - Wiped (OPENSSL_cleanse) when destroyed or overwritten by a move.
// - Compares in constant time.
// - Cannot be printed: there is no operator<< and no fmt formatter, so it cannot end up in a
//   log line. The bytes are reachable only through expose(), so `grep expose` finds every read.
// The buffer never grows, so no stale copy is left behind by a reallocation.
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <span>

namespace tfa {

class SecretBytes {
 public:
  SecretBytes() noexcept = default;
  /// A zero-filled secret of `size` bytes, to be filled through expose_mutable().
  explicit SecretBytes(std::size_t size);
  /// Copies `bytes` into a new secret. The caller remains responsible for wiping its source.
  static SecretBytes copy_of(std::span<const std::uint8_t> bytes);

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  /// The raw bytes. Named so that every place that touches key material can be found.
  std::span<const std::uint8_t> expose() const noexcept { return {data_.get(), size_}; }
  std::span<std::uint8_t> expose_mutable() noexcept { return {data_.get(), size_}; }

  /// Constant time in the contents; sizes are public.
  friend bool operator==(const SecretBytes& a, const SecretBytes& b) noexcept;

 private:
  void wipe() noexcept;

  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t size_ = 0;
};

/// Deleted on purpose: secrets are never written to a stream.
std::ostream& operator<<(std::ostream&, const SecretBytes&) = delete;

}  // namespace tfa
