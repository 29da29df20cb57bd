#include "core/secret_bytes.hpp"

#include <algorithm>

#include "core/constant_time.hpp"

namespace tfa {

SecretBytes::SecretBytes(std::size_t size)
    : data_(size == 0 ? nullptr : std::make_unique<std::uint8_t[]>(size)), size_(size) {}

SecretBytes SecretBytes::copy_of(std::span<const std::uint8_t> bytes) {
  SecretBytes secret(bytes.size());
  std::copy(bytes.begin(), bytes.end(), secret.data_.get());
  return secret;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::move(other.data_)), size_(other.size_) {
  other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    wipe();
    data_ = std::move(other.data_);
    size_ = other.size_;
    other.size_ = 0;
  }
  return *this;
}

SecretBytes::~SecretBytes() { wipe(); }

void SecretBytes::wipe() noexcept {
  if (data_) secure_wipe({data_.get(), size_});
}

bool operator==(const SecretBytes& a, const SecretBytes& b) noexcept {
  return constant_time_equal(a.expose(), b.expose());
}

}  // namespace tfa
